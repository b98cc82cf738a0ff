import { Breadcrumb, DataTable, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { RegistryField, RegistryInfo } from '../registries/index.ts';
import {
  agencyName,
  Csrf,
  describedBy,
  Errors,
  FormField,
  fieldLabel,
  formatValue,
  invalid,
  MyDataNav,
  nameIn,
  registryName,
  t,
  titleWith,
  When,
  type FieldError,
  type Registries,
} from './pages-common.tsx';
import type { Correction, SelfAgency, SelfRecord, SelfRegistry } from './self.ts';

// 내 정보 (/mydata): what every registry holds about the signed-in citizen, read live, grouped by
// agency; a correction request per item (a form, then its confirmation), and the requests made.

const STATUS_BADGE: Record<Correction['status'], string> = { open: 'bg-light-warning', accepted: 'bg-light-success', rejected: 'bg-light-danger' };


/**
 * A reference to other people (parents, spouse, children) as a count in words: their record ids
 * mean nothing to a person, and their names are their own data (the family relation certificate
 * reads them, on their access logs).
 */
const linkedPeople = (ctx: PageContext, v: unknown): string => {
  const n = Array.isArray(v) ? v.length : v ? 1 : 0;
  return n ? t(ctx, 'linked_people', { n }) : '—';
};

export function CorrectionStatus({ ctx, status }: { ctx: PageContext; status: Correction['status'] }) {
  return <span class={`krds-badge ${STATUS_BADGE[status]}`}>{t(ctx, `correction_${status}`)}</span>;
}

export const correctionUrl = (service: string, field: string) => `/mydata/corrections/new?${new URLSearchParams({ service, field })}`;

function RecordTable({ ctx, reg, record, captionId }: { ctx: PageContext; reg: SelfRegistry; record: SelfRecord; captionId: string }) {
  return (
    <>
      <p>
        {t(ctx, 'changed_at')}: <When iso={record.changedAt} lang={ctx.lang} />
      </p>
      <DataTable captionId={captionId} columns={[t(ctx, 'col_item'), t(ctx, 'col_value'), t(ctx, 'col_correction')]}>
        {record.items.map((i) => {
          const label = nameIn(i.label, ctx.lang);
          return (
            <tr>
              <th scope="row">{label}</th>
              <td>{i.type === 'ref' || i.type === 'refs' ? linkedPeople(ctx, i.value) : formatValue(ctx, i.value)}</td>
              <td>
                {/* the visible words first in the link's name (WCAG 2.5.3), then which item */}
                <a href={correctionUrl(reg.service, i.field)} class="hn-link" aria-label={t(ctx, 'correct_label', { item: label, registry: nameIn(reg.name, ctx.lang) })}>
                  {t(ctx, 'correct')}
                </a>
              </td>
            </tr>
          );
        })}
      </DataTable>
    </>
  );
}

function Registry({ ctx, reg, agencyIndex, index }: { ctx: PageContext; reg: SelfRegistry; agencyIndex: number; index: number }) {
  const id = `reg-${agencyIndex}-${index}`;
  const name = nameIn(reg.name, ctx.lang);
  return (
    <section aria-labelledby={id}>
      <h3 id={id} class="hn-subtitle">
        {name}
      </h3>
      {reg.unavailable ? (
        <p class="hn-notice" role="note">
          {t(ctx, 'registry_unavailable')}
        </p>
      ) : reg.records.length === 1 ? (
        <RecordTable ctx={ctx} reg={reg} record={reg.records[0]!} captionId={id} />
      ) : (
        reg.records.map((r, n) => (
          <section aria-labelledby={`${id}-${n}`}>
            <h4 id={`${id}-${n}`} class="hn-subtitle">
              {t(ctx, 'record_n', { registry: name, n: n + 1, total: reg.records.length })}
            </h4>
            <RecordTable ctx={ctx} reg={reg} record={r} captionId={`${id}-${n}`} />
          </section>
        ))
      )}
    </section>
  );
}

export function Corrections({ ctx, corrections, regs }: { ctx: PageContext; corrections: Correction[]; regs: Registries }) {
  return (
    <section class="hn-section" aria-labelledby="corrections">
      <h2 id="corrections">{t(ctx, 'corrections')}</h2>
      {corrections.length ? (
        <DataTable captionId="corrections" columns={[t(ctx, 'col_requested'), t(ctx, 'col_item'), t(ctx, 'col_requested_value'), t(ctx, 'col_status'), t(ctx, 'col_note')]}>
          {corrections.map((c) => (
            <tr>
              <td>
                <When iso={c.createdAt} lang={ctx.lang} />
              </td>
              <th scope="row">
                <a href={`/mydata/corrections/${c.id}`} class="hn-link">
                  {registryName(regs, c.service, ctx.lang)}: {fieldLabel(regs, c.service, c.field, ctx.lang)}
                </a>
              </th>
              <td>{c.requestedValue}</td>
              <td>
                <CorrectionStatus ctx={ctx} status={c.status} />
              </td>
              <td>{c.decisionNote || '—'}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{t(ctx, 'corrections_none')}</p>
      )}
    </section>
  );
}

export function renderSelf(ctx: PageContext, v: { agencies: SelfAgency[]; corrections: Correction[]; regs: Registries }) {
  const title = t(ctx, 'self_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/mydata', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'self_lead')}</p>
      <MyDataNav ctx={ctx} current="/mydata" />
      <p class="hn-actions">
        <a href="/api/mydata/me/export" class="krds-btn secondary medium" download="hanaro-mydata.json">
          {t(ctx, 'download')}
        </a>
      </p>
      <p>{t(ctx, 'download_hint')}</p>
      {v.agencies.length ? (
        v.agencies.map((a, ai) => (
          <section class="hn-section" aria-labelledby={`agency-${ai}`}>
            <h2 id={`agency-${ai}`}>{nameIn(a.name, ctx.lang)}</h2>
            {a.registries.map((r, ri) => (
              <Registry ctx={ctx} reg={r} agencyIndex={ai} index={ri} />
            ))}
          </section>
        ))
      ) : (
        <p class="hn-section">{t(ctx, 'self_none')}</p>
      )}
      <Corrections ctx={ctx} corrections={v.corrections} regs={v.regs} />
    </Layout>,
  );
}

export interface CorrectionForm {
  registry: RegistryInfo;
  field: RegistryField;
  values?: { requestedValue?: string; reason?: string };
  errors: FieldError[];
}

export function renderCorrectionForm(ctx: PageContext, v: CorrectionForm) {
  const item = nameIn(v.field.label, ctx.lang);
  const registry = nameIn(v.registry.name, ctx.lang);
  const title = t(ctx, 'correction_title', { item });
  return renderDocument(
    <Layout ctx={ctx} title={titleWith(ctx, title, v.errors)}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/mydata', label: t(ctx, 'self_title') }, { href: `/mydata/corrections/new?service=${encodeURIComponent(v.registry.serviceId)}&field=${encodeURIComponent(v.field.name)}`, label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'correction_lead', { agency: agencyName(v.registry.agency, ctx.lang), registry })}</p>
      <Errors ctx={ctx} errors={v.errors} />
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'correction_registry')}</dt>
          <dd>{registry}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'col_item')}</dt>
          <dd>{item}</dd>
        </div>
      </dl>
      <form method="post" action="/mydata/corrections" class="hn-form" novalidate>
        <Csrf ctx={ctx} />
        <input type="hidden" name="service" value={v.registry.serviceId} />
        <input type="hidden" name="field" value={v.field.name} />
        <FormField id="requested-value" label={t(ctx, 'requested_value')} hint={t(ctx, 'requested_value_hint')} errors={v.errors}>
          <input type="text" id="requested-value" name="requestedValue" class="krds-input" maxLength={500} required value={v.values?.requestedValue ?? ''} aria-invalid={invalid('requested-value', v.errors)} aria-describedby={describedBy('requested-value', v.errors, 'requested-value-hint')} />
        </FormField>
        <FormField id="reason" label={t(ctx, 'reason')} hint={t(ctx, 'reason_hint')} errors={v.errors}>
          <textarea id="reason" name="reason" class="krds-input" rows={4} maxLength={1000} required aria-invalid={invalid('reason', v.errors)} aria-describedby={describedBy('reason', v.errors, 'reason-hint')}>
            {v.values?.reason ?? ''}
          </textarea>
        </FormField>
        <div class="hn-actions hn-doc-links">
          <button type="submit" class="krds-btn primary medium">
            {t(ctx, 'correction_submit')}
          </button>
          <a href="/mydata" class="krds-btn tertiary medium">
            {t(ctx, 'cancel')}
          </a>
        </div>
      </form>
    </Layout>,
  );
}

