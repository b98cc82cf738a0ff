import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientKey } from '../src/modules/exchange/client-keys.ts';
import { seedForTests } from '../src/modules/exchange/management-testing.ts';
import { seedRecords, seedResidents } from '../src/modules/registries/test-support.ts';
import { ONESTOP_CLIENT } from '../src/modules/services/onestop/registry-reads.ts';
import { DEMO_ACTOR_COOKIE } from '../src/platform/auth.ts';
import type { TestPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, startLocalhostServer, watchProblems } from './harness.ts';

// The one-stop life-event pages in a real browser: a signed-in mother opens 생애 주기 원스톱 신청,
// follows the birth card, agrees to fill in from her records (her spouse appears as the other
// parent), fills in the form with the keyboard alone, first leaving the child's name empty: the
// error summary's link takes focus to the field, and once named the application is submitted and
// shows each agency's part. A 법원행정처 case worker then opens the part from the queue and
// approves it. axe-core finds no WCAG 2.x A/AA violation on any of these pages (also in en and
// high contrast), and the browser reports no error.

let app: FastifyInstance;
let platform: TestPlatform;
let url: string;
let browser: Browser;
let mother: string, father: string;
let fileId: string;
let server: Awaited<ReturnType<typeof startLocalhostServer>>;

beforeAll(async () => {
  server = await startLocalhostServer();
  ({ url, app, platform } = server);
  await platform.keys.ensureKeys();
  await seedForTests(platform);
  await createClientKey(platform, ONESTOP_CLIENT, { keepPrivate: true });
  [mother, father] = (await seedResidents(app, platform, [
    { serial: 41, birthDate: '1992-03-03', sex: 'F', sido: '인천광역시', sigungu: '연수구', roadAddress: '센트럴로 1', postalCode: '22004' },
    { serial: 42, birthDate: '1990-07-07', sex: 'M', sido: '인천광역시', sigungu: '연수구', roadAddress: '센트럴로 1', postalCode: '22004' },
  ])).map((p) => p.id) as [string, string];
  await seedRecords(app, platform, 'family', 'KR/GOV/SCOURT/family-registry', [{ subjectId: mother, spouse: father, maritalStatus: 'married' }]);
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser signed in as `actor` (the signed cookie /dev/sign-in would set). */
async function signedIn(actor: object): Promise<BrowserContext> {
  const ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
  await ctx.addCookies([{ name: DEMO_ACTOR_COOKIE, value: encodeURIComponent(app.signCookie(JSON.stringify(actor))), url }]);
  return ctx;
}
async function check(page: Page, h1: string | RegExp) {
  const text = (await page.locator('h1').textContent()) ?? '';
  if (typeof h1 === 'string') expect(text).toBe(h1);
  else expect(text).toMatch(h1);
  expect(await axeViolations(page), page.url()).toEqual([]);
}
const active = (page: Page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('href') || '');
/** Presses Tab until the element with this id (or link with this href) has focus. */
async function tabTo(page: Page, target: string, max = 150) {
  for (let steps = 0; (await active(page)) !== target; steps++) {
    if (steps > max) throw new Error(`${target} is not reachable with Tab`);
    await page.keyboard.press('Tab');
  }
}
/**
 * Types a date into a date field, entering it from the field before it. Chromium lays out the field's parts in
 * the order of its own UI locale (not the page's), so each order is tried until the value is right;
 * a two-digit month or day moves on by itself, a year needs ArrowRight.
 */
async function typeDate(page: Page, id: string, iso: string) {
  const [y, m, d] = iso.split('-') as [string, string, string];
  for (const order of [[m, d, y], [y, m, d], [d, m, y]]) {
    await tabTo(page, id);
    while ((await active(page)) === id) await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab'); // the field's first part
    for (const part of order) {
      await page.keyboard.type(part);
      if (part === y) await page.keyboard.press('ArrowRight');
    }
    if ((await page.locator(`#${id}`).inputValue()) === iso) return;
  }
  throw new Error(`#${id} did not take ${iso} from the keyboard`);
}
const today = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
const BIRTH = '행복출산 원스톱 서비스 (출생신고와 출산 지원 통합 신청)';

describe('one-stop applications', () => {
  it('a citizen fills in the birth form from her records with the keyboard alone, fixes an error and follows the parts', async () => {
    const ctx = await signedIn({ kind: 'citizen', id: mother });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await page.goto(`${url}/apply`);
      await check(page, '생애 주기 원스톱 신청');
      await Promise.all([page.waitForURL(/\/apply\/birth$/), page.getByRole('link', { name: new RegExp(`^${BIRTH.replace(/[()]/g, '\\$&')}`) }).click()]);
      await check(page, BIRTH);
      await expect(page.locator('input[name="otherParentId"]').count()).resolves.toBe(0);

      // the records are read only when she agrees; her spouse comes back as the other parent
      await Promise.all([page.waitForURL(/\/apply\/birth\/prefill$/), page.getByRole('button', { name: '동의하고 내 정보 불러오기' }).click()]);
      await check(page, BIRTH);
      await expect(page.getByRole('status').textContent()).resolves.toContain('등록된 정보를 불러왔습니다');
      const spouse = page.locator(`input[name="otherParentId"][value="${father}"]`);
      await expect(spouse.isVisible()).resolves.toBe(true);
      await expect(spouse.isChecked()).resolves.toBe(true);

      // the keyboard alone: the name left empty, the sex chosen with Space, the date typed
      await tabTo(page, 'f-childName');
      await page.keyboard.press('Tab');
      expect(await active(page)).toBe('f-childSex');
      await page.keyboard.press('Space');
      await expect(page.locator('#f-childSex').isChecked()).resolves.toBe(true);
      await typeDate(page, 'f-birthDate', today());
      await tabTo(page, 'f-birthPlace');
      await page.keyboard.type('인천 연수구 산부인과');
      await Promise.all([page.waitForURL(/\/apply\/birth$/), page.keyboard.press('Enter')]);
      await check(page, BIRTH);

      // the error summary names the field and its link takes focus there; what she typed is kept
      const alert = page.getByRole('alert');
      await expect(alert.getByRole('link').count()).resolves.toBe(1);
      await expect(alert.getByRole('link').textContent()).resolves.toContain('아이 이름');
      await expect(page.locator('#f-childName').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#f-birthDate').inputValue()).resolves.toBe(today());
      await expect(page.locator('#f-birthPlace').inputValue()).resolves.toBe('인천 연수구 산부인과');
      await expect(spouse.isChecked()).resolves.toBe(true);
      await tabTo(page, '#f-childName');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'f-childName');
      await page.keyboard.type('이하늘');
      await Promise.all([page.waitForURL(/\/applications\/[0-9a-f-]{36}\?done=submitted$/), page.keyboard.press('Enter')]);
      fileId = /\/applications\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      await check(page, BIRTH);
      await expect(page.getByRole('status').textContent()).resolves.toContain('신청을 접수했습니다');
      const parts = page.locator('section[aria-labelledby="parts"] tbody tr');
      await expect(parts.filter({ hasText: '법원행정처: 출생신고' }).count()).resolves.toBe(1);
      await expect(parts.filter({ hasText: '행정안전부: 주민등록' }).count()).resolves.toBe(1);

      await page.goto(`${url}/applications`);
      await check(page, '신청 현황');
      await expect(page.locator(`a[href="/applications/${fileId}"]`).count()).resolves.toBe(1);

      // in English and in high contrast (asked for in the address, on pages with and without a query schema)
      await page.goto(`${url}/apply/birth?lang=en`);
      await check(page, 'Happy Birth one-stop service (birth registration and birth benefits)');
      await expect(page.getAttribute('html', 'lang')).resolves.toBe('en');
      await page.goto(`${url}/apply?contrast=high`);
      await expect(page.getAttribute('html', 'data-krds-mode')).resolves.toBe('high-contrast');
      expect(await axeViolations(page), page.url()).toEqual([]);
      await page.goto(`${url}/applications/${fileId}?lang=en&contrast=high`);
      await expect(page.getAttribute('html', 'data-krds-mode')).resolves.toBe('high-contrast');
      expect(await axeViolations(page), page.url()).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('a 법원행정처 case worker opens the part from the queue and approves it', async () => {
    expect(fileId).toBeTruthy();
    const ctx = await signedIn({ kind: 'official', id: 'e2e-SCOURT', name: '김주무', agency: 'SCOURT', roles: ['case-worker'] });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await page.goto(`${url}/console/tasks`);
      await check(page, '원스톱 신청 처리');
      await Promise.all([page.waitForURL(/\/console\/tasks\/[0-9a-f-]{36}$/), page.getByRole('link', { name: '출생신고 (가족관계등록부 기록)' }).click()]);
      const title = '출생신고 (가족관계등록부 기록) · 법원행정처';
      await check(page, title);
      await expect(page.locator('.hn-facts').textContent()).resolves.toContain('이하늘');
      const taskUrl = page.url();

      await page.locator('label', { hasText: '승인 (기관 정보에 반영)' }).click(); // the KRDS radio is drawn by its label
      await expect(page.locator('input[name="decision"][value="approve"]').isChecked()).resolves.toBe(true);
      await Promise.all([page.waitForURL(/\?done=decided$/), page.getByRole('button', { name: '처리 결과 저장' }).click()]);
      await check(page, title);
      await expect(page.getByRole('status').textContent()).resolves.toBe('처리했습니다. 신청인에게 알렸습니다.');
      await expect(page.locator('form[action$="/decide"]').count()).resolves.toBe(0);

      await page.goto(`${taskUrl}?lang=en`);
      await check(page, 'Birth registration (family relations register) · National Court Administration');
      await page.goto(`${url}/console/tasks?contrast=high`);
      await expect(page.getAttribute('html', 'data-krds-mode')).resolves.toBe('high-contrast');
      expect(await axeViolations(page), page.url()).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
