import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEMO_ACTOR_COOKIE } from '../../platform/auth.ts';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { moduleHandlers, runJobs } from '../../platform/worker.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { invalidateDirectoryCache } from '../exchange/protocol-call.ts';
import { grantAccessRight, revokeAccessRight } from '../exchange/directory.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { notifyModule } from '../notify/index.ts';
import { agencyRecords, registriesModule } from '../registries/index.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { optIn } from './engine.ts';
import { SCREENING_CLIENT } from './facts-source.ts';
import { servicesModule } from './index.ts';
import { BUNDLES } from './onestop/bundles.ts';
import { ONESTOP_CLIENT } from './onestop/registry-reads.ts';
import { escalateOverdue } from './onestop/tasks.ts';

// One-stop life events through the GovStack Registration API: a birth fans out to the family
// register, the resident register, health insurance and three benefits (four agencies); each
// agency's approval writes back to its registry, and the registered birth tells the parents about
// the birth benefits within one worker cycle. A move changes the address in four registries, with
// a send-back answered by the applicant; a death registers and answers the 안심상속 inquiries.
// Every answer is checked against the building block's OpenAPI file; the wrong actor is refused.

const P = '/govstack/registration';
const SPEC = path.resolve(import.meta.dirname, '../../../specs/govstack/registration');
type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };
const docs = { main: JSON.parse(readFileSync(path.join(SPEC, 'GovStack_Registration_BB_API.json'), 'utf8')) as Doc, stats: JSON.parse(readFileSync(path.join(SPEC, 'GovStack_Registration_BB_API_statistics.json'), 'utf8')) as Doc };
const ajv = (addFormatsModule as unknown as (a: Ajv) => Ajv)(new Ajv({ strict: false, allErrors: true }));
// The file says each form value is an object, while its own ExamplePayload.json (and every real form) has strings and
// booleans: those three maps are checked as maps of any value (docs/services.md).
const LOOSE = new Set(['formData', 'additionalData', 'dataUserTaskResponse']);
function resolve(d: Doc, node: unknown, parent = ''): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(d, n, parent));
  if (typeof node !== 'object' || node === null) return node;
  const o = node as Record<string, unknown>;
  if (typeof o.$ref === 'string') {
    const name = o.$ref.split('/').pop()!;
    return resolve(d, d.components.schemas[name], name);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, LOOSE.has(parent) && k === 'additionalProperties' ? {} : resolve(d, v, parent)]));
}
const compiled = new Map<string, ValidateFunction>();
const checked = new Set<string>();
function expectConforms(which: keyof typeof docs, specPath: string, method: string, body: unknown): void {
  const id = `${which} ${method} ${specPath}`;
  let v = compiled.get(id);
  if (!v) {
    const res = docs[which].paths[specPath]![method]!.responses['200']!;
    const content = res.content ? Object.values(res.content)[0] : undefined;
    compiled.set(id, (v = ajv.compile((content?.schema ? resolve(docs[which], content.schema) : {}) as object)));
  }
  if (!v(body)) throw new Error(`${method} ${specPath} does not match the spec: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
  checked.add(`${method} ${specPath}`);
}

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let mother: string, father: string, grandma: string, stranger: string;
const as = (actor: object) => `${DEMO_ACTOR_COOKIE}=${app.signCookie(JSON.stringify(actor))}`;
const citizen = (id: string) => as({ kind: 'citizen', id });
const official = (agency: string, roles = ['case-worker'], id = `${agency.toLowerCase()}-worker`) => as({ kind: 'official', id, name: `${agency} 담당자`, agency, roles });
const IM = { 'information-mediator-client': 'KR/GOV/MOIS/gov24' };
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
const modules = [registriesModule, exchangeModule, identityModule, notifyModule, servicesModule];
const worker = () => runJobs(t, moduleHandlers(modules, t));

const call = (method: string, url: string, cookie: string, payload?: unknown, headers: Record<string, string> = IM) =>
  app.inject({ method: method as 'GET', url, headers: { cookie, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
async function submit(bundle: keyof typeof BUNDLES, who: string, data: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call('POST', `${P}/services/${BUNDLES[bundle].serviceId}/applications`, citizen(who), { applicantId: who, formData: { data, eFormId: BUNDLES[bundle].eFormId } }, { ...IM, ...headers });
}
async function tasksOfFile(fileId: string) {
  return rows<{ id: string; kind: string; agency: string; status: string }>(t.db, sql`select id, kind, agency, status from services.task where application_id = ${fileId}::uuid order by kind`);
}
async function complete(taskId: string, agency: string, decision: string, note?: string) {
  return call('POST', `${P}/tasks/${taskId}/complete`, official(agency), { data: { decision, ...(note ? { note } : {}) } }, {});
}

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules }));
  await t.keys.ensureKeys();
  await seedForTests(t);
  await createClientKey(t, ONESTOP_CLIENT, { keepPrivate: true });
  await createClientKey(t, SCREENING_CLIENT, { keepPrivate: true });
  [mother, father, grandma, stranger] = (await seedResidents(app, t, [
    { serial: 21, birthDate: '1993-04-02', sex: 'F', sido: '서울특별시', sigungu: '강남구', roadAddress: '테헤란로 1', postalCode: '06234' },
    { serial: 22, birthDate: '1991-09-30', sex: 'M', sido: '서울특별시', sigungu: '강남구', roadAddress: '테헤란로 1', postalCode: '06234' },
    { serial: 23, birthDate: '1950-01-15', sex: 'F', sido: '부산광역시', sigungu: '해운대구' },
    { serial: 24, birthDate: '1980-05-05', sex: 'M', sido: '대전광역시', sigungu: '유성구' },
  ])).map((p) => p.id) as [string, string, string, string];
  await seedRecords(app, t, 'family', 'KR/GOV/SCOURT/family-registry', [
    { subjectId: mother, spouse: father, mother: grandma, maritalStatus: 'married' },
    { subjectId: father, spouse: mother, maritalStatus: 'married' },
  ]);
  await seedRecords(app, t, 'health-insurance', 'KR/GOV/NHIS/insurance-registry', [
    { subjectId: father, insuredType: 'employee', status: 'insured' },
    { subjectId: mother, insuredType: 'dependent', status: 'insured', dependentOf: father },
    { subjectId: grandma, insuredType: 'self-employed', status: 'insured' },
  ]);
  await seedRecords(app, t, 'licence', 'KR/GOV/KNPA/licence-registry', [{ subjectId: mother, licenceNumber: '11-22-333333-44', licenceClass: 'class2-ordinary', status: 'valid' }]);
  await seedRecords(app, t, 'vehicle', 'KR/GOV/MOLIT/vehicle-registry', [
    { subjectId: mother, plateNumber: '12가3456', model: '현대 아반떼' },
    { subjectId: grandma, plateNumber: '34나5678', model: '기아 모닝', modelYear: 2015 },
  ]);
  await seedRecords(app, t, 'tax', 'KR/GOV/NTS/tax-registry', [{ subjectId: grandma, taxYear: 2025, totalPaid: 1_200_000, arrears: 35_000 }]);
  await optIn(t.db, mother);
  await worker();
}, 180_000);
afterAll(async () => {
  await close?.();
});

describe('the services and e-forms', () => {
  it('lists the three life events, each with its e-form and JSON Schema', async () => {
    const list = await call('GET', `${P}/services`, '');
    expect(list.statusCode).toBe(200);
    expectConforms('main', '/services', 'get', list.json());
    expect(list.json().map((s: { id: string }) => s.id)).toEqual(Object.values(BUNDLES).map((b) => b.serviceId));
    const one = await call('GET', `${P}/services/${BUNDLES.birth.serviceId}`, '');
    expectConforms('main', '/services/{serviceId}', 'get', one.json());
    const forms = await call('GET', `${P}/services/${BUNDLES.birth.serviceId}/eForms`, '');
    expectConforms('main', '/services/{serviceId}/eForms', 'get', forms.json());
    const form = await call('GET', `${P}/eForms/${forms.json()[0].eFormId}`, '');
    expectConforms('main', '/eForms/{eFormId}', 'get', form.json());
    expect(form.json().schema.required).toEqual(expect.arrayContaining(['childName', 'childSex', 'birthDate']));
    expect((await call('GET', `${P}/services/${BUNDLES.birth.eFormId}`, '')).statusCode).toBe(404);
    expect((await call('GET', `${P}/services?name=${encodeURIComponent('전입')}`, '')).json()).toHaveLength(1);
  });
});

describe('행복출산: one birth application, four agencies', () => {
  let fileId: string;
  let childId: string;

  it('refuses a form with errors, naming each field, and keeps nothing', async () => {
    const bad = await submit('birth', mother, { childSex: 'X', birthDate: '2026-02-30', otherParentId: stranger });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['birthDate', 'childName', 'childSex']);
    const notSpouse = await submit('birth', mother, { childName: '김하나', childSex: 'F', birthDate: daysAgo(2), otherParentId: stranger });
    expect(notSpouse.json().errors).toEqual([expect.objectContaining({ field: 'otherParentId', code: 'not_spouse' })]);
    expect((await rows(t.db, sql`select 1 from services.application`)).length).toBe(0);
  });

  it('fans out to the family register first; a double submit is one application', async () => {
    const data = { childName: '김하나', childSex: 'F', birthDate: daysAgo(2), birthPlace: '강남 산부인과', otherParentId: father };
    const res = await submit('birth', mother, data);
    expect(res.statusCode, res.body).toBe(200);
    expectConforms('main', '/services/{serviceId}/applications', 'post', res.json());
    fileId = res.json().fileId;
    childId = res.json().applicationData.formData.data.childId;
    expect(res.json().status.code).toBe('PENDING');
    const again = await submit('birth', mother, data);
    expect(again.json().fileId).toBe(fileId);
    const keyed = [await submit('birth', mother, { ...data, birthPlace: '집' }, { 'idempotency-key': 'k-1' }), await submit('birth', mother, { ...data, birthPlace: '집' }, { 'idempotency-key': 'k-1' })];
    expect(keyed[1]!.json().fileId).toBe(keyed[0]!.json().fileId);
    expect((await rows(t.db, sql`select 1 from services.application where applicant_id = ${mother}::uuid`)).length).toBe(2);
    await t.db.execute(sql`delete from services.application_event where application_id = ${keyed[0]!.json().fileId}::uuid`);
    await t.db.execute(sql`delete from services.task where application_id = ${keyed[0]!.json().fileId}::uuid`);
    await t.db.execute(sql`delete from services.application where id = ${keyed[0]!.json().fileId}::uuid`);

    const tasks = await tasksOfFile(fileId);
    expect(new Set(tasks.map((x) => x.agency))).toEqual(new Set(['SCOURT', 'MOIS', 'NHIS', 'MOHW']));
    expect(tasks.find((x) => x.kind === 'birth.family')?.status).toBe('open');
    expect(tasks.filter((x) => x.status === 'waiting')).toHaveLength(5);
    // acknowledged through notify
    const [ack] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from notify.notification n join notify.template tp on tp.id = n.template_id where tp.code = 'services.application-received' and n.citizen_id = ${mother}::uuid`);
    expect(ack!.n).toBeGreaterThan(0);
  });

  it('refuses the wrong actor everywhere', async () => {
    const officialApplies = await call('POST', `${P}/services/${BUNDLES.birth.serviceId}/applications`, official('MOIS'), { applicantId: mother, formData: { data: {} } });
    expect(officialApplies.statusCode).toBe(403);
    const forSomeoneElse = await call('POST', `${P}/services/${BUNDLES.birth.serviceId}/applications`, citizen(stranger), { applicantId: mother, formData: { data: {} } });
    expect(forSomeoneElse.statusCode).toBe(403);
    expect((await call('POST', `${P}/services/${BUNDLES.birth.serviceId}/applications`, '', { applicantId: mother })).statusCode).toBe(401);
    expect((await call('GET', `${P}/applications/${fileId}`, citizen(stranger))).statusCode).toBe(404);
    expect((await call('GET', `${P}/applications/${fileId}`, official('KNPA'))).statusCode).toBe(404);
    expect((await call('GET', `${P}/applications/${fileId}`, citizen(mother), undefined, {})).statusCode).toBe(400); // no Information-Mediator-Client
    const tasks = await tasksOfFile(fileId);
    const family = tasks.find((x) => x.kind === 'birth.family')!;
    expect((await complete(family.id, 'MOHW', 'APPROVED')).statusCode).toBe(404);
    expect((await call('POST', `${P}/tasks/${family.id}/complete`, citizen(mother), { data: { decision: 'APPROVED' } }, {})).statusCode).toBe(403);
    expect((await call('POST', `${P}/tasks/${family.id}/complete`, official('SCOURT', ['auditor']), { data: { decision: 'APPROVED' } }, {})).statusCode).toBe(403);
    expect((await call('GET', `${P}/tasks/${family.id}`, citizen(stranger))).statusCode).toBe(404);
    expect((await complete(family.id, 'SCOURT', 'MAYBE')).statusCode).toBe(400);
    expect((await complete(family.id, 'SCOURT', 'REJECTED')).json().code).toBe('note_required');
    expect((await tasksOfFile(fileId)).find((x) => x.kind === 'birth.family')?.status).toBe('open');
  });

  it("each agency's approval writes back; the registered birth tells the parents in one worker cycle", async () => {
    const queue = await call('GET', `${P}/tasks`, official('SCOURT'));
    expectConforms('main', '/tasks', 'get', queue.json());
    expect(queue.json().map((x: { fileId: string }) => x.fileId)).toEqual([fileId]);
    const byKind = async (k: string) => (await tasksOfFile(fileId)).find((x) => x.kind === k)!;

    const fam = await complete((await byKind('birth.family')).id, 'SCOURT', 'APPROVED');
    expect(fam.statusCode, fam.body).toBe(200);
    expectConforms('main', '/tasks/{taskId}/complete', 'post', fam.json());
    expect((await agencyRecords(t, { agency: 'SCOURT' }, 'family', mother))[0]?.children).toEqual([childId]);
    expect((await byKind('birth.register')).status).toBe('open');

    expect((await complete((await byKind('birth.register')).id, 'MOIS', 'APPROVED')).statusCode).toBe(200);
    const child = (await agencyRecords(t, { agency: 'MOIS' }, 'resident', childId))[0]!;
    expect(child).toMatchObject({ name: '김하나', sex: 'F', sido: '서울특별시', sigungu: '강남구', householdRole: 'child', status: 'active' });
    expect(String(child.rrn)).toMatch(/^\d{6}-4\*{6}$/);
    expect((await agencyRecords(t, { agency: 'SCOURT' }, 'family', childId))[0]).toMatchObject({ mother, father });

    await worker(); // one cycle: the birth event reaches the services module, which tells the mother (opted in)
    const told = await rows<{ service_id: string }>(t.db, sql`select service_id from services.notice where citizen_id = ${mother}::uuid and occasion = ${`birth:${childId}`}`);
    for (const id of ['first-meeting-voucher', 'parental-benefit', 'child-allowance']) expect(told.map((n) => n.service_id)).toContain(id);

    expect((await complete((await byKind('birth.insurance')).id, 'NHIS', 'APPROVED')).statusCode).toBe(200);
    expect((await agencyRecords(t, { agency: 'NHIS' }, 'health-insurance', childId))[0]).toMatchObject({ insuredType: 'dependent', dependentOf: father, status: 'insured' });
    for (const b of ['first-meeting-voucher', 'parental-benefit', 'child-allowance']) expect((await complete((await byKind(`birth.benefit.${b}`)).id, 'MOHW', 'APPROVED')).statusCode).toBe(200);
    const done = await call('GET', `${P}/applications/${fileId}`, citizen(mother));
    expectConforms('main', '/applications/{fileId}', 'get', done.json());
    expect(done.json()).toMatchObject({ status: { code: 'APPROVED' }, ended: true });
    // approving again changes nothing
    expect((await complete((await byKind('birth.register')).id, 'MOIS', 'APPROVED')).json().code).toBe('task_not_open');
  });

  it('the applicant sees their files and parts; the task shows the form and its result', async () => {
    const mine = await call('GET', `${P}/applications`, citizen(mother));
    expectConforms('main', '/applications', 'get', mine.json());
    expect(mine.json().map((f: { fileId: string }) => f.fileId)).toEqual([fileId]);
    expect((await call('GET', `${P}/applications`, citizen(stranger))).json()).toEqual([]);
    const parts = await call('GET', `${P}/tasks?fileId=${fileId}`, citizen(mother));
    expect(parts.json()).toHaveLength(6);
    const insurance = (await tasksOfFile(fileId)).find((x) => x.kind === 'birth.insurance')!;
    const one = await call('GET', `${P}/tasks/${insurance.id}`, official('NHIS'));
    expectConforms('main', '/tasks/{taskId}', 'get', one.json());
    expect(one.json().data.result).toMatchObject({ dependentOf: father });
  });
});

