import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { testApp } from '../../platform/testing.ts';
import { runJobs } from '../../platform/worker.ts';
import { grantAccessRight, revokeAccessRight } from './directory.ts';
import { clientSigners, govstackSchemas, json, seedForTests, testModules, type Signed } from './management-testing.ts';
import { pubsubJobs } from './management.ts';

const ROOM_ID = 'KR/GOV/MOHW/welfare-registry';
const ROOM = `/govstack/information-mediator/r1/${ROOM_ID}`;
const TYPE = 'benefit-decided';
const PUBLISHER = ROOM_ID;
const PULLER = 'KR/GOV/SEOUL/civil-service';
const PUSHER = 'KR/GOV/BUSAN/civil-service';
const validate = govstackSchemas('GovStack_IM_PubSub_API.yaml');
const schema = {
  type: 'object',
  required: ['citizenId', 'benefit'],
  properties: { citizenId: { type: 'string', format: 'uuid' }, benefit: { type: 'string', enum: ['basic-livelihood', 'housing', 'child'] } },
};
const citizen = '3b241101-e2bb-4255-8caf-4136c566a962';

let app: FastifyInstance;
let platform: Platform;
let close: () => Promise<void>;
let call: Signed;

// the subscriber's system that PUSH deliveries reach: answers each request with the next status queued (200 when none)
let server: Server;
let pushUrl: string;
/** The access records of one event's deliveries to the citizen it names (x_road_id holds the event id). */
async function deliveryReads(eventId: string) {
  const found = await platform.accessLog.forCitizen(citizen, { limit: 500 });
  return found.filter((r) => r.xRoadId === eventId).map((r) => ({ reader: r.reader, channel: r.channel, service: r.service, items: [...r.items].sort(), purpose: r.purpose }));
}
const received: Array<{ headers: IncomingHttpHeaders; body: any }> = [];
const answers: number[] = [];

beforeAll(async () => {
  ({ app, platform, close } = await testApp({ modules: testModules }));
  await seedForTests(platform);
  call = clientSigners(platform);
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pushUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  for (const client of [PULLER, PUSHER]) {
    // nobody may subscribe before the providing member grants the events service (created with the first type)
    await json(app, await call(PUBLISHER, 'POST', `${ROOM}/api/v1/eventType`, { eventType: 'placeholder', schema: { type: 'object' } }));
    await grantAccessRight(platform, { actingMember: 'KR/GOV/MOHW', serviceId: `${ROOM_ID}/events`, clientId: client, legalBasis: '사회보장급여법 제19조' });
  }
});
afterAll(async () => {
  await close();
  await new Promise((r) => server.close(r));
});

const jobs = () => runJobs(platform, pubsubJobs);
const status = async (id: string) => (await json(app, await call(PUBLISHER, 'GET', `${ROOM}/pub/v1/${TYPE}/${id}`))).body;
const publish = async (event: unknown, as = PUBLISHER) => json(app, await call(as, 'POST', `${ROOM}/pub/v1/${TYPE}`, { eventType: TYPE, event }));

