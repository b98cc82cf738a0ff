import { randomUUID, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { decodeJwt, jwtVerify } from 'jose';
import { z } from 'zod';
import { rows, type Db } from '../../platform/db.ts';
import { ForbiddenError, NotFoundError, PlatformError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Channel } from './templates.ts';

/**
 * Agency sending services and their API keys (GOV.UK Notify's model). A key is one of three
 * kinds: `test` (nothing leaves the platform; the message goes through every check and gets a
 * realistic simulated outcome), `team` (real sends, but only to the service's team addresses)
 * and `live`. The key string is Notify's, `{name}-{service id}-{secret}`, so Notify's own client
 * libraries work against Hanaro. A caller proves the key either with a Notify JWT (HS256 with the
 * secret, `iss` the service id, `iat` within 30 s) or by sending the key itself
 * (`Authorization: Bearer <key>`, or the GovStack `apiKey` header) over TLS. The secret is
 * encrypted at rest, not hashed: HS256 needs it to verify.
 */

export type KeyKind = 'test' | 'team' | 'live';

export interface NotifyService {
  id: string;
  agency: string;
  name: { ko: string; en: string };
  emailFrom: string | null;
  emailReplyTo: string | null;
  smsSender: string | null;
  rateLimitPerMin: number;
  dailyLimits: Partial<Record<Channel, number>>;
  callbackUrl: string | null;
  hasCallbackToken: boolean;
  team: string[];
  createdAt: Date;
}

interface ServiceRow {
  id: string;
  agency: string;
  name_ko: string;
  name_en: string;
  email_from: string | null;
  email_reply_to: string | null;
  sms_sender: string | null;
  rate_limit_per_min: number;
  daily_limits: Partial<Record<Channel, number>>;
  callback_url: string | null;
  callback_token_enc: string | null;
  team: string[];
  created_at: Date | string;
}

const toService = (r: ServiceRow): NotifyService => ({
  id: r.id,
  agency: r.agency,
  name: { ko: r.name_ko, en: r.name_en },
  emailFrom: r.email_from,
  emailReplyTo: r.email_reply_to,
  smsSender: r.sms_sender,
  rateLimitPerMin: Number(r.rate_limit_per_min),
  dailyLimits: r.daily_limits,
  callbackUrl: r.callback_url,
  hasCallbackToken: Boolean(r.callback_token_enc),
  team: r.team ?? [],
  createdAt: new Date(r.created_at),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

export const NewService = z
  .object({
    agency: z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/, 'an agency code such as MOHW'),
    nameKo: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().min(1).max(200),
    emailFrom: z.string().email().max(254).optional(),
    emailReplyTo: z.string().email().max(254).optional(),
    smsSender: z.string().regex(/^0\d{7,10}$/, 'a registered sender number such as 0215880000').optional(),
    rateLimitPerMin: z.number().int().min(1).max(1_000_000).optional(),
    dailyLimits: z.record(z.enum(['email', 'sms', 'push', 'alimtalk', 'inbox']), z.number().int().min(0)).optional(),
    team: z.array(z.string().max(254)).max(100).optional(),
  })
  .strict();
export type NewService = z.infer<typeof NewService>;

export async function createService(platform: Platform, input: NewService, actor: string, id: string = randomUUID()): Promise<NotifyService> {
  const s = NewService.parse(input);
  await platform.db.transaction(async (tx) => {
    await tx.execute(sql`insert into notify.service (id, agency, name_ko, name_en, email_from, email_reply_to, sms_sender, rate_limit_per_min, team, created_by ${s.dailyLimits ? sql`, daily_limits` : sql``})
      values (${id}::uuid, ${s.agency}, ${s.nameKo}, ${s.nameEn}, ${s.emailFrom ?? null}, ${s.emailReplyTo ?? null}, ${s.smsSender ?? null}, ${s.rateLimitPerMin ?? 3000},
              ${JSON.stringify(s.team ?? [])}::jsonb, ${actor}
              ${s.dailyLimits ? sql`, ${JSON.stringify(Object.assign({ email: 250000, sms: 250000, push: 250000, alimtalk: 250000, inbox: 250000 }, s.dailyLimits))}::jsonb` : sql``})`);
    await platform.audit.append({ actor, action: 'notify.service.created', subject: `notify.service:${id}`, data: { agency: s.agency } }, tx as never);
  });
  return (await findService(platform.db, id))!;
}

export async function findService(db: Db, id: string): Promise<NotifyService | undefined> {
  if (!isUuid(id)) return undefined;
  const [r] = await rows<ServiceRow>(db, sql`select id::text as id, agency, name_ko, name_en, email_from, email_reply_to, sms_sender, rate_limit_per_min, daily_limits, callback_url, callback_token_enc, team, created_at from notify.service where id = ${id}::uuid and archived_at is null`);
  return r && toService(r);
}

export async function listServices(db: Db, agency?: string): Promise<NotifyService[]> {
  const r = await rows<ServiceRow>(
    db,
    sql`select id::text as id, agency, name_ko, name_en, email_from, email_reply_to, sms_sender, rate_limit_per_min, daily_limits, callback_url, callback_token_enc, team, created_at
          from notify.service where archived_at is null ${agency ? sql`and agency = ${agency}` : sql``} order by agency, name_en`,
  );
  return r.map(toService);
}

const callbackContext = (serviceId: string) => `notify.service.callback:${serviceId}`;

/** Where delivery receipts go (https in production) and the token that authenticates and signs them. */
export async function setCallback(platform: Platform, serviceId: string, cb: { url: string | null; token?: string }, actor: string): Promise<void> {
  const enc = cb.url && cb.token ? platform.crypto.encrypt(cb.token, callbackContext(serviceId)) : null;
  const done = await rows(platform.db, sql`update notify.service set callback_url = ${cb.url}, callback_token_enc = ${enc} where id = ${serviceId}::uuid returning id`);
  if (!done.length) throw new NotFoundError('no such service', 'service_not_found');
  forgetService(serviceId);
  await platform.audit.append({ actor, action: 'notify.service.callback-set', subject: `notify.service:${serviceId}`, data: { url: cb.url ? new URL(cb.url).origin : null } });
}

export async function callbackToken(platform: Platform, serviceId: string): Promise<string | undefined> {
  const [r] = await rows<{ callback_token_enc: string | null }>(platform.db, sql`select callback_token_enc from notify.service where id = ${serviceId}::uuid`);
  return r?.callback_token_enc ? platform.crypto.decrypt(r.callback_token_enc, callbackContext(serviceId)) : undefined;
}

// ---- keys -------------------------------------------------------------------------------

export interface ApiKeyInfo {
  id: string;
  serviceId: string;
  name: string;
  kind: KeyKind;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const secretContext = (keyId: string) => `notify.api_key.secret:${keyId}`;
const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 40) || 'key';

/** Creates a key; the returned string is shown once and never again. */
export async function createApiKey(platform: Platform, serviceId: string, input: { name: string; kind: KeyKind }, actor: string): Promise<{ key: string; info: ApiKeyInfo }> {
  if (!(await findService(platform.db, serviceId))) throw new NotFoundError('no such service', 'service_not_found');
  const id = randomUUID();
  const secret = randomUUID();
  await platform.db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into notify.api_key (id, service_id, name, kind, secret_enc, created_by) values (${id}::uuid, ${serviceId}::uuid, ${input.name}, ${input.kind}, ${platform.crypto.encrypt(secret, secretContext(id))}, ${actor})`,
    );
    await platform.audit.append({ actor, action: 'notify.api-key.created', subject: `notify.api_key:${id}`, data: { serviceId, kind: input.kind } }, tx as never);
  });
  forgetService(serviceId);
  const info = (await listApiKeys(platform.db, serviceId)).find((k) => k.id === id)!;
  return { key: `${slug(input.name)}-${serviceId}-${secret}`, info };
}

export async function listApiKeys(db: Db, serviceId: string): Promise<ApiKeyInfo[]> {
  if (!isUuid(serviceId)) return [];
  const r = await rows<{ id: string; service_id: string; name: string; kind: KeyKind; created_by: string; created_at: Date | string; revoked_at: Date | string | null }>(
    db,
    sql`select id::text as id, service_id::text as service_id, name, kind, created_by, created_at, revoked_at from notify.api_key where service_id = ${serviceId}::uuid order by created_at`,
  );
  return r.map((x) => ({ id: x.id, serviceId: x.service_id, name: x.name, kind: x.kind, createdBy: x.created_by, createdAt: new Date(x.created_at), revokedAt: x.revoked_at ? new Date(x.revoked_at) : null }));
}

export async function revokeApiKey(platform: Platform, serviceId: string, keyId: string, actor: string): Promise<void> {
  if (!isUuid(keyId) || !isUuid(serviceId)) throw new NotFoundError('no such key', 'api_key_not_found');
  const done = await rows(platform.db, sql`update notify.api_key set revoked_at = now() where id = ${keyId}::uuid and service_id = ${serviceId}::uuid and revoked_at is null returning id`);
  if (!done.length) throw new NotFoundError('no such active key', 'api_key_not_found');
  forgetService(serviceId);
  await platform.audit.append({ actor, action: 'notify.api-key.revoked', subject: `notify.api_key:${keyId}`, data: { serviceId } });
}

// ---- authentication -----------------------------------------------------------------------

export interface Caller {
  service: NotifyService;
  keyId: string;
  kind: KeyKind;
}

interface CachedKeys {
  service: NotifyService;
  keys: Array<{ id: string; kind: KeyKind; secret: Buffer; revoked: boolean }>;
  at: number;
}

/** Keys per service, kept briefly so the hot path does not decrypt on every request; revoking in this process clears it at once, other processes within {@link KEY_CACHE_MS}. */
export const KEY_CACHE_MS = 5_000;
const keyCache = new Map<string, CachedKeys>();
const forgetService = (serviceId: string) => keyCache.delete(serviceId);

async function keysOf(platform: Platform, serviceId: string): Promise<CachedKeys | undefined> {
  const hit = keyCache.get(serviceId);
  if (hit && Date.now() - hit.at < KEY_CACHE_MS) return hit;
  const service = await findService(platform.db, serviceId);
  if (!service) return undefined;
  const r = await rows<{ id: string; kind: KeyKind; secret_enc: string; revoked_at: Date | string | null }>(
    platform.db,
    sql`select id::text as id, kind, secret_enc, revoked_at from notify.api_key where service_id = ${serviceId}::uuid`,
  );
  const entry: CachedKeys = {
    service,
    keys: r.map((k) => ({ id: k.id, kind: k.kind, secret: Buffer.from(platform.crypto.decrypt(k.secret_enc, secretContext(k.id))), revoked: Boolean(k.revoked_at) })),
    at: Date.now(),
  };
  if (keyCache.size > 10_000) keyCache.clear();
  keyCache.set(serviceId, entry);
  return entry;
}

const invalid = (detail: string) => new ForbiddenError(`Invalid token: ${detail}`, 'invalid_token');
const revoked = () => new ForbiddenError('Invalid token: API key revoked', 'api_key_revoked');

/** Accepts a Notify JWT, the key itself as a bearer token, or the GovStack `apiKey` header. */
export async function authenticate(platform: Platform, req: FastifyRequest): Promise<Caller> {
  const header = req.headers.authorization;
  const apiKeyHeader = req.headers.apikey;
  let token: string | undefined;
  if (typeof apiKeyHeader === 'string' && apiKeyHeader) token = apiKeyHeader.trim();
  else if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new UnauthorizedError('Unauthorized, authentication bearer scheme must be used', 'bearer_required');
    token = m[1]!;
  }
  if (!token) throw new UnauthorizedError('Unauthorized, authentication token must be provided (Authorization: Bearer <JWT or API key>)', 'token_required');
  return token.split('.').length === 3 ? byJwt(platform, token) : byKey(platform, token);
}

async function byKey(platform: Platform, key: string): Promise<Caller> {
  // {name}-{service uuid}-{secret uuid}: read from the end, the name may hold dashes
  if (key.length < 75) throw invalid('not an API key');
  const secret = key.slice(-36);
  const serviceId = key.slice(-73, -37);
  if (!isUuid(secret) || !isUuid(serviceId) || key[key.length - 37] !== '-') throw invalid('not an API key');
  const entry = await keysOf(platform, serviceId);
  if (!entry) throw invalid('service not found');
  const given = Buffer.from(secret);
  const k = entry.keys.find((x) => x.secret.length === given.length && timingSafeEqual(x.secret, given));
  if (!k) throw invalid('API key not found');
  if (k.revoked) throw revoked();
  return { service: entry.service, keyId: k.id, kind: k.kind };
}

async function byJwt(platform: Platform, token: string): Promise<Caller> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    throw invalid('signature, api token is not valid');
  }
  if (typeof iss !== 'string' || !iss) throw invalid('iss field not provided');
  const entry = isUuid(iss) ? await keysOf(platform, iss) : undefined;
  if (!entry) throw invalid('service not found');
  for (const k of entry.keys) {
    try {
      const { payload } = await jwtVerify(token, k.secret, { algorithms: ['HS256'] });
      if (typeof payload.iat !== 'number' || Math.abs(Date.now() / 1000 - payload.iat) > 30) {
        throw invalid('Error: Your system clock must be accurate to within 30 seconds');
      }
      if (k.revoked) throw revoked();
      return { service: entry.service, keyId: k.id, kind: k.kind };
    } catch (e) {
      if (e instanceof PlatformError) throw e;
      // not this key's signature: try the next
    }
  }
  throw invalid('signature, api token is not valid');
}

// ---- rate limit ---------------------------------------------------------------------------

export class RateLimitError extends PlatformError {
  constructor(detail: string, readonly retryAfterS: number, code = 'rate_limited') {
    super(code, 429, detail, { retryAfter: retryAfterS });
  }
}

/**
 * A token bucket per key in this process: `limit` per minute, refilled continuously, at most a
 * minute's worth at once. 429 with the seconds until the next request would pass. Several API
 * processes each allow the limit (the operator divides it, docs/notify.md).
 */
export function createRateLimiter(now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string, kind: KeyKind, limitPerMin: number, n = 1): void {
      const t = now();
      const b = buckets.get(key) ?? { tokens: limitPerMin, at: t };
      b.tokens = Math.min(limitPerMin, b.tokens + ((t - b.at) * limitPerMin) / 60_000);
      b.at = t;
      if (b.tokens < n) {
        buckets.set(key, b);
        const wait = Math.max(1, Math.ceil(((n - b.tokens) * 60_000) / limitPerMin / 1000));
        throw new RateLimitError(`Exceeded rate limit for key type ${kind.toUpperCase()} of ${limitPerMin} requests per 60 seconds`, wait);
      }
      b.tokens -= n;
      if (buckets.size > 100_000) buckets.clear();
      buckets.set(key, b);
    },
  };
}
