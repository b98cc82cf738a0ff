import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, startServer, watchProblems } from './harness.ts';
import { sampleModule } from './sample-module.ts';

const ARTIFACTS = path.resolve(process.env.HANARO_E2E_ARTIFACTS ?? 'tmp/e2e');

let server: Awaited<ReturnType<typeof startServer>>;
/** The same app with a stand-in module, so that /docs is checked with a module's worth of operations. */
let docsServer: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
beforeAll(async () => {
  [server, docsServer, browser] = await Promise.all([startServer(), startServer([sampleModule]), launchBrowser()]);
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await docsServer?.close();
});

/** A fresh context per check, so a language or contrast cookie from one page never leaks into the next. */
async function withContext<T>(fn: (ctx: BrowserContext) => Promise<T>, opts: Parameters<Browser['newContext']>[0] = {}): Promise<T> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR', ...opts });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const contrastCookie = (url = server.url) => [{ name: 'contrast', value: 'high', url }];

/** <details> hide their content from axe until opened; the schemas must pass too. */
const openAllDetails = (page: Page) => page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));

describe('accessibility (axe-core, WCAG 2.0-2.2 A and AA)', () => {
  const pages: Array<{ path: string; lang: 'ko' | 'en'; status: number; highContrast?: boolean; sample?: boolean; openAll?: boolean }> = [
    { path: '/', lang: 'ko', status: 200 },
    { path: '/?lang=en', lang: 'en', status: 200 },
    { path: '/about', lang: 'ko', status: 200 },
    { path: '/about?lang=en', lang: 'en', status: 200 },
    { path: '/preferences', lang: 'ko', status: 200 },
    { path: '/preferences?lang=en', lang: 'en', status: 200 },
    { path: '/no-such-page', lang: 'ko', status: 404 },
    { path: '/no-such-page?lang=en', lang: 'en', status: 404 },
    { path: '/docs', lang: 'ko', status: 200 },
    { path: '/docs?lang=en', lang: 'en', status: 200 },
    // with a module's worth of operations: parameter and body tables, every method, a deprecated one
    { path: '/docs', lang: 'ko', status: 200, sample: true },
    { path: '/docs?lang=en', lang: 'en', status: 200, sample: true, openAll: true },
    // colours change completely in high-contrast mode, so contrast is checked there too
    { path: '/', lang: 'ko', status: 200, highContrast: true },
    { path: '/about?lang=en', lang: 'en', status: 200, highContrast: true },
    { path: '/no-such-page', lang: 'ko', status: 404, highContrast: true },
    // chosen with the header link's ?contrast= rather than a cookie set beforehand
    { path: '/preferences?lang=en&contrast=high', lang: 'en', status: 200, highContrast: true },
    { path: '/docs', lang: 'ko', status: 200, highContrast: true, sample: true, openAll: true },
  ];

  for (const p of pages) {
    const variant = [p.highContrast && 'high contrast', p.sample && 'sample module', p.openAll && 'schemas open'].filter(Boolean).join(', ');
    it(`${p.path}${variant ? ` (${variant})` : ''} has no violations`, async () => {
      await withContext(async (ctx) => {
        const base = p.sample ? docsServer.url : server.url;
        if (p.highContrast && !p.path.includes('contrast=')) await ctx.addCookies(contrastCookie(base));
        const page = await ctx.newPage();
        const problems = watchProblems(page);
        const res = await page.goto(`${base}${p.path}`, { waitUntil: 'load' });
        expect(res?.status()).toBe(p.status);
        await page.evaluate(() => document.fonts.ready);
        expect(await page.getAttribute('html', 'lang')).toBe(p.lang);
        expect(await page.getAttribute('html', 'data-krds-mode')).toBe(p.highContrast ? 'high-contrast' : null);
        expect(await page.locator('h1').count()).toBe(1);
        // the KRDS stylesheet really applied (a missing or CSP-blocked stylesheet leaves the masthead unstyled)
        const masthead = await page.locator('#krds-masthead').evaluate((el) => getComputedStyle(el).backgroundColor);
        expect(masthead).not.toBe('rgba(0, 0, 0, 0)');
        expect(await page.evaluate(() => document.fonts.check('16px "Pretendard GOV"', '하나로'))).toBe(true);
        if (p.openAll) await openAllDetails(page);
        expect(await axeViolations(page)).toEqual([]);
        expect(problems).toEqual([]);
      });
    });
  }

  // /docs/explorer is Swagger UI (registered by the platform through @fastify/swagger-ui), not the
  // portal; the portal's own /docs above is the API reference that must pass. axe finds, in Swagger
  // UI's own React markup: an unlabelled server <select> (select-name), the topbar's URL input
  // without a label and its logo without alt, operation rows that nest a button inside a button
  // (nested-interactive), 24px-target and contrast failures of its theme. Fixing them means patching
  // Swagger UI itself, so it is excluded from the zero-violation rule above; the test still proves
  // the page works and writes the findings to the artifacts folder for follow-up.
  it('/docs/explorer (Swagger UI) loads; its axe findings are recorded, not asserted', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      const res = await page.goto(`${docsServer.url}/docs/explorer`, { waitUntil: 'networkidle' });
      expect(res?.status()).toBe(200);
      await page.locator('.swagger-ui .info').first().waitFor({ timeout: 15_000 });
      // it found the spec: the groups are listed, closed; opening the sample module's lists its operations
      await page.locator('.swagger-ui .opblock-tag', { hasText: 'sample' }).first().click();
      await page.locator('.swagger-ui .opblock-summary-path', { hasText: '/api/sample/applications' }).first().waitFor({ timeout: 15_000 });
      const findings = await axeViolations(page);
      await writeFile(path.join(ARTIFACTS, 'docs-explorer-axe.json'), JSON.stringify(findings, null, 2));
    });
  });
});

