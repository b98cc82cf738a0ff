// Shared by the outbox, worker and events tests.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db.ts';

export interface OutboxRow {
  id: number;
  topic: string;
  payload: unknown;
  status: 'pending' | 'running' | 'done' | 'dead';
  attempts: number;
  max_attempts: number;
  idempotency_key: string | null;
  locked_by: string | null;
  last_error: string | null;
  /** Milliseconds from the database's now() to run_at and locked_until (negative: in the past). */
  run_in_ms: number;
  lease_left_ms: number | null;
  locked_until: Date | null;
}

/** One outbox row, with its times relative to the database clock so tests need no wall clock. */
export async function jobRow(db: Db, id: number): Promise<OutboxRow> {
  const [r] = await rows<OutboxRow>(
    db,
    sql`select id::int as id, topic, payload, status, attempts, max_attempts, idempotency_key, locked_by, last_error,
               (extract(epoch from run_at - now()) * 1000)::float8 as run_in_ms,
               (extract(epoch from locked_until - now()) * 1000)::float8 as lease_left_ms, locked_until
          from platform.outbox where id = ${id}`,
  );
  if (!r) throw new Error(`no job ${id}`);
  // drizzle hands timestamps over as text on both drivers
  return { ...r, locked_until: r.locked_until ? new Date(r.locked_until) : null };
}

export async function jobsByTopic(db: Db, topic: string): Promise<OutboxRow[]> {
  const ids = await rows<{ id: number }>(db, sql`select id::int as id from platform.outbox where topic = ${topic} order by id`);
  return Promise.all(ids.map((r) => jobRow(db, r.id)));
}

/** How many jobs of a topic are in each status, in one query (polling must not crowd out the worker on PGlite). */
export async function statusCounts(db: Db, topic: string): Promise<Record<string, number>> {
  const r = await rows<{ status: string; n: unknown }>(db, sql`select status, count(*) as n from platform.outbox where topic = ${topic} group by status`);
  return Object.fromEntries(r.map((x) => [x.status, Number(x.n)]));
}

/** True when every job of the topic is done. */
export async function allDone(db: Db, topic: string): Promise<boolean> {
  const c = await statusCounts(db, topic);
  return Object.keys(c).length === 1 && c.done !== undefined;
}

/** A table of handler effects with no unique constraint, so that a duplicate effect shows. */
export async function createEffects(db: Db, table = 'test_effects'): Promise<void> {
  await db.execute(sql.raw(`create table if not exists ${table} (job_id bigint not null, note text, pid int)`));
}

export async function insertEffect(tx: Db, jobId: number, note = '', table = 'test_effects'): Promise<void> {
  await tx.execute(sql`insert into ${sql.raw(table)} (job_id, note, pid) values (${jobId}, ${note}, ${process.pid})`);
}

/** How many effects each job left (only jobs with at least one). */
export async function effectCounts(db: Db, table = 'test_effects'): Promise<Map<number, number>> {
  const r = await rows<{ job_id: unknown; n: unknown }>(db, sql.raw(`select job_id, count(*) as n from ${table} group by job_id`));
  return new Map(r.map((x) => [Number(x.job_id), Number(x.n)]));
}

/** Polls until `check` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A promise and the functions that settle it, for handlers that block until a test lets them go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
