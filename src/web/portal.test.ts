import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { testApp, testPlatform, type TestPlatform } from '../platform/testing.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const html = { accept: 'text/html,application/xhtml+xml' };
const get = (url: string, headers: Record<string, string> = {}, cookies?: Record<string, string>) =>
  t.app.inject({ url, headers: { ...html, ...headers }, cookies });

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

/** What every page of the shell must have, whatever its content. */
function expectShell(body: string, lang: 'ko' | 'en') {
  expect(body.startsWith('<!doctype html>')).toBe(true);
  expect(body).toMatch(new RegExp(`<html lang="${lang}"`));
  expect(count(body, /<h1[\s>]/g)).toBe(1);
  expect(count(body, /<main[\s>]/g)).toBe(1);
  // the skip link is the first link on the page and points at <main id="main">
  expect(body.match(/<a [^>]*href="([^"]*)"/)?.[1]).toBe('#main');
  expect(body).toContain('id="main"');
  expect(body).toContain(lang === 'ko' ? '이 누리집은 대한민국 공식 전자정부 누리집입니다' : 'This is an official website of the Republic of Korea');
  expect(body).toMatch(/<link rel="stylesheet" href="\/static\/hanaro\.[0-9a-f]{16}\.css"/);
  // CSP allows no inline script, style or handler: nothing of the kind may be needed
  expect(body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
  // language switcher: both languages, each link marked with its own language
  expect(body).toMatch(/<a href="[^"]*lang=en"[^>]*lang="en"[^>]*>English<\/a>/);
  expect(body).toMatch(/<a href="[^"]*lang=ko"[^>]*lang="ko"[^>]*>한국어<\/a>/);
  expect(body).toMatch(new RegExp(`lang="${lang}"[^>]*aria-current="true"`));
}

describe('home page', () => {
  it('is Korean by default and shows only what exists', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe('ko');
    expectShell(res.body, 'ko');
    expect(res.body).toContain('<title>하나로에 오신 것을 환영합니다 | 하나로</title>');
    for (const href of ['/docs', '/openapi.json', '/readyz', '/about']) expect(res.body).toContain(`href="${href}"`);
    expect(res.body).toContain('민원 서비스는 아직 없습니다');
    expect(res.body).toContain('aria-current="page">처음으로</a>');
  });

  it('is English with ?lang=en, and remembers the choice in a cookie', async () => {
    const res = await get('/?lang=en');
    expect(res.statusCode).toBe(200);
    expectShell(res.body, 'en');
    expect(res.body).toContain('<title>Welcome to Hanaro | Hanaro</title>');
    const langCookie = res.cookies.find((c) => c.name === 'lang');
    expect(langCookie).toMatchObject({ value: 'en', path: '/' });

    const next = await get('/', {}, { lang: 'en' });
    expect(next.body).toMatch(/<html lang="en"/);
  });

  it('follows Accept-Language when nothing else is chosen', async () => {
    const res = await get('/', { 'accept-language': 'en-GB,en;q=0.9,ko;q=0.5' });
    expect(res.body).toMatch(/<html lang="en"/);
  });

  it('keeps the page when switching language', async () => {
    const res = await get('/about');
    expect(res.body).toContain('href="/about?lang=en"');
  });

  it('carries no form that posts, so reading pages issues no CSRF token or cookie; no shared cache may keep them', async () => {
    for (const url of ['/', '/about', '/docs', '/?lang=en&contrast=high', '/no-such-page']) {
      const res = await get(url);
      // the one form is the assistant's box, a GET that needs no token
      expect(res.body.replace(/<form method="get" action="\/assistant"[\s\S]*?<\/form>/, ''), url).not.toMatch(/<form|name="_csrf"/);
      expect(res.cookies.map((c) => c.name), url).not.toContain('hanaro-csrf');
      expect([res.headers['set-cookie'] ?? []].flat().join('\n'), url).not.toMatch(/csrf/i);
      if (res.statusCode === 200) expect(res.headers['cache-control'], url).toBe('private, no-cache');
    }
    // the settings page is the one with a form: it issues both
    const prefs = await get('/preferences');
    expect(prefs.body).toMatch(/name="_csrf" value="[^"]{20,}"/);
    expect(prefs.cookies.some((c) => c.name === 'hanaro-csrf')).toBe(true);
  });

  it('switches KRDS to its high-contrast mode from the cookie, with a plain link to switch back', async () => {
    const normal = await get('/');
    expect(normal.body).not.toContain('data-krds-mode');
    expect(normal.body).toContain('<a class="krds-btn small text hn-contrast" href="/?contrast=high">고대비 모드 켜기</a>');
    const high = await get('/', {}, { contrast: 'high' });
    expect(high.body).toMatch(/<html lang="ko" data-krds-mode="high-contrast"/);
    expect(high.body).toContain('<a class="krds-btn small text hn-contrast" href="/?contrast=normal">고대비 모드 끄기</a>');
  });
});

