import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './auth.ts';
import { auth, BASE, MOHW, MOIS, MOLIT, registriesApp } from './test-support.ts';
import { DATA_SPEC, DATABASE_SPEC, expectConforms, SPEC_DIR } from './test-govstack.ts';

let t: Awaited<ReturnType<typeof registriesApp>>;
beforeAll(async () => {
  t = await registriesApp();
});
afterAll(() => t.close());

const mohw = () => auth(t.keys.mohw, MOHW);
const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

interface ModifyBody {
  code: string;
  catalogName: string;
  schema: { type: string; description: string; filename: string; creationDate: string; properties: Record<string, unknown>; required: string[] };
}
const centres: ModifyBody = {
  code: 'childcare-centres',
  catalogName: '어린이집',
  schema: {
    type: 'object',
    description: 'Licensed childcare centres',
    filename: 'centres.json',
    creationDate: '2024-01-01',
    properties: {
      centreName: { type: 'string', description: 'Name', 'x-personal': false, 'x-label': { ko: '어린이집 이름', en: 'Centre name' } },
      capacity: { type: 'integer', 'x-personal': false },
      kind: { type: 'string', enum: ['public', 'private', 'workplace'], 'x-personal': false },
      licensedOn: { type: 'string', format: 'date', 'x-personal': false },
    },
    required: ['centreName'],
  },
};

