import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { moduleHandlers, runJobs } from '../../platform/worker.ts';
import { createApiKey, registriesModule } from '../registries/index.ts';
import { grantAccessRight } from './directory.ts';
import { seedForTests } from './management-testing.ts';
import { exchangeModule } from './index.ts';
import { invalidateDirectoryCache, mediatedCall } from './protocol.ts';
import { addClient } from './protocol-testkit.ts';

/** A registry made through the GovStack Database API appears in the mediator's directory, and goes when disabled. */
const MOHW = 'KR/GOV/MOHW/welfare-services';
const CLIENT = 'KR/GOV/SEOUL/civil-service';
const SERVICE = `${MOHW}/childcare-centres`;
const modules = [registriesModule, exchangeModule];

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let headers: Record<string, string>;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules }));
  await seedForTests(t);
  const { key } = await createApiKey(t, { client: MOHW });
  headers = { authorization: `Bearer ${key}`, 'information-mediator-client': MOHW };
  await addClient(t, CLIENT);
});
afterAll(() => close());

const work = async () => {
  await runJobs(t, moduleHandlers(modules));
  invalidateDirectoryCache(t);
};
const schema = (properties: Record<string, unknown>) => ({
  type: 'object',
  description: 'Licensed childcare centres',
  filename: 'centres.json',
  creationDate: '2026-12-01',
  properties,
  required: ['centreName'],
});
const centreName = { type: 'string', 'x-personal': false };

describe('registries created through the Database API', () => {
  it('are published as their agency’s mediated service, answer once a right is granted, and follow new fields', async () => {
    const created = await app.inject({ method: 'POST', url: '/govstack/digital-registries/database/modify', headers, payload: { code: 'childcare-centres', catalogName: '어린이집', schema: schema({ centreName }) } });
    expect(created.statusCode).toBe(200);
    // not before the change event is handled
    expect((await mediatedCall(t, { client: CLIENT, service: SERVICE, path: '/records' })).status).toBe(404);
    await work();
    // in the directory, but no one may call it until MOHW grants a right
    const denied = await mediatedCall(t, { client: CLIENT, service: SERVICE, path: '/records' });
    expect(denied).toMatchObject({ status: 403, headers: { 'x-road-error': 'Client.AccessDenied' } });
    await grantAccessRight(t, { actingMember: 'KR/GOV/MOHW', serviceId: SERVICE, clientId: CLIENT });
    invalidateDirectoryCache(t);
    const ok = await mediatedCall(t, { client: CLIENT, service: SERVICE, path: '/records' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ registry: 'childcare-centres', records: [] });

    const added = await app.inject({ method: 'POST', url: '/govstack/digital-registries/database/modify', headers, payload: { code: 'childcare-centres', catalogName: '어린이집', schema: schema({ centreName, capacity: { type: 'integer', 'x-personal': false } }) } });
    expect(added.statusCode).toBe(200);
    await work();
    const [svc] = await rows<{ openapi: unknown; is_disabled: boolean }>(t.db, sql`select openapi, is_disabled from exchange.service where member_code = 'MOHW' and service_code = 'childcare-centres'`);
    expect(JSON.stringify(svc!.openapi)).toContain('capacity');
    expect(svc!.is_disabled).toBe(false);
  });

  it('are disabled in the directory when the registry is disabled', async () => {
    const dbs = (await app.inject({ method: 'GET', url: '/govstack/digital-registries/databases', headers })).json().databases as Array<{ id: number; code: string }>;
    const id = dbs.find((d) => d.code === 'childcare-centres')!.id;
    expect((await app.inject({ method: 'DELETE', url: `/govstack/digital-registries/database/${id}`, headers })).statusCode).toBe(200);
    await work();
    const res = await mediatedCall(t, { client: CLIENT, service: SERVICE, path: '/records' });
    expect(res).toMatchObject({ status: 503, headers: { 'x-road-error': 'Server.ServerProxy.ServiceDisabled' } });
  });

  it('the resident registry disabled takes its household view with it', async () => {
    const mois = 'KR/GOV/MOIS/resident-registry';
    const { key } = await createApiKey(t, { client: mois });
    const moisHeaders = { authorization: `Bearer ${key}`, 'information-mediator-client': mois };
    const dbs = (await app.inject({ method: 'GET', url: '/govstack/digital-registries/databases', headers: moisHeaders })).json().databases as Array<{ id: number; code: string }>;
    const id = dbs.find((d) => d.code === 'resident')!.id;
    expect((await app.inject({ method: 'DELETE', url: `/govstack/digital-registries/database/${id}`, headers: moisHeaders })).statusCode).toBe(200);
    await work();
    const services = await rows<{ service_code: string; is_disabled: boolean }>(t.db, sql`select service_code, is_disabled from exchange.service
      where member_code = 'MOIS' and subsystem_code = 'resident-registry' and service_code in ('resident', 'household') order by service_code`);
    expect(services).toEqual([{ service_code: 'household', is_disabled: true }, { service_code: 'resident', is_disabled: true }]);
  });
});
