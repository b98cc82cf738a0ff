import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACTOR_COOKIE } from '../../platform/auth.ts';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { browser } from '../identity/test-support.ts';
import { notifyModule } from '../notify/index.ts';
import { registriesModule } from '../registries/index.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { servicesModule } from './index.ts';
import { ONESTOP_CLIENT } from './onestop/registry-reads.ts';

// The one-stop pages: the citizen fills in from their records only when they agree (and the
// reads are in their access log), gets an error summary linking to each field with what they
// typed kept, submits once however often they press the button, and follows each part; officials
// work through their agency's queue; everyone else is refused.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let mother: string, father: string, other: string;
const as = (actor: object) => `${DEMO_ACTOR_COOKIE}=${app.signCookie(JSON.stringify(actor))}`;
const citizen = (id: string) => as({ kind: 'citizen', id });
const official = (agency: string, roles = ['case-worker'], id = `${agency.toLowerCase()}-1`) => as({ kind: 'official', id, name: `${agency} 주무관`, agency, roles });
const html = { accept: 'text/html' };
const { formWithToken } = browser(() => app);
const today = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
const accessReads = async (citizenId: string) => (await rows<{ n: number }>(t.db, sql`select count(*)::int as n from platform.data_access where citizen_id = ${citizenId}`))[0]!.n;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, notifyModule, servicesModule] }));
  await t.keys.ensureKeys();
  await seedForTests(t);
  await createClientKey(t, ONESTOP_CLIENT, { keepPrivate: true });
  [mother, father, other] = (await seedResidents(app, t, [
    { serial: 31, birthDate: '1992-03-03', sex: 'F', sido: '인천광역시', sigungu: '연수구', roadAddress: '센트럴로 1', postalCode: '22004' },
    { serial: 32, birthDate: '1990-07-07', sex: 'M', sido: '인천광역시', sigungu: '연수구' },
    { serial: 33, birthDate: '1985-01-01', sex: 'M', sido: '울산광역시', sigungu: '남구' },
  ])).map((p) => p.id) as [string, string, string];
  await seedRecords(app, t, 'family', 'KR/GOV/SCOURT/family-registry', [{ subjectId: mother, spouse: father, maritalStatus: 'married' }]);
  await seedRecords(app, t, 'licence', 'KR/GOV/KNPA/licence-registry', [{ subjectId: mother, licenceNumber: '12-34-567890-12', licenceClass: 'class1-ordinary', status: 'valid' }]);
}, 180_000);
afterAll(async () => close?.());