describe('전입: address changes in four registries, with a send-back', () => {
  let fileId: string;
  it('moves the resident address, then the licence, vehicle and insurance addresses', async () => {
    const res = await submit('move', mother, { sido: '부산광역시', sigungu: '해운대구', roadAddress: '해운대로 100', postalCode: '48094', moveInDate: daysAgo(1), addressChanges: ['licence', 'vehicle', 'health-insurance'] });
    expect(res.statusCode, res.body).toBe(200);
    fileId = res.json().fileId;
    const byKind = async (k: string) => (await tasksOfFile(fileId)).find((x) => x.kind === k)!;
    expect((await complete((await byKind('move.register')).id, 'MOIS', 'APPROVED')).statusCode).toBe(200);
    expect((await agencyRecords(t, { agency: 'MOIS' }, 'resident', mother))[0]).toMatchObject({ sido: '부산광역시', sigungu: '해운대구', roadAddress: '해운대로 100' });
    expect((await complete((await byKind('move.licence')).id, 'KNPA', 'APPROVED')).statusCode).toBe(200);
    expect((await agencyRecords(t, { agency: 'KNPA' }, 'licence', mother))[0]?.address).toBe('부산광역시 해운대구 해운대로 100 (48094)');
    const back = await complete((await byKind('move.vehicle')).id, 'MOLIT', 'SENDBACK', '새 주소의 상세 주소(동·호수)를 적어 주세요.');
    expect(back.statusCode).toBe(200);
    expect((await call('GET', `${P}/applications/${fileId}`, citizen(mother))).json().status.code).toBe('SENDBACK');
    // the applicant answers: the part opens again; the address the resident register holds now cannot be changed here
    const put = await call('PUT', `${P}/applications/${fileId}`, citizen(mother), { applicantId: mother, formData: { data: { sido: '부산광역시', sigungu: '해운대구', roadAddress: '해운대로 100, 101동 202호', postalCode: '48094', moveInDate: daysAgo(1) } } });
    expect(put.statusCode, put.body).toBe(200);
    expectConforms('main', '/applications/{fileId}', 'put', put.json());
    expect(put.json().status.code).toBe('PENDING');
    expect((await call('PUT', `${P}/applications/${fileId}`, citizen(mother), { applicantId: mother, formData: { data: {} } })).statusCode).toBe(409);
    expect((await complete((await byKind('move.vehicle')).id, 'MOLIT', 'APPROVED')).statusCode).toBe(200);
    expect((await agencyRecords(t, { agency: 'MOLIT' }, 'vehicle', mother))[0]?.baseAddress).toBe('부산광역시 해운대구 해운대로 100 (48094)');
    expect((await complete((await byKind('move.insurance')).id, 'NHIS', 'APPROVED')).statusCode).toBe(200);
    expect((await agencyRecords(t, { agency: 'NHIS' }, 'health-insurance', mother))[0]?.address).toContain('해운대로 100');
  });
});

