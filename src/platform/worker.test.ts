import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type Database, type Db } from './db.ts';
import { createLogger } from './log.ts';
import { migrate, PLATFORM_MIGRATIONS } from './migrate.ts';
import { defineJob, enqueue, PermanentJobError, type JobHandler } from './outbox.ts';
import { testPlatform, type TestPlatform } from './testing.ts';
import { allDone, createEffects, deferred, effectCounts, insertEffect, jobRow, jobsByTopic, waitFor } from './testdata/outbox-helpers.ts';
import { killHandlers } from './testdata/worker-child.ts';
import { runJobs, startWorker, workerMetrics, type Worker, type WorkerOptions } from './worker.ts';

let p: TestPlatform;
const url = () => (p.database as Database & { url?: string }).url;
beforeAll(async () => {
  p = await testPlatform();
  await createEffects(p.db);
});
afterAll(() => p.dispose());

// quick polling and retries so that tests wait on events, not on the production defaults
const fast: WorkerOptions = { pollMs: 20, leaseMs: 30_000, backoff: { baseMs: 10, capMs: 40 } };

async function withWorker<T>(handlers: Record<string, JobHandler>, fn: (w: Worker) => Promise<T>, opts: WorkerOptions = {}): Promise<T> {
  const w = startWorker(p, handlers, { ...fast, ...opts });
  try {
    return await fn(w);
  } finally {
    await w.stop();
  }
}

const statusOf = async (id: number) => (await jobRow(p.db, id)).status;
const settled = (id: number) => async () => ['done', 'dead'].includes(await statusOf(id));

