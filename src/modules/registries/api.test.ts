import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKeys, createApiKey } from './auth.ts';
import { auth, BASE, makeRrn, MOHW, MOIS, MOLIT, registriesApp, resident } from './test-support.ts';
import { DATA_SPEC, expectConforms } from './test-govstack.ts';

let t: Awaited<ReturnType<typeof registriesApp>>;
beforeAll(async () => {
  t = await registriesApp();
});
afterAll(() => t.close());

const R = `${BASE}/data/resident/1.0`;
const SPEC = '/data/{registryName}/{versionNumber}';
const mois = (issue?: string) => auth(t.keys.mois, MOIS, issue);
const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

async function create(content: Record<string, unknown>, issue?: string) {
  const r = await inject('POST', `${R}/create`, mois(issue), { write: { content } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().content as Record<string, unknown> & { id: string };
}

describe('who may call', () => {
  const body = { query: { content: { name: '김민지' } } };
  it('refuses a call without a key, with an unknown or revoked key: 401', async () => {
    const noKey = await inject('POST', `${R}/read`, { 'information-mediator-client': MOIS }, body);
    expect([noKey.statusCode, noKey.json().code]).toEqual([401, 'unauthorized']);
    expect(noKey.headers['content-type']).toContain('application/problem+json');
    expect((await inject('POST', `${R}/read`, auth('hnr_rk_made-up', MOIS), body)).statusCode).toBe(401);
    const { key, id } = await createApiKey(t.platform, { client: MOIS, label: 'to revoke' });
    expect((await inject('POST', `${R}/exists`, auth(key, MOIS), body)).statusCode).toBe(200);
    expect(await revokeApiKeys(t.platform, { id })).toBe(1);
    expect((await inject('POST', `${R}/exists`, auth(key, MOIS), body)).statusCode).toBe(401);
    // the bare key works like "Bearer <key>"
    const bare = await inject('POST', `${R}/exists`, { authorization: t.keys.mois, 'information-mediator-client': MOIS }, body);
    expect(bare.statusCode).toBe(200);
  });

  it('needs a well-formed Information-Mediator-Client: 400', async () => {
    const missing = await inject('POST', `${R}/read`, { authorization: `Bearer ${t.keys.mois}` }, body);
    expect([missing.statusCode, missing.json().code]).toEqual([400, 'client_header_missing']);
    const malformed = await inject('POST', `${R}/read`, auth(t.keys.mois, 'MOIS resident registry'), body);
    expect([malformed.statusCode, malformed.json().code]).toEqual([400, 'client_header_invalid']);
  });

  it('refuses a header naming another client than the key\'s: 403', async () => {
    const r = await inject('POST', `${R}/read`, auth(t.keys.mois, 'KR/GOV/MOIS/other-system'), body);
    expect([r.statusCode, r.json().code]).toEqual([403, 'client_mismatch']);
  });

  it('lets only the owning agency use a registry directly: 403 for others, whatever they ask', async () => {
    for (const [method, url, payload] of [
      ['POST', `${R}/read`, body],
      ['POST', `${R}/create`, { write: { content: resident({ serial: 1 }) } }],
      ['GET', R, undefined],
      ['DELETE', `${R}/3f1c4a56-0000-4000-8000-000000000000/delete`, undefined],
    ] as const) {
      const r = await inject(method, url, auth(t.keys.mohw, MOHW), payload);
      expect([r.statusCode, r.json().code], url).toEqual([403, 'not_registry_owner']);
    }
    // MOLIT owns the vehicle registry, not the resident one
    expect((await inject('GET', `${BASE}/data/vehicle/1.0`, auth(t.keys.molit, MOLIT))).statusCode).toBe(200);
    expect((await inject('GET', R, auth(t.keys.molit, MOLIT))).statusCode).toBe(403);
  });

  it('answers 404 for an unknown registry or version', async () => {
    expect((await inject('GET', `${BASE}/data/resident/9.9`, mois())).json().code).toBe('registry_not_found');
    expect((await inject('GET', `${BASE}/data/pets/1.0`, mois())).statusCode).toBe(404);
  });
});

describe('Data API answers as the GovStack file says', () => {
  it('create, read, exists, update, updateEntries, updateOrCreate, delete, readValue, list', async () => {
    const a = await create(resident({ serial: 100, householdId: 'H-1' }), '출생신고 아님');
    expectConforms(DATA_SPEC, `${SPEC}/create`, 'post', 200, { content: a });
    expect(a.rrn).toBe('850314-2******');
    const b = await create(resident({ serial: 101, householdId: 'H-1', name: '이서연' }));

    const read = await inject('POST', `${R}/read`, mois(), { query: { content: { rrn: makeRrn('1985-03-14', 'F', 100) } } });
    expect(read.statusCode).toBe(200);
    expect(read.json().content).toEqual(a);
    expectConforms(DATA_SPEC, `${SPEC}/read`, 'post', 200, read.json());
    const none = await inject('POST', `${R}/read`, mois(), { query: { content: { name: '아무개' } } });
    expect(none.statusCode).toBe(404);
    expect(none.json().detail).toBe('no record found');
    expectConforms(DATA_SPEC, `${SPEC}/read`, 'post', 404, none.json());

    for (const [content, status] of [[{ name: '이서연' }, true], [{ name: '아무개' }, false]] as const) {
      const r = await inject('POST', `${R}/exists`, mois(), { query: { content } });
      expect(r.json().answer.status).toBe(status);
      expectConforms(DATA_SPEC, `${SPEC}/exists`, 'post', 200, r.json());
    }

    const upd = await inject('PUT', `${R}/update`, mois('개명 2024-1'), { query: { content: { id: b.id } }, write: { content: { name: '이서아' } } });
    expect([upd.statusCode, upd.json().content.name]).toEqual([200, '이서아']);
    expectConforms(DATA_SPEC, `${SPEC}/update`, 'put', 200, upd.json());
    const ambiguous = await inject('PUT', `${R}/update`, mois(), { query: { content: { householdId: 'H-1' } }, write: { content: { postalCode: '10000' } } });
    expect([ambiguous.statusCode, ambiguous.json().code]).toEqual([409, 'ambiguous_query']);
    const noQuery = await inject('PUT', `${R}/update`, mois(), { write: { content: { postalCode: '10000' } } });
    expect(noQuery.json().errors).toMatchObject([{ field: 'query', code: 'required' }]);

    const entries = await inject('PUT', `${R}/updateEntries`, mois(), { query: { content: { householdId: 'H-1' } }, write: { content: { postalCode: '10000' } } });
    expect(entries.json()).toEqual({ count: 2, changed: 2 });
    expectConforms(DATA_SPEC, `${SPEC}/updateEntries`, 'put', 200, entries.json());

    const rrnC = makeRrn('1970-07-07', 'M', 102);
    const uoc1 = await inject('POST', `${R}/updateOrCreate`, mois(), { query: { content: { rrn: rrnC } }, write: { content: { ...resident({ serial: 102, birthDate: '1970-07-07', sex: 'M' }), rrn: undefined } } });
    expect(uoc1.statusCode, uoc1.body).toBe(200);
    expectConforms(DATA_SPEC, `${SPEC}/updateOrCreate`, 'post', 200, uoc1.json());
    const uoc2 = await inject('POST', `${R}/updateOrCreate`, mois(), { query: { content: { rrn: rrnC } }, write: { content: { postalCode: '20000' } } });
    expect(uoc2.json().content).toMatchObject({ id: uoc1.json().content.id, postalCode: '20000', rrn: '700707-1******' });

    const value = await inject('GET', `${R}/${b.id}/readValue/name.json`, mois());
    expect(value.json()).toEqual({ value: '이서아' });
    expectConforms(DATA_SPEC, `${SPEC}/{uuid}/readValue/{field}.{ext}`, 'get', 200, value.json());
    const rrnValue = await inject('GET', `${R}/${b.id}/readValue/rrn.json`, mois());
    expect(rrnValue.json().value).toBe('850314-2******');
    const xml = await inject('GET', `${R}/${b.id}/readValue/name.xml`, mois());
    expect([xml.statusCode, xml.json().code]).toEqual([400, 'unsupported_format']);
    const unknownField = await inject('GET', `${R}/${b.id}/readValue/shoeSize.json`, mois());
    expect([unknownField.statusCode, unknownField.json().errors[0].field]).toEqual([400, 'shoeSize']);

    const list = await inject('GET', `${R}?pageSize=2&ordering=name`, mois());
    expect(list.statusCode).toBe(200);
    expectConforms(DATA_SPEC, SPEC, 'get', 200, list.json());
    expect(list.json().count).toBe(3);
    expect(list.json().results.map((x: { name: string }) => x.name)).toEqual(['김민지', '김민지']);
    expect(list.json().next).toMatch(/^http.*page=2/);
    const page2 = await inject('GET', `${R}?pageSize=2&ordering=name&page=2`, mois());
    expect(page2.json().results.map((x: { name: string }) => x.name)).toEqual(['이서아']);
    expect(page2.json().previous).toContain('page=1');
    expectConforms(DATA_SPEC, SPEC, 'get', 200, page2.json());
    const search = await inject('GET', `${R}?search=${encodeURIComponent('서아')}&query.postalCode=10000`, mois());
    expect(search.json().results.map((x: { id: string }) => x.id)).toEqual([b.id]);
    const capped = await inject('GET', `${R}?pageSize=5000`, mois());
    expect(capped.json().next).toBeUndefined();
    expect(capped.json().results).toHaveLength(3);
    const badFilter = await inject('GET', `${R}?query.shoeSize=1`, mois());
    expect(badFilter.json().errors[0].field).toBe('shoeSize');

    const del = await inject('DELETE', `${R}/${a.id}/delete`, mois('말소'));
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    expect((await inject('DELETE', `${R}/${a.id}/delete`, mois())).statusCode).toBe(404);

    const history = await inject('GET', `/api/registries/resident/1.0/records/${a.id}/history`, mois());
    expect(history.json().versions.map((v: { operation: string; reason: string | null; changedBy: string }) => [v.operation, v.reason, v.changedBy])).toEqual([
      ['create', '출생신고 아님', MOIS],
      ['update', null, MOIS],
      ['delete', '말소', MOIS],
    ]);
    expect((await inject('GET', `/api/registries/resident/1.0/records/${a.id}/history`, auth(t.keys.mohw, MOHW))).statusCode).toBe(403);
  });

  it('refuses records that break the schema with 400 naming each field', async () => {
    const r = await inject('POST', `${R}/create`, mois(), { write: { content: { ...resident({ serial: 200 }), birthDate: '2024-13-01', status: 'gone', rrn: '123' } } });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(r.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['birthDate', 'rrn', 'status']);
    const notObject = await inject('POST', `${R}/create`, mois(), { write: { content: 'x' } });
    expect(notObject.statusCode).toBe(400);
  });

  it('records the owner\'s reads of personal data and answers myPersonalDataUsage', async () => {
    const c = await create(resident({ serial: 300, name: '정다은' }));
    await inject('POST', `${R}/read`, mois('민원 2024-55'), { query: { content: { id: c.id } } });
    await inject('GET', `${R}/${c.id}/readValue/status.json`, mois()); // not personal: no record
    await t.platform.accessLog.record([
      { citizenId: c.id, reader: MOHW, institution: 'MOHW', service: 'KR/GOV/MOIS/resident-registry/resident', items: ['name', 'sido'], purpose: '기초연금 자격 확인', legalBasis: '기초연금법 제11조', xRoadId: 'x-1', channel: 'exchange' },
      { citizenId: c.id, reader: MOHW, institution: 'MOHW', service: 'KR/GOV/MOLIT/vehicle-registry/vehicle', items: ['plateNumber'], purpose: 'other registry', channel: 'exchange' },
    ]);
    const r = await inject('GET', `${BASE}/data/myPersonalDataUsage?userId=${c.id}&databaseId=resident`, mois());
    expect(r.statusCode, r.body).toBe(200);
    expectConforms(DATA_SPEC, '/data/myPersonalDataUsage', 'get', 200, r.json());
    expect(r.json().map((u: { readerId: string; channel: string; purpose: string; items: string[] }) => [u.readerId, u.channel, u.purpose, u.items.sort()])).toEqual([
      [MOHW, 'exchange', '기초연금 자격 확인', ['name', 'sido']],
      [MOIS, 'registry-api', '민원 2024-55', ['birthDate', 'name', 'postalCode', 'roadAddress', 'rrn', 'sex', 'sido', 'sigungu']],
    ]);
    const byRrn = await inject('GET', `${BASE}/data/myPersonalDataUsage?userId=${makeRrn('1985-03-14', 'F', 300)}&databaseId=resident`, mois());
    expect(byRrn.json()).toEqual(r.json());
    expect((await inject('GET', `${BASE}/data/myPersonalDataUsage?userId=${c.id}&databaseId=resident`, auth(t.keys.mohw, MOHW))).statusCode).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('documents every GovStack path under /govstack/digital-registries, tagged', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith(BASE)).map((p) => p.slice(BASE.length)).sort();
    expect(paths).toEqual([
      '/data/myPersonalDataUsage',
      '/data/{registryName}/{versionNumber}',
      '/data/{registryName}/{versionNumber}/create',
      '/data/{registryName}/{versionNumber}/exists',
      '/data/{registryName}/{versionNumber}/read',
      '/data/{registryName}/{versionNumber}/update',
      '/data/{registryName}/{versionNumber}/updateEntries',
      '/data/{registryName}/{versionNumber}/updateOrCreate',
      '/data/{registryName}/{versionNumber}/{ID}/delete',
      '/data/{registryName}/{versionNumber}/{uuid}/readValue/{field}.{ext}',
      '/database/modify',
      '/database/{id}',
      '/databases',
    ]);
    for (const p of paths) for (const op of Object.values(doc.paths[`${BASE}${p}`]!)) expect(op.tags?.[0]).toMatch(/^GovStack Digital Registries/);
    const page = await t.app.inject({ url: '/docs', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('myPersonalDataUsage');
  });
});
