import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from './db.ts';
import { periodicHandlers, periodicTasks, schedulePeriodic, type PeriodicTask } from './periodic.ts';
import { testPlatform, type TestPlatform } from './testing.ts';
import { runJobs } from './worker.ts';

// Periodic tasks run once per slot across workers, and each run queues the next slot.

let t: TestPlatform;
beforeAll(async () => {
  t = await testPlatform();
});
afterAll(() => t?.dispose());

const queued = (name: string) =>
  rows<{ status: string; run_at: string; idempotency_key: string }>(t.db, sql`select status, run_at, idempotency_key from platform.outbox where topic = ${`periodic:${name}`} order by id`);

describe('periodic tasks', () => {
  it('run once per slot however often they are scheduled, then queue the next slot', async () => {
    let runs = 0;
    const task: PeriodicTask = { name: 'test.count', everyMs: 3_600_000, run: async () => void runs++ };
    await schedulePeriodic(t, [task]);
    await schedulePeriodic(t, [task]); // a second worker starting in the same hour
    await runJobs(t, periodicHandlers(t, [task]));
    expect(runs).toBe(1);
    const jobs = await queued('test.count');
    expect(jobs.map((j) => j.status)).toEqual(['done', 'pending']);
    const next = new Date(jobs[1]!.run_at).getTime();
    expect(next % 3_600_000).toBe(0);
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(3_600_000);
    // the next slot is not due: nothing more runs now
    await runJobs(t, periodicHandlers(t, [task]));
    expect(runs).toBe(1);
  });

  it('a failing run is retried as a job, and the next slot is queued only once it succeeds', async () => {
    let tries = 0;
    const task: PeriodicTask = { name: 'test.flaky', everyMs: 3_600_000, run: async () => { if (tries++ === 0) throw new Error('not yet'); } };
    await schedulePeriodic(t, [task]);
    await runJobs(t, periodicHandlers(t, [task]));
    expect(tries).toBe(1);
    expect((await queued('test.flaky')).map((j) => j.status)).toEqual(['pending']);
    await t.db.execute(sql`update platform.outbox set run_at = now() where topic = 'periodic:test.flaky'`);
    await runJobs(t, periodicHandlers(t, [task]));
    expect(tries).toBe(2);
    expect((await queued('test.flaky')).map((j) => j.status)).toEqual(['done', 'pending']);
  });

  it('names are unique and the platform keeps its access-log partitions', () => {
    expect(periodicTasks([]).map((x) => x.name)).toContain('access-log-partitions');
    const dup = { name: 'x', everyMs: 60_000, run: async () => {} };
    expect(() => periodicTasks([{ name: 'a', periodic: [dup] }, { name: 'b', periodic: [dup] }])).toThrow(/two periodic tasks/);
  });
});
