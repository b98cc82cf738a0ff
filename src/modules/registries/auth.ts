import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows } from '../../platform/db.ts';
import { BadRequestError, ForbiddenError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';

/**
 * API keys of agency systems calling the Data and Database APIs directly. A key belongs to one
 * client subsystem (KR/GOV/MOIS/resident-registry); only its SHA-256 is stored, the key itself
 * is shown once. Each request also names its client in `Information-Mediator-Client`
 * (INSTANCE/CLASS/MEMBER/SUBSYSTEM), which must be the key's.
 */

export interface ApiCaller {
  keyId: number;
  /** KR/GOV/MOIS/resident-registry */
  client: string;
  /** The member code: MOIS */
  agency: string;
}

/** INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. KR/GOV/MOIS/resident-registry. */
export const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}\/[A-Z]{2,10}\/[A-Za-z0-9._-]{1,64}\/[A-Za-z0-9._-]{1,64}$/;

const KEY_PREFIX = 'hnr_rk_';
const hashKey = (key: string) => createHash('sha256').update(key).digest();

/** Makes a key for a client subsystem; the key is returned once and never stored. */
export async function createApiKey(platform: Platform, opts: { client: string; label?: string; actor?: string }): Promise<{ key: string; id: number }> {
  if (!CLIENT_ID.test(opts.client)) throw new BadRequestError('client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. KR/GOV/MOIS/resident-registry', undefined, 'invalid_client');
  const agency = opts.client.split('/')[2]!;
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [row] = await rows<{ id: number }>(
    platform.db,
    sql`insert into registries.api_key (client, agency, key_hash, label) values (${opts.client}, ${agency}, ${hashKey(key)}, ${opts.label ?? ''}) returning id`,
  );
  const id = Number(row!.id);
  await platform.audit.append({ actor: opts.actor ?? 'system:cli', action: 'registries.api-key.created', subject: `registries.api_key:${id}`, data: { client: opts.client, label: opts.label ?? '' } });
  return { key, id };
}

/** Revokes one key (by id or by the key itself) or every key of a client; returns how many. */
export async function revokeApiKeys(platform: Platform, by: { id?: number; key?: string; client?: string; actor?: string }): Promise<number> {
  const cond = by.id !== undefined ? sql`id = ${by.id}` : by.key ? sql`key_hash = ${hashKey(by.key)}` : by.client ? sql`client = ${by.client}` : undefined;
  if (!cond) throw new BadRequestError('name a key id, a key or a client');
  const done = await rows<{ id: number }>(platform.db, sql`update registries.api_key set revoked_at = now() where ${cond} and revoked_at is null returning id`);
  keyCache.delete(platform);
  if (done.length) await platform.audit.append({ actor: by.actor ?? 'system:cli', action: 'registries.api-key.revoked', data: { ids: done.map((d) => Number(d.id)) } });
  return done.length;
}

export interface ApiKeyInfo {
  id: number;
  client: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApiKeys(platform: Platform): Promise<ApiKeyInfo[]> {
  const found = await rows<{ id: number; client: string; label: string; created_at: string; revoked_at: string | null }>(
    platform.db,
    sql`select id, client, label, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
          to_char(revoked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as revoked_at from registries.api_key order by id`,
  );
  return found.map((r) => ({ id: Number(r.id), client: r.client, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

// Keys are looked up on every call; a few seconds in memory spare the database on busy APIs.
// A revocation in this process takes effect at once, in another within the TTL.
const KEY_TTL_MS = 5_000;
const MAX_CACHED = 1_000;
const keyCache = new WeakMap<Platform, Map<string, { at: number; caller: ApiCaller | null }>>();

async function callerOfKey(platform: Platform, key: string): Promise<ApiCaller | null> {
  const hash = hashKey(key);
  const hex = hash.toString('hex');
  let cache = keyCache.get(platform);
  if (!cache) keyCache.set(platform, (cache = new Map()));
  const hit = cache.get(hex);
  if (hit && Date.now() - hit.at < KEY_TTL_MS) return hit.caller;
  const [row] = await rows<{ id: number; client: string; agency: string }>(
    platform.db,
    sql`select id, client, agency from registries.api_key where key_hash = ${hash} and revoked_at is null`,
  );
  const caller = row ? { keyId: Number(row.id), client: row.client, agency: row.agency } : null;
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(hex, { at: Date.now(), caller });
  return caller;
}

type Headers = Record<string, string | string[] | undefined>;
const header = (h: Headers, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The caller of a Data or Database API request: `Information-Mediator-Client` present and well
 * formed (else 400), a known, unrevoked key in `Authorization` (`Bearer <key>` or the bare key;
 * else 401), and the header naming the key's own client (else 403).
 */
export async function authenticate(platform: Platform, headers: Headers): Promise<ApiCaller> {
  const client = header(headers, 'information-mediator-client')?.trim();
  if (!client) throw new BadRequestError('the Information-Mediator-Client header is required (INSTANCE/CLASS/MEMBER/SUBSYSTEM)', undefined, 'client_header_missing');
  if (!CLIENT_ID.test(client)) throw new BadRequestError('Information-Mediator-Client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM', undefined, 'client_header_invalid');
  const auth = header(headers, 'authorization')?.trim();
  const key = auth?.replace(/^Bearer\s+/i, '').trim();
  if (!key) throw new UnauthorizedError('an API key is required in the Authorization header');
  const caller = await callerOfKey(platform, key);
  if (!caller) throw new UnauthorizedError('unknown or revoked API key');
  if (caller.client !== client) throw new ForbiddenError('Information-Mediator-Client is not the client of this API key', 'client_mismatch');
  return caller;
}

/** Data API rule: only the owning agency reads and writes directly; everyone else goes through the mediator. */
export function requireOwner(caller: ApiCaller, agency: string): void {
  if (caller.agency !== agency) {
    throw new ForbiddenError(`only ${agency} uses this registry directly; other agencies read it through the information mediator`, 'not_registry_owner');
  }
}
