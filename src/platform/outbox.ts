import { sql, type SQL } from 'drizzle-orm';
import { arrayLiteral, rows, type Db } from './db.ts';
import { scrub } from './log.ts';

// The outbox table (platform.outbox) holds jobs and domain events. This file is its store:
// producers enqueue in their own transaction; the worker (worker.ts) claims, fences, completes
// and fails rows through the functions below. All times come from the database clock, so that
// workers on several machines agree on leases and run_at whatever their own clocks say.

export const DEFAULT_MAX_ATTEMPTS = 8;

export interface EnqueueOptions {
  /**
   * Same key, same job: a producer that retries does not queue twice. Keys are unique across
   * topics (prefix them with the topic) and are remembered until the finished job is pruned.
   */
  idempotencyKey?: string;
  /** Earliest time to run (default: now). */
  runAt?: Date;
  /** Attempts before the job is dead-lettered (default 8). */
  maxAttempts?: number;
}

export interface EnqueueResult {
  id: number;
  /** False when a job with the same idempotency key already existed (its id is returned). */
  created: boolean;
}

export interface Job<P = unknown> {
  id: number;
  topic: string;
  payload: P;
  /** This attempt, from 1; a crash counts as an attempt. */
  attempts: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  /**
   * Stable across every attempt of this job: give it to external systems (SMS gateway, mail
   * relay, another agency's API) as their idempotency key, so a re-run after a crash is a no-op there.
   */
  key: string;
  createdAt: Date;
}

/**
 * A job handler. It runs inside the transaction that marks the job done, so its database
 * effects happen exactly once. Keep it short: on PGlite every other query of the process
 * (HTTP requests included) waits while it runs. Slow or external work goes in `perform` of a
 * {@link JobSpec} instead.
 */
export type JobFn<P = any> = (job: Job<P>, tx: Db) => Promise<void>;

/**
 * A handler in two steps, for jobs that talk to the outside world.
 *
 * `perform` runs outside any transaction (no database connection held, no lock), may take
 * long (the worker renews the lease meanwhile) and must be idempotent under `job.key`: it runs
 * again if the process dies before `commit` commits. `signal` aborts when the worker lost the
 * job's lease to another worker. `commit` then records the outcome in the transaction that
 * marks the job done, exactly once.
 */
export interface JobSpec<P = any, R = unknown> {
  perform?: (job: Job<P>, signal: AbortSignal) => Promise<R>;
  commit?: (job: Job<P>, tx: Db, result: R) => Promise<void>;
  /** Overrides the worker's backoff for this topic. */
  backoff?: Partial<Backoff>;
}

export type JobHandler<P = any> = JobFn<P> | JobSpec<P, any>;

/** Types a two-step handler so that `commit` receives what `perform` returned. */
export function defineJob<P, R>(spec: JobSpec<P, R>): JobSpec<P, R> {
  return spec;
}

/** Thrown by a handler when retrying cannot help (invalid payload, refused for good): dead-letters at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** The worker no longer owns the job (its lease ran out and another worker took it). */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`lease of job ${jobId} was lost to another worker`);
    this.name = 'LeaseLostError';
  }
}

/** Queues a job in the caller's transaction: it exists if and only if the caller's write commits. */
export async function enqueue(tx: Db, topic: string, payload: unknown, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
  if (!topic) throw new Error('a job needs a topic');
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be a whole number >= 1');
  const runAt = opts.runAt ? sql`${opts.runAt.toISOString()}::timestamptz` : sql`now()`;
  const key = opts.idempotencyKey ?? null;
  const inserted = await rows<{ id: unknown }>(
    tx,
    sql`insert into platform.outbox (topic, payload, idempotency_key, run_at, max_attempts)
        values (${topic}, ${JSON.stringify(payload ?? {})}::jsonb, ${key}, ${runAt}, ${maxAttempts})
        on conflict (idempotency_key) do nothing returning id`,
  );
  if (inserted[0]) return { id: Number(inserted[0].id), created: true };
  // a concurrent producer with the same key committed first (the insert waited for it), so
  // this statement's fresh snapshot sees its row
  const [existing] = await rows<{ id: unknown }>(tx, sql`select id from platform.outbox where idempotency_key = ${key}`);
  if (!existing) throw new Error(`job with idempotency key ${key} vanished while enqueueing`);
  return { id: Number(existing.id), created: false };
}

