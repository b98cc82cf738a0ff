import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Db } from './db.ts';
import { deliveryTopic, EVENT_TOPIC, eventHandlers, publish, type DomainEvent, type EventHandler } from './events.ts';
import type { HanaroModule } from './module.ts';
import type { JobFn } from './outbox.ts';
import { testPlatform, type TestPlatform } from './testing.ts';
import { createEffects, effectCounts, insertEffect, jobRow, jobsByTopic, statusCounts, waitFor } from './testdata/outbox-helpers.ts';
import { moduleHandlers, runJobs, startWorker } from './worker.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform();
  await createEffects(p.db);
});
afterAll(() => p.dispose());

const tx = <T>(fn: (tx: Db) => Promise<T>) => p.db.transaction((t) => fn(t as unknown as Db));

interface Birth {
  child: string;
}

describe('publishing', () => {
  it('publishes in the caller transaction only', async () => {
    const id = await tx((t) => publish<Birth>(t, 'test.published', { child: 'c-1' }));
    expect(await jobRow(p.db, id)).toMatchObject({ topic: EVENT_TOPIC, status: 'pending', payload: { type: 'test.published', data: { child: 'c-1' } } });
    await expect(
      tx(async (t) => {
        await publish(t, 'test.rolled-back', {});
        throw new Error('registration failed');
      }),
    ).rejects.toThrow('registration failed');
    const found = await rows(p.db, sql`select id from platform.outbox where payload->>'type' = 'test.rolled-back'`);
    expect(found).toEqual([]);
  });

  it('publishes once per idempotency key and checks event names', async () => {
    const a = await publish(p.db, 'test.keyed', {}, { idempotencyKey: 'birth-77' });
    const b = await publish(p.db, 'test.keyed', {}, { idempotencyKey: 'birth-77' });
    expect(b).toBe(a);
    await expect(publish(p.db, 'Bad Name', {})).rejects.toThrow(/lower-case/);
    await expect(publish(p.db, 'x@y', {})).rejects.toThrow(/lower-case/);
  });
});

describe('fan-out', () => {
  it('delivers one event to each subscriber, each with its own retries and dead letter', async () => {
    const seen: Array<DomainEvent<Birth>> = [];
    const attempts = { audit: 0, notify: 0 };
    const modules: HanaroModule[] = [
      {
        name: 'welfare',
        subscribes: {
          'registries.birth-registered': async (job, tx) => {
            seen.push(job.payload);
            await insertEffect(tx, job.id, 'welfare');
          },
        },
      },
      {
        name: 'notify',
        subscribes: {
          // fails twice, then succeeds: its retries do not repeat welfare's delivery
          'registries.birth-registered': async (job, tx) => {
            attempts.notify++;
            await insertEffect(tx, job.id, 'notify');
            if (job.attempts < 3) throw new Error('messenger down');
          },
        },
      },
      {
        name: 'audit',
        subscribes: {
          'registries.birth-registered': async () => {
            attempts.audit++;
            throw new Error('never works');
          },
        },
        jobs: { 'audit.other': async () => {} },
      },
    ];
    const handlers = moduleHandlers(modules);
    expect(Object.keys(handlers).sort()).toEqual(
      ['audit.other', EVENT_TOPIC, ...['audit', 'notify', 'welfare'].map((s) => deliveryTopic('registries.birth-registered', s))].sort(),
    );

    const eventId = await tx((t) => publish<Birth>(t, 'registries.birth-registered', { child: 'c-9' }));
    const w = startWorker(p, handlers, { pollMs: 20, backoff: { baseMs: 5, capMs: 20 } });
    try {
      await waitFor('deliveries settled', async () => {
        const welfare = await statusCounts(p.db, deliveryTopic('registries.birth-registered', 'welfare'));
        const notify = await statusCounts(p.db, deliveryTopic('registries.birth-registered', 'notify'));
        const audit = await statusCounts(p.db, deliveryTopic('registries.birth-registered', 'audit'));
        return welfare.done === 1 && notify.done === 1 && audit.dead === 1;
      });
    } finally {
      await w.stop();
    }

    expect((await jobRow(p.db, eventId)).status).toBe('done');
    const [welfare] = await jobsByTopic(p.db, deliveryTopic('registries.birth-registered', 'welfare'));
    const [notify] = await jobsByTopic(p.db, deliveryTopic('registries.birth-registered', 'notify'));
    const [audit] = await jobsByTopic(p.db, deliveryTopic('registries.birth-registered', 'audit'));
    expect(welfare).toMatchObject({ attempts: 1, idempotency_key: `delivery:${eventId}@welfare` });
    expect(notify).toMatchObject({ attempts: 3, last_error: 'attempt 2: Error: messenger down' });
    expect(audit).toMatchObject({ status: 'dead', attempts: 8, last_error: 'attempt 8: Error: never works' });
    expect(attempts).toEqual({ audit: 8, notify: 3 });

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: eventId, type: 'registries.birth-registered', data: { child: 'c-9' } });
    expect(new Date(seen[0]!.publishedAt).toISOString()).toBe(seen[0]!.publishedAt);
    const effects = await effectCounts(p.db);
    expect(effects.get(welfare!.id)).toBe(1);
    expect(effects.get(notify!.id)).toBe(1);
  });

  it('finishes an event nobody listens to, and never fans one event out twice', async () => {
    const handler: EventHandler = async () => {};
    const handlers = eventHandlers([{ subscriber: 'only', type: 'test.twice', handler }]);
    const lonely = await publish(p.db, 'test.lonely', {});
    const twice = await publish(p.db, 'test.twice', { n: 1 });
    expect(await runJobs(p, { [EVENT_TOPIC]: handlers[EVENT_TOPIC]! })).toMatchObject({ done: 2 });
    expect((await jobRow(p.db, lonely)).status).toBe('done');

    // a fan-out repeated (as after a crash between its writes and its commit, were they not one transaction)
    const fanOut = handlers[EVENT_TOPIC] as JobFn;
    const job = { id: twice, topic: EVENT_TOPIC, payload: { type: 'test.twice', data: { n: 1 } }, attempts: 2, maxAttempts: 8, idempotencyKey: null, key: 'k', createdAt: new Date() };
    await tx((t) => fanOut(job, t));
    expect(await jobsByTopic(p.db, deliveryTopic('test.twice', 'only'))).toHaveLength(1);
  });
});

describe('module wiring', () => {
  it('refuses two handlers for one topic, reserved topics and bad names', () => {
    const noop = async () => {};
    expect(() => moduleHandlers([{ name: 'a', jobs: { 'x.y': noop } }, { name: 'b', jobs: { 'x.y': noop } }])).toThrow(/two handlers/);
    expect(() => moduleHandlers([{ name: 'a', jobs: { [EVENT_TOPIC]: noop } }])).toThrow(/reserved/);
    expect(() => moduleHandlers([{ name: 'a', jobs: { 'event:x@y': noop } }])).toThrow(/reserved/);
    expect(() => moduleHandlers([{ name: 'a', subscribes: { 'Not Valid': noop } }])).toThrow(/lower-case/);
    expect(() => moduleHandlers([{ name: 'A@b', subscribes: { 'x.y': noop } }])).toThrow(/lower-case/);
    expect(Object.keys(moduleHandlers([]))).toEqual([EVENT_TOPIC]);
  });
});
