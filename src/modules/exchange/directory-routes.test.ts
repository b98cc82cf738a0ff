import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../platform/testing.ts';
import type { Platform } from '../../platform/platform.ts';
import { findService, grantAccessRight, revokeAccessRight } from './directory.ts';
import { clientSigners, govstackSchemas, json, seedForTests, testModules, type Signed } from './management-testing.ts';

const IM = '/govstack/information-mediator';
const MOIS = `${IM}/r1/KR/GOV/MOIS/resident-registry`;
const WELFARE_REG = `${IM}/r1/KR/GOV/MOHW/welfare-registry`;
const validate = govstackSchemas('GovStack_IM_Directory_Services_API.yaml');

let app: FastifyInstance;
let platform: Platform;
let close: () => Promise<void>;
let signed: Signed;
beforeAll(async () => {
  ({ app, platform, close } = await testApp({ modules: testModules }));
  await seedForTests(platform);
  signed = clientSigners(platform);
});
afterAll(() => close());

const header = (client: string) => ({ 'x-govstack-client': client });

it('the schema check can fail', () => {
  expect(validate('restServiceDetailsListType', { member: [{ objectType: 'SUBSYSTEM', endpointList: { member: [{ method: 1 }] } }] })).toHaveLength(2);
  expect(validate('restClientDetailsListType', { member: {} })).not.toEqual([]);
});

describe('listClients', () => {
  it('lists members and their applications, valid against restClientDetailsListType', async () => {
    const res = await json(app, { method: 'GET', url: `${IM}/listClients` });
    expect(res.status).toBe(200);
    expect(validate('restClientDetailsListType', res.body)).toEqual([]);
    expect(res.body.member).toContainEqual({ name: '행정안전부', id: { objectType: 'MEMBER', instanceId: 'KR', memberClass: 'GOV', memberCode: 'MOIS' } });
    expect(res.body.member).toContainEqual({
      name: '복지 서비스',
      id: { objectType: 'APPLICATION', instanceId: 'KR', memberClass: 'GOV', memberCode: 'MOHW', applicationCode: 'welfare-services' },
    });
    const en = await json(app, { method: 'GET', url: `${IM}/listClients?instanceId=KR`, headers: { 'accept-language': 'en' } });
    expect(en.body.member).toContainEqual({ name: 'Ministry of the Interior and Safety', id: { objectType: 'MEMBER', instanceId: 'KR', memberClass: 'GOV', memberCode: 'MOIS' } });
    const other = await json(app, { method: 'GET', url: `${IM}/listClients?instanceId=EE` });
    expect(other.body).toEqual({ member: [] });
  });
});

describe('listMethods', () => {
  it('lists the services and endpoints of a provider, valid against restServiceDetailsListType', async () => {
    const res = await json(app, { method: 'GET', url: `${MOIS}/listMethods`, headers: header('KR/GOV/MOHW/welfare-services') });
    expect(res.status).toBe(200);
    expect(validate('restServiceDetailsListType', res.body)).toEqual([]);
    const resident = res.body.member.find((s: { serviceCode: string }) => s.serviceCode === 'resident');
    expect(resident).toMatchObject({ objectType: 'SERVICE', serviceType: 'OPENAPI', instanceId: 'KR', memberClass: 'GOV', memberCode: 'MOIS', applicationCode: 'resident-registry' });
    expect(res.body.member.map((s: { serviceCode: string }) => s.serviceCode)).toContain('events');
    const stored = await findService(platform.db, 'KR/GOV/MOIS/resident-registry/resident');
    expect(resident.endpointList.member.length).toBe(Object.values((stored!.openapi.paths ?? {}) as object).reduce((n: number, p) => n + Object.keys(p).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).length, 0));
    const one = await json(app, { method: 'GET', url: `${WELFARE_REG}/listMethods?serviceId=income`, headers: header('KR/GOV/MOIS/gov24') });
    expect(one.body.member.map((s: { serviceCode: string }) => s.serviceCode)).toEqual(['income']);
  });

  it('needs a well-formed X-GovStack-Client and a known provider', async () => {
    const missing = await json(app, { method: 'GET', url: `${MOIS}/listMethods` });
    expect(missing.status).toBe(400);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    const malformed = await json(app, { method: 'GET', url: `${MOIS}/listMethods`, headers: header('KR/GOV/MOHW') });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'invalid_client' } });
    const unknown = await json(app, { method: 'GET', url: `${IM}/r1/KR/GOV/NOBODY/app/listMethods`, headers: header('KR/GOV/MOIS/gov24') });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });
});

