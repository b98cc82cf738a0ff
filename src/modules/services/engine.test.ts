import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import type { FastifyInstance } from 'fastify';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { registriesModule } from '../registries/index.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { calendarDate } from './cel-env.ts';
import { SHIPPED_SERVICES } from './catalogue.ts';
import { explainText, optIn, optOut, screenCitizen } from './engine.ts';
import { SCREENING_CLIENT, SCREENING_PURPOSE } from './facts-source.ts';
import { servicesModule } from './index.ts';

// The engine end to end: residents and their records written through the registries' API, read
// back through the mediator under the screening purpose, decided against the shipped catalogue.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
const today = calendarDate('2026-12-06');
let grandma: string;
let parent: string;
let newborn: string;
let stranger: string;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, servicesModule] }));
  await t.keys.ensureKeys();
  await seedForTests(t);
  await createClientKey(t, SCREENING_CLIENT, { keepPrivate: true });
  const people = await seedResidents(app, t, [
    { serial: 1, birthDate: '1955-02-10', sex: 'F', sido: '부산광역시', sigungu: '해운대구' },
    { serial: 2, birthDate: '1992-07-01', sex: 'F', sido: '서울특별시', sigungu: '강남구' },
    { serial: 3, birthDate: '2026-11-20', sex: 'M', sido: '서울특별시', sigungu: '강남구' },
    { serial: 4, birthDate: '1980-01-01', sex: 'M' },
  ]);
  [grandma, parent, newborn, stranger] = people.map((p) => p.id) as [string, string, string, string];
  await seedRecords(app, t, 'income', 'KR/GOV/MOHW/welfare-registry', [
    { subjectId: grandma, householdSize: 1, monthlyIncome: 800_000, assets: 30_000_000, medianIncomePercent: 30 },
    { subjectId: parent, householdSize: 3, monthlyIncome: 4_000_000, assets: 100_000_000, medianIncomePercent: 75 },
  ]);
  await seedRecords(app, t, 'family', 'KR/GOV/SCOURT/family-registry', [
    { subjectId: parent, children: [newborn], maritalStatus: 'married' },
    { subjectId: grandma, maritalStatus: 'widowed' },
  ]);
  for (const id of [grandma, parent]) await optIn(t.db, id);
}, 120_000);
afterAll(async () => close?.());

describe('the eligibility engine', () => {
  it('writes the whole shipped catalogue, every rule published as version 1', async () => {
    const [c] = await rows<{ services: number; rules: number }>(t.db, sql`select (select count(*)::int from services.service) as services, (select count(*)::int from services.rule_version where status = 'published' and version = 1) as rules`);
    expect(c).toEqual({ services: SHIPPED_SERVICES.length, rules: SHIPPED_SERVICES.length });
    expect(SHIPPED_SERVICES.length).toBeGreaterThanOrEqual(300);
  });

  it('decides every service for a citizen on their registry facts, and explains each with its facts', async () => {
    const { facts, results } = await screenCitizen(t, grandma, today);
    expect(facts.person).toMatchObject({ age: 71, sido: '부산광역시', sigungu: '해운대구' });
    expect(facts.household).toMatchObject({ medianIncomePercent: 30, size: 1 });
    expect(results).toHaveLength(SHIPPED_SERVICES.length);
    const pension = results.find((r) => /basic-pension/.test(r.service.id))!;
    expect(pension.outcome).toBe('eligible');
    const lines = explainText(pension.explanation, 'ko');
    expect(lines.join('\n')).toContain('만 나이 = 71');
    // every explanation names the facts its deciding clauses read
    for (const r of results) {
      const deciding = r.explanation.clauses.filter((c) => c.deciding);
      expect(deciding.length, r.service.id).toBeGreaterThan(0);
      if (r.outcome === 'possibly-eligible') expect(r.explanation.missing.length, r.service.id).toBeGreaterThan(0);
    }
    // a Seoul programme is not for a Busan resident
    expect(results.filter((r) => r.service.region?.sido === '서울특별시').every((r) => r.outcome === 'not-eligible')).toBe(true);
  });

  it('tells a parent of a newborn about the birth benefits', async () => {
    const { facts, results } = await screenCitizen(t, parent, today);
    expect(facts.children).toEqual([expect.objectContaining({ ageMonths: 0, order: 1 })]);
    const eligible = results.filter((r) => r.outcome === 'eligible').map((r) => r.service.id);
    for (const id of ['first-meeting-voucher', 'parental-benefit', 'child-allowance']) expect(eligible.some((e) => e.includes(id)), id).toBe(true);
  });

  it('reads only for citizens who asked, and every read shows in the access log under the screening purpose', async () => {
    await expect(screenCitizen(t, stranger, today)).rejects.toMatchObject({ code: 'screening_not_requested', status: 403 });
    const logged = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from platform.data_access where citizen_id = ${stranger}`);
    expect(logged[0]!.n).toBe(0);
    const reads = await rows<{ purpose: string; client: string }>(t.db, sql`select purpose, reader as client from platform.data_access where citizen_id = ${grandma}`);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.purpose === SCREENING_PURPOSE && r.client === SCREENING_CLIENT)).toBe(true);
    // the screening keeps what it read (encrypted) as the citizen's snapshot; opting out drops it
    const snapshot = async (id: string) => (await rows<{ n: number }>(t.db, sql`select count(*)::int as n from services.facts_snapshot where citizen_id = ${id}::uuid`))[0]!.n;
    expect(await snapshot(parent)).toBe(1);
    const [enc] = await rows<{ answers_enc: string }>(t.db, sql`select answers_enc from services.facts_snapshot where citizen_id = ${parent}::uuid`);
    expect(enc!.answers_enc).not.toContain('married');
    await optOut(t.db, parent);
    expect(await snapshot(parent)).toBe(0);
    await expect(screenCitizen(t, parent, today)).rejects.toMatchObject({ code: 'screening_not_requested' });
  });
});
