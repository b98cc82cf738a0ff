import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientKey } from '../src/modules/exchange/client-keys.ts';
import { seedForTests } from '../src/modules/exchange/management-testing.ts';
import { MYDATA_HUB } from '../src/modules/mydata/consents.ts';
import { mydataSeeder } from '../src/modules/mydata/seed.ts';
import { requestCorrection } from '../src/modules/mydata/self.ts';
import { seedRecords, seedResidents } from '../src/modules/registries/test-support.ts';
import { DEMO_ACTOR_COOKIE } from '../src/platform/auth.ts';
import { createRng } from '../src/platform/seed.ts';
import type { TestPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, startLocalhostServer, watchProblems } from './harness.ts';

// MyData in a real browser, as a citizen: sign in (demo), see what the registries hold, choose
// the bank's agreement under 데이터 보내기, complete the consent form with the keyboard alone,
// see the consent under 동의 관리 and withdraw it, and find the reads in 열람 기록. axe-core
// finds no WCAG 2.x A/AA violation on any of these pages.

let app: FastifyInstance;
let platform: TestPlatform;
let url: string;
let browser: Browser;
let citizenId: string;
let server: Awaited<ReturnType<typeof startLocalhostServer>>;

beforeAll(async () => {
  server = await startLocalhostServer();
  ({ url, app, platform } = server);
  // what `hanaro seed` makes: the mediator's directory, the hub's signing key, the demo recipients
  await platform.keys.ensureKeys();
  await seedForTests(platform);
  await createClientKey(platform, MYDATA_HUB, { keepPrivate: true });
  await createClientKey(platform, 'KR/GOV/MOHW/welfare-services', { keepPrivate: true });
  await mydataSeeder.run({ platform, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  citizenId = (await seedResidents(app, platform, [{ serial: 1, name: '최지우' }]))[0]!.id;
  await seedRecords(app, platform, 'income', 'KR/GOV/MOHW/welfare-registry', [
    { subjectId: citizenId, householdSize: 2, monthlyIncome: 3_600_000, assets: 90_000_000, medianIncomePercent: 75, occupation: '간호사', employmentType: 'employee' },
  ]);
  await seedRecords(app, platform, 'tax', 'KR/GOV/NTS/tax-registry', [{ subjectId: citizenId, taxYear: 2025, totalPaid: 2_400_000, arrears: 0 }]);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The page has one h1 with this text and axe finds nothing. */
async function check(page: Page, h1: string) {
  await expect(page.locator('h1').textContent()).resolves.toBe(h1);
  expect(await page.locator('h1').count()).toBe(1);
  expect(await axeViolations(page), page.url()).toEqual([]);
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('MyData as a citizen', () => {
  it('my data, sending it to the bank with the keyboard, withdrawing, and the access log; axe finds nothing', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);

      // 내 정보: sign in first, then the registries' data, read live
      await page.goto(`${url}/mydata`);
      expect(page.url()).toMatch(/\/sign-in\?next=%2Fmydata$/);
      await page.getByLabel('주민 ID (비워 두면 아무나)').fill(citizenId);
      await Promise.all([page.waitForURL(/\/mydata$/), page.getByRole('button', { name: '가상 주민으로 로그인' }).click()]);
      await check(page, '내 정보');
      await expect(page.getByRole('heading', { name: '소득·재산' }).count()).resolves.toBe(1);
      await expect(page.getByRole('cell', { name: '3,600,000' }).count()).resolves.toBe(1);
      await expect(page.getByRole('link', { name: '정정 요청: 직업 (소득·재산)' }).count()).resolves.toBe(1);
      await expect(page.getByRole('link', { name: '내려받기 (JSON)' }).getAttribute('href')).resolves.toBe('/api/mydata/me/export');

      // 동의 관리 → 데이터 보내기 → the bank's agreement
      await Promise.all([page.waitForURL(/\/mydata\/consents$/), page.getByRole('link', { name: '동의 관리', exact: true }).first().click()]);
      await check(page, '동의 관리');
      await Promise.all([page.waitForURL(/\/mydata\/send$/), page.getByRole('link', { name: '데이터 보내기' }).click()]);
      await check(page, '데이터 보내기');
      await Promise.all([page.waitForURL(/\/mydata\/send\/[0-9a-f-]{36}$/), page.getByRole('link', { name: /하나로은행 대출 심사/ }).click()]);
      await check(page, '하나로은행 대출 심사에 내 정보 보내기');
      const terms = await page.locator('#terms + dl').textContent();
      expect(terms).toContain('대출 심사를 위한 소득·납세 확인');
      expect(terms).toContain('받은 정보를 5년 동안 보관합니다');

      // the consent form with the keyboard alone: from the top of the page, Tab to the first item
      let steps = 0;
      while ((await activeId(page)) !== 'item-0-0') {
        await page.keyboard.press('Tab');
        if (++steps > 120) throw new Error('the consent form is not reachable with Tab');
      }
      // untick household size (Space), keep income and occupation, untick arrears
      await page.keyboard.press('Space');
      expect(await page.locator('#item-0-0').isChecked()).toBe(false);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await activeId(page)).toBe('item-1-2');
      await page.keyboard.press('Space');
      // the mode: periodic, with the arrow key; then the interval and the validity
      await page.keyboard.press('Tab');
      expect(await activeId(page)).toBe('mode-once');
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#mode-periodic').isChecked()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await activeId(page)).toBe('interval-days');
      await page.keyboard.press('Tab');
      expect(await activeId(page)).toBe('validity-days');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('90');
      await page.keyboard.press('Tab');
      const button = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        return { text: el.textContent, outline: s.outlineStyle };
      });
      expect(button.text).toBe('동의하고 보내기');
      expect(button.outline).not.toBe('none');
      await Promise.all([page.waitForURL(/\/mydata\/consents\?done=given/), page.keyboard.press('Enter')]);

      // 동의 관리 shows it, with what was chosen
      await check(page, '동의 관리');
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('동의했습니다. 하나로은행 대출 심사에 정보를 보낼 수 있게 되었습니다.');
      const row = page.locator('#consents ~ div tbody tr').first();
      const text = await row.textContent();
      expect(text).toContain('소득·재산: 월 가구 소득(원), 직업');
      expect(text).toContain('국세 납세: 과세연도, 납부 세액(원)');
      expect(text).not.toContain('가구원 수');
      expect(text).toContain('정기적으로 (30일마다)');
      expect(text).toContain('동의함');

      // withdraw it
      await Promise.all([
        page.waitForURL(/done=withdrawn/),
        page.getByRole('button', { name: '철회: 하나로은행 대출 심사, 대출 심사를 위한 소득·납세 확인' }).click(),
      ]);
      await check(page, '동의 관리');
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('동의를 철회했습니다.');
      await expect(page.locator('#consents ~ div tbody tr').first().textContent()).resolves.toContain('철회함');
      await expect(page.getByRole('button', { name: /^철회:/ }).count()).resolves.toBe(0);

      // 열람 기록: my own look at /mydata is there, by the MyData hub
      await Promise.all([page.waitForURL(/\/mydata\/access$/), page.getByRole('link', { name: '열람 기록', exact: true }).first().click()]);
      await check(page, '열람 기록');
      const log = await page.locator('#log ~ div table').textContent();
      expect(log).toContain('본인 열람');
      expect(log).toContain('KR/GOV/MOIS/mydata');
      expect(log).toContain('월 가구 소득(원)');
      await expect(page.getByRole('link', { name: '내려받기 (CSV)' }).getAttribute('href')).resolves.toBe('/api/mydata/me/access-log?format=csv');
      // a filter by a purpose nobody used finds nothing, and says so
      await page.getByLabel('목적').fill('no-such-purpose');
      await Promise.all([page.waitForURL(/purpose=no-such-purpose/), page.getByRole('button', { name: '찾기' }).click()]);
      await expect(page.locator('#log ~ p').last().textContent()).resolves.toBe('조건에 맞는 열람 기록이 없습니다.');
      expect(await axeViolations(page)).toEqual([]);

      // the consent screen with its errors (nothing ticked) is accessible too
      await page.goto(`${url}/mydata/send`);
      await page.getByRole('link', { name: /안심전세 임대 플랫폼/ }).click();
      await page.waitForURL(/\/mydata\/send\/[0-9a-f-]{36}$/);
      for (const box of await page.locator('input[name="items"]').all()) await box.uncheck({ force: true });
      const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '동의하고 보내기' }).click()]);
      expect(res.status()).toBe(400);
      await page.waitForLoadState('load');
      expect(await page.title()).toMatch(/^오류: /);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('보낼 항목을 하나 이상 고르세요.');
      expect(await axeViolations(page)).toEqual([]);

      expect(problems.filter((x) => !/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/.test(x))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the pages in English and in high contrast have no violations either', async () => {
    const ctx = await browser.newContext({ locale: 'en-GB' });
    try {
      const page = await ctx.newPage();
      await page.goto(`${url}/sign-in?next=%2Fmydata`);
      await page.locator('#demo-citizen').fill(citizenId);
      await Promise.all([page.waitForURL(/\/mydata$/), page.locator('form[action="/dev/sign-in/resident"] button[type="submit"]').click()]);
      for (const path of ['/mydata?lang=en', '/mydata/consents?lang=en', '/mydata/send?lang=en', '/mydata/access?lang=en', '/mydata/access?contrast=high', '/mydata/consents?contrast=normal']) {
        await page.goto(`${url}${path}`);
        expect(await page.locator('h1').count(), path).toBe(1);
        expect(await axeViolations(page), path).toEqual([]);
      }
    } finally {
      await ctx.close();
    }
  });
});

