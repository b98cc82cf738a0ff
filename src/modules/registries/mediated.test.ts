import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRegistry, invalidateRegistries, upsertRegistry } from './catalog.ts';
import { handleMediatedRequest, registryServiceOpenApi, type MediatedRequest } from './index.ts';
import * as service from './service.ts';
import { MOHW, MOIS, registriesApp, resident } from './test-support.ts';

let t: Awaited<ReturnType<typeof registriesApp>>;
const ids: Record<string, string> = {};
const ctx = { actor: MOIS, lang: 'en' as const };

beforeAll(async () => {
  t = await registriesApp();
  const p = t.platform;
  const res = await getRegistry(p, 'resident');
  const vehicle = await getRegistry(p, 'vehicle');
  ids.a = (await service.createRecord(p, res, ctx, resident({ serial: 1, name: '최지우' }))).id;
  ids.b = (await service.createRecord(p, res, ctx, resident({ serial: 2, name: '한도윤', sex: 'M' }))).id;
  ids.carA = (await service.createRecord(p, vehicle, ctx, { subjectId: ids.a, plateNumber: '12가3456', model: '현대 아반떼', fuel: 'hybrid', modelYear: 2021 })).id;
  ids.carA2 = (await service.createRecord(p, vehicle, ctx, { subjectId: ids.a, plateNumber: '345나6789', model: '기아 레이', fuel: 'electric' })).id;
  ids.carB = (await service.createRecord(p, vehicle, ctx, { subjectId: ids.b, plateNumber: '98다7654', model: '제네시스 G80' })).id;
  await upsertRegistry(p.db, {
    code: 'parking-lots', version: '1.0', agency: 'MOLIT', subsystem: 'vehicle-registry', subject: 'none', perSubject: 'many',
    name: { ko: '공영주차장', en: 'Public parking lots' }, description: { ko: '', en: '' },
    fields: [{ name: 'lotName', label: { ko: '이름', en: 'Name' }, type: 'string', personal: false, required: true }],
  }, 'test');
  invalidateRegistries(p);
  await service.createRecord(p, await getRegistry(p, 'parking-lots'), ctx, { lotName: '세종로 공영주차장' });
});
afterAll(() => t.close());

const call = (code: string, over: Partial<MediatedRequest>) =>
  handleMediatedRequest(t.platform, { code, method: 'GET', path: '/records', query: {}, client: MOHW, issue: '기초연금 확인', ...over });

