import type { Official } from '../../../platform/auth.ts';
import { Breadcrumb, DataTable, ErrorSummary, Layout, StatusNotice } from '../../../web/components.tsx';
import type { PageContext } from '../../../web/context.ts';
import { renderDocument } from '../../../web/pages.tsx';
import { Csrf } from '../pages-render.tsx';
import { BUNDLES, partTitle, type FieldProblem } from './bundles.ts';
import { problemText } from './form-fields.tsx';
import { ot, otAny } from './messages.ts';
import { agencyName, HistorySection, PartsSection, seoul } from './pages-apply.tsx';
import type { AppEvent, Application, Task, TaskStatus } from './store.ts';

// The officials' console for one-stop applications: /console/tasks (the agency's queue, most
// escalated and nearest due first; filters by status, mine, overdue) and /console/tasks/{id} (the
// application, the other agencies' parts, the history; take or assign the part; approve, refuse or
// ask for more with a note for the applicant). Forms work without JavaScript.

export const taskPath = (id: string) => `/console/tasks/${id}`;
export const QUEUE_STATUSES: TaskStatus[] = ['open', 'sendback', 'waiting', 'approved', 'rejected', 'cancelled'];

export interface QueueFilter {
  status?: TaskStatus;
  mine?: boolean;
  overdue?: boolean;
}

const crumbs = (ctx: PageContext, more: Array<{ href: string; label: string }> = []) => (
  <Breadcrumb ctx={ctx} trail={[{ href: '/console', label: ctx.lang === 'ko' ? '공무원 업무 화면' : 'Console' }, { href: '/console/tasks', label: ot(ctx, 'tasks_title') }, ...more]} />
);