/**
 * Queues many jobs of one topic in one statement (a batch API call, a bulk send). Jobs whose
 * idempotency key is already queued are skipped; returns how many were queued.
 */
export async function enqueueMany(tx: Db, topic: string, jobs: Array<{ payload: unknown; idempotencyKey?: string; runAt?: Date }>, opts: { maxAttempts?: number } = {}): Promise<number> {
  if (jobs.length === 0) return 0;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  // one array parameter per column, however many jobs (a per-row parameter list grows with the batch)
  const payloads = arrayLiteral(jobs.map((j) => JSON.stringify(j.payload ?? {})));
  const keys = arrayLiteral(jobs.map((j) => j.idempotencyKey ?? null));
  const runAts = arrayLiteral(jobs.map((j) => (j.runAt ? j.runAt.toISOString() : null)));
  const r = await rows(
    tx,
    sql`insert into platform.outbox (topic, payload, idempotency_key, run_at, max_attempts)
        select ${topic}, j.payload, j.key, coalesce(j.run_at, now()), ${maxAttempts}
          from unnest(${payloads}::jsonb[], ${keys}::text[], ${runAts}::timestamptz[]) with ordinality as j(payload, key, run_at, n)
         order by j.n
        on conflict (idempotency_key) do nothing returning id`,
  );
  return r.length;
}

export interface Backoff {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** No delay grows beyond this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 5_000, capMs: 3_600_000 };

/**
 * Delay before the next attempt after attempt `attempt` (from 1) failed: exponential
 * `min(cap, base · 2^(attempt-1))`, then "equal jitter" — a random point in its upper half — so
 * that jobs failing together (a gateway outage) do not come back together, and never sooner
 * than half the exponential step.
 */
