import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { FastifyInstance } from 'fastify';
import { compactVerify, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule, mediatedCall } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { registriesModule } from '../registries/index.ts';
import { seedResidents } from '../registries/test-support.ts';
// documents.ts before resident-certificate.ts: documents.ts lists it among its configurations
import { CONFIGURATIONS, ISSUING_SYSTEM, PURPOSE } from './documents.ts';
import { credentialsModule } from './index.ts';
import { hasher } from './issuer.ts';
import { RESIDENT_REGISTRATION } from './resident-certificate.ts';
import { issueCredential } from './test-support.ts';

// 주민등록표 등본: the household read through the mediator's household view as the issuing system,
// each member on their own access log; people of another household, the dead and the emigrated
// left out; refused for someone who is not an active member of a household.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let ids: Record<string, string>;
const HOUSEHOLD = 'KR/GOV/MOIS/resident-registry/household';
const now = new Date('2026-06-01T03:00:00Z');

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, credentialsModule] }));
  await seedForTests(t);
  await createClientKey(t, ISSUING_SYSTEM, { keepPrivate: true });
  const home = { sido: '경기도', sigungu: '수원시 영통구', roadAddress: '경기도 수원시 영통구 광교중앙로 140', postalCode: '16514', householdId: 'H-2010-0001' };
  const people = await seedResidents(app, t, [
    { serial: 11, name: '김아버지', sex: 'M', birthDate: '1960-01-01', ...home, householdRole: 'head', moveInDate: '2010-03-02' },
    { serial: 12, name: '이어머니', birthDate: '1962-02-02', ...home, householdRole: 'spouse', moveInDate: '2010-03-02' },
    { serial: 13, name: '김민지', birthDate: '2010-03-03', ...home, householdRole: 'child', moveInDate: '2010-03-03' },
    { serial: 14, name: '박할머니', birthDate: '1938-04-04', ...home, householdRole: 'parent', moveInDate: '2019-11-20' },
    { serial: 15, name: '김할아버지', sex: 'M', birthDate: '1935-05-05', ...home, householdRole: 'parent', moveInDate: '2019-11-20', status: 'deceased', deathDate: '2024-01-09' },
    { serial: 16, name: '홍이웃', sex: 'M', birthDate: '1975-06-06', ...home, roadAddress: '경기도 수원시 영통구 광교중앙로 142', householdId: 'H-2015-0002', householdRole: 'head', moveInDate: '2015-07-07' },
    { serial: 17, name: '최세대없음', birthDate: '1999-07-07' },
    { serial: 18, name: '정이민', birthDate: '1980-08-08', ...home, householdRole: 'sibling', moveInDate: '2010-03-02', status: 'emigrated' },
  ]);
  const [father, mother, daughter, grandmother, grandfather, neighbour, alone, emigrant] = people.map((p) => p.id);
  ids = { father: father!, mother: mother!, daughter: daughter!, grandmother: grandmother!, grandfather: grandfather!, neighbour: neighbour!, alone: alone!, emigrant: emigrant! };
}, 90_000);
afterAll(() => close());

const readsFor = async (citizenId: string) => (await t.accessLog.forCitizen(citizenId)).filter((a) => a.service === HOUSEHOLD);

