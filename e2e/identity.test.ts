import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { issueEnrolmentCode } from '../src/modules/identity/index.ts';
import { modules } from '../src/modules/index.ts';
import { seedResidents } from '../src/modules/registries/test-support.ts';
import { freePort, testPlatform, type TestPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, watchProblems } from './harness.ts';

// Passkeys in a real browser with the DevTools virtual authenticator (a platform authenticator
// with user verification): enrol with a code, register a passkey, sign out, sign in with it, add a
// second passkey on another authenticator and remove it; axe on every page on the way. WebAuthn
// needs a domain as relying party, so the server is addressed as http://localhost:<port>.


let app: FastifyInstance;
let platform: TestPlatform;
let url: string;
let browser: Browser;
let citizenId: string;
let rrn: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://localhost:${port}`;
  platform = await testPlatform({ modules, env: { HANARO_PUBLIC_URL: url } });
  app = await buildApp(platform, { modules });
  await app.listen({ port, host: 'localhost' });
  const [r] = await seedResidents(app, platform, [{ serial: 1, name: '최지우' }]);
  citizenId = r!.id;
  rrn = r!.rrn;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await platform?.dispose();
});

async function authenticator(cdp: CDPSession): Promise<string> {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return authenticatorId;
}

async function noViolations(page: Page) {
  expect(await axeViolations(page)).toEqual([]);
}

describe('passkeys in the browser', () => {
  let ctx: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let problems: string[];

  beforeAll(async () => {
    ctx = await browser.newContext({ locale: 'ko-KR' });
    page = await ctx.newPage();
    problems = watchProblems(page);
    cdp = await ctx.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
  });
  afterAll(() => ctx?.close());

  it('enrol with a code, register a passkey, sign out, sign in with it, add and remove a second one', async () => {
    try {
      await journey();
    } catch (e) {
      console.error('DEBUG', page.url(), problems, await page.locator('#passkey-status').textContent().catch(() => ''), (await page.content()).slice(0, 3000));
      throw e;
    }
  });

  async function journey() {
    const first = await authenticator(cdp);
    const { code } = await issueEnrolmentCode(platform, citizenId, 'official:e2e');

    // the enrolment form, by keyboard
    await page.goto(`${url}/enrol`);
    await noViolations(page);
    await page.getByLabel('등록 코드').fill(code);
    await page.getByLabel('주민등록번호').fill(rrn);
    await Promise.all([page.waitForURL(/\/account\?done=enrolled/), page.getByLabel('주민등록번호').press('Enter')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('내 계정');
    await noViolations(page);

    // the first passkey
    await page.getByLabel('새 패스키 이름').fill('노트북');
    await Promise.all([page.waitForURL(/done=added/), page.getByRole('button', { name: '이 기기에 패스키 등록' }).click()]);
    await expect(page.getByRole('rowheader', { name: '노트북' }).count()).resolves.toBe(1);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: first });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);

    // sign out, then in with the passkey
    await Promise.all([page.waitForURL(/\/sign-in\?done=signed-out/), page.getByRole('button', { name: '로그아웃', exact: true }).click()]);
    expect((await page.goto(`${url}/account`))?.url()).toMatch(/\/sign-in$/);
    await noViolations(page);
    await Promise.all([page.waitForURL(/\/account$/), page.getByRole('button', { name: '패스키로 로그인' }).click()]);
    await expect(page.getByText('최지우 님, 로그인되어 있습니다.').count()).resolves.toBe(1);

    // a second passkey on another device (authenticator), then removed again
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    await authenticator(cdp);
    await page.getByLabel('새 패스키 이름').fill('휴대전화');
    await Promise.all([page.waitForURL(/done=added/), page.getByRole('button', { name: '이 기기에 패스키 등록' }).click()]);
    await expect(page.getByRole('rowheader').allTextContents()).resolves.toEqual(['노트북', '휴대전화']);
    await noViolations(page);
    await Promise.all([page.waitForURL(/done=removed/), page.getByRole('button', { name: '휴대전화 삭제' }).click()]);
    await expect(page.getByRole('rowheader').allTextContents()).resolves.toEqual(['노트북']);
    // a navigation may cut off the favicon's request; nothing else may fail
    expect(problems.filter((x) => !/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/.test(x))).toEqual([]);
  }

  it('the sign-in page reads without JavaScript and says passkeys need it', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
    try {
      const p = await noJs.newPage();
      const res = await p.goto(`${url}/sign-in?lang=en`);
      // the page says why there is no passkey button (the emulated no-JS mode may still parse <noscript> as text)
      expect(await res!.text()).toMatch(/<noscript><p class="hn-notice">Passkeys need JavaScript to be turned on in your browser.<\/p><\/noscript>/);
      await expect(p.getByRole('button', { name: 'Sign in with a passkey' }).count()).resolves.toBe(0);
      await expect(p.getByRole('link', { name: 'Start with an enrolment code' }).isVisible()).resolves.toBe(true);
      await expect(p.getByRole('button', { name: 'Sign in as a synthetic resident' }).isVisible()).resolves.toBe(true);
    } finally {
      await noJs.close();
    }
  });
});