describe('allowedMethods', () => {
  const url = `${IM}/r1/KR/GOV/MOLIT/vehicle-registry/allowedMethods`;
  const codes = (body: { member: Array<{ serviceCode: string }> }) => body.member.map((s) => s.serviceCode);

  it("lists what the signed caller may call, valid against the schema, and follows grants and revocations", async () => {
    const seoul = await json(app, await signed('KR/GOV/SEOUL/civil-service', 'GET', url));
    expect(seoul.status).toBe(200);
    expect(validate('restServiceDetailsListType', seoul.body)).toEqual([]);
    expect(codes(seoul.body)).toEqual(['vehicle']);
    const ngo = 'KR/NGO/NANUM/care-services';
    expect(codes((await json(app, await signed(ngo, 'GET', url))).body)).toEqual([]);
    await grantAccessRight(platform, { actingMember: 'KR/GOV/MOLIT', serviceId: 'KR/GOV/MOLIT/vehicle-registry/vehicle', clientId: ngo, legalBasis: '정보주체의 동의' });
    expect(codes((await json(app, await signed(ngo, 'GET', url))).body)).toEqual(['vehicle']);
    await revokeAccessRight(platform, { actingMember: 'KR/GOV/MOLIT', serviceId: 'KR/GOV/MOLIT/vehicle-registry/vehicle', clientId: ngo });
    expect(codes((await json(app, await signed(ngo, 'GET', url))).body)).toEqual([]);
    const welfare = await json(app, await signed('KR/GOV/MOHW/welfare-services', 'GET', `${MOIS}/allowedMethods`));
    expect(codes(welfare.body).sort()).toEqual(['events', 'resident']);
  });

  it('refuses callers that are missing, malformed, unknown or unsigned', async () => {
    expect((await json(app, { method: 'GET', url })).status).toBe(400);
    expect(await json(app, { method: 'GET', url, headers: header('gov24') })).toMatchObject({ status: 400, body: { code: 'invalid_client' } });
    expect(await json(app, { method: 'GET', url, headers: header('KR/GOV/NOBODY/app') })).toMatchObject({ status: 403, body: { code: 'unknown_client' } });
    expect(await json(app, { method: 'GET', url, headers: header('KR/GOV/MOIS/gov24') })).toMatchObject({ status: 401, body: { code: 'invalid_signature' } });
    // a signature by one client does not vouch for another named in the header
    const asSeoul = await signed('KR/GOV/SEOUL/civil-service', 'GET', url);
    const forged = { ...asSeoul, headers: { ...(asSeoul.headers as Record<string, string>), 'x-govstack-client': 'KR/GOV/MOIS/gov24' } };
    expect(await json(app, forged)).toMatchObject({ status: 401, body: { code: 'invalid_signature' } });
    const en = await json(app, { method: 'GET', url, headers: { ...header('KR/GOV/NOBODY/app'), 'accept-language': 'en' } });
    expect(en.body.detail).toMatch(/Unknown client subsystem/);
  });
});

describe('getOpenAPI', () => {
  it('answers the stored OpenAPI description as a string document', async () => {
    const res = await json(app, { method: 'GET', url: `${MOIS}/getOpenAPI?serviceCode=resident`, headers: header('KR/GOV/MOIS/gov24') });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    // the YAML's 200 schema is `type: string`: the document is sent as text
    expect(typeof res.text).toBe('string');
    const stored = await findService(platform.db, 'KR/GOV/MOIS/resident-registry/resident');
    expect(JSON.parse(res.text)).toEqual(stored!.openapi);
    const yaml = await app.inject({ method: 'GET', url: `${MOIS}/getOpenAPI?serviceCode=resident`, headers: { ...header('KR/GOV/MOIS/gov24'), accept: 'text/yaml' } });
    expect(yaml.headers['content-type']).toMatch(/^text\/yaml/);
    expect(JSON.parse(yaml.body)).toEqual(stored!.openapi);
  });

  it('404 for an unknown service or provider, 400 without serviceCode or client', async () => {
    const h = header('KR/GOV/MOIS/gov24');
    expect((await json(app, { method: 'GET', url: `${MOIS}/getOpenAPI?serviceCode=nope`, headers: h })).status).toBe(404);
    expect((await json(app, { method: 'GET', url: `${IM}/r1/KR/GOV/NOBODY/x/getOpenAPI?serviceCode=resident`, headers: h })).status).toBe(404);
    expect((await json(app, { method: 'GET', url: `${MOIS}/getOpenAPI`, headers: h })).status).toBe(400);
    expect((await json(app, { method: 'GET', url: `${MOIS}/getOpenAPI?serviceCode=resident` })).status).toBe(400);
  });
});
