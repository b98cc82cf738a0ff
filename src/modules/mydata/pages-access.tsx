import type { Lang } from '../../platform/i18n.ts';
import { Breadcrumb, Layout, StatusNotice } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { AccessEntry, Alert } from './access.ts';
import { Csrf, describedBy, Errors, FieldErrorText, fieldLabel, invalid, MyDataNav, nameIn, registryName, t, titleWith, When, WideTableBox, type FieldError, type Registries } from './pages-common.tsx';
import type { MydataKey } from './messages.ts';

// 열람 기록 (/mydata/access), the data tracker: who read my data, when, what and why, filtered with
// a GET form (so a filtered view has its own address), paged with the `before` cursor, exported as
// CSV or JSON with the same filters; and the alert when a reader I have not seen before reads.

/** The page's filters as the form sends them (YYYY-MM-DD days in Asia/Seoul). */
export interface AccessQuery {
  from?: string;
  to?: string;
  institution?: string;
  service?: string;
  purpose?: string;
  before?: number;
}

export function accessQueryString(q: AccessQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const k of ['from', 'to', 'institution', 'service', 'purpose'] as const) if (q[k]) p.set(k, q[k]!);
  if (q.before) p.set('before', String(q.before));
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

// the platform's own purposes in words (agencies write theirs in Korean as the case they serve)
const PURPOSES: Record<string, MydataKey> = { 'self-view': 'purpose_self_view', 'self-download': 'purpose_self_download', 'document issuance': 'purpose_document_issuance' };
const CHANNELS: Record<string, MydataKey> = { exchange: 'channel_exchange', 'registry-api': 'channel_registry_api', portal: 'channel_portal' };
const purposeText = (ctx: PageContext, p: string) => (PURPOSES[p] ? t(ctx, PURPOSES[p]!) : p);

export interface AccessView {
  query: AccessQuery;
  entries: AccessEntry[];
  next: number | null;
  regs: Registries;
  /** Readers' institutions to filter by: member code → name. */
  institutions: Array<{ code: string; name: { ko: string; en: string } }>;
  alertsOn: boolean;
  alerts: Alert[];
  errors: FieldError[];
  done?: 'alerts-on' | 'alerts-off';
}

function Reader({ ctx, e }: { ctx: PageContext; e: AccessEntry }) {
  const official = e.application?.startsWith('official:');
  return (
    <>
      <code>{e.reader}</code>
      {e.application ? (
        <>
          <br />
          {official ? t(ctx, 'reader_official', { id: e.application.slice('official:'.length) }) : e.application}
        </>
      ) : null}
    </>
  );
}

