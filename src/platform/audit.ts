import { createHash } from 'node:crypto';
import { is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { rows, type Db } from './db.ts';
import { scrub } from './log.ts';

/**
 * The platform's append-only audit log: who did what to which subject, hash-chained so that a
 * changed, removed or reordered entry is found by {@link AuditLog.verify}.
 *
 * Each entry's `hash` is the lowercase hex SHA-256 of the UTF-8 bytes of the RFC 8785 (JCS)
 * canonical JSON of
 *
 *   { "action", "actor", "at", "data", "prev_hash", "seq", "subject" }
 *
 * where `at` is the stored timestamp as UTC ISO 8601 with exactly six fractional digits
 * (`2026-01-12T00:30:00.123456Z`: microseconds are what timestamptz keeps, so the text read back
 * is the text that was hashed), `seq` a JSON number, `subject` a string or null, `data` the JSON
 * object as stored, and `prev_hash` the previous entry's hash ({@link GENESIS_HASH} for seq 1).
 *
 * Personal data: callers pass identifiers and masked values only (`maskRrn`, `maskPhone` from
 * crypto.ts), never a raw resident registration number. As a safety net every string in
 * `data` and the subject go through the log scrubber before they are hashed and stored.
 * `actor` is an internal id (`official:42`, `system:worker`) and is stored as given.
 */
export interface AuditEntry {
  actor: string;
  action: string;
  subject?: string;
  /** JSON-serializable; `undefined` fields are dropped, dates become ISO strings (JSON rules). */
  data?: Record<string, unknown>;
}

/** One stored entry. */
export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type AuditProblem = 'tampered' | 'broken-link' | 'missing';

export type AuditVerification =
  | { ok: true; count: number; head: { seq: number; hash: string } | undefined }
  | {
      ok: false;
      /** tampered: the entry's hash does not match its content; broken-link: its prev_hash is not
       * the previous entry's hash; missing: no entry has this seq (deleted). */
      problem: AuditProblem;
      seq: number;
      detail: string;
      /** entries verified before the problem */
      checked: number;
    };

export interface AuditLog {
  /**
   * Appends one entry. With `tx` it becomes part of that transaction, and every other append
   * waits for that transaction to end (the chain is one line): append late in a transaction.
   * Without `tx` it runs in a transaction of its own; on PGlite do not call it without `tx`
   * from inside another transaction (one connection: it would wait for itself).
   */
  append(entry: AuditEntry, tx?: Db): Promise<{ seq: number; at: string; hash: string }>;
  /**
   * Walks the whole chain in seq order, a batch at a time, and reports the first problem. The
   * chain proves the order and content of what it holds; that nothing was cut off its end, or
   * the whole log rewritten by someone holding the database, needs the reported head (seq and
   * hash) to be kept somewhere else as well, e.g. in the operators' daily report.
   */
  verify(opts?: { batchSize?: number; onProgress?: (checked: number) => void }): Promise<AuditVerification>;
  /** The last `n` entries, oldest first. */
  tail(n?: number): Promise<AuditRecord[]>;
}

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

// one number for pg_advisory_xact_lock, distinct from the migration lock (…601)
const AUDIT_LOCK = 4_621_202_602;
const AT_FORMAT = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`);

/**
 * RFC 8785 JSON canonicalization for JSON values (as produced by JSON.parse): object members
 * sorted by UTF-16 code units, no whitespace, numbers and strings as ECMAScript serializes them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no ${typeof value}`);
  }
}

/** The hash of an entry as defined above. */
export function auditHash(e: Omit<AuditRecord, 'hash'>): string {
  const canonical = canonicalJson({
    action: e.action,
    actor: e.actor,
    at: e.at,
    data: e.data,
    prev_hash: e.prevHash,
    seq: e.seq,
    subject: e.subject,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

function scrubJson(value: unknown): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map(scrubJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubJson(v)]));
  return value;
}

/** What is stored: plain JSON (JSON rules), scrubbed. */
function normaliseData(data: Record<string, unknown> | undefined): Record<string, unknown> {
  const json: unknown = JSON.parse(JSON.stringify(data ?? {}));
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('audit data must be a JSON object');
  return scrubJson(json) as Record<string, unknown>;
}