describe('keyboard', () => {
  it('the first Tab reaches the skip link, and Enter moves focus to the main content', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${server.url}/`);
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLAnchorElement;
        const box = el.getBoundingClientRect();
        return { text: el.textContent, href: el.getAttribute('href'), width: box.width, height: box.height, shadow: getComputedStyle(el).boxShadow };
      });
      expect(focused).toMatchObject({ text: '본문 바로가기', href: '#main' });
      // visible when focused (KRDS hides it until then) and with a focus ring
      expect(focused.width).toBeGreaterThan(100);
      expect(focused.height).toBeGreaterThan(20);
      expect(focused.shadow).not.toBe('none');

      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      // the next Tab continues inside the main content, not back in the header
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
    });
  });

  it('shows a visible focus indicator on links and buttons', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${server.url}/`);
      for (const selector of ['.hn-lang a[lang="en"]', '.hn-contrast', '.gnb-main-trigger[href="/about"]', '.hn-cards a']) {
        await page.locator(selector).first().focus();
        const ring = await page.locator(selector).first().evaluate((el) => {
          const s = getComputedStyle(el);
          return { outline: s.outlineStyle, shadow: s.boxShadow };
        });
        expect(ring.outline !== 'none' || ring.shadow !== 'none', selector).toBe(true);
      }
    });
  });
});

