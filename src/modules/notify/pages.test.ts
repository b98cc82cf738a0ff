import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlatform, DEMO_ACTOR_COOKIE } from '../../platform/auth.ts';
import { httpPlatform } from '../../platform/http.ts';
import type { Platform } from '../../platform/platform.ts';
import { createRng } from '../../platform/seed.ts';
import { testApp, testConfig, type TestPlatform } from '../../platform/testing.ts';
import { browser } from '../identity/test-support.ts';
import { registriesModule } from '../registries/index.ts';
import { getPreferences, notifyCitizen } from './citizens.ts';
import { notifyPages } from './pages.ts';
import { notifySeeder } from './seed.ts';
import { listApiKeys } from './services.ts';
import { findTemplate } from './templates.ts';
import { citizenWith, MOHW_SERVICE, MOIS_SERVICE, NOTIFY_MODULES } from './test-support.ts';

// The notification pages over app.inject, as a browser uses them: 알림함 and 알림 설정 for a
// signed-in citizen in ko and en, the console's services, keys and template editor for an
// agency's administrators, /dev/mail and /dev/sms in demo mode only; the wrong actor refused;
// forms posted with their token, their errors summarised with links to the fields, values kept.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
const me = randomUUID();
const other = randomUUID();

const html = { accept: 'text/html' };
const { formWithToken } = browser(() => app);
const as = (actor: object) => `${DEMO_ACTOR_COOKIE}=${app.signCookie(JSON.stringify(actor))}`;
const citizen = (id: string) => as({ kind: 'citizen', id });
const official = (agency: string, roles: string[]) => as({ kind: 'official', id: `test-${agency}`, name: '김관리', agency, roles });
const get = (url: string, cookie?: string) => app.inject({ url, headers: { ...html, ...(cookie ? { cookie } : {}) } });
const errorLinks = (body: string) => [...(/role="alert"[\s\S]*?<\/div>/.exec(body)?.[0] ?? '').matchAll(/href="(#[^"]+)"/g)].map((m) => m[1]);
const inputValue = (body: string, id: string) => new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(body)?.[1] ?? new RegExp(`value="([^"]*)"[^>]*id="${id}"`).exec(body)?.[1];

let meCookie: string;
let mohwAdmin: string;
const svc = (id = MOHW_SERVICE) => `/console/notify/services/${id}`;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, ...NOTIFY_MODULES] }));
  await notifySeeder.run({ platform: t, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  meCookie = citizen(me);
  mohwAdmin = official('MOHW', ['agency-admin']);
}, 120_000);
afterAll(async () => close?.());

const notice = (citizenId: string, n: number) =>
  notifyCitizen(t, { citizenId, template: 'mydata.new-reader', personalisation: { institution: `기관${n}`, purpose: '대출 심사', link: 'https://hanaro.example/mydata/access' }, idempotencyKey: `pages-${citizenId}-${n}` });

