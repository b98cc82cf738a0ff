import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPreferences, notifyCitizen } from '../src/modules/notify/citizens.ts';
import { DEMO_SERVICES, notifySeeder } from '../src/modules/notify/seed.ts';
import { findTemplate } from '../src/modules/notify/templates.ts';
import { seedResidents } from '../src/modules/registries/test-support.ts';
import { DEMO_ACTOR_COOKIE } from '../src/platform/auth.ts';
import { createRng } from '../src/platform/seed.ts';
import type { TestPlatform } from '../src/platform/testing.ts';
import { axeViolations, launchBrowser, startLocalhostServer, watchProblems } from './harness.ts';

// Notifications in a real browser: a citizen signs in (demo), reads 알림함 and marks a notice
// read, then fills in and saves 알림 설정 with the keyboard alone; an agency administrator opens
// the console's service page and the template editor with its preview; /dev/mail shows what was
// "sent". axe-core finds no WCAG 2.x A/AA violation on any of these pages.

let app: FastifyInstance;
let platform: TestPlatform;
let url: string;
let browser: Browser;
let citizenId: string;
let server: Awaited<ReturnType<typeof startLocalhostServer>>;
const MOHW = DEMO_SERVICES[0]!.id;

beforeAll(async () => {
  server = await startLocalhostServer();
  ({ url, app, platform } = server);
  await notifySeeder.run({ platform, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  citizenId = (await seedResidents(app, platform, [{ serial: 1, name: '한소리' }]))[0]!.id;
  for (const n of [1, 2]) {
    await notifyCitizen(platform, { citizenId, template: 'mydata.new-reader', personalisation: { institution: `하나로은행 ${n}`, purpose: '대출 심사', link: `${url}/mydata/access` }, idempotencyKey: `e2e-${n}` });
  }
  await platform.db.execute(sql`insert into notify.captured (channel, message_key, recipient, subject, body) values ('email', 'e2e-1', 'citizen@example.kr', '[복지로] 부모급여 결정 안내', ${'한소리님,\n신청하신 부모급여가 지급 결정되었습니다.\n\n문의: 129'})`);
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
/** Tab until the element with this id has the focus (from wherever the focus is). */
async function tabTo(page: Page, id: string, max = 150) {
  for (let steps = 0; (await activeId(page)) !== id; steps++) {
    if (steps > max) throw new Error(`#${id} is not reachable with Tab`);
    await page.keyboard.press('Tab');
  }
}

describe('notifications as a citizen', () => {
  it('the inbox, marking read, and the settings filled in with the keyboard alone; axe finds nothing', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);

      await page.goto(`${url}/notifications`);
      expect(page.url()).toMatch(/\/sign-in\?next=%2Fnotifications$/);
      await page.getByLabel('주민 ID (비워 두면 아무나)').fill(citizenId);
      await Promise.all([page.waitForURL(/\/notifications$/), page.getByRole('button', { name: '가상 주민으로 로그인' }).click()]);
      await check(page, '알림함');
      await expect(page.getByText('읽지 않은 알림: 2개').count()).resolves.toBe(1);
      await expect(page.getByRole('heading', { level: 3 }).first().textContent()).resolves.toBe('읽지 않음 내 정보를 처음 조회한 기관이 있습니다');
      await Promise.all([page.waitForURL(/done=read/), page.getByRole('button', { name: '읽음으로 표시: 내 정보를 처음 조회한 기관이 있습니다' }).first().click()]);
      await check(page, '알림함');
      await expect(page.getByRole('status').first().textContent()).resolves.toBe('알림을 읽음으로 표시했습니다.');
      await expect(page.getByText('읽지 않은 알림: 1개').count()).resolves.toBe(1);

      // 알림 설정, from the page's own menu
      await Promise.all([page.waitForURL(/\/notifications\/settings$/), page.getByRole('link', { name: '알림 설정', exact: true }).first().click()]);
      await check(page, '알림 설정');
      // the island found a browser that can do push and shows its button instead of the note
      await expect(page.getByRole('button', { name: '이 브라우저에서 알림 받기' }).isVisible()).resolves.toBe(true);

      // the form with the keyboard alone: SMS first, then e-mail; notices in English; quiet
      // hours 22:30–07:00; promotions only in the inbox
      await tabTo(page, 'order-email');
      await page.keyboard.press('2');
      await page.keyboard.press('Tab');
      expect(await activeId(page)).toBe('order-sms');
      await page.keyboard.press('1');
      await tabTo(page, 'lang-ko', 4);
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#lang-en').isChecked()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await activeId(page)).toBe('quiet-start');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('22:30');
      await page.keyboard.press('Tab');
      expect(await activeId(page)).toBe('quiet-end');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('07:00');
      await tabTo(page, 'optout-advertising', 4);
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      const button = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
      });
      expect(button.text).toBe('설정 저장');
      expect(button.outline).not.toBe('none');
      await Promise.all([page.waitForURL(/\/notifications\/settings\?done=saved$/), page.keyboard.press('Enter')]);
      await check(page, '알림 설정');
      await expect(page.getByRole('status').first().textContent()).resolves.toBe('알림 설정을 저장했습니다.');
      expect(await getPreferences(platform.db, citizenId)).toMatchObject({ channels: ['sms', 'email'], lang: 'en', quietStart: '22:30', quietEnd: '07:00', optedOut: ['advertising'] });

      // a time that is not one: the form comes back with its summary, and is accessible too
      await page.locator('#quiet-start').fill('25:00');
      const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '설정 저장' }).click()]);
      expect(res.status()).toBe(400);
      await page.waitForLoadState('load');
      expect(await page.title()).toMatch(/^오류: /);
      await expect(page.getByRole('link', { name: /시작 \(예: 21:00\): / }).getAttribute('href')).resolves.toBe('#quiet-start');
      await expect(page.locator('#quiet-start').inputValue()).resolves.toBe('25:00');
      expect(await axeViolations(page)).toEqual([]);

      expect(problems.filter((x) => !/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/.test(x))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the pages in English and in high contrast have no violations either', async () => {
    const ctx = await browser.newContext({ locale: 'en-GB' });
    try {
      await ctx.addCookies([{ name: DEMO_ACTOR_COOKIE, value: encodeURIComponent(app.signCookie(JSON.stringify({ kind: 'citizen', id: citizenId }))), url }]);
      const page = await ctx.newPage();
      for (const path of ['/notifications?lang=en', '/notifications/settings?lang=en', '/notifications?contrast=high', '/notifications/settings?contrast=normal']) {
        await page.goto(`${url}${path}`);
        expect(await page.locator('h1').count(), path).toBe(1);
        expect(await axeViolations(page), path).toEqual([]);
      }
    } finally {
      await ctx.close();
    }
  });
});

