import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACTOR_COOKIE } from '../../platform/auth.ts';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { moduleHandlers, runJobs } from '../../platform/worker.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { notifyModule } from '../notify/index.ts';
import { registriesModule } from '../registries/index.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { optIn } from './engine.ts';
import { SCREENING_CLIENT } from './facts-source.ts';
import { servicesModule } from './index.ts';
import { scanPopulation } from './notices.ts';

// Proactive notices: a birth registered in the resident registry reaches the parents who asked
// for benefit alerts, through notify, within one worker cycle; nobody is told twice.

const modules = [registriesModule, exchangeModule, identityModule, notifyModule, servicesModule];
let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let mother: string;
let father: string;
const child = randomUUID();

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
const noticesOf = async (citizen: string) =>
  (await rows<{ service_id: string; occasion: string }>(t.db, sql`select service_id, occasion from services.notice where citizen_id = ${citizen}::uuid order by service_id`));
const inboxOf = async (citizen: string) => (await rows<{ n: number }>(t.db, sql`select count(*)::int as n from notify.inbox where citizen_id = ${citizen}::uuid`))[0]!.n;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules }));
  await t.keys.ensureKeys();
  await seedForTests(t);
  await createClientKey(t, SCREENING_CLIENT, { keepPrivate: true });
  [mother, father] = (await seedResidents(app, t, [
    { serial: 11, birthDate: '1993-04-02', sex: 'F', sido: '서울특별시', sigungu: '강남구' },
    { serial: 12, birthDate: '1991-09-30', sex: 'M', sido: '서울특별시', sigungu: '강남구' },
  ])).map((p) => p.id) as [string, string];
  await seedRecords(app, t, 'family', 'KR/GOV/SCOURT/family-registry', [
    { subjectId: mother, children: [child], spouse: father, maritalStatus: 'married' },
    { subjectId: father, children: [child], spouse: mother, maritalStatus: 'married' },
  ]);
  await seedRecords(app, t, 'income', 'KR/GOV/MOHW/welfare-registry', [{ subjectId: mother, householdSize: 3, monthlyIncome: 5_000_000, medianIncomePercent: 90 }]);
  await seedRecords(app, t, 'vehicle', 'KR/GOV/MOLIT/vehicle-registry', [{ subjectId: mother, plateNumber: '12가3456', model: '현대 아반떼', nextInspectionDue: inDays(12) }]);
  await optIn(t.db, mother); // the father has not asked
  await runJobs(t, moduleHandlers(modules, t)); // whatever the seeding queued
}, 120_000);
afterAll(async () => close?.());

describe('proactive notices', () => {
  it('a registered birth tells the parent who opted in about the birth benefits, in one worker cycle', async () => {
    await seedResidents(app, t, [{ serial: 13, id: child, birthDate: daysAgo(3), sex: 'F', sido: '서울특별시', sigungu: '강남구' }]);
    await runJobs(t, moduleHandlers(modules, t));
    const told = await noticesOf(mother);
    const ids = told.map((n) => n.service_id);
    for (const id of ['first-meeting-voucher', 'parental-benefit', 'child-allowance']) expect(ids.some((s) => s.includes(id)), id).toBe(true);
    expect(told.every((n) => n.occasion === `birth:${child}`)).toBe(true);
    // through notify: one inbox notice per service (the inbox is always among the channels)
    expect(await inboxOf(mother)).toBe(told.length);
    const [msg] = await rows<{ template: string; reference: string }>(t.db, sql`select t.code as template, n.reference from notify.notification n join notify.template t on t.id = n.template_id where n.citizen_id = ${mother}::uuid limit 1`);
    expect(msg?.template).toBe('services.benefit-available');
    // the father did not ask: nothing read, nothing sent
    expect(await noticesOf(father)).toEqual([]);
    expect(await inboxOf(father)).toBe(0);
  });

  it('never tells the same thing twice: a scan sends only what the citizen was not told', async () => {
    const before = await noticesOf(mother);
    const first = await scanPopulation(t);
    expect(first).toMatchObject({ screened: 1, read: 0 }); // from the snapshot the birth's screening kept
    await runJobs(t, moduleHandlers(modules, t));
    const after = await noticesOf(mother);
    // nothing told at the birth is told again
    const birthServices = new Set(before.map((n) => n.service_id));
    expect(after.filter((n) => n.occasion.startsWith('scan:') && birthServices.has(n.service_id))).toEqual([]);
    // 국민비서: the inspection due in 12 days is a reminder, about that date
    expect(after.filter((n) => n.occasion.startsWith('due:'))).toEqual([{ service_id: 'vehicle-inspection', occasion: `due:${inDays(12)}` }]);
    const [reminder] = await rows<{ template: string }>(t.db, sql`select t.code as template from notify.notification n join notify.template t on t.id = n.template_id where n.citizen_id = ${mother}::uuid and n.reference = 'vehicle-inspection'`);
    expect(reminder?.template).toBe('services.reminder-due');
    const again = await scanPopulation(t);
    expect(again.notices).toBe(0);
    await runJobs(t, moduleHandlers(modules, t));
    expect(await noticesOf(mother)).toEqual(after);
    expect(await inboxOf(mother)).toBe(after.length);
  });

  it('turning 65: the scan tells a new 65-year-old about 기초연금 as their birthday\'s news', async () => {
    const born = new Date(Date.now() + 9 * 3_600_000);
    born.setUTCFullYear(born.getUTCFullYear() - 65);
    born.setUTCDate(born.getUTCDate() - 20);
    const [elder] = (await seedResidents(app, t, [{ serial: 14, birthDate: born.toISOString().slice(0, 10), sex: 'M', sido: '전라남도', sigungu: '해남군' }])).map((p) => p.id) as [string];
    await seedRecords(app, t, 'income', 'KR/GOV/MOHW/welfare-registry', [{ subjectId: elder, householdSize: 1, monthlyIncome: 600_000, assets: 10_000_000, medianIncomePercent: 25 }]);
    await seedRecords(app, t, 'family', 'KR/GOV/SCOURT/family-registry', [{ subjectId: elder, maritalStatus: 'widowed' }]);
    await optIn(t.db, elder);
    await scanPopulation(t);
    await runJobs(t, moduleHandlers(modules, t));
    const told = await noticesOf(elder);
    expect(told).toContainEqual({ service_id: 'basic-pension', occasion: 'turning-65' });
    // other programmes found by the same scan are the scan's
    expect(told.filter((n) => n.occasion !== 'turning-65').every((n) => n.occasion.startsWith('scan:') || n.occasion.startsWith('due:'))).toBe(true);
    const cookie = `${DEMO_ACTOR_COOKIE}=${app.signCookie(JSON.stringify({ kind: 'citizen', id: elder }))}`;
    const box = (await app.inject({ url: '/api/notify/me/inbox?limit=100', headers: { cookie } })).json() as { items: Array<{ title: string; body: string }> };
    const pension = box.items.find((i) => i.title.includes('기초연금'));
    expect(pension?.body).toContain('만 65세 도래');
  });
});
