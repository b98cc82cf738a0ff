import { randomInt } from 'node:crypto';
import { StatusList, createHeaderAndPayload } from '@owf/token-status-list';
import { Jwt } from '@sd-jwt/core';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { createGroupCall, type GroupCall } from '../../platform/group-commit.ts';
import type { Platform } from '../../platform/platform.ts';
import { issuerSigner } from './keys.ts';
import { issuerOf } from './offers.ts';

/**
 * Status and revocation with the IETF Token Status List: each credential takes a random free
 * index in a list of LIST_SIZE two-bit entries (0 valid, 1 invalid, 2 suspended), so its index
 * tells nothing about when it was issued or to whom (herd privacy). The list is served as a
 * signed Status List Token (`typ: statuslist+jwt`) at `<issuer>/credentials/status/<list>`,
 * cached for TTL_S seconds by verifiers; each process rebuilds it when the list's version moves.
 */
export const LIST_SIZE = 1 << 17;
export const BITS = 2;
export const TTL_S = 60;
export const STATUS = { valid: 0, invalid: 1, suspended: 2 } as const;
export type StatusName = keyof typeof STATUS;
const STATUS_NAMES = Object.fromEntries(Object.entries(STATUS).map(([k, v]) => [v, k])) as Record<number, StatusName>;

export const statusListUri = (platform: Platform, listId: string) => `${issuerOf(platform)}/credentials/status/${listId}`;

/** The list new credentials go into: the newest with room, or a new one. */
async function currentList(db: Db): Promise<string> {
  const [l] = await rows<{ id: string }>(db, sql`select id from credentials.status_list order by created_at desc, id desc limit 1`);
  if (l) return l.id;
  await db.execute(sql`insert into credentials.status_list (id, bits, size) values ('1', ${BITS}, ${LIST_SIZE}) on conflict do nothing`);
  return '1';
}

export interface IssuedRow {
  id: string;
  citizenId: string;
  configurationId: string;
  format: string;
  holderJkt: string | null;
  expiresAt: Date;
  notificationId: string;
}

/** The list being filled, remembered for a second (a new list is rare: every 131,072 credentials). */
const filling = new WeakMap<Db, { id: string; at: number }>();
async function listBeingFilled(db: Db): Promise<string> {
  const hit = filling.get(db);
  if (hit && Date.now() - hit.at < 1000) return hit.id;
  const id = await currentList(db);
  filling.set(db, { id, at: Date.now() });
  return id;
}

/**
 * Records issued credentials, each at a random free index of the list being filled, in one
 * statement for everything queued meanwhile (group commit: under load one commit serves many
 * issuances). Rows whose index was taken try again with another; a list that stays full is
 * followed by the next one.
 */
async function recordBatch(db: Db, batch: IssuedRow[]): Promise<Array<{ listId: string; idx: number }>> {
  const placed = new Map<string, { listId: string; idx: number }>();
  let listId = await listBeingFilled(db);
  let todo = batch;
  for (let attempt = 0; todo.length; attempt++) {
    if (attempt === 20) {
      const next = String(Number(listId) + 1);
      await db.execute(sql`insert into credentials.status_list (id, bits, size) values (${next}, ${BITS}, ${LIST_SIZE}) on conflict do nothing`);
      filling.set(db, { id: next, at: Date.now() });
      listId = next;
      attempt = 0;
    }
    // distinct indexes within the statement; a clash with an earlier row is skipped by the conflict clause
    const taken = new Set<number>();
    const values = todo.map((r) => {
      let idx = randomInt(0, LIST_SIZE);
      while (taken.has(idx)) idx = randomInt(0, LIST_SIZE);
      taken.add(idx);
      return sql`(${r.id}::uuid, ${r.citizenId}::uuid, ${r.configurationId}, ${r.format}, ${listId}, ${idx}, ${r.holderJkt}, ${r.expiresAt.toISOString()}, ${r.notificationId})`;
    });
    const made = await rows<{ id: string; idx: number }>(
      db,
      sql`insert into credentials.credential (id, citizen_id, configuration_id, format, list_id, idx, holder_jkt, expires_at, notification_id)
          values ${sql.join(values, sql`, `)} on conflict (list_id, idx) do nothing returning id::text as id, idx`,
    );
    for (const m of made) placed.set(m.id, { listId, idx: Number(m.idx) });
    todo = todo.filter((r) => !placed.has(r.id));
  }
  return batch.map((r) => placed.get(r.id)!);
}

const recorders = new WeakMap<Db, GroupCall<IssuedRow, { listId: string; idx: number }>>();
/** Records one issued credential (batched with others issued at the same time); its status list and index. */
export function recordIssued(db: Db, row: IssuedRow): Promise<{ listId: string; idx: number }> {
  let r = recorders.get(db);
  if (!r) recorders.set(db, (r = createGroupCall((batch) => recordBatch(db, batch), { maxBatch: 200 })));
  return r.call(row);
}

/**
 * Sets the status of credentials (by id) in the caller's transaction and bumps their lists'
 * versions; a revoked credential stays revoked. Returns the ones that changed.
 */