describe('사망신고와 안심상속', () => {
  it('registers the death and answers the inquiries; a refused registration cancels the rest', async () => {
    const notFamily = await submit('death', stranger, { deceasedId: grandma, deathDate: daysAgo(3) });
    expect(notFamily.json().errors).toEqual([expect.objectContaining({ field: 'deceasedId', code: 'not_family' })]);
    const res = await submit('death', mother, { deceasedId: grandma, deathDate: daysAgo(3), deathPlace: '부산 백병원' });
    expect(res.statusCode, res.body).toBe(200);
    const fileId = res.json().fileId;
    const byKind = async (k: string) => (await tasksOfFile(fileId)).find((x) => x.kind === k)!;
    expect(new Set((await tasksOfFile(fileId)).map((x) => x.agency))).toEqual(new Set(['MOIS', 'NTS', 'MOLIT', 'NHIS']));
    expect((await complete((await byKind('death.register')).id, 'MOIS', 'APPROVED')).statusCode).toBe(200);
    expect((await agencyRecords(t, { agency: 'MOIS' }, 'resident', grandma))[0]).toMatchObject({ status: 'deceased', deathDate: daysAgo(3) });
    expect((await complete((await byKind('death.tax')).id, 'NTS', 'APPROVED')).statusCode).toBe(200);
    expect((await byKind('death.tax')).status).toBe('approved');
    const tax = await call('GET', `${P}/tasks/${(await byKind('death.tax')).id}`, citizen(mother));
    expect(tax.json().data.result.tax).toEqual([{ taxYear: 2025, totalPaid: 1_200_000, arrears: 35_000 }]);
    expect((await complete((await byKind('death.vehicle')).id, 'MOLIT', 'APPROVED')).statusCode).toBe(200);
    expect((await complete((await byKind('death.insurance')).id, 'NHIS', 'APPROVED')).statusCode).toBe(200);
    expect((await agencyRecords(t, { agency: 'NHIS' }, 'health-insurance', grandma))[0]).toMatchObject({ status: 'lost' });

    // a second report of the same death is refused: she is no longer an active resident
    const again = await submit('death', mother, { deceasedId: grandma, deathDate: daysAgo(2) });
    expect(again.json().errors).toEqual([expect.objectContaining({ field: 'deceasedId', code: 'already_registered' })]);
  });

  it('a death sent back is answered with the date alone; refused, the application is refused and the person stays active', async () => {
    const res = await submit('death', mother, { deceasedId: father, deathDate: daysAgo(1), inquiries: [] });
    expect(res.statusCode, res.body).toBe(200);
    const fileId = res.json().fileId;
    const main = (await tasksOfFile(fileId)).find((x) => x.kind === 'death.register')!;
    expect((await complete(main.id, 'MOIS', 'SENDBACK', '사망진단서를 첨부해 주세요.')).statusCode).toBe(200);
    const put = await call('PUT', `${P}/applications/${fileId}`, citizen(mother), { applicantId: mother, formData: { data: { deathDate: daysAgo(2), deathPlace: '자택' } } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().applicationData.formData.data).toMatchObject({ deceasedId: father, deathDate: daysAgo(2) });
    // while an approval is being made by someone else, neither a second decision nor a withdrawal can come between
    await t.db.execute(sql`update services.task set claimed_by = 'official:someone', claimed_at = now() where id = ${main.id}::uuid`);
    expect((await complete(main.id, 'MOIS', 'REJECTED', '확인 결과 생존')).json().code).toBe('task_in_progress');
    expect((await call('POST', `/govstack/workflow/instances/${fileId}/stop`, citizen(mother), undefined, {})).statusCode).toBe(409);
    await t.db.execute(sql`update services.task set claimed_at = now() - interval '11 minutes' where id = ${main.id}::uuid`);
    expect((await complete(main.id, 'MOIS', 'REJECTED', '확인 결과 생존해 계십니다.')).statusCode).toBe(200);
    expect((await call('GET', `${P}/applications/${fileId}`, citizen(mother))).json()).toMatchObject({ status: { code: 'REJECTED' }, ended: true });
    expect((await agencyRecords(t, { agency: 'MOIS' }, 'resident', father))[0]).toMatchObject({ status: 'active' });
  });
  it('a refused registration cancels the parts that follow it', async () => {
    const res = await submit('move', father, { sido: '대구광역시', sigungu: '수성구', roadAddress: '달구벌대로 1', postalCode: '42000', moveInDate: daysAgo(1), addressChanges: ['health-insurance'] });
    const fileId = res.json().fileId;
    const main = (await tasksOfFile(fileId)).find((x) => x.kind === 'move.register')!;
    expect((await complete(main.id, 'MOIS', 'REJECTED', '실제 거주 사실이 확인되지 않았습니다.')).statusCode).toBe(200);
    expect((await tasksOfFile(fileId)).find((x) => x.kind === 'move.insurance')?.status).toBe('cancelled');
    const file = await call('GET', `${P}/applications/${fileId}`, citizen(father));
    expect(file.json()).toMatchObject({ status: { code: 'REJECTED' }, ended: true });
  });
});

describe('documents', () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  it('takes PDF, PNG or JPEG as multipart or JSON, and shows them only to their owner and the officials handling them', async () => {
    const boundary = 'hanaro-test-boundary';
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="사망진단서.pdf"\r\ncontent-type: application/pdf\r\n\r\n`),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    // multipart is a form post: it needs the form token like any other (a JSON upload does not)
    const page = await app.inject({ url: '/apply/death', headers: { cookie: citizen(mother) } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const csrfCookie = [page.headers['set-cookie']].flat().map(String).map((c) => c.split(';')[0]).join('; ');
    const up = await app.inject({ method: 'POST', url: `${P}/documents`, headers: { cookie: `${citizen(mother)}; ${csrfCookie}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': token }, payload: multipart });
    expect(up.statusCode, up.body).toBe(200);
    expectConforms('main', '/documents', 'post', up.json());
    expect(up.json().type).toBe('application/pdf');
    const url = up.json().url as string;
    const noToken = await app.inject({ method: 'POST', url: `${P}/documents`, headers: { cookie: citizen(mother), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: multipart });
    expect(noToken.statusCode).toBe(403);
    const json = await call('POST', `${P}/documents`, citizen(mother), { file: [Buffer.from('not a document').toString('base64')] }, {});
    expect(json.statusCode).toBe(400);
    expect(json.json().errors[0]).toMatchObject({ field: 'file', code: 'unsupported_type' });
    const path = new URL(url).pathname;
    expect((await call('GET', path, citizen(mother), undefined, {})).body).toContain('%PDF-1.4');
    expect((await call('GET', path, citizen(stranger), undefined, {})).statusCode).toBe(404);
    expect((await call('GET', path, official('NTS'), undefined, {})).statusCode).toBe(404);
    // someone else cannot attach it; attached by its owner, the officials of the application's agencies may read it
    const move = { sido: '제주특별자치도', sigungu: '제주시', roadAddress: '문연로 6', postalCode: '63122', moveInDate: daysAgo(0) };
    const notMine = await call('POST', `${P}/services/${BUNDLES.move.serviceId}/applications`, citizen(stranger), { applicantId: stranger, formData: { data: move }, documentUrls: [url] });
    expect(notMine.json().errors).toEqual([expect.objectContaining({ field: 'documentUrls', code: 'unknown_document' })]);
    const mine = await call('POST', `${P}/services/${BUNDLES.move.serviceId}/applications`, citizen(mother), { applicantId: mother, formData: { data: move }, documentUrls: [url] });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().applicationData.documentUrls).toEqual([url]);
    expect((await call('GET', path, official('MOIS'), undefined, {})).statusCode).toBe(200);
    expect((await call('GET', path, official('NTS'), undefined, {})).statusCode).toBe(404);
    // withdrawn again, so that the queues below hold what they held
    expect((await call('POST', `/govstack/workflow/instances/${mine.json().fileId}/stop`, citizen(mother), undefined, {})).statusCode).toBe(201);
  });
});