/** One correction request: the confirmation right after it is made, and its outcome later. */
export function renderCorrection(ctx: PageContext, v: { correction: Correction; regs: Registries; justMade: boolean }) {
  const c = v.correction;
  const title = t(ctx, 'correction_view_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/mydata', label: t(ctx, 'self_title') }, { href: `/mydata/corrections/${c.id}`, label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <StatusNotice text={v.justMade ? t(ctx, 'correction_done', { agency: agencyName(c.agency, ctx.lang) }) : undefined} />
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'correction_registry')}</dt>
          <dd>{registryName(v.regs, c.service, ctx.lang)}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'col_item')}</dt>
          <dd>{fieldLabel(v.regs, c.service, c.field, ctx.lang)}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'col_requested_value')}</dt>
          <dd>{c.requestedValue}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'reason')}</dt>
          <dd>{c.reason}</dd>
        </div>
        <div>
          <dt>{t(ctx, 'col_requested')}</dt>
          <dd>
            <When iso={c.createdAt} lang={ctx.lang} time />
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'col_status')}</dt>
          <dd>
            <CorrectionStatus ctx={ctx} status={c.status} />
          </dd>
        </div>
        {c.decidedAt ? (
          <div>
            <dt>{t(ctx, 'col_decided')}</dt>
            <dd>
              <When iso={c.decidedAt} lang={ctx.lang} time />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t(ctx, 'col_note')}</dt>
          <dd>{c.decisionNote || '—'}</dd>
        </div>
      </dl>
      <p>{t(ctx, 'correction_next')}</p>
      <p class="hn-actions">
        <a href="/mydata#corrections" class="krds-btn secondary medium">
          {t(ctx, 'back_to_data')}
        </a>
      </p>
    </Layout>,
  );
}
