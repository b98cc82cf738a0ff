import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Db } from './db.ts';
import { EVENT_TOPIC, eventHandlers, type Subscription } from './events.ts';
import type { HanaroModule } from './module.ts';
import type { Platform } from './platform.ts';
import {
  backoffDelay,
  claimJobs,
  completeJob,
  DEFAULT_BACKOFF,
  errorText,
  failJob,
  fenceJob,
  LeaseLostError,
  PermanentJobError,
  pruneOutbox,
  renewLeases,
  unhandledTopics,
  type Backoff,
  type Job,
  type JobHandler,
  type JobSpec,
} from './outbox.ts';

// The job worker. Each job goes through:
//   claim   — short autocommitted statement: running, attempts+1, lease (outbox.ts claimJobs)
//   perform — optional, outside any transaction; the heartbeat keeps the lease alive
//   commit  — one transaction: fence (renew lease, lock row) → handler's writes → mark done
// A crash anywhere before the commit leaves the job 'running' with a lease that runs out; the
// next claim after that takes it again. The handler's writes and "done" commit together, so they
// apply once however often the job is re-run. Why claim and commit are two transactions (rather
// than one long locking transaction): the claim's attempt counter survives a crash, so a job that
// kills its worker is still dead-lettered after max_attempts instead of looping forever.

/** What the worker needs of the platform (a `Platform` is one). */
export interface WorkerHost {
  db: Db;
  log: Logger;
}

export interface WorkerOptions {
  /** Jobs run at once by this worker (default 4). On PGlite their transactions still take turns. */
  concurrency?: number;
  /** How often an idle worker looks for ready jobs (default 500 ms, ±25 % jitter). */
  pollMs?: number;
  /** How long a claimed job stays reserved without a heartbeat; a crashed worker's jobs run again after it (default 30 s). */
  leaseMs?: number;
  /** Retry delays (default 5 s doubling to 1 h, jittered). */
  backoff?: Partial<Backoff>;
  /** Done jobs older than this are deleted (default 7 days; 0 keeps them). Idempotency keys are remembered this long. */
  retainDoneMs?: number;
  /** A handler transaction longer than this is logged as a warning (default 1000 ms). */
  slowCommitMs?: number;
  /** Topics other loops of this process claim themselves (a module's `background`): not reported as unhandled. */
  handledElsewhere?: string[];
  /** Report pending topics nobody here handles, at start (default true; off for a module's side worker of one topic). */
  checkTopics?: boolean;
  /** Names this worker in `locked_by` (default host:pid:random). */
  id?: string;
  metrics?: WorkerMetrics;
}

export interface WorkerStats {
  inFlight: number;
  done: number;
  retried: number;
  dead: number;
  /** Attempts abandoned because the lease went to another worker (or a failure could not be recorded). */
  lost: number;
}

