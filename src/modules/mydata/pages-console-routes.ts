import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Official } from '../../platform/auth.ts';
import { ForbiddenError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { officialOrSignIn, pageContext, requireForm, sendPrivatePage, type PageContext, type ShellAssets } from '../../web/context.ts';
import { listAccessRights } from '../exchange/index.ts';
import { residentSummary } from '../registries/index.ts';
import { officialLookup } from './lookup.ts';
import { agencyName, registriesOf, t, type FieldError } from './pages-common.tsx';
import { correctionsPath, renderCorrectionQueue, renderLookup, type LookupView } from './pages-console.tsx';
import { correctionQueue, decideCorrection } from './self.ts';

// The routes of the MyData console pages (pages-console.tsx renders them): an agency's correction
// queue for its case workers and administrators, and the legal-basis look-up for its
// information-sharing officers. Registered by mydataPages (pages.tsx).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AgencyParams = z.object({ agency: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,29}$/) });
const text = (max: number) => z.string().max(max).optional();
const Csrf = { _csrf: z.string().optional() };

export async function mydataConsolePages(app: FastifyInstance, opts: { platform: Platform; assets: ShellAssets; demo: boolean }): Promise<void> {
  const { platform, assets, demo } = opts;
  const page = (reply: FastifyReply, ctx: PageContext, html: string, status = 200) => sendPrivatePage(reply, ctx.lang, html, status);

  /**
   * An official of the agency itself holding one of `roles`: the queue and the look-ups are the
   * agency's, so an official of another agency (a platform administrator too) gets 403. Nobody
   * signed in is sent to sign in (GET).
   */
  async function officialFor(req: FastifyRequest, reply: FastifyReply, agency: string, roles: Official['roles']): Promise<{ actor: Official; ctx: PageContext } | undefined> {
    if (req.method === 'POST') requireForm(req);
    const actor = await officialOrSignIn(req, reply);
    if (!actor) return undefined;
    if (actor.agency !== agency || !actor.roles.some((r) => roles.includes(r))) throw new ForbiddenError(`only ${roles.join(' or ')} officials of ${agency}`, 'forbidden');
    return { actor, ctx: pageContext(req, { assets, demo, form: reply, signedIn: { name: actor.name, official: true } }) };
  }
  const QUEUE_ROLES: Official['roles'] = ['case-worker', 'agency-admin'];

  const QueueQuery = z.looseObject({ done: z.enum(['accepted', 'rejected']).optional() });
  app.get('/console/mydata/:agency/corrections', { schema: { hide: true, params: AgencyParams, querystring: QueueQuery } }, async (req, reply) => {
    const { agency } = req.params as z.infer<typeof AgencyParams>;
    const o = await officialFor(req, reply, agency, QUEUE_ROLES);
    if (!o) return reply;
    const queue = await correctionQueue(platform.db, agency);
    const corrections = await Promise.all(queue.map(async (c) => ({ ...c, name: (await residentSummary(platform, c.citizenId))?.name ?? '' })));
    const done = (req.query as z.infer<typeof QueueQuery>).done;
    return page(reply, o.ctx, renderCorrectionQueue(o.ctx, { agency, agencyName: agencyName(agency, o.ctx.lang), corrections, regs: await registriesOf(platform), done }));
  });
  const DecideParams = AgencyParams.extend({ id: z.string().max(64) });
  const DecideForm = z.object({ decision: z.enum(['accept', 'reject']), note: text(1000), ...Csrf });
  app.post('/console/mydata/:agency/corrections/:id/decide', { schema: { hide: true, params: DecideParams, body: DecideForm } }, async (req, reply) => {
    const { agency, id } = req.params as z.infer<typeof DecideParams>;
    const o = (await officialFor(req, reply, agency, QUEUE_ROLES))!;
    const b = req.body as z.infer<typeof DecideForm>;
    const note = b.note?.trim();
    await decideCorrection(platform, o.actor, id, { accept: b.decision === 'accept', ...(note ? { note } : {}) });
    return reply.redirect(`${correctionsPath(agency)}?done=${b.decision === 'accept' ? 'accepted' : 'rejected'}`, 303);
  });

  /** The registry services the agency's own subsystems may read on a legal basis (not on consent). */
  async function lookupServices(agency: string): Promise<LookupView['services']> {
    const regs = await registriesOf(platform);
    const rights = (await listAccessRights(platform.db)).filter((r) => r.clientId.startsWith(`KR/GOV/${agency}/`) && !r.requiresConsent && r.legalBasis && regs.get(r.serviceId)?.personal);
    const byService = new Map<string, string>();
    for (const r of rights) if (!byService.has(r.serviceId)) byService.set(r.serviceId, r.legalBasis!);
    return [...byService].map(([service, legalBasis]) => ({ service, legalBasis }));
  }
  const LOOKUP_ROLES: Official['roles'] = ['information-sharing'];
  app.get('/console/mydata/:agency/lookup', { schema: { hide: true, params: AgencyParams } }, async (req, reply) => {
    const { agency } = req.params as z.infer<typeof AgencyParams>;
    const o = await officialFor(req, reply, agency, LOOKUP_ROLES);
    if (!o) return reply;
    return page(reply, o.ctx, renderLookup(o.ctx, { agency, agencyName: agencyName(agency, o.ctx.lang), services: await lookupServices(agency), regs: await registriesOf(platform), errors: [] }));
  });
  const LookupForm = z.object({ citizenId: text(200), service: text(200), purpose: text(1000), ...Csrf });
  app.post('/console/mydata/:agency/lookup', { schema: { hide: true, params: AgencyParams, body: LookupForm } }, async (req, reply) => {
    const { agency } = req.params as z.infer<typeof AgencyParams>;
    const o = (await officialFor(req, reply, agency, LOOKUP_ROLES))!;
    const ctx = o.ctx;
    const b = req.body as z.infer<typeof LookupForm>;
    const values = { citizenId: (b.citizenId ?? '').trim().toLowerCase(), service: b.service ?? '', purpose: (b.purpose ?? '').trim() };
    const services = await lookupServices(agency);
    const regs = await registriesOf(platform);
    const errors: FieldError[] = [];
    if (!UUID.test(values.citizenId)) errors.push({ href: '#lookup-citizen', text: t(ctx, 'error_citizen') });
    if (!services.some((s) => s.service === values.service)) errors.push({ href: '#lookup-service', text: t(ctx, 'error_service') });
    if (values.purpose.length < 3 || values.purpose.length > 200) errors.push({ href: '#lookup-purpose', text: t(ctx, 'error_purpose') });
    const view = { agency, agencyName: agencyName(agency, ctx.lang), services, regs, values };
    if (errors.length) return page(reply, ctx, renderLookup(ctx, { ...view, errors }), 400);
    try {
      const result = await officialLookup(platform, o.actor, values);
      return page(reply, ctx, renderLookup(ctx, { ...view, errors: [], result: { ...result, service: values.service } }));
    } catch (e) {
      if (!(e instanceof PlatformError) || (e.status >= 500 && e.code !== 'source_unavailable')) throw e;
      const key = e.code === 'no_legal_basis' ? 'error_no_basis' : e.code === 'source_unavailable' ? 'error_unavailable' : 'error_lookup';
      return page(reply, ctx, renderLookup(ctx, { ...view, errors: [{ href: e.code === 'no_legal_basis' ? '#lookup-service' : '#lookup-citizen', text: t(ctx, key) }] }), e.status);
    }
  });
}
