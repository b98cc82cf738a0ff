import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { testPlatform, type TestPlatform } from '../../platform/testing.ts';
import {
  createService,
  findService,
  grantAccessRight,
  hasAccessRight,
  listAccessRights,
  listMembers,
  listServices,
  listSubsystems,
  revokeAccessRight,
  serviceEndpoints,
} from './directory.ts';
import { parseServiceId, parseSubsystemId } from './directory-ids.ts';
import type { RegistryInfo } from '../registries/index.ts';
import { registryServiceId, seedDirectory } from './directory-seed.ts';
import { SEED_MEMBERS } from './directory-seed-data.ts';
import { seedForTests, testModules } from './management-testing.ts';
import { listEventTypes } from './pubsub.ts';

let p: TestPlatform;
let regs: RegistryInfo[];
beforeAll(async () => {
  p = await testPlatform({ modules: testModules });
  regs = await seedForTests(p);
});
afterAll(() => p.dispose());

const count = async (table: string) => Number((await rows<{ n: string }>(p.db, sql`select count(*) as n from ${sql.raw(table)}`))[0]!.n);

describe('the seeded directory', () => {
  it('has the agencies under their real names, and fictitious private members', async () => {
    const members = await listMembers(p.db);
    const byCode = new Map(members.map((m) => [m.memberCode, m]));
    expect(byCode.get('MOIS')).toMatchObject({ id: 'KR/GOV/MOIS', name: { ko: '행정안전부' } });
    expect(byCode.get('SCOURT')?.name.ko).toBe('법원행정처');
    expect(byCode.get('BUSAN')?.name.ko).toBe('부산광역시');
    expect(members.filter((m) => m.memberClass === 'COM').map((m) => m.memberCode).sort()).toEqual(['HANBANK', 'HANULTEL']);
    expect(members.filter((m) => m.memberClass === 'NGO')).toHaveLength(1);
    expect(members.length).toBe(SEED_MEMBERS.length);
  });

  it('publishes one service per registry on its provider subsystem, with the registry OpenAPI', async () => {
    expect(regs.length).toBeGreaterThanOrEqual(10);
    for (const r of regs) {
      const s = await findService(p.db, registryServiceId(r));
      expect(s, r.code).toMatchObject({
        serviceCode: r.code,
        subsystemCode: r.subsystem,
        memberCode: r.agency,
        provider: `registry:${r.code}/${r.version}`,
        personalData: r.fields.some((f) => f.personal),
        title: r.name,
      });
      expect(s!.openapi).toHaveProperty('openapi');
    }
    const registryServices = (await listServices(p.db)).filter((s) => s.provider.startsWith('registry:'));
    // and the resident registry's household view, a service of its own
    expect(registryServices.map((s) => s.serviceCode).sort()).toEqual([...regs.map((r) => r.code), 'household'].sort());
    const household = await findService(p.db, 'KR/GOV/MOIS/resident-registry/household');
    expect(household).toMatchObject({ provider: 'registry:resident/1.0/household', personalData: true });
    expect(serviceEndpoints(household!.openapi)).toEqual([{ method: 'GET', path: '/records' }]);
    // granted to the document issuer only
    expect(await hasAccessRight(p.db, 'KR/GOV/MOIS/wallet-issuer', 'KR/GOV/MOIS/resident-registry/household')).toBe(true);
    expect(await hasAccessRight(p.db, 'KR/GOV/MOIS/gov24', 'KR/GOV/MOIS/resident-registry/household')).toBe(false);
  });

  it('has the client subsystems and the life-event types of the resident registry', async () => {
    const ids = (await listSubsystems(p.db)).map((s) => s.id);
    for (const id of ['KR/GOV/MOIS/gov24', 'KR/GOV/MOHW/welfare-services', 'KR/GOV/MOIS/mydata', 'KR/GOV/MOIS/wallet-issuer', 'KR/GOV/SEOUL/civil-service', 'KR/COM/HANBANK/loans']) {
      expect(ids).toContain(id);
    }
    const types = await listEventTypes(p.db, 'KR/GOV/MOIS/resident-registry');
    expect(types.map((t) => t.eventType)).toEqual(['birth-registered', 'death-registered', 'resident-moved']);
    expect(types.find((t) => t.eventType === 'birth-registered')?.title.ko).toBe('출생신고');
    const events = await findService(p.db, 'KR/GOV/MOIS/resident-registry/events');
    expect(serviceEndpoints(events!.openapi)).toContainEqual({ method: 'GET', path: '/pull/v1/birth-registered' });
  });

  it('grants rights with legal bases, made by the providing member and audited', async () => {
    const welfare = await listAccessRights(p.db, { clientId: 'KR/GOV/MOHW/welfare-services' });
    const services = welfare.map((r) => parseServiceId(r.serviceId)!.serviceCode);
    expect(services).toEqual(expect.arrayContaining(['resident', 'family', 'income', 'disability', 'events']));
    expect(welfare.find((r) => r.serviceId.endsWith('/income'))?.legalBasis).toMatch(/사회보장급여법 제19조/);
    expect((await listAccessRights(p.db, { clientId: 'KR/GOV/MOIS/gov24' }))[0]?.legalBasis).toMatch(/전자정부법 제36조/);
    for (const r of await listAccessRights(p.db)) expect(r.grantedBy).toBe(r.serviceId.split('/').slice(0, 3).join('/'));
    const audited = await rows<{ n: string }>(p.db, sql`select count(*) as n from platform.audit_log where action = 'exchange.access-right.granted'`);
    expect(Number(audited[0]!.n)).toBe((await listAccessRights(p.db)).length);
    // the NGO is in the directory but may call nothing
    expect(await listAccessRights(p.db, { clientId: 'KR/NGO/NANUM/care-services' })).toEqual([]);
  });

  it('is idempotent', async () => {
    const before = await Promise.all(['exchange.member', 'exchange.subsystem', 'exchange.service', 'exchange.access_right', 'exchange.event_type', 'platform.audit_log'].map(count));
    await seedDirectory(p, regs);
    const after = await Promise.all(['exchange.member', 'exchange.subsystem', 'exchange.service', 'exchange.access_right', 'exchange.event_type', 'platform.audit_log'].map(count));
    expect(after).toEqual(before);
  });
});

