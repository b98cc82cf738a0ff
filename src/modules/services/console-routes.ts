import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireOfficial, type Official } from '../../platform/auth.ts';
import { ForbiddenError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { sendPrivatePage, type PageContext } from '../../web/context.ts';
import { AGENCY_ADMINS, portalPages } from '../../web/module-pages.ts';
import { findService, listServices, type ServiceInfo } from './catalogue.ts';
import { ruleInForce, seoulDate, ymd } from './engine.ts';
import { renderConsoleServices, renderRuleEditor, rulePath, type EditorValues } from './pages-console.tsx';
import { publishVersion, RuleInvalidError, ruleVersions, saveDraft, tryRule } from './rule-versions.ts';

/**
 * Rule authoring (docs/services.md): an agency's administrators change their services' rules; a
 * platform administrator any service's. Pages under /console/services, the same operations as
 * JSON under /api/services/{id}/rules.
 */

const TAGS = ['services'];
const Id = z.object({ id: z.string().min(1).max(100) });
const Source = z.string().max(4000);
const EditorForm = z.object({ source: Source.optional(), note: z.string().max(500).optional(), action: z.enum(['try', 'save']).optional(), _csrf: z.string().max(200).optional() });
const PublishForm = z.object({ version: z.coerce.number().int().min(1), effectiveFrom: z.string().max(20).optional(), _csrf: z.string().max(200).optional() });
const Done = z.looseObject({ done: z.enum(['saved', 'published']).optional() });

const actorOf = (o: Official) => `official:${o.id}`;

export async function servicesConsoleRoutes(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const { official } = portalPages(platform);

  /** The service, if the official may author its rule: its agency's administrator, or a platform administrator. */
  async function authorised(actor: Official, id: string): Promise<ServiceInfo> {
    const service = await findService(platform.db, id);
    if (!service) throw new NotFoundError('no such service', 'service_not_found');
    const admin = actor.roles.includes('platform-admin');
    if (!admin && !(actor.agency === service.agency && actor.roles.includes('agency-admin'))) throw new ForbiddenError("only the service's agency administrators change its rule", 'forbidden');
    return service;
  }
  const admin = (req: FastifyRequest, reply: FastifyReply) => official(req, reply, AGENCY_ADMINS);
  const inForce = async (id: string) => {
    const r = await ruleInForce(platform.db, id, seoulDate());
    return r ? (await ruleVersions(platform.db, id)).find((v) => v.version === r.version) : undefined;
  };
  async function editor(reply: FastifyReply, ctx: PageContext, service: ServiceInfo, extra: { values?: Partial<EditorValues>; problem?: RuleInvalidError['problem']; dateError?: boolean; trials?: ReturnType<typeof tryRule>; done?: 'saved' | 'published' }, status = 200) {
    const versions = await ruleVersions(platform.db, service.id);
    const current = await inForce(service.id);
    const draft = versions.find((v) => v.status === 'draft');
    const values: EditorValues = { source: draft?.source ?? current?.source ?? '', note: draft?.note ?? '', effectiveFrom: ymd(seoulDate()), ...extra.values };
    return sendPrivatePage(reply, ctx.lang, renderRuleEditor(ctx, { service, inForce: current, versions, values, problem: extra.problem, dateError: extra.dateError, trials: extra.trials, done: extra.done }), status);
  }

  // ---- pages ----
  app.get('/console/services', { schema: { hide: true } }, async (req, reply) => {
    const who = await admin(req, reply);
    if (!who) return;
    const all = await listServices(platform.db);
    const mine = who.official.roles.includes('platform-admin') ? all : all.filter((s) => s.agency === who.official.agency);
    return sendPrivatePage(reply, who.ctx.lang, renderConsoleServices(who.ctx, { services: mine }));
  });
  app.get('/console/services/:id/rule', { schema: { hide: true, params: Id, querystring: Done } }, async (req, reply) => {
    const who = await admin(req, reply);
    if (!who) return;
    const service = await authorised(who.official, (req.params as z.infer<typeof Id>).id);
    return editor(reply, who.ctx, service, { done: (req.query as z.infer<typeof Done>).done });
  });
  app.post('/console/services/:id/rule', { schema: { hide: true, params: Id, body: EditorForm } }, async (req, reply) => {
    const who = await admin(req, reply);
    if (!who) return;
    const service = await authorised(who.official, (req.params as z.infer<typeof Id>).id);
    const b = req.body as z.infer<typeof EditorForm>;
    const values = { source: b.source ?? '', note: b.note ?? '' };
    try {
      if (b.action === 'save') {
        await saveDraft(platform.db, service.id, values.source, actorOf(who.official), values.note || undefined);
        return reply.redirect(`${rulePath(service.id)}?done=saved`, 303);
      }
      return editor(reply, who.ctx, service, { values, trials: tryRule(values.source) });
    } catch (e) {
      if (e instanceof RuleInvalidError) return editor(reply, who.ctx, service, { values, problem: e.problem }, 400);
      throw e;
    }
  });
  app.post('/console/services/:id/rule/publish', { schema: { hide: true, params: Id, body: PublishForm } }, async (req, reply) => {
    const who = await admin(req, reply);
    if (!who) return;
    const service = await authorised(who.official, (req.params as z.infer<typeof Id>).id);
    const b = req.body as z.infer<typeof PublishForm>;
    try {
      await publishVersion(platform.db, service.id, b.version, (b.effectiveFrom ?? '').trim(), actorOf(who.official));
      return reply.redirect(`${rulePath(service.id)}?done=published`, 303);
    } catch (e) {
      if (e instanceof PlatformError && (e.code === 'invalid_date' || e.code === 'effective_date_past')) return editor(reply, who.ctx, service, { values: { effectiveFrom: b.effectiveFrom ?? '' }, dateError: true }, 400);
      throw e;
    }
  });

  // ---- JSON API ----
  const apiOfficial = async (req: FastifyRequest) => authorised(await requireOfficial(req), (req.params as z.infer<typeof Id>).id);
  app.get('/api/services/:id/rules', { schema: { tags: TAGS, summary: "A service's rule versions (its agency's administrators)", params: Id } }, async (req) => {
    const service = await apiOfficial(req);
    return { service: service.id, versions: await ruleVersions(platform.db, service.id) };
  });
  app.post('/api/services/:id/rules/check', { schema: { tags: TAGS, summary: 'Check a rule and try it on the sample residents (nothing saved)', params: Id, body: z.object({ source: Source }) } }, async (req) => {
    await apiOfficial(req);
    const trials = tryRule((req.body as { source: string }).source);
    return { valid: true, trials: trials.map((r) => ({ persona: r.persona, outcome: r.outcome, missing: r.explanation.missing, clauses: r.explanation.clauses })) };
  });
  app.put('/api/services/:id/rules/draft', { schema: { tags: TAGS, summary: "Save the service's draft rule; 400 rule_invalid with its line and column when it does not check", params: Id, body: z.object({ source: Source, note: z.string().max(500).optional() }) } }, async (req) => {
    const service = await apiOfficial(req);
    const b = req.body as { source: string; note?: string };
    const actor = (await req.actor()) as Official;
    return saveDraft(platform.db, service.id, b.source, actorOf(actor), b.note);
  });
  app.post('/api/services/:id/rules/:version/publish', { schema: { tags: TAGS, summary: 'Publish a draft from a date (today or later)', params: z.object({ id: z.string().min(1).max(100), version: z.coerce.number().int().min(1) }), body: z.object({ effectiveFrom: z.string().max(20) }) } }, async (req) => {
    const service = await apiOfficial(req);
    const actor = (await req.actor()) as Official;
    return publishVersion(platform.db, service.id, (req.params as { version: number }).version, (req.body as { effectiveFrom: string }).effectiveFrom, actorOf(actor));
  });
}
