import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISSUING_SYSTEM } from '../src/modules/credentials/documents.ts';
import { credentialsOf, setStatus } from '../src/modules/credentials/status.ts';
import { createClientKey } from '../src/modules/exchange/client-keys.ts';
import { seedForTests } from '../src/modules/exchange/management-testing.ts';
import { seedResidents } from '../src/modules/registries/test-support.ts';
import { DEMO_ACTOR_COOKIE } from '../src/platform/auth.ts';
import type { TestPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, startLocalhostServer, watchProblems } from './harness.ts';

// The whole round in a real browser: a resident receives the mobile resident ID into the web
// wallet (a non-extractable key made in the browser), a clerk at a counter asks for "aged 19 or
// over" only, the resident's wallet shows who asks and what goes and sends it, and the clerk's page
// shows the verified result. After the ID is revoked the same round fails, on both sides.

let app: FastifyInstance;
let platform: TestPlatform;
let url: string;
let browser: Browser;
let citizenId: string;
let server: Awaited<ReturnType<typeof startLocalhostServer>>;

beforeAll(async () => {
  server = await startLocalhostServer();
  ({ url, app, platform } = server);
  // the mediator's directory and the issuing system's signing key (what `hanaro seed` makes)
  await seedForTests(platform);
  await createClientKey(platform, ISSUING_SYSTEM, { keepPrivate: true });
  citizenId = (await seedResidents(app, platform, [{ serial: 1, name: '정하늘', birthDate: '1995-03-15' }]))[0]!.id;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function clerkContext(): Promise<BrowserContext> {
  const ctx = await browser.newContext({ locale: 'ko-KR' });
  const actor = JSON.stringify({ kind: 'official', id: 'e2e-clerk', name: '김창구', agency: 'MOIS', roles: ['case-worker'] });
  await ctx.addCookies([{ name: DEMO_ACTOR_COOKIE, value: encodeURIComponent(app.signCookie(actor)), url }]);
  return ctx;
}

/** Waits until the wallet's live region says `text`; on timeout, fails showing what it said instead. */
async function statusSays(page: Page, text: string) {
  try {
    await page.waitForFunction((t) => document.querySelector('#wallet-status')?.textContent?.includes(t), text, { timeout: 15_000 });
  } catch {
    throw new Error(`the wallet said "${await page.locator('#wallet-status').textContent()}", not "${text}"`);
  }
}

/** The clerk asks for age 19 or over; returns the wallet link the QR code carries. */
async function clerkAsks(clerk: Page): Promise<string> {
  await clerk.goto(`${url}/verifier`);
  await expect(clerk.locator('h1').textContent()).resolves.toBe('창구 전자증명서 확인');
  await expect(clerk.getByLabel('만 19세 이상 확인').isChecked()).resolves.toBe(true);
  await Promise.all([clerk.waitForURL(/\/verifier\/requests\/[0-9a-f-]{36}/), clerk.getByRole('button', { name: '확인 요청 만들기' }).click()]);
  await expect(clerk.getByRole('img', { name: /QR 코드/ }).isVisible()).resolves.toBe(true);
  const link = await clerk.getByRole('link', { name: '이 기기의 하나로 전자지갑으로 열기' }).getAttribute('href');
  expect(link).toMatch(/\/wallet\?client_id=x509_hash%3A.+&request_uri=/);
  return link!;
}

describe('the web wallet and the counter', () => {
  it('receives the mobile ID, presents only age-over-19 to the counter, and fails once the ID is revoked', async () => {
    const citizen = await browser.newContext({ locale: 'ko-KR' });
    const clerkCtx = await clerkContext();
    try {
      const page = await citizen.newPage();
      const problems = watchProblems(page);
      // 1. ask for the mobile ID and take it into the web wallet with the transaction code
      await page.goto(`${url}/documents`);
      await page.getByLabel('주민 ID (비워 두면 아무나)').fill(citizenId);
      await Promise.all([page.waitForURL(/\/documents$/), page.getByRole('button', { name: '가상 주민으로 로그인' }).click()]);
      await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: '전자지갑으로 받기: 모바일 주민등록증' }).click()]);
      const txCode = (await page.locator('code.hn-secret').textContent())!;
      await Promise.all([page.waitForURL(/\/wallet\?credential_offer=/), page.getByRole('link', { name: '이 기기의 하나로 전자지갑에서 받기' }).click()]);
      await page.getByLabel('확인 번호 (6자리)').fill(txCode);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: '받기', exact: true }).click();
      await statusSays(page, '받았습니다');
      await expect(page.locator('.hn-wallet-card-name').textContent()).resolves.toBe('모바일 주민등록증');
      expect(page.url()).toBe(`${url}/wallet`);
      // the key in IndexedDB cannot be read out
      const extractable = await page.evaluate(
        () =>
          new Promise<boolean[]>((resolve) => {
            const open = indexedDB.open('hanaro-wallet');
            open.onsuccess = () => {
              const all = open.result.transaction('credentials').objectStore('credentials').getAll();
              all.onsuccess = () => resolve((all.result as Array<{ key: CryptoKey }>).map((r) => r.key.extractable));
            };
          }),
      );
      expect(extractable).toEqual([false]);
      expect(await axeViolations(page)).toEqual([]);

      // 2. the clerk asks; the resident opens the request, sees who asks and what goes, and agrees
      const clerk = await clerkCtx.newPage();
      const clerkProblems = watchProblems(clerk);
      const link = await clerkAsks(clerk);
      expect(await axeViolations(clerk)).toEqual([]);
      await page.goto(link);
      await page.waitForSelector('#wallet-request:not([hidden])');
      await expect(page.locator('#wallet-request-trust').textContent()).resolves.toContain('하나로에 등록된 이용기관입니다');
      await expect(page.locator('#wallet-request-claims li').allTextContents()).resolves.toEqual(['모바일 주민등록증: 만 19세 이상']);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: '동의하고 제출' }).click();
      await statusSays(page, '제출했습니다');
      await expect(page.locator('#wallet-history li').first().textContent()).resolves.toContain('만 19세 이상');

      // 3. the clerk's page reloads itself with the verified result: age 19 or over, nothing else
      await clerk.waitForSelector('#verifier-result[data-status="verified"]', { timeout: 15_000 });
      await expect(clerk.locator('#verifier-result').textContent()).resolves.toContain('확인했습니다');
      const rows = await clerk.locator('table tbody tr').allTextContents();
      expect(rows[0]).toBe('만 19세 이상예');
      expect(rows.join(' ')).not.toContain('정하늘');
      expect(rows.join(' ')).not.toContain('1995');
      expect(await axeViolations(clerk)).toEqual([]);

      // 4. signed out, the resident signs back in with the mobile ID in the same browser's wallet
      await Promise.all([page.waitForLoadState(), page.goto(`${url}/documents`)]);
      await Promise.all([page.waitForURL(/\/$|\/sign-in|\/\?/), page.getByRole('button', { name: '로그아웃' }).click()]);
      await page.goto(`${url}/sign-in`);
      await Promise.all([page.waitForURL(/\/enrol\/mobile-id$/), page.getByRole('link', { name: '모바일 신분증으로 시작하기' }).click()]);
      await expect(page.getByRole('img', { name: /하나로 가입·로그인 요청/ }).isVisible()).resolves.toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await Promise.all([page.waitForURL(/\/wallet\?client_id=/), page.getByRole('link', { name: '이 기기의 하나로 전자지갑으로 열기' }).click()]);
      await page.waitForSelector('#wallet-request:not([hidden])');
      await expect(page.locator('#wallet-request-who').textContent()).resolves.toContain('하나로 (행정안전부)');
      await expect(page.locator('#wallet-request-claims li').allTextContents()).resolves.toEqual(['모바일 주민등록증: 성명']);
      await Promise.all([page.waitForURL(/\/account\?done=enrolled/, { timeout: 15_000 }), page.getByRole('button', { name: '동의하고 제출' }).click()]);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('본인 확인을 마쳤습니다');

      // 5. the ID is revoked: the same round fails, and both sides say why
      const ids = (await credentialsOf(platform, citizenId)).map((c) => c.id);
      await setStatus(platform, ids, 'invalid', 'e2e: revoked', 'operator:test');
      const again = await clerkAsks(clerk);
      await page.goto(again);
      await page.waitForSelector('#wallet-request:not([hidden])');
      await page.getByRole('button', { name: '동의하고 제출' }).click();
      await statusSays(page, '처리하지 못했습니다');
      await clerk.waitForSelector('#verifier-result[data-status="failed"]', { timeout: 15_000 });
      await expect(clerk.locator('#verifier-result').textContent()).resolves.toContain('폐기된 증명서입니다');

      const quiet = (list: string[]) => list.filter((x) => !/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/.test(x) && !/^400: .*\/verifier\/response$/.test(x));
      expect(quiet(problems)).toEqual([]);
      expect(quiet(clerkProblems)).toEqual([]);
    } finally {
      await citizen.close();
      await clerkCtx.close();
    }
  });

  it('opens offline from its service worker and still shows the documents kept in the browser', async () => {
    const ctx = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await ctx.newPage();
      await page.goto(`${url}/wallet?lang=en`);
      await page.waitForFunction(() => document.body.dataset.walletReady === 'true');
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      // a stored document, put there as the wallet would (its key made in the browser)
      await page.evaluate(async () => {
        const key = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
        await new Promise<void>((resolve) => {
          const open = indexedDB.open('hanaro-wallet');
          open.onsuccess = () => {
            const tr = open.result.transaction('credentials', 'readwrite');
            tr.objectStore('credentials').put({
              id: 'offline-1',
              key: key.privateKey,
              credential: { id: 'offline-1', name: { ko: '모바일 주민등록증', en: 'Mobile resident ID' }, issuerName: { ko: '하나로', en: 'Hanaro' }, claimLabels: [], claims: {}, receivedAt: new Date().toISOString() },
            });
            tr.oncomplete = () => resolve();
          };
        });
      });
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await ctx.setOffline(true);
      await page.reload();
      await page.waitForFunction(() => document.body.dataset.walletReady === 'true');
      await expect(page.locator('h1').textContent()).resolves.toBe('Wallet');
      await expect(page.locator('.hn-wallet-card-name').textContent()).resolves.toBe('Mobile resident ID');
      await expect(page.locator('#wallet-status').textContent()).resolves.toContain('offline');
    } finally {
      await ctx.close();
    }
  });

  it('reads without JavaScript: the page says what the wallet needs', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR', javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(`${url}/wallet`);
      await expect(page.locator('noscript').count()).resolves.toBe(1);
      const html = await page.content();
      expect(html).toContain('JavaScript가 필요합니다');
    } finally {
      await ctx.close();
    }
  });
});
