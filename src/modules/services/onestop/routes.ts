import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficial, type Official } from '../../../platform/auth.ts';
import { PlatformError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { sendPrivatePage, type PageContext } from '../../../web/context.ts';
import { portalPages } from '../../../web/module-pages.ts';
import { residentSummary } from '../../registries/index.ts';
import { applicationsOf, changeApplication, FormInvalidError, submitApplication, withdrawApplication } from './applications.ts';
import { BUNDLE_CODES, type BundleCode, type FieldProblem } from './bundles.ts';
import { formData, freshValues, prefillValues, type FormValues } from './form-fields.tsx';
import { REGISTRATION } from './govstack.ts';
import { applicationPath, applyPath, renderApplication, renderApplications, renderApplyForm, renderApplyIndex } from './pages-apply.tsx';
import { QUEUE_STATUSES, renderQueue, renderTask, taskPath } from './pages-tasks.tsx';
import { readPrefill } from './registry-reads.ts';
import { applicationRow, eventsOf, isUuid, listTasks, tasksOf, type TaskStatus } from './store.ts';
import { assignTask, decideTask, mustWorkFor, taskFor } from './tasks.ts';

/**
 * The one-stop pages (docs/services.md): the citizen's forms and status under /apply and
 * /applications, the officials' queue under /console/tasks, and Hanaro's JSON for assignment
 * (the GovStack Registration API has no assignment operation).
 */

const BundleParam = z.object({ bundle: z.enum(BUNDLE_CODES as [BundleCode, ...BundleCode[]]) });
const IdParam = z.object({ id: z.string().max(100) });
const Posted = z.record(z.string(), z.union([z.string().max(2000), z.array(z.string().max(2000)).max(20)]));
const Done = z.looseObject({ done: z.enum(['submitted', 'amended', 'withdrawn', 'decided', 'assigned']).optional() });
const Queue = z.looseObject({ status: z.enum(QUEUE_STATUSES as [TaskStatus, ...TaskStatus[]]).or(z.literal('')).optional(), mine: z.string().max(5).optional(), overdue: z.string().max(5).optional() });
const AssignBody = z.object({ assignee: z.union([z.literal('me'), z.null(), z.object({ id: z.string().min(1).max(100), name: z.string().min(1).max(100) })]) });
const uuidLike = isUuid;

export async function onestopRoutes(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const { page, citizen, official } = portalPages(platform);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const docBase = REGISTRATION;

  // ---- the citizen's pages ----
  r.get('/apply', { schema: { hide: true } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    return page(reply, who.ctx, renderApplyIndex(who.ctx));
  });
  r.get('/apply/:bundle', { schema: { hide: true, params: BundleParam } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    return page(reply, who.ctx, renderApplyForm(who.ctx, { bundle: req.params.bundle, values: freshValues(req.params.bundle), problems: [], token: randomUUID() }));
  });
  // the applicant's consent: their records are read (and logged) only when they ask
  r.post('/apply/:bundle/prefill', { schema: { hide: true, params: BundleParam, body: Posted } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    const pre = await readPrefill(platform, who.me.id);
    return page(reply, who.ctx, renderApplyForm(who.ctx, { bundle: req.params.bundle, values: prefillValues(req.params.bundle, pre), problems: [], prefill: pre, token: randomUUID() }));
  });
  r.post('/apply/:bundle', { schema: { hide: true, params: BundleParam, body: Posted } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    const values = req.body as FormValues;
    const bundle = req.params.bundle;
    const token = typeof values._token === 'string' && uuidLike(values._token) ? values._token : randomUUID();
    try {
      const { application } = await submitApplication(platform, { bundle, applicantId: who.me.id, data: formData(bundle, values), idempotencyKey: `form:${token}`, actor: `citizen:${who.me.id}` });
      return reply.redirect(`${applicationPath(application.id)}?done=submitted`, 303);
    } catch (e) {
      if (!(e instanceof FormInvalidError)) throw e;
      // the family list comes back only if it was asked for (and is read again: nothing is kept in the page)
      const pre = values.prefilled === '1' ? await readPrefill(platform, who.me.id) : undefined;
      return page(reply, who.ctx, renderApplyForm(who.ctx, { bundle, values, problems: e.problems, prefill: pre, token }), 400);
    }
  });

  r.get('/applications', { schema: { hide: true } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    return page(reply, who.ctx, renderApplications(who.ctx, { applications: await applicationsOf(platform, who.me.id) }));
  });
  async function ownApplication(ctx: PageContext, me: string, id: string) {
    const a = uuidLike(id) ? await applicationRow(platform.db, platform.crypto, id) : undefined;
    if (!a || a.applicantId !== me) throw new PlatformError('not_found', 404, 'no such application');
    return { a, tasks: await tasksOf(platform.db, a.id), events: await eventsOf(platform.db, a.id), ctx };
  }
  const formValuesOf = (form: Record<string, unknown>): FormValues => Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : v === undefined ? undefined : String(v)]));
  r.get('/applications/:id', { schema: { hide: true, params: IdParam, querystring: Done } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    const { a, tasks, events } = await ownApplication(who.ctx, who.me.id, req.params.id);
    const done = req.query.done === 'submitted' || req.query.done === 'amended' || req.query.done === 'withdrawn' ? req.query.done : undefined;
    return page(reply, who.ctx, renderApplication(who.ctx, { app: a, tasks, events, done, values: formValuesOf(a.form), problems: [] }));
  });
  r.post('/applications/:id/amend', { schema: { hide: true, params: IdParam, body: Posted } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    const { a, tasks, events } = await ownApplication(who.ctx, who.me.id, req.params.id);
    const values = req.body as FormValues;
    try {
      await changeApplication(platform, { applicationId: a.id, by: { kind: 'applicant', citizenId: who.me.id }, data: formData(a.bundle, values), actor: `citizen:${who.me.id}` });
      return reply.redirect(`${applicationPath(a.id)}?done=amended`, 303);
    } catch (e) {
      if (!(e instanceof FormInvalidError)) throw e;
      return page(reply, who.ctx, renderApplication(who.ctx, { app: a, tasks, events, values: { ...formValuesOf(a.form), ...values }, problems: e.problems }), 400);
    }
  });

  r.post('/applications/:id/withdraw', { schema: { hide: true, params: IdParam, body: Posted } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    const { a } = await ownApplication(who.ctx, who.me.id, req.params.id);
    await withdrawApplication(platform, { applicationId: a.id, applicantId: who.me.id, actor: `citizen:${who.me.id}` });
    return reply.redirect(`${applicationPath(a.id)}?done=withdrawn`, 303);
  });

  // ---- the officials' console ----
  /** An official who handles applications: a case worker or administrator of an agency, or a platform administrator. */
  async function worker(req: FastifyRequest, reply: FastifyReply) {
    const w = await official(req, reply);
    if (w) mustWorkFor(w.official, w.official.agency);
    return w;
  }
  r.get('/console/tasks', { schema: { hide: true, querystring: Queue } }, async (req, reply) => {
    const w = await worker(req, reply);
    if (!w) return;
    const q = req.query;
    const filter = { status: q.status || undefined, mine: q.mine === '1', overdue: q.overdue === '1' };
    const admin = w.official.roles.includes('platform-admin');
    const tasks = await listTasks(platform.db, { agency: admin ? undefined : w.official.agency, statuses: filter.status ? [filter.status] : ['open', 'sendback', 'waiting'], assigneeId: filter.mine ? w.official.id : undefined, overdueOnly: filter.overdue }, { first: 0, max: 200 });
    const rows = [];
    for (const t of tasks) rows.push({ task: t, app: (await applicationRow(platform.db, platform.crypto, t.applicationId))! });
    return sendPrivatePage(reply, w.ctx.lang, renderQueue(w.ctx, { official: w.official, tasks: rows, filter, now: new Date() }));
  });
  async function taskPage(reply: FastifyReply, w: { official: Official; ctx: PageContext }, id: string, extra: { problems?: FieldProblem[]; values?: { decision?: string; note?: string }; done?: 'decided' | 'assigned' } = {}, status = 200) {
    const task = await taskFor(platform, w.official, id);
    const app = (await applicationRow(platform.db, platform.crypto, task.applicationId))!;
    // names for the people the form names (the applicant, a spouse, the deceased): from the resident registry
    const ids = [app.applicantId, ...Object.values(app.form).filter((v): v is string => typeof v === 'string' && uuidLike(v))];
    const names: Record<string, string> = {};
    for (const pid of new Set(ids)) {
      const s = await residentSummary(platform, pid);
      if (s) names[pid] = s.name;
    }
    const html = renderTask(w.ctx, { official: w.official, task, app, tasks: await tasksOf(platform.db, app.id), events: await eventsOf(platform.db, app.id), applicantName: names[app.applicantId] ?? app.applicantId, names, problems: extra.problems ?? [], values: extra.values ?? {}, done: extra.done, documentBase: docBase });
    return sendPrivatePage(reply, w.ctx.lang, html, status);
  }
  r.get('/console/tasks/:id', { schema: { hide: true, params: IdParam, querystring: Done } }, async (req, reply) => {
    const w = await worker(req, reply);
    if (!w) return;
    const done = req.query.done === 'decided' || req.query.done === 'assigned' ? req.query.done : undefined;
    return taskPage(reply, w, req.params.id, { done });
  });
  r.post('/console/tasks/:id/decide', { schema: { hide: true, params: IdParam, body: Posted } }, async (req, reply) => {
    const w = await worker(req, reply);
    if (!w) return;
    const body = req.body as Record<string, unknown>;
    const decision = typeof body.decision === 'string' && ['approve', 'reject', 'sendback'].includes(body.decision) ? (body.decision as 'approve' | 'reject' | 'sendback') : undefined;
    const values = { decision, note: typeof body.note === 'string' ? body.note : '' };
    if (!decision) return taskPage(reply, w, req.params.id, { problems: [{ field: 'decision', code: 'decision' }], values }, 400);
    try {
      await decideTask(platform, w.official, req.params.id, { decision, note: values.note });
    } catch (e) {
      if (e instanceof PlatformError && (e.code === 'note_required' || e.code === 'note_too_long')) {
        return taskPage(reply, w, req.params.id, { problems: [{ field: 'note', code: e.code === 'note_required' ? 'note_required' : 'too_long' }], values }, 400);
      }
      throw e;
    }
    return reply.redirect(`${taskPath(req.params.id)}?done=decided`, 303);
  });
  r.post('/console/tasks/:id/assign', { schema: { hide: true, params: IdParam, body: Posted } }, async (req, reply) => {
    const w = await worker(req, reply);
    if (!w) return;
    const raw = req.body as Record<string, unknown>;
    // a field sent twice arrives as a list: only single values count
    const field = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
    const body = { action: field('action'), assigneeId: field('assigneeId'), assigneeName: field('assigneeName') };
    const to = body.action === 'me' ? 'me' : body.action === 'to' && body.assigneeId && body.assigneeName ? { id: body.assigneeId, name: body.assigneeName } : null;
    if (body.action === 'to' && !to) return taskPage(reply, w, req.params.id, { problems: [{ field: 'assigneeId', code: 'required' }] }, 400);
    await assignTask(platform, w.official, req.params.id, to);
    return reply.redirect(`${taskPath(req.params.id)}?done=assigned`, 303);
  });

  // ---- JSON ----
  r.post(
    '/api/services/tasks/:id/assign',
    { schema: { tags: ['services'], summary: 'Assign a one-stop task: "me" (a case worker takes it), null (back to the queue), or {id, name} (agency administrators)', params: IdParam, body: AssignBody } },
    async (req) => {
      const official = await requireOfficial(req);
      const t = await assignTask(platform, official, req.params.id, req.body.assignee);
      return { taskId: t.id, assigneeId: t.assigneeId, assigneeName: t.assigneeName, status: t.status };
    },
  );
}