export function backoffDelay(attempt: number, backoff: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

const ms = (n: number) => sql`(${n}::float8 * interval '1 millisecond')`;

interface JobRow {
  id: unknown;
  topic: string;
  payload: unknown;
  status: string;
  attempts: number;
  max_attempts: number;
  idempotency_key: string | null;
  created_at: Date | string;
}

function toJob(r: JobRow): Job {
  const id = Number(r.id);
  return {
    id,
    topic: r.topic,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    idempotencyKey: r.idempotency_key,
    key: r.idempotency_key ?? `outbox-job-${id}`,
    createdAt: new Date(r.created_at),
  };
}

export interface ClaimOptions {
  workerId: string;
  /** Only these topics: a worker leaves jobs it has no handler for to workers that have one. */
  topics: string[];
  limit: number;
  leaseMs: number;
}

/**
 * Claims up to `limit` ready jobs in one short statement and commits at once: pending jobs whose
 * `run_at` has come, and running jobs whose lease ran out (their worker died). `SKIP LOCKED`
 * lets several workers claim side by side without waiting for or taking each other's rows.
 * Claiming increments `attempts`, so a job that crashes its worker every time still reaches
 * its last attempt: such a job is dead-lettered here instead of being handed out again.
 */
export async function claimJobs(db: Db, o: ClaimOptions): Promise<Job[]> {
  if (o.topics.length === 0 || o.limit < 1) return [];
  const topics = sql.join(o.topics.map((t) => sql`${t}`), sql`, `);
  const expired = sql`o.status = 'running'`;
  const exhausted = sql`o.status = 'running' and o.attempts >= o.max_attempts`;
  const claimed = await rows<JobRow>(
    db,
    sql`with ready as (
          select id from platform.outbox
           where status in ('pending', 'running') and run_at <= now()
             and (status = 'pending' or locked_until <= now())
             and topic in (${topics})
           order by run_at, id
           limit ${o.limit}
           for update skip locked)
        update platform.outbox o set
          status = case when ${exhausted} then 'dead' else 'running' end,
          attempts = case when ${exhausted} then o.attempts else o.attempts + 1 end,
          locked_by = ${o.workerId},
          locked_until = case when ${exhausted} then null else now() + ${ms(o.leaseMs)} end,
          done_at = case when ${exhausted} then now() end,
          last_error = case when ${expired}
            then 'attempt ' || o.attempts || ': lease expired (the worker ' || coalesce(o.locked_by, '?') ||
                 ' stopped or lost its database connection while running the job)'
            else o.last_error end
        from ready where o.id = ready.id
        returning o.id, o.topic, o.payload, o.status, o.attempts, o.max_attempts, o.idempotency_key, o.created_at`,
  );
  return claimed
    .filter((r) => r.status === 'running')
    .map(toJob)
    .sort((a, b) => a.id - b.id);
}

// Every write of the worker on a claimed job is fenced by (locked_by, attempts): that pair
// changes whenever anyone claims the row again, so a worker that lost its lease can no longer
// complete or fail the job, and its handler's transaction rolls back.
const owned = (job: Job, workerId: string) =>
  sql`id = ${job.id} and status = 'running' and locked_by = ${workerId} and attempts = ${job.attempts}`;

/**
 * First statement of the handler's transaction: renews the lease and takes the row lock, which
 * (on PostgreSQL) keeps every other worker's `SKIP LOCKED` claim off the job until this
 * transaction ends, however long the lease. False when the lease was lost.
 */
export async function fenceJob(tx: Db, job: Job, workerId: string, leaseMs: number): Promise<boolean> {
  const r = await rows(tx, sql`update platform.outbox set locked_until = now() + ${ms(leaseMs)} where ${owned(job, workerId)} returning id`);
  return r.length === 1;
}

/** Marks the job done in the handler's transaction; throws {@link LeaseLostError} so that the transaction rolls back if the job is no longer ours. */
export async function completeJob(tx: Db, job: Job, workerId: string): Promise<void> {
  const r = await rows(
    tx,
    sql`update platform.outbox set status = 'done', done_at = now(), locked_until = null where ${owned(job, workerId)} returning id`,
  );
  if (r.length !== 1) throw new LeaseLostError(job.id);
}

// Many claimed jobs, fenced like one: the ids are the access path (the primary key), and each
// row's attempt is checked against its own entry of a second array. A join with unnest(ids,
// attempts) is the same in words, but after a burst the queue's statistics are stale (analysed
// when it was small) and the planner drove that join from a scan of every ready job, per batch.
const ownedMany = (jobs: Job[], workerId: string) => {
  const ids = sql`${arrayLiteral(jobs.map((j) => j.id))}::bigint[]`;
  return sql`o.id = any(${ids}) and o.status = 'running' and o.locked_by = ${workerId}
             and o.attempts = (${arrayLiteral(jobs.map((j) => j.attempts))}::int[])[array_position(${ids}, o.id)]`;
};

/**
 * Completes many claimed jobs in one statement by deleting them (a worker that sends in batches),
 * for producers whose own rows record the outcome (a notification's status): the queue does not
 * grow by a row per message and completing costs no new row versions or index entries. Returns
 * the ids that were still this worker's; the caller writes its effects for those only, in the
 * same transaction.
 */
export async function deleteJobs(tx: Db, jobs: Job[], workerId: string): Promise<Set<number>> {
  if (jobs.length === 0) return new Set();
  const r = await rows<{ id: unknown }>(tx, sql`delete from platform.outbox o where ${ownedMany(jobs, workerId)} returning o.id`);
  return new Set(r.map((x) => Number(x.id)));
}

/**
 * Gives claimed jobs back without counting the attempt (the provider was down, nothing was
 * tried): pending again at `now() + afterMs`. Returns how many were still ours.
 */
export async function releaseJobs(db: Db, jobs: Job[], workerId: string, afterMs: number, reason: string): Promise<number> {
  if (jobs.length === 0) return 0;
  const r = await rows(
    db,
    sql`update platform.outbox o set status = 'pending', attempts = greatest(o.attempts - 1, 0), run_at = now() + ${ms(afterMs)}, locked_until = null, last_error = ${reason}
          where ${ownedMany(jobs, workerId)} returning o.id`,
  );
  return r.length;
}

/** The message kept in `last_error`: personal data scrubbed (it is read by operators), bounded in size. */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return scrub(text).slice(0, 2000);
}

/**
 * Records a failed attempt: back to pending at `now() + retryInMs`, or dead (`retryInMs` null)
 * with the reason. Returns false when the job was no longer ours (nothing written).
 */
export async function failJob(db: Db, job: Job, workerId: string, error: string, retryInMs: number | null): Promise<boolean> {
  const message = `attempt ${job.attempts}: ${error}`;
  const set: SQL =
    retryInMs === null
      ? sql`status = 'dead', done_at = now(), locked_until = null, last_error = ${message}`
      : sql`status = 'pending', run_at = now() + ${ms(retryInMs)}, locked_until = null, last_error = ${message}`;
  const r = await rows(db, sql`update platform.outbox set ${set} where ${owned(job, workerId)} returning id`);
  return r.length === 1;
}