interface Row {
  seq: string | number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

// timestamps are formatted by the database and data read as text, so both engines and drivers
// hand back exactly the text that was hashed. Order by `audit_log.seq`: a bare `seq` would be the
// text output column and sort 10 before 2.
const SELECT = sql`select seq::text as seq, to_char(at at time zone 'UTC', ${AT_FORMAT}) as at, actor, action, subject,
  data::text as data, prev_hash, hash from platform.audit_log`;

const toRecord = (r: Row): AuditRecord => ({
  seq: Number(r.seq),
  at: r.at,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  data: JSON.parse(r.data) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Creates the audit log over the platform database. */
export function createAuditLog(db: Db): AuditLog {
  return {
    async append(entry, tx) {
      if (!entry.actor || !entry.action) throw new TypeError('an audit entry needs an actor and an action');
      const data = normaliseData(entry.data);
      const subject = entry.subject === undefined || entry.subject === null ? null : scrub(entry.subject);
      const write = async (t: Db) => {
        // serializes appenders across processes until this transaction ends; reading the head
        // after taking the lock makes seq gap-free and `at` non-decreasing along the chain
        await t.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
        const [head] = await rows<{ now: string; seq: string | null; hash: string | null }>(
          t,
          sql`select to_char(clock_timestamp() at time zone 'UTC', ${AT_FORMAT}) as now, last.seq::text as seq, last.hash
            from (select 1) as one
            left join lateral (select seq, hash from platform.audit_log order by seq desc limit 1) as last on true`,
        );
        const seq = head?.seq ? Number(head.seq) + 1 : 1;
        const record = { seq, at: head!.now, actor: entry.actor, action: entry.action, subject, data, prevHash: head?.hash ?? GENESIS_HASH };
        const hash = auditHash(record);
        await t.execute(sql`insert into platform.audit_log (seq, at, actor, action, subject, data, prev_hash, hash)
          values (${seq}, ${record.at}::timestamptz, ${record.actor}, ${record.action}, ${subject},
                  ${canonicalJson(data)}::jsonb, ${record.prevHash}, ${hash})`);
        return { seq, at: record.at, hash };
      };
      // inside the caller's transaction the lock is held until it commits; otherwise open one
      return tx && is(tx, PgTransaction) ? write(tx) : (tx ?? db).transaction((t) => write(t));
    },

    async verify(opts = {}) {
      const batchSize = Math.max(1, opts.batchSize ?? 2000);
      let expected = 1;
      let prevHash = GENESIS_HASH;
      let checked = 0;
      // a forged entry numbered below 1 would sit outside the walk
      const [low] = await rows<{ seq: string }>(db, sql`select seq::text as seq from platform.audit_log where seq < 1 order by seq limit 1`);
      if (low) return { ok: false, problem: 'tampered', seq: Number(low.seq), detail: 'an entry numbered below 1', checked };
      for (;;) {
        // keyset pagination on the primary key: constant memory and time per batch at any size
        const batch = await rows<Row>(db, sql`${SELECT} where seq >= ${expected} order by audit_log.seq limit ${batchSize}`);
        for (const r of batch) {
          const e = toRecord(r);
          if (e.seq !== expected) {
            const detail = e.seq === expected + 1 ? `entry ${expected} is missing` : `entries ${expected} to ${e.seq - 1} are missing`;
            return { ok: false, problem: 'missing', seq: expected, detail, checked };
          }
          if (e.prevHash !== prevHash) {
            const detail = `prev_hash is not the hash of entry ${e.seq - 1} (that entry or this link was rewritten)`;
            return { ok: false, problem: 'broken-link', seq: e.seq, detail, checked };
          }
          if (auditHash(e) !== e.hash) {
            return { ok: false, problem: 'tampered', seq: e.seq, detail: 'the content does not match the stored hash', checked };
          }
          prevHash = e.hash;
          expected++;
          checked++;
        }
        opts.onProgress?.(checked);
        if (batch.length < batchSize) break;
      }
      return { ok: true, count: checked, head: checked ? { seq: expected - 1, hash: prevHash } : undefined };
    },

    async tail(n = 20) {
      const last = await rows<Row>(db, sql`${SELECT} order by audit_log.seq desc limit ${n}`);
      return last.map(toRecord).reverse();
    },
  };
}