export function renderQueue(ctx: PageContext, v: { official: Official; tasks: Array<{ task: Task; app: Application }>; filter: QueueFilter; now: Date }) {
  const title = ot(ctx, 'tasks_title');
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      {crumbs(ctx)}
      <h1 class="hn-title" id="queue">
        {title}
      </h1>
      <p class="hn-lead">{ot(ctx, 'tasks_lead', { agency: agencyName(v.official.agency, ctx.lang) })}</p>
      <form method="get" action="/console/tasks" class="hn-form hn-filters">
        <div class="form-group">
          <div class="form-tit">
            <label for="status">{ot(ctx, 'filter_status')}</label>
          </div>
          <div class="form-conts">
            <select id="status" name="status" class="krds-form-select">
              <option value="">{ot(ctx, 'filter_all')}</option>
              {QUEUE_STATUSES.map((s) => (
                <option value={s} selected={v.filter.status === s}>
                  {otAny(ctx, `part_${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="krds-form-check medium">
          <input type="checkbox" id="mine" name="mine" value="1" checked={!!v.filter.mine} />
          <label for="mine">{ot(ctx, 'filter_mine')}</label>
        </div>
        <div class="krds-form-check medium">
          <input type="checkbox" id="overdue" name="overdue" value="1" checked={!!v.filter.overdue} />
          <label for="overdue">{ot(ctx, 'filter_overdue')}</label>
        </div>
        <button type="submit" class="krds-btn secondary medium">
          {ot(ctx, 'filter_button')}
        </button>
      </form>
      {v.tasks.length ? (
        <DataTable captionId="queue" columns={[ot(ctx, 'col_part'), ot(ctx, 'col_application'), ot(ctx, 'col_status'), ot(ctx, 'col_due'), ot(ctx, 'col_assignee')]}>
          {v.tasks.map(({ task: t, app }) => (
            <tr>
              <td>
                <a href={taskPath(t.id)} class="hn-link">
                  {partTitle(t.kind)[ctx.lang]}
                </a>
              </td>
              <td>
                {BUNDLES[app.bundle].name[ctx.lang]} ({seoul(app.registeredAt, ctx.lang)})
              </td>
              <td>{otAny(ctx, `part_${t.status}`)}</td>
              <td>
                {t.dueAt ? seoul(t.dueAt, ctx.lang) : '—'}
                {t.status === 'open' && t.dueAt && t.dueAt < v.now ? (
                  <>
                    {' '}
                    <span class="krds-badge bg-light-danger">{ot(ctx, 'overdue')}</span>
                  </>
                ) : null}
                {t.escalation > 0 ? (
                  <>
                    {' '}
                    <span class="krds-badge bg-light-warning">{ot(ctx, 'escalated', { n: t.escalation })}</span>
                  </>
                ) : null}
              </td>
              <td>{t.assigneeName ?? ot(ctx, 'unassigned')}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{ot(ctx, 'tasks_none')}</p>
      )}
    </Layout>,
  );
}

/** A coded value in words (a benefit, a registry, a sex); other values as they are. */
const VALUE_KEYS: Record<string, string> = { benefits: 'benefit_', addressChanges: 'target_', inquiries: 'inquiry_', childSex: 'sex_' };
function valueText(ctx: PageContext, field: string, value: string): string {
  const prefix = VALUE_KEYS[field];
  if (!prefix) return value;
  const text = otAny(ctx, `${prefix}${value}`);
  return text === `${prefix}${value}` ? value : text;
}

/** The application's form as label and value lines (ids of people shown as their names when known). */
function FormSummary({ ctx, app, names }: { ctx: PageContext; app: Application; names: Record<string, string> }) {
  const shown = Object.entries(app.form).filter(([k]) => k !== 'childId');
  return (
    <dl class="hn-facts">
      {shown.map(([k, val]) => (
        <>
          <dt>{otAny(ctx, `f_${k}`)}</dt>
          <dd>{Array.isArray(val) ? val.map((x) => valueText(ctx, k, String(x))).join(', ') || '—' : typeof val === 'string' && names[val] ? names[val] : valueText(ctx, k, String(val))}</dd>
        </>
      ))}
    </dl>
  );
}

export function renderTask(
  ctx: PageContext,
  v: { official: Official; task: Task; app: Application; tasks: Task[]; events: AppEvent[]; applicantName: string; names: Record<string, string>; problems: FieldProblem[]; values: { decision?: string; note?: string }; done?: 'decided' | 'assigned'; documentBase: string },
) {
  const t = v.task;
  const title = `${partTitle(t.kind)[ctx.lang]} · ${agencyName(t.agency, ctx.lang)}`;
  const admin = v.official.roles.includes('agency-admin') || v.official.roles.includes('platform-admin');
  const mine = t.assigneeId === v.official.id;
  const after = t.afterKind ? partTitle(t.afterKind)[ctx.lang] : '';
  return renderDocument(
    <Layout ctx={ctx} title={title}>
      {crumbs(ctx, [{ href: taskPath(t.id), label: partTitle(t.kind)[ctx.lang] }])}
      <h1 class="hn-title">{title}</h1>
      <StatusNotice text={v.done ? ot(ctx, v.done === 'decided' ? 'done_decided' : 'done_assigned') : undefined} />
      <ErrorSummary title={ot(ctx, 'error_title')} errors={v.problems.map((p) => ({ href: `#f-${p.field}`, text: problemText(ctx, p) }))} />
      <p>
        {BUNDLES[v.app.bundle].name[ctx.lang]} · {ot(ctx, 'task_applicant')}: {v.applicantName} · {ot(ctx, 'col_status')}: {otAny(ctx, `part_${t.status}`)} · {ot(ctx, 'col_assignee')}: {t.assigneeName ?? ot(ctx, 'unassigned')}
      </p>
      <section class="hn-section" aria-labelledby="form">
        <h2 id="form" class="hn-subtitle">
          {ot(ctx, 'task_form')}
        </h2>
        <FormSummary ctx={ctx} app={v.app} names={v.names} />
        {v.app.documents.length ? (
          <>
            <h3 class="hn-subtitle">{ot(ctx, 'documents')}</h3>
            <ul>
              {v.app.documents.map((d, i) => (
                <li>
                  <a href={`${v.documentBase}/documents/${d}`} class="hn-link">
                    {ot(ctx, 'documents')} {i + 1}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      {['open', 'waiting', 'sendback'].includes(t.status) ? (
        <section class="hn-section" aria-labelledby="assign">
          <h2 id="assign" class="hn-subtitle">
            {ot(ctx, 'col_assignee')}
          </h2>
          <form method="post" action={`${taskPath(t.id)}/assign`} class="hn-actions">
            <Csrf ctx={ctx} />
            {mine || (admin && t.assigneeId) ? (
              <button type="submit" name="action" value="release" class="krds-btn secondary medium">
                {ot(ctx, 'task_release')}
              </button>
            ) : null}
            {!mine && (!t.assigneeId || admin) ? (
              <button type="submit" name="action" value="me" class="krds-btn secondary medium">
                {ot(ctx, 'task_assign_me')}
              </button>
            ) : null}
          </form>
          {admin ? (
            <form method="post" action={`${taskPath(t.id)}/assign`} class="hn-form">
              <Csrf ctx={ctx} />
              <input type="hidden" name="action" value="to" />
              <div class="form-group">
                <div class="form-tit">
                  <label for="f-assigneeId">{ot(ctx, 'task_assign_id')}</label>
                </div>
                <div class="form-conts">
                  <input type="text" id="f-assigneeId" name="assigneeId" class="krds-input" maxLength={100} required />
                </div>
              </div>
              <div class="form-group">
                <div class="form-tit">
                  <label for="f-assigneeName">{ot(ctx, 'task_assign_name')}</label>
                </div>
                <div class="form-conts">
                  <input type="text" id="f-assigneeName" name="assigneeName" class="krds-input" maxLength={100} required />
                </div>
              </div>
              <button type="submit" class="krds-btn secondary medium">
                {ot(ctx, 'task_assign_to')}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
      <section class="hn-section" aria-labelledby="decide">
        <h2 id="decide" class="hn-subtitle">
          {ot(ctx, 'task_decide')}
        </h2>
        {t.status === 'open' ? (
          <form method="post" action={`${taskPath(t.id)}/decide`} class="hn-form" novalidate>
            <Csrf ctx={ctx} />
            <fieldset class="form-group">
              <legend class="form-tit">{ot(ctx, 'decision')}</legend>
              {v.problems.some((p) => p.field === 'decision') ? (
                <p class="form-hint is-error" id="f-decision-error">
                  {problemText(ctx, v.problems.find((p) => p.field === 'decision')!)}
                </p>
              ) : null}
              {(['approve', 'sendback', 'reject'] as const).map((d, i) => (
                <div class="krds-form-check medium">
                  <input type="radio" id={i === 0 ? 'f-decision' : `f-decision-${d}`} name="decision" value={d} checked={v.values.decision === d} />
                  <label for={i === 0 ? 'f-decision' : `f-decision-${d}`}>{ot(ctx, `decision_${d}`)}</label>
                </div>
              ))}
            </fieldset>
            <div class="form-group">
              <div class="form-tit">
                <label for="f-note">{ot(ctx, 'note')}</label>
              </div>
              <p class="form-hint" id="f-note-hint">
                {ot(ctx, 'note_hint')}
              </p>
              {v.problems.some((p) => p.field === 'note') ? (
                <p class="form-hint is-error" id="f-note-error">
                  {problemText(ctx, v.problems.find((p) => p.field === 'note')!)}
                </p>
              ) : null}
              <div class={`form-conts${v.problems.some((p) => p.field === 'note') ? ' is-error' : ''}`}>
                <textarea id="f-note" name="note" rows={3} class="krds-input" maxLength={2000} aria-describedby={v.problems.some((p) => p.field === 'note') ? 'f-note-hint f-note-error' : 'f-note-hint'} aria-invalid={v.problems.some((p) => p.field === 'note') ? 'true' : undefined}>
                  {v.values.note ?? ''}
                </textarea>
              </div>
            </div>
            <button type="submit" class="krds-btn primary medium">
              {ot(ctx, 'decide_button')}
            </button>
          </form>
        ) : t.status === 'waiting' ? (
          <p>{ot(ctx, 'task_waiting', { after })}</p>
        ) : (
          <p>{ot(ctx, 'task_closed', { status: otAny(ctx, `part_${t.status}`) })}</p>
        )}
      </section>
      <PartsSection ctx={ctx} tasks={v.tasks} />
      <HistorySection ctx={ctx} events={v.events} tasks={v.tasks} />
    </Layout>,
  );
}
