import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '../../platform/testing.ts';
import { browser, signedInOfficial } from '../identity/test-support.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { findRecipient, listAgreements, type Agreement } from './agreements.ts';
import { consentsOfCitizen, giveConsent } from './consents.ts';
import { citizenSession, mydataApp } from './test-support.ts';
import { renderSelf } from './pages-self.tsx';
import { createRequest } from './transfers.ts';

// The MyData portal and console pages over app.inject, as a browser uses them: pages in ko and en
// for the right actor, sign-in redirects and 403/404 for the wrong one, forms posted with their
// CSRF token (consent given and withdrawn, a recipient's request answered, a correction asked for
// and decided), the consent screen's terms, the access log with its filters, paging and exports.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let me: string;
let other: string;
let meCookie: string;
let otherCookie: string;
let bank: Agreement;
let lease: Agreement;

const INCOME = 'KR/GOV/MOHW/welfare-registry/income';
const TAX = 'KR/GOV/NTS/tax-registry/tax';
const html = { accept: 'text/html' };
const { formWithToken } = browser(() => app);
const get = (url: string, cookie?: string) => app.inject({ url, headers: { ...html, ...(cookie ? { cookie } : {}) } });
/** A form post with the token of the page it is on (`from`), as the browser would send it. */
const post = (from: string, url: string, body: Record<string, string | string[]>, cookie: string) => formWithToken(from, url, body, cookie);

beforeAll(async () => {
  ({ app, t, close } = await mydataApp());
  [{ id: me }, { id: other }] = (await seedResidents(app, t, [
    { serial: 1, name: '김하나', birthDate: '1988-04-04' },
    { serial: 2, name: '박둘', birthDate: '1991-05-05' },
  ])) as unknown as [{ id: string }, { id: string }];
  await seedRecords(app, t, 'income', 'KR/GOV/MOHW/welfare-registry', [
    { subjectId: me, householdSize: 3, monthlyIncome: 4_200_000, assets: 150_000_000, medianIncomePercent: 82, occupation: '회사원', employmentType: 'employee' },
  ]);
  await seedRecords(app, t, 'tax', 'KR/GOV/NTS/tax-registry', [{ subjectId: me, taxYear: 2025, totalPaid: 3_100_000, arrears: 0 }]);
  await seedRecords(app, t, 'family', 'KR/GOV/SCOURT/family-registry', [{ subjectId: me, spouse: other, children: [], maritalStatus: 'married' }]);
  meCookie = await citizenSession(app, me);
  otherCookie = await citizenSession(app, other);
  [bank] = (await listAgreements(t.db, { recipientId: 'hanbank-loans' })) as [Agreement];
  [lease] = (await listAgreements(t.db, { recipientId: 'anshim-lease' })) as [Agreement];
}, 120_000);
afterAll(async () => close?.());