describe('worker', () => {
  it('runs a job: effect and "done" commit together', async () => {
    const { id } = await enqueue(p.db, 'w.ok', { n: 7 });
    await withWorker({ 'w.ok': async (job, tx) => insertEffect(tx, job.id, String(job.payload.n)) }, () => waitFor('job done', settled(id)));
    expect(await jobRow(p.db, id)).toMatchObject({ status: 'done', attempts: 1, last_error: null });
    expect((await effectCounts(p.db)).get(id)).toBe(1);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const { id } = await enqueue(p.db, 'w.flaky', {});
    await withWorker(
      {
        'w.flaky': async (job, tx) => {
          await insertEffect(tx, job.id, 'rolled back unless the last attempt');
          if (job.attempts < 3) throw new Error(`flaky ${job.attempts}`);
        },
      },
      () => waitFor('flaky job done', settled(id)),
    );
    expect(await jobRow(p.db, id)).toMatchObject({ status: 'done', attempts: 3, last_error: 'attempt 2: Error: flaky 2' });
    expect((await effectCounts(p.db)).get(id)).toBe(1);
  });

  it('moves run_at forward by the backoff after each failure', async () => {
    const { id } = await enqueue(p.db, 'w.backoff', {});
    const handlers = { 'w.backoff': async () => Promise.reject(new Error('down')) };
    const opts = { backoff: { baseMs: 60_000, capMs: 3_600_000 } };
    expect(await runJobs(p, handlers, opts)).toMatchObject({ retried: 1, done: 0 });
    const first = await jobRow(p.db, id);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.run_in_ms).toBeGreaterThan(25_000); // half of 60 s, less the statement's own time
    expect(first.run_in_ms).toBeLessThanOrEqual(60_000);
    // not ready yet: nothing runs
    expect(await runJobs(p, handlers, opts)).toMatchObject({ retried: 0 });

    await p.db.execute(sql`update platform.outbox set run_at = now() where id = ${id}`);
    await runJobs(p, handlers, opts);
    const second = await jobRow(p.db, id);
    expect(second.attempts).toBe(2);
    expect(second.run_in_ms).toBeGreaterThan(55_000);
    expect(second.run_in_ms).toBeLessThanOrEqual(120_000);
  });

  it('dead-letters with the reason after max attempts and keeps running other jobs', async () => {
    const bad = await enqueue(p.db, 'w.bad', {}, { maxAttempts: 3 });
    const fatal = await enqueue(p.db, 'w.fatal', {});
    const good = await enqueue(p.db, 'w.good', {});
    const handlers: Record<string, JobHandler> = {
      'w.bad': async () => {
        throw new Error('gateway refused 010-1234-5678');
      },
      'w.fatal': async () => {
        throw new PermanentJobError('payload has no citizen');
      },
      'w.good': async (job, tx) => insertEffect(tx, job.id),
    };
    await withWorker(handlers, async (w) => {
      await waitFor('bad job dead', settled(bad.id));
      await waitFor('fatal job dead', settled(fatal.id));
      // still alive after the dead letters
      const later = await enqueue(p.db, 'w.good', {});
      await waitFor('later job done', settled(later.id));
      expect(w.stats()).toMatchObject({ dead: 2, retried: 2, inFlight: 0 });
      expect(w.stats().done).toBeGreaterThanOrEqual(2);
    });
    expect(await jobRow(p.db, bad.id)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'attempt 3: Error: gateway refused [PHONE]' });
    expect(await jobRow(p.db, fatal.id)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'attempt 1: PermanentJobError: payload has no citizen' });
    expect(await statusOf(good.id)).toBe('done');
  });

  it('leaves a job of an unknown topic waiting for a worker that handles it', async () => {
    const { id } = await enqueue(p.db, 'w.later-module', {});
    const other = await enqueue(p.db, 'w.known', {});
    await withWorker({ 'w.known': async () => {} }, () => waitFor('known job done', settled(other.id)));
    expect(await jobRow(p.db, id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await runJobs(p, { 'w.later-module': async () => {} })).toMatchObject({ done: 1 });
    expect(await statusOf(id)).toBe('done');
  });

  it('does external work outside the transaction with a key stable across attempts', async () => {
    const { id } = await enqueue(p.db, 'w.sms', { to: 'citizen-1' }, { idempotencyKey: 'w.sms:notice-9' });
    const keys: string[] = [];
    const handler = defineJob<{ to: string }, string>({
      perform: async (job) => {
        keys.push(job.key);
        if (job.attempts === 1) throw new Error('gateway timeout');
        return `msg-${job.key}`;
      },
      commit: async (job, tx, messageId) => insertEffect(tx, job.id, messageId),
    });
    await withWorker({ 'w.sms': handler }, () => waitFor('sms job done', settled(id)));
    expect(keys).toEqual(['w.sms:notice-9', 'w.sms:notice-9']);
    const notes = await rows<{ note: string }>(p.db, sql`select note from test_effects where job_id = ${id}`);
    expect(notes).toEqual([{ note: 'msg-w.sms:notice-9' }]);
  });

  it('renews the lease during a long perform, and abandons the attempt when the lease is taken', async () => {
    const { id } = await enqueue(p.db, 'w.long', {});
    const steal = () => p.db.execute(sql`update platform.outbox set locked_by = 'thief', attempts = attempts + 1 where id = ${id}`);
    const handler = defineJob({
      perform: async (job, signal) => {
        const until = (await jobRow(p.db, job.id)).locked_until!.getTime();
        // the heartbeat (every leaseMs/3) pushes locked_until further out
        await waitFor('lease renewed', async () => (await jobRow(p.db, job.id)).locked_until!.getTime() > until);
        await steal();
        await waitFor('perform aborted', async () => signal.aborted);
      },
      commit: async (job, tx) => insertEffect(tx, job.id, 'must not commit'),
    });
    const stats = await runJobs(p, { 'w.long': handler }, { leaseMs: 900 });
    expect(stats).toMatchObject({ lost: 1, done: 0, retried: 0 });
    expect(await jobRow(p.db, id)).toMatchObject({ status: 'running', locked_by: 'thief' });
    expect((await effectCounts(p.db)).get(id)).toBeUndefined();
  });

  it('stop() stops claiming and waits for the job in flight', async () => {
    const a = await enqueue(p.db, 'w.slow', {});
    const b = await enqueue(p.db, 'w.slow', {});
    const started = deferred();
    const release = deferred();
    const handler = defineJob({
      perform: async () => {
        started.resolve();
        await release.promise;
      },
      commit: async (job, tx) => insertEffect(tx, job.id),
    });
    const w = startWorker(p, { 'w.slow': handler }, { ...fast, concurrency: 1 });
    await started.promise;
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    expect(await statusOf(a.id)).toBe('done');
    expect((await effectCounts(p.db)).get(a.id)).toBe(1);
    expect(await jobRow(p.db, b.id)).toMatchObject({ status: 'pending', attempts: 0 });
    await runJobs(p, { 'w.slow': async () => {} });
  });

  it('counts outcomes on a Prometheus registry', async () => {
    const registry = new Registry();
    const { id } = await enqueue(p.db, 'w.metered', {});
    await withWorker({ 'w.metered': async () => {} }, () => waitFor('metered job done', settled(id)), { metrics: workerMetrics(registry) });
    const text = await registry.metrics();
    expect(text).toContain('hanaro_worker_jobs_total{topic="w.metered",outcome="done"} 1');
    expect(text).toContain('hanaro_worker_jobs_in_flight 0');
  });
});