describe('keyboard on /docs', () => {
  it('follows a contents link to its operation and opens a schema with Enter', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${docsServer.url}/docs`);
      const link = page.locator('.hn-toc a[href="#op-post-api-sample-applications"]');
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/#op-post-api-sample-applications$/);
      const target = page.locator('#op-post-api-sample-applications');
      expect(await target.evaluate((el) => el.matches(':target'))).toBe(true);
      expect(await target.locator('h3').textContent()).toBe('POST /api/sample/applications');

      const summary = target.locator('details > summary').first();
      await summary.focus();
      const ring = await summary.evaluate((el) => {
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return { outline: s.outlineStyle, shadow: s.boxShadow, height: box.height };
      });
      expect(ring.outline !== 'none' || ring.shadow !== 'none').toBe(true);
      // WCAG 2.5.8: at least 24px high
      expect(ring.height).toBeGreaterThanOrEqual(24);
      const details = target.locator('details').first();
      expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await page.keyboard.press('Enter');
      expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      expect(await details.locator('pre').isVisible()).toBe(true);
    });
  });
});

describe('without JavaScript', () => {
  it('reads the API documentation and opens its schemas', async () => {
    await withContext(
      async (ctx) => {
        const page = await ctx.newPage();
        await page.goto(`${docsServer.url}/docs?lang=en`);
        expect(await page.locator('h1').textContent()).toBe('API documentation');
        expect(await page.getByRole('table', { name: 'Parameters of GET /api/sample/applications', exact: true }).isVisible()).toBe(true);
        expect(await page.getByRole('heading', { name: 'DELETE /api/sample/applications/{id} Deprecated' }).count()).toBe(1);
        expect(await page.getByText('/api/sample/internal').count()).toBe(0);
        const details = page.locator('#op-get-api-sample-applications details').first();
        await details.locator('summary').click();
        expect(await details.locator('pre').isVisible()).toBe(true);
        expect(await page.locator('main a[href="/openapi.json"]').getAttribute('download')).toBe('hanaro-openapi.json');
      },
      { javaScriptEnabled: false },
    );
  });

  it('switches high contrast on and off with the header link, and the choice follows to other pages', async () => {
    await withContext(
      async (ctx) => {
        const page = await ctx.newPage();
        await page.goto(`${server.url}/about`);
        expect(await page.locator('h1').textContent()).toBe('하나로 소개');
        expect(await page.getAttribute('html', 'data-krds-mode')).toBeNull();

        await Promise.all([page.waitForURL(`${server.url}/about?contrast=high`), page.getByRole('link', { name: '고대비 모드 켜기' }).click()]);
        expect(await page.getAttribute('html', 'data-krds-mode')).toBe('high-contrast');
        expect(await page.locator('h1').textContent()).toBe('하나로 소개');
        await page.screenshot({ path: path.join(ARTIFACTS, 'about-ko-high-contrast-nojs.png'), fullPage: true });

        // remembered: the next page, reached by a plain menu link, is high contrast too
        await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '처음으로' }).click()]);
        expect(await page.getAttribute('html', 'data-krds-mode')).toBe('high-contrast');

        await Promise.all([page.waitForURL(`${server.url}/?contrast=normal`), page.getByRole('link', { name: '고대비 모드 끄기' }).click()]);
        expect(await page.getAttribute('html', 'data-krds-mode')).toBeNull();
        await page.goto(`${server.url}/about`);
        expect(await page.getAttribute('html', 'data-krds-mode')).toBeNull();
        // reading pages never needed a form token
        expect((await ctx.cookies()).map((c) => c.name)).not.toContain('hanaro-csrf');
      },
      { javaScriptEnabled: false },
    );
  });

  it('saves settings from the preferences page', async () => {
    await withContext(
      async (ctx) => {
        const page = await ctx.newPage();
        await page.goto(`${server.url}/preferences?return=%2Fabout`);
        // KRDS draws its own radio on the label and hides the native one under it, so a person
        // (and this test) clicks the label
        await page.locator('label[for="contrast-high"]').click();
        await page.locator('label[for="lang-en"]').click();
        expect(await page.getByLabel('고대비 (어두운 배경에 밝은 글자)').isChecked()).toBe(true);
        expect(await page.getByLabel('English').isChecked()).toBe(true);
        await Promise.all([page.waitForURL(`${server.url}/about`), page.getByRole('button', { name: '설정 저장' }).click()]);
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        expect(await page.getAttribute('html', 'data-krds-mode')).toBe('high-contrast');
      },
      { javaScriptEnabled: false },
    );
  });
});

describe('the settings form is protected against cross-site posts', () => {
  it('refuses the form without its token and changes nothing', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${server.url}/preferences?return=%2Fabout`);
      await page.locator('label[for="contrast-high"]').click();
      // what a forged form looks like: everything but the token
      await page.locator('input[name="_csrf"]').evaluate((el) => el.remove());
      const [res] = await Promise.all([page.waitForResponse((r) => r.url() === `${server.url}/preferences` && r.request().method() === 'POST'), page.getByRole('button', { name: '설정 저장' }).click()]);
      expect(res.status()).toBe(403);
      await page.waitForLoadState('load');
      expect(await page.locator('h1').textContent()).toContain('보안 토큰');
      await page.goto(`${server.url}/about`);
      expect(await page.getAttribute('html', 'data-krds-mode')).toBeNull();
      // a post made outside the page (this context's cookies, but no token) is refused the same way
      const direct = await ctx.request.post(`${server.url}/preferences`, { form: { contrast: 'high', return: '/' }, maxRedirects: 0 });
      expect(direct.status()).toBe(403);
    });
  });
});

