import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, OfficialRole } from '../../platform/auth.ts';
import { rows, textArray, type Db } from '../../platform/db.ts';
import { UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';

/**
 * Server-side sessions (identity.session). The browser holds only a random 256-bit token in a
 * `__Host-` cookie (Secure, HttpOnly, SameSite=Lax, Path=/); the database holds its SHA-256, so a
 * copy of the table signs no one in. A session ends after IDLE_MS without a request, at
 * ABSOLUTE_MS after it began, at sign-out, or when the account signs out everywhere.
 * `authenticated_at` is the last proof of presence: sensitive actions ask for one within
 * STEP_UP_MS (requireRecentAuthentication).
 */
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3600_000;
export const STEP_UP_MS = 5 * 60_000;
/** last_seen_at is written at most this often per session (a page view need not be a write). */
const TOUCH_MS = 60_000;

export type SessionMethod = 'passkey' | 'enrolment' | 'mobile-id' | 'demo';

export interface Session {
  idHash: string;
  accountId: string;
  method: SessionMethod;
  createdAt: Date;
  authenticatedAt: Date;
  actor: Exclude<Actor, { kind: 'anonymous' }>;
}

/**
 * The cookie's name and flags. `__Host-` needs Secure, which browsers accept on https and on
 * http://localhost; a demo opened at another plain-http address gets a plain name instead.
 */
export function cookieSettings(publicUrl: string): { name: string; secure: boolean } {
  const u = new URL(publicUrl);
  const secure = u.protocol === 'https:' || u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  return { name: secure ? '__Host-hanaro-session' : 'hanaro-session', secure };
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

interface Row {
  id_hash: string;
  account_id: string;
  method: SessionMethod;
  created_at: Date | string;
  last_seen_at: Date | string;
  authenticated_at: Date | string;
  kind: 'citizen' | 'official';
  citizen_id: string | null;
  display_name: string | null;
  agency: string | null;
  roles: OfficialRole[] | string;
}

function actorOf(r: Row): Session['actor'] {
  if (r.kind === 'citizen') return { kind: 'citizen', id: r.citizen_id! };
  const roles = textArray(r.roles) as OfficialRole[];
  return { kind: 'official', id: r.account_id, name: r.display_name ?? '', agency: r.agency ?? '', roles };
}

export interface SessionStore {
  /** Starts a session for the account; returns the token for the cookie. */
  start(accountId: string, method: SessionMethod, tx?: Db): Promise<string>;
  /** The live session of a token (and notes the request), or undefined. */
  find(token: string | undefined): Promise<Session | undefined>;
  end(token: string, reason?: string): Promise<void>;
  /** Ends every live session of the account; returns how many. */
  endAll(accountId: string, reason?: string): Promise<number>;
  /** Records a fresh proof of presence (a passkey assertion) in the session. */
  reauthenticated(idHash: string): Promise<void>;
  count(accountId: string): Promise<number>;
}

export function createSessionStore(platform: Platform, now: () => number = Date.now): SessionStore {
  const db = platform.db;
  return {
    async start(accountId, method, tx) {
      const token = randomBytes(32).toString('base64url');
      const t = new Date(now());
      await (tx ?? db).execute(sql`insert into identity.session (id_hash, account_id, created_at, last_seen_at, expires_at, method, authenticated_at)
        values (${hash(token)}, ${accountId}::uuid, ${t.toISOString()}, ${t.toISOString()}, ${new Date(t.getTime() + ABSOLUTE_MS).toISOString()}, ${method}, ${t.toISOString()})`);
      return token;
    },
    async find(token) {
      if (!token || token.length > 100) return undefined;
      const t = now();
      const [r] = await rows<Row>(
        db,
        sql`select s.id_hash, s.account_id::text as account_id, s.method, s.created_at, s.last_seen_at, s.authenticated_at,
              a.kind, a.citizen_id::text as citizen_id, a.display_name, a.agency, a.roles
            from identity.session s join identity.account a on a.id = s.account_id
            where s.id_hash = ${hash(token)} and s.ended_at is null and a.disabled_at is null
              and s.expires_at > ${new Date(t).toISOString()} and s.last_seen_at > ${new Date(t - IDLE_MS).toISOString()}`,
      );
      if (!r) return undefined;
      if (t - new Date(r.last_seen_at).getTime() > TOUCH_MS) {
        await db.execute(sql`update identity.session set last_seen_at = ${new Date(t).toISOString()} where id_hash = ${r.id_hash}`);
      }
      return { idHash: r.id_hash, accountId: r.account_id, method: r.method, createdAt: new Date(r.created_at), authenticatedAt: new Date(r.authenticated_at), actor: actorOf(r) };
    },
    async end(token, reason = 'signed out') {
      await db.execute(sql`update identity.session set ended_at = now(), ended_reason = ${reason} where id_hash = ${hash(token)} and ended_at is null`);
    },
    async endAll(accountId, reason = 'signed out everywhere') {
      const r = await rows(db, sql`update identity.session set ended_at = now(), ended_reason = ${reason}
        where account_id = ${accountId}::uuid and ended_at is null returning 1`);
      return r.length;
    },
    async reauthenticated(idHash) {
      await db.execute(sql`update identity.session set authenticated_at = ${new Date(now()).toISOString()} where id_hash = ${idHash}`);
    },
    async count(accountId) {
      const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from identity.session
        where account_id = ${accountId}::uuid and ended_at is null and expires_at > now() and last_seen_at > now() - interval '30 minutes'`);
      return r?.n ?? 0;
    },
  };
}

const SESSION = Symbol('identity.session');
type WithSession = FastifyRequest & { [SESSION]?: Promise<Session | undefined> };

/** The request's session, looked up once per request. */
export function sessionOf(req: FastifyRequest, store: SessionStore, cookieName: string): Promise<Session | undefined> {
  const r = req as WithSession;
  r[SESSION] ??= store.find(req.cookies[cookieName]);
  return r[SESSION];
}

export function setSessionCookie(reply: FastifyReply, cookie: { name: string; secure: boolean }, token: string | undefined): void {
  const opts = { path: '/', sameSite: 'lax' as const, httpOnly: true, secure: cookie.secure };
  if (token === undefined) reply.clearCookie(cookie.name, opts);
  // no maxAge: the cookie ends with the browser; the server ends the session earlier
  else reply.setCookie(cookie.name, token, opts);
}

/** Whether the session's last proof of presence is recent enough for a sensitive action. */
export const isRecent = (session: Session, at = Date.now()): boolean => at - session.authenticatedAt.getTime() <= STEP_UP_MS;

/** Sensitive actions (consent, credential issuance, removing a passkey) need a recent proof of presence. */
export function requireRecentAuthentication(session: Session | undefined, at = Date.now()): Session {
  if (!session) throw new UnauthorizedError('sign in first');
  if (!isRecent(session, at)) throw new UnauthorizedError('confirm it is you with your passkey again', 'step_up_required');
  return session;
}
