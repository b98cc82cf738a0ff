import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../platform/testing.ts';
import { assetManifest } from './assets.ts';
import { createStylesheet, stylesheetKey } from './css.ts';
import { samplePages } from './pages.tsx';

let t: Awaited<ReturnType<typeof testApp>>;
let cssUrl: string;
let css: string;
beforeAll(async () => {
  t = await testApp();
  const page = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
  cssUrl = page.body.match(/<link rel="stylesheet" href="([^"]+)"/)![1]!;
  const res = await t.app.inject({ url: cssUrl });
  css = res.body;
});
afterAll(() => t.close());

// The full KRDS bundle (resources/cdn/krds.min.css) is 593,550 bytes; the subset measured 77 KB.
const FULL_BUNDLE = 593_550;

describe('stylesheet', () => {
  it('is served under a hashed name, immutable, as CSS', async () => {
    const res = await t.app.inject({ url: cssUrl });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('is a subset: far smaller than the KRDS bundle, yet not empty', () => {
    const bytes = Buffer.byteLength(css);
    // KRDS form styles (inputs, selects, checkboxes) came with the officials' console; error and
    // error states of inputs and selects, and scrolling tables, with MyData's pages
    expect(bytes).toBeLessThan(160_000);
    expect(bytes).toBeLessThan(FULL_BUNDLE / 3.5);
    expect(bytes).toBeGreaterThan(20_000);
  });

  it('keeps the rules the pages use and drops components they do not', () => {
    // .hn-ask-item: only the assistant box's browser script makes it (an answer's lines kept apart)
    for (const used of ['#krds-skip-link a:focus', '#krds-masthead', '#krds-header', '.krds-main-menu', '#krds-footer', '.krds-structured-list', '.krds-btn.primary', '.hn-brand', '.hn-ask-log .hn-ask-item']) {
      expect(css, used).toContain(used);
    }
    for (const unused of ['.krds-calendar-area', '.krds-modal', '.swiper', '.krds-pagination', '.krds-main-menu-mobile']) {
      expect(css, unused).not.toContain(unused);
    }
  });

  it('changes colours in high-contrast mode through KRDS tokens', () => {
    expect(css).toMatch(/\[data-krds-mode=high-contrast\] body \{\s*background-color: var\(--krds-high-contrast-color-background-white\)/);
    expect(css).toMatch(/--krds-high-contrast-color-background-white:\s*var\(--krds-color-high-contrast-gray-100\)/);
    expect(css).toMatch(/--krds-color-high-contrast-gray-100:\s*#000000/);
    expect(css).toMatch(/html\[data-krds-mode=high-contrast\] \{[^}]*color-scheme: dark/);
  });

  it('defines every custom property it uses (the purge of unused tokens kept what is needed)', () => {
    const defined = new Set([...css.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]));
    const used = new Set([...css.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1]!));
    // referenced by KRDS 1.1.0 itself but defined nowhere in the package
    const krdsGaps = new Set(['--krds-pc-gap-layout-breadcrumb-h2', '--krds-mobile-gap-layout-breadcrumb-h2', '--krds-light-alpha-black0']);
    const missing = [...used].filter((v) => !defined.has(v) && !krdsGaps.has(v));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(100);
  });

  it('points every url() at a file this server serves', async () => {
    const urls = [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]!.replace(/['"]/g, ''));
    expect(urls.length).toBeGreaterThan(3);
    for (const u of new Set(urls)) {
      expect(u, u).toMatch(/^\/static\/[\w.-]+\.[0-9a-f]{12}\.(svg|woff2)$/);
      const res = await t.app.inject({ url: u });
      expect(res.statusCode, u).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('is compressed for clients that accept gzip', async () => {
    const res = await t.app.inject({ url: cssUrl, headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(css) / 4);
    expect(gunzipSync(res.rawPayload).toString('utf8')).toBe(css);
  });
});

describe('fonts and other static files', () => {
  it('serves the PretendardGOV woff2 subsets declared by @font-face', async () => {
    const faces = [...css.matchAll(/@font-face\{font-family:"Pretendard GOV";[^}]*font-weight:(\d+);[^}]*src:url\(([^)]+)\)/g)];
    expect(faces.map((f) => f[1])).toEqual(['400', '500', '700']);
    const res = await t.app.inject({ url: faces[0]![2]!, headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('font/woff2');
    // woff2 is already compressed; compressing it again would only cost CPU
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.subarray(0, 4).toString('latin1')).toBe('wOF2');
  });

  it('answers 404 for names it does not know, including stale stylesheet hashes', async () => {
    for (const u of ['/static/hanaro.0000000000000000.css', '/static/PretendardGOV-Regular.subset.woff2', '/static/..%2Fpackage.json']) {
      const res = await t.app.inject({ url: u });
      expect(res.statusCode, u).toBe(404);
    }
  });
});

describe('stylesheet cache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hanaro-css-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds once, then reads the same bytes back from disk on the next start', async () => {
    const input = { pages: samplePages() };
    const events: boolean[] = [];
    await writeFile(path.join(dir, 'hanaro.0123456789abcdef.css'), 'stale');
    const first = createStylesheet(input, assetManifest(), { cacheDir: dir, onBuilt: (i) => events.push(i.cached) });
    const built = await first.content();
    expect(await readdir(dir)).toEqual([first.name]);

    const second = createStylesheet(input, assetManifest(), { cacheDir: dir, onBuilt: (i) => events.push(i.cached) });
    expect(second.name).toBe(first.name);
    expect((await second.content()).equals(built)).toBe(true);
    expect(events).toEqual([false, true]);
  });

  it('still serves the stylesheet when the cache folder cannot be used', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const errors: Array<string | undefined> = [];
    const s = createStylesheet({ pages: samplePages() }, assetManifest(), { cacheDir: path.join(blocker, 'css'), onBuilt: (i) => errors.push(i.cacheError) });
    expect((await s.content()).length).toBeGreaterThan(20_000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/ENOTDIR|EEXIST/);
  });

  it('is named by its inputs: the same pages give the same name, other pages another', () => {
    expect(stylesheetKey({ pages: samplePages() }, assetManifest())).toBe(stylesheetKey({ pages: samplePages() }, assetManifest()));
    expect(stylesheetKey({ pages: ['<p class="x">'] }, assetManifest())).not.toBe(stylesheetKey({ pages: samplePages() }, assetManifest()));
  });
});
