import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../src/app.ts';
import { modules } from '../src/modules/index.ts';
import type { HanaroModule } from '../src/platform/module.ts';
import { testPlatform, type TestPlatform } from '../src/platform/testing.ts';
import type { FastifyInstance } from 'fastify';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Debian's Chromium, never a downloaded build. Playwright refuses --user-data-dir in launch()
// and instead gives every launch a fresh temporary profile of its own, which is what we want.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** A real Hanaro listening on a free loopback port, on a fresh in-memory database; `extra` modules join the real ones. */
export async function startServer(extra: HanaroModule[] = []): Promise<{ url: string; close(): Promise<void> }> {
  const all = [...modules, ...extra];
  const platform = await testPlatform({ modules: all });
  const app = await buildApp(platform, { modules: all });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await platform.dispose();
    },
  };
}

/**
 * Every module on a fresh database, listening at http://localhost:<port> (passkeys need a domain
 * name, and the public URL must be the one the browser uses), for suites that also call the
 * platform directly (seeding residents, issuing codes).
 */
export async function startLocalhostServer(): Promise<{ url: string; app: FastifyInstance; platform: TestPlatform; close(): Promise<void> }> {
  const { freePort } = await import('../src/platform/testing.ts');
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const platform = await testPlatform({ modules, env: { HANARO_PUBLIC_URL: url } });
  const app = await buildApp(platform, { modules });
  await app.listen({ port, host: 'localhost' });
  return {
    url,
    app,
    platform,
    async close() {
      await app.close();
      await platform.dispose();
    },
  };
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page. `page.evaluate` goes through the DevTools protocol, which the page's
 * CSP does not govern, so the strict script-src needs no exception for the test.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  // measure the page as a person sees it: loaded, fonts in, and still. A page opened at a
  // fragment (#passkeys) scrolls smoothly to it; measured mid-scroll, a field passing under the
  // sticky header counts as an obscured target (target-size) though nobody would see it so.
  await page.waitForLoadState('load');
  await page.evaluate(async () => {
    await document.fonts.ready;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    let last = -1;
    for (let i = 0; i < 120 && window.scrollY !== last; i++) {
      last = window.scrollY;
      await frame();
      await frame();
    }
  });
  await page.evaluate(axe.source);
  const results = await page.evaluate(async (tags) => {
    const w = window as unknown as { axe: typeof axe };
    return w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  }, WCAG_TAGS);
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/** Collects what the browser refused or could not load, so a test can demand there was none. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    // "Failed to load resource" repeats what the response listener below already judges
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    // the 404 page itself is expected; its stylesheet, fonts and icons are not allowed to fail
    if (res.status() >= 400 && res.request().resourceType() !== 'document') problems.push(`${res.status()}: ${res.url()}`);
  });
  return problems;
}