function Filters({ ctx, v }: { ctx: PageContext; v: AccessView }) {
  const q = v.query;
  const services = [...v.regs.values()].filter((r) => r.personal).sort((a, b) => nameIn(a.name, ctx.lang).localeCompare(nameIn(b.name, ctx.lang), ctx.lang));
  const dateField = (id: string, name: 'from' | 'to', label: MydataKey) => (
    <div class="form-group">
      <div class="form-tit">
        <label for={id}>{t(ctx, label)}</label>
      </div>
      <div class={`form-conts${invalid(id, v.errors) ? ' is-error' : ''}`}>
        <input type="date" id={id} name={name} value={q[name] ?? ''} class="krds-input medium" aria-invalid={invalid(id, v.errors)} aria-describedby={describedBy(id, v.errors)} />
      </div>
      <FieldErrorText id={id} errors={v.errors} />
    </div>
  );
  return (
    <form method="get" action="/mydata/access#log" class="hn-form">
      <fieldset class="hn-fieldset">
        <legend class="hn-legend">{t(ctx, 'filter_legend')}</legend>
        <div class="fieldset">
          <div class="form-col-group">
            {dateField('filter-from', 'from', 'filter_from')}
            {dateField('filter-to', 'to', 'filter_to')}
          </div>
          <div class="form-group">
            <div class="form-tit">
              <label for="filter-institution">{t(ctx, 'filter_institution')}</label>
            </div>
            <div class="form-conts">
              <select id="filter-institution" name="institution" class="krds-form-select medium completed">
                <option value="">{t(ctx, 'filter_all')}</option>
                {v.institutions.map((i) => (
                  <option value={i.code} selected={q.institution === i.code}>
                    {nameIn(i.name, ctx.lang)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="form-group">
            <div class="form-tit">
              <label for="filter-service">{t(ctx, 'filter_service')}</label>
            </div>
            <div class="form-conts">
              <select id="filter-service" name="service" class="krds-form-select medium completed">
                <option value="">{t(ctx, 'filter_all')}</option>
                {services.map((r) => (
                  <option value={r.serviceId} selected={q.service === r.serviceId}>
                    {nameIn(r.name, ctx.lang)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="form-group">
            <div class="form-tit">
              <label for="filter-purpose">{t(ctx, 'filter_purpose')}</label>
            </div>
            <div class="form-conts">
              <input type="text" id="filter-purpose" name="purpose" value={q.purpose ?? ''} class="krds-input medium" maxLength={200} autocomplete="off" aria-describedby="filter-purpose-hint" />
            </div>
            <p class="form-hint" id="filter-purpose-hint">
              {t(ctx, 'filter_purpose_hint')}
            </p>
          </div>
        </div>
        <div class="hn-actions hn-doc-links">
          <button type="submit" class="krds-btn primary medium">
            {t(ctx, 'filter_submit')}
          </button>
          <a href="/mydata/access#log" class="krds-btn tertiary medium">
            {t(ctx, 'filter_reset')}
          </a>
        </div>
      </fieldset>
    </form>
  );
}

function Alerts({ ctx, v }: { ctx: PageContext; v: AccessView }) {
  const institution = (code: string, lang: Lang) => nameIn(v.institutions.find((i) => i.code === code)?.name, lang) || code;
  return (
    <section class="hn-section" aria-labelledby="alerts">
      <h2 id="alerts">{t(ctx, 'alerts_title')}</h2>
      <p>{t(ctx, 'alerts_lead')}</p>
      <p>
        <strong>{t(ctx, v.alertsOn ? 'alerts_are_on' : 'alerts_are_off')}</strong>
      </p>
      <form method="post" action="/mydata/access/alerts">
        <Csrf ctx={ctx} />
        <input type="hidden" name="on" value={v.alertsOn ? 'false' : 'true'} />
        <button type="submit" class="krds-btn secondary medium">
          {t(ctx, v.alertsOn ? 'alerts_turn_off' : 'alerts_turn_on')}
        </button>
      </form>
      {v.alertsOn ? (
        v.alerts.length ? (
          <ul class="hn-facts">
            {v.alerts.map((a) => (
              <li>
                <When iso={a.at} lang={ctx.lang} time />: {t(ctx, 'alert_text', { institution: institution(a.institution, ctx.lang), reader: a.reader, registry: registryName(v.regs, a.service, ctx.lang) })}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t(ctx, 'alerts_none')}</p>
        )
      ) : null}
    </section>
  );
}

export function renderAccess(ctx: PageContext, v: AccessView) {
  const title = t(ctx, 'access_title');
  const q = v.query;
  const exportUrl = (format: 'csv' | 'json') => `/api/mydata/me/access-log${accessQueryString({ ...q, before: undefined }, { format })}`;
  return renderDocument(
    <Layout ctx={ctx} title={titleWith(ctx, title, v.errors)}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/mydata', label: t(ctx, 'self_title') }, { href: '/mydata/access', label: title }]} />
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{t(ctx, 'access_lead')}</p>
      <MyDataNav ctx={ctx} current="/mydata/access" />
      <StatusNotice text={v.done ? t(ctx, v.done === 'alerts-on' ? 'done_alerts_on' : 'done_alerts_off') : undefined} />
      <Errors ctx={ctx} errors={v.errors} />
      <Filters ctx={ctx} v={v} />
      <section class="hn-section" aria-labelledby="log">
        <h2 id="log">{t(ctx, 'access_log')}</h2>
        <p class="hn-doc-links">
          <a href={exportUrl('csv')} class="krds-btn secondary medium" download="hanaro-access-log.csv">
            {t(ctx, 'export_csv')}
          </a>
          <a href={exportUrl('json')} class="krds-btn secondary medium" download="hanaro-access-log.json">
            {t(ctx, 'export_json')}
          </a>
        </p>
        {v.entries.length ? (
          <WideTableBox captionId="log">
            <table class="tbl col data">
              <thead>
                <tr>
                  {(['col_when', 'col_institution', 'col_reader', 'col_registry', 'col_read_items', 'col_purpose', 'col_basis', 'col_channel'] as const).map((c) => (
                    <th scope="col">{t(ctx, c)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {v.entries.map((e) => (
                  <tr>
                    <td>
                      <When iso={e.at} lang={ctx.lang} time />
                    </td>
                    <th scope="row">{nameIn(e.institutionName, ctx.lang)}</th>
                    <td>
                      <Reader ctx={ctx} e={e} />
                    </td>
                    <td>{registryName(v.regs, e.service, ctx.lang)}</td>
                    <td>{e.items.map((i) => fieldLabel(v.regs, e.service, i, ctx.lang)).join(', ')}</td>
                    <td>{purposeText(ctx, e.purpose)}</td>
                    <td>{e.consentId ? t(ctx, 'basis_consent_id', { id: e.consentId }) : e.legalBasis ?? '—'}</td>
                    <td>{CHANNELS[e.channel] ? t(ctx, CHANNELS[e.channel]!) : e.channel}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </WideTableBox>
        ) : (
          <p>{t(ctx, q.before ? 'access_no_more' : 'access_none')}</p>
        )}
        {v.next || q.before ? (
          <nav class="hn-doc-links hn-section" aria-label={t(ctx, 'paging_label')}>
            {q.before ? (
              <a class="krds-btn tertiary medium" href={`/mydata/access${accessQueryString({ ...q, before: undefined })}#log`}>
                {t(ctx, 'page_newest')}
              </a>
            ) : null}
            {v.next ? (
              <a rel="next" class="krds-btn secondary medium" href={`/mydata/access${accessQueryString({ ...q, before: v.next })}#log`}>
                {t(ctx, 'page_older')}
              </a>
            ) : null}
          </nav>
        ) : null}
      </section>
      <Alerts ctx={ctx} v={v} />
    </Layout>,
  );
}