describe('event types', () => {
  it('only the publisher creates them; the body follows the EventType schema', async () => {
    const body = { eventType: TYPE, schema, title: { ko: '복지급여 결정', en: 'Welfare benefit decided' } };
    expect(validate('EventType', body)).toEqual([]);
    expect(await json(app, await call(PULLER, 'POST', `${ROOM}/api/v1/eventType`, body))).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const made = await json(app, await call(PUBLISHER, 'POST', `${ROOM}/api/v1/eventType`, body));
    expect(made.status).toBe(200);
    expect(validate('EventType', made.body)).toEqual([]);
    expect((await json(app, await call(PUBLISHER, 'POST', `${ROOM}/api/v1/eventType`, body))).status).toBe(409);
  });

  it('refuses schemas that are not usable JSON Schema', async () => {
    const asText = await json(app, await call(PUBLISHER, 'POST', `${ROOM}/api/v1/eventType`, { eventType: 'x', schema: '{"type":"object"}' }));
    expect(asText.status).toBe(400);
    const unknownType = await json(app, await call(PUBLISHER, 'POST', `${ROOM}/api/v1/eventType`, { eventType: 'x', schema: { type: 'thing' } }));
    expect(unknownType).toMatchObject({ status: 400, body: { code: 'bad_request' } });
  });

  it('lists and describes them to any signed client (204 when there is nothing)', async () => {
    const list = await json(app, await call(PULLER, 'GET', `${ROOM}/api/v1/eventType`));
    expect(list.status).toBe(200);
    expect(list.body).toEqual(['benefit-decided', 'placeholder']);
    const one = await json(app, await call(PULLER, 'GET', `${ROOM}/api/v1/eventType/${TYPE}`));
    expect(validate('EventType', one.body)).toEqual([]);
    expect(one.body.schema).toEqual(schema);
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/api/v1/eventType/nothing`))).status).toBe(204);
    expect((await json(app, await call(PULLER, 'GET', '/govstack/information-mediator/r1/KR/GOV/NTS/tax-registry/api/v1/eventType'))).status).toBe(204);
  });
});

describe('PULL subscription', () => {
  let eventId: string;

  it('needs an access right to the room’s events service', async () => {
    const res = await json(app, await call('KR/GOV/MOIS/gov24', 'POST', `${ROOM}/api/v1/subs/${TYPE}`, { eventType: TYPE, delivery: 'PULL' }));
    expect(res).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('subscribes, and answers SubscriptionItems', async () => {
    const body = { eventType: TYPE, delivery: 'PULL', options: { TTL: 86400 } };
    expect(validate('SubscriptionItem', body)).toEqual([]);
    const res = await json(app, await call(PULLER, 'POST', `${ROOM}/api/v1/subs/${TYPE}`, body));
    expect(res.status).toBe(200);
    expect(validate('SubscriptionItem', res.body)).toEqual([]);
    expect(res.body).toMatchObject({ eventType: TYPE, delivery: 'PULL', subscriberId: { instanceId: 'KR', memberClass: 'GOV', memberCode: 'SEOUL', applicationCode: 'civil-service' }, options: { TTL: 86400, FIFO: false } });
    const [audit] = await platform.audit.tail(1);
    expect(audit).toMatchObject({ actor: `client:${PULLER}`, action: 'exchange.pubsub.subscribed', subject: `${ROOM_ID}/${TYPE}`, data: { subscription: res.body.id } });
    expect((await json(app, await call(PULLER, 'POST', `${ROOM}/api/v1/subs/${TYPE}`, body))).status).toBe(409);
    const mine = await json(app, await call(PULLER, 'GET', `${ROOM}/api/v1/subs`));
    expect(mine.body).toHaveLength(1);
    for (const s of mine.body) expect(validate('SubscriptionItem', s)).toEqual([]);
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/api/v1/subs/${TYPE}`))).body).toEqual(res.body);
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/${TYPE}`))).status).toBe(404);
  });

  it('only the publisher publishes, and only events that fit the schema', async () => {
    expect((await publish({ citizenId: citizen, benefit: 'housing' }, PULLER)).status).toBe(403);
    expect((await json(app, await call(PUBLISHER, 'POST', `${ROOM}/pub/v1/${TYPE}`, { eventType: 'other', event: {} }))).status).toBe(400);
    const wrong = await publish({ citizenId: 'not-a-uuid', benefit: 'car' });
    expect(wrong).toMatchObject({ status: 400 });
    expect(wrong.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body/event/benefit', 'body/event/citizenId']);
    expect((await json(app, await call(PUBLISHER, 'POST', `${ROOM}/pub/v1/nothing`, { eventType: 'nothing', event: {} }))).status).toBe(404);
  });

  it('publish → pull (again until confirmed) → confirm → nothing more', async () => {
    const pub = await publish({ citizenId: citizen, benefit: 'housing' });
    expect(pub.status).toBe(201);
    expect(validate('PublishEventResult', pub.body)).toEqual([]);
    eventId = pub.body.id;
    const pulled = await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/${TYPE}`));
    expect(pulled.status).toBe(200);
    expect(validate('EventItem', pulled.body)).toEqual([]);
    expect(pulled.body).toMatchObject({ id: eventId, eventType: TYPE, event: { citizenId: citizen, benefit: 'housing' }, publisherId: { memberCode: 'MOHW', applicationCode: 'welfare-registry' } });
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/${TYPE}`))).body.id).toBe(eventId);
    // the citizen the event names sees one read by the puller, however often it pulled
    const reads = await deliveryReads(eventId);
    expect(reads).toEqual([{ reader: PULLER, channel: 'pubsub', service: `${ROOM_ID}/events`, items: ['benefit', 'citizenId'].sort(), purpose: `event ${TYPE}` }]);
    // another client cannot confirm it (it has no PULL subscription)
    expect((await json(app, await call(PUSHER, 'DELETE', `${ROOM}/pull/v1/${TYPE}/${eventId}`))).status).toBe(409);
    expect((await json(app, await call(PULLER, 'DELETE', `${ROOM}/pull/v1/${TYPE}/${eventId}`))).status).toBe(204);
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/${TYPE}`))).status).toBe(404);
    expect((await json(app, await call(PULLER, 'DELETE', `${ROOM}/pull/v1/${TYPE}/${eventId}`))).status).toBe(404);
    const s = await status(eventId);
    expect(validate('EventItem', s)).toEqual([]);
    expect(s.status).toMatchObject({ subscribers: 1, delivered: 1, pending: 0 });
    expect(s.deliveries[0]).toMatchObject({ subscriberId: PULLER, delivery: 'PULL', status: 'delivered', attempts: 2 });
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/pub/v1/${TYPE}/${eventId}`))).status).toBe(403);
  });

  it('pulls in publication order', async () => {
    const ids: string[] = [];
    for (const benefit of ['child', 'basic-livelihood']) ids.push((await publish({ citizenId: citizen, benefit })).body.id);
    for (const id of ids) {
      const got = await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/${TYPE}`));
      expect(got.body.id).toBe(id);
      await json(app, await call(PULLER, 'DELETE', `${ROOM}/pull/v1/${TYPE}/${id}`));
    }
  });

  it('a deleted event is not pulled', async () => {
    const { id } = (await publish({ citizenId: citizen, benefit: 'child' })).body;
    expect((await json(app, await call(PUBLISHER, 'DELETE', `${ROOM}/pub/v1/${TYPE}/${id}`))).status).toBe(204);
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/${TYPE}`))).status).toBe(404);
    expect((await status(id)).status).toMatchObject({ cancelled: 1 });
    expect((await json(app, await call(PUBLISHER, 'DELETE', `${ROOM}/pub/v1/${TYPE}/${id}`))).status).toBe(404);
  });

  it('a revoked right receives nothing new and cannot pull', async () => {
    await revokeAccessRight(platform, { actingMember: 'KR/GOV/MOHW', serviceId: `${ROOM_ID}/events`, clientId: PULLER });
    const { id } = (await publish({ citizenId: citizen, benefit: 'child' })).body;
    expect((await status(id)).status.subscribers).toBe(0);
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/pull/v1/${TYPE}`))).status).toBe(403);
    await grantAccessRight(platform, { actingMember: 'KR/GOV/MOHW', serviceId: `${ROOM_ID}/events`, clientId: PULLER, legalBasis: '사회보장급여법 제19조' });
  });
});

