import { Breadcrumb, DataTable, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { LookupResult } from './lookup.ts';
import { Csrf, describedBy, Errors, fieldLabel, FormField, formatValue, invalid, registryName, t, titleWith, When, type FieldError, type Registries } from './pages-common.tsx';
import { CorrectionStatus } from './pages-self.tsx';
import type { Correction } from './self.ts';

// The officials' console for MyData: an agency's queue of correction requests
// (/console/mydata/{agency}/corrections; its case workers and administrators) and the legal-basis
// look-up (/console/mydata/{agency}/lookup; its information-sharing officers). Plain forms.

export const correctionsPath = (agency: string) => `/console/mydata/${encodeURIComponent(agency)}/corrections`;
export const lookupPath = (agency: string) => `/console/mydata/${encodeURIComponent(agency)}/lookup`;

export function renderCorrectionQueue(ctx: PageContext, v: { agency: string; agencyName: string; corrections: Array<Correction & { name: string }>; regs: Registries; done?: 'accepted' | 'rejected' }) {
  const title = t(ctx, 'queue_title', { agency: v.agencyName });
  const base = correctionsPath(v.agency);
  const open = v.corrections.filter((c) => c.status === 'open');
  const decided = v.corrections.filter((c) => c.status !== 'open');
  const item = (c: Correction) => `${registryName(v.regs, c.service, ctx.lang)}: ${fieldLabel(v.regs, c.service, c.field, ctx.lang)}`;
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/console', label: t(ctx, 'console') }, { href: base, label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'queue_lead')}</p>
      <StatusNotice text={v.done ? t(ctx, v.done === 'accepted' ? 'queue_done_accepted' : 'queue_done_rejected') : undefined} />
      <section class="hn-section" aria-labelledby="open">
        <h2 id="open">{t(ctx, 'queue_open')}</h2>
        {open.length ? (
          <DataTable captionId="open" columns={[t(ctx, 'col_requested'), t(ctx, 'col_person'), t(ctx, 'col_item'), t(ctx, 'col_requested_value'), t(ctx, 'reason'), t(ctx, 'col_decision')]}>
            {open.map((c) => (
              <tr>
                <td>
                  <When iso={c.createdAt} lang={ctx.lang} time />
                </td>
                <th scope="row">
                  {c.name || '—'}
                  <br />
                  <code>{c.citizenId}</code>
                </th>
                <td>{item(c)}</td>
                <td>{c.requestedValue}</td>
                <td>{c.reason}</td>
                <td>
                  <form method="post" action={`${base}/${c.id}/decide`}>
                    <Csrf ctx={ctx} />
                    <label for={`note-${c.id}`}>{t(ctx, 'queue_note')}</label>
                    <input type="text" id={`note-${c.id}`} name="note" class="krds-input" maxLength={1000} />
                    <div class="hn-actions hn-doc-links">
                      <button type="submit" name="decision" value="accept" class="krds-btn primary small" aria-label={t(ctx, 'queue_accept_label', { name: c.name, item: item(c) })}>
                        {t(ctx, 'queue_accept')}
                      </button>
                      <button type="submit" name="decision" value="reject" class="krds-btn tertiary small" aria-label={t(ctx, 'queue_reject_label', { name: c.name, item: item(c) })}>
                        {t(ctx, 'queue_reject')}
                      </button>
                    </div>
                  </form>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>{t(ctx, 'queue_none')}</p>
        )}
      </section>
      {decided.length ? (
        <section class="hn-section" aria-labelledby="decided">
          <h2 id="decided">{t(ctx, 'queue_decided')}</h2>
          <DataTable captionId="decided" columns={[t(ctx, 'col_decided'), t(ctx, 'col_person'), t(ctx, 'col_item'), t(ctx, 'col_requested_value'), t(ctx, 'col_status'), t(ctx, 'col_note')]}>
            {decided.map((c) => (
              <tr>
                <td>
                  <When iso={c.decidedAt} lang={ctx.lang} time />
                </td>
                <th scope="row">{c.name || '—'}</th>
                <td>{item(c)}</td>
                <td>{c.requestedValue}</td>
                <td>
                  <CorrectionStatus ctx={ctx} status={c.status} />
                </td>
                <td>{c.decisionNote || '—'}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
    </Layout>,
  );
}

export interface LookupView {
  agency: string;
  agencyName: string;
  /** The mediated services the agency may read on a legal basis, with that basis. */
  services: Array<{ service: string; legalBasis: string }>;
  regs: Registries;
  values?: { citizenId?: string; service?: string; purpose?: string };
  errors: FieldError[];
  result?: LookupResult & { service: string };
}

function LookupResultView({ ctx, v, r }: { ctx: PageContext; v: LookupView; r: NonNullable<LookupView['result']> }) {
  const fields = v.regs.get(r.service)?.fields ?? [];
  const records = r.records as Array<Record<string, unknown>>;
  return (
    <section class="hn-section" aria-labelledby="result">
      <h2 id="result">{t(ctx, 'lookup_result', { registry: registryName(v.regs, r.service, ctx.lang) })}</h2>
      <p class="hn-notice" role="status">
        {t(ctx, 'lookup_logged', { basis: r.legalBasis, xRoadId: r.xRoadId })}
      </p>
      {records.length ? (
        records.map((rec, n) => (
          <section aria-labelledby={`record-${n}`}>
            <h3 id={`record-${n}`} class="hn-subtitle">
              {t(ctx, 'lookup_record', { n: n + 1, total: records.length })}
            </h3>
            <DataTable captionId={`record-${n}`} columns={[t(ctx, 'col_item'), t(ctx, 'col_value')]}>
              {fields
                .filter((f) => rec[f.name] !== undefined && rec[f.name] !== null)
                .map((f) => (
                  <tr>
                    <th scope="row">{fieldLabel(v.regs, r.service, f.name, ctx.lang)}</th>
                    <td>{formatValue(ctx, rec[f.name])}</td>
                  </tr>
                ))}
            </DataTable>
          </section>
        ))
      ) : (
        <p>{t(ctx, 'lookup_none')}</p>
      )}
    </section>
  );
}

export function renderLookup(ctx: PageContext, v: LookupView) {
  const title = t(ctx, 'lookup_title', { agency: v.agencyName });
  const val = v.values ?? {};
  return renderDocument(
    <Layout ctx={ctx} title={titleWith(ctx, title, v.errors)}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/console', label: t(ctx, 'console') }, { href: lookupPath(v.agency), label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'lookup_lead')}</p>
      <p class="hn-notice" role="note">
        {t(ctx, 'lookup_note')}
      </p>
      <Errors ctx={ctx} errors={v.errors} />
      {v.services.length ? (
        <form method="post" action={lookupPath(v.agency)} class="hn-form" novalidate>
          <Csrf ctx={ctx} />
          <FormField id="lookup-citizen" label={t(ctx, 'lookup_citizen')} hint={t(ctx, 'lookup_citizen_hint')} errors={v.errors}>
            <input type="text" id="lookup-citizen" name="citizenId" class="krds-input" maxLength={36} autocomplete="off" spellcheck={false} required value={val.citizenId ?? ''} aria-invalid={invalid('lookup-citizen', v.errors)} aria-describedby={describedBy('lookup-citizen', v.errors, 'lookup-citizen-hint')} />
          </FormField>
          <FormField id="lookup-service" label={t(ctx, 'lookup_service')} errors={v.errors}>
            <select id="lookup-service" name="service" class="krds-form-select completed" required aria-invalid={invalid('lookup-service', v.errors)} aria-describedby={describedBy('lookup-service', v.errors)}>
              {v.services.map((s) => (
                <option value={s.service} selected={val.service === s.service}>
                  {`${registryName(v.regs, s.service, ctx.lang)} (${s.legalBasis})`}
                </option>
              ))}
            </select>
          </FormField>
          <FormField id="lookup-purpose" label={t(ctx, 'lookup_purpose')} hint={t(ctx, 'lookup_purpose_hint')} errors={v.errors}>
            <input type="text" id="lookup-purpose" name="purpose" class="krds-input" maxLength={200} required value={val.purpose ?? ''} aria-invalid={invalid('lookup-purpose', v.errors)} aria-describedby={describedBy('lookup-purpose', v.errors, 'lookup-purpose-hint')} />
          </FormField>
          <div class="hn-actions">
            <button type="submit" class="krds-btn primary medium">
              {t(ctx, 'lookup_submit')}
            </button>
          </div>
        </form>
      ) : (
        <p>{t(ctx, 'lookup_no_rights')}</p>
      )}
      {v.result ? <LookupResultView ctx={ctx} v={v} r={v.result} /> : null}
    </Layout>,
  );
}
