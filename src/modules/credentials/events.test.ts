import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { moduleHandlers, runJobs } from '../../platform/worker.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { createApiKey, registriesModule } from '../registries/index.ts';
import { auth, BASE, seedRecords, seedResidents } from '../registries/test-support.ts';
import { DRIVING_LICENCE, ISSUING_SYSTEM, RESIDENT_ID } from './documents.ts';
import { credentialsModule } from './index.ts';
import { issueCredential } from './test-support.ts';

// Registry changes reach documents already issued through domain events: a licence suspended,
// valid again, revoked; a move; a death. Each through the GovStack Data API as the agency writes it.

const modules = [registriesModule, exchangeModule, identityModule, credentialsModule];
const KNPA = 'KR/GOV/KNPA/licence-registry';
const MOIS = 'KR/GOV/MOIS/resident-registry';
let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let people: Array<{ id: string; rrn: string }>;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules }));
  await seedForTests(t);
  await createClientKey(t, ISSUING_SYSTEM, { keepPrivate: true });
  people = await seedResidents(app, t, [
    { serial: 1, name: '운전자', birthDate: '1980-01-01' },
    { serial: 2, name: '이사갈사람', birthDate: '1985-01-01' },
  ]);
  await seedRecords(app, t, 'licence', KNPA, [{ subjectId: people[0]!.id, licenceNumber: '12-34-567890-12', licenceClass: 'class1-ordinary', issueDate: '2005-01-01', renewalDue: '2030-01-01', status: 'valid' }]);
}, 90_000);
afterAll(() => close());

const work = () => runJobs(t, moduleHandlers(modules));
const statusOf = async (citizenId: string, configurationId: string) =>
  (await rows<{ status: number }>(t.db, sql`select status from credentials.credential where citizen_id = ${citizenId}::uuid and configuration_id = ${configurationId} order by issued_at`)).map((r) => r.status);

async function write(registry: string, client: string, query: Record<string, unknown>, content: Record<string, unknown>) {
  const { key } = await createApiKey(t, { client });
  const res = await app.inject({ method: 'PUT', url: `${BASE}/data/${registry}/1.0/update`, headers: auth(key, client), payload: { query: { content: query }, write: { content } } });
  expect(res.statusCode, res.body).toBe(200);
}

describe('registry changes reach issued documents', () => {
  it('a licence suspended suspends the driving licence, valid again lifts it, revoked revokes it', async () => {
    const me = people[0]!.id;
    expect((await issueCredential(app, t, me, DRIVING_LICENCE.id)).status).toBe(200);
    await write('licence', KNPA, { licenceNumber: '12-34-567890-12' }, { status: 'suspended' });
    await work();
    expect(await statusOf(me, DRIVING_LICENCE.id)).toEqual([2]);
    await write('licence', KNPA, { licenceNumber: '12-34-567890-12' }, { status: 'valid' });
    await work();
    expect(await statusOf(me, DRIVING_LICENCE.id)).toEqual([0]);
    await write('licence', KNPA, { licenceNumber: '12-34-567890-12' }, { status: 'revoked' });
    await work();
    expect(await statusOf(me, DRIVING_LICENCE.id)).toEqual([1]);
    // and the status list says so
    const list = await app.inject({ url: '/credentials/status/1' });
    expect(list.statusCode).toBe(200);
  });

  it('a move revokes the mobile resident ID (its address is superseded); a death revokes everything', async () => {
    const mover = people[1]!.id;
    expect((await issueCredential(app, t, mover, RESIDENT_ID.id)).status).toBe(200);
    await write('resident', MOIS, { rrn: people[1]!.rrn }, { sido: '부산광역시', sigungu: '해운대구', roadAddress: '부산광역시 해운대구 해운대로 1' });
    await work();
    expect(await statusOf(mover, RESIDENT_ID.id)).toEqual([1]);
    // a new one carries the new address
    const again = await issueCredential(app, t, mover, RESIDENT_ID.id);
    expect(again.status).toBe(200);
    expect(await statusOf(mover, RESIDENT_ID.id)).toEqual([1, 0]);
    await write('resident', MOIS, { rrn: people[1]!.rrn }, { status: 'deceased', deathDate: '2026-12-01' });
    await work();
    expect(await statusOf(mover, RESIDENT_ID.id)).toEqual([1, 1]);
  });
});
