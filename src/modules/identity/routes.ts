import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { setDemoActor } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import { BadRequestError, ForbiddenError, NotFoundError, PlatformError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { pageContext, requestLang, requireForm, safeReturn, sendPrivatePage, type SignedIn } from '../../web/context.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { residentSummary, sampleCitizen } from '../registries/index.ts';
import { ensureCitizenAccount } from './accounts.ts';
import { identityConsole } from './console.tsx';
import { ContactError, getContacts, parseContacts, setContacts } from './contacts.ts';
import { createProvider } from './oidc.ts';
import { oidcRoutes } from './oidc-routes.ts';
import { EnrolmentFailedError, redeemEnrolmentCode, redeemOfficialCode, TooManyAttemptsError } from './enrolment.ts';
import type { MessageKey } from './messages.ts';
import { renderAccount, renderEnrol, renderSignIn, renderStepUp, type EnrolForm } from './pages.tsx';
import { authenticationOptions, finishAuthentication, finishRegistration, listPasskeys, registrationOptions, removePasskey, renamePasskey } from './passkeys.ts';
import { cookieSettings, createSessionStore, isRecent, requireRecentAuthentication, sessionOf, setSessionCookie, type Session } from './sessions.ts';

const CLIENT_JS = readFileSync(new URL('./passkeys.client.js', import.meta.url));
const DONE: Record<string, MessageKey> = { contacts: 'done_contacts', added: 'done_added', removed: 'done_removed', renamed: 'done_renamed', enrolled: 'done_enrolled', 'signed-out': 'signed_out' };
const Csrf = z.object({ _csrf: z.string().optional() });
const Ceremony = z.object({ challengeId: z.string().max(64), response: z.record(z.string(), z.unknown()), name: z.string().max(200).optional() });

/**
 * Where to go after signing in: a page of this site (the portal's own open-redirect guard,
 * safeReturn), so any module's page can send a visitor to sign in and come back; not an API.
 */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 300) return undefined;
  const path = safeReturn(next);
  return path === '/' || path.startsWith('/api/') ? undefined : path;
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

  /** The name the account page greets and a new passkey carries: the registry's for residents. */
  // read once per request (the header and the page both want it; a session object lives one request)
  const names = new WeakMap<Session, Promise<string>>();
  const displayName = (s: Session): Promise<string> => {
    let n = names.get(s);
    if (!n) names.set(s, (n = s.actor.kind === 'citizen' ? residentSummary(platform, s.actor.id).then((r) => r?.name ?? '') : Promise.resolve(s.actor.name)));
    return n;
  };
  /** Who the header names on this module's pages. */
  const signedInOf = async (req: FastifyRequest): Promise<SignedIn | undefined> => {
    const s = await session(req);
    return s ? { name: await displayName(s), official: s.actor.kind === 'official' } : undefined;
  };

  // single sign-on for agency and private services
  await app.register(oidcRoutes, { platform, provider: await createProvider(platform), session, signedIn: signedInOf });

  // the officials' console: its front page, and the agency's sign-in clients and officials
  await app.register(identityConsole, { platform });

  // every page here is about the person asking (or carries a form token): never cached
  const page = (req: FastifyRequest, reply: FastifyReply, html: string, status = 200) => sendPrivatePage(reply, requestLang(req), html, status);
  const ctxOf = async (req: FastifyRequest, reply: FastifyReply) => pageContext(req, { assets, demo, form: reply, signedIn: await signedInOf(req) });
  const done = (q: unknown) => DONE[String((q as { done?: string }).done ?? '')];

  /** The signed-in person (a resident or an official): their own passkeys and sessions. */
  async function accountSession(req: FastifyRequest): Promise<Session> {
    const s = await session(req);
    if (!s) throw new UnauthorizedError('sign in first', 'sign_in_required');
    return s;
  }
  /** Where a sign-in without a `next` lands. */
  const home = (kind: Session['actor']['kind']) => (kind === 'official' ? '/console' : '/account');

  const startSession = async (reply: FastifyReply, accountId: string, method: Session['method'], tx?: Db) => {
    setSessionCookie(reply, cookie, await store.start(accountId, method, tx));
  };

  r.get('/identity/passkeys.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(CLIENT_JS),
  );

  r.get('/sign-in', { schema: { hide: true } }, async (req, reply) => {
    const html = renderSignIn(await ctxOf(req, reply), { demoCitizens: demo, done: done(req.query), next: safeNext((req.query as { next?: string }).next) });
    return page(req, reply, html);
  });

  // ---- enrolment with a code ----------------------------------------------------------------
  const EnrolBody = z.object({ code: z.string().max(40).optional(), rrn: z.string().max(40).optional(), _csrf: z.string().optional() });
  r.get('/enrol', { schema: { hide: true } }, async (req, reply) => page(req, reply, renderEnrol(await ctxOf(req, reply), { errors: [] })));
  r.post('/enrol', { schema: { hide: true, body: EnrolBody } }, async (req, reply) => {
    requireForm(req);
    const code = (req.body.code ?? '').trim();
    const rrn = (req.body.rrn ?? '').trim();
    const errors: EnrolForm['errors'] = [];
    if (!code) errors.push({ href: '#enrol-code', key: 'required_code' });
    if (!rrn) errors.push({ href: '#enrol-rrn', key: 'required_rrn' });
    if (errors.length) return page(req, reply, renderEnrol(await ctxOf(req, reply), { code, errors }), 400);
    try {
      await redeemEnrolmentCode(platform, { code, rrn, address: req.ip }, async (tx, done) => startSession(reply, done.accountId, 'enrolment', tx));
    } catch (e) {
      if (e instanceof TooManyAttemptsError) return page(req, reply, renderEnrol(await ctxOf(req, reply), { code, errors: [{ href: '#enrol-code', key: 'too_many_attempts' }] }), 429);
      if (e instanceof EnrolmentFailedError) return page(req, reply, renderEnrol(await ctxOf(req, reply), { code, errors: [{ href: '#enrol-code', key: 'enrolment_failed' }] }), 400);
      throw e;
    }
    return reply.redirect('/account?done=enrolled#passkeys', 303);
  });

  // ---- officials: the invitation code alone ------------------------------------------------
  const OfficialBody = z.object({ code: z.string().max(40).optional(), _csrf: z.string().optional() });
  r.get('/enrol/official', { schema: { hide: true } }, async (req, reply) => page(req, reply, renderEnrol(await ctxOf(req, reply), { errors: [], official: true })));
  r.post('/enrol/official', { schema: { hide: true, body: OfficialBody } }, async (req, reply) => {
    requireForm(req);
    const code = (req.body.code ?? '').trim();
    const again = async (key: MessageKey, status: number) => page(req, reply, renderEnrol(await ctxOf(req, reply), { code, official: true, errors: [{ href: '#enrol-code', key }] }), status);
    if (!code) return again('required_code', 400);
    try {
      await redeemOfficialCode(platform, { code, address: req.ip }, async (tx, accountId) => startSession(reply, accountId, 'enrolment', tx));
    } catch (e) {
      if (e instanceof TooManyAttemptsError) return again('too_many_attempts', 429);
      if (e instanceof EnrolmentFailedError) return again('official_enrolment_failed', 400);
      throw e;
    }
    return reply.redirect('/account?done=enrolled#passkeys', 303);
  });

  // ---- the account page ---------------------------------------------------------------------
  r.get('/account', { schema: { hide: true } }, async (req, reply) => {
    const s = await session(req);
    if (!s) return reply.redirect('/sign-in?next=%2Faccount', 303);
    const [name, passkeys, sessions, contacts] = await Promise.all([
      displayName(s),
      listPasskeys(platform.db, s.accountId),
      store.count(s.accountId),
      s.actor.kind === 'citizen' ? getContacts(platform, s.accountId) : undefined,
    ]);
    const html = renderAccount(await ctxOf(req, reply), { name, official: s.actor.kind === 'official', passkeys, sessions, contacts, done: done(req.query) });
    return page(req, reply, html);
  });

  // contact details for single sign-on (citizens): checked, then stored encrypted
  const ContactsBody = z.object({ email: z.string().max(300).optional(), phone: z.string().max(40).optional(), _csrf: z.string().optional() });
  r.post('/account/contacts', { schema: { hide: true, body: ContactsBody } }, async (req, reply) => {
    requireForm(req);
    const s = await accountSession(req);
    if (s.actor.kind !== 'citizen') throw new ForbiddenError('contact details are for citizens’ single sign-on', 'citizens_only');
    try {
      await setContacts(platform, s.accountId, parseContacts(req.body));
    } catch (e) {
      if (!(e instanceof ContactError)) throw e;
      const [name, passkeys, sessions] = await Promise.all([displayName(s), listPasskeys(platform.db, s.accountId), store.count(s.accountId)]);
      const html = renderAccount(await ctxOf(req, reply), {
        name,
        official: false,
        passkeys,
        sessions,
        contacts: { email: req.body.email ?? null, phone: req.body.phone ?? null },
        contactError: e.field,
      });
      return page(req, reply, html, 400);
    }
    return reply.redirect('/account?done=contacts#contacts', 303);
  });

  const Rename = z.object({ name: z.string().max(200).optional(), _csrf: z.string().optional() });
  r.post('/account/passkeys/:id/name', { schema: { hide: true, params: PasskeyParams, body: Rename } }, async (req, reply) => {
    requireForm(req);
    const s = await accountSession(req);
    await renamePasskey(platform.db, s.accountId, req.params.id, req.body.name ?? '');
    return reply.redirect('/account?done=renamed#passkeys', 303);
  });

  r.post('/account/passkeys/:id/delete', { schema: { hide: true, params: PasskeyParams, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    // removing a way in is sensitive: it needs a recent proof of presence (step-up)
    const current = await accountSession(req);
    if (!isRecent(current)) return reply.redirect(`/sign-in/again?next=${encodeURIComponent('/account')}`, 303);
    const s = requireRecentAuthentication(current);
    await removePasskey(platform, s.accountId, req.params.id);
    return reply.redirect('/account?done=removed#passkeys', 303);
  });

  r.post('/sign-out', { schema: { hide: true, body: Csrf } }, async (req, reply) => {
    requireForm(req);
    const token = req.cookies[cookie.name];
    if (token) await store.end(token);
    setSessionCookie(reply, cookie, undefined);
    // a demo official's stand-in cookie goes too (demo mode; the header's sign-out serves both)
    if (demo) setDemoActor(reply, undefined);
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

  // ---- step-up: confirm it is you again before a sensitive action ---------------------------
  r.get('/sign-in/again', { schema: { hide: true } }, async (req, reply) => {
    const s = await session(req);
    const next = safeNext((req.query as { next?: string }).next) ?? '/account';
    if (!s) return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
    const hasPasskey = (await listPasskeys(platform.db, s.accountId)).length > 0;
    return page(req, reply, renderStepUp(await ctxOf(req, reply), { next, hasPasskey }));
  });
  r.post('/api/identity/reauthenticate', { schema: { hide: true, body: Ceremony.omit({ name: true }).extend({ next: z.string().max(200).optional() }) } }, async (req) => {
    const s = await accountSession(req);
    const { accountId } = await finishAuthentication(platform, req.body, req.ip);
    // only the signed-in person's own passkey confirms them
    if (accountId !== s.accountId) throw new BadRequestError('use a passkey of the account that is signed in', undefined, 'passkey_refused');
    await store.reauthenticated(s.idHash);
    await platform.audit.append({ actor: `account:${s.accountId}`, action: 'identity.reauthenticated', subject: `account:${s.accountId}` });
    return { redirect: safeNext(req.body.next) ?? home(s.actor.kind) };
  });

  // ---- passkey JSON endpoints (the island) --------------------------------------------------
  const Empty = z.object({}).passthrough().optional();
  r.post('/api/identity/passkeys/registration-options', { schema: { hide: true, body: Empty } }, async (req) => {
    const s = await accountSession(req);
    return registrationOptions(platform, { id: s.accountId, name: await displayName(s) });
  });
  r.post('/api/identity/passkeys', { schema: { hide: true, body: Ceremony } }, async (req, reply) => {
    const s = await accountSession(req);
    const created = await finishRegistration(platform, s.accountId, req.body);
    return reply.status(201).send(created);
  });
  r.post('/api/identity/sign-in/options', { schema: { hide: true, body: Empty } }, async () => authenticationOptions(platform));
  r.post('/api/identity/sign-in', { schema: { hide: true, body: Ceremony.omit({ name: true }).extend({ next: z.string().max(200).optional() }) } }, async (req, reply) => {
    const { accountId, kind } = await finishAuthentication(platform, req.body, req.ip);
    // a fresh session for a fresh sign-in: whatever session the browser had ends
    const old = req.cookies[cookie.name];
    if (old) await store.end(old, 'replaced by a new sign-in');
    await startSession(reply, accountId, 'passkey');
    return { redirect: safeNext(req.body.next) ?? home(kind) };
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
