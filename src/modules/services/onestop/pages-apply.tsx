import { AGENCIES } from '../../registries/index.ts';
import { Breadcrumb, DataTable, ErrorSummary, Layout, LinkCards, StatusNotice } from '../../../web/components.tsx';
import type { PageContext } from '../../../web/context.ts';
import { renderDocument } from '../../../web/pages.tsx';
import { Csrf } from '../pages-render.tsx';
import { BUNDLES, partTitle, type BundleCode, type FieldProblem } from './bundles.ts';
import { FormFields, problemText, type FormValues } from './form-fields.tsx';
import { ot, otAny } from './messages.ts';
import type { Prefill } from './registry-reads.ts';
import type { AppEvent, Application, Task } from './store.ts';

// The citizen's one-stop pages: /apply (the three life events), /apply/{bundle} (the form: fill in
// from my records with consent, an error summary linking to each field, values kept),
// /applications (my applications) and /applications/{id} (each agency's part, the history, and
// the form to answer a send-back). Every page reads and works without JavaScript.

export const applyPath = (b: BundleCode) => `/apply/${b}`;
export const applicationPath = (id: string) => `/applications/${id}`;
export const seoul = (d: Date, lang: 'ko' | 'en') => new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', dateStyle: 'medium', timeStyle: 'short' }).format(d);
export const agencyName = (code: string, lang: 'ko' | 'en') => AGENCIES[code]?.[lang] ?? code;
const STATUS_BADGE = { PENDING: 'bg-light-primary', APPROVED: 'bg-light-success', SENDBACK: 'bg-light-warning', REJECTED: 'bg-light-gray' } as const;

const crumbs = (ctx: PageContext, more: Array<{ href: string; label: string }> = []) => (
  <Breadcrumb ctx={ctx} trail={[{ href: '/apply', label: ot(ctx, 'apply_title') }, ...more]} />
);

export function renderApplyIndex(ctx: PageContext) {
  return renderDocument(
    <Layout ctx={ctx} title={ot(ctx, 'apply_title')}>
      {crumbs(ctx)}
      <h1 class="hn-title">{ot(ctx, 'apply_title')}</h1>
      <p class="hn-lead">{ot(ctx, 'apply_lead')}</p>
      <LinkCards cards={Object.values(BUNDLES).map((b) => ({ href: applyPath(b.code), title: b.name[ctx.lang], text: b.description[ctx.lang] }))} />
      <p>
        <a href="/applications" class="hn-link">
          {ot(ctx, 'my_applications')}
        </a>
      </p>
    </Layout>,
  );
}

export function renderApplyForm(ctx: PageContext, v: { bundle: BundleCode; values: FormValues; problems: FieldProblem[]; prefill?: Prefill; token: string }) {
  const b = BUNDLES[v.bundle];
  const title = b.name[ctx.lang];
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      {crumbs(ctx, [{ href: applyPath(v.bundle), label: title }])}
      <h1 class="hn-title">{title}</h1>
      <p class="hn-lead">{b.description[ctx.lang]}</p>
      <ErrorSummary title={ot(ctx, 'error_title')} errors={v.problems.map((p) => ({ href: `#f-${p.field}`, text: problemText(ctx, p) }))} />
      {v.prefill ? (
        <StatusNotice text={ot(ctx, 'prefill_done')} />
      ) : (
        <section class="hn-section" aria-labelledby="prefill">
          <h2 id="prefill" class="hn-subtitle">
            {ot(ctx, 'prefill_title')}
          </h2>
          <p>{ot(ctx, 'prefill_text')}</p>
          <form method="post" action={`${applyPath(v.bundle)}/prefill`}>
            <Csrf ctx={ctx} />
            <button type="submit" class="krds-btn secondary medium">
              {ot(ctx, 'prefill_button')}
            </button>
          </form>
        </section>
      )}
      <section class="hn-section" aria-labelledby="form">
        <h2 id="form" class="hn-subtitle">
          {ot(ctx, 'form_title')}
        </h2>
        <form method="post" action={applyPath(v.bundle)} class="hn-form" novalidate>
          <Csrf ctx={ctx} />
          <input type="hidden" name="_token" value={v.token} />
          {v.prefill ? <input type="hidden" name="prefilled" value="1" /> : null}
          <FormFields ctx={ctx} bundle={v.bundle} values={v.values} problems={v.problems} prefill={v.prefill} />
          <div class="hn-actions">
            <button type="submit" class="krds-btn primary medium">
              {ot(ctx, 'submit')}
            </button>
          </div>
        </form>
      </section>
    </Layout>,
  );
}

