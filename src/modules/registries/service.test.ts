import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { EVENT_TOPIC } from '../../platform/events.ts';
import { getRegistry, type RegistryInfo } from './catalog.ts';
import { koreaDay } from '../../platform/i18n.ts';
import { BIRTH_REGISTERED, DEATH_REGISTERED, RESIDENT_MOVED } from './life-events.ts';
import * as service from './service.ts';
import { makeRrn, MOIS, registriesApp, resident } from './test-support.ts';
import { RecordValidationError } from './validation.ts';

let t: Awaited<ReturnType<typeof registriesApp>>;
let res: RegistryInfo;
let family: RegistryInfo;
let vehicle: RegistryInfo;
const ctx = (reason?: string) => ({ actor: MOIS, reason: reason ?? null, lang: 'en' as const });

beforeAll(async () => {
  t = await registriesApp();
  res = await getRegistry(t.platform, 'resident');
  family = await getRegistry(t.platform, 'family');
  vehicle = await getRegistry(t.platform, 'vehicle');
});
afterAll(() => t.close());

const events = async (type: string, citizenId: string) =>
  rows<{ payload: { type: string; data: Record<string, unknown> } }>(
    t.platform.db,
    sql`select payload from platform.outbox where topic = ${EVENT_TOPIC} and payload->>'type' = ${type} and payload->'data'->>'citizenId' = ${citizenId} order by id`,
  );

