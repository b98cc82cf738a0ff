import { defineJob, enqueue, type JobHandler } from './outbox.ts';
import type { HanaroModule } from './module.ts';
import type { Platform } from './platform.ts';
import { ensureAccessLogPartitions } from './access-log.ts';

/**
 * Periodic tasks (upkeep that nobody asks for: partitions, expiries, alerts) on the outbox, so
 * that with any number of workers each run happens once: a task's runs are jobs keyed by their
 * time slot (`periodic:<name>:<slot start>`), and each run queues the next slot's in the
 * transaction that completes it. Scheduling at start queues the current slot (a no-op when it is
 * queued or done already). A run that fails is retried like any job; a slot missed while no
 * worker ran is simply skipped.
 */
export interface PeriodicTask {
  /** Unique, e.g. `mydata.sweep`. */
  name: string;
  everyMs: number;
  run(platform: Platform): Promise<unknown>;
}

const PREFIX = 'periodic:';
const slotOf = (everyMs: number, at: number) => Math.floor(at / everyMs) * everyMs;

/** The platform's own tasks: the access log's monthly partitions, kept three months ahead. */
export const PLATFORM_TASKS: PeriodicTask[] = [{ name: 'access-log-partitions', everyMs: 86_400_000, run: (p) => ensureAccessLogPartitions(p.db) }];

export function periodicTasks(modules: HanaroModule[]): PeriodicTask[] {
  const tasks = [...PLATFORM_TASKS, ...modules.flatMap((m) => m.periodic ?? [])];
  const names = new Set<string>();
  for (const t of tasks) {
    if (names.has(t.name)) throw new Error(`two periodic tasks are named ${t.name}`);
    if (!(t.everyMs >= 1000)) throw new Error(`periodic task ${t.name} runs too often`);
    names.add(t.name);
  }
  return tasks;
}

/** One job handler per task: perform runs it, commit queues the next slot. */
export function periodicHandlers(platform: Platform, tasks: PeriodicTask[]): Record<string, JobHandler> {
  return Object.fromEntries(
    tasks.map((t) => [
      `${PREFIX}${t.name}`,
      defineJob<{ slot: number }, void>({
        perform: async () => void (await t.run(platform)),
        commit: async (job, tx) => {
          const next = Math.max(slotOf(t.everyMs, Date.now()), (job.payload?.slot ?? 0)) + t.everyMs;
          await enqueue(tx, `${PREFIX}${t.name}`, { slot: next }, { idempotencyKey: `${PREFIX}${t.name}:${next}`, runAt: new Date(next), maxAttempts: 3 });
        },
      }),
    ]),
  );
}

/** Queues each task's current slot (at start; idempotent). */
export async function schedulePeriodic(platform: Platform, tasks: PeriodicTask[], now = Date.now()): Promise<void> {
  for (const t of tasks) {
    const slot = slotOf(t.everyMs, now);
    await enqueue(platform.db, `${PREFIX}${t.name}`, { slot }, { idempotencyKey: `${PREFIX}${t.name}:${slot}`, maxAttempts: 3 });
  }
}
