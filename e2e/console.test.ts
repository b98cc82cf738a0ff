import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { consoleTestModule, RESIDENT, seedConsoleFixture } from '../src/modules/exchange/console-fixtures.ts';
import { DEMO_ACTOR_COOKIE, type OfficialRole } from '../src/platform/auth.ts';
import { testPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, watchProblems } from './harness.ts';

// The officials' console and the demo sign-in in a real browser: axe in both languages and in high
// contrast, the grant form by keyboard alone, and everything without JavaScript. The server runs
// the exchange schema with the console alone (and the test data of console-fixtures.ts), so these
// tests do not depend on the state of the mediator's other routes.

const ARTIFACTS = path.resolve(process.env.HANARO_E2E_ARTIFACTS ?? 'tmp/e2e');

let app: FastifyInstance;
let url: string;
let dispose: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  const modules = [consoleTestModule];
  const platform = await testPlatform({ modules });
  await seedConsoleFixture(platform.db);
  app = await buildApp(platform, { modules });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  dispose = async () => {
    await app.close();
    await platform.dispose();
  };
  browser = await launchBrowser();
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await dispose?.();
});

/** A fresh context per check, signed in as the given official (the cookie /dev/sign-in would set) when asked. */
async function withContext<T>(
  fn: (ctx: BrowserContext) => Promise<T>,
  opts: { as?: [string, ...OfficialRole[]]; highContrast?: boolean; js?: boolean; width?: number } = {},
): Promise<T> {
  const viewport = { width: opts.width ?? 1280, height: 900 };
  const ctx = await browser.newContext({ viewport, locale: 'ko-KR', javaScriptEnabled: opts.js ?? true });
  try {
    if (opts.as) {
      const [agency, ...roles] = opts.as;
      const actor = JSON.stringify({ kind: 'official', id: `e2e-${agency}`, name: '김공무', agency, roles });
      await ctx.addCookies([{ name: DEMO_ACTOR_COOKIE, value: encodeURIComponent(app.signCookie(actor)), url }]);
    }
    if (opts.highContrast) await ctx.addCookies([{ name: 'contrast', value: 'high', url }]);
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

async function checkPage(page: Page, where: string, expected: { status: number; lang: 'ko' | 'en'; highContrast?: boolean }) {
  const problems = watchProblems(page);
  const res = await page.goto(`${url}${where}`, { waitUntil: 'load' });
  expect(res?.status(), where).toBe(expected.status);
  await page.evaluate(() => document.fonts.ready);
  expect(await page.getAttribute('html', 'lang')).toBe(expected.lang);
  expect(await page.getAttribute('html', 'data-krds-mode')).toBe(expected.highContrast ? 'high-contrast' : null);
  expect(await page.locator('h1').count()).toBe(1);
  // the stylesheet really applied
  expect(await page.locator('#krds-masthead').evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
  expect(await axeViolations(page), where).toEqual([]);
  expect(problems).toEqual([]);
}

describe('accessibility (axe-core, WCAG 2.0-2.2 A and AA)', () => {
  const pages: Array<{ path: string; lang: 'ko' | 'en'; status?: number; as?: [string, ...OfficialRole[]]; highContrast?: boolean }> = [
    { path: '/dev/sign-in', lang: 'ko' },
    { path: '/dev/sign-in?lang=en', lang: 'en' },
    { path: '/dev/sign-in', lang: 'ko', highContrast: true },
    { path: '/dev/sign-in?lang=en', lang: 'en', as: ['MOIS', 'agency-admin'] },
    { path: '/console/exchange/MOIS', lang: 'ko', status: 401 },
    { path: '/console/exchange/MOIS?lang=en', lang: 'en', status: 401, highContrast: true },
    { path: '/console/exchange/MOIS', lang: 'ko', status: 403, as: ['NTS', 'case-worker'] },
    { path: '/console/exchange/MOIS', lang: 'ko', as: ['MOIS', 'agency-admin'] },
    { path: '/console/exchange/MOIS?lang=en', lang: 'en', as: ['MOIS', 'agency-admin'] },
    { path: '/console/exchange/MOIS', lang: 'ko', as: ['MOIS', 'agency-admin'], highContrast: true },
    { path: '/console/exchange/MOIS?lang=en', lang: 'en', as: ['MOIS', 'agency-admin'], highContrast: true },
    { path: '/console/exchange/MOHW?status=error&before=40', lang: 'ko', as: ['NTS', 'platform-admin'] },
    { path: '/console/exchange/NTS?lang=en&done=granted', lang: 'en', as: ['NTS', 'case-worker'], highContrast: true },
  ];
  for (const p of pages) {
    const who = p.as ? ` as ${p.as.join(' ')}` : '';
    it(`${p.path}${who}${p.highContrast ? ' (high contrast)' : ''} has no violations`, async () => {
      await withContext(async (ctx) => checkPage(await ctx.newPage(), p.path, { status: p.status ?? 200, lang: p.lang, highContrast: p.highContrast }), p);
    });
  }

  it('the sign-in form with errors has no violations', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${url}/dev/sign-in`);
      await page.locator('label[for="role-case-worker"]').click(); // unticks the only role
      const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '이 신분으로 로그인' }).click()]);
      expect(res.status()).toBe(400);
      await page.waitForLoadState('load');
      expect(await page.title()).toMatch(/^오류: /);
      expect(await page.getByRole('alert').textContent()).toContain('역할을 하나 이상 고르세요.');
      expect(await axeViolations(page)).toEqual([]);
    });
  });
});

describe('signing in and out', () => {
  it('signs in as an agency administrator and lands on the agency’s console', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${url}/dev/sign-in`);
      await page.locator('#sign-in-agency').selectOption('MOIS');
      await page.locator('#sign-in-name').fill('박관리');
      await page.locator('label[for="role-agency-admin"]').click();
      await Promise.all([page.waitForURL(`${url}/console/exchange/MOIS`), page.getByRole('button', { name: '이 신분으로 로그인' }).click()]);
      expect(await page.locator('h1').textContent()).toBe('행정안전부 정보 연계 관리');
      expect(await page.locator('.hn-facts').first().textContent()).toContain('박관리');
      expect(await page.getByRole('button', { name: '권한 부여' }).isVisible()).toBe(true);
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-ko.png'), fullPage: true });

      await page.getByRole('link', { name: '다른 신분으로 로그인' }).click();
      await Promise.all([page.waitForURL(`${url}/dev/sign-in`), page.getByRole('button', { name: '로그아웃' }).click()]);
      const res = await page.goto(`${url}/console/exchange/MOIS`);
      expect(res?.status()).toBe(401);
      await Promise.all([page.waitForURL(`${url}/dev/sign-in`), page.getByRole('link', { name: '데모 로그인으로 가기' }).click()]);
    });
  });
});