function daysAgo(n: number): string {
  const d = new Date(`${koreaDay()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

describe('validation names the field', () => {
  it('refuses unknown fields, wrong types, bad enums, bad dates and bad RRNs together', async () => {
    const bad = { ...resident({ serial: 1 }), rrn: '850314-2000000', sex: 'X', birthDate: '1985-02-30', name: 42, shoeSize: 270 };
    const err = await service.createRecord(t.platform, res, ctx(), bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordValidationError);
    const errors = (err as RecordValidationError).extra!.errors as Array<{ field: string; code: string; detail: string }>;
    expect(Object.fromEntries(errors.map((e) => [e.field, e.code]))).toEqual({
      rrn: 'bad_rrn',
      sex: 'bad_enum',
      birthDate: 'bad_date',
      name: 'wrong_type',
      shoeSize: 'unknown_field',
    });
    expect(errors.find((e) => e.field === 'sex')!.detail).toContain('M, F');
    expect(errors.find((e) => e.field === 'name')!.detail).toBe('Must be a text');
    const ko = await service.createRecord(t.platform, res, { ...ctx(), lang: 'ko' }, { ...resident({ serial: 1 }), status: undefined }).catch((e: unknown) => e);
    expect((ko as RecordValidationError).extra!.errors).toEqual([{ field: 'status', code: 'required', detail: '필수 항목입니다', path: 'body/write/content/status' }]);
  });

  it('needs an existing resident as the subject of a record about a citizen', async () => {
    const car = { subjectId: randomUUID(), plateNumber: '12가3456', model: '현대 아반떼' };
    const err = await service.createRecord(t.platform, vehicle, ctx(), car).catch((e: unknown) => e);
    expect((err as RecordValidationError).extra!.errors).toMatchObject([{ field: 'subjectId', code: 'unknown_citizen' }]);
    const noSubject = await service.createRecord(t.platform, vehicle, ctx(), { plateNumber: '12가3456', model: 'x' }).catch((e: unknown) => e);
    expect((noSubject as RecordValidationError).extra!.errors).toMatchObject([{ field: 'subjectId', code: 'required' }]);
    const plate = await service.createRecord(t.platform, vehicle, ctx(), { ...car, plateNumber: 'AB-1234' }).catch((e: unknown) => e);
    expect((plate as RecordValidationError).extra!.errors).toMatchObject([{ field: 'plateNumber', code: 'bad_pattern' }]);
  });
});

describe('history', () => {
  it('keeps every version with who, when and why, and bumps the version', async () => {
    const rec = await service.createRecord(t.platform, res, ctx('전입 신고 2024-001'), resident({ serial: 10 }));
    expect(rec.version).toBe(1);
    const v2 = await service.updateRecord(t.platform, res, { ...ctx('개명 허가 2024-77'), actor: 'KR/GOV/MOIS/other-system' }, { id: rec.id }, { name: '김민서' });
    expect(v2.version).toBe(2);
    const same = await service.updateRecord(t.platform, res, ctx('no change'), { id: rec.id }, { name: '김민서' });
    expect(same.version).toBe(2); // an update that changes nothing writes no version
    const history = await service.recordHistory(t.platform, res, rec.id);
    expect(history.map((h) => [h.version, h.operation, h.changedBy, h.reason, h.data.name])).toEqual([
      [1, 'create', MOIS, '전입 신고 2024-001', '김민지'],
      [2, 'update', 'KR/GOV/MOIS/other-system', '개명 허가 2024-77', '김민서'],
    ]);
    expect(Date.parse(history[1]!.changedAt)).toBeGreaterThanOrEqual(Date.parse(history[0]!.changedAt));
  });

  it('moves a deleted record to history with a delete entry, and does not reuse its id', async () => {
    const rec = await service.createRecord(t.platform, res, ctx(), resident({ serial: 11 }));
    await service.updateRecord(t.platform, res, ctx(), { id: rec.id }, { postalCode: '04524' });
    await service.deleteRecord(t.platform, res, ctx('말소 2024-9'), rec.id);
    expect(await service.readRecord(t.platform, res, ctx(), { id: rec.id })).toBeUndefined();
    const history = await service.recordHistory(t.platform, res, rec.id);
    expect(history.map((h) => [h.version, h.operation, h.reason])).toEqual([[1, 'create', null], [2, 'update', null], [3, 'delete', '말소 2024-9']]);
    expect(history[2]!.data.postalCode).toBe('04524');
    await expect(service.deleteRecord(t.platform, res, ctx(), rec.id)).rejects.toMatchObject({ status: 404 });
    await expect(service.createRecord(t.platform, res, ctx(), { ...resident({ serial: 12 }), id: rec.id })).rejects.toMatchObject({ status: 409, code: 'record_exists' });
  });

  it('updateEntries changes every match or nothing', async () => {
    const a = await service.createRecord(t.platform, res, ctx(), resident({ serial: 20, householdId: 'H-777' }));
    const b = await service.createRecord(t.platform, res, ctx(), resident({ serial: 21, householdId: 'H-777', sex: 'M' }));
    const out = await service.updateEntries(t.platform, res, ctx('도로명 변경'), { householdId: 'H-777' }, { postalCode: '11111' });
    expect(out).toEqual({ matched: 2, changed: 2 });
    // the second record already has the RRN the write would give both: the whole write is refused
    await expect(
      service.updateEntries(t.platform, res, ctx(), { householdId: 'H-777' }, { postalCode: '22222', rrn: makeRrn('1985-03-14', 'M', 21) }),
    ).rejects.toMatchObject({ status: 409 });
    for (const id of [a.id, b.id]) {
      const r = await service.readRecord(t.platform, res, ctx(), { id });
      expect([r!.version, r!.data.postalCode]).toEqual([2, '11111']);
    }
  });

  it('does not lose concurrent updates of one record', async () => {
    const rec = await service.createRecord(t.platform, res, ctx(), resident({ serial: 30 }));
    const fields = ['householdId', 'roadAddress', 'postalCode', 'moveInDate'] as const;
    const values = ['H-1', '서울특별시 중구 세종대로 110', '04524', '2020-01-02'];
    await Promise.all(fields.map((f, i) => service.updateRecord(t.platform, res, ctx(`w${i}`), { id: rec.id }, { [f]: values[i] })));
    const r = (await service.readRecord(t.platform, res, ctx(), { id: rec.id }))!;
    expect(r.version).toBe(5);
    expect(fields.map((f) => r.data[f])).toEqual(values);
    expect((await service.recordHistory(t.platform, res, rec.id)).map((h) => h.version)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('resident registration numbers', () => {
  it('are never stored in clear, and are found through the blind index', async () => {
    const rrn = makeRrn('1990-01-01', 'M', 40);
    const rec = await service.createRecord(t.platform, res, ctx(), resident({ serial: 40, birthDate: '1990-01-01', sex: 'M' }));
    await service.updateRecord(t.platform, res, ctx(), { rrn }, { name: '박서준' });
    const digits = rrn.replace('-', '');
    const stored = await rows<{ text: string }>(
      t.platform.db,
      sql`select data::text as text from registries.record where id = ${rec.id}::uuid union all select data::text from registries.record_history where id = ${rec.id}::uuid`,
    );
    expect(stored).toHaveLength(2);
    for (const s of stored) {
      expect(s.text).not.toContain(digits);
      expect(s.text).not.toContain(digits.slice(6));
      expect(s.text).toMatch(/"rrn": "v1\./);
    }
    expect((await service.readRecord(t.platform, res, ctx(), { rrn: digits }))!.id).toBe(rec.id);
    expect(service.contentOf(t.platform, res, rec).rrn).toBe('900101-1******');
    await expect(service.createRecord(t.platform, res, ctx(), resident({ serial: 40, birthDate: '1990-01-01', sex: 'M' }))).rejects.toMatchObject({ status: 409, code: 'duplicate_rrn' });
  });
});

describe('life events', () => {
  it('publishes a birth with the parents that list the child, once per write', async () => {
    const mother = await service.createRecord(t.platform, res, ctx(), resident({ serial: 50, sex: 'F' }));
    const father = await service.createRecord(t.platform, res, ctx(), resident({ serial: 51, sex: 'M' }));
    const childId = randomUUID();
    for (const p of [mother, father]) await service.createRecord(t.platform, family, ctx(), { subjectId: p.id, children: [childId], maritalStatus: 'married' });
    const born = daysAgo(10);
    await service.createRecord(t.platform, res, ctx('출생신고'), { ...resident({ serial: 52, birthDate: born, sex: 'M', sido: '부산광역시', sigungu: '해운대구' }), id: childId });
    const found = await events(BIRTH_REGISTERED, childId);
    expect(found.map((e) => e.payload.data)).toEqual([{ citizenId: childId, birthDate: born, motherId: mother.id, fatherId: father.id, sido: '부산광역시', sigungu: '해운대구' }]);
    // adults created without a birth reason are not births
    expect(await events(BIRTH_REGISTERED, mother.id)).toEqual([]);
    const late = await service.createRecord(t.platform, res, ctx('birth registration (late)'), resident({ serial: 53, birthDate: '2019-05-05' }));
    expect(await events(BIRTH_REGISTERED, late.id)).toHaveLength(1);
  });

  it('publishes a move and a death, nothing for other changes, nothing for a failed write', async () => {
    const rec = await service.createRecord(t.platform, res, ctx(), resident({ serial: 60 }));
    await service.updateRecord(t.platform, res, ctx(), { id: rec.id }, { name: '김하늘' });
    await service.updateRecord(t.platform, res, ctx('전입신고'), { id: rec.id }, { sido: '대전광역시', sigungu: '유성구', roadAddress: '대전광역시 유성구 대학로 99', moveInDate: '2024-03-01' });
    await expect(service.updateRecord(t.platform, res, ctx(), { id: rec.id }, { sido: '광주광역시', sex: 'X' })).rejects.toBeInstanceOf(RecordValidationError);
    expect((await events(RESIDENT_MOVED, rec.id)).map((e) => e.payload.data)).toEqual([
      { citizenId: rec.id, from: { sido: '서울특별시', sigungu: '종로구' }, to: { sido: '대전광역시', sigungu: '유성구' }, moveInDate: '2024-03-01' },
    ]);
    await service.updateRecord(t.platform, res, ctx('사망신고'), { id: rec.id }, { status: 'deceased', deathDate: '2024-06-30' });
    await service.updateRecord(t.platform, res, ctx(), { id: rec.id }, { deathDate: '2024-06-29' });
    expect((await events(DEATH_REGISTERED, rec.id)).map((e) => e.payload.data)).toEqual([{ citizenId: rec.id, deathDate: '2024-06-30' }]);
    const payloads = JSON.stringify(await events(RESIDENT_MOVED, rec.id));
    expect(payloads).not.toContain('김');
  });
});
