import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, startLocalhostServer, watchProblems } from './harness.ts';

// The assistant in a real browser, with the keyboard alone: the box at the foot of a page takes a
// question, the assistant page answers with linked services in its live region, and the
// conversation continues from its own form. The pages need no JavaScript; axe-core finds no WCAG 2.x
// A/AA violation, in ko, en and high contrast.

let url: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof startLocalhostServer>>;

beforeAll(async () => {
  server = await startLocalhostServer();
  ({ url } = server);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
async function tabTo(page: Page, id: string, max = 200) {
  for (let steps = 0; (await activeId(page)) !== id; steps++) {
    if (steps > max) throw new Error(`#${id} is not reachable with Tab`);
    await page.keyboard.press('Tab');
  }
}

describe('assistant', () => {
  it('asks from the box at the foot of a page and continues on the assistant page, keyboard only', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    // as without scripts: the box's script is served empty, so the plain form does the work
    await ctx.route('**/assistant/widget.js', (r) => r.fulfill({ contentType: 'text/javascript', body: '' }));
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await page.goto(`${url}/services`);
      await tabTo(page, 'hn-ask-q');
      await page.keyboard.type('아이가 태어났는데 뭐 받을 수 있어요?');
      await Promise.all([page.waitForURL(/\/assistant\?q=/), page.keyboard.press('Enter')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('하나로 도우미');
      const live = page.locator('#assistant-latest');
      await expect(live.getAttribute('aria-live')).resolves.toBe('polite');
      await expect(live.locator('a[href^="/services/"]').count()).resolves.toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      // the conversation continues from the page's own form
      await tabTo(page, 'assistant-text');
      await page.keyboard.type('부모급여 얼마예요?');
      await Promise.all([page.waitForURL(/\/assistant$/), page.keyboard.press('Enter')]);
      await expect(page.locator('.hn-chat li').count()).resolves.toBe(4);
      await expect(live.locator('a[href="/services/parental-benefit"]').count()).resolves.toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      for (const variant of ['?lang=en&q=when%20is%20my%20car%20inspection%20due', '?contrast=high&q=%EC%97%AC%EA%B6%8C']) {
        await page.goto(`${url}/assistant${variant}`);
        expect(await axeViolations(page), variant).toEqual([]);
      }
      await page.goto(`${url}/assistant/faq`);
      expect(await axeViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('with scripts, the box answers in place in its live region, keyboard only, and the conversation continues', async () => {
    const ctx = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
    try {
      const page = await ctx.newPage();
      const problems = watchProblems(page);
      await page.goto(`${url}/services`);
      await page.waitForFunction(() => document.querySelector('.hn-ask-log') !== null);
      await tabTo(page, 'hn-ask-q');
      await page.keyboard.type('I lost my job last week');
      await page.keyboard.press('Enter');
      const log = page.locator('.hn-ask-log');
      await log.locator('.hn-ask-item').first().waitFor();
      expect(page.url()).toBe(`${url}/services`);
      // the answer keeps its lines (the numbered services) apart
      await expect(log.locator('.hn-ask-a').first().evaluate((e) => getComputedStyle(e).whiteSpace)).resolves.toBe('pre-line');
      await expect(log.getAttribute('aria-live')).resolves.toBe('polite');
      await expect(log.locator('a[href^="/services/"]').count()).resolves.toBeGreaterThan(0);
      await expect(activeId(page)).resolves.toBe('hn-ask-q');
      await page.keyboard.type('실업급여 얼마 받아요?');
      await page.keyboard.press('Enter');
      await expect.poll(() => log.locator('.hn-ask-item').count()).toBe(2);
      await expect(log.locator('a[href="/services/job-seeker-benefit"]').count()).resolves.toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