describe('about page', () => {
  it('exists in both languages', async () => {
    const ko = await get('/about');
    expect(ko.statusCode).toBe(200);
    expectShell(ko.body, 'ko');
    expect(ko.body).toContain('<h1 class="hn-title">하나로 소개</h1>');
    const en = await get('/about?lang=en');
    expectShell(en.body, 'en');
    expect(en.body).toContain('<h1 class="hn-title">About Hanaro</h1>');
    expect(en.body).toMatch(/aria-current="page"/);
  });
});

describe('error pages for browsers', () => {
  it('renders 404 in Korean with the layout, code and request number', async () => {
    const res = await get('/no-such-page', { 'x-request-id': 'test-req-404-ko' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expectShell(res.body, 'ko');
    expect(res.body).toContain('<h1 class="hn-title">요청하신 페이지나 자원을 찾을 수 없습니다</h1>');
    expect(res.body).toContain('<code>not_found</code>');
    expect(res.body).toContain('<code>test-req-404-ko</code>');
    expect(res.body).toContain('<a href="/" class="krds-btn primary large">첫 화면으로 가기</a>');
    // Asia/Seoul date in Korean
    expect(res.body).toMatch(/<time dateTime="[^"]+">\d{4}년 \d{1,2}월 \d{1,2}일/i);
    // the same contrast link as every page
    expect(res.body).toContain('href="/no-such-page?contrast=high">고대비 모드 켜기</a>');
  });

  it('renders 404 in English', async () => {
    const res = await get('/no-such-page?lang=en');
    expect(res.statusCode).toBe(404);
    expectShell(res.body, 'en');
    expect(res.body).toContain('The page or resource was not found');
    expect(res.body).toContain('Go to the home page');
    expect(res.body).toContain('href="/no-such-page?lang=ko"');
  });

  it('keeps problem+json for API clients', async () => {
    const res = await t.app.inject({ url: '/no-such-page', headers: { accept: 'application/json' } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('500 page', () => {
  let platform: TestPlatform;
  let app: FastifyInstance;
  beforeAll(async () => {
    platform = await testPlatform();
    app = await buildApp(platform, { modules: [] });
    app.get('/boom', async () => {
      throw new Error('database password is hunter2 at /srv/secret.ts:42');
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await platform.dispose();
  });

  it('shows a generic message and the request number, never the internals', async () => {
    for (const lang of ['ko', 'en'] as const) {
      const res = await app.inject({ url: `/boom?lang=${lang}`, headers: { ...html, 'x-request-id': `boom-request-${lang}` } });
      expect(res.statusCode).toBe(500);
      expectShell(res.body, lang);
      expect(res.body).not.toMatch(/hunter2|secret\.ts|Error:|\(\S+:\d+:\d+\)/);
      expect(res.body).toContain('<code>internal_error</code>');
      expect(res.body).toContain(`<code>boom-request-${lang}</code>`);
      expect(res.body).toContain(lang === 'ko' ? '일시적인 오류가 발생했습니다' : 'Something went wrong on our side');
    }
  });
});