export interface Worker {
  readonly id: string;
  stats(): WorkerStats;
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

type Outcome = 'done' | 'retried' | 'dead' | 'lost';

interface InFlight {
  job: Job;
  phase: 'perform' | 'commit';
  abort: AbortController;
}

const DAY = 86_400_000;

function createRunner(host: WorkerHost, handlers: Record<string, JobHandler>, opts: WorkerOptions) {
  const id = opts.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = opts.leaseMs ?? 30_000;
  const slowCommitMs = opts.slowCommitMs ?? 1000;
  const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const topics = Object.keys(handlers);
  const inflight = new Map<number, InFlight>();
  const counts: Record<Outcome, number> = { done: 0, retried: 0, dead: 0, lost: 0 };
  const log = host.log.child({ component: 'worker', worker: id });
  const m = opts.metrics;
  let beating = false;

  async function settleFailure(entry: InFlight, spec: JobSpec, e: unknown): Promise<Outcome> {
    const { job } = entry;
    if (e instanceof LeaseLostError || entry.abort.signal.aborted) {
      log.warn({ jobId: job.id, topic: job.topic }, 'job lease lost to another worker; this attempt is abandoned');
      return 'lost';
    }
    const dead = e instanceof PermanentJobError || job.attempts >= job.maxAttempts;
    const delay = dead ? null : backoffDelay(job.attempts, { ...backoff, ...spec.backoff });
    try {
      if (!(await failJob(host.db, job, id, errorText(e), delay))) return 'lost';
    } catch (err) {
      log.error({ err, jobId: job.id }, 'could not record a failed attempt; the job runs again when its lease ends');
      return 'lost';
    }
    const fields = { err: e, jobId: job.id, topic: job.topic, attempt: job.attempts, maxAttempts: job.maxAttempts };
    if (dead) log.error(fields, 'job dead-lettered');
    else log.warn({ ...fields, retryInMs: delay }, 'job failed; will retry');
    return dead ? 'dead' : 'retried';
  }

  async function run(job: Job): Promise<Outcome> {
    const h = handlers[job.topic];
    const spec: JobSpec = typeof h === 'function' ? { commit: h } : (h ?? {});
    const entry: InFlight = { job, phase: 'perform', abort: new AbortController() };
    inflight.set(job.id, entry);
    m?.inFlight.set(inflight.size);
    const end = m?.duration.startTimer({ topic: job.topic });
    let outcome: Outcome;
    try {
      if (!h) throw new PermanentJobError(`no handler for topic ${job.topic}`);
      const result = spec.perform ? await spec.perform(job, entry.abort.signal) : undefined;
      if (entry.abort.signal.aborted) throw new LeaseLostError(job.id);
      entry.phase = 'commit';
      let began = 0;
      await host.db.transaction(async (t) => {
        // from inside: on PGlite the wait for the connection is not this job's doing
        began = performance.now();
        const tx = t as unknown as Db;
        if (!(await fenceJob(tx, job, id, leaseMs))) throw new LeaseLostError(job.id);
        await spec.commit?.(job, tx, result);
        await completeJob(tx, job, id);
      });
      const held = performance.now() - began;
      // on PGlite every request of the process waited this long
      if (held > slowCommitMs) log.warn({ jobId: job.id, topic: job.topic, ms: Math.round(held) }, 'job transaction was slow; move slow work to perform()');
      outcome = 'done';
    } catch (e) {
      outcome = await settleFailure(entry, spec, e);
    } finally {
      inflight.delete(job.id);
      m?.inFlight.set(inflight.size);
    }
    counts[outcome]++;
    end?.();
    m?.jobs.inc({ topic: job.topic, outcome });
    return outcome;
  }

  /** Extends the leases of everything in flight; a `perform` whose lease was taken over is told through its signal. */
  async function heartbeat(): Promise<void> {
    if (beating || inflight.size === 0) return;
    beating = true;
    const held = [...inflight.values()];
    try {
      const still = await renewLeases(host.db, id, held.map((e) => e.job), leaseMs);
      for (const e of held) {
        // a job in its commit transaction is locked by us and skipped by the renewal, not lost
        if (!still.has(e.job.id) && inflight.get(e.job.id) === e && e.phase === 'perform') e.abort.abort(new LeaseLostError(e.job.id));
      }
    } catch (err) {
      log.warn({ err }, 'lease renewal failed; will try again');
    } finally {
      beating = false;
    }
  }

  return {
    id,
    log,
    topics,
    inflight,
    run,
    claim: (limit: number) => claimJobs(host.db, { workerId: id, topics, limit, leaseMs }),
    startHeartbeat: () => setInterval(() => void heartbeat(), Math.max(10, Math.floor(leaseMs / 3))),
    stats: (): WorkerStats => ({ inFlight: inflight.size, ...counts }),
  };
}

/**
 * Starts the worker loop: claims up to `concurrency` ready jobs, runs each through its handler,
 * retries failures with backoff and dead-letters them after `max_attempts`. It never throws:
 * database outages are logged and retried. Jobs whose topic has no handler here are left for a
 * worker that has one (a warning at start lists them).
 */
export function startWorker(host: WorkerHost, handlers: Record<string, JobHandler>, opts: WorkerOptions = {}): Worker {
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const pollMs = Math.max(1, opts.pollMs ?? 500);
  const retainMs = opts.retainDoneMs ?? 7 * DAY;
  const runner = createRunner(host, handlers, opts);
  const { log } = runner;
  const running = new Set<Promise<unknown>>();
  const heartbeat = runner.startHeartbeat();
  let stopped = false;
  let wake: (() => void) | undefined;
  // the first prune lands somewhere in the first ten minutes so that workers started together do not all prune at once
  let nextPrune = Date.now() + Math.random() * 600_000;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  async function maybePrune(): Promise<void> {
    if (retainMs <= 0 || Date.now() < nextPrune) return;
    nextPrune = Date.now() + 600_000;
    const n = await pruneOutbox(host.db, retainMs);
    if (n) log.info({ pruned: n }, 'old done jobs deleted');
  }

  async function loop(): Promise<void> {
    try {
      const orphans = opts.checkTopics === false ? [] : await unhandledTopics(host.db, [...runner.topics, ...(opts.handledElsewhere ?? [])]);
      if (orphans.length) log.warn({ orphans }, 'pending jobs whose topic no handler in this worker takes; they wait for a worker that has one');
    } catch (err) {
      log.warn({ err }, 'could not list unhandled topics');
    }
    let failures = 0;
    while (!stopped) {
      const free = concurrency - runner.inflight.size;
      try {
        if (free > 0) {
          for (const job of await runner.claim(free)) {
            const p: Promise<unknown> = runner
              .run(job)
              .catch((err) => log.error({ err, jobId: job.id }, 'job runner failed'))
              .finally(() => {
                running.delete(p);
                // a free slot, and perhaps follow-up jobs (event deliveries) to claim
                wake?.();
              });
            running.add(p);
          }
        }
        await maybePrune();
        failures = 0;
      } catch (err) {
        failures++;
        log.error({ err, failures }, 'worker could not reach the database; backing off');
      }
      if (stopped) break;
      const wait = failures ? Math.min(30_000, pollMs * 2 ** failures) : pollMs * (0.75 + Math.random() / 2);
      await sleep(wait);
    }
  }

  const looping = loop();
  let stopping: Promise<void> | undefined;
  return {
    id: runner.id,
    stats: runner.stats,
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        wake?.();
        await looping;
        await Promise.allSettled([...running]);
        clearInterval(heartbeat);
      })()),
  };
}

