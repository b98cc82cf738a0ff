import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientKey } from '../src/modules/exchange/client-keys.ts';
import { seedForTests } from '../src/modules/exchange/management-testing.ts';
import { seedRecords, seedResidents } from '../src/modules/registries/test-support.ts';
import { SCREENING_CLIENT } from '../src/modules/services/facts-source.ts';
import { DEMO_ACTOR_COOKIE } from '../src/platform/auth.ts';
import type { TestPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, startLocalhostServer, watchProblems } from './harness.ts';

// Public services in a real browser: the catalogue searched with the keyboard alone, a service's
// page, and 나의 혜택 where a signed-in citizen turns on benefit alerts and sees what they can
// receive with the reasons. axe-core finds no WCAG 2.x A/AA violation, in ko, en and high contrast.


/** A person's age today in Korea (the pages decide as of today). */
function ageToday(birth: string): number {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(new Date());
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

let app: FastifyInstance;
let platform: TestPlatform;
let url: string;
let browser: Browser;
let citizenId: string;
let server: Awaited<ReturnType<typeof startLocalhostServer>>;

beforeAll(async () => {
  server = await startLocalhostServer();
  ({ url, app, platform } = server);
  await platform.keys.ensureKeys();
  await seedForTests(platform);
  await createClientKey(platform, SCREENING_CLIENT, { keepPrivate: true });
  citizenId = (await seedResidents(app, platform, [{ serial: 1, name: '한어르신', birthDate: '1950-03-01', sex: 'F', sido: '부산광역시', sigungu: '해운대구' }]))[0]!.id;
  await seedRecords(app, platform, 'income', 'KR/GOV/MOHW/welfare-registry', [{ subjectId: citizenId, householdSize: 1, monthlyIncome: 900_000, assets: 20_000_000, medianIncomePercent: 30 }]);
  await seedRecords(app, platform, 'family', 'KR/GOV/SCOURT/family-registry', [{ subjectId: citizenId, maritalStatus: 'widowed' }]);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function check(page: Page, h1: string) {
  await expect(page.locator('h1').textContent()).resolves.toBe(h1);
  expect(await axeViolations(page), page.url()).toEqual([]);
}
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
async function tabTo(page: Page, id: string, max = 150) {
  for (let steps = 0; (await activeId(page)) !== id; steps++) {
    if (steps > max) throw new Error(`#${id} is not reachable with Tab`);
    await page.keyboard.press('Tab');
  }
}

describe('public services', () => {
  it('searches the catalogue with the keyboard alone and opens a service; axe finds nothing', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await page.goto(`${url}/services`);
      await check(page, '공공서비스 찾기');
      await tabTo(page, 'q');
      await page.keyboard.type('기초연금');
      await Promise.all([page.waitForURL(/q=/), page.keyboard.press('Enter')]);
      await check(page, '공공서비스 찾기');
      await Promise.all([page.waitForURL(/\/services\/basic-pension$/), page.getByRole('link', { name: '기초연금', exact: true }).click()]);
      await check(page, '기초연금');
      await expect(page.getByRole('heading', { name: '자격 규칙' }).count()).resolves.toBe(1);
      for (const variant of ['?lang=en', '?contrast=high']) {
        await page.goto(`${url}/services/basic-pension${variant}`);
        expect(await axeViolations(page), variant).toEqual([]);
      }
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('나의 혜택: a citizen turns on benefit alerts and sees the benefits with their reasons', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await page.goto(`${url}/benefits`);
      await page.getByLabel('주민 ID (비워 두면 아무나)').fill(citizenId);
      await Promise.all([page.waitForURL(/\/benefits$/), page.getByRole('button', { name: '가상 주민으로 로그인' }).click()]);
      await check(page, '나의 혜택');
      await Promise.all([page.waitForURL(/done=optin/), page.getByRole('button', { name: '혜택 알리미 신청하기' }).click()]);
      await check(page, '나의 혜택');
      await expect(page.getByRole('status').first().textContent()).resolves.toBe('혜택 알리미를 신청했습니다.');
      const pension = page.getByRole('article').filter({ has: page.getByRole('heading', { name: /기초연금$/ }) });
      await expect(pension.count()).resolves.toBe(1);
      await pension.getByText('판단 근거').click();
      await expect(pension.getByText(`만 나이 = ${ageToday('1950-03-01')}`).count()).resolves.toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${url}/benefits?lang=en`);
      await check(page, 'My benefits');
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the rule editor: an error summarised and linked, a trial on the sample residents, with the keyboard; axe finds nothing', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    try {
      const actor = JSON.stringify({ kind: 'official', id: 'e2e-MOHW', name: '김관리', agency: 'MOHW', roles: ['agency-admin'] });
      await ctx.addCookies([{ name: DEMO_ACTOR_COOKIE, value: encodeURIComponent(app.signCookie(actor)), url }]);
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await page.goto(`${url}/console/services/child-allowance/rule`);
      await check(page, '서비스 자격 규칙: 아동수당');
      await tabTo(page, 'source');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('children.exists(c, c.ageMonth < 108)');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '확인하고 예시 주민에게 시험하기' }).click()]);
      await check(page, '서비스 자격 규칙: 아동수당');
      const alert = page.getByRole('alert');
      await expect(alert.getByRole('link').first().getAttribute('href')).resolves.toBe('#source');
      await expect(page.locator('#source').inputValue()).resolves.toBe('children.exists(c, c.ageMonth < 108)');
      await page.locator('#source').fill('children.exists(c, c.ageMonths < 108)');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '확인하고 예시 주민에게 시험하기' }).click()]);
      await check(page, '서비스 자격 규칙: 아동수당');
      await expect(page.getByRole('heading', { name: '예시 주민 시험 결과' }).count()).resolves.toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