describe('주민등록표 등본 (resident registration certificate)', () => {
  it('lists the household\u2019s head and active members with their relations, and its address', async () => {
    const claims = await RESIDENT_REGISTRATION.read(t, ids.daughter!, now);
    expect(claims).toEqual({
      name: '김민지',
      birthdate: '2010-03-03',
      age_equal_or_over: { '14': true, '19': false, '65': false },
      address: { region: '경기도', locality: '수원시 영통구', street_address: '경기도 수원시 영통구 광교중앙로 140', postal_code: '16514' },
      address_since: '2010-03-02',
      household_head: '김아버지',
      household_members: [
        { name: '김아버지', relation: 'head', birthdate: '1960-01-01', since: '2010-03-02' },
        { name: '이어머니', relation: 'spouse', birthdate: '1962-02-02', since: '2010-03-02' },
        { name: '김민지', relation: 'child', birthdate: '2010-03-03', since: '2010-03-03' },
        { name: '박할머니', relation: 'parent', birthdate: '1938-04-04', since: '2019-11-20' },
      ],
      issuing_authority: '행정안전부 (Ministry of the Interior and Safety)',
      issuing_country: 'KR',
    });
    // no one of another household, no one who died or emigrated; no resident registration number anywhere
    const text = JSON.stringify(claims);
    for (const name of ['홍이웃', '김할아버지', '정이민', '최세대없음']) expect(text).not.toContain(name);
    expect(text).not.toMatch(/\d{6}-\d/);
  });

  it('puts the read on every member\u2019s own access log, with the purpose and legal basis', async () => {
    const before = new Map(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, (await readsFor(id)).length] as const)));
    await RESIDENT_REGISTRATION.read(t, ids.mother!, now);
    for (const who of ['father', 'mother', 'daughter', 'grandmother']) {
      const reads = await readsFor(ids[who]!);
      expect(reads.length, who).toBe(before.get(who)! + 1);
      const [last] = reads;
      expect(last, who).toMatchObject({ reader: ISSUING_SYSTEM, institution: 'MOIS', purpose: PURPOSE, channel: 'exchange', legalBasis: expect.stringContaining('전자증명서') });
      expect(last!.items, who).toEqual(expect.arrayContaining(['name', 'birthDate', 'householdRole', 'moveInDate', 'householdId']));
      expect(last!.items, who).not.toContain('rrn');
    }
    // the address is the head's: on his log; all four reads are one exchange
    expect((await readsFor(ids.father!))[0]!.items).toEqual(expect.arrayContaining(['sido', 'sigungu', 'roadAddress', 'postalCode']));
    expect(new Set(await Promise.all(['father', 'mother', 'daughter', 'grandmother'].map(async (w) => (await readsFor(ids[w]!))[0]!.xRoadId))).size).toBe(1);
    // nothing was read about the neighbour, the dead grandfather or the emigrant
    for (const who of ['neighbour', 'grandfather', 'emigrant']) expect(await readsFor(ids[who]!), who).toEqual([]);
  });

  it('the neighbour\u2019s certificate is his own household only', async () => {
    const claims = await RESIDENT_REGISTRATION.read(t, ids.neighbour!, now);
    expect(claims).toMatchObject({ household_head: '홍이웃', household_members: [{ name: '홍이웃', relation: 'head', since: '2015-07-07' }], address: { street_address: '경기도 수원시 영통구 광교중앙로 142' } });
    expect(claims.household_members).toHaveLength(1);
  });

  it('refuses with credential_request_denied for someone who is not an active member of a household', async () => {
    for (const who of ['alone', 'grandfather', 'emigrant']) {
      await expect(RESIDENT_REGISTRATION.read(t, ids[who]!, now), who).rejects.toMatchObject({ status: 400, error: 'credential_request_denied' });
    }
  });

  it('the household view takes its own access right: a client allowed the resident record is not allowed the household', async () => {
    await createClientKey(t, 'KR/GOV/MOIS/gov24', { keepPrivate: true });
    const resident = await mediatedCall(t, { client: 'KR/GOV/MOIS/gov24', service: 'KR/GOV/MOIS/resident-registry/resident', path: `/records/${ids.daughter}`, userId: ids.daughter, issue: 'test' });
    expect(resident.status).toBe(200);
    const household = await mediatedCall(t, { client: 'KR/GOV/MOIS/gov24', service: HOUSEHOLD, path: '/records', userId: ids.daughter, issue: 'test' });
    expect(household.status).toBe(403);
    expect(household.headers['x-road-error']).toBe('Client.AccessDenied');
  });

  it('is issued over the endpoints, every claim disclosable', async () => {
    const r = await issueCredential(app, t, ids.daughter!, RESIDENT_REGISTRATION.id);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const { jwks } = (await app.inject({ url: '/.well-known/jwt-vc-issuer' })).json() as { jwks: { keys: JWK[] } };
    const byKid = async (data: string, sig: string) => {
      const { kid } = JSON.parse(Buffer.from(data.split('.')[0]!, 'base64url').toString()) as { kid: string };
      const jwk = jwks.keys.find((k) => k.kid === kid);
      return jwk ? compactVerify(`${data}.${sig}`, await importJWK(jwk, 'ES256')).then(() => true, () => false) : false;
    };
    const v = new SDJwtVcInstance({ hasher, verifier: byKid, statusVerifier: byKid, statusListFetcher: async (uri: string) => (await app.inject({ url: new URL(uri).pathname })).body });
    const payload = (await v.verify(r.body.credentials[0].credential)).payload as Record<string, unknown>;
    expect(payload).toMatchObject({ household_head: '김아버지', address_since: '2010-03-02', address: { postal_code: '16514' } });
    expect(payload.household_members).toHaveLength(4);
  });
});
