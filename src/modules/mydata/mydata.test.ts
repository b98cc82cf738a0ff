import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../platform/db.ts';
import type { TestPlatform } from '../../platform/testing.ts';
import { mediatedCall } from '../exchange/index.ts';
import { signedInOfficial } from '../identity/test-support.ts';
import { createApiKey } from '../registries/index.ts';
import { auth, BASE, seedRecords, seedResidents } from '../registries/test-support.ts';
import { createRecipient, listAgreements, type Agreement } from './agreements.ts';
import { giveConsent, MYDATA_HUB } from './consents.ts';
import { verifyChain } from './revisions.ts';
import { citizenSession, mydataApp } from './test-support.ts';
import { pull } from './transfers.ts';
import { alertsOf, scanNewRecipients, setNewRecipientAlert } from './access.ts';

// The once-only flow of docs/mydata.md over the real HTTP API: a third party registers, asks for
// consent, the citizen agrees, the third party collects its token and pulls exactly the agreed
// items, the citizen sees the read in their access log, withdraws, and the next pull is refused.
// Then the same for an agency reading through the mediator, the refusals, and the logs.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let me: string;
let other: string;
let meCookie: string;
let otherCookie: string;
let bankKey: string;
let landlordKey: string;
let bankAgreement: Agreement;
let taxAgreement: Agreement;

const INCOME = 'KR/GOV/MOHW/welfare-registry/income';
const TAX = 'KR/GOV/NTS/tax-registry/tax';

beforeAll(async () => {
  ({ app, t, close } = await mydataApp());
  [{ id: me }, { id: other }] = (await seedResidents(app, t, [
    { serial: 1, name: '김하나', birthDate: '1988-04-04' },
    { serial: 2, name: '박둘', birthDate: '1991-05-05' },
  ])) as unknown as [{ id: string }, { id: string }];
  await seedRecords(app, t, 'income', 'KR/GOV/MOHW/welfare-registry', [
    { subjectId: me, householdSize: 3, monthlyIncome: 4_200_000, assets: 150_000_000, medianIncomePercent: 82, occupation: '회사원', employmentType: 'employee' },
    { subjectId: other, householdSize: 1, monthlyIncome: 2_100_000, assets: 10_000_000, medianIncomePercent: 90, occupation: '교사', employmentType: 'employee' },
  ]);
  await seedRecords(app, t, 'tax', 'KR/GOV/NTS/tax-registry', [
    { subjectId: me, taxYear: 2025, totalPaid: 3_100_000, arrears: 0, lastPaymentDate: '2025-05-31' },
    { subjectId: other, taxYear: 2025, totalPaid: 900_000, arrears: 0 },
  ]);
  meCookie = await citizenSession(app, me);
  otherCookie = await citizenSession(app, other);
  // the seeded bank has no key yet: the operator makes one (as `hanaro mydata recipient key` does)
  const { rotateRecipientKey } = await import('./agreements.ts');
  bankKey = await rotateRecipientKey(t, 'hanbank-loans', 'operator:test');
  landlordKey = (await createRecipient(t, { id: 'test-landlord', kind: 'third-party', name: { ko: '임대인', en: 'Landlord' } }, 'operator:test')).apiKey;
  [bankAgreement] = await listAgreements(t.db, { recipientId: 'hanbank-loans' }) as [Agreement];
  [taxAgreement] = await listAgreements(t.db, { recipientId: 'moel-employment' }) as [Agreement];
}, 120_000);
afterAll(async () => close?.());

