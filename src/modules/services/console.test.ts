import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACTOR_COOKIE } from '../../platform/auth.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { browser } from '../identity/test-support.ts';
import { registriesModule } from '../registries/index.ts';
import { exchangeModule } from '../exchange/index.ts';
import { identityModule } from '../identity/index.ts';
import { notifyModule } from '../notify/index.ts';
import { calendarDate } from './cel-env.ts';
import { rulesInForce, seoulDate, ymd } from './engine.ts';
import { servicesModule } from './index.ts';
import { ruleVersions } from './rule-versions.ts';

// Rule authoring: an agency's administrator changes a rule, is refused a rule that does not check
// (with its line and column, the text kept), tries it on the sample residents, saves a draft and
// publishes it from a date; the version in force changes on that date only. The wrong actor is
// refused on every route.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
const html = { accept: 'text/html' };
const as = (actor: object) => `${DEMO_ACTOR_COOKIE}=${app.signCookie(JSON.stringify(actor))}`;
const { formWithToken } = browser(() => app);
let mohwAdmin: string;
const path = '/console/services/basic-pension/rule';

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, notifyModule, servicesModule] }));
  mohwAdmin = as({ kind: 'official', id: 'mohw-admin', name: '김관리', agency: 'MOHW', roles: ['agency-admin'] });
}, 120_000);
afterAll(async () => close?.());

describe('rule authoring', () => {
  it('refuses a rule that does not check, with its place, keeping what was typed; then tries, saves and publishes', async () => {
    const list = await app.inject({ url: '/console/services', headers: { ...html, cookie: mohwAdmin } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('/console/services/basic-pension/rule');
    expect(list.body).not.toContain('/console/services/seoul-');

    const bad = await formWithToken(path, path, { source: 'person.agee >= 65', note: '', action: 'try' }, mohwAdmin);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/role="alert"[\s\S]*href="#source"/);
    expect(bad.body).toContain('1번째 줄 8번째 글자');
    expect(bad.body).toMatch(/<textarea[^>]*id="source"[^>]*>person\.agee (&gt;|>)= 65<\/textarea>/);
    const badSave = await formWithToken(path, path, { source: 'person.age >= "65"', note: '', action: 'save' }, mohwAdmin);
    expect(badSave.statusCode).toBe(400);
    expect((await ruleVersions(t.db, 'basic-pension')).filter((v) => v.status === 'draft')).toEqual([]);

    const source = 'person.age >= 65 && household.medianIncomePercent <= 60';
    const tried = await formWithToken(path, path, { source, note: '', action: 'try' }, mohwAdmin);
    expect(tried.statusCode).toBe(200);
    expect(tried.body).toContain('예시 주민 시험 결과');
    expect(tried.body).toContain('부산 해운대구에 혼자 사는 77세 어르신');

    const saved = await formWithToken(path, path, { source, note: '선정기준 완화', action: 'save' }, mohwAdmin);
    expect(saved.statusCode).toBe(303);
    const draft = (await ruleVersions(t.db, 'basic-pension')).find((v) => v.status === 'draft')!;
    expect(draft).toMatchObject({ version: 2, source, note: '선정기준 완화', createdBy: 'official:mohw-admin' });

    const past = await formWithToken(path, `${path}/publish`, { version: '2', effectiveFrom: '2020-01-01' }, mohwAdmin);
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('href="#effectiveFrom"');
    const from = ymd(new Date(seoulDate().getTime() + 10 * 86_400_000));
    const published = await formWithToken(path, `${path}/publish`, { version: '2', effectiveFrom: from }, mohwAdmin);
    expect(published.statusCode).toBe(303);
    // in force from its date, not before
    expect((await rulesInForce(t.db, seoulDate())).find((r) => r.serviceId === 'basic-pension')!.version).toBe(1);
    expect((await rulesInForce(t.db, calendarDate(from))).find((r) => r.serviceId === 'basic-pension')!.version).toBe(2);
    // published is final
    const again = await app.inject({ method: 'POST', url: '/api/services/basic-pension/rules/2/publish', headers: { cookie: mohwAdmin }, payload: { effectiveFrom: from } });
    expect(again.statusCode).toBe(404);
  });

  it('the API: a rule that does not parse is refused before saving, with its position', async () => {
    const res = await app.inject({ method: 'PUT', url: '/api/services/child-allowance/rules/draft', headers: { cookie: mohwAdmin }, payload: { source: 'children.exists(c, c.ageMonths < 108' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'rule_invalid', problem: { line: 1, start: expect.any(Number) } });
    const check = await app.inject({ method: 'POST', url: '/api/services/child-allowance/rules/check', headers: { cookie: mohwAdmin }, payload: { source: 'children.exists(c, c.ageMonths < 12)' } });
    expect(check.statusCode).toBe(200);
    const newborn = check.json().trials.find((x: { persona: { id: string } }) => x.persona.id === 'newborn-family');
    expect(newborn.outcome).toBe('eligible');
  });

  it('refuses the wrong actor on every route: nobody, a citizen, a case worker, another agency', async () => {
    const citizen = as({ kind: 'citizen', id: '00000000-0000-4000-8000-000000000001' });
    const caseWorker = as({ kind: 'official', id: 'cw', name: '이주무관', agency: 'MOHW', roles: ['case-worker'] });
    const otherAgency = as({ kind: 'official', id: 'seoul', name: '박관리', agency: 'SEOUL', roles: ['agency-admin'] });
    const routes = [
      { method: 'GET', url: '/api/services/basic-pension/rules' },
      { method: 'POST', url: '/api/services/basic-pension/rules/check', payload: { source: 'person.age >= 65' } },
      { method: 'PUT', url: '/api/services/basic-pension/rules/draft', payload: { source: 'person.age >= 1' } },
      { method: 'POST', url: '/api/services/basic-pension/rules/1/publish', payload: { effectiveFrom: '2030-01-01' } },
    ] as const;
    for (const r of routes) {
      expect((await app.inject({ method: r.method, url: r.url, ...('payload' in r ? { payload: r.payload } : {}) })).statusCode, r.url).toBe(401);
      for (const cookie of [citizen, caseWorker, otherAgency]) {
        const res = await app.inject({ method: r.method, url: r.url, headers: { cookie }, ...('payload' in r ? { payload: r.payload } : {}) });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      }
    }
    expect((await app.inject({ url: path, headers: html })).statusCode).toBe(303);
    for (const cookie of [citizen, caseWorker, otherAgency]) expect((await app.inject({ url: path, headers: { ...html, cookie } })).statusCode).toBe(403);
    expect((await ruleVersions(t.db, 'basic-pension')).map((v) => v.source)).not.toContain('person.age >= 1');
  });
});