describe('who may open the pages', () => {
  it('sends a browser with nobody signed in to sign in and back', async () => {
    for (const path of ['/notifications', '/notifications/settings', '/console/notify', svc()]) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(303);
      expect(res.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
  });

  it('refuses an official on the citizen pages, and a citizen or a case worker on the console (403)', async () => {
    expect((await get('/notifications', mohwAdmin)).statusCode).toBe(403);
    expect((await get('/notifications/settings', mohwAdmin)).statusCode).toBe(403);
    expect((await get('/console/notify', meCookie)).statusCode).toBe(403);
    expect((await get(svc(), meCookie)).statusCode).toBe(403);
    expect((await get('/console/notify', official('MOHW', ['case-worker']))).statusCode).toBe(403);
  });

  it("refuses another agency's administrator a service (403); a platform administrator may open any; an unknown one is 404", async () => {
    const moisAdmin = official('MOIS', ['agency-admin']);
    expect((await get(svc(), moisAdmin)).statusCode).toBe(403);
    expect((await get(`${svc()}/templates/new`, moisAdmin)).statusCode).toBe(403);
    const tpl = (await findTemplate(t.db, { code: 'benefit-decided', serviceId: MOHW_SERVICE }))!;
    expect((await get(`${svc()}/templates/${tpl.id}`, moisAdmin)).statusCode).toBe(403);
    const revoke = await formWithToken(svc(MOIS_SERVICE), `${svc()}/keys/${randomUUID()}/revoke`, {}, moisAdmin);
    expect(revoke.statusCode).toBe(403);
    // the MOHW administrator's own list has only MOHW's service; a platform administrator sees both
    const own = await get('/console/notify', mohwAdmin);
    expect(own.body).toContain('복지로 알림');
    expect(own.body).not.toContain('국민비서');
    const all = await get('/console/notify', official('MOIS', ['platform-admin']));
    expect(all.body).toContain('복지로 알림');
    expect(all.body).toContain('국민비서');
    expect((await get(svc(), official('MOIS', ['platform-admin']))).statusCode).toBe(200);
    expect((await get(svc(randomUUID()), mohwAdmin)).statusCode).toBe(404);
    // a template of another service is not found through this one
    expect((await get(`${svc(MOIS_SERVICE)}/templates/${tpl.id}`, official('MOIS', ['agency-admin']))).statusCode).toBe(404);
  });
});

describe('알림함', () => {
  it('lists the notices newest first, marks the unread ones in words, in ko and en', async () => {
    const empty = await get('/notifications', meCookie);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('받은 알림이 없습니다.');
    await notice(me, 1);
    await notice(me, 2);
    await notice(other, 3);
    const ko = await get('/notifications', meCookie);
    expect(ko.headers['cache-control']).toBe('no-store');
    expect(ko.body).toContain('<html lang="ko"');
    expect(ko.body).toContain('읽지 않은 알림: 2개');
    expect(ko.body.indexOf('기관2이(가)')).toBeGreaterThan(0);
    expect(ko.body.indexOf('기관2이(가)')).toBeLessThan(ko.body.indexOf('기관1이(가)'));
    expect(ko.body).not.toContain('기관3');
    expect(ko.body.match(/krds-badge bg-light-warning">읽지 않음</g)?.length).toBe(2);
    expect(ko.body).toContain('href="/mydata/access"');
    expect(ko.body).toContain('aria-label="자세히 보기: 내 정보를 처음 조회한 기관이 있습니다"');
    expect(ko.body).toMatch(/<time datetime="[^"]+">\d{4}년 \d{1,2}월 \d{1,2}일 \d\d:\d\d<\/time>/);
    const en = await get('/notifications?lang=en', meCookie);
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('Unread: 2');
    expect(en.body).toContain('Mark all as read');
  });

  it('marks one notice read, then all (forms with the token, then back to the list)', async () => {
    const page = await get('/notifications', meCookie);
    const id = /action="\/notifications\/([0-9a-f-]{36})\/read"/.exec(page.body)![1]!;
    const one = await formWithToken('/notifications', `/notifications/${id}/read`, {}, meCookie);
    expect(one.statusCode).toBe(303);
    expect(one.headers.location).toBe('/notifications?done=read');
    const after = await get('/notifications?done=read', meCookie);
    expect(after.body).toContain('알림을 읽음으로 표시했습니다.');
    expect(after.body).toContain('읽지 않은 알림: 1개');
    // someone else's notice: nothing changes for them
    const theirs = (await get('/notifications', citizen(other))).body;
    const theirId = /action="\/notifications\/([0-9a-f-]{36})\/read"/.exec(theirs)![1]!;
    await formWithToken('/notifications', `/notifications/${theirId}/read`, {}, meCookie);
    expect((await get('/notifications', citizen(other))).body).toContain('읽지 않은 알림: 1개');
    const all = await formWithToken('/notifications', '/notifications/read-all', {}, meCookie);
    expect(all.headers.location).toBe('/notifications?done=all-read');
    const done = await get('/notifications', meCookie);
    expect(done.body).toContain('읽지 않은 알림: 0개');
    expect(done.body).not.toContain('읽지 않음</span>');
    expect(done.body).not.toContain('/notifications/read-all');
  });
});

describe('알림 설정', () => {
  it('shows the defaults, the masked contacts with a link to the account page, and push for JavaScript only, in ko and en', async () => {
    await citizenWith(t, me, { email: 'hana@example.kr', phone: '+821012345678' });
    const ko = await get('/notifications/settings', meCookie);
    expect(ko.statusCode).toBe(200);
    expect(ko.body).toContain('<h1 class="hn-title">알림 설정</h1>');
    expect(ko.body).toContain('아직 저장한 설정이 없어 기본 설정을 보여 드립니다.');
    expect(ko.body).toMatch(/<select id="order-email"[^>]*>[\s\S]*?<option value="1" selected>1순위/);
    expect(ko.body).toMatch(/<select id="order-sms"[^>]*>[\s\S]*?<option value="2" selected>2순위/);
    expect(inputValue(ko.body, 'quiet-start')).toBe('21:00');
    expect(ko.body).toContain('h***@example.kr');
    expect(ko.body).toContain('010-****-5678');
    expect(ko.body).not.toContain('hana@example.kr');
    expect(ko.body).toContain('href="/account#contacts"');
    expect(ko.body).toContain('<noscript><p class="hn-notice">웹 푸시를 켜려면 자바스크립트가 필요합니다.');
    expect(ko.body).toContain('<script type="module" src="/notifications/push.js">');
    expect(ko.body).toContain('href="/notifications"');
    const en = await get('/notifications/settings?lang=en', meCookie);
    expect(en.body).toContain('<h1 class="hn-title">Notification settings</h1>');
    expect(en.body).toContain('<label for="lang-ko" lang="ko">한국어</label>');
  });

  it('saves the choices and redirects', async () => {
    const res = await formWithToken('/notifications/settings', '/notifications/settings', { 'order-sms': '1', 'order-email': '2', 'order-push': '', 'order-alimtalk': '', lang: 'en', quietStart: '22:00', quietEnd: '7:30', optedOut: ['advertising', 'reminder'] }, meCookie);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/notifications/settings?done=saved');
    expect(await getPreferences(t.db, me)).toMatchObject({ channels: ['sms', 'email'], lang: 'en', quietStart: '22:00', quietEnd: '07:30', optedOut: ['reminder', 'advertising'], saved: true });
    const page = await get('/notifications/settings?done=saved', meCookie);
    expect(page.body).toContain('알림 설정을 저장했습니다.');
    expect(page.body).toMatch(/id="lang-en" value="en" checked/);
    expect(page.body).toMatch(/id="optout-advertising" value="advertising" checked/);
  });

  it('returns the form with an error summary linking to the fields, keeping what was typed', async () => {
    const res = await formWithToken('/notifications/settings', '/notifications/settings', { 'order-email': '1', 'order-sms': '1', 'order-push': '9', quietStart: '25:00', quietEnd: '08:00', optedOut: 'transactional' }, meCookie);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>오류: 알림 설정');
    expect(errorLinks(res.body)).toEqual(['#order-sms', '#order-push', '#lang-ko', '#quiet-start', '#optout-reminder']);
    expect(res.body).toContain('문자(SMS): 다른 방법과 순위가 같습니다.');
    expect(res.body).toContain('시작 (예: 21:00): 21:00처럼 시:분으로 쓰세요.');
    expect(inputValue(res.body, 'quiet-start')).toBe('25:00');
    expect(res.body).toMatch(/<select id="order-sms"[^>]*aria-invalid="true"[^>]*aria-describedby="order-sms-error"/);
    expect(res.body).toMatch(/<select id="order-sms"[^>]*>[\s\S]*?<option value="1" selected>/);
    // nothing was saved
    expect((await getPreferences(t.db, me)).quietStart).toBe('22:00');
  });

  it('serves the push island and the service worker', async () => {
    const js = await app.inject('/notifications/push.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.body).toContain('/api/notify/me/push-subscriptions');
    const sw = await app.inject('/notify-sw.js');
    expect(sw.headers['content-type']).toContain('text/javascript');
    expect(sw.headers['content-security-policy']).toBe("default-src 'none'");
    expect(sw.body).toContain('showNotification');
    expect(sw.body).toContain('notificationclick');
  });
});

describe('the console: services and API keys', () => {
  it('lists the services and shows one, in ko and en', async () => {
    const ko = await get('/console/notify', mohwAdmin);
    expect(ko.body).toContain(`href="${svc()}"`);
    const page = await get(svc(), mohwAdmin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="hn-title">복지로 알림</h1>');
    expect(page.body).toContain('API 키가 없습니다.');
    expect(page.body).toContain('benefit-decided');
    const en = await get(`${svc()}?lang=en`, mohwAdmin);
    expect(en.body).toContain('<h1 class="hn-title">Bokjiro notices</h1>');
    expect(en.body).toContain('Create an API key');
  });

  it('shows a new key once, in the answer to the form only', async () => {
    const res = await formWithToken(svc(), `${svc()}/keys`, { name: 'welfare system', kind: 'team' }, mohwAdmin);
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.location).toBeUndefined();
    const key = /<code class="hn-secret">([^<]+)<\/code>/.exec(res.body)?.[1];
    expect(key).toMatch(new RegExp(`^welfare_system-${MOHW_SERVICE}-[0-9a-f-]{36}$`));
    expect(JSON.stringify(res.headers['set-cookie'] ?? '')).not.toContain(key!.slice(-36));
    const again = await get(svc(), mohwAdmin);
    expect(again.body).toContain('welfare system');
    expect(again.body).toContain('팀');
    expect(again.body).not.toContain(key!.slice(-36));
    const [made] = await listApiKeys(t.db, MOHW_SERVICE);
    expect(made).toMatchObject({ name: 'welfare system', kind: 'team', createdBy: 'official:test-MOHW', revokedAt: null });
  });

  it('refuses an unnamed key of no known type with an error summary, keeping the values', async () => {
    const res = await formWithToken(svc(), `${svc()}/keys`, { name: '  ', kind: 'admin' }, mohwAdmin);
    expect(res.statusCode).toBe(400);
    expect(errorLinks(res.body)).toEqual(['#key-name', '#key-kind-test']);
    expect(res.body).toContain('<title>오류: 복지로 알림');
    const long = await formWithToken(svc(), `${svc()}/keys`, { name: 'x'.repeat(101), kind: 'live' }, mohwAdmin);
    expect(errorLinks(long.body)).toEqual(['#key-name']);
    expect(inputValue(long.body, 'key-name')).toBe('x'.repeat(101));
    expect(long.body).toMatch(/id="key-kind-live" value="live" checked/);
  });

  it('revokes a key', async () => {
    const [k] = await listApiKeys(t.db, MOHW_SERVICE);
    const res = await formWithToken(svc(), `${svc()}/keys/${k!.id}/revoke`, {}, mohwAdmin);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${svc()}?done=revoked#keys`);
    expect((await listApiKeys(t.db, MOHW_SERVICE))[0]!.revokedAt).toBeInstanceOf(Date);
    const page = await get(`${svc()}?done=revoked`, mohwAdmin);
    expect(page.body).toContain('키를 폐기했습니다.');
    expect(page.body).toContain('폐기됨');
    expect(page.body).not.toContain('aria-label="폐기: welfare system"');
  });
});

describe('the console: templates', () => {
  const fieldsOf = (body: string) => {
    const out: Record<string, string> = {};
    for (const m of body.matchAll(/<input type="text" id="((?:ko|en)-[a-z]+-[a-z]+)" name="[^"]+"[^>]*value="([^"]*)"/g)) out[m[1]!] = m[2]!;
    for (const m of body.matchAll(/<textarea id="((?:ko|en)-[a-z]+-[a-z]+)" name="[^"]+"[^>]*>([^<]*)<\/textarea>/g)) out[m[1]!] = m[2]!;
    const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, unescape(v)]));
  };

  it('opens the editor for a template and a new one, in ko and en, with the versions', async () => {
    const tpl = (await findTemplate(t.db, { code: 'benefit-decided', serviceId: MOHW_SERVICE }))!;
    const ko = await get(`${svc()}/templates/${tpl.id}`, mohwAdmin);
    expect(ko.statusCode).toBe(200);
    expect(ko.body).toContain('템플릿: 급여 결정 안내 / Benefit decision');
    expect(fieldsOf(ko.body)['ko-email-subject']).toBe('[복지로] ((benefit)) 결정 안내');
    expect(fieldsOf(ko.body)['en-sms-body']).toBe('[Bokjiro] ((name)), ((benefit)): ((decision)). Call 129');
    expect(ko.body).toContain('알림톡 문안은 카카오에 등록한 그대로 두며');
    expect(ko.body).toContain('<h2 id="versions">판 기록</h2>');
    expect(ko.body).toContain('system:seed');
    expect(ko.body).toMatch(/<textarea id="sample"[^>]*>benefit=\ndecision=\nname=<\/textarea>/);
    const en = await get(`${svc()}/templates/new?lang=en`, mohwAdmin);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('<h1 class="hn-title">New template</h1>');
    expect(en.body).toContain('<label for="template-code">Code</label>');
    expect(en.body).toContain('value="preview"');
  });

  it('previews the draft with sample values: the text per channel, or the placeholders missing', async () => {
    const tpl = (await findTemplate(t.db, { code: 'benefit-decided', serviceId: MOHW_SERVICE }))!;
    const path = `${svc()}/templates/${tpl.id}`;
    const fields = fieldsOf((await get(path, mohwAdmin)).body);
    const res = await formWithToken(path, path, { ...fields, name: tpl.name, category: tpl.category, sample: 'name=홍길동\nbenefit=부모급여\ndecision=지급 결정', action: 'preview' }, mohwAdmin);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h2 id="preview">미리보기</h2>');
    expect(res.body).toContain('홍길동님, 신청하신 부모급여가 지급 결정되었습니다.');
    expect(res.body).toContain('[Bokjiro] 홍길동, 부모급여: 지급 결정. Call 129');
    expect(res.body).toContain('<dd>SMS</dd>');
    expect(res.body).not.toContain('값이 빠졌습니다');
    // the sample is kept, and nothing was saved
    expect(res.body).toContain('name=홍길동\nbenefit=부모급여\ndecision=지급 결정</textarea>');
    expect((await findTemplate(t.db, { id: tpl.id }))!.version).toBe(1);
    const missing = await formWithToken(path, path, { ...fields, name: tpl.name, category: tpl.category, sample: 'name=홍길동', action: 'preview' }, mohwAdmin);
    expect(missing.body).toContain('값이 빠졌습니다: benefit, decision');
    const bad = await formWithToken(path, path, { ...fields, name: tpl.name, category: tpl.category, sample: 'name=홍길동\nnonsense', action: 'preview' }, mohwAdmin);
    expect(bad.statusCode).toBe(400);
    expect(errorLinks(bad.body)).toEqual(['#sample']);
  });

  it('saves a new version, keeping the AlimTalk text the form does not show', async () => {
    const tpl = (await findTemplate(t.db, { code: 'benefit-decided', serviceId: MOHW_SERVICE }))!;
    const path = `${svc()}/templates/${tpl.id}`;
    const fields = fieldsOf((await get(path, mohwAdmin)).body);
    const res = await formWithToken(path, path, { ...fields, 'ko-sms-body': '[복지로] ((name))님, ((benefit)) ((decision)). 문의 129번', name: tpl.name, category: 'transactional', sample: '', action: 'save' }, mohwAdmin);
    expect(res.statusCode, /role="alert"[\s\S]*?<\/div>/.exec(res.body)?.[0]).toBe(303);
    expect(res.headers.location).toBe(`${path}?saved=2`);
    const saved = (await findTemplate(t.db, { id: tpl.id }))!;
    expect(saved.version).toBe(2);
    expect(saved.content.ko.sms?.body).toBe('[복지로] ((name))님, ((benefit)) ((decision)). 문의 129번');
    expect(saved.content.ko.alimtalk?.templateCode).toBe('BOKJI_DECIDED');
    expect(saved.content.en.alimtalk?.buttons?.[0]?.name).toBe('Applications');
    const page = await get(`${path}?saved=2`, mohwAdmin);
    expect(page.body).toContain('2판으로 저장했습니다.');
    expect(page.body).toContain('official:test-MOHW');
  });

  it('refuses an invalid template, naming the fields in the summary and keeping what was typed', async () => {
    const path = `${svc()}/templates`;
    const res = await formWithToken(`${path}/new`, path, { code: 'Bad Code', name: '', category: 'alert', 'ko-email-subject': '제목 ((name))', 'ko-email-body': '', action: 'save' }, mohwAdmin);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>오류: 새 템플릿');
    expect(errorLinks(res.body)).toEqual(['#template-code', '#template-name', '#ko-email-body']);
    expect(res.body).toContain('한국어 문안 · 이메일 · 내용: 내용을 쓰세요.');
    expect(inputValue(res.body, 'template-code')).toBe('Bad Code');
    expect(inputValue(res.body, 'ko-email-subject')).toBe('제목 ((name))');
    expect(res.body).toMatch(/<option value="alert" selected>/);
    // the content checks (saveTemplate's): the English text lacks the e-mail, a placeholder name is wrong
    const check = await formWithToken(`${path}/new`, path, { code: 'due-soon', name: '기한', category: 'reminder', 'ko-email-subject': '기한 ((na me))', 'ko-email-body': '본문', 'en-sms-body': 'Due soon', action: 'save' }, mohwAdmin);
    expect(check.statusCode).toBe(400);
    expect(check.body).toContain('영어 문안 · 이메일: 다른 언어에 이 방법의 문안이 있으니 여기에도 쓰세요.');
    expect(check.body).toContain('한국어 문안 · 문자(SMS): 다른 언어에 이 방법의 문안이 있으니 여기에도 쓰세요.');
    expect(check.body).toContain('한국어 문안 · 이메일: 자리 이름 “na me”에는');
    expect(errorLinks(check.body)).toEqual(['#ko-email-subject', '#ko-sms-body', '#en-email-subject']);
    // a code already used
    const taken = await formWithToken(`${path}/new`, path, { code: 'benefit-decided', name: 'x', category: 'transactional', 'ko-sms-body': 'a', 'en-sms-body': 'b', action: 'save' }, mohwAdmin);
    expect(errorLinks(taken.body)).toEqual(['#template-code']);
  });

  it('creates a template', async () => {
    const path = `${svc()}/templates`;
    const res = await formWithToken(`${path}/new`, path, { code: 'visit-booked', name: '방문 예약', category: 'reminder', 'ko-inbox-title': '방문 예약 ((date))', 'ko-inbox-body': '((date))에 방문합니다.', 'ko-inbox-url': '/mydata', 'en-inbox-title': 'Visit on ((date))', 'en-inbox-body': 'We visit on ((date)).', action: 'save' }, mohwAdmin);
    expect(res.statusCode).toBe(303);
    const made = (await findTemplate(t.db, { code: 'visit-booked', serviceId: MOHW_SERVICE }))!;
    expect(res.headers.location).toBe(`${svc()}/templates/${made.id}?saved=1`);
    expect(made.content).toEqual({ ko: { inbox: { title: '방문 예약 ((date))', body: '((date))에 방문합니다.', url: '/mydata' } }, en: { inbox: { title: 'Visit on ((date))', body: 'We visit on ((date)).' } } });
    expect(made.category).toBe('reminder');
  });
});

describe('/dev/mail and /dev/sms', () => {
  it('show what the capture took, escaped, in ko and en', async () => {
    await t.db.execute(sql`insert into notify.captured (channel, message_key, recipient, subject, body) values ('email', 'm1', 'citizen@example.kr', '[복지로] 부모급여 결정 안내', ${'홍길동님,\n<b>지급</b> 결정되었습니다.'})`);
    await t.db.execute(sql`insert into notify.captured (channel, message_key, recipient, subject, body) values ('alimtalk', 'a1', '01012345678', 'BOKJI_DECIDED', '알림톡 본문')`);
    const mail = await get('/dev/mail');
    expect(mail.statusCode).toBe(200);
    expect(mail.body).toContain('<h1 class="hn-title">보낸 이메일 (데모)</h1>');
    expect(mail.body).toContain('[복지로] 부모급여 결정 안내');
    expect(mail.body).toContain('citizen@example.kr');
    expect(mail.body).toContain('<pre class="hn-code hn-code-block">홍길동님,\n&lt;b>지급&lt;/b> 결정되었습니다.</pre>');
    expect(mail.body).not.toContain('알림톡 본문');
    const sms = await get('/dev/sms?lang=en');
    expect(sms.body).toContain('<h1 class="hn-title">Sent text messages and AlimTalk (demo)</h1>');
    expect(sms.body).toContain('AlimTalk template code');
    expect(sms.body).toContain('BOKJI_DECIDED');
    expect(sms.body).not.toContain('citizen@example.kr');
  });

  it('do not exist in production mode', async () => {
    const config = await testConfig({
      HANARO_MODE: 'production',
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      HANARO_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      HANARO_COOKIE_SECRET: 'c'.repeat(40),
      HANARO_PUBLIC_URL: 'https://gov.example',
    });
    const prod = Fastify();
    prod.setValidatorCompiler(validatorCompiler);
    prod.setSerializerCompiler(serializerCompiler);
    await prod.register(httpPlatform, { config });
    await prod.register(authPlatform, { config });
    await prod.register(notifyPages, { platform: { config } as Platform });
    try {
      expect((await prod.inject({ url: '/dev/mail', headers: html })).statusCode).toBe(404);
      expect((await prod.inject({ url: '/dev/sms', headers: html })).statusCode).toBe(404);
      // the other pages are there
      expect((await prod.inject({ url: '/notify-sw.js' })).statusCode).toBe(200);
    } finally {
      await prod.close();
    }
  });
});