const recipientApi = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
const citizenApi = (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) =>
  app.inject({ method, url, headers: { cookie, accept: 'application/json' }, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('the once-only flow with a third party', () => {
  let requestId: string;
  let consentId: string;
  let token: string;

  it('the bank asks for consent to part of its agreement and gets a link for the citizen', async () => {
    const res = await recipientApi('POST', '/api/mydata/requests', bankKey, {
      agreementId: bankAgreement.id,
      items: [{ service: INCOME, items: ['monthlyIncome', 'householdSize'] }],
      mode: 'once',
      returnUrl: 'https://bank.example.kr/loan/42',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending', consentUrl: expect.stringMatching(/\/mydata\/requests\/[0-9a-f-]{36}$/) });
    requestId = res.json().id;
    // nothing to collect yet
    expect((await recipientApi('GET', `/api/mydata/requests/${requestId}`, bankKey)).json()).not.toHaveProperty('token');
  });

  it('the citizen agrees; the bank collects its token once', async () => {
    const answer = await citizenApi('POST', `/api/mydata/requests/${requestId}/answer`, meCookie, { agree: true });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ status: 'consented', returnUrl: 'https://bank.example.kr/loan/42' });
    consentId = answer.json().consentId;
    const first = (await recipientApi('GET', `/api/mydata/requests/${requestId}`, bankKey)).json();
    expect(first).toMatchObject({ status: 'consented', consentId });
    token = first.token;
    expect(token).toMatch(/^hmt_/);
    expect((await recipientApi('GET', `/api/mydata/requests/${requestId}`, bankKey)).json()).not.toHaveProperty('token');
    // another recipient cannot see the request at all
    expect((await recipientApi('GET', `/api/mydata/requests/${requestId}`, landlordKey)).statusCode).toBe(404);
  });

  it('a token for another citizen or a key of another recipient is refused (403), disclosing nothing', async () => {
    const otherConsent = await giveConsent(t, other, { agreementId: bankAgreement.id, mode: 'once' });
    const swapped = await recipientApi('GET', `/api/mydata/consents/${otherConsent.record.id}/data`, bankKey, undefined, { 'mydata-token': token });
    expect(swapped.statusCode).toBe(403);
    expect(swapped.headers['content-type']).toContain('application/problem+json');
    expect(swapped.json()).toMatchObject({ code: 'token_mismatch' });
    expect(swapped.body).not.toContain('2100000');
    const wrongRecipient = await recipientApi('GET', `/api/mydata/consents/${consentId}/data`, landlordKey, undefined, { 'mydata-token': token });
    expect(wrongRecipient.statusCode).toBe(403);
    expect(wrongRecipient.json()).toMatchObject({ code: 'consent_other_recipient' });
    expect((await recipientApi('GET', `/api/mydata/consents/${consentId}/data`, bankKey)).statusCode).toBe(401);
    expect((await app.inject({ url: `/api/mydata/consents/${consentId}/data`, headers: { 'mydata-token': token } })).statusCode).toBe(401);
  });

  it('the bank pulls exactly the agreed items; the read is in the citizen\'s access log within the request', async () => {
    const res = await recipientApi('GET', `/api/mydata/consents/${consentId}/data`, bankKey, undefined, { 'mydata-token': token });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.data).toHaveLength(1);
    expect(body.data[0].service).toBe(INCOME);
    const [record] = body.data[0].records;
    expect(record).toMatchObject({ monthlyIncome: 4_200_000, householdSize: 3 });
    // not agreed: occupation (in the agreement but not chosen), assets (not in the agreement)
    expect(record).not.toHaveProperty('occupation');
    expect(record).not.toHaveProperty('assets');
    // no internal identifiers leave: neither the citizen's nor the record's
    expect(body).not.toHaveProperty('citizenId');
    expect(record).not.toHaveProperty('id');
    expect(res.body).not.toContain(me);

    const log = await citizenApi('GET', '/api/mydata/me/access-log', meCookie);
    expect(log.statusCode).toBe(200);
    const read = log.json().entries.find((e: { consentId: string | null }) => e.consentId === consentId);
    expect(read).toMatchObject({ reader: 'KR/COM/HANBANK/loans', institution: 'HANBANK', service: INCOME, channel: 'exchange', application: '하나로은행 대출 심사' });
    expect(read.items.sort()).toEqual(['householdSize', 'monthlyIncome']);
    // the other citizen's log does not show it
    const theirs = await citizenApi('GET', '/api/mydata/me/access-log', otherCookie);
    expect(theirs.json().entries.some((e: { consentId: string | null }) => e.consentId === consentId)).toBe(false);
  });

  it('a once consent serves one pull', async () => {
    const again = await recipientApi('GET', `/api/mydata/consents/${consentId}/data`, bankKey, undefined, { 'mydata-token': token });
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ code: 'consent_used' });
  });

  it('withdrawal takes effect on the next pull, with a problem type saying so', async () => {
    const periodic = await giveConsent(t, me, { agreementId: bankAgreement.id, mode: 'periodic', intervalDays: 30, validityDays: 90 });
    const ok = await recipientApi('GET', `/api/mydata/consents/${periodic.record.id}/data`, bankKey, undefined, { 'mydata-token': periodic.token });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().data.map((d: { service: string }) => d.service).sort()).toEqual([INCOME, TAX].sort());
    // the same interval: too soon
    const soon = await recipientApi('GET', `/api/mydata/consents/${periodic.record.id}/data`, bankKey, undefined, { 'mydata-token': periodic.token });
    expect(soon.statusCode).toBe(429);
    expect(Number(soon.headers['retry-after'])).toBeGreaterThan(86_400);
    // another citizen cannot withdraw it
    expect((await citizenApi('POST', `/api/mydata/me/consents/${periodic.record.id}/withdraw`, otherCookie)).statusCode).toBe(404);
    const w = await citizenApi('POST', `/api/mydata/me/consents/${periodic.record.id}/withdraw`, meCookie);
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().state).toBe('withdrawn');
    const after = await recipientApi('GET', `/api/mydata/consents/${periodic.record.id}/data`, bankKey, undefined, { 'mydata-token': periodic.token });
    expect(after.statusCode).toBe(403);
    expect(after.json()).toMatchObject({ code: 'consent_withdrawn', type: 'urn:hanaro:problem:consent_withdrawn', title: '정보주체가 동의를 철회했습니다' });
    expect(after.body).not.toContain('4200000');
    // its revisions form a valid signed chain: given, then withdrawn
    expect(await verifyChain(t, 'consentRecord', periodic.record.id)).toEqual({ valid: true, revisions: 2 });
  });

  it('a periodic consent after its end is refused as expired', async () => {
    const periodic = await giveConsent(t, me, { agreementId: bankAgreement.id, mode: 'periodic', intervalDays: 1, validityDays: 2 });
    const bank = (await import('./agreements.ts')).findRecipient;
    const recipient = (await bank(t.db, 'hanbank-loans'))!;
    await expect(pull(t, recipient, periodic.record.id, periodic.token, new Date(Date.now() + 3 * 86_400_000))).rejects.toMatchObject({ status: 403, code: 'consent_expired' });
  });
});

