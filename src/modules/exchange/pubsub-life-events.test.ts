import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Db } from '../../platform/db.ts';
import { publish, type DomainEvent } from '../../platform/events.ts';
import type { Job, JobFn } from '../../platform/outbox.ts';
import { PermanentJobError } from '../../platform/outbox.ts';
import type { Platform } from '../../platform/platform.ts';
import { testApp } from '../../platform/testing.ts';
import { moduleHandlers, runJobs } from '../../platform/worker.ts';
import { clientSigners, govstackSchemas, json, seedForTests, testModules, type Signed } from './management-testing.ts';
import { lifeEventSubscriptions } from './management.ts';

const ROOM = '/govstack/information-mediator/r1/KR/GOV/MOIS/resident-registry';
const PULLER = 'KR/GOV/MOHW/welfare-services';
const PUSHER = 'KR/GOV/MOIS/gov24';
const validate = govstackSchemas('GovStack_IM_PubSub_API.yaml');
const child = '0b8e2c4e-5d0a-4a4e-9a57-3a0f4f1f2c11';
const mother = '6f1d9a3e-2b7c-4d8e-8f00-1a2b3c4d5e6f';

let app: FastifyInstance;
let platform: Platform;
let close: () => Promise<void>;
let call: Signed;
let server: Server;
const pushed: any[] = [];

beforeAll(async () => {
  ({ app, platform, close } = await testApp({ modules: testModules }));
  await seedForTests(platform);
  call = clientSigners(platform);
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      pushed.push(JSON.parse(text));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pushUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/life-events`;
  // both subscribers hold the seeded right to the resident registry's events
  expect((await json(app, await call(PULLER, 'POST', `${ROOM}/api/v1/subs/birth-registered`, { eventType: 'birth-registered', delivery: 'PULL' }))).status).toBe(200);
  expect((await json(app, await call(PUSHER, 'POST', `${ROOM}/api/v1/subs/birth-registered`, { eventType: 'birth-registered', options: { pushUrl } }))).status).toBe(200);
  expect((await json(app, await call(PULLER, 'POST', `${ROOM}/api/v1/subs/death-registered`, { eventType: 'death-registered', delivery: 'PULL' }))).status).toBe(200);
});
afterAll(async () => {
  await close();
  await new Promise((r) => server.close(r));
});

const work = () => runJobs(platform, moduleHandlers(testModules));
const tx = <T>(fn: (t: Db) => Promise<T>) => platform.db.transaction((t) => fn(t as unknown as Db));
const eventCount = async () => Number((await rows<{ n: string }>(platform.db, sql`select count(*) as n from exchange.event`))[0]!.n);

describe('life events', () => {
  it('a birth registered in the resident registry reaches PULL and PUSH subscribers as birth-registered', async () => {
    const birth = { citizenId: child, birthDate: '2025-11-02', motherId: mother, sido: '서울특별시', sigungu: '마포구' };
    await tx((t) => publish(t, 'registries.birth-registered', birth));
    await work();
    expect(pushed).toHaveLength(1);
    expect(validate('EventItem', pushed[0])).toEqual([]);
    expect(pushed[0]).toMatchObject({ eventType: 'birth-registered', event: birth, publisherId: { memberClass: 'GOV', memberCode: 'MOIS', applicationCode: 'resident-registry' } });
    const pulled = await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/birth-registered`));
    expect(pulled.status).toBe(200);
    expect(validate('EventItem', pulled.body)).toEqual([]);
    expect(pulled.body).toMatchObject({ id: pushed[0].id, eventType: 'birth-registered', event: birth });
    expect((await json(app, await call(PULLER, 'DELETE', `${ROOM}/pull/v1/birth-registered/${pulled.body.id}`))).status).toBe(204);
    // each delivery is a read of the child's and the mother's data, on their access logs
    for (const citizen of [child, mother]) {
      const reads = (await platform.accessLog.forCitizen(citizen)).filter((r) => r.xRoadId === pushed[0].id);
      expect(reads.map((r) => r.reader).sort()).toEqual([PULLER, PUSHER].sort());
      expect(reads[0]).toMatchObject({ channel: 'pubsub', service: 'KR/GOV/MOIS/resident-registry/events', purpose: 'event birth-registered' });
      expect(reads[0]!.legalBasis).toBeTruthy();
    }
  });

  it('a death registered reaches its subscriber; a move with no subscriber is published all the same', async () => {
    await tx(async (t) => {
      await publish(t, 'registries.death-registered', { citizenId: mother, deathDate: '2025-11-20' });
      await publish(t, 'registries.resident-moved', { citizenId: child, from: { sido: '서울특별시', sigungu: '마포구' }, to: { sido: '부산광역시', sigungu: '해운대구' }, moveInDate: '2025-11-21' });
    });
    await work();
    const pulled = await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/death-registered`));
    expect(pulled.body).toMatchObject({ eventType: 'death-registered', event: { citizenId: mother, deathDate: '2025-11-20' } });
    const [moved] = await rows<{ n: string }>(platform.db, sql`select count(*) as n from exchange.event where event_type = 'resident-moved'`);
    expect(Number(moved!.n)).toBe(1);
  });

  it('publishes a redelivered domain event once', async () => {
    const handler = lifeEventSubscriptions['registries.birth-registered'] as JobFn<DomainEvent>;
    const event: DomainEvent = { id: 987654, type: 'registries.birth-registered', data: { citizenId: child, birthDate: '2025-11-03' }, publishedAt: new Date().toISOString() };
    const job = { id: 1, topic: 't', payload: event, attempts: 1, maxAttempts: 8, idempotencyKey: null, key: 'k', createdAt: new Date() } as Job<DomainEvent>;
    const before = await eventCount();
    await tx((t) => handler(job, t));
    await tx((t) => handler({ ...job, attempts: 2 }, t));
    expect(await eventCount()).toBe(before + 1);
    const deliveries = await rows(platform.db, sql`select d.* from exchange.delivery d join exchange.event e on e.id = d.event_id where e.payload->>'birthDate' = '2025-11-03'`);
    expect(deliveries).toHaveLength(2);
    // an event that does not fit the schema is dead-lettered at once rather than retried
    const bad = { ...job, payload: { ...event, id: 987655, data: { citizenId: 'x' } } };
    await expect(tx((t) => handler(bad, t))).rejects.toBeInstanceOf(PermanentJobError);
  });

  it('publishes nothing once the publisher deleted the event type', async () => {
    expect((await json(app, await call('KR/GOV/MOIS/resident-registry', 'DELETE', `${ROOM}/api/v1/eventType/resident-moved`))).status).toBe(204);
    const before = await eventCount();
    await tx((t) => publish(t, 'registries.resident-moved', { citizenId: child, to: { sido: '부산광역시', sigungu: '중구' }, moveInDate: '2025-11-25' }));
    const stats = await work();
    expect(stats.dead).toBe(0);
    expect(await eventCount()).toBe(before);
  });
});