export function renderApplications(ctx: PageContext, v: { applications: Application[] }) {
  const title = ot(ctx, 'list_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      {crumbs(ctx, [{ href: '/applications', label: title }])}
      <h1 class="hn-title" id="apps">
        {title}
      </h1>
      <p class="hn-lead">{ot(ctx, 'list_lead')}</p>
      {v.applications.length ? (
        <DataTable captionId="apps" columns={[ot(ctx, 'col_application'), ot(ctx, 'col_submitted'), ot(ctx, 'col_status')]}>
          {v.applications.map((a) => (
            <tr>
              <td>
                <a href={applicationPath(a.id)} class="hn-link">
                  {BUNDLES[a.bundle].name[ctx.lang]}
                </a>
              </td>
              <td>{seoul(a.registeredAt, ctx.lang)}</td>
              <td>
                <span class={`krds-badge ${STATUS_BADGE[a.status]}`}>{otAny(ctx, `status_${a.status}`)}</span>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{ot(ctx, 'list_none')}</p>
      )}
      <p>
        <a href="/apply" class="hn-link">
          {ot(ctx, 'apply_title')}
        </a>
      </p>
    </Layout>,
  );
}

/** A part's result in words (what was registered, changed or found). */
export function resultLines(ctx: PageContext, t: Task): string[] {
  const r = t.result;
  if (!r || t.status !== 'approved') return [];
  if (t.kind === 'birth.register') return [ot(ctx, 'result_child')];
  if (t.kind === 'birth.insurance') return [ot(ctx, 'result_insured')];
  if (t.kind.startsWith('birth.benefit.')) return [ot(ctx, 'result_granted')];
  if (t.kind === 'move.register') return [ot(ctx, 'result_address', { address: String(r.address ?? '') })];
  if (t.kind.startsWith('move.') || t.kind === 'death.insurance') return [ot(ctx, 'result_updated', { n: Number(r.updated ?? 0) })];
  if (t.kind === 'death.register') return [ot(ctx, 'result_death', { date: String(r.deathDate ?? '') })];
  const fmt = (n: unknown) => Number(n ?? 0).toLocaleString(ctx.lang === 'ko' ? 'ko-KR' : 'en-GB');
  if (t.kind === 'death.tax') return ((r.tax as Array<Record<string, unknown>>) ?? []).map((x) => ot(ctx, 'result_tax', { year: String(x.taxYear ?? ''), paid: fmt(x.totalPaid), arrears: fmt(x.arrears) }));
  if (t.kind === 'death.vehicle') {
    const vs = (r.vehicles as Array<Record<string, unknown>>) ?? [];
    return vs.length ? vs.map((x) => ot(ctx, 'result_vehicle', { plate: String(x.plateNumber ?? ''), model: String(x.model ?? '') })) : [ot(ctx, 'result_no_vehicle')];
  }
  return [];
}

export function PartsTable({ ctx, tasks, captionId }: { ctx: PageContext; tasks: Task[]; captionId: string }) {
  return (
    <DataTable captionId={captionId} columns={[ot(ctx, 'col_part'), ot(ctx, 'col_status'), ot(ctx, 'col_due'), ot(ctx, 'col_result')]}>
      {tasks.map((t) => (
        <tr>
          <td>
            {agencyName(t.agency, ctx.lang)}: {partTitle(t.kind)[ctx.lang]}
          </td>
          <td>{otAny(ctx, `part_${t.status}`)}</td>
          <td>{t.dueAt && (t.status === 'open' || t.status === 'waiting') ? seoul(t.dueAt, ctx.lang) : '—'}</td>
          <td>
            {[...resultLines(ctx, t), ...(t.note ? [t.note] : [])].map((line) => (
              <p>{line}</p>
            ))}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function History({ ctx, events, tasks }: { ctx: PageContext; events: AppEvent[]; tasks: Task[] }) {
  return (
    <DataTable captionId="history" columns={[ot(ctx, 'col_when'), ot(ctx, 'col_what')]}>
      {events.map((e) => {
        const part = e.taskId ? tasks.find((t) => t.id === e.taskId) : undefined;
        return (
          <tr>
            <td>{seoul(e.at, ctx.lang)}</td>
            <td>
              {otAny(ctx, `ev_${e.kind}`)}
              {part ? ` · ${agencyName(part.agency, ctx.lang)}: ${partTitle(part.kind)[ctx.lang]}` : ''}
              {e.note ? ` · ${e.note}` : ''}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

/** Each agency's part, as a section of the application's page (the citizen's and the official's). */
export function PartsSection({ ctx, tasks }: { ctx: PageContext; tasks: Task[] }) {
  return (
    <section class="hn-section" aria-labelledby="parts">
      <h2 id="parts" class="hn-subtitle">
        {ot(ctx, 'col_part')}
      </h2>
      <PartsTable ctx={ctx} tasks={tasks} captionId="parts" />
    </section>
  );
}

/** The application's history, as a section. */
export function HistorySection({ ctx, events, tasks }: { ctx: PageContext; events: AppEvent[]; tasks: Task[] }) {
  return (
    <section class="hn-section" aria-labelledby="history">
      <h2 id="history" class="hn-subtitle">
        {ot(ctx, 'history')}
      </h2>
      <History ctx={ctx} events={events} tasks={tasks} />
    </section>
  );
}

export function renderApplication(ctx: PageContext, v: { app: Application; tasks: Task[]; events: AppEvent[]; done?: 'submitted' | 'amended' | 'withdrawn'; values: FormValues; problems: FieldProblem[] }) {
  const b = BUNDLES[v.app.bundle];
  const title = b.name[ctx.lang];
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      {crumbs(ctx, [{ href: '/applications', label: ot(ctx, 'list_title') }, { href: applicationPath(v.app.id), label: title }])}
      <h1 class="hn-title">{title}</h1>
      <StatusNotice text={v.done ? ot(ctx, v.done === 'submitted' ? 'done_submitted' : v.done === 'amended' ? 'done_amended' : 'done_withdrawn') : undefined} />
      <ErrorSummary title={ot(ctx, 'error_title')} errors={v.problems.map((p) => ({ href: `#f-${p.field}`, text: problemText(ctx, p) }))} />
      <p>
        {ot(ctx, 'col_submitted')}: {seoul(v.app.registeredAt, ctx.lang)} · {ot(ctx, 'col_status')}:{' '}
        <span class={`krds-badge ${STATUS_BADGE[v.app.status]}`}>{otAny(ctx, `status_${v.app.status}`)}</span>
      </p>
      <PartsSection ctx={ctx} tasks={v.tasks} />
      {v.app.status === 'SENDBACK' ? (
        <section class="hn-section" aria-labelledby="amend">
          <h2 id="amend" class="hn-subtitle">
            {ot(ctx, 'sendback_title')}
          </h2>
          <p>{ot(ctx, 'sendback_text')}</p>
          <form method="post" action={`${applicationPath(v.app.id)}/amend`} class="hn-form" novalidate>
            <Csrf ctx={ctx} />
            {v.tasks.some((t) => t.status === 'approved') ? <p>{ot(ctx, 'sendback_settled')}</p> : <FormFields ctx={ctx} bundle={v.app.bundle} values={v.values} problems={v.problems} fixed />}
            <div class="hn-actions">
              <button type="submit" class="krds-btn primary medium">
                {ot(ctx, 'submit_amend')}
              </button>
            </div>
          </form>
        </section>
      ) : null}
      {!v.app.ended && !v.tasks.some((t) => t.status === 'approved' || t.status === 'rejected') ? (
        <section class="hn-section" aria-labelledby="withdraw">
          <h2 id="withdraw" class="hn-subtitle">
            {ot(ctx, 'withdraw_title')}
          </h2>
          <p>{ot(ctx, 'withdraw_text')}</p>
          <form method="post" action={`${applicationPath(v.app.id)}/withdraw`}>
            <Csrf ctx={ctx} />
            <button type="submit" class="krds-btn secondary medium">
              {ot(ctx, 'withdraw_button')}
            </button>
          </form>
        </section>
      ) : null}
      <HistorySection ctx={ctx} events={v.events} tasks={v.tasks} />
    </Layout>,
  );
}
