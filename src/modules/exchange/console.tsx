import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficial, type Official } from '../../platform/auth.ts';
import { BadRequestError, ForbiddenError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import { toProblem, wantsHtml } from '../../platform/http.ts';
import type { Platform } from '../../platform/platform.ts';
import { pageContext, requireForm, sendPrivatePage } from '../../web/context.ts';
import { devSignInPlugin } from '../../web/dev-sign-in.tsx';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { consoleMessages } from './console-messages.ts';
import { consolePath, type AgencyView } from './console-common.tsx';
import { renderConsole } from './console-pages.tsx';
import { agencyServices, findAgency, messageLog, rightsGranted, rightsReceived, type LogFilter } from './console-store.ts';
import { CODE, INSTANCE } from './directory-ids.ts';
import { findService, grantAccessRight, listMembers, listSubsystems, revokeAccessRight, type Member } from './directory.ts';
import { ExchangeError } from './management-messages.ts';
import { invalidateDirectoryCache } from './protocol-call.ts';

// The officials' console of the information mediator (`/console/exchange/{member}`): an agency's
// systems and services, the access rights it granted and received, and its recent exchanges.
// Officials of the agency may read it; its agency administrators may grant and revoke. In demo
// mode the plugin also brings `/dev/sign-in`, the stand-in for signing in.

const Params = z.object({ member: z.string().regex(CODE) });

/** An optional query field where an empty box (`?service=`) means "not given". */
const blank = <T extends z.ZodType<string>>(s: T) =>
  z.union([z.literal(''), s]).optional().transform((v) => (v === '' ? undefined : (v as z.output<T> | undefined)));
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SEQ = /^\d{1,18}$/;

// loose: `lang` and `contrast` are read by the platform's hooks and must survive validation
const PageQuery = z.looseObject({
  service: blank(z.string().max(300)),
  client: blank(z.string().max(300)),
  status: blank(z.enum(['ok', 'error'])),
  from: blank(z.string().regex(DAY).refine((d) => !Number.isNaN(Date.parse(d)))),
  to: blank(z.string().regex(DAY).refine((d) => !Number.isNaN(Date.parse(d)))),
  xRoadId: blank(z.string().max(200)),
  before: blank(z.string().regex(SEQ)),
  after: blank(z.string().regex(SEQ)),
  done: z.enum(['granted', 'exists', 'revoked']).optional(),
});

const GrantForm = z.object({
  service: z.string().min(1).max(300),
  client: z.string().min(1).max(300),
  legalBasis: z.string().max(200).optional(),
  requiresConsent: z.literal('on').optional(),
  _csrf: z.string().optional(),
});
const RevokeForm = z.object({ service: z.string().min(1).max(300), client: z.string().min(1).max(300), _csrf: z.string().optional() });

/** Grant and revoke are the providing agency's legal decision: its own administrators only, not a platform administrator. */
export const canManage = (actor: Official, m: Member): boolean => actor.agency === m.memberCode && actor.roles.includes('agency-admin');


export async function consolePlugin(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const { db } = platform;
  const demo = platform.config.mode === 'demo';
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const m = (req: FastifyRequest, key: Parameters<typeof consoleMessages>[1], params?: Record<string, string>) => consoleMessages(req.lang, key, params);

  // Directory errors in the caller's language; and in demo mode a browser without a signed-in
  // official gets a 401 page that leads to the demo sign-in. Anything else goes on to the
  // platform's handler (problem+json for programs, the error page for browsers).
  app.setErrorHandler((err, req, reply) => {
    const e = err instanceof ExchangeError ? err.in(req.lang) : err;
    if (demo && e instanceof PlatformError && e.status === 401 && wantsHtml(req)) {
      const ctx = pageContext(req, { assets, demo });
      req.log.info({ code: e.code, status: 401 }, 'request refused');
      return reply.status(401).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderConsole.signInNeeded(ctx, toProblem(e, req)));
    }
    throw e;
  });

  const agencies = async () => {
    const seen = new Set<string>();
    return (await listMembers(db, { instance: INSTANCE })).filter((x) => !seen.has(x.memberCode) && seen.add(x.memberCode)).map((x) => ({ code: x.memberCode, name: x.name }));
  };
  await app.register(devSignInPlugin, { platform, agencies, landing: consolePath });

  /** The official for `code`'s page (platform administrators for any), and the member it names. */
  async function agencyOf(req: FastifyRequest, code: string): Promise<{ actor: Official; member: Member }> {
    let actor: Official;
    try {
      actor = await requireOfficial(req, { agency: code });
    } catch (e) {
      if (e instanceof ForbiddenError) throw new ForbiddenError(m(req, 'forbidden_agency', { agency: code }));
      throw e;
    }
    const member = await findAgency(db, code);
    if (!member) throw new NotFoundError(m(req, 'unknown_agency', { agency: code }));
    return { actor, member };
  }

  /** As agencyOf, and the official must be that agency's administrator. */
  async function managerOf(req: FastifyRequest, code: string) {
    const found = await agencyOf(req, code);
    if (!canManage(found.actor, found.member)) throw new ForbiddenError(m(req, 'admin_only'));
    return found;
  }

  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/console/exchange', { schema: { hide: true, querystring: z.looseObject({ agency: z.string().max(64).optional() }) } }, async (req, reply) => {
    const actor = await requireOfficial(req);
    const wanted = req.query.agency || actor.agency;
    if (!CODE.test(wanted)) throw new BadRequestError(m(req, 'bad_agency'));
    return reply.redirect(consolePath(wanted), 303);
  });

  r.get('/console/exchange/:member', { schema: { hide: true, params: Params, querystring: PageQuery } }, async (req, reply) => {
    const { actor, member } = await agencyOf(req, req.params.member);
    const manage = canManage(actor, member);
    const [subsystems, services] = await Promise.all([listSubsystems(db, { memberId: member.id }), agencyServices(db, member)]);
    const q = req.query;
    const filter: LogFilter = { service: q.service, client: q.client, status: q.status, from: q.from, to: q.to, xRoadId: q.xRoadId, before: q.before, after: q.after };
    const [granted, received, log, clients, all] = await Promise.all([
      rightsGranted(db, services.map((s) => s.id)),
      rightsReceived(db, subsystems.map((s) => s.id)),
      messageLog(db, { subsystems: subsystems.map((s) => s.id), services: services.map((s) => s.id) }, filter),
      manage ? listSubsystems(db, { instance: INSTANCE }) : Promise.resolve([]),
      actor.roles.includes('platform-admin') ? agencies() : Promise.resolve(undefined),
    ]);
    // the header's sign-out needs a form token: this page always carries one
    const ctx = pageContext(req, { assets, demo, form: reply, signedIn: { name: actor.name, official: true } });
    const view: AgencyView = { member, actor, canManage: manage, agencies: all, subsystems, services, granted, received, clients, log: { filter, page: log }, done: q.done };
    // per official and full of who-may-read-what: never kept by any cache
    return sendPrivatePage(reply, ctx.lang, renderConsole.agency(ctx, view));
  });

  // the OpenAPI document of one of the agency's services, for its officials' browsers (the
  // GovStack getOpenAPI route serves programs and wants an X-GovStack-Client header)
  const ServiceParams = Params.extend({ subsystem: z.string().regex(CODE), service: z.string().regex(CODE) });
  r.get('/console/exchange/:member/services/:subsystem/:service/openapi.json', { schema: { hide: true, params: ServiceParams } }, async (req, reply) => {
    const { member } = await agencyOf(req, req.params.member);
    const service = await findService(db, `${member.id}/${req.params.subsystem}/${req.params.service}`);
    if (!service) throw new NotFoundError();
    return reply.type('application/json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify(service.openapi, null, 2));
  });

  r.post('/console/exchange/:member/rights', { schema: { hide: true, params: Params, body: GrantForm } }, async (req, reply) => {
    requireForm(req);
    const { actor, member } = await managerOf(req, req.params.member);
    const { created } = await grantAccessRight(platform, {
      actingMember: member.id,
      actor: `official:${actor.id}`,
      serviceId: req.body.service,
      clientId: req.body.client,
      legalBasis: req.body.legalBasis,
      requiresConsent: req.body.requiresConsent === 'on',
    });
    // this process's mediator sees the change at once (others within their cache's 2 s)
    invalidateDirectoryCache(platform);
    return done(reply, member, created ? 'granted' : 'exists');
  });

  r.post('/console/exchange/:member/rights/revoke', { schema: { hide: true, params: Params, body: RevokeForm } }, async (req, reply) => {
    requireForm(req);
    const { actor, member } = await managerOf(req, req.params.member);
    await revokeAccessRight(platform, { actingMember: member.id, actor: `official:${actor.id}`, serviceId: req.body.service, clientId: req.body.client });
    invalidateDirectoryCache(platform);
    return done(reply, member, 'revoked');
  });
}

/** After a change, back to the page (303: a reload does not post again), which says what happened. */
function done(reply: FastifyReply, member: Member, what: 'granted' | 'exists' | 'revoked') {
  return reply.redirect(`${consolePath(member.memberCode)}?done=${what}#rights-granted`, 303);
}
