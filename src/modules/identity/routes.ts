import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { NotFoundError, PlatformError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { pageContext, requestLang, requireForm, sendPrivatePage } from '../../web/context.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { residentSummary, sampleCitizen } from '../registries/index.ts';
import { ensureCitizenAccount } from './accounts.ts';
import { createProvider } from './oidc.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { EnrolmentFailedError, redeemEnrolmentCode, TooManyAttemptsError } from './enrolment.ts';
import type { MessageKey } from './messages.ts';
import { renderAccount, renderEnrol, renderSignIn, type EnrolForm } from './pages.tsx';
import { authenticationOptions, finishAuthentication, finishRegistration, listPasskeys, registrationOptions, removePasskey, renamePasskey } from './passkeys.ts';
import { cookieSettings, createSessionStore, requireRecentAuthentication, sessionOf, setSessionCookie, type Session } from './sessions.ts';

const CLIENT_JS = readFileSync(new URL('./passkeys.client.js', import.meta.url));
const DONE: Record<string, MessageKey> = { added: 'done_added', removed: 'done_removed', renamed: 'done_renamed', enrolled: 'done_enrolled', 'signed-out': 'signed_out' };
const Csrf = z.object({ _csrf: z.string().optional() });

/** Where to go after signing in: only our own account page or a single sign-on interaction. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(account|oidc\/interaction\/[A-Za-z0-9_-]{1,100})$/.test(next) ? next : undefined;
}
const PasskeyParams = z.object({ id: z.string().min(1).max(512) });

/**
 * Identity routes: the sign-in, enrolment and account pages, the passkey JSON endpoints the island
 * calls, sign-out, and (demo mode only) signing in as a synthetic resident. Every page that shows
 * or changes an account needs that account's session; the JSON endpoints answer problem+json.
 */
export async function identityRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const demo = platform.config.mode === 'demo';
  const store = createSessionStore(platform);
  const cookie = cookieSettings(platform.config.publicUrl);
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const session = (req: FastifyRequest) => sessionOf(req, store, cookie.name);

  // the signed-in person, for every route of every module
  app.addActorResolver(async (req) => (await session(req))?.actor);

  // single sign-on for agency and private services
  await app.register(oidcRoutes, { platform, provider: await createProvider(platform), session });

  // every page here is about the person asking (or carries a form token): never cached
  const page = (req: FastifyRequest, reply: FastifyReply, html: string, status = 200) => sendPrivatePage(reply, requestLang(req), html, status);
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, { assets, demo, form: reply });
  const done = (q: unknown) => DONE[String((q as { done?: string }).done ?? '')];

  async function citizenSession(req: FastifyRequest): Promise<Session & { actor: { kind: 'citizen'; id: string } }> {
    const s = await session(req);
    if (!s || s.actor.kind !== 'citizen') throw new UnauthorizedError('sign in as a citizen first', 'sign_in_required');
    return s as Session & { actor: { kind: 'citizen'; id: string } };
  }

  const startSession = async (reply: FastifyReply, accountId: string, method: Session['method'], tx?: Db) => {
    setSessionCookie(reply, cookie, await store.start(accountId, method, tx));
  };

  r.get('/identity/passkeys.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(CLIENT_JS),
  );

  r.get('/sign-in', { schema: { hide: true } }, async (req, reply) => {
    const html = renderSignIn(ctxOf(req, reply), { demoCitizens: demo, done: done(req.query), next: safeNext((req.query as { next?: string }).next) });
    return page(req, reply, html);
  });

  // ---- enrolment with a code ----------------------------------------------------------------
  const EnrolBody = z.object({ code: z.string().max(40).optional(), rrn: z.string().max(40).optional(), _csrf: z.string().optional() });
  r.get('/enrol', { schema: { hide: true } }, async (req, reply) => page(req, reply, renderEnrol(ctxOf(req, reply), { errors: [] })));
  r.post('/enrol', { schema: { hide: true, body: EnrolBody } }, async (req, reply) => {
    requireForm(req);
    const code = (req.body.code ?? '').trim();
    const rrn = (req.body.rrn ?? '').trim();
    const errors: EnrolForm['errors'] = [];
    if (!code) errors.push({ href: '#enrol-code', key: 'required_code' });
    if (!rrn) errors.push({ href: '#enrol-rrn', key: 'required_rrn' });
    if (errors.length) return page(req, reply, renderEnrol(ctxOf(req, reply), { code, errors }), 400);
    try {
      await redeemEnrolmentCode(platform, { code, rrn, address: req.ip }, async (tx, done) => startSession(reply, done.accountId, 'enrolment', tx));
    } catch (e) {
      if (e instanceof TooManyAttemptsError) return page(req, reply, renderEnrol(ctxOf(req, reply), { code, errors: [{ href: '#enrol-code', key: 'too_many_attempts' }] }), 429);
      if (e instanceof EnrolmentFailedError) return page(req, reply, renderEnrol(ctxOf(req, reply), { code, errors: [{ href: '#enrol-code', key: 'enrolment_failed' }] }), 400);
      throw e;
    }
    return reply.redirect('/account?done=enrolled#passkeys', 303);
  });

  // ---- the account page ---------------------------------------------------------------------
  r.get('/account', { schema: { hide: true } }, async (req, reply) => {
    const s = await session(req);
    if (!s || s.actor.kind !== 'citizen') return reply.redirect('/sign-in', 303);
    const [resident, passkeys, sessions] = await Promise.all([residentSummary(platform, s.actor.id), listPasskeys(platform.db, s.accountId), store.count(s.accountId)]);
    const html = renderAccount(ctxOf(req, reply), { name: resident?.name ?? '', passkeys, sessions, done: done(req.query) });
    return page(req, reply, html);
  });

  const Rename = z.object({ name: z.string().max(200).optional(), _csrf: z.string().optional() });
  r.post('/account/passkeys/:id/name', { schema: { hide: true, params: PasskeyParams, body: Rename } }, async (req, reply) => {
    requireForm(req);
    const s = await citizenSession(req);
    await renamePasskey(platform.db, s.accountId, req.params.id, req.body.name ?? '');
    return reply.redirect('/account?done=renamed#passkeys', 303);
  });

  r.post('/account/passkeys/:id/delete', { schema: { hide: true, params: PasskeyParams, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    // removing a way in is sensitive: it needs a recent passkey sign-in
    const s = requireRecentAuthentication(await citizenSession(req));
    await removePasskey(platform, s.accountId, req.params.id);
    return reply.redirect('/account?done=removed#passkeys', 303);
  });

  r.post('/sign-out', { schema: { hide: true, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    const token = req.cookies[cookie.name];
    if (token) await store.end(token);
    setSessionCookie(reply, cookie, undefined);
    return reply.redirect('/sign-in?done=signed-out', 303);
  });

  r.post('/sign-out/everywhere', { schema: { hide: true, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    const s = await session(req);
    if (s) {
      const n = await store.endAll(s.accountId);
      await platform.audit.append({ actor: `account:${s.accountId}`, action: 'identity.signed-out-everywhere', subject: `account:${s.accountId}`, data: { sessions: n } });
    }
    setSessionCookie(reply, cookie, undefined);
    return reply.redirect('/sign-in?done=signed-out', 303);
  });

  // ---- passkey JSON endpoints (the island) --------------------------------------------------
  const Ceremony = z.object({ challengeId: z.string().max(64), response: z.record(z.string(), z.unknown()), name: z.string().max(200).optional() });
  const Empty = z.object({}).passthrough().optional();
  r.post('/api/identity/passkeys/registration-options', { schema: { hide: true, body: Empty } }, async (req) => {
    const s = await citizenSession(req);
    const resident = await residentSummary(platform, s.actor.id);
    return registrationOptions(platform, { id: s.accountId, name: resident?.name ?? '' });
  });
  r.post('/api/identity/passkeys', { schema: { hide: true, body: Ceremony } }, async (req, reply) => {
    const s = await citizenSession(req);
    const created = await finishRegistration(platform, s.accountId, req.body);
    return reply.status(201).send(created);
  });
  r.post('/api/identity/sign-in/options', { schema: { hide: true, body: Empty } }, async () => authenticationOptions(platform));
  r.post('/api/identity/sign-in', { schema: { hide: true, body: Ceremony.omit({ name: true }).extend({ next: z.string().max(200).optional() }) } }, async (req, reply) => {
    const { accountId } = await finishAuthentication(platform, req.body);
    // a fresh session for a fresh sign-in: whatever session the browser had ends
    const old = req.cookies[cookie.name];
    if (old) await store.end(old, 'replaced by a new sign-in');
    await startSession(reply, accountId, 'passkey');
    return { redirect: safeNext(req.body.next) ?? '/account' };
  });

  // ---- demo: sign in as a synthetic resident ------------------------------------------------
  if (demo) {
    const DemoBody = z.object({ citizen: z.string().max(64).optional(), next: z.string().max(200).optional(), _csrf: z.string().optional() });
    r.post('/dev/sign-in/resident', { schema: { hide: true, body: DemoBody } }, async (req, reply) => {
      requireForm(req);
      const wanted = (req.body.citizen ?? '').trim().toLowerCase();
      let citizenId: string | undefined;
      if (wanted) {
        if (!(await residentSummary(platform, wanted))) throw new NotFoundError(`no resident ${wanted}`, 'resident_not_found');
        citizenId = wanted;
      } else {
        citizenId = (await sampleCitizen(platform, { minAge: 19, random: true }))?.id;
        if (!citizenId) throw new PlatformError('no_residents', 409, 'there are no synthetic residents; seed the demo data first');
      }
      const account = await ensureCitizenAccount(platform.db, citizenId);
      await platform.audit.append({ actor: `citizen:${citizenId}`, action: 'identity.demo-sign-in', subject: `account:${account.id}`, data: {} });
      await startSession(reply, account.id, 'demo');
      return reply.redirect(safeNext(req.body.next) ?? '/account', 303);
    });
  }
}
