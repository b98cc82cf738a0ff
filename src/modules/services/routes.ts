import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireCitizen } from '../../platform/auth.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { pageContext } from '../../web/context.ts';
import { portalPages } from '../../web/module-pages.ts';
import { residentSummary } from '../registries/index.ts';
import { findService, listServices, type ServiceInfo } from './catalogue.ts';
import { isOptedIn, optIn, optOut, ruleInForce, screenCitizen, seoulDate, ymd, type Eligibility } from './engine.ts';
import { renderBenefits, renderCatalogue, renderService, type CatalogueQuery } from './pages-render.tsx';

/**
 * The public-service pages and JSON API (docs/services.md). The catalogue is public; a citizen's
 * eligibility is theirs only, and only once they asked for benefit alerts.
 */

const TAGS = ['services'];
const PAGE = 50;
const Id = z.object({ id: z.string().min(1).max(100) });
const Search = z.looseObject({ q: z.string().max(100).optional(), field: z.string().max(40).optional(), region: z.string().max(40).optional(), shown: z.coerce.number().int().min(PAGE).max(1000).optional() });
const Done = z.looseObject({ done: z.enum(['optin', 'optout']).optional() });
const Csrf = z.object({ _csrf: z.string().max(200).optional() });

/** Words, field and region: every word must appear in the name, agency, target or purpose (either language). */
export function searchServices(list: ServiceInfo[], q: CatalogueQuery): ServiceInfo[] {
  const words = q.q.toLowerCase().split(/\s+/).filter(Boolean);
  return list.filter((s) => {
    if (q.field && s.field !== q.field) return false;
    if (q.region === 'national' && s.region) return false;
    if (q.region && q.region !== 'national' && s.region?.sido !== q.region) return false;
    if (!words.length) return true;
    const hay = [s.name.ko, s.name.en, s.agencyName.ko, s.agencyName.en, s.target.ko, s.target.en, s.purpose.ko, s.purpose.en, s.region?.sido ?? '', s.region?.sigungu ?? ''].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

const presentResult = (r: Eligibility) => ({ id: r.service.id, name: r.service.name, outcome: r.outcome, ruleVersion: r.ruleVersion, missing: r.explanation.missing, clauses: r.explanation.clauses });

export async function servicesRoutes(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const { page, citizen, assets, demo } = portalPages(platform);

  // ---- pages ----
  app.get('/benefits', { schema: { hide: true, querystring: Done } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    const day = seoulDate();
    const optedIn = await isOptedIn(platform.db, who.me.id);
    const results = optedIn ? (await screenCitizen(platform, who.me.id, day)).results : undefined;
    return page(reply, who.ctx, renderBenefits(who.ctx, { optedIn, day, results, done: (req.query as z.infer<typeof Done>).done }));
  });
  app.post('/benefits/opt-in', { schema: { hide: true, body: Csrf } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    await optIn(platform.db, who.me.id);
    return reply.redirect('/benefits?done=optin', 303);
  });
  app.post('/benefits/opt-out', { schema: { hide: true, body: Csrf } }, async (req, reply) => {
    const who = await citizen(req, reply);
    if (!who) return;
    await optOut(platform.db, who.me.id);
    return reply.redirect('/benefits?done=optout', 303);
  });

  const publicContext = async (req: FastifyRequest, reply: FastifyReply) => {
    const actor = await req.actor();
    const name = actor.kind === 'citizen' ? ((await residentSummary(platform, actor.id))?.name ?? '') : actor.kind === 'official' ? actor.name : undefined;
    return { actor, ctx: pageContext(req, { assets, demo, form: reply, signedIn: name === undefined ? undefined : { name, official: actor.kind === 'official' } }) };
  };

  app.get('/services', { schema: { hide: true, querystring: Search } }, async (req, reply) => {
    const q = req.query as z.infer<typeof Search>;
    const query: CatalogueQuery = { q: (q.q ?? '').trim(), field: q.field ?? '', region: q.region ?? '' };
    const all = await listServices(platform.db);
    const found = searchServices(all, query);
    const shown = q.shown ?? PAGE;
    const more = found.length > shown ? `/services?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), ...(query.field ? { field: query.field } : {}), ...(query.region ? { region: query.region } : {}), shown: String(shown + PAGE) })}` : undefined;
    const { ctx } = await publicContext(req, reply);
    return reply.type('text/html; charset=utf-8').send(renderCatalogue(ctx, { query, total: all.length, found, shown, moreHref: more }));
  });

  app.get('/services/:id', { schema: { hide: true, params: Id } }, async (req, reply) => {
    const { id } = req.params as z.infer<typeof Id>;
    const service = await findService(platform.db, id);
    if (!service) throw new NotFoundError('no such service', 'service_not_found');
    const { actor, ctx } = await publicContext(req, reply);
    const day = seoulDate();
    const rule = await ruleInForce(platform.db, id, day);
    let mine: Eligibility | undefined;
    if (actor.kind === 'citizen' && (await isOptedIn(platform.db, actor.id))) mine = (await screenCitizen(platform, actor.id, day)).results.find((r) => r.service.id === id);
    const html = renderService(ctx, { service, rule: rule && { source: rule.rule.source, version: rule.version, effectiveFrom: rule.effectiveFrom }, mine, signedIn: actor.kind === 'citizen' });
    // personal when it shows the citizen's result
    if (actor.kind !== 'anonymous') reply.header('cache-control', 'private, no-store');
    return reply.type('text/html; charset=utf-8').send(html);
  });

  // ---- JSON API ----
  app.get('/api/services', { schema: { tags: TAGS, summary: 'The catalogue: every public service (public)', querystring: Search } }, async (req) => {
    const q = req.query as z.infer<typeof Search>;
    const found = searchServices(await listServices(platform.db), { q: (q.q ?? '').trim(), field: q.field ?? '', region: q.region ?? '' });
    return { total: found.length, services: found };
  });
  app.get('/api/services/:id', { schema: { tags: TAGS, summary: 'One service with the rule in force today (public)', params: Id } }, async (req) => {
    const { id } = req.params as z.infer<typeof Id>;
    const service = await findService(platform.db, id);
    if (!service) throw new NotFoundError('no such service', 'service_not_found');
    const rule = await ruleInForce(platform.db, id, seoulDate());
    return { ...service, rule: rule ? { source: rule.rule.source, version: rule.version, effectiveFrom: rule.effectiveFrom, facts: rule.rule.facts } : null };
  });
  app.get('/api/services/me/eligibility', { schema: { tags: TAGS, summary: "The signed-in citizen's eligibility for every service, with explanations (403 until they opt in)" } }, async (req) => {
    const me = await requireCitizen(req);
    const day = seoulDate();
    const { results } = await screenCitizen(platform, me.id, day);
    return { date: ymd(day), results: results.map(presentResult) };
  });
  app.put('/api/services/me/screening', { schema: { tags: TAGS, summary: 'Turn benefit alerts (eligibility screening) on or off', body: z.object({ optedIn: z.boolean() }) } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const { optedIn } = req.body as { optedIn: boolean };
    await (optedIn ? optIn : optOut)(platform.db, me.id);
    return reply.code(200).send({ optedIn });
  });
}
