import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../platform/errors.ts';
import { testPlatform, type TestPlatform } from '../../platform/testing.ts';
import { sql } from 'drizzle-orm';
import { rows } from '../../platform/db.ts';
import { createRng } from '../../platform/seed.ts';
import { clientKeySeeder, mediatedCall } from './protocol.ts';
import { addClient, addService, grant, protocolTestModule } from './protocol-testkit.ts';
import { setRegistryHandler, type RegistryHandler } from './providers.ts';

const CLIENT = 'KR/GOV/MOHW/welfare-services';
const RESIDENT = 'KR/GOV/MOIS/resident-registry/resident';
const BUSINESS = 'KR/GOV/NTS/business-registry/business';
const CITIZEN = '5d0f7b8e-2c1a-4e55-8f0e-6a3b9c1d2e4f';

let t: TestPlatform;
const calls: Parameters<RegistryHandler>[1][] = [];

beforeAll(async () => {
  t = await testPlatform({ modules: [protocolTestModule] });
  setRegistryHandler(async (_p, req) => {
    calls.push(req);
    if (req.path === '/records/missing') throw new NotFoundError('no such record', 'record_not_found');
    if (req.path === '/crash') throw new Error('registry bug');
    if (req.path === '/hang') return new Promise(() => {});
    if (req.code === 'business') return { status: 200, body: { records: [] }, items: [] };
    return { status: 200, body: { registry: req.code, subject: req.userId, records: [{ name: '김하나' }] }, citizenId: req.userId, items: ['name'] };
  });
  await addService(t, { id: RESIDENT, provider: 'registry:resident/1.0', timeoutMs: 300 });
  await addService(t, { id: BUSINESS, provider: 'registry:business/1.0', personalData: false });
  await addClient(t, CLIENT);
  await grant(t, RESIDENT, CLIENT, '주민등록법 제30조');
  await grant(t, BUSINESS, CLIENT);
});
afterAll(async () => {
  setRegistryHandler(undefined);
  await t.dispose();
});

describe('registry providers (in-process)', () => {
  it('pass code, version, path, query, user and client, and record the items the registry names', async () => {
    const res = await mediatedCall(t, { client: CLIENT, service: RESIDENT, path: '/records?fields=name', userId: CITIZEN, issue: '기초연금 심사' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ registry: 'resident', subject: CITIZEN, records: [{ name: '김하나' }] });
    expect(calls.at(-1)).toMatchObject({ code: 'resident', version: '1.0', method: 'GET', path: '/records', query: { fields: 'name' }, userId: CITIZEN, client: CLIENT, issue: '기초연금 심사' });
    const [access] = await t.accessLog.forCitizen(CITIZEN);
    expect(access).toMatchObject({ items: ['name'], purpose: '기초연금 심사', legalBasis: '주민등록법 제30조', xRoadId: res.xRoadId, service: RESIDENT });
  });

  it('passes a JSON body through as a value', async () => {
    await mediatedCall(t, { client: CLIENT, service: RESIDENT, method: 'POST', path: '/read', userId: CITIZEN, issue: 'x', body: { query: { content: { name: '김하나' } } } });
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/read', body: { query: { content: { name: '김하나' } } } });
  });

  it('writes no access record when no personal item was returned', async () => {
    const before = (await t.accessLog.forCitizen(CITIZEN)).length;
    expect((await mediatedCall(t, { client: CLIENT, service: BUSINESS, path: '/records', userId: CITIZEN, issue: 'x' })).status).toBe(200);
    expect(await t.accessLog.forCitizen(CITIZEN)).toHaveLength(before);
  });

  it("answers the registry's own errors as the provider's (no X-Road-Error), and its failures as X-Road errors", async () => {
    const missing = await mediatedCall(t, { client: CLIENT, service: RESIDENT, path: '/records/missing', userId: CITIZEN, issue: 'x' });
    expect(missing).toMatchObject({ status: 404, body: { code: 'record_not_found', status: 404 } });
    expect(missing.headers['x-road-error']).toBeUndefined();
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const crash = await mediatedCall(t, { client: CLIENT, service: RESIDENT, path: '/crash', userId: CITIZEN, issue: 'x' });
    expect(crash).toMatchObject({ status: 502, headers: { 'x-road-error': 'Server.ServerProxy.ServiceFailed' } });
    const hang = await mediatedCall(t, { client: CLIENT, service: RESIDENT, path: '/hang', userId: CITIZEN, issue: 'x' });
    expect(hang).toMatchObject({ status: 504, headers: { 'x-road-error': 'Server.ServerProxy.ServiceTimeout' } });
  });

  it('a malformed JSON body is the provider-side 400, not a mediator error', async () => {
    const res = await mediatedCall(t, { client: CLIENT, service: RESIDENT, method: 'POST', path: '/read', userId: CITIZEN, issue: 'x', body: '{nope' });
    expect(res.status).toBe(400);
    expect(res.headers['x-road-error']).toBeUndefined();
  });
});

describe('the client-key seeder', () => {
  it('gives every subsystem without an active key one kept for in-process signing, once', async () => {
    const ctx = { platform: t, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } };
    await clientKeySeeder.run(ctx);
    await clientKeySeeder.run(ctx);
    const found = await rows<{ id: string; keys: number; kept: number }>(
      t.db,
      sql`select s.instance || '/' || s.member_class || '/' || s.member_code || '/' || s.subsystem_code as id,
            (select count(*)::int from exchange.client_key k where k.client_id = s.instance || '/' || s.member_class || '/' || s.member_code || '/' || s.subsystem_code) as keys,
            (select count(*)::int from exchange.client_key k join exchange.client_key_private p using (kid)
              where k.client_id = s.instance || '/' || s.member_class || '/' || s.member_code || '/' || s.subsystem_code) as kept
          from exchange.subsystem s order by 1`,
    );
    expect(found.map((f) => f.id)).toEqual(['KR/GOV/MOHW/welfare-services', 'KR/GOV/MOIS/resident-registry', 'KR/GOV/NTS/business-registry']);
    expect(found.every((f) => f.keys === 1 && f.kept === 1)).toBe(true);
    // a provider subsystem can now call as a client too
    const res = await mediatedCall(t, { client: 'KR/GOV/NTS/business-registry', service: RESIDENT, path: '/records', userId: CITIZEN, issue: 'x' });
    expect(res.status).toBe(403);
  });
});