/**
 * Runs ready jobs until none is ready, then returns. For tests, scripts and one-shot CLI
 * commands; it does not wait for jobs scheduled later (retries with backoff) or held by others.
 */
export async function runJobs(host: WorkerHost, handlers: Record<string, JobHandler>, opts: WorkerOptions = {}): Promise<WorkerStats> {
  const runner = createRunner(host, handlers, opts);
  const heartbeat = runner.startHeartbeat();
  try {
    for (;;) {
      const jobs = await runner.claim(Math.max(1, opts.concurrency ?? 4));
      if (jobs.length === 0) return runner.stats();
      await Promise.all(jobs.map((j) => runner.run(j)));
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Every module's job handlers and event subscriptions as one topic → handler map for
 * `startWorker`. Two modules claiming one topic, or a module using the event system's topics,
 * is a programming error found at start.
 */
export function moduleHandlers(modules: HanaroModule[], platform?: Platform): Record<string, JobHandler> {
  const out: Record<string, JobHandler> = {};
  const add = (topic: string, h: JobHandler, owner: string) => {
    if (out[topic]) throw new Error(`job topic ${topic} has two handlers (the second from ${owner})`);
    out[topic] = h;
  };
  for (const m of modules) {
    for (const [topic, h] of Object.entries(built(m, 'jobs', platform))) {
      if (topic === EVENT_TOPIC || topic.startsWith('event:')) throw new Error(`module ${m.name}: job topic ${topic} is reserved for domain events`);
      add(topic, h, m.name);
    }
  }
  const subs: Subscription[] = modules.flatMap((m) =>
    Object.entries(built(m, 'subscribes', platform)).map(([type, handler]) => ({ subscriber: m.name, type, handler })),
  );
  for (const [topic, h] of Object.entries(eventHandlers(subs))) add(topic, h, 'events');
  return out;
}

function built(m: HanaroModule, what: 'jobs' | 'subscribes', platform: Platform | undefined): Record<string, JobHandler> {
  const v = m[what];
  if (typeof v !== 'function') return v ?? {};
  if (!platform) throw new Error(`module ${m.name}'s ${what} need the platform: pass it to moduleHandlers`);
  return v(platform);
}

export interface WorkerMetrics {
  jobs: Counter<'topic' | 'outcome'>;
  duration: Histogram<'topic'>;
  inFlight: Gauge;
}

/** Registers the worker's metrics on an app's registry; pass the result as `metrics` to `startWorker`. */
export function workerMetrics(registry: Registry): WorkerMetrics {
  return {
    jobs: new Counter({
      name: 'hanaro_worker_jobs_total',
      help: 'Job attempts by topic and outcome (done, retried, dead, lost)',
      labelNames: ['topic', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'hanaro_worker_job_duration_seconds',
      help: 'Time from claim to outcome of one job attempt',
      labelNames: ['topic'] as const,
      buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 30, 120],
      registers: [registry],
    }),
    inFlight: new Gauge({ name: 'hanaro_worker_jobs_in_flight', help: 'Jobs this process is running', registers: [registry] }),
  };
}