describe('GovStack Workflow', () => {
  const wf = YAML.parse(readFileSync(path.resolve(SPEC, '../workflow/swagger.yaml'), 'utf8')) as Doc;
  function conforms(specPath: string, method: string, status: string, body: unknown) {
    const res = wf.paths[specPath]![method]!.responses[status]!;
    const schema = JSON.parse(JSON.stringify(resolve(wf, Object.values(res.content ?? {})[0]?.schema ?? {})).replaceAll('"type":"integer","description":"generated by a system surrogate primary key"', '"type":"string","description":"generated by a system surrogate primary key"')) as object;
    const v = ajv.compile(schema);
    if (!v(body)) throw new Error(`${method} ${specPath}: ${ajv.errorsText(v.errors)}`);
  }
  it('shows the life events as processes and applications as instances; the applicant withdraws an undecided one', async () => {
    const procs = await call('GET', '/govstack/workflow/processes', '', undefined, {});
    conforms('/processes', 'get', '200', procs.json());
    expect(procs.json()).toHaveLength(3);
    conforms('/processes/{processId}', 'get', '200', (await call('GET', `/govstack/workflow/processes/${BUNDLES.move.serviceId}`, '', undefined, {})).json());
    expect((await call('POST', '/govstack/workflow/processes', official('MOIS', ['platform-admin']), {}, {})).statusCode).toBe(405);
    const mine = await call('GET', '/govstack/workflow/instances/', citizen(mother), undefined, {});
    conforms('/instances/', 'get', '200', mine.json());
    expect(mine.json().length).toBeGreaterThanOrEqual(3);
    expect((await call('GET', '/govstack/workflow/instances/', '', undefined, {})).statusCode).toBe(401);
    const fresh = await submit('move', mother, { sido: '세종특별자치시', sigungu: '세종시', roadAddress: '한누리대로 2130', postalCode: '30151', moveInDate: daysAgo(0) });
    const id = fresh.json().fileId;
    conforms('/instances/{instanceId}', 'get', '200', (await call('GET', `/govstack/workflow/instances/${id}`, official('MOIS'), undefined, {})).json());
    expect((await call('POST', `/govstack/workflow/instances/${id}/stop`, official('MOIS'), undefined, {})).statusCode).toBe(403);
    expect((await call('POST', `/govstack/workflow/instances/${id}/stop`, citizen(stranger), undefined, {})).statusCode).toBe(404);
    const stop = await call('POST', `/govstack/workflow/instances/${id}/stop`, citizen(mother), undefined, {});
    expect(stop.statusCode).toBe(201);
    conforms('/instances/{instanceId}/stop', 'post', '201', stop.json());
    expect((await tasksOfFile(id)).every((x) => x.status === 'cancelled')).toBe(true);
    expect((await call('GET', `${P}/applications/${id}`, citizen(mother))).json()).toMatchObject({ status: { code: 'REJECTED' }, ended: true });
    expect((await call('GET', `${P}/tasks?fileId=${id}`, official('MOIS'))).json().every((x: { status: { code: string } }) => x.status.code === 'REJECTED')).toBe(true);
    expect((await call('POST', `/govstack/workflow/instances/${id}/stop`, citizen(mother), undefined, {})).statusCode).toBe(409);
  });
});