describe('who may open the pages', () => {
  it('sends a browser with nobody signed in to sign in and back', async () => {
    for (const path of ['/mydata', '/mydata/consents', '/mydata/send', `/mydata/send/${bank.id}`, '/mydata/access?purpose=self-view']) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(303);
      expect(res.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    const console = await get('/console/mydata/MOHW/corrections');
    expect(console.statusCode).toBe(303);
    expect(console.headers.location).toBe('/sign-in?next=%2Fconsole%2Fmydata%2FMOHW%2Fcorrections');
  });

  it('refuses an official on the citizens’ pages and a citizen on the console (403)', async () => {
    const official = await signedInOfficial(app, t, { name: '복지담당', agency: 'MOHW', roles: ['case-worker'] }, '10.8.0.1');
    expect((await get('/mydata', official.cookie)).statusCode).toBe(403);
    expect((await get('/mydata/access', official.cookie)).statusCode).toBe(403);
    expect((await get('/console/mydata/MOHW/corrections', meCookie)).statusCode).toBe(403);
    expect((await get('/console/mydata/MOHW/lookup', meCookie)).statusCode).toBe(403);
  });

  it('answers 404 for what is not there or is another citizen’s', async () => {
    expect((await get('/mydata/send/00000000-0000-4000-8000-000000000000', meCookie)).statusCode).toBe(404);
    expect((await get('/mydata/send/nonsense', meCookie)).statusCode).toBe(404);
    expect((await get('/mydata/requests/00000000-0000-4000-8000-000000000000', meCookie)).statusCode).toBe(404);
    expect((await get(`/mydata/corrections/new?service=${encodeURIComponent(INCOME)}&field=nope`, meCookie)).statusCode).toBe(404);
  });
});

describe('내 정보 (/mydata)', () => {
  it('shows what the registries hold, by agency, with a correction link per item and the download', async () => {
    const res = await get('/mydata', meCookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body;
    expect(body).toContain('<h1 class="hn-title">내 정보</h1>');
    // agency headings, registry headings, items in words with values
    expect(body).toMatch(/<h2 id="agency-\d+">보건복지부<\/h2>/);
    expect(body).toMatch(/<h3 id="reg-\d+-\d+" class="hn-subtitle">소득·재산<\/h3>/);
    expect(body).toContain('월 가구 소득(원)');
    expect(body).toContain('4,200,000');
    expect(body).toContain('회사원');
    expect(body).toContain('국세 납세');
    expect(body).toContain('마지막 변경일');
    expect(body).toContain(`href="/mydata/corrections/new?service=${encodeURIComponent(INCOME)}&amp;field=occupation"`);
    expect(body).toContain('aria-label="정정 요청: 직업 (소득·재산)"');
    expect(body).toContain('href="/api/mydata/me/export"');
    // other people are counted, not shown by their record ids
    expect(body).toContain('등록된 사람 1명');
    expect(body).not.toContain(other);
    // the other citizen's data is not here
    expect((await get('/mydata', otherCookie)).body).not.toContain('4,200,000');
    // the header's menu has the page
    expect(body).toContain('<a href="/mydata" class="gnb-main-trigger is-link active" aria-current="page">내 정보</a>');
  });

  it('says so when a registry did not answer', () => {
    const ctx = { lang: 'ko' as const, url: '/mydata', contrast: 'normal' as const, assets: { stylesheet: '/s.css', favicon: '/f.svg' }, demo: false, now: new Date() };
    const agencies = [{ agency: 'NTS', name: { ko: '국세청', en: 'National Tax Service' }, registries: [{ service: TAX, code: 'tax', name: { ko: '국세 납세', en: 'Tax payments' }, records: [], unavailable: true }] }];
    const page = renderSelf(ctx, { agencies, corrections: [], regs: new Map() });
    expect(page).toContain('국세 납세');
    expect(page).toContain('이 등록부가 지금 응답하지 않아 정보를 보여 드릴 수 없습니다.');
    expect(renderSelf({ ...ctx, lang: 'en' }, { agencies, corrections: [], regs: new Map() })).toContain('This register is not answering just now');
  });

  it('in English', async () => {
    const body = (await get('/mydata?lang=en', meCookie)).body;
    expect(body).toContain('<html lang="en"');
    expect(body).toContain('<h1 class="hn-title">My data</h1>');
    expect(body).toContain('Ministry of Health and Welfare');
    expect(body).toContain('Monthly household income (KRW)');
    expect(body).toContain('Request correction');
    expect(body).toContain('Download (JSON)');
  });

  it('a correction request: the form, its errors, the confirmation, the list; the agency decides in the console', async () => {
    const form = `/mydata/corrections/new?service=${encodeURIComponent(INCOME)}&field=occupation`;
    const page = await get(form, meCookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('정정 요청: 직업');
    expect(page.body).toContain('<label for="requested-value">올바른 값</label>');

    const empty = await post(form, '/mydata/corrections', { service: INCOME, field: 'occupation', requestedValue: ' ', reason: '' }, meCookie);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<title>오류: 정정 요청: 직업 | 하나로</title>');
    expect(empty.body).toContain('role="alert"');
    expect(empty.body).toContain('<a href="#requested-value">올바른 값을 써 주세요.</a>');
    expect(empty.body).toContain('<a href="#reason">사유를 써 주세요.</a>');
    expect(empty.body).toContain('aria-invalid="true"');

    const made = await post(form, '/mydata/corrections', { service: INCOME, field: 'occupation', requestedValue: '자영업', reason: '작년에 개업했습니다' }, meCookie);
    expect(made.statusCode, made.body).toBe(303);
    const where = String(made.headers.location);
    expect(where).toMatch(/^\/mydata\/corrections\/[0-9a-f-]{36}\?done=requested$/);
    const confirmation = await get(where, meCookie);
    expect(confirmation.body).toContain('정정 요청을 접수했습니다. 보건복지부 담당자가 확인합니다.');
    expect(confirmation.body).toContain('자영업');
    // someone else's request is not theirs to see
    expect((await get(where, otherCookie)).statusCode).toBe(404);
    const list = (await get('/mydata', meCookie)).body;
    expect(list).toContain('내 정정 요청');
    expect(list).toContain('<span class="krds-badge bg-light-warning">처리 중</span>');

    // the console: the owning agency's case worker; another agency's gets 403
    const mohw = await signedInOfficial(app, t, { name: '복지담당', agency: 'MOHW', roles: ['case-worker'] }, '10.8.0.2');
    const nts = await signedInOfficial(app, t, { name: '국세담당', agency: 'NTS', roles: ['case-worker'] }, '10.8.0.3');
    const queue = '/console/mydata/MOHW/corrections';
    const q = await get(queue, mohw.cookie);
    expect(q.statusCode).toBe(200);
    expect(q.body).toContain('정정 요청 처리 (보건복지부)');
    expect(q.body).toContain('김하나');
    expect(q.body).toContain('작년에 개업했습니다');
    expect((await get(`${queue}?lang=en`, mohw.cookie)).body).toContain('Correction requests (Ministry of Health and Welfare)');
    expect((await get(queue, nts.cookie)).statusCode).toBe(403);
    expect((await get('/console/mydata/NTS/corrections', nts.cookie)).body).toContain('처리할 요청이 없습니다.');
    const id = /corrections\/([0-9a-f-]{36})\/decide/.exec(q.body)![1]!;
    expect((await post('/console/mydata/NTS/corrections', `${queue}/${id}/decide`, { decision: 'accept' }, nts.cookie)).statusCode).toBe(403);
    const decided = await post(queue, `${queue}/${id}/decide`, { decision: 'accept', note: '등록부를 고쳤습니다' }, mohw.cookie);
    expect(decided.statusCode).toBe(303);
    expect(decided.headers.location).toBe(`${queue}?done=accepted`);
    expect((await get(`${queue}?done=accepted`, mohw.cookie)).body).toContain('요청을 받아들였습니다.');
    const after = (await get('/mydata', meCookie)).body;
    expect(after).toContain('<span class="krds-badge bg-light-success">받아들여짐</span>');
    expect(after).toContain('등록부를 고쳤습니다');
  });
});

describe('동의 관리, 데이터 보내기 and the consent screen', () => {
  it('lists the agreements of agencies and third parties to choose from', async () => {
    const res = await get('/mydata/send', meCookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h2 id="agencies">공공기관</h2>');
    expect(res.body).toContain('고용노동부 고용24');
    expect(res.body).toContain('<h2 id="third-parties">민간 기업·단체</h2>');
    expect(res.body).toContain(`href="/mydata/send/${bank.id}"`);
    expect((await get('/mydata/send?lang=en', meCookie)).body).toContain('Hanaro Bank loan screening');
  });

  it('the consent screen says who gets what, why, for how long, on what basis, and how to withdraw', async () => {
    const res = await get(`/mydata/send/${bank.id}`, meCookie);
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toContain('하나로은행 대출 심사에 내 정보 보내기');
    expect(b).toContain('대출 심사를 위한 소득·납세 확인');
    expect(b).toContain('소득·재산: 가구원 수, 월 가구 소득(원), 직업');
    expect(b).toContain('국세 납세: 과세연도, 납부 세액(원), 체납액(원)');
    expect(b).toContain('최대 1년');
    expect(b).toContain('받은 정보를 5년 동안 보관합니다');
    expect(b).toContain('정보주체(나)의 동의');
    expect(b).toContain('개인정보 보호법 제15조');
    expect(b).toContain('언제든지 철회할 수 있습니다');
    expect(b).toContain('<a href="/mydata/consents" class="hn-link">동의 관리</a>');
    // every item a labelled checkbox, ticked; both modes offered; validity up to the maximum
    expect(b).toContain(`<input type="checkbox" name="items" id="item-0-1" value="${INCOME}:monthlyIncome" checked/><label for="item-0-1">월 가구 소득(원)</label>`);
    expect(b).toContain('<input type="radio" name="mode" id="mode-periodic" value="periodic"');
    expect(b).toMatch(/<input type="number" id="validity-days" name="validityDays" class="krds-input" min="1" max="365"/);
    const en = (await get(`/mydata/send/${bank.id}?lang=en`, meCookie)).body;
    expect(en).toContain('Send my data to Hanaro Bank loan screening');
    expect(en).toContain('Income and assets: Household size, Monthly household income (KRW), Occupation');
    expect(en).toContain('keeps the data it receives for 5 years');
    expect(en).toContain('Up to 1 year');
    expect(en).toContain('Your consent');
  });

  it('errors are shown in the form: no item, an item outside the agreement, a validity past the maximum', async () => {
    const page = `/mydata/send/${bank.id}`;
    const none = await post(page, page, { mode: 'once', validityDays: '30' }, meCookie);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('<a href="#item-0-0">보낼 항목을 하나 이상 고르세요.</a>');
    const outside = await post(page, page, { items: [`${INCOME}:monthlyIncome`, 'KR/GOV/MOIS/resident-registry/resident:rrn'], mode: 'once', validityDays: '30' }, meCookie);
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('이 동의서가 다루지 않는 항목입니다: 주민등록: 주민등록번호');
    expect(outside.body).toContain('<title>오류: 하나로은행 대출 심사에 내 정보 보내기 | 하나로</title>');
    const tooLong = await post(`${page}?lang=en`, `${page}?lang=en`, { items: `${INCOME}:monthlyIncome`, mode: 'once', validityDays: '400' }, meCookie);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('<a href="#validity-days">Enter the duration as a number of days from 1 to 365.</a>');
    expect(tooLong.body).toContain('class="form-hint-invalid" id="validity-days-error"');
    // what was chosen is kept
    expect(tooLong.body).toContain(`value="${INCOME}:monthlyIncome" checked/>`);
    expect(tooLong.body).not.toContain(`value="${INCOME}:occupation" checked/>`);
    const onceOnly = `/mydata/send/${lease.id}`;
    expect((await post(onceOnly, onceOnly, { items: 'KR/GOV/MOIS/resident-registry/resident:name', mode: 'periodic', validityDays: '10' }, meCookie)).body).toContain('이 동의서가 제공하는 방식을 고르세요.');
    expect(await consentsOfCitizen(t.db, me)).toEqual([]);
  });

  it('gives consent with the chosen items, mode and validity; the list shows it; it can be withdrawn by its owner only', async () => {
    const page = `/mydata/send/${bank.id}`;
    const given = await post(page, page, { items: [`${INCOME}:monthlyIncome`, `${TAX}:totalPaid`], mode: 'periodic', intervalDays: '30', validityDays: '90' }, meCookie);
    expect(given.statusCode, given.body).toBe(303);
    expect(given.headers.location).toMatch(/^\/mydata\/consents\?done=given&consent=[0-9a-f-]{36}#consents$/);
    const [c] = await consentsOfCitizen(t.db, me);
    expect(c).toMatchObject({ state: 'given', mode: 'periodic', intervalDays: 30, items: [{ service: INCOME, items: ['monthlyIncome'] }, { service: TAX, items: ['totalPaid'] }] });
    expect(Math.round((Date.parse(c!.validUntil) - Date.parse(c!.validFrom)) / 86_400_000)).toBe(90);

    const list = await get(String(given.headers.location).replace('#consents', ''), meCookie);
    expect(list.body).toContain('동의했습니다. 하나로은행 대출 심사에 정보를 보낼 수 있게 되었습니다.');
    expect(list.body).toContain('소득·재산: 월 가구 소득(원)');
    expect(list.body).toContain('정기적으로 (30일마다)');
    expect(list.body).toContain('<span class="krds-badge bg-light-success">동의함</span>');
    expect(list.body).toContain('href="/mydata/send"');
    expect(list.body).toContain('aria-label="철회: 하나로은행 대출 심사, 대출 심사를 위한 소득·납세 확인"');
    const en = (await get('/mydata/consents?lang=en', meCookie)).body;
    expect(en).toContain('<h1 class="hn-title">Consents</h1>');
    expect(en).toContain('Periodically (every 30 days)');
    expect(en).toContain('Send my data');

    // another citizen cannot withdraw it (404, as if absent), the owner can
    const stranger = await post('/mydata/consents', `/mydata/consents/${c!.id}/withdraw`, {}, otherCookie);
    expect(stranger.statusCode).toBe(404);
    const withdrawn = await post('/mydata/consents', `/mydata/consents/${c!.id}/withdraw`, {}, meCookie);
    expect(withdrawn.statusCode).toBe(303);
    expect(withdrawn.headers.location).toBe(`/mydata/consents?done=withdrawn&consent=${c!.id}#consents`);
    const after = (await get(`/mydata/consents?done=withdrawn&consent=${c!.id}`, meCookie)).body;
    expect(after).toContain('동의를 철회했습니다. 이제 하나로은행 대출 심사는 이 동의로 내 정보를 받을 수 없습니다.');
    expect(after).toContain('<span class="krds-badge bg-light-gray">철회함</span>');
    expect(after).not.toContain(`/mydata/consents/${c!.id}/withdraw`);
    const again = await post('/mydata/consents', `/mydata/consents/${c!.id}/withdraw`, {}, meCookie);
    expect(again.headers.location).toBe('/mydata/consents?done=not-active#consents');
    // a post without the form token is refused
    const noToken = await app.inject({ method: 'POST', url: `/mydata/consents/${c!.id}/withdraw`, headers: { cookie: meCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(noToken.statusCode).toBe(403);
  });

  it('a recipient’s request: its terms, agree with a redirect to its site; declining without one shows the result', async () => {
    const recipient = (await findRecipient(t.db, 'hanbank-loans'))!;
    const asked = await createRequest(t, recipient, { agreementId: bank.id, items: [{ service: INCOME, items: ['monthlyIncome'] }], mode: 'once', validityDays: 30, returnUrl: 'https://bank.example.kr/loan/7' });
    const page = `/mydata/requests/${asked.id}`;
    const res = await get(page, meCookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('하나로은행 대출 심사의 정보 제공 동의 요청');
    expect(res.body).toContain('소득·재산: 월 가구 소득(원)');
    expect(res.body).not.toContain('소득·재산: 가구원 수');
    expect(res.body).toContain('30일 동안');
    expect(res.body).toContain('받은 정보를 5년 동안 보관합니다');
    expect(res.body).toContain('<button type="submit" name="answer" value="agree"');
    // the answer's redirect to the bank is allowed by the page's CSP
    expect(String(res.headers['content-security-policy'])).toMatch(/form-action 'self' https:\/\/bank\.example\.kr/);
    expect((await get(`${page}?lang=en`, meCookie)).body).toContain('Consent request from Hanaro Bank loan screening');

    const agreed = await post(page, page, { answer: 'agree' }, meCookie);
    expect(agreed.statusCode).toBe(303);
    expect(agreed.headers.location).toBe('https://bank.example.kr/loan/7');
    expect((await get(page, meCookie)).body).toContain('동의했습니다. 하나로은행 대출 심사가 동의한 정보를 받아 갑니다.');
    const again = await post(page, page, { answer: 'decline' }, meCookie);
    expect(again.statusCode).toBe(409);

    // a request made for another citizen is not this one's to see; declining without a return address
    const forOther = await createRequest(t, recipient, { agreementId: bank.id, mode: 'once', citizenId: other });
    expect((await get(`/mydata/requests/${forOther.id}`, meCookie)).statusCode).toBe(404);
    const declined = await post(`/mydata/requests/${forOther.id}`, `/mydata/requests/${forOther.id}`, { answer: 'decline' }, otherCookie);
    expect(declined.headers.location).toBe(`/mydata/requests/${forOther.id}?done=answered`);
    expect((await get(String(declined.headers.location), otherCookie)).body).toContain('role="status">동의하지 않았습니다.');
  });
});

describe('열람 기록 (/mydata/access)', () => {
  it('shows the reads of my data, filters them, and links the exports with the same filters', async () => {
    await get('/mydata', meCookie); // a self-view read
    const res = await get('/mydata/access', meCookie);
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toContain('<h1 class="hn-title">열람 기록</h1>');
    expect(b).toContain('본인 열람');
    expect(b).toContain('행정안전부'); // the MyData hub reads for the citizen
    expect(b).toContain('KR/GOV/MOIS/mydata');
    expect(b).toContain('월 가구 소득(원)');
    expect(b).toContain('정보 연계');
    expect(b).toContain('href="/api/mydata/me/access-log?format=csv"');
    expect(b).toContain('href="/api/mydata/me/access-log?format=json"');
    // the other citizen sees none of it
    expect((await get('/mydata/access', otherCookie)).body).not.toContain('월 가구 소득(원)');

    const filtered = await get(`/mydata/access?from=&to=&institution=MOIS&service=${encodeURIComponent(INCOME)}&purpose=self-view`, meCookie);
    expect(filtered.statusCode).toBe(200);
    expect(filtered.body).toContain('월 가구 소득(원)');
    expect(filtered.body).not.toContain('납부 세액(원)');
    expect(filtered.body).toContain(`href="/api/mydata/me/access-log?institution=MOIS&amp;service=${encodeURIComponent(INCOME)}&amp;purpose=self-view&amp;format=csv"`);
    expect(filtered.body).toContain(`<option value="${INCOME}" selected>`);
    const none = await get('/mydata/access?purpose=loan', meCookie);
    expect(none.body).toContain('조건에 맞는 열람 기록이 없습니다.');
    const future = await get('/mydata/access?from=2099-01-01', meCookie);
    expect(future.body).toContain('조건에 맞는 열람 기록이 없습니다.');
    const bad = await get('/mydata/access?from=yesterday', meCookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#filter-from">날짜는 YYYY-MM-DD 형식으로 써 주세요.</a>');
    const en = (await get('/mydata/access?lang=en', meCookie)).body;
    expect(en).toContain('Access log');
    expect(en).toContain('Your own look');
    expect(en).toContain('Download (CSV)');
    // the CSV the link leads to
    const csv = await app.inject({ url: '/api/mydata/me/access-log?purpose=self-view&format=csv', headers: { cookie: meCookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('self-view');
  });

  it('pages older records with the before cursor, keeping the filters', async () => {
    await t.accessLog.record(
      Array.from({ length: 60 }, (_, i) => ({
        citizenId: me,
        reader: 'KR/GOV/MOHW/welfare-services',
        institution: 'MOHW',
        service: TAX,
        items: ['totalPaid'],
        purpose: 'paging-test',
        legalBasis: '사회보장급여법 제5조',
        channel: 'exchange',
        at: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    );
    const first = (await get('/mydata/access?purpose=paging-test', meCookie)).body;
    expect(first.match(/<tr>/g)!.length).toBe(51); // the heading row and 50
    const older = /href="(\/mydata\/access\?purpose=paging-test&amp;before=\d+)#log"/.exec(first)?.[1];
    expect(older).toBeDefined();
    expect(first).toContain('더 보기 (이전 기록)');
    const second = (await get(older!.replace(/&amp;/g, '&'), meCookie)).body;
    expect(second.match(/<tr>/g)!.length).toBe(11);
    expect(second).toContain('사회보장급여법 제5조');
    expect(second).toContain('최근 기록으로');
    expect(second).not.toContain('더 보기 (이전 기록)');
  });

  it('the new-recipient alert: switched on by a form, then a first read by a new reader shows', async () => {
    const on = await post('/mydata/access', '/mydata/access/alerts', { on: 'true' }, meCookie);
    expect(on.statusCode).toBe(303);
    expect(on.headers.location).toBe('/mydata/access?done=alerts-on#alerts');
    const page = (await get('/mydata/access?done=alerts-on', meCookie)).body;
    expect(page).toContain('새 기관 알림을 켰습니다.');
    expect(page).toContain('알림이 켜져 있습니다.');
    expect(page).toContain('새로 읽은 곳이 없습니다.');
    await t.accessLog.record([{ citizenId: me, reader: 'KR/GOV/MOE/education-benefits', institution: 'MOE', service: INCOME, items: ['monthlyIncome'], purpose: '교육비 지원', legalBasis: '초·중등교육법 제60조의4', channel: 'exchange' }]);
    const alerted = (await get('/mydata/access', meCookie)).body;
    expect(alerted).toContain('교육부(KR/GOV/MOE/education-benefits)이(가) 처음으로 내 정보(소득·재산)를 읽었습니다.');
    const off = await post('/mydata/access', '/mydata/access/alerts', { on: 'false' }, meCookie);
    expect(off.headers.location).toBe('/mydata/access?done=alerts-off#alerts');
    expect((await get('/mydata/access', meCookie)).body).toContain('알림이 꺼져 있습니다.');
  });
});

describe('the legal-basis look-up (/console/mydata/{agency}/lookup)', () => {
  it('an information-sharing officer of the agency looks up; the read lands in the citizen’s access log', async () => {
    const sharer = await signedInOfficial(app, t, { name: '공동이용담당', agency: 'MOHW', roles: ['information-sharing'] }, '10.8.0.4');
    const path = '/console/mydata/MOHW/lookup';
    const page = await get(path, sharer.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('행정정보 공동이용 조회 (보건복지부)');
    expect(page.body).toContain('모든 조회는 정보주체의 열람 기록에 남습니다');
    expect(page.body).toContain(`<option value="${INCOME}"`);
    expect((await get(`${path}?lang=en`, sharer.cookie)).body).toContain('Information sharing look-up (Ministry of Health and Welfare)');

    const bad = await post(path, path, { citizenId: 'someone', service: INCOME, purpose: 'x' }, sharer.cookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#lookup-citizen">정보주체 ID를 UUID 형식으로 써 주세요.</a>');
    expect(bad.body).toContain('<a href="#lookup-purpose">목적은 3자 이상 200자 이내로 써 주세요.</a>');
    const notOurs = await post(path, path, { citizenId: me, service: TAX, purpose: '기초연금 신청 2026-0042' }, sharer.cookie);
    expect(notOurs.statusCode).toBe(400);
    expect(notOurs.body).toContain('목록에 있는 정보를 고르세요.');

    const found = await post(path, path, { citizenId: me, service: INCOME, purpose: '기초연금 신청 2026-0042' }, sharer.cookie);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.body).toContain('조회 결과: 소득·재산');
    expect(found.body).toContain('4,200,000');
    expect(found.body).toContain('이 조회는 정보주체의 열람 기록에 남았습니다');
    const log = (await get('/mydata/access?purpose=' + encodeURIComponent('기초연금 신청 2026-0042'), meCookie)).body;
    expect(log).toContain('KR/GOV/MOHW/welfare-services');
    expect(log).toContain('담당 공무원');
    expect(log).toContain('보건복지부');
  });

  it('is refused to other duties and other agencies (403)', async () => {
    const worker = await signedInOfficial(app, t, { name: '복지담당', agency: 'MOHW', roles: ['case-worker'] }, '10.8.0.5');
    const ntsSharer = await signedInOfficial(app, t, { name: '국세공동이용', agency: 'NTS', roles: ['information-sharing'] }, '10.8.0.6');
    expect((await get('/console/mydata/MOHW/lookup', worker.cookie)).statusCode).toBe(403);
    expect((await get('/console/mydata/MOHW/lookup', ntsSharer.cookie)).statusCode).toBe(403);
    expect((await post('/console/mydata/NTS/lookup', '/console/mydata/MOHW/lookup', { citizenId: me, service: INCOME, purpose: '확인 목적입니다' }, ntsSharer.cookie)).statusCode).toBe(403);
    expect((await get('/console/mydata/NTS/lookup', ntsSharer.cookie)).statusCode).toBe(200);
  });
});

describe('giving consent does not depend on the page', () => {
  it('a consent given through the service appears on the page for its owner only', async () => {
    const { record } = await giveConsent(t, other, { agreementId: lease.id, mode: 'once' });
    expect((await get('/mydata/consents', otherCookie)).body).toContain('안심전세 임대 플랫폼');
    expect((await get('/mydata/consents', meCookie)).body).not.toContain(record.id);
  });
});
