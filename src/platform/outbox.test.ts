import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import {
  backoffDelay,
  claimJobs,
  completeJob,
  enqueue,
  errorText,
  failJob,
  fenceJob,
  LeaseLostError,
  outboxStats,
  pruneOutbox,
  releaseOrphanedLeases,
  renewLeases,
  retryDead,
  unhandledTopics,
} from './outbox.ts';
import { testPlatform, type TestPlatform } from './testing.ts';
import { jobRow, jobsByTopic } from './testdata/outbox-helpers.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform();
});
afterAll(() => p.dispose());

const tx = <T>(fn: (tx: Db) => Promise<T>) => p.db.transaction((t) => fn(t as unknown as Db));
const claim = (workerId: string, topics: string[], limit = 10, leaseMs = 60_000) => claimJobs(p.db, { workerId, topics, limit, leaseMs });

describe('enqueue', () => {
  it('queues a job in the caller transaction, and nothing when the caller rolls back', async () => {
    const { id, created } = await tx((t) => enqueue(t, 'enq.basic', { n: 1 }));
    expect(created).toBe(true);
    expect(await jobRow(p.db, id)).toMatchObject({ topic: 'enq.basic', payload: { n: 1 }, status: 'pending', attempts: 0, max_attempts: 8 });

    await expect(
      tx(async (t) => {
        await enqueue(t, 'enq.rolledback', {});
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await jobsByTopic(p.db, 'enq.rolledback')).toEqual([]);
  });

  it('deduplicates by idempotency key and returns the existing job', async () => {
    const a = await enqueue(p.db, 'enq.dedupe', { v: 1 }, { idempotencyKey: 'enq.dedupe:42' });
    const b = await enqueue(p.db, 'enq.dedupe', { v: 2 }, { idempotencyKey: 'enq.dedupe:42' });
    const c = await enqueue(p.db, 'enq.dedupe', { v: 3 }, { idempotencyKey: 'enq.dedupe:43' });
    expect(b).toEqual({ id: a.id, created: false });
    expect(c.created).toBe(true);
    const jobs = await jobsByTopic(p.db, 'enq.dedupe');
    expect(jobs.map((j) => j.payload)).toEqual([{ v: 1 }, { v: 3 }]);
  });

  it('rejects a job without topic or with a bad attempt limit', async () => {
    await expect(enqueue(p.db, '', {})).rejects.toThrow(/topic/);
    await expect(enqueue(p.db, 'enq.bad', {}, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
  });
});

describe('claiming', () => {
  it('claims ready jobs of known topics, oldest first, each once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await enqueue(p.db, 'claim.a', { i })).id);
    const later = await enqueue(p.db, 'claim.a', {}, { runAt: new Date(Date.now() + 3_600_000) });
    const other = await enqueue(p.db, 'claim.other', {});

    const first = await claim('w1', ['claim.a'], 3);
    expect(first.map((j) => j.id)).toEqual(ids.slice(0, 3));
    expect(first[0]).toMatchObject({ topic: 'claim.a', payload: { i: 0 }, attempts: 1, maxAttempts: 8, key: `outbox-job-${ids[0]}` });
    const row = await jobRow(p.db, ids[0]!);
    expect(row).toMatchObject({ status: 'running', attempts: 1, locked_by: 'w1' });
    expect(row.lease_left_ms).toBeGreaterThan(50_000);

    const second = await claim('w2', ['claim.a'], 10);
    expect(second.map((j) => j.id)).toEqual(ids.slice(3));
    expect(await claim('w3', ['claim.a'], 10)).toEqual([]);
    expect((await jobRow(p.db, later.id)).status).toBe('pending');
    expect((await jobRow(p.db, other.id)).status).toBe('pending');
    expect(await claim('w3', [], 10)).toEqual([]);
  });

  it('gives a crashed worker\'s job to another worker after its lease, and fences the old owner out', async () => {
    const { id } = await enqueue(p.db, 'lease.crash', {});
    const [a] = await claim('worker-a', ['lease.crash']);
    expect(a).toBeDefined();
    // the lease still runs: nobody else may take the job
    expect(await claim('worker-b', ['lease.crash'])).toEqual([]);

    await p.db.execute(sql`update platform.outbox set locked_until = now() - interval '1 second' where id = ${id}`);
    const [b] = await claim('worker-b', ['lease.crash']);
    expect(b).toMatchObject({ id, attempts: 2 });
    const row = await jobRow(p.db, id);
    expect(row).toMatchObject({ status: 'running', locked_by: 'worker-b' });
    expect(row.last_error).toMatch(/^attempt 1: lease expired \(the worker worker-a stopped/);

    // worker-a comes back to life: none of its writes land
    expect(await tx((t) => fenceJob(t, a!, 'worker-a', 60_000))).toBe(false);
    await expect(tx((t) => completeJob(t, a!, 'worker-a'))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await failJob(p.db, a!, 'worker-a', 'late', 1000)).toBe(false);
    expect([...(await renewLeases(p.db, 'worker-a', [a!], 60_000))]).toEqual([]);

    // worker-b still owns it
    expect([...(await renewLeases(p.db, 'worker-b', [b!], 60_000))]).toEqual([id]);
    await tx(async (t) => {
      expect(await fenceJob(t, b!, 'worker-b', 60_000)).toBe(true);
      await completeJob(t, b!, 'worker-b');
    });
    expect(await jobRow(p.db, id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('dead-letters a job whose every attempt ended in a lost lease', async () => {
    const { id } = await enqueue(p.db, 'lease.poison', {}, { maxAttempts: 2 });
    for (let round = 0; round < 2; round++) {
      expect(await claim(`crashy-${round}`, ['lease.poison'])).toHaveLength(1);
      await p.db.execute(sql`update platform.outbox set locked_until = now() - interval '1 second' where id = ${id}`);
    }
    expect(await claim('next', ['lease.poison'])).toEqual([]);
    const row = await jobRow(p.db, id);
    expect(row).toMatchObject({ status: 'dead', attempts: 2 });
    expect(row.last_error).toMatch(/^attempt 2: lease expired/);
  });
});

describe('failures', () => {
  it('schedules a retry at now() + the delay, or dead-letters with the reason', async () => {
    const { id } = await enqueue(p.db, 'fail.a', {}, { maxAttempts: 3 });
    const [j1] = await claim('w', ['fail.a']);
    expect(await failJob(p.db, j1!, 'w', 'Error: gateway down', 120_000)).toBe(true);
    const r1 = await jobRow(p.db, id);
    expect(r1).toMatchObject({ status: 'pending', attempts: 1, last_error: 'attempt 1: Error: gateway down', locked_by: 'w' });
    expect(r1.run_in_ms).toBeGreaterThan(100_000);
    expect(r1.run_in_ms).toBeLessThanOrEqual(120_000);
    expect(r1.lease_left_ms).toBeNull();

    await p.db.execute(sql`update platform.outbox set run_at = now() where id = ${id}`);
    const [j2] = await claim('w', ['fail.a']);
    expect(j2?.attempts).toBe(2);
    expect(await failJob(p.db, j2!, 'w', 'Error: bad payload', null)).toBe(true);
    expect(await jobRow(p.db, id)).toMatchObject({ status: 'dead', attempts: 2, last_error: 'attempt 2: Error: bad payload' });
  });

  it('keeps error text free of personal data and bounded', () => {
    expect(errorText(new TypeError('no reply from 010-1234-5678 for 900101-1234567'))).toBe('TypeError: no reply from [PHONE] for [RRN]');
    expect(errorText('plain')).toBe('plain');
    expect(errorText(new Error('x'.repeat(5000))).length).toBe(2000);
  });

  it('backs off exponentially with equal jitter, capped', () => {
    const b = { baseMs: 1000, capMs: 10_000 };
    expect(backoffDelay(1, b, () => 0)).toBe(500);
    expect(backoffDelay(1, b, () => 1)).toBe(1000);
    expect(backoffDelay(3, b, () => 0)).toBe(2000);
    expect(backoffDelay(3, b, () => 1)).toBe(4000);
    expect(backoffDelay(10, b, () => 0)).toBe(5000);
    expect(backoffDelay(10, b, () => 1)).toBe(10_000);
    for (let attempt = 1; attempt < 12; attempt++) {
      const d = backoffDelay(attempt, b);
      const step = Math.min(b.capMs, b.baseMs * 2 ** (attempt - 1));
      expect(d).toBeGreaterThanOrEqual(step / 2);
      expect(d).toBeLessThanOrEqual(step);
    }
  });
});

describe('operations', () => {
  it('retries dead letters on request and prunes old done jobs only', async () => {
    const dead = await enqueue(p.db, 'ops.dead', {}, { maxAttempts: 1 });
    const [j] = await claim('w', ['ops.dead']);
    await failJob(p.db, j!, 'w', 'Error: nope', null);
    expect(await retryDead(p.db, {})).toBe(0);
    expect(await retryDead(p.db, { topic: 'ops.dead' })).toBe(1);
    expect(await jobRow(p.db, dead.id)).toMatchObject({ status: 'pending', attempts: 0, last_error: 'attempt 1: Error: nope' });

    const old = await enqueue(p.db, 'ops.prune', {}, { idempotencyKey: 'ops.prune:old' });
    const recent = await enqueue(p.db, 'ops.prune', {});
    for (const job of await claim('w', ['ops.prune'])) await tx((t) => completeJob(t, job, 'w'));
    await p.db.execute(sql`update platform.outbox set done_at = now() - interval '8 days' where id = ${old.id}`);
    expect(await pruneOutbox(p.db, 7 * 86_400_000, 1)).toBe(1);
    expect((await jobsByTopic(p.db, 'ops.prune')).map((r) => r.id)).toEqual([recent.id]);
    // the key of a pruned job is free again
    expect((await enqueue(p.db, 'ops.prune', {}, { idempotencyKey: 'ops.prune:old' })).created).toBe(true);
  });

  it('reports unfinished work per topic and topics nobody handles', async () => {
    await enqueue(p.db, 'ops.orphan', {});
    await enqueue(p.db, 'ops.orphan', {});
    const stats = await outboxStats(p.db);
    expect(stats.find((s) => s.topic === 'ops.orphan')).toMatchObject({ status: 'pending', count: 2 });
    const orphans = await unhandledTopics(p.db, ['ops.prune', 'ops.dead']);
    expect(orphans).toContainEqual({ topic: 'ops.orphan', count: 2 });
    expect(orphans.find((o) => o.topic === 'ops.dead')).toBeUndefined();
  });
});

describe('orphaned leases on a single-process engine', () => {
  it('a job left running by a crashed process can be claimed at once after release', async () => {
    await enqueue(p.db, 'orphan.job', { n: 1 });
    const [job] = await claim('crashed-worker', ['orphan.job'], 1, 3_600_000);
    expect(job).toBeDefined();
    // its lease has an hour to go: nobody else may take it
    expect(await claim('new-worker', ['orphan.job'])).toEqual([]);
    expect(await releaseOrphanedLeases(p.db)).toBeGreaterThanOrEqual(1);
    const [again] = await claim('new-worker', ['orphan.job']);
    expect(again?.id).toBe(job!.id);
    expect(again?.attempts).toBe(2);
  });
});