describe('consent terms', () => {
  it('items outside the agreement, a mode it does not offer or too long a validity are 400 and nothing is stored', async () => {
    const before = (await citizenApi('GET', '/api/mydata/me/consents', meCookie)).json().consents.length;
    const outside = await citizenApi('POST', '/api/mydata/me/consents', meCookie, { agreementId: bankAgreement.id, items: [{ service: INCOME, items: ['assets'] }] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ code: 'outside_agreement' });
    expect(outside.json().errors[0]).toMatchObject({ field: 'items/0/items/0' });
    const service = await citizenApi('POST', '/api/mydata/me/consents', meCookie, { agreementId: bankAgreement.id, items: [{ service: 'KR/GOV/MOIS/resident-registry/resident', items: ['name'] }] });
    expect(service.statusCode).toBe(400);
    const mode = await citizenApi('POST', '/api/mydata/me/consents', meCookie, { agreementId: taxAgreement.id, mode: 'periodic' });
    expect(mode.statusCode).toBe(400);
    const long = await citizenApi('POST', '/api/mydata/me/consents', meCookie, { agreementId: taxAgreement.id, validityDays: 400 });
    expect(long.statusCode).toBe(400);
    const garbage = await citizenApi('POST', '/api/mydata/me/consents', meCookie, { agreementId: 'nope', items: 'x' });
    expect(garbage.statusCode).toBe(400);
    expect((await citizenApi('GET', '/api/mydata/me/consents', meCookie)).json().consents.length).toBe(before);
    const request = await recipientApi('POST', '/api/mydata/requests', bankKey, { agreementId: bankAgreement.id, items: [{ service: INCOME, items: ['assets'] }] });
    expect(request.statusCode).toBe(400);
    // an agreement of another recipient
    expect((await recipientApi('POST', '/api/mydata/requests', landlordKey, { agreementId: bankAgreement.id })).statusCode).toBe(403);
  });

  it('a malformed request id is simply not found, for the recipient and for the citizen', async () => {
    const collect = await recipientApi('GET', '/api/mydata/requests/not-a-uuid', bankKey);
    expect(collect.statusCode).toBe(404);
    expect(collect.headers['content-type']).toContain('application/problem+json');
    expect((await citizenApi('POST', '/api/mydata/requests/not-a-uuid/answer', meCookie, { agree: true })).statusCode).toBe(404);
  });

  it('the citizen API needs the citizen; recipients\' API needs a key', async () => {
    expect((await app.inject({ url: '/api/mydata/me/consents', headers: { accept: 'application/json' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/mydata/me/access-log', headers: { accept: 'application/json' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/mydata/requests', payload: {} })).statusCode).toBe(401);
    expect((await recipientApi('GET', '/api/mydata/consents', 'hmd_wrong')).statusCode).toBe(401);
  });
});

describe('an agency reads once-only through the mediator under consent', () => {
  const MOEL = 'KR/GOV/MOEL/employment-services';
  const read = (userId: string, consent?: string) =>
    mediatedCall(t, { client: MOEL, service: TAX, path: '/records', userId, issue: '국민취업지원제도 신청 2026-0042', ...(consent ? { consent } : {}) });

  it('without a consent the consent-based right is not served', async () => {
    const res = await read(me);
    expect(res.status).toBe(403);
    expect(res.headers['x-road-error']).toBe('Client.ConsentRequired');
  });

  it('with the citizen\'s consent it gets the agreed items only, logged with the consent id; other citizens and withdrawn consents are refused', async () => {
    const { record } = await giveConsent(t, me, { agreementId: taxAgreement.id, mode: 'once' });
    const res = await read(me, record.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [rec] = (res.body as { records: Array<Record<string, unknown>> }).records;
    expect(rec).toMatchObject({ taxYear: 2025, totalPaid: 3_100_000 });
    expect(rec).not.toHaveProperty('arrears');
    expect(rec).not.toHaveProperty('lastPaymentDate');
    const log = await t.accessLog.forCitizen(me, { limit: 10 });
    expect(log.find((e) => e.xRoadId === res.xRoadId)).toMatchObject({ reader: MOEL, consentId: record.id, items: ['taxYear', 'totalPaid'] });

    const otherCitizen = await read(other, record.id);
    expect(otherCitizen.status).toBe(403);
    expect(otherCitizen.headers['x-road-error']).toBe('Client.ConsentOtherCitizen');
    // the bank's client cannot use the employment service's consent
    const bank = await mediatedCall(t, { client: 'KR/COM/HANBANK/loans', service: TAX, path: '/records', userId: me, consent: record.id });
    expect(bank.headers['x-road-error']).toBe('Client.ConsentOtherRecipient');
    // a service the consent does not cover
    const income = await mediatedCall(t, { client: MOEL, service: INCOME, path: '/records', userId: me, consent: record.id });
    expect(income.headers['x-road-error']).toBe('Client.ConsentServiceNotCovered');

    await app.inject({ method: 'POST', url: `/api/mydata/me/consents/${record.id}/withdraw`, headers: { cookie: meCookie } });
    const after = await read(me, record.id);
    expect(after.status).toBe(403);
    expect(after.headers['x-road-error']).toBe('Client.ConsentWithdrawn');
    expect(JSON.stringify(after.body)).not.toContain('3100000');
    const unknown = await read(me, '00000000-0000-4000-8000-000000000000');
    expect(unknown.headers['x-road-error']).toBe('Client.ConsentNotFound');
  });
});

describe('officials\' legal-basis look-ups (행정정보 공동이용)', () => {
  it('only officials with the information-sharing duty may; the look-up is logged naming the official', async () => {
    const worker = await signedInOfficial(app, t, { name: '복지담당', agency: 'MOHW', roles: ['case-worker'] }, '10.9.0.1');
    const sharer = await signedInOfficial(app, t, { name: '공동이용담당', agency: 'MOHW', roles: ['information-sharing'] }, '10.9.0.2');
    const body = { citizenId: me, service: INCOME, purpose: '기초연금 신청 2026-0007' };
    const denied = await app.inject({ method: 'POST', url: '/api/mydata/lookups', headers: { cookie: worker.cookie }, payload: body });
    expect(denied.statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/mydata/lookups', headers: { cookie: meCookie }, payload: body })).statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/mydata/lookups', headers: { cookie: sharer.cookie }, payload: body });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ client: 'KR/GOV/MOHW/welfare-services', legalBasis: expect.stringContaining('사회보장급여법') });
    const log = (await citizenApi('GET', '/api/mydata/me/access-log', meCookie)).json().entries;
    expect(log.find((e: { purpose: string }) => e.purpose === '기초연금 신청 2026-0007')).toMatchObject({
      reader: 'KR/GOV/MOHW/welfare-services',
      application: `official:${sharer.accountId}`,
      legalBasis: expect.stringContaining('사회보장급여법'),
      consentId: null,
    });
    // no legal basis: the tax registry is consent-only for MOHW's systems
    const noBasis = await app.inject({ method: 'POST', url: '/api/mydata/lookups', headers: { cookie: sharer.cookie }, payload: { ...body, service: 'KR/GOV/MPVA/veterans-registry/veteran' } });
    expect(noBasis.statusCode).toBe(200);
    const none = await app.inject({ method: 'POST', url: '/api/mydata/lookups', headers: { cookie: sharer.cookie }, payload: { ...body, service: 'KR/GOV/MOLIT/vehicle-registry/vehicle' } });
    expect(none.statusCode).toBe(403);
    expect(none.json()).toMatchObject({ code: 'no_legal_basis' });
  });
});

