import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createClient, createOfficial, issueEnrolmentCode } from '../src/modules/identity/index.ts';
import { seedResidents } from '../src/modules/registries/test-support.ts';
import type { TestPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, startLocalhostServer, watchProblems } from './harness.ts';

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

let server: Awaited<ReturnType<typeof startLocalhostServer>>;

beforeAll(async () => {
  server = await startLocalhostServer();
  ({ url, app, platform } = server);
  const [r] = await seedResidents(app, platform, [{ serial: 1, name: '최지우' }]);
  citizenId = r!.id;
  rrn = r!.rrn;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
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
  /** The authenticator in use at the end of the journey. */
  let device = '';

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
    // the account page's own sign-out (the header has one too)
    await Promise.all([page.waitForURL(/\/sign-in\?done=signed-out/), page.locator('#main').getByRole('button', { name: '로그아웃', exact: true }).click()]);
    expect((await page.goto(`${url}/account`))?.url()).toMatch(/\/sign-in\?next=%2Faccount$/);
    await noViolations(page);
    await Promise.all([page.waitForURL(/\/account$/), page.getByRole('button', { name: '패스키로 로그인' }).click()]);
    await expect(page.getByText('최지우 님, 로그인되어 있습니다.').count()).resolves.toBe(1);

    // a second passkey on another device (authenticator), then removed again
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    device = await authenticator(cdp);
    await page.getByLabel('새 패스키 이름').fill('휴대전화');
    await Promise.all([page.waitForURL(/done=added/), page.getByRole('button', { name: '이 기기에 패스키 등록' }).click()]);
    await expect(page.getByRole('rowheader').allTextContents()).resolves.toEqual(['노트북', '휴대전화']);
    await noViolations(page);
    await Promise.all([page.waitForURL(/done=removed/), page.getByRole('button', { name: '휴대전화 삭제' }).click()]);
    await expect(page.getByRole('rowheader').allTextContents()).resolves.toEqual(['노트북']);
    // a navigation may cut off the favicon's request; nothing else may fail
    expect(problems.filter((x) => !/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/.test(x))).toEqual([]);
  }

  it('single sign-on: consent with the claims listed, and a step-up with the passkey when the sign-in is old', async () => {
    const { clientId } = await createClient(platform, { name: '복지로', redirectUris: [`${url}/about`] });
    // the journey left this device's passkey removed: register one on a fresh device
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: device });
    await authenticator(cdp);
    await page.goto(`${url}/account`);
    await page.getByLabel('새 패스키 이름').fill('태블릿');
    await Promise.all([page.waitForURL(/done=added/), page.getByRole('button', { name: '이 기기에 패스키 등록' }).click()]);
    const authorize = async (prompt?: string) => {
      const q = new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid profile', redirect_uri: `${url}/about`, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 'e2e', ...(prompt ? { prompt } : {}) });
      await page.goto(`${url}/oidc/auth?${q}`);
    };
    // still signed in from the journey above (with a passkey, minutes ago): straight to consent
    await authorize();
    await expect(page.locator('h1').textContent()).resolves.toBe('정보 제공 동의');
    await expect(page.getByRole('listitem').filter({ hasText: '생년월일' }).count()).resolves.toBe(1);
    await noViolations(page);
    await Promise.all([page.waitForURL(/\/about\?code=/), page.getByRole('button', { name: '동의하고 계속' }).click()]);

    // ten minutes later, asking again: first confirm with the passkey, then the consent page
    await platform.db.execute(sql`update identity.session set authenticated_at = now() - interval '10 minutes' where ended_at is null`);
    await authorize('consent');
    await page.waitForURL(/\/sign-in\/again\?next=/);
    await noViolations(page);
    await Promise.all([page.waitForURL(/\/oidc\/interaction\//), page.getByRole('button', { name: '패스키로 확인' }).click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('정보 제공 동의');
    await Promise.all([page.waitForURL(/\/about\?code=/), page.getByRole('button', { name: '동의하고 계속' }).click()]);
  });

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

describe('an official with a passkey in the console', () => {
  it('redeems the invitation, registers a passkey, signs in to /console, registers a client and invites a colleague', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR' });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('WebAuthn.enable', { enableUI: false });
      await authenticator(cdp);
      const { code } = await createOfficial(platform, { name: '이관리', agency: 'MOHW', roles: ['agency-admin'] }, 'operator:e2e');

      await page.goto(`${url}/enrol/official`);
      await noViolations(page);
      await page.getByLabel('초대 코드').fill(code);
      await Promise.all([page.waitForURL(/\/account\?done=enrolled/), page.getByLabel('초대 코드').press('Enter')]);
      await Promise.all([page.waitForURL(/done=added/), page.getByRole('button', { name: '이 기기에 패스키 등록' }).click()]);
      await Promise.all([page.waitForURL(/\/sign-in\?done=signed-out/), page.locator('#main').getByRole('button', { name: '로그아웃', exact: true }).click()]);
      // an official's passkey sign-in lands in the console
      await Promise.all([page.waitForURL(/\/console$/), page.getByRole('button', { name: '패스키로 로그인' }).click()]);
      await expect(page.getByRole('link', { name: '이관리 님 · 업무 화면' }).count()).resolves.toBe(1);
      await noViolations(page);

      await page.getByRole('link', { name: '로그인 연동 서비스' }).click();
      await page.waitForURL(/\/console\/identity\/MOHW\/clients$/);
      await noViolations(page);
      await page.getByLabel('서비스 이름').fill('복지 포털');
      await page.getByLabel('리디렉션 URI').fill('https://welfare.example/callback');
      // KRDS draws the box on the label: people click that
      await page.locator('label[for="field-publicAgency"]').click();
      await expect(page.getByLabel('공공기관 서비스 (모든 서비스에 같은 식별자)').isChecked()).resolves.toBe(true);
      await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: '등록하기' }).click()]);
      await expect(page.locator('h1').textContent()).resolves.toBe('클라이언트 비밀값');
      await noViolations(page);
      await page.getByRole('link', { name: '목록으로 돌아가기' }).click();
      await expect(page.getByRole('rowheader', { name: '복지 포털' }).count()).resolves.toBe(1);

      await page.goto(`${url}/console/identity/MOHW/officials`);
      await noViolations(page);
      await page.getByLabel('이름', { exact: true }).fill('김사례');
      await page.locator('label[for="role-case-worker"]').click();
      await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: '계정 만들고 초대 코드 받기' }).click()]);
      await expect(page.locator('code.hn-secret').textContent()).resolves.toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await noViolations(page);
      expect(problems.filter((x) => !/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/.test(x))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