describe('keyboard', () => {
  it('reaches the grant form with Tab, fills it in and submits it with the keyboard alone', async () => {
    await withContext(
      async (ctx) => {
        const page = await ctx.newPage();
        await page.goto(`${url}/console/exchange/MOIS`);
        // from the top of the page: skip link, then on through the main content to the form
        let steps = 0;
        while ((await page.evaluate(() => document.activeElement?.id)) !== 'grant-service') {
          await page.keyboard.press('Tab');
          if (++steps > 80) throw new Error('the grant form is not reachable with Tab');
        }
        // the service list: the second service (resident registration); the client: by typing its start
        await page.keyboard.press('ArrowDown');
        expect(await page.locator('#grant-service').inputValue()).toBe(RESIDENT);
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('grant-client');
        await page.keyboard.type('KR/GOV/NTS');
        expect(await page.locator('#grant-client').inputValue()).toBe('KR/GOV/NTS/tax-registry');
        await page.keyboard.press('Tab');
        await page.keyboard.type('국세징수법 제30조');
        await page.keyboard.press('Tab');
        const button = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const s = getComputedStyle(el);
          return { text: el.textContent, outline: s.outlineStyle, shadow: s.boxShadow };
        });
        expect(button.text).toBe('권한 부여');
        expect(button.outline !== 'none' || button.shadow !== 'none').toBe(true);
        await Promise.all([page.waitForURL(/done=granted/), page.keyboard.press('Enter')]);
        expect(await page.getByRole('status').textContent()).toBe('접근 권한을 부여했습니다.');
        const row = page.locator('#rights-granted ~ div tr', { hasText: 'KR/GOV/NTS/tax-registry' });
        expect(await row.textContent()).toContain('국세징수법 제30조');

        // and revokes it again: the row's button, reached with Tab
        const revoke = row.getByRole('button', { name: /^회수/ });
        await revoke.focus();
        await Promise.all([page.waitForURL(/done=revoked/), page.keyboard.press('Enter')]);
        expect(await page.locator('#rights-granted ~ div tr', { hasText: 'KR/GOV/NTS/tax-registry' }).count()).toBe(0);
      },
      { as: ['MOIS', 'agency-admin'] },
    );
  });
});

