import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedResidents } from '../src/modules/registries/test-support.ts';
import type { TestPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, startLocalhostServer, watchProblems } from './harness.ts';

// 내 전자증명서 in a real browser: a resident signs in (demo), asks for the mobile resident ID for
// their wallet, sees the offer link and transaction code, and reports a lost device; axe on each page.

let app: FastifyInstance;
let platform: TestPlatform;
let url: string;
let browser: Browser;
let citizenId: string;

let server: Awaited<ReturnType<typeof startLocalhostServer>>;

beforeAll(async () => {
  server = await startLocalhostServer();
  ({ url, app, platform } = server);
  citizenId = (await seedResidents(app, platform, [{ serial: 1, name: '최지우' }]))[0]!.id;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('my digital documents', () => {
  it('signs in, gets an offer with its transaction code, reports a lost device; axe finds nothing', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR' });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await page.goto(`${url}/documents`);
      expect(page.url()).toMatch(/\/sign-in\?next=%2Fdocuments$/);
      await page.getByLabel('주민 ID (비워 두면 아무나)').fill(citizenId);
      await Promise.all([page.waitForURL(/\/documents$/), page.getByRole('button', { name: '가상 주민으로 로그인' }).click()]);
      await expect(page.locator('h1').textContent()).resolves.toBe('내 전자증명서');
      expect(await axeViolations(page)).toEqual([]);
      await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: '전자지갑으로 받기: 모바일 주민등록증' }).click()]);
      await expect(page.locator('h1').textContent()).resolves.toBe('모바일 주민등록증 받기');
      await expect(page.locator('code.hn-secret').textContent()).resolves.toMatch(/^[0-9]{6}$/);
      await expect(page.getByRole('link', { name: '전자지갑에서 열기' }).getAttribute('href')).resolves.toMatch(/^openid-credential-offer:\/\//);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: '내 전자증명서로 돌아가기' }).click();
      await Promise.all([page.waitForURL(/done=suspended-0/), page.getByRole('button', { name: '모든 증명서 정지' }).click()]);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('증명서 0개를 정지했습니다.');
      expect(problems.filter((x) => !/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/.test(x))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