describe('the citizen applies', () => {
  let fileId: string;
  it('reads their records only when they agree, and fills in the spouse and what the address should follow', async () => {
    const before = await accessReads(mother);
    const form = await app.inject({ url: '/apply/birth', headers: { ...html, cookie: citizen(mother) } });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="childName"');
    expect(form.body).not.toContain('name="otherParentId"');
    expect(await accessReads(mother)).toBe(before);
    const filled = await formWithToken('/apply/birth', '/apply/birth/prefill', {}, citizen(mother));
    expect(filled.statusCode).toBe(200);
    expect(filled.body).toContain(`value="${father}"`);
    expect(await accessReads(mother)).toBeGreaterThan(before);
    const move = await formWithToken('/apply/move', '/apply/move/prefill', {}, citizen(mother));
    expect(move.body).toMatch(/name="addressChanges" value="licence" checked/);
    expect(move.body).not.toMatch(/name="addressChanges" value="vehicle" checked/);
  });

  it('shows every error linked to its field, keeping what was typed', async () => {
    const res = await formWithToken('/apply/birth', '/apply/birth', { childName: '', childSex: 'F', birthDate: '2026-02-31', birthPlace: '<script>x</script>', benefits: ['child-allowance'] }, citizen(mother));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#f-childName"');
    expect(res.body).toContain('href="#f-birthDate"');
    expect(res.body).toContain('id="f-childName"');
    expect(res.body).toContain('value="2026-02-31"');
    expect(res.body).toContain('&lt;script>x&lt;/script>');
    expect(res.body).not.toContain('<script>x</script>');
    expect(res.body).toMatch(/value="child-allowance" checked/);
    expect(res.body).not.toMatch(/value="parental-benefit" checked/);
    expect((await rows(t.db, sql`select 1 from services.application`)).length).toBe(0);
  });

  it('submits once, however often the button is pressed, and shows each part', async () => {
    const page = await app.inject({ url: '/apply/birth', headers: { ...html, cookie: citizen(mother) } });
    const token = /name="_token" value="([^"]+)"/.exec(page.body)![1]!;
    const body = { _token: token, childName: '이하늘', childSex: 'M', birthDate: today(), benefits: ['first-meeting-voucher', 'child-allowance'] };
    const first = await formWithToken('/apply/birth', '/apply/birth', body, citizen(mother));
    expect(first.statusCode, first.body.slice(0, 300)).toBe(303);
    const second = await formWithToken('/apply/birth', '/apply/birth', body, citizen(mother));
    expect(second.headers.location).toBe(first.headers.location);
    fileId = /\/applications\/([0-9a-f-]{36})/.exec(String(first.headers.location))![1]!;
    const status = await app.inject({ url: `/applications/${fileId}?done=submitted`, headers: { ...html, cookie: citizen(mother) } });
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('법원행정처');
    expect(status.body).toContain('첫만남이용권');
    expect(status.body).not.toContain('부모급여 신청');
    const list = await app.inject({ url: '/applications', headers: { ...html, cookie: citizen(mother) } });
    expect(list.body).toContain(`/applications/${fileId}`);
  });

  it('officials work through their queue: a refusal needs a note, the applicant answers a send-back', async () => {
    const queue = await app.inject({ url: '/console/tasks', headers: { ...html, cookie: official('SCOURT') } });
    expect(queue.statusCode).toBe(200);
    const [task] = await rows<{ id: string }>(t.db, sql`select id from services.task where application_id = ${fileId}::uuid and kind = 'birth.family'`);
    expect(queue.body).toContain(`/console/tasks/${task!.id}`);
    const taskUrl = `/console/tasks/${task!.id}`;
    const page = await app.inject({ url: taskUrl, headers: { ...html, cookie: official('SCOURT') } });
    expect(page.body).toContain('이하늘');
    // a field sent twice is not a value (400 with the form, not a crash)
    expect((await formWithToken(taskUrl, `${taskUrl}/assign`, { action: 'to', assigneeId: ['a', 'b'], assigneeName: '누구' }, official('SCOURT', ['agency-admin'], 'scourt-boss'))).statusCode).toBe(400);
    const took = await formWithToken(taskUrl, `${taskUrl}/assign`, { action: 'me' }, official('SCOURT'));
    expect(took.statusCode).toBe(303);
    // another case worker cannot decide a part someone holds
    const held = await formWithToken(taskUrl, `${taskUrl}/decide`, { decision: 'approve' }, official('SCOURT', ['case-worker'], 'scourt-2'));
    expect(held.statusCode).toBe(409);
    const noNote = await formWithToken(taskUrl, `${taskUrl}/decide`, { decision: 'sendback', note: '' }, official('SCOURT'));
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('href="#f-note"');
    const back = await formWithToken(taskUrl, `${taskUrl}/decide`, { decision: 'sendback', note: '출생증명서의 이름과 다릅니다.' }, official('SCOURT'));
    expect(back.statusCode).toBe(303);
    const status = await app.inject({ url: `/applications/${fileId}`, headers: { ...html, cookie: citizen(mother) } });
    expect(status.body).toContain('출생증명서의 이름과 다릅니다.');
    expect(status.body).toContain(`/applications/${fileId}/amend`);
    const amended = await formWithToken(`/applications/${fileId}`, `/applications/${fileId}/amend`, { childName: '이하늘빛', childSex: 'M', birthDate: today() }, citizen(mother));
    expect(amended.statusCode).toBe(303);
    const ok = await formWithToken(taskUrl, `${taskUrl}/decide`, { decision: 'approve' }, official('SCOURT'));
    expect(ok.statusCode).toBe(303);
    const [state] = await rows<{ status: string }>(t.db, sql`select status from services.task where id = ${task!.id}::uuid`);
    expect(state!.status).toBe('approved');
  });

  it('refuses the wrong actor on every page and on the JSON assignment', async () => {
    const [task] = await rows<{ id: string }>(t.db, sql`select id from services.task where application_id = ${fileId}::uuid and kind = 'birth.register'`);
    expect((await app.inject({ url: '/apply', headers: html })).statusCode).toBe(303);
    expect((await app.inject({ url: '/apply/birth', headers: { ...html, cookie: official('MOIS') } })).statusCode).toBe(403);
    expect((await app.inject({ url: `/applications/${fileId}`, headers: { ...html, cookie: citizen(other) } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/console/tasks', headers: { ...html, cookie: citizen(mother) } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/console/tasks', headers: { ...html, cookie: official('MOIS', ['auditor']) } })).statusCode).toBe(403);
    expect((await app.inject({ url: `/console/tasks/${task!.id}`, headers: { ...html, cookie: official('NTS') } })).statusCode).toBe(404);
    expect((await formWithToken(`/console/tasks`, `/console/tasks/${task!.id}/decide`, { decision: 'approve' }, official('NTS'))).statusCode).toBe(404);
    const assign = (cookie: string, assignee: unknown) => app.inject({ method: 'POST', url: `/api/services/tasks/${task!.id}/assign`, headers: { cookie }, payload: { assignee } });
    expect((await assign(citizen(mother), 'me')).statusCode).toBe(403);
    expect((await assign(official('MOIS'), { id: 'someone', name: '누구' })).statusCode).toBe(403);
    const me = await assign(official('MOIS'), 'me');
    expect(me.json()).toMatchObject({ assigneeId: 'mois-1' });
    expect((await assign(official('MOIS', ['case-worker'], 'mois-2'), 'me')).statusCode).toBe(409);
    const admin = await assign(official('MOIS', ['agency-admin'], 'mois-boss'), { id: 'mois-2', name: '박주무관' });
    expect(admin.json()).toMatchObject({ assigneeId: 'mois-2', assigneeName: '박주무관' });
  });

  it('the applicant withdraws an application no agency has decided; nobody else can', async () => {
    const res = await formWithToken('/apply/move', '/apply/move', { sido: '울산광역시', sigungu: '중구', roadAddress: '종가로 1', postalCode: '44400', moveInDate: today() }, citizen(other));
    expect(res.statusCode).toBe(303);
    const url = String(res.headers.location).replace(/\?.*$/, '');
    const page = await app.inject({ url, headers: { ...html, cookie: citizen(other) } });
    expect(page.body).toContain(`${url}/withdraw`);
    expect((await formWithToken('/applications', `${url}/withdraw`, {}, citizen(mother))).statusCode).toBe(404);
    const done = await formWithToken(url, `${url}/withdraw`, {}, citizen(other));
    expect(done.statusCode).toBe(303);
    const after = await app.inject({ url: `${url}?done=withdrawn`, headers: { ...html, cookie: citizen(other) } });
    expect(after.body).toContain('신청을 취하했습니다.');
    expect(after.body).not.toContain(`${url}/withdraw"`);
    const id = url.split('/').pop()!;
    expect((await rows<{ status: string }>(t.db, sql`select status from services.task where application_id = ${id}::uuid`)).map((r) => r.status)).toEqual(['cancelled']);
  });
});