describe('MyData in the officials’ console', () => {
  it('the correction queue and the legal-basis look-up (with its result) have no violations', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR' });
    try {
      const actor = JSON.stringify({ kind: 'official', id: 'e2e-MOHW', name: '김공무', agency: 'MOHW', roles: ['case-worker', 'information-sharing'] });
      await ctx.addCookies([{ name: DEMO_ACTOR_COOKIE, value: encodeURIComponent(app.signCookie(actor)), url }]);
      await requestCorrection(platform, citizenId, { service: 'KR/GOV/MOHW/welfare-registry/income', field: 'occupation', requestedValue: '간호사 (수간호사)', reason: '승진했습니다' });
      const page = await ctx.newPage();
      for (const path of ['/console/mydata/MOHW/corrections', '/console/mydata/MOHW/corrections?lang=en', '/console/mydata/MOHW/lookup?lang=en', '/console/mydata/MOHW/lookup?lang=ko']) {
        await page.goto(`${url}${path}`);
        expect(await page.locator('h1').count(), path).toBe(1);
        expect(await axeViolations(page), path).toEqual([]);
        if (path.endsWith('/corrections')) await expect(page.getByRole('button', { name: /^받아들이기: 최지우/ }).count()).resolves.toBe(1);
      }
      await page.getByLabel('정보주체 ID').fill(citizenId);
      await page.getByLabel('조회할 정보 (법적 근거)').selectOption('KR/GOV/MOHW/welfare-registry/income');
      await page.getByLabel('목적 또는 사건').fill('기초연금 신청 2026-0042');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '조회', exact: true }).click()]);
      await expect(page.getByRole('heading', { name: '조회 결과: 소득·재산' }).count()).resolves.toBe(1);
      await expect(page.getByRole('cell', { name: '3,600,000' }).count()).resolves.toBe(1);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