describe('handleMediatedRequest', () => {
  it('returns only the records about X-Road-UserId and names the personal items', async () => {
    const r = await call('vehicle', { userId: ids.a });
    expect(r.status).toBe(200);
    const body = r.body as { registry: string; version: string; subject: string; records: Array<Record<string, unknown>> };
    expect([body.registry, body.version, body.subject]).toEqual(['vehicle', '1.0', ids.a]);
    expect(body.records.map((x) => x.plateNumber).sort()).toEqual(['12가3456', '345나6789']);
    expect(body.records[0]).toMatchObject({ version: 1 });
    expect(typeof body.records[0]!.changedAt).toBe('string');
    expect(r.citizenId).toBe(ids.a);
    // fuel and modelYear are not personal
    expect(r.items.sort()).toEqual(['model', 'plateNumber']);

    const only = await call('vehicle', { userId: ids.a, query: { fields: 'plateNumber,fuel' } });
    expect((only.body as { records: object[] }).records.map((x) => Object.keys(x).sort())).toEqual([
      ['changedAt', 'fuel', 'id', 'plateNumber', 'version'],
      ['changedAt', 'fuel', 'id', 'plateNumber', 'version'],
    ]);
    expect(only.items).toEqual(['plateNumber']);
  });

  it('masks RRNs and never shows another citizen\'s record', async () => {
    const me = await call('resident', { userId: ids.a });
    const [rec] = (me.body as { records: Array<Record<string, unknown>> }).records;
    expect(rec).toMatchObject({ id: ids.a, name: '최지우', rrn: '850314-2******' });
    expect(me.items).toContain('rrn');

    await expect(call('vehicle', { userId: ids.a, path: `/records/${ids.carB}` })).rejects.toMatchObject({ status: 404 });
    expect((await call('vehicle', { userId: ids.a, path: `/records/${ids.carA}` })).body).toMatchObject({ id: ids.carA, plateNumber: '12가3456' });
    await expect(call('resident', { userId: ids.a, path: `/records/${ids.b}` })).rejects.toMatchObject({ status: 404 });

    const readB = call('vehicle', { userId: ids.a, method: 'POST', path: '/read', body: { query: { content: { plateNumber: '98다7654' } } } });
    await expect(readB).rejects.toMatchObject({ status: 404, detail: 'no record found' });
    const readA = await call('vehicle', { userId: ids.a, method: 'POST', path: '/read', body: { query: { content: { plateNumber: '12가3456' } } } });
    expect(readA.body).toMatchObject({ content: { id: ids.carA, model: '현대 아반떼' } });
    const existsB = await call('vehicle', { userId: ids.a, method: 'POST', path: '/exists', body: { query: { content: { plateNumber: '98다7654' } } } });
    expect(existsB.body).toEqual({ answer: { status: false, message: 'Object not found from database' } });

    expect((await call('vehicle', { userId: ids.a, path: `/${ids.carA}/readValue/model.json` })).body).toEqual({ value: '현대 아반떼' });
    await expect(call('vehicle', { userId: ids.a, path: `/${ids.carB}/readValue/model.json` })).rejects.toMatchObject({ status: 404 });
  });

  it('refuses a personal registry without X-Road-UserId, and bad input, with PlatformErrors', async () => {
    await expect(call('resident', {})).rejects.toMatchObject({ status: 400, code: 'user_id_required' });
    await expect(call('resident', { userId: 'not-a-uuid' })).rejects.toMatchObject({ status: 400 });
    await expect(call('vehicle', { userId: ids.a, query: { fields: 'colour' } })).rejects.toMatchObject({ status: 400 });
    await expect(call('vehicle', { userId: ids.a, method: 'POST', path: '/read', body: { query: { content: { fuel: 'coal' } } } })).rejects.toMatchObject({ status: 400 });
    await expect(call('vehicle', { userId: ids.a, path: `/${ids.carA}/readValue/model.xml` })).rejects.toMatchObject({ status: 400 });
    await expect(call('vehicle', { userId: ids.a, path: '/everything' })).rejects.toMatchObject({ status: 404 });
    await expect(call('vehicle', { userId: ids.a, method: 'DELETE', path: '/records' })).rejects.toMatchObject({ status: 405 });
    await expect(call('pets', { userId: ids.a })).rejects.toMatchObject({ status: 404 });
  });

  it('reads a registry about no one without a citizen, with no personal items', async () => {
    const r = await call('parking-lots', {});
    expect((r.body as { records: Array<{ lotName: string }> }).records.map((x) => x.lotName)).toEqual(['세종로 공영주차장']);
    expect([r.items, r.citizenId]).toEqual([[], undefined]);
  });
});

describe('registryServiceOpenApi', () => {
  it('describes the mediated paths, and the answers match its record schema', async () => {
    const info = await getRegistry(t.platform, 'resident');
    const doc = registryServiceOpenApi(info) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(['/records', '/records/{id}', '/read', '/exists', '/{id}/readValue/{field}.{ext}']);
    expect(Object.keys(doc.components.schemas.Record!.properties!)).toEqual(['id', 'version', 'changedAt', ...info.fields.map((f) => f.name)]);
    const ajv = (addFormatsModule as unknown as (a: Ajv) => Ajv)(new Ajv({ strict: false }));
    ajv.addSchema(doc, 'svc');
    const list = ajv.compile({ $ref: 'svc#/components/schemas/RecordList' });
    const answer = (await call('resident', { userId: ids.a })).body;
    expect(list(answer), ajv.errorsText(list.errors)).toBe(true);
    expect(list({ ...(answer as object), records: [{ id: ids.a, version: 1, changedAt: 'x', rrn: '8503142000000' }] })).toBe(false);
  });
});