describe('notifications in the console and the demo tools', () => {
  it('the service page, the template editor with its preview, and /dev/mail have no violations', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR' });
    try {
      const actor = JSON.stringify({ kind: 'official', id: 'e2e-MOHW', name: '김관리', agency: 'MOHW', roles: ['agency-admin'] });
      await ctx.addCookies([{ name: DEMO_ACTOR_COOKIE, value: encodeURIComponent(app.signCookie(actor)), url }]);
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      const tpl = (await findTemplate(platform.db, { code: 'benefit-decided', serviceId: MOHW }))!;
      await page.goto(`${url}/console/notify`);
      await check(page, '알림 발송 서비스');
      await Promise.all([page.waitForURL(new RegExp(`/console/notify/services/${MOHW}$`)), page.getByRole('link', { name: '복지로 알림' }).click()]);
      await check(page, '복지로 알림');

      // a key: made, shown once
      await page.getByLabel('키 이름').fill('e2e system');
      await page.getByLabel('테스트').check();
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '키 만들기' }).click()]);
      await check(page, '새 API 키');
      await expect(page.locator('code.hn-secret').textContent()).resolves.toMatch(new RegExp(`^e2e_system-${MOHW}-`));

      for (const path of [`/console/notify/services/${MOHW}?lang=en`, `/console/notify/services/${MOHW}/templates/new`, `/console/notify/services/${MOHW}/templates/${tpl.id}?lang=en`, `/console/notify/services/${MOHW}/templates/${tpl.id}?lang=ko`]) {
        await page.goto(`${url}${path}`);
        expect(await page.locator('h1').count(), path).toBe(1);
        expect(await axeViolations(page), path).toEqual([]);
      }
      // the preview, with one value missing
      await page.getByLabel('미리보기 값').fill('name=한소리\nbenefit=부모급여');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '미리보기', exact: true }).click()]);
      await expect(page.getByRole('heading', { name: '미리보기', level: 2 }).count()).resolves.toBe(1);
      await expect(page.getByText('값이 빠졌습니다: decision').first().isVisible()).resolves.toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      // a broken draft: the error summary
      await page.locator('#ko-email-body').fill('');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '저장', exact: true }).click()]);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('한국어 문안 · 이메일 · 내용: 내용을 쓰세요.');
      expect(await axeViolations(page)).toEqual([]);

      for (const path of ['/dev/mail', '/dev/mail?lang=en', '/dev/sms']) {
        await page.goto(`${url}${path}`);
        expect(await page.locator('h1').count(), path).toBe(1);
        expect(await axeViolations(page), path).toEqual([]);
      }
      await page.goto(`${url}/dev/mail`);
      await expect(page.getByRole('heading', { name: '[복지로] 부모급여 결정 안내' }).count()).resolves.toBe(1);
      expect(problems.filter((x) => !/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/.test(x))).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