describe('several workers', () => {
  it('two workers over one queue run every job once', async () => {
    const N = 200;
    await p.db.transaction(async (t) => {
      for (let i = 0; i < N; i++) await enqueue(t as unknown as Db, 'w.pair', { i });
    });
    const runs = new Map<number, number>();
    const by = new Map<string, number>();
    const handlers: Record<string, JobHandler> = {
      'w.pair': async (job, tx) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await insertEffect(tx, job.id, 'pair');
        await new Promise((r) => setTimeout(r, 1));
      },
    };
    // on PostgreSQL the second worker has its own connection pool, as a second process would
    const second = url() ? await openDatabase({ databaseUrl: url(), dataDir: 'memory://', poolMax: 5 }) : p.database;
    const w1 = startWorker(p, handlers, { ...fast, id: 'one' });
    const w2 = startWorker({ db: second.db, log: p.log }, handlers, { ...fast, id: 'two' });
    try {
      await waitFor('all pair jobs done', () => allDone(p.db, 'w.pair'), 120_000);
    } finally {
      await Promise.all([w1.stop(), w2.stop()]);
      if (second !== p.database) await second.close();
    }
    const jobs = await jobsByTopic(p.db, 'w.pair');
    for (const j of jobs) by.set(j.locked_by!, (by.get(j.locked_by!) ?? 0) + 1);
    expect(jobs).toHaveLength(N);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(N);
    const effects = await effectCounts(p.db);
    expect(jobs.every((j) => effects.get(j.id) === 1 && j.attempts === 1)).toBe(true);
    console.log(`[two workers, ${p.database.engine}] jobs per worker:`, Object.fromEntries(by));
  }, 180_000);
});