export async function applyStatus(tx: Db, ids: string[], status: StatusName, reason: string): Promise<Array<{ id: string; citizen_id: string }>> {
  if (!ids.length) return [];
  const changed = await rows<{ id: string; list_id: string; citizen_id: string }>(
    tx,
    sql`update credentials.credential set status = ${STATUS[status]}, status_reason = ${reason}
        where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}) and status <> ${STATUS[status]}
          and status <> ${STATUS.invalid}
        returning id::text as id, list_id, citizen_id::text as citizen_id`,
  );
  const lists = [...new Set(changed.map((c) => c.list_id))];
  if (lists.length) await tx.execute(sql`update credentials.status_list set version = version + 1 where id in (${sql.join(lists.map((l) => sql`${l}`), sql`, `)})`);
  return changed;
}

/** Sets the status of credentials (by id), audited. Returns how many changed. */
export async function setStatus(platform: Platform, ids: string[], status: StatusName, reason: string, actor: string): Promise<number> {
  if (!ids.length) return 0;
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const changed = await applyStatus(tx, ids, status, reason);
    for (const c of changed) {
      await platform.audit.append({ actor, action: `credentials.${status === 'valid' ? 'reinstated' : status === 'invalid' ? 'revoked' : 'suspended'}`, subject: `credential:${c.id}`, data: { reason } }, tx);
    }
    return changed.length;
  });
}

/** The ids of a citizen's credentials of some documents in some states (for event handlers, in their transaction). */
export async function idsOf(tx: Db, citizenId: string, opts: { configurations?: string[]; statuses: StatusName[]; reasonLike?: string }): Promise<string[]> {
  const conds = [sql`citizen_id = ${citizenId}::uuid`, sql`status in (${sql.join(opts.statuses.map((s) => sql`${STATUS[s]}`), sql`, `)})`];
  if (opts.configurations) conds.push(sql`configuration_id in (${sql.join(opts.configurations.map((c) => sql`${c}`), sql`, `)})`);
  if (opts.reasonLike) conds.push(sql`status_reason like ${opts.reasonLike}`);
  const found = await rows<{ id: string }>(tx, sql`select id::text as id from credentials.credential where ${sql.join(conds, sql` and `)}`);
  return found.map((r) => r.id);
}

const built = new WeakMap<Platform, Map<string, { version: number; at: number; token: string }>>();

/** The signed Status List Token of a list (rebuilt when its version changed; at most TTL_S old). */
export async function statusListToken(platform: Platform, listId: string): Promise<string> {
  const [l] = await rows<{ version: string | number; size: number; bits: number }>(platform.db, sql`select version, size, bits from credentials.status_list where id = ${listId}`);
  if (!l) throw new NotFoundError('no such status list', 'status_list_not_found');
  let cache = built.get(platform);
  if (!cache) built.set(platform, (cache = new Map()));
  const version = Number(l.version);
  const hit = cache.get(listId);
  if (hit && hit.version === version && Date.now() - hit.at < (TTL_S * 1000) / 2) return hit.token;
  const entries = await rows<{ idx: number; status: number }>(platform.db, sql`select idx, status from credentials.credential where list_id = ${listId} and status <> 0`);
  const list = new StatusList(new Array(l.size).fill(0), l.bits as 1 | 2 | 4 | 8);
  for (const e of entries) list.setStatus(e.idx, e.status);
  const now = Math.floor(Date.now() / 1000);
  const { sign, kid } = await issuerSigner(platform);
  const { header, payload } = createHeaderAndPayload(
    list,
    { iss: issuerOf(platform), sub: statusListUri(platform, listId), iat: now, exp: now + 24 * 3600, ttl: TTL_S },
    { alg: 'ES256', typ: 'statuslist+jwt', kid },
  );
  const token = await new Jwt({ header, payload }).sign(sign);
  cache.set(listId, { version, at: Date.now(), token });
  return token;
}

/** The ids of a citizen's credentials in a status (e.g. every valid one, for a lost device). */
export async function credentialsOf(platform: Platform, citizenId: string, status?: StatusName): Promise<Array<{ id: string; configurationId: string; status: StatusName; issuedAt: string; expiresAt: string }>> {
  const found = await rows<{ id: string; configuration_id: string; status: number; issued_at: Date | string; expires_at: Date | string }>(
    platform.db,
    status === undefined
      ? sql`select id::text as id, configuration_id, status, issued_at, expires_at from credentials.credential where citizen_id = ${citizenId}::uuid order by issued_at desc`
      : sql`select id::text as id, configuration_id, status, issued_at, expires_at from credentials.credential where citizen_id = ${citizenId}::uuid and status = ${STATUS[status]} order by issued_at desc`,
  );
  return found.map((r) => ({ id: r.id, configurationId: r.configuration_id, status: STATUS_NAMES[r.status]!, issuedAt: new Date(r.issued_at).toISOString(), expiresAt: new Date(r.expires_at).toISOString() }));
}

/** A lost or stolen device: every valid credential of the citizen is suspended at once. Returns how many. */
export async function suspendAll(platform: Platform, citizenId: string, reason: string, actor: string): Promise<number> {
  const live = await credentialsOf(platform, citizenId, 'valid');
  return setStatus(platform, live.map((c) => c.id), 'suspended', reason, actor);
}

/** Lifts every suspension of the citizen's credentials (the device was found, or after checking who asks). */
export async function reinstateAll(platform: Platform, citizenId: string, reason: string, actor: string): Promise<number> {
  const suspended = await credentialsOf(platform, citizenId, 'suspended');
  return setStatus(platform, suspended.map((c) => c.id), 'valid', reason, actor);
}
