import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HanaroModule } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { runSeeders } from '../../platform/seed.ts';
import { testApp } from '../../platform/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { exchangeModule } from './index.ts';
import { createSignerCache } from './client-keys.ts';
import { json } from './management-testing.ts';
import { signRequest } from './signatures.ts';

// The management side inside the whole exchange module (protocol routes beside it) and the
// seeders in their real order: registry definitions → directory → client keys. The population is
// left out (it is slow and not needed here).

const registriesWithoutPopulation: HanaroModule = {
  ...registriesModule,
  seeders: registriesModule.seeders?.filter((s) => s.name === 'registries.definitions'),
};
const modules = [registriesWithoutPopulation, exchangeModule];

let app: FastifyInstance;
let platform: Platform;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, platform, close } = await testApp({ modules }));
  expect(await runSeeders(platform, modules, { seed: 1 })).toEqual(['registries.definitions', 'exchange.directory', 'exchange.client-keys']);
});
afterAll(() => close());

describe('in the exchange module', () => {
  it('serves the directory beside the /r1 protocol', async () => {
    const res = await json(app, { method: 'GET', url: '/govstack/information-mediator/listClients' });
    expect(res.status).toBe(200);
    expect(res.body.member.length).toBeGreaterThan(20);
  });

  it('documents its routes in /openapi.json', async () => {
    const res = await json(app, { method: 'GET', url: '/openapi.json' });
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    expect(paths).toContain('/govstack/information-mediator/listClients');
    expect(paths).toContain('/govstack/information-mediator/r1/{instanceId}/{memberClass}/{memberCode}/{applicationCode}/pull/v1/{eventType}');
    const allowed = res.body.paths['/govstack/information-mediator/r1/{instanceId}/{memberClass}/{memberCode}/{applicationCode}/allowedMethods'].get;
    expect(allowed.parameters).toContainEqual(expect.objectContaining({ name: 'x-govstack-client', in: 'header', required: true }));
    const docs = await app.inject({ method: 'GET', url: '/docs?lang=en' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('allowedMethods');
  });

  it('a seeded client signs with its seeded key and is known to the pub/sub API', async () => {
    const signer = await createSignerCache(platform).signer('KR/GOV/MOHW/welfare-services');
    const url = '/govstack/information-mediator/r1/KR/GOV/MOIS/resident-registry/api/v1/eventType';
    const headers = { 'x-govstack-client': 'KR/GOV/MOHW/welfare-services' };
    const signed = await signRequest(signer, { method: 'GET', url: `http://localhost${url}`, headers });
    const res = await json(app, { method: 'GET', url, headers: { ...headers, ...signed } });
    expect(res).toMatchObject({ status: 200, body: ['birth-registered', 'death-registered', 'resident-moved'] });
    const allowed = '/govstack/information-mediator/r1/KR/GOV/MOIS/resident-registry/allowedMethods';
    const a = await json(app, { method: 'GET', url: allowed, headers: { ...headers, ...(await signRequest(signer, { method: 'GET', url: `http://localhost${allowed}`, headers })) } });
    expect(a.body.member.map((s: { serviceCode: string }) => s.serviceCode).sort()).toEqual(['events', 'resident']);
  });
});