describe('kill -9', () => {
  const N = 200;
  const root = path.resolve(import.meta.dirname, '../..');
  const child = path.join(import.meta.dirname, 'testdata', 'worker-child.ts');
  const alive = new Set<ChildProcess>();
  let dir: string | undefined;
  // a failed or timed-out run must not leave a worker process or a database folder behind
  afterAll(async () => {
    for (const c of alive) c.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  interface Killed {
    pid: number;
    /** Jobs whose handler ran (effect written, perhaps committed) in the child. */
    ran: number[];
    /** The job whose handler was inside its transaction, effect written, when the kill came. */
    hung: number;
  }

  /** Starts a worker process and SIGKILLs it once its run number `hangAt` is stuck inside its transaction. */
  function runAndKill(env: Record<string, string>, hangAt: number): Promise<Killed> {
    return new Promise((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', child], {
        cwd: root,
        env: { ...process.env, ...env, KILL_HANG_AT: String(hangAt) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      alive.add(c);
      const ran: number[] = [];
      let hung = 0;
      let out = '';
      let err = '';
      c.stderr.on('data', (d) => (err += String(d)));
      c.stdout.on('data', (d) => {
        out += String(d);
        const lines = out.split('\n');
        out = lines.pop()!;
        for (const l of lines) {
          if (l.startsWith('ran ')) ran.push(Number(l.slice(4)));
          if (l.startsWith('hang ')) {
            hung = Number(l.slice(5));
            c.kill('SIGKILL');
          }
        }
      });
      c.on('exit', (code, signal) => {
        alive.delete(c);
        if (signal === 'SIGKILL') resolve({ pid: c.pid!, ran: [...ran, hung], hung });
        else reject(new Error(`worker child exited by itself (code ${code}): ${err}`));
      });
    });
  }

  it('every job takes effect exactly once after the worker is killed mid-batch and restarted', async () => {
    const dbUrl = url();
    // PGlite is single-process: it lives in a folder that only one process opens at a time
    dir = dbUrl ? undefined : await mkdtemp(path.join(tmpdir(), 'hanaro-kill-'));
    const open = async () => (dbUrl ? p.database : openDatabase({ databaseUrl: undefined, dataDir: dir! }));
    let database = await open();
    if (dir) await migrate(database, [PLATFORM_MIGRATIONS]);
    await createEffects(database.db, 'kill_effects');
    await database.db.transaction(async (t) => {
      for (let i = 0; i < N; i++) await enqueue(t as unknown as Db, 'kill.effect', { i });
    });
    if (dir) await database.close();

    const env: Record<string, string> = dbUrl ? { KILL_DATABASE_URL: dbUrl } : { KILL_DATA_DIR: dir! };
    const killed: Killed[] = [];
    for (let round = 0; round < 2; round++) killed.push(await runAndKill({ ...env, KILL_LEASE_MS: '1500' }, 40));

    if (dir) database = await open();
    const db = database.db;
    const w = startWorker({ db, log: createLogger('silent') }, killHandlers(() => {}), { pollMs: 20, leaseMs: 1500 });
    try {
      await waitFor('every kill job done', () => allDone(db, 'kill.effect'), 120_000);
    } finally {
      await w.stop();
    }
    const jobs = await jobsByTopic(db, 'kill.effect');
    const effects = await effectCounts(db, 'kill_effects');
    const byPid = await rows<{ pid: number; job_id: unknown }>(db, sql`select pid, job_id from kill_effects`);
    const committedBy = new Map(byPid.map((r) => [Number(r.job_id), r.pid]));
    if (dir) await database.close();

    expect(jobs).toHaveLength(N);
    expect(effects.size).toBe(N);
    expect(jobs.filter((j) => effects.get(j.id) !== 1)).toEqual([]);
    // the job each child was stuck in: its effect was written but rolled back by the kill, and a
    // later process ran it again
    for (const k of killed) {
      expect(committedBy.get(k.hung)).not.toBe(k.pid);
      expect(jobs.find((j) => j.id === k.hung)!.attempts).toBeGreaterThan(1);
    }
    // each child did commit work before it died
    for (const k of killed) expect(byPid.some((r) => r.pid === k.pid)).toBe(true);
    const rolledBack = killed.flatMap((k) => k.ran.filter((id) => committedBy.get(id) !== k.pid));
    const rerun = jobs.filter((j) => j.attempts > 1);
    console.log(
      `[kill -9, ${p.database.engine}] ${killed.map((k) => `child ${k.pid} started ${k.ran.length} runs`).join('; ')}; ` +
        `${rolledBack.length} uncommitted runs rolled back and redone; ${rerun.length} jobs needed more than one attempt; ` +
        `effects per job: all exactly 1 (${effects.size} jobs)`,
    );
  }, 240_000);
});