describe('my data', () => {
  it('shows what the registries hold, read live under "self-view", and the look lands in my log', async () => {
    const res = await citizenApi('GET', '/api/mydata/me/data', meCookie);
    expect(res.statusCode).toBe(200);
    const agencies = res.json().agencies as Array<{ agency: string; registries: Array<{ service: string; records: Array<{ items: Array<{ field: string; value: unknown }> }> }> }>;
    const mohw = agencies.find((a) => a.agency === 'MOHW')!;
    const income = mohw.registries.find((r) => r.service === INCOME)!;
    expect(income.records[0]!.items.find((i) => i.field === 'monthlyIncome')?.value).toBe(4_200_000);
    expect(agencies.find((a) => a.agency === 'MOIS')!.registries[0]!.records[0]!.items.find((i) => i.field === 'rrn')?.value).toMatch(/^\d{6}-\d\*{6}$/);
    const log = await t.accessLog.forCitizen(me, { limit: 50 });
    expect(log.filter((e) => e.purpose === 'self-view' && e.reader === MYDATA_HUB).length).toBeGreaterThanOrEqual(3);
  });

  it('a read through any channel shows in the citizen\'s log: here the owner agency\'s direct registry API read', async () => {
    const { key } = await createApiKey(t, { client: 'KR/GOV/NTS/tax-registry' });
    const res = await app.inject({ method: 'POST', url: `${BASE}/data/tax/1.0/read`, headers: auth(key, 'KR/GOV/NTS/tax-registry', '세무조사 2026-11'), payload: { query: { content: { subjectId: me } } } });
    expect(res.statusCode, res.body).toBe(200);
    const log = (await citizenApi('GET', '/api/mydata/me/access-log?institution=NTS', meCookie)).json().entries;
    expect(log[0]).toMatchObject({ reader: 'KR/GOV/NTS/tax-registry', channel: 'registry-api', purpose: '세무조사 2026-11', institutionName: { ko: '국세청' } });
  });

  it('raises one alert when a reader not seen before reads my data, and none for readers already known', async () => {
    await setNewRecipientAlert(t, other, true);
    // readers already in the log when alerts were switched on count as known; the welfare system is new
    const known = await mediatedCall(t, { client: 'KR/GOV/MOHW/welfare-services', service: INCOME, path: '/records', userId: other, issue: '긴급복지 2026-1' });
    expect(known.status).toBe(200);
    expect(await scanNewRecipients(t)).toBe(1);
    expect(await scanNewRecipients(t)).toBe(0);
    const again = await mediatedCall(t, { client: 'KR/GOV/MOHW/welfare-services', service: INCOME, path: '/records', userId: other, issue: '긴급복지 2026-2' });
    expect(again.status).toBe(200);
    expect(await scanNewRecipients(t)).toBe(0);
    const alerts = await alertsOf(t, other);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ reader: 'KR/GOV/MOHW/welfare-services', institution: 'MOHW', service: INCOME });
    expect(await alertsOf(t, me)).toHaveLength(0);
    // and it reached the citizen through the notifications module: once, in their 알림함, naming the agency
    const notices = await rows<{ channel: string; idempotency_key: string }>(t.db, sql`select channel, idempotency_key from notify.notification where citizen_id = ${other}::uuid and idempotency_key like 'mydata.new-reader:%'`);
    expect(notices.map((n) => n.channel)).toEqual(['inbox']);
    const [item] = await rows<{ body_enc: string }>(t.db, sql`select body_enc from notify.inbox where citizen_id = ${other}::uuid`);
    expect(t.crypto.decrypt(item!.body_enc, `notify.inbox:${other}`)).toContain('보건복지부');
  });

  it('exports the access log as CSV and JSON with the same filters', async () => {
    const csv = await citizenApi('GET', `/api/mydata/me/access-log?format=csv&institution=HANBANK`, meCookie);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,at,reader,institution,institutionName,application,service,items,purpose,legalBasis,consentId,channel');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',HANBANK,'))).toBe(true);
    const json = await citizenApi('GET', `/api/mydata/me/access-log?format=json`, meCookie);
    expect(json.json().entries.length).toBeGreaterThan(lines.length - 1);
    expect((await citizenApi('GET', `/api/mydata/me/access-log?format=xml`, meCookie)).statusCode).toBe(400);
  });

  it('a correction request joins the owning agency\'s queue; only that agency decides', async () => {
    const made = await citizenApi('POST', '/api/mydata/me/corrections', meCookie, { service: INCOME, field: 'occupation', requestedValue: '자영업', reason: '올해 개업했습니다' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ agency: 'MOHW', status: 'open' });
    const bad = await citizenApi('POST', '/api/mydata/me/corrections', meCookie, { service: INCOME, field: 'nope', requestedValue: 'x', reason: 'y' });
    expect(bad.statusCode).toBe(400);
    const mohw = await signedInOfficial(app, t, { name: '복지', agency: 'MOHW', roles: ['case-worker'] }, '10.9.0.3');
    const nts = await signedInOfficial(app, t, { name: '국세', agency: 'NTS', roles: ['case-worker'] }, '10.9.0.4');
    const queue = await app.inject({ url: '/api/mydata/corrections', headers: { cookie: mohw.cookie } });
    expect(queue.json().corrections.map((c: { id: string }) => c.id)).toContain(made.json().id);
    expect((await app.inject({ url: '/api/mydata/corrections', headers: { cookie: nts.cookie } })).json().corrections).toHaveLength(0);
    const wrong = await app.inject({ method: 'POST', url: `/api/mydata/corrections/${made.json().id}/decision`, headers: { cookie: nts.cookie }, payload: { accept: true } });
    expect(wrong.statusCode).toBe(404);
    const decided = await app.inject({ method: 'POST', url: `/api/mydata/corrections/${made.json().id}/decision`, headers: { cookie: mohw.cookie }, payload: { accept: true, note: '반영했습니다' } });
    expect(decided.statusCode).toBe(200);
    expect((await citizenApi('GET', '/api/mydata/me/corrections', meCookie)).json().corrections[0]).toMatchObject({ status: 'accepted', decisionNote: '반영했습니다' });
    // the decision reached the citizen's 알림함 in the same transaction
    const [notice] = await rows<{ body_enc: string }>(t.db, sql`select i.body_enc from notify.inbox i join notify.notification n on n.id = i.notification_id where n.idempotency_key = ${`mydata.correction:${made.json().id}:inbox`}`);
    expect(t.crypto.decrypt(notice!.body_enc, `notify.inbox:${me}`)).toBe('보건복지부에서 정정 요청을 처리했습니다. 요청대로 고쳤습니다. 담당자 메모를 내 정보 화면에서 확인하세요.');
  });
});
