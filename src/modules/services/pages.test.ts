import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACTOR_COOKIE } from '../../platform/auth.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { browser } from '../identity/test-support.ts';
import { identityModule } from '../identity/index.ts';
import { notifyModule } from '../notify/index.ts';
import { registriesModule } from '../registries/index.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { isOptedIn } from './engine.ts';
import { SCREENING_CLIENT } from './facts-source.ts';
import { servicesModule } from './index.ts';

// The public-service pages and API over app.inject: the catalogue is public, searchable in ko and
// en; 나의 혜택 needs a signed-in citizen, asks before reading anything, then shows every
// service decided with its reasons; the wrong actor is refused.


/** A person's age today in Korea (the pages decide as of today). */
function ageToday(birth: string): number {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let senior: string;

const html = { accept: 'text/html' };
const as = (actor: object) => `${DEMO_ACTOR_COOKIE}=${app.signCookie(JSON.stringify(actor))}`;
const get = (url: string, cookie?: string) => app.inject({ url, headers: { ...html, ...(cookie ? { cookie } : {}) } });
const { formWithToken } = browser(() => app);

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, notifyModule, servicesModule] }));
  await t.keys.ensureKeys();
  await seedForTests(t);
  await createClientKey(t, SCREENING_CLIENT, { keepPrivate: true });
  [senior] = (await seedResidents(app, t, [{ serial: 21, birthDate: '1952-05-05', sex: 'M', sido: '전라남도', sigungu: '해남군' }])).map((p) => p.id) as [string];
  await seedRecords(app, t, 'income', 'KR/GOV/MOHW/welfare-registry', [{ subjectId: senior, householdSize: 2, monthlyIncome: 1_500_000, assets: 50_000_000, medianIncomePercent: 35 }]);
  await seedRecords(app, t, 'family', 'KR/GOV/SCOURT/family-registry', [{ subjectId: senior, maritalStatus: 'married' }]);
}, 120_000);
afterAll(async () => close?.());

describe('the catalogue, public', () => {
  it('lists and searches the services in ko and en, by words, field and region', async () => {
    const all = await get('/services');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('공공서비스 찾기');
    const found = await get(`/services?q=${encodeURIComponent('기초연금')}`);
    expect(found.body).toContain('href="/services/basic-pension"');
    const en = await get('/services?q=pension&lang=en');
    expect(en.body).toContain('Basic Pension');
    const region = await get(`/services?region=${encodeURIComponent('제주특별자치도')}`);
    const ids = [...region.body.matchAll(/href="\/services\/([a-z0-9-]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(5);
    const api = await app.inject({ url: `/api/services?region=${encodeURIComponent('제주특별자치도')}` });
    expect(api.json().services.every((s: { region?: { sido: string } }) => s.region?.sido === '제주특별자치도')).toBe(true);
    expect((await get('/services?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).body).not.toContain('<script>alert(1)');
  });

  it("shows a service's fields and the rule in force; an unknown one is 404 problem+json", async () => {
    const page = await get('/services/child-allowance');
    expect(page.statusCode).toBe(200);
    for (const label of ['지원 대상', '선정 기준', '지원 내용', '신청 방법', '구비 서류', '근거 법령', '자격 규칙']) expect(page.body, label).toContain(label);
    expect(page.body).toContain('children.exists');
    const api = await app.inject({ url: '/api/services/child-allowance' });
    expect(api.json()).toMatchObject({ id: 'child-allowance', rule: { version: 1, effectiveFrom: '2026-01-01', facts: expect.arrayContaining(['children.ageMonths']) } });
    const missing = await app.inject({ url: '/api/services/no-such-service' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });
});

describe('나의 혜택', () => {
  it('refuses the wrong actor: nobody is sent to sign in, an official gets 403, the API 401/403', async () => {
    const anon = await get('/benefits');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/sign-in?next=%2Fbenefits');
    const official = as({ kind: 'official', id: 'o-1', name: '김주무관', agency: 'MOHW', roles: ['case-worker'] });
    expect((await get('/benefits', official)).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/services/me/eligibility' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/services/me/eligibility', headers: { cookie: official } })).statusCode).toBe(403);
  });

  it('asks first, reads nothing before; once asked, shows the services decided with the facts that decided', async () => {
    const cookie = as({ kind: 'citizen', id: senior });
    const before = await app.inject({ url: '/api/services/me/eligibility', headers: { cookie } });
    expect(before.statusCode).toBe(403);
    expect(before.json().code).toBe('screening_not_requested');
    const page = await get('/benefits', cookie);
    expect(page.body).toContain('혜택 알리미 신청하기');
    const opted = await formWithToken('/benefits', '/benefits/opt-in', {}, cookie);
    expect(opted.statusCode).toBe(303);
    expect(await isOptedIn(t.db, senior)).toBe(true);
    const after = await get('/benefits?done=optin', cookie);
    expect(after.body).toContain('받을 수 있는 혜택');
    expect(after.body).toContain('기초연금');
    expect(after.body).toContain(`만 나이 = ${ageToday('1952-05-05')}`);
    const api = await app.inject({ url: '/api/services/me/eligibility', headers: { cookie } });
    const pension = api.json().results.find((r: { id: string }) => r.id === 'basic-pension');
    expect(pension).toMatchObject({ outcome: 'eligible', ruleVersion: 1 });
    // a Jeonnam resident is not eligible for a Seoul programme
    const seoul = api.json().results.filter((r: { id: string }) => r.id.startsWith('seoul-'));
    expect(seoul.length).toBeGreaterThan(0);
    expect(seoul.every((r: { outcome: string }) => r.outcome === 'not-eligible')).toBe(true);
    const detail = await get('/services/basic-pension', cookie);
    expect(detail.body).toContain('대상입니다');
    expect(detail.headers['cache-control']).toContain('no-store');
    await formWithToken('/benefits', '/benefits/opt-out', {}, cookie);
    expect(await isOptedIn(t.db, senior)).toBe(false);
  });
});
