import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { getRegistry } from './catalog.ts';
import { handleMediatedRequest, HOUSEHOLD_VIEW, householdServiceOpenApi, type MediatedRequest } from './index.ts';
import * as service from './service.ts';
import { MOIS, registriesApp, resident } from './test-support.ts';

// The household view (주민등록표 등본): the active members of the named citizen's household, each
// member's items named for their own access record; nothing for a citizen who is not an active
// member of a household.

let t: Awaited<ReturnType<typeof registriesApp>>;
const ids: Record<string, string> = {};
const ctx = { actor: MOIS, lang: 'en' as const };
const H = { householdId: 'H-77', sido: '부산광역시', sigungu: '해운대구', roadAddress: '부산광역시 해운대구 센텀중앙로 79', postalCode: '48058' };

beforeAll(async () => {
  t = await registriesApp();
  const res = await getRegistry(t.platform, 'resident');
  const add = async (k: string, over: Record<string, unknown> & { serial: number }) => (ids[k] = (await service.createRecord(t.platform, res, ctx, resident(over))).id);
  // the child first: the head is found by role, not by order
  await add('child', { serial: 33, name: '윤아이', birthDate: '2015-01-01', ...H, householdRole: 'child', moveInDate: '2015-01-01' });
  await add('head', { serial: 31, name: '윤세대주', sex: 'M', birthDate: '1980-01-01', ...H, householdRole: 'head', moveInDate: '2012-05-05' });
  await add('spouse', { serial: 32, name: '강배우자', birthDate: '1982-01-01', ...H, householdRole: 'spouse', moveInDate: '2013-06-06' });
  await add('dead', { serial: 34, name: '윤고인', sex: 'M', birthDate: '1950-01-01', ...H, householdRole: 'parent', moveInDate: '2012-05-05', status: 'deceased', deathDate: '2020-02-02' });
  await add('other', { serial: 35, name: '남다른', birthDate: '1990-01-01', ...H, householdId: 'H-78', householdRole: 'head', moveInDate: '2018-01-01' });
  await add('none', { serial: 36, name: '무세대', birthDate: '1991-01-01' });
});
afterAll(() => t.close());

const call = (userId: string | undefined, over: Partial<MediatedRequest> = {}) =>
  handleMediatedRequest(t.platform, { code: 'resident', view: HOUSEHOLD_VIEW, method: 'GET', path: '/records', query: {}, client: 'KR/GOV/MOIS/wallet-issuer', issue: 'document issuance', userId, ...over });

describe('the household view', () => {
  it('answers the household of the named citizen: address from the head, active members head first, no RRN', async () => {
    const r = await call(ids.spouse);
    expect(r.body).toEqual({
      registry: 'resident', version: '1.0', view: HOUSEHOLD_VIEW, subject: ids.spouse,
      records: [{
        id: 'H-77', head: ids.head, sido: '부산광역시', sigungu: '해운대구', roadAddress: '부산광역시 해운대구 센텀중앙로 79', postalCode: '48058', moveInDate: '2012-05-05',
        members: [
          { id: ids.head, name: '윤세대주', sex: 'M', birthDate: '1980-01-01', nationality: 'KR', householdRole: 'head', moveInDate: '2012-05-05' },
          { id: ids.spouse, name: '강배우자', sex: 'F', birthDate: '1982-01-01', nationality: 'KR', householdRole: 'spouse', moveInDate: '2013-06-06' },
          { id: ids.child, name: '윤아이', sex: 'F', birthDate: '2015-01-01', nationality: 'KR', householdRole: 'child', moveInDate: '2015-01-01' },
        ],
      }],
    });
    expect(JSON.stringify(r.body)).not.toContain('rrn');
  });

  it('names every member\u2019s items, so that each gets an access record; the named citizen\u2019s are its items', async () => {
    const r = await call(ids.child, { query: { fields: 'name,householdRole,postalCode' } });
    const household = (r.body as { records: Array<{ members: object[]; postalCode?: string; roadAddress?: string }> }).records[0]!;
    expect(household.members).toEqual([
      { id: ids.head, name: '윤세대주', householdRole: 'head' },
      { id: ids.spouse, name: '강배우자', householdRole: 'spouse' },
      { id: ids.child, name: '윤아이', householdRole: 'child' },
    ]);
    expect([household.postalCode, household.roadAddress]).toEqual(['48058', undefined]);
    const reads = Object.fromEntries(r.reads!.map((x) => [x.citizenId, [...x.items].sort()]));
    expect(reads).toEqual({
      [ids.head!]: ['householdId', 'householdRole', 'name', 'postalCode'],
      [ids.spouse!]: ['householdId', 'householdRole', 'name'],
      [ids.child!]: ['householdId', 'householdRole', 'name'],
    });
    expect(r.citizenId).toBe(ids.child);
    expect([...r.items].sort()).toEqual(['householdId', 'householdRole', 'name']);
  });

  it('answers no household to a citizen who is not an active member of one, and reads no one', async () => {
    for (const k of ['dead', 'none']) {
      const r = await call(ids[k]);
      expect((r.body as { records: unknown[] }).records, k).toEqual([]);
      expect(r.reads, k).toEqual([]);
      expect(r.items, k).toEqual([]);
    }
    const other = await call(ids.other);
    expect((other.body as { records: Array<{ members: Array<{ id: string }> }> }).records[0]!.members.map((m) => m.id)).toEqual([ids.other]);
  });

  it('refuses what it does not serve', async () => {
    await expect(call(undefined)).rejects.toMatchObject({ status: 400, code: 'user_id_required' });
    await expect(call(ids.head, { query: { fields: 'rrn' } })).rejects.toMatchObject({ status: 400 });
    await expect(call(ids.head, { query: { fields: 'status' } })).rejects.toMatchObject({ status: 400 });
    await expect(call(ids.head, { path: `/records/${ids.head}` })).rejects.toMatchObject({ status: 404 });
    await expect(call(ids.head, { method: 'POST' })).rejects.toMatchObject({ status: 405 });
    await expect(call(ids.head, { view: 'neighbours' })).rejects.toMatchObject({ status: 404 });
    await expect(call(ids.head, { code: 'vehicle' })).rejects.toMatchObject({ status: 404 });
  });

  it('can find the members by the householdId index', async () => {
    const { id } = await getRegistry(t.platform, 'resident');
    // a handful of rows would be scanned whole: ask whether the index serves the query at all
    const plan = await t.platform.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return rows<Record<string, string>>(tx as never, sql`explain select id from registries.record r where r.registry_id = ${id} and r.data ->> 'householdId' = ${'H-77'}`);
    });
    expect(plan.map((p) => Object.values(p)[0]).join('\n')).toContain('record_household');
  });

  it('answers as its OpenAPI document says', async () => {
    const doc = householdServiceOpenApi(await getRegistry(t.platform, 'resident'));
    const ajv = (addFormatsModule as unknown as (a: Ajv) => Ajv)(new Ajv({ strict: false }));
    ajv.addSchema(doc, 'svc');
    const list = ajv.compile({ $ref: 'svc#/components/schemas/HouseholdList' });
    const answer = (await call(ids.head)).body;
    expect(list(answer), ajv.errorsText(list.errors)).toBe(true);
  });
});