describe('PUSH subscription', () => {
  it('needs a push address', async () => {
    expect((await json(app, await call(PUSHER, 'POST', `${ROOM}/api/v1/subs/${TYPE}`, { eventType: TYPE }))).status).toBe(400);
    const ftp = await json(app, await call(PUSHER, 'POST', `${ROOM}/api/v1/subs/${TYPE}`, { eventType: TYPE, options: { pushUrl: 'ftp://x/y' } }));
    expect(ftp.status).toBe(400);
    const res = await json(app, await call(PUSHER, 'POST', `${ROOM}/api/v1/subs/${TYPE}`, { eventType: TYPE, delivery: 'PUSH', options: { pushUrl } }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivery: 'PUSH', options: { pushUrl } });
  });

  it('POSTs the event to the subscriber through the outbox and records the delivery', async () => {
    received.length = 0;
    const { id } = (await publish({ citizenId: citizen, benefit: 'housing' })).body;
    await jobs();
    expect(received).toHaveLength(1);
    expect(validate('EventItem', received[0]!.body)).toEqual([]);
    expect(received[0]!.body).toMatchObject({ id, eventType: TYPE, event: { benefit: 'housing' } });
    expect(received[0]!.headers).toMatchObject({ 'idempotency-key': id, 'x-govstack-event-type': TYPE, 'x-govstack-publisher': ROOM_ID });
    const push = (await status(id)).deliveries.find((d: { subscriberId: string }) => d.subscriberId === PUSHER);
    expect(push).toMatchObject({ delivery: 'PUSH', status: 'delivered', attempts: 1, lastError: null });
    expect((await deliveryReads(id)).map((r) => r.reader)).toEqual([PUSHER]);
  });

  it('retries a failed delivery later with backoff, recording each attempt', async () => {
    received.length = 0;
    answers.push(503);
    const { id } = (await publish({ citizenId: citizen, benefit: 'child' })).body;
    await jobs();
    expect(received).toHaveLength(1);
    const after1 = (await status(id)).deliveries.find((d: { subscriberId: string }) => d.subscriberId === PUSHER);
    expect(after1).toMatchObject({ status: 'pending', attempts: 1, lastError: 'attempt 1: HTTP 503' });
    // refused, so not read yet
    expect(await deliveryReads(id)).toEqual([]);
    // the next attempt waits for its backoff: bring it forward instead of waiting
    const next = await rows<{ n: string }>(platform.db, sql`update platform.outbox set run_at = now() where topic = 'exchange.pubsub-push' and status = 'pending' returning id as n`);
    expect(next).toHaveLength(1);
    await jobs();
    expect(received).toHaveLength(2);
    expect(received[1]!.body.id).toBe(id);
    const after2 = (await status(id)).deliveries.find((d: { subscriberId: string }) => d.subscriberId === PUSHER);
    expect(after2).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
    expect((await deliveryReads(id)).map((r) => r.reader)).toEqual([PUSHER]);
  });

  it('gives up at once when the subscriber refuses the event (4xx)', async () => {
    answers.push(422);
    const { id } = (await publish({ citizenId: citizen, benefit: 'child' })).body;
    await jobs();
    const d = (await status(id)).deliveries.find((x: { subscriberId: string }) => x.subscriberId === PUSHER);
    expect(d).toMatchObject({ status: 'failed', attempts: 1 });
    expect(d.lastError).toMatch(/HTTP 422.*given up/);
  });

  it('can switch to PULL (PATCH answers 201) and unsubscribe', async () => {
    const patched = await json(app, await call(PUSHER, 'PATCH', `${ROOM}/api/v1/subs/${TYPE}`, { eventType: TYPE, delivery: 'PULL' }));
    expect(patched.status).toBe(201);
    expect(validate('SubscriptionItem', patched.body)).toEqual([]);
    expect(patched.body.delivery).toBe('PULL');
    const { id } = (await publish({ citizenId: citizen, benefit: 'child' })).body;
    expect((await json(app, await call(PUSHER, 'GET', `${ROOM}/pull/v1/${TYPE}`))).body.id).toBe(id);
    expect((await json(app, await call(PUSHER, 'DELETE', `${ROOM}/api/v1/subs/${TYPE}`))).status).toBe(204);
    expect((await json(app, await call(PUSHER, 'GET', `${ROOM}/api/v1/subs/${TYPE}`))).status).toBe(404);
    expect((await json(app, await call(PUSHER, 'DELETE', `${ROOM}/api/v1/subs/${TYPE}`))).status).toBe(404);
    expect((await status(id)).deliveries.find((x: { subscriberId: string }) => x.subscriberId === PUSHER).status).toBe('cancelled');
  });
});

