import { sql } from 'drizzle-orm';
import { rows, type Db } from './db.ts';

// STUB: the outbox worker issue work fills this in (see worker.ts).

export interface EnqueueOptions {
  /** Same key, same job: a producer that retries does not queue twice. */
  idempotencyKey?: string;
  /** Earliest time to run. */
  runAt?: Date;
  maxAttempts?: number;
}

export interface Job<P = unknown> {
  id: number;
  topic: string;
  payload: P;
  attempts: number;
  idempotencyKey: string | null;
}

/**
 * A job handler. It runs inside the transaction that marks the job done, so its database
 * effects happen exactly once; effects outside the database must use `job.id` or the
 * idempotency key to be safe when a job runs again after a crash.
 */
export type JobHandler<P = any> = (job: Job<P>, tx: Db) => Promise<void>;

/** Queues a job in the caller's transaction: it exists if and only if the caller's write commits. */
export async function enqueue(tx: Db, topic: string, payload: unknown, opts: EnqueueOptions = {}): Promise<number | undefined> {
  const r = await rows<{ id: number }>(
    tx,
    sql`insert into platform.outbox (topic, payload, idempotency_key, run_at, max_attempts)
        values (${topic}, ${JSON.stringify(payload)}::jsonb, ${opts.idempotencyKey ?? null},
                ${(opts.runAt ?? new Date()).toISOString()}, ${opts.maxAttempts ?? 8})
        on conflict (idempotency_key) do nothing returning id`,
  );
  return r[0]?.id;
}