/**
 * Heartbeat: extends the leases of jobs this worker holds. Returns the ids renewed; a job
 * missing from it was either taken over or is in its commit transaction right now.
 */
export async function renewLeases(db: Db, workerId: string, jobs: Job[], leaseMs: number): Promise<Set<number>> {
  if (jobs.length === 0) return new Set();
  const ids = sql.join(jobs.map((j) => sql`${j.id}`), sql`, `);
  const r = await rows<{ id: unknown; attempts: number }>(
    db,
    // SKIP LOCKED: a job in its commit transaction is locked (and protected) by that transaction;
    // waiting for it would only hold a connection
    sql`update platform.outbox set locked_until = now() + ${ms(leaseMs)} where id in (
          select id from platform.outbox
           where locked_by = ${workerId} and status = 'running' and id in (${ids}) for update skip locked)
        returning id, attempts`,
  );
  const got = new Map(r.map((x) => [Number(x.id), x.attempts]));
  return new Set(jobs.filter((j) => got.get(j.id) === j.attempts).map((j) => j.id));
}

/**
 * Puts dead letters back in the queue with a fresh set of attempts (after the cause was fixed).
 * Without a filter it revives nothing: pass ids or a topic.
 */
export async function retryDead(db: Db, filter: { ids?: number[]; topic?: string }): Promise<number> {
  const conds: SQL[] = [];
  if (filter.ids?.length) conds.push(sql`id in (${sql.join(filter.ids.map((i) => sql`${i}`), sql`, `)})`);
  if (filter.topic) conds.push(sql`topic = ${filter.topic}`);
  if (conds.length === 0) return 0;
  const r = await rows(
    db,
    sql`update platform.outbox set status = 'pending', attempts = 0, run_at = now(), done_at = null, locked_by = null
         where status = 'dead' and ${sql.join(conds, sql` and `)} returning id`,
  );
  return r.length;
}

/**
 * Deletes done jobs finished more than `olderThanMs` ago, in batches so that no single
 * statement holds PGlite for long. Dead letters stay until an operator retries or removes them.
 * A pruned job's idempotency key can be used again.
 */
export async function pruneOutbox(db: Db, olderThanMs: number, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await rows(
      db,
      sql`delete from platform.outbox where id in (
            select id from platform.outbox where status = 'done' and done_at < now() - ${ms(olderThanMs)} limit ${batch})
          returning id`,
    );
    total += r.length;
    if (r.length < batch) return total;
  }
}

/** Counts of unfinished and dead jobs per topic, and how late the oldest ready one is, for operators. */
export async function outboxStats(db: Db): Promise<Array<{ topic: string; status: string; count: number; oldestRunAt: Date }>> {
  const r = await rows<{ topic: string; status: string; count: unknown; oldest: Date | string }>(
    db,
    sql`select topic, status, count(*) as count, min(run_at) as oldest from platform.outbox
         where status in ('pending', 'running', 'dead') group by topic, status order by topic, status`,
  );
  return r.map((x) => ({ topic: x.topic, status: x.status, count: Number(x.count), oldestRunAt: new Date(x.oldest) }));
}

/** Topics of pending jobs that no handler in `topics` takes (a typo, or a module missing from this worker). */
export async function unhandledTopics(db: Db, topics: string[]): Promise<Array<{ topic: string; count: number }>> {
  const known = topics.length ? sql`and topic not in (${sql.join(topics.map((t) => sql`${t}`), sql`, `)})` : sql``;
  const r = await rows<{ topic: string; count: unknown }>(
    db,
    sql`select topic, count(*) as count from platform.outbox where status = 'pending' ${known} group by topic order by topic`,
  );
  return r.map((x) => ({ topic: x.topic, count: Number(x.count) }));
}

/**
 * Frees every running job's lease at once. Only for an engine that one process owns (PGlite):
 * a job found running when that process starts was left by a crash, so waiting out its lease
 * would only delay it. Never call this with other workers on the same database.
 */
export async function releaseOrphanedLeases(db: Db): Promise<number> {
  const r = await rows(db, sql`update platform.outbox set locked_until = now() where status = 'running' returning id`);
  return r.length;
}