describe('Database API answers as the GovStack file says', () => {
  it('lists the registries and shows one with its schema', async () => {
    const all = await inject('GET', `${BASE}/databases`, auth(t.keys.molit, MOLIT));
    expect(all.statusCode).toBe(200);
    expectConforms(DATABASE_SPEC, '/databases', 'get', 200, all.json());
    const dbs = all.json().databases as Array<{ id: number; code: string; institution: string }>;
    expect(dbs.map((d) => d.code).sort()).toEqual(['business', 'disability', 'family', 'health-insurance', 'income', 'licence', 'resident', 'tax', 'vehicle', 'veteran']);
    const resident = dbs.find((d) => d.code === 'resident')!;
    const one = await inject('GET', `${BASE}/database/${resident.id}`, { ...auth(t.keys.molit, MOLIT), 'accept-language': 'en' });
    expectConforms(DATABASE_SPEC, '/database/{id}', 'get', 200, one.json());
    expect(one.json()).toMatchObject({ id: resident.id, version: '1.0', name: 'Resident registration', institution: 'Ministry of the Interior and Safety', isDisabled: false });
    expect(one.json().schema.properties.rrn).toMatchObject({ type: 'string', 'x-personal': true, 'x-hanaro-type': 'rrn' });
    expect(one.json().schema.required).toEqual(['rrn', 'name', 'sex', 'birthDate', 'status']);
    expect(one.json().fieldsUniques).toEqual([['rrn']]);
    expect((await inject('GET', `${BASE}/database/99999`, mohw())).statusCode).toBe(404);
    expect((await inject('GET', `${BASE}/databases`, { 'information-mediator-client': MOHW })).statusCode).toBe(401);
  });

  it('creates a registry owned by the caller\'s agency, then only adds optional fields to it', async () => {
    const created = await inject('POST', `${BASE}/database/modify`, mohw(), centres);
    expect(created.statusCode, created.body).toBe(200);
    expectConforms(DATABASE_SPEC, '/database/modify', 'post', 200, created.json());
    expect(Object.keys(created.json().properties)).toEqual(['centreName', 'capacity', 'kind', 'licensedOn']);
    const info = (await inject('GET', `${BASE}/databases`, mohw())).json().databases.find((d: { code: string }) => d.code === 'childcare-centres');
    expect(info).toMatchObject({ institutionId: 'MOHW', subsystem: MOHW, name: '어린이집' });

    // its owner uses the Data API on it at once; records are about no one
    const rec = await inject('POST', `${BASE}/data/childcare-centres/1.0/create`, mohw(), { write: { content: { centreName: '햇살어린이집', capacity: 40, kind: 'public' } } });
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().content.subjectId).toBeUndefined();

    const same = await inject('POST', `${BASE}/database/modify`, mohw(), centres);
    expect(same.statusCode).toBe(200);
    const withPhone = structuredClone(centres);
    withPhone.schema.properties.phone = { type: 'string', 'x-personal': false };
    const added = await inject('POST', `${BASE}/database/modify`, mohw(), withPhone);
    expect(Object.keys(added.json().properties)).toContain('phone');
    const write = await inject('PUT', `${BASE}/data/childcare-centres/1.0/update`, mohw(), { query: { content: { centreName: '햇살어린이집' } }, write: { content: { phone: '02-123-4567' } } });
    expect(write.json().content.phone).toBe('02-123-4567');

    const conflicts: Array<[string, (s: typeof withPhone) => void]> = [
      ['retype', (s) => (s.schema.properties.capacity = { type: 'string', 'x-personal': false })],
      ['remove', (s) => delete s.schema.properties.kind],
      ['require new', (s) => ((s.schema.properties.email = { type: 'string', 'x-personal': false }), s.schema.required.push('email'))],
      ['personal on a registry about no one', (s) => (s.schema.properties.director = { type: 'string' })],
    ];
    for (const [what, change] of conflicts) {
      const body = structuredClone(withPhone);
      change(body);
      const r = await inject('POST', `${BASE}/database/modify`, mohw(), body);
      expect([r.statusCode, r.json().code], what).toEqual([409, 'incompatible_schema_change']);
    }
    const other = await inject('POST', `${BASE}/database/modify`, auth(t.keys.molit, MOLIT), withPhone);
    expect(other.statusCode).toBe(403);
    const badName = await inject('POST', `${BASE}/database/modify`, mohw(), { code: 'bad-names', schema: { properties: { version: { type: 'string' }, 'two words': { type: 'string' } } } });
    expect([badName.statusCode, badName.json().errors.map((e: { field: string }) => e.field)]).toEqual([400, ['version', 'two words']]);
  });

  it('disables a registry for its owner only; its Data API then answers 404', async () => {
    const dbs = (await inject('GET', `${BASE}/databases`, mohw())).json().databases as Array<{ id: number; code: string }>;
    const veteran = dbs.find((d) => d.code === 'veteran')!;
    expect((await inject('DELETE', `${BASE}/database/${veteran.id}`, mohw())).statusCode).toBe(403);
    const { key } = await createApiKey(t.platform, { client: 'KR/GOV/MPVA/veterans-registry' });
    const headers = auth(key, 'KR/GOV/MPVA/veterans-registry');
    expect((await inject('GET', `${BASE}/data/veteran/1.0`, headers)).statusCode).toBe(200);
    const del = await inject('DELETE', `${BASE}/database/${veteran.id}`, headers);
    expect([del.statusCode, del.json()]).toEqual([200, 'Success']);
    expectConforms(DATABASE_SPEC, '/database/{id}', 'delete', 200, del.json());
    expect((await inject('GET', `${BASE}/data/veteran/1.0`, headers)).statusCode).toBe(404);
    expect((await inject('GET', `${BASE}/database/${veteran.id}`, headers)).json().isDisabled).toBe(true);
    expect((await inject('GET', '/api/registries', {})).json().map((r: { code: string }) => r.code)).not.toContain('veteran');
  });
});

describe('the conformance check itself', () => {
  it('refuses answers that break the GovStack schemas', () => {
    expect(() => expectConforms(DATA_SPEC, '/data/{registryName}/{versionNumber}', 'get', 200, { results: [] })).toThrow(/count/);
    expect(() => expectConforms(DATA_SPEC, '/data/{registryName}/{versionNumber}/exists', 'post', 200, { answer: { message: 'x' } })).toThrow(/status/);
    expect(() => expectConforms(DATABASE_SPEC, '/databases', 'get', 200, { databases: [{ id: 'one' }] })).toThrow(/integer/);
  });

  it('covers every path of both GovStack files', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    for (const file of [DATA_SPEC, DATABASE_SPEC]) {
      const spec = YAML.parse(readFileSync(path.join(SPEC_DIR, file), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
      for (const [p, ops] of Object.entries(spec.paths)) {
        for (const method of Object.keys(ops)) {
          expect(doc.paths[`${BASE}${p}`]?.[method], `${method} ${p}`).toBeDefined();
        }
      }
    }
  });
});