describe('without JavaScript', () => {
  it('signs in, reads the console, filters and pages the log', async () => {
    await withContext(
      async (ctx) => {
        const page = await ctx.newPage();
        await page.goto(`${url}/dev/sign-in?lang=en`);
        await page.locator('#sign-in-agency').selectOption('MOIS');
        await Promise.all([page.waitForURL(`${url}/console/exchange/MOIS`), page.getByRole('button', { name: 'Sign in as this official' }).click()]);
        expect(await page.locator('h1').textContent()).toBe('Data exchange: Ministry of the Interior and Safety');
        expect(await page.getByRole('table', { name: /^Services published by/ }).isVisible()).toBe(true);
        const log = page.getByRole('table', { name: /^Exchanges, newest first/ });
        expect(await log.locator('tbody tr').count()).toBe(20);

        await page.getByLabel('Service identifier').fill(RESIDENT);
        await page.getByLabel('Result', { exact: true }).selectOption('error');
        await Promise.all([page.waitForURL(/status=error/), page.getByRole('button', { name: 'Find', exact: true }).click()]);
        expect(page.url()).toContain(`service=${encodeURIComponent(RESIDENT)}`);
        const failed = await log.locator('tbody tr').allTextContents();
        expect(failed.length).toBeGreaterThan(0);
        for (const row of failed) expect(row).toContain('Client.AccessDenied');
        // the form shows the filters it applied
        expect(await page.getByLabel('Service identifier').inputValue()).toBe(RESIDENT);

        await page.getByRole('link', { name: 'Clear the filters' }).click();
        await Promise.all([page.waitForURL(/before=\d+/), page.getByRole('link', { name: 'Older' }).click()]);
        expect(await log.locator('tbody tr').count()).toBe(11);
        await Promise.all([page.waitForURL(/after=\d+/), page.getByRole('link', { name: 'Newer' }).click()]);
        expect(await log.locator('tbody tr').count()).toBe(20);
        await page.screenshot({ path: path.join(ARTIFACTS, 'console-en-nojs.png'), fullPage: true });
      },
      { js: false },
    );
  });

  it('grants a right with the plain form', async () => {
    await withContext(
      async (ctx) => {
        const page = await ctx.newPage();
        await page.goto(`${url}/console/exchange/MOIS`);
        await page.locator('#grant-service').selectOption(RESIDENT);
        await page.locator('#grant-client').selectOption('KR/GOV/MOHW/welfare-registry');
        await page.locator('#grant-legal-basis').fill('장애인복지법 제32조');
        await Promise.all([page.waitForURL(/done=granted/), page.getByRole('button', { name: '권한 부여' }).click()]);
        expect(await page.locator('#rights-granted ~ div tr', { hasText: 'KR/GOV/MOHW/welfare-registry' }).textContent()).toContain('장애인복지법 제32조');
      },
      { as: ['MOIS', 'agency-admin'], js: false },
    );
  });
});

describe('look', () => {
  it('fits a phone screen: the wide tables scroll in their own box, not the page', async () => {
    await withContext(
      async (ctx) => {
        const page = await ctx.newPage();
        for (const where of ['/console/exchange/MOIS', '/console/exchange/MOIS?lang=en', '/dev/sign-in']) {
          await page.goto(`${url}${where}`);
          await page.evaluate(() => document.fonts.ready);
          expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), where).toBe(0);
        }
        // the log's box scrolls, with the keyboard too: it is a named, focusable region
        const box = page.getByRole('region', { name: /^연계 기록/ });
        await page.goto(`${url}/console/exchange/MOIS?lang=ko`);
        expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
        await box.focus();
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(() => (document.activeElement as HTMLElement).scrollLeft > 0);
        await page.screenshot({ path: path.join(ARTIFACTS, 'console-ko-mobile.png'), fullPage: true });
      },
      { as: ['MOIS', 'agency-admin'], width: 320 },
    );
  });
});