describe('callers and rooms', () => {
  it('400 without or with a malformed X-GovStack-Client, 403 for an unknown client, 401 unsigned, 404 unknown room', async () => {
    const url = `${ROOM}/api/v1/subs`;
    expect((await json(app, { method: 'GET', url })).status).toBe(400);
    expect((await json(app, { method: 'GET', url, headers: { 'x-govstack-client': 'KR/GOV' } })).status).toBe(400);
    expect(await json(app, { method: 'GET', url, headers: { 'x-govstack-client': 'KR/COM/NOBODY/x' } })).toMatchObject({ status: 403, body: { code: 'unknown_client' } });
    expect((await json(app, { method: 'GET', url, headers: { 'x-govstack-client': PULLER } })).status).toBe(401);
    expect((await json(app, await call(PULLER, 'GET', '/govstack/information-mediator/r1/KR/GOV/NOBODY/x/api/v1/subs'))).status).toBe(404);
  });

  it('a body changed after signing is refused', async () => {
    const req = await call(PUBLISHER, 'POST', `${ROOM}/pub/v1/${TYPE}`, { eventType: TYPE, event: { citizenId: citizen, benefit: 'child' } });
    const res = await json(app, { ...req, payload: JSON.stringify({ eventType: TYPE, event: { citizenId: citizen, benefit: 'housing' } }) });
    expect(res).toMatchObject({ status: 401, body: { code: 'invalid_signature' } });
  });

  it('deleting an event type ends its subscriptions', async () => {
    expect((await json(app, await call(PULLER, 'DELETE', `${ROOM}/api/v1/eventType/${TYPE}`))).status).toBe(403);
    expect((await json(app, await call(PUBLISHER, 'DELETE', `${ROOM}/api/v1/eventType/${TYPE}`))).status).toBe(204);
    expect((await json(app, await call(PUBLISHER, 'DELETE', `${ROOM}/api/v1/eventType/${TYPE}`))).status).toBe(404);
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/api/v1/subs/${TYPE}`))).status).toBe(404);
    expect((await publish({ citizenId: citizen, benefit: 'child' })).status).toBe(404);
    expect((await json(app, await call(PULLER, 'GET', `${ROOM}/api/v1/eventType`))).body).toEqual(['placeholder']);
  });
});
