import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../platform/seed.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createApiKey, registriesModule } from '../registries/index.ts';
import { verifyMessageLog } from './message-log-verify.ts';
import { mediatedCall } from './protocol.ts';
import { addClient, addService, grant, protocolTestModule } from './protocol-testkit.ts';

/** The mediator in front of the real registries module (its handleMediatedRequest, in-process). */
const MOIS = 'KR/GOV/MOIS/resident-registry';
const SVC = `${MOIS}/resident`;
const CLIENT = 'KR/GOV/MOHW/welfare-services';

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let citizen: string;

function rrn(first12: string): string {
  const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const sum = weights.reduce((s, w, i) => s + w * Number(first12[i]), 0);
  return `${first12.slice(0, 6)}-${first12.slice(6)}${(11 - (sum % 11)) % 10}`;
}

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, protocolTestModule] }));
  const definitions = registriesModule.seeders!.find((s) => s.name === 'registries.definitions')!;
  await definitions.run({ platform: t, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  const { key } = await createApiKey(t, { client: MOIS });
  const created = await app.inject({
    method: 'POST',
    url: '/govstack/digital-registries/data/resident/1.0/create',
    headers: { authorization: `Bearer ${key}`, 'information-mediator-client': MOIS },
    payload: {
      write: {
        content: { rrn: rrn('850314200001'), name: '최지우', sex: 'F', birthDate: '1985-03-14', sido: '서울특별시', sigungu: '종로구', status: 'active' },
      },
    },
  });
  expect(created.statusCode).toBe(200);
  citizen = created.json().content.id;
  await addService(t, { id: SVC, provider: 'registry:resident/1.0' });
  await addClient(t, CLIENT);
  await grant(t, SVC, CLIENT, '기초연금법 제11조');
});
afterAll(() => close());

describe('mediated reads of the resident registry', () => {
  it('return the citizen\'s record (RRN masked) and record the personal items read', async () => {
    const res = await mediatedCall(t, { client: CLIENT, service: SVC, path: '/records', userId: citizen, issue: '기초연금 신청 2026-0042' });
    expect(res.status).toBe(200);
    const body = res.body as { registry: string; subject: string; records: Array<Record<string, unknown>> };
    expect(body).toMatchObject({ registry: 'resident', subject: citizen });
    expect(body.records[0]).toMatchObject({ id: citizen, name: '최지우', rrn: '850314-2******' });
    const [access] = await t.accessLog.forCitizen(citizen, { reader: CLIENT });
    expect(access).toMatchObject({ service: SVC, purpose: '기초연금 신청 2026-0042', legalBasis: '기초연금법 제11조', xRoadId: res.xRoadId, channel: 'exchange' });
    expect(access!.items).toEqual(expect.arrayContaining(['name', 'rrn', 'birthDate']));
    expect(access!.items).not.toContain('status'); // not personal
  });

  it("pass the registry's refusals through as the provider's (no X-Road-Error) and log them", async () => {
    const res = await mediatedCall(t, { client: CLIENT, service: SVC, path: '/records', issue: 'no user' });
    expect(res.status).toBe(400);
    expect(res.headers['x-road-error']).toBeUndefined();
    expect(res.body).toMatchObject({ code: 'user_id_required' });
    expect(await verifyMessageLog(t)).toMatchObject({ ok: true, count: 2 });
  });
});