describe('high contrast', () => {
  it('really changes the colours', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${server.url}/`);
      const colours = () =>
        page.evaluate(() => ({ body: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.querySelector('h1')!).color }));
      expect(await colours()).toEqual({ body: 'rgb(255, 255, 255)', text: 'rgb(30, 33, 36)' });
      await Promise.all([page.waitForURL(`${server.url}/?contrast=high`), page.getByRole('link', { name: '고대비 모드 켜기' }).click()]);
      expect(await colours()).toEqual({ body: 'rgb(0, 0, 0)', text: 'rgb(244, 245, 246)' });
    });
  });
});

describe('language switcher', () => {
  it('switches the page to English and back, and the choice follows to other pages', async () => {
    await withContext(async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(`${server.url}/about`);
      const en = page.locator('.hn-lang a[lang="en"]');
      expect(await en.getAttribute('aria-current')).toBeNull();
      await Promise.all([page.waitForURL(/lang=en/), en.click()]);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.locator('h1').textContent()).toBe('About Hanaro');
      expect(await page.locator('.hn-lang a[lang="en"]').getAttribute('aria-current')).toBe('true');

      await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Home' }).click();
      await page.waitForURL(`${server.url}/`);
      expect(await page.getAttribute('html', 'lang')).toBe('en');

      await Promise.all([page.waitForURL(/lang=ko/), page.locator('.hn-lang a[lang="ko"]').click()]);
      expect(await page.getAttribute('html', 'lang')).toBe('ko');
      expect(await page.locator('h1').textContent()).toBe('하나로에 오신 것을 환영합니다');
    });
  });
});

describe('look', () => {
  it('/docs fits a phone screen without sideways scrolling, schemas open or not', async () => {
    await withContext(
      async (ctx) => {
        const page = await ctx.newPage();
        for (const where of ['/docs', '/docs?lang=en']) {
          await page.goto(`${docsServer.url}${where}`);
          await page.evaluate(() => document.fonts.ready);
          const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(await overflow(), where).toBe(0);
          await openAllDetails(page);
          expect(await overflow(), `${where} (schemas open)`).toBe(0);
        }
      },
      { viewport: { width: 320, height: 640 } },
    );
  });

  it('takes screenshots of the API documentation', async () => {
    for (const [name, where, opts] of [
      ['docs-ko.png', '/docs', { viewport: { width: 1280, height: 900 } }],
      ['docs-en-mobile.png', '/docs?lang=en', { viewport: { width: 390, height: 844 } }],
      ['docs-ko-high-contrast.png', '/docs', { viewport: { width: 1280, height: 900 } }],
      ['docs-ko-real.png', '/docs', { viewport: { width: 1280, height: 900 } }],
    ] as const) {
      await withContext(async (ctx) => {
        const base = name.includes('real') ? server.url : docsServer.url;
        if (name.includes('high-contrast')) await ctx.addCookies(contrastCookie(base));
        const page = await ctx.newPage();
        await page.goto(`${base}${where}`);
        await page.evaluate(() => document.fonts.ready);
        // one schema open, to show how they read
        await page.evaluate(() => document.querySelector<HTMLDetailsElement>('#op-post-api-sample-applications details')?.setAttribute('open', ''));
        await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
      }, opts);
    }
  });

  it('takes screenshots of the pages for a person to look at', async () => {
    for (const [name, opts] of [
      ['home-ko.png', { viewport: { width: 1280, height: 900 } }],
      ['home-ko-mobile.png', { viewport: { width: 390, height: 844 } }],
      ['home-en-high-contrast.png', { viewport: { width: 1280, height: 900 } }],
      ['about-ko.png', { viewport: { width: 1280, height: 900 } }],
      ['404-en.png', { viewport: { width: 1280, height: 900 } }],
      ['preferences-ko.png', { viewport: { width: 1280, height: 900 } }],
    ] as const) {
      await withContext(async (ctx) => {
        if (name.includes('high-contrast')) await ctx.addCookies(contrastCookie());
        const page = await ctx.newPage();
        const where = name.startsWith('about') ? '/about' : name.startsWith('404') ? '/no-such-page' : name.startsWith('preferences') ? '/preferences' : '/';
        await page.goto(`${server.url}${where}${name.includes('-en') ? '?lang=en' : ''}`);
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
      }, opts);
    }
  });
});
