import type { PageContext } from '../../web/context.ts';
import { ct, maskId, maskPath, Time } from './console-common.tsx';
import { TableBox } from '../../web/components.tsx';
import type { ConsoleMessageKey } from './console-messages.ts';
import type { LogFilter, LogPage } from './console-store.ts';

// The message-log part of the agency page: a GET filter form (so a filtered view has its own URL
// to bookmark or share), the table, and keyset paging.

export interface LogView {
  filter: LogFilter;
  page: LogPage;
}

/** The filters as a query string, without the paging keys, for links that keep them. */
export function filterQuery(f: LogFilter, paging: { before?: string; after?: string } = {}): string {
  const q = new URLSearchParams();
  for (const k of ['service', 'client', 'status', 'from', 'to', 'xRoadId'] as const) {
    const v = f[k];
    if (v) q.set(k, v);
  }
  if (paging.before) q.set('before', paging.before);
  if (paging.after) q.set('after', paging.after);
  const s = q.toString();
  return s ? `?${s}` : '';
}

function TextFilter({ ctx, id, name, value, label, hint }: { ctx: PageContext; id: string; name: string; value?: string; label: ConsoleMessageKey; hint?: ConsoleMessageKey }) {
  return (
    <div class="form-group">
      <div class="form-tit">
        <label for={id}>{ct(ctx, label)}</label>
      </div>
      <div class="form-conts">
        <input type="text" id={id} name={name} value={value ?? ''} class="krds-input medium" maxLength={300} autocomplete="off" spellcheck={false} aria-describedby={hint ? `${id}-hint` : undefined} />
      </div>
      {hint ? (
        <p class="form-hint" id={`${id}-hint`}>
          {ct(ctx, hint)}
        </p>
      ) : null}
    </div>
  );
}

function DateFilter({ ctx, id, name, value, label }: { ctx: PageContext; id: string; name: string; value?: string; label: ConsoleMessageKey }) {
  return (
    <div class="form-group">
      <div class="form-tit">
        <label for={id}>{ct(ctx, label)}</label>
      </div>
      <div class="form-conts">
        <input type="date" id={id} name={name} value={value ?? ''} class="krds-input medium" />
      </div>
    </div>
  );
}

function Filters({ ctx, action, f }: { ctx: PageContext; action: string; f: LogFilter }) {
  return (
    <form method="get" action={`${action}#log`} class="hn-form">
      <fieldset class="hn-fieldset">
        <legend class="hn-legend">{ct(ctx, 'filter_legend')}</legend>
        <div class="fieldset">
          <TextFilter ctx={ctx} id="log-service" name="service" value={f.service} label="filter_service" hint="filter_service_hint" />
          <TextFilter ctx={ctx} id="log-client" name="client" value={f.client} label="filter_client" hint="filter_client_hint" />
          <div class="form-group">
            <div class="form-tit">
              <label for="log-status">{ct(ctx, 'filter_status')}</label>
            </div>
            <div class="form-conts">
              <select id="log-status" name="status" class="krds-form-select medium completed">
                <option value="">{ct(ctx, 'status_all')}</option>
                <option value="ok" selected={f.status === 'ok'}>
                  {ct(ctx, 'status_ok')}
                </option>
                <option value="error" selected={f.status === 'error'}>
                  {ct(ctx, 'status_error')}
                </option>
              </select>
            </div>
          </div>
          <div class="form-col-group">
            <DateFilter ctx={ctx} id="log-from" name="from" value={f.from} label="filter_from" />
            <DateFilter ctx={ctx} id="log-to" name="to" value={f.to} label="filter_to" />
          </div>
          <TextFilter ctx={ctx} id="log-x-road-id" name="xRoadId" value={f.xRoadId} label="filter_x_road_id" />
        </div>
        <div class="hn-actions hn-doc-links">
          <button type="submit" class="krds-btn primary medium">
            {ct(ctx, 'filter_submit')}
          </button>
          <a href={`${action}#log`} class="krds-btn tertiary medium">
            {ct(ctx, 'filter_reset')}
          </a>
        </div>
      </fieldset>
    </form>
  );
}

function Paging({ ctx, action, v }: { ctx: PageContext; action: string; v: LogView }) {
  const { page, filter } = v;
  const paged = filter.before !== undefined || filter.after !== undefined;
  if (!page.newer && !page.older && !paged) return null;
  return (
    <nav class="hn-doc-links hn-section" aria-label={ct(ctx, 'paging_label')}>
      {page.newer ? (
        <a rel="prev" class="krds-btn secondary medium" href={`${action}${filterQuery(filter, { after: page.newer })}#log`}>
          {ct(ctx, 'page_newer')}
        </a>
      ) : null}
      {paged ? (
        <a class="krds-btn tertiary medium" href={`${action}${filterQuery(filter)}#log`}>
          {ct(ctx, 'page_latest')}
        </a>
      ) : null}
      {page.older ? (
        <a rel="next" class="krds-btn secondary medium" href={`${action}${filterQuery(filter, { before: page.older })}#log`}>
          {ct(ctx, 'page_older')}
        </a>
      ) : null}
    </nav>
  );
}

function LogTable({ ctx, entries }: { ctx: PageContext; entries: LogPage['entries'] }) {
  return (
    <TableBox captionId="log-caption">
      <table class="tbl col data">
        <caption class="sr-only" id="log-caption">
          {ct(ctx, 'log_caption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{ct(ctx, 'col_time')}</th>
            <th scope="col">{ct(ctx, 'col_x_road_id')}</th>
            <th scope="col">{ct(ctx, 'col_client')}</th>
            <th scope="col">{ct(ctx, 'col_service')}</th>
            <th scope="col">{ct(ctx, 'col_request')}</th>
            <th scope="col">{ct(ctx, 'col_status')}</th>
            <th scope="col">{ct(ctx, 'col_duration')}</th>
            <th scope="col">{ct(ctx, 'col_citizen')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr>
              <th scope="row">
                <Time iso={e.at} lang={ctx.lang} />
              </th>
              <td>
                <code>{e.xRoadId}</code>
              </td>
              <td>
                <code>{e.clientId}</code>
              </td>
              <td>
                <code>{e.serviceId}</code>
              </td>
              <td>
                <code>{`${e.method} ${maskPath(e.path)}`}</code>
              </td>
              <td>
                <span class={e.status >= 400 || e.error !== null ? 'krds-badge bg-light-danger' : 'krds-badge bg-light-success'}>{e.status}</span>
                {e.error ? (
                  <>
                    {' '}
                    <code>{e.error}</code>
                  </>
                ) : null}
              </td>
              <td>{`${e.durationMs < 10 ? e.durationMs.toFixed(1) : Math.round(e.durationMs)} ms`}</td>
              <td>{e.userId ? <code title={ct(ctx, 'citizen_masked')}>{maskId(e.userId)}</code> : <span class="hn-muted">{ct(ctx, 'none')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}

export function ConsoleLog({ ctx, code, log }: { ctx: PageContext; code: string; log: LogView }) {
  const action = `/console/exchange/${encodeURIComponent(code)}`;
  const { entries } = log.page;
  return (
    <section class="hn-section" aria-labelledby="log">
      <h2 id="log">{ct(ctx, 'section_log')}</h2>
      <p>{ct(ctx, 'log_lead')}</p>
      <Filters ctx={ctx} action={action} f={log.filter} />
      {entries.length ? (
        <LogTable ctx={ctx} entries={entries} />
      ) : (
        <p>{ct(ctx, 'log_none')}</p>
      )}
      <Paging ctx={ctx} action={action} v={log} />
    </section>
  );
}