describe('when a registry does not answer', () => {
  it('submits nothing and says to try again (503), rather than judging the applicant', async () => {
    const right = { actingMember: 'KR/GOV/SCOURT', serviceId: 'KR/GOV/SCOURT/family-registry/family', clientId: ONESTOP_CLIENT };
    await revokeAccessRight(t, right);
    invalidateDirectoryCache(t);
    try {
      const before = (await rows(t.db, sql`select 1 from services.application`)).length;
      const res = await submit('move', stranger, { sido: '강원특별자치도', sigungu: '춘천시', roadAddress: '중앙로 1', postalCode: '24266', moveInDate: daysAgo(0) });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('registry_unavailable');
      expect((await rows(t.db, sql`select 1 from services.application`)).length).toBe(before);
    } finally {
      await grantAccessRight(t, { ...right, legalBasis: '전자정부법 제36조 (행정정보의 공동이용)' });
      invalidateDirectoryCache(t);
    }
  });
});

describe('bad input and the wrong official', () => {
  it('answers 4xx, never 500, to malformed ids, dates and keys; auditors do not read files', async () => {
    const junk = 'a'.repeat(36);
    for (const url of [`${P}/applications/${junk}`, `${P}/tasks/${junk}`, `${P}/documents/${junk}`, `/govstack/workflow/instances/${junk}`]) {
      expect((await call('GET', url, citizen(mother))).statusCode, url).toBe(404);
    }
    expect((await call('GET', `${P}/data/statistics?startDate=2024-02-31`, '')).statusCode).toBe(400);
    expect((await call('GET', `${P}/data/statistics?endDate=0000-01-01`, '')).statusCode).toBe(400);
    const old = await call('POST', `${P}/services/${BUNDLES.move.serviceId}/applications`, citizen(stranger), { applicantId: stranger, created: '0000-01-01T00:00:00Z', formData: { data: {} } });
    expect(old.statusCode).toBe(400);
    const [any] = await rows<{ id: string }>(t.db, sql`select id from services.application where applicant_id = ${mother}::uuid limit 1`);
    expect((await call('GET', `${P}/applications/${any!.id}`, official('MOIS', ['auditor']))).statusCode).toBe(403);
    expect((await call('GET', `${P}/applications`, official('MOIS', ['auditor']))).statusCode).toBe(403);
    const boundaryless = await app.inject({ method: 'POST', url: `${P}/documents`, headers: { cookie: citizen(mother), 'content-type': 'multipart/form-data' }, payload: 'x' });
    expect(boundaryless.statusCode).toBeGreaterThanOrEqual(400);
    expect(boundaryless.statusCode).toBeLessThan(500);
  });

  it('a reused Idempotency-Key with other data is refused; a withdrawn application can be submitted again', async () => {
    const move = { sido: '충청북도', sigungu: '청주시', roadAddress: '상당로 155', postalCode: '28542', moveInDate: daysAgo(0) };
    const first = await submit('move', stranger, move, { 'idempotency-key': 'reuse-1' });
    expect(first.statusCode, first.body).toBe(200);
    expect((await submit('move', stranger, { ...move, roadAddress: '상당로 1' }, { 'idempotency-key': 'reuse-1' })).statusCode).toBe(409);
    expect((await call('POST', `/govstack/workflow/instances/${first.json().fileId}/stop`, citizen(stranger), undefined, {})).statusCode).toBe(201);
    const again = await submit('move', stranger, move, { 'idempotency-key': 'reuse-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json().fileId).not.toBe(first.json().fileId);
    expect((await call('POST', `/govstack/workflow/instances/${again.json().fileId}/stop`, citizen(stranger), undefined, {})).statusCode).toBe(201);
  });
});

describe('back office', () => {
  it('escalates parts past their SLA, most escalated first in the queue', async () => {
    const res = await submit('move', stranger, { sido: '광주광역시', sigungu: '서구', roadAddress: '상무대로 1', postalCode: '61949', moveInDate: daysAgo(1) });
    const main = (await tasksOfFile(res.json().fileId)).find((x) => x.kind === 'move.register')!;
    await t.db.execute(sql`update services.task set due_at = now() - interval '1 hour' where id = ${main.id}::uuid`);
    expect(await escalateOverdue(t)).toBe(1);
    expect(await escalateOverdue(t)).toBe(0); // once per level
    const level = async () => (await rows<{ escalation: number }>(t.db, sql`select escalation from services.task where id = ${main.id}::uuid`))[0]!.escalation;
    expect(await level()).toBe(1);
    await t.db.execute(sql`update services.task set due_at = now() - interval '30 hours' where id = ${main.id}::uuid`);
    expect(await escalateOverdue(t)).toBe(1);
    expect(await level()).toBe(2); // 30 h past due on a 24 h SLA: past twice it
    const queue = await call('GET', `${P}/tasks`, official('MOIS'));
    expect(queue.json()[0].taskId).toBe(main.id);
  });

  it('counts decisions for the statistics API', async () => {
    const res = await call('GET', `${P}/data/statistics?timeframe=day`, '');
    expect(res.statusCode).toBe(200);
    expectConforms('stats', '/data/statistics', 'get', res.json());
    const total = await call('GET', `${P}/data/statistics?registrationName=${encodeURIComponent('행복출산')}`, '');
    expect(total.json()[0]).toMatchObject({ processed: 6, approved: 6, sentBack: 0, rejected: 0 });
    expect((await call('GET', `${P}/data/statistics?startDate=2026-13-01`, '')).statusCode).toBe(400);
  });

  it('checked every operation of the files against the spec', () => {
    const all = [...Object.entries(docs.main.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)), 'get /data/statistics'];
    expect(all.filter((op) => !checked.has(op))).toEqual([]);
  });
});