describe('access rights', () => {
  const service = 'KR/GOV/MOLIT/vehicle-registry/vehicle';
  const client = 'KR/NGO/NANUM/care-services';

  it('publishing a service grants nobody access', async () => {
    await createService(p.db, {
      id: 'KR/GOV/MOLIT/vehicle-registry/inspections',
      title: { ko: '자동차 검사 이력', en: 'Vehicle inspections' },
      provider: 'https://inspections.example.go.kr/api',
      openapi: { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/inspections/{plate}': { get: {} } } },
      personalData: false,
    });
    expect(await listAccessRights(p.db, { serviceId: 'KR/GOV/MOLIT/vehicle-registry/inspections' })).toEqual([]);
    expect(serviceEndpoints((await findService(p.db, 'KR/GOV/MOLIT/vehicle-registry/inspections'))!.openapi)).toEqual([{ method: 'GET', path: '/inspections/*' }]);
  });

  it('refuses a grant or revocation by a member that does not provide the service, and audits nothing', async () => {
    const audits = await count('platform.audit_log');
    await expect(grantAccessRight(p, { actingMember: 'KR/GOV/MOIS', serviceId: service, clientId: client, legalBasis: 'x' })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    await expect(revokeAccessRight(p, { actingMember: 'KR/GOV/MOHW', serviceId: 'KR/GOV/MOIS/resident-registry/resident', clientId: 'KR/GOV/MOHW/welfare-services' })).rejects.toMatchObject({ status: 403 });
    expect(await hasAccessRight(p.db, client, service)).toBe(false);
    expect(await hasAccessRight(p.db, 'KR/GOV/MOHW/welfare-services', 'KR/GOV/MOIS/resident-registry/resident')).toBe(true);
    expect(await count('platform.audit_log')).toBe(audits);
  });

  it('needs a legal basis for personal data, and known services and clients', async () => {
    await expect(grantAccessRight(p, { actingMember: 'KR/GOV/MOLIT', serviceId: service, clientId: client })).rejects.toMatchObject({ status: 400 });
    await expect(grantAccessRight(p, { actingMember: 'KR/GOV/MOLIT', serviceId: 'KR/GOV/MOLIT/vehicle-registry/nope', clientId: client, legalBasis: 'x' })).rejects.toMatchObject({ status: 404 });
    await expect(grantAccessRight(p, { actingMember: 'KR/GOV/MOLIT', serviceId: service, clientId: 'KR/COM/NOBODY/app', legalBasis: 'x' })).rejects.toMatchObject({ status: 404 });
    await expect(grantAccessRight(p, { actingMember: 'KR/GOV/MOLIT', serviceId: 'not an id', clientId: client, legalBasis: 'x' })).rejects.toMatchObject({ status: 400 });
  });

  it('grants and revokes by the provider, each in the audit log', async () => {
    const g = await grantAccessRight(p, { actingMember: 'KR/GOV/MOLIT', actor: 'official:7', serviceId: service, clientId: client, legalBasis: '개인정보 보호법 제15조 제1항 제1호 (정보주체의 동의)' });
    expect(g.created).toBe(true);
    expect(await hasAccessRight(p.db, client, service)).toBe(true);
    // granting again changes nothing
    expect((await grantAccessRight(p, { actingMember: 'KR/GOV/MOLIT', serviceId: service, clientId: client, legalBasis: 'y' })).created).toBe(false);
    const revoked = await revokeAccessRight(p, { actingMember: 'KR/GOV/MOLIT', actor: 'official:7', serviceId: service, clientId: client, reason: '협약 종료' });
    expect(revoked.revokedBy).toBe('KR/GOV/MOLIT');
    expect(await hasAccessRight(p.db, client, service)).toBe(false);
    await expect(revokeAccessRight(p, { actingMember: 'KR/GOV/MOLIT', serviceId: service, clientId: client })).rejects.toMatchObject({ status: 404 });
    const [grant, revoke] = (await p.audit.tail(2)).map((e) => ({ actor: e.actor, action: e.action, subject: e.subject, data: e.data }));
    expect(grant).toMatchObject({ actor: 'official:7', action: 'exchange.access-right.granted', subject: service, data: { client } });
    expect(revoke).toMatchObject({ actor: 'official:7', action: 'exchange.access-right.revoked', subject: service, data: { client, reason: '협약 종료' } });
    expect((await listAccessRights(p.db, { serviceId: service, clientId: client, includeRevoked: true })).length).toBe(1);
    expect((await p.audit.verify()).ok).toBe(true);
  });

  it('parses identifiers strictly', () => {
    expect(parseSubsystemId('KR/GOV/MOIS/gov24')).toEqual({ instance: 'KR', memberClass: 'GOV', memberCode: 'MOIS', subsystemCode: 'gov24' });
    for (const bad of ['KR/GOV/MOIS', 'KR/GOV/MOIS/gov24/x', 'KR//MOIS/x', 'KR/GOV/MO IS/x', '', 'KR/GOV/MOIS/../x'.replace('..', '')]) {
      expect(parseSubsystemId(bad), bad).toBeUndefined();
    }
  });
});
