import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../platform/testing.ts';
import { safeReturn } from './context.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const html = { accept: 'text/html' };

/** A visit to the settings page as a browser makes it: the form token and the signed secret cookie that goes with it. */
async function formToken(url = '/preferences') {
  const page = await t.app.inject({ url, headers: html });
  const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
  const secret = page.cookies.find((c) => c.name === 'hanaro-csrf');
  expect(token).toBeTruthy();
  expect(secret).toBeTruthy();
  return { token: token!, cookies: { 'hanaro-csrf': secret!.value } };
}

function post(form: Record<string, string>, cookies: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/preferences',
    headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
    cookies,
    payload: new URLSearchParams(form).toString(),
  });
}

describe('POST /preferences', () => {
  it('refuses a form without a CSRF token', async () => {
    const res = await post({ contrast: 'high', return: '/about' });
    expect(res.statusCode).toBe(403);
    expect(res.cookies.find((c) => c.name === 'contrast')).toBeUndefined();
    expect(res.body).toContain('보안 토큰');
  });

  it('refuses a token that does not belong to the secret cookie', async () => {
    const { token } = await formToken();
    const other = await formToken();
    const res = await post({ contrast: 'high', _csrf: token }, other.cookies);
    expect(res.statusCode).toBe(403);
  });

  it('with a token, sets the contrast cookie and sends the browser back (303)', async () => {
    const { token, cookies } = await formToken('/preferences?return=%2Fabout%3Fx%3D1');
    const res = await post({ contrast: 'high', return: '/about?x=1', _csrf: token }, cookies);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/about?x=1');
    const contrast = res.cookies.find((c) => c.name === 'contrast');
    expect(contrast).toMatchObject({ value: 'high', path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(contrast!.maxAge).toBeGreaterThan(86400 * 300);

    const after = await t.app.inject({ url: '/about?x=1', headers: html, cookies: { contrast: 'high' } });
    expect(after.body).toMatch(/<html lang="ko" data-krds-mode="high-contrast"/);
  });

  it('clears the cookie for normal contrast', async () => {
    const { token, cookies } = await formToken();
    const res = await post({ contrast: 'normal', return: '/', _csrf: token }, { ...cookies, contrast: 'high' });
    expect(res.statusCode).toBe(303);
    const cleared = res.cookies.find((c) => c.name === 'contrast');
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime()).toBeLessThan(Date.now());
  });

  it('sets the language and drops a ?lang= from the way back that would override it', async () => {
    const { token, cookies } = await formToken();
    const res = await post({ lang: 'en', return: '/about?lang=ko&a=b', _csrf: token }, cookies);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/about?a=b');
    expect(res.cookies.find((c) => c.name === 'lang')?.value).toBe('en');
  });

  it('never redirects off the site', async () => {
    for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '\\\\evil.example', '/\t/evil.example', 'javascript:alert(1)', 'evil']) {
      const { token, cookies } = await formToken();
      const res = await post({ contrast: 'high', return: evil, _csrf: token }, cookies);
      expect(res.statusCode, evil).toBe(303);
      expect(res.headers.location, evil).toBe('/');
    }
  });

  it('takes form posts only, so that a JSON body cannot skip the CSRF check', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/preferences',
      headers: { 'content-type': 'application/json' },
      payload: { contrast: 'high', return: '/' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.cookies.find((c) => c.name === 'contrast')).toBeUndefined();
  });

  it('rejects values outside the form', async () => {
    const { token, cookies } = await formToken();
    const res = await post({ contrast: 'purple', _csrf: token }, cookies);
    expect(res.statusCode).toBe(400);
    expect(res.cookies.find((c) => c.name === 'contrast')).toBeUndefined();
  });
});

describe('GET /preferences', () => {
  it('renders the settings form with the current choices checked and a safe way back', async () => {
    const res = await t.app.inject({ url: '/preferences?return=//evil.example', headers: html, cookies: { contrast: 'high' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/name="_csrf" value="[^"]{20,}"/);
    expect(res.body).toContain('<input type="hidden" name="return" value="/"/>');
    expect(res.body).toMatch(/id="contrast-high" value="high" checked/);
    expect(res.body).not.toMatch(/id="contrast-normal" value="normal" checked/);
    expect(res.body).toMatch(/id="lang-ko" value="ko" checked/);
    expect(res.body).toContain('<label for="lang-en" lang="en">English</label>');
  });
});

describe('?contrast= (the header link)', () => {
  const contrastCookie = (res: { cookies: Array<{ name: string }> }) => res.cookies.find((c) => c.name === 'contrast') as
    | { name: string; value: string; path?: string; httpOnly?: boolean; sameSite?: string; maxAge?: number; expires?: Date }
    | undefined;

  it('sets the cookie as the form does, and the same answer is already in high contrast', async () => {
    const res = await t.app.inject({ url: '/about?contrast=high', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<html lang="ko" data-krds-mode="high-contrast"/);
    expect(contrastCookie(res)).toMatchObject({ value: 'high', path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(contrastCookie(res)!.maxAge).toBeGreaterThan(86400 * 300);
    // the way back: the same page with contrast=normal in place of contrast=high
    expect(res.body).toContain('<a class="krds-btn small text hn-contrast" href="/about?contrast=normal">고대비 모드 끄기</a>');

    const again = await t.app.inject({ url: '/about?contrast=high', headers: html, cookies: { contrast: 'high' } });
    expect(contrastCookie(again)).toBeUndefined(); // already remembered
  });

  it('clears the cookie with contrast=normal, and the same answer is already normal', async () => {
    const res = await t.app.inject({ url: '/?contrast=normal', headers: html, cookies: { contrast: 'high' } });
    expect(res.body).not.toContain('data-krds-mode');
    expect(res.body).toContain('고대비 모드 켜기');
    const cleared = contrastCookie(res);
    expect(cleared).toMatchObject({ value: '', path: '/', httpOnly: true, sameSite: 'Lax' });
    expect(cleared?.expires?.getTime()).toBeLessThan(Date.now());

    const none = await t.app.inject({ url: '/?contrast=normal', headers: html });
    expect(contrastCookie(none)).toBeUndefined(); // nothing to clear
  });

  it('ignores values it does not know, and keeps the cookie', async () => {
    for (const q of ['contrast=purple', 'contrast=HIGH', 'contrast=', 'contrast=high&contrast=normal', 'contrast[]=high']) {
      const plain = await t.app.inject({ url: `/about?${q}`, headers: html });
      expect(plain.statusCode, q).toBe(200);
      expect(contrastCookie(plain), q).toBeUndefined();
      expect(plain.body, q).not.toContain('data-krds-mode');
      const high = await t.app.inject({ url: `/about?${q}`, headers: html, cookies: { contrast: 'high' } });
      expect(contrastCookie(high), q).toBeUndefined();
      expect(high.body, q).toContain('data-krds-mode="high-contrast"');
    }
  });

  it('works on every portal page: the settings page, the API reference, and error pages show it', async () => {
    const prefs = await t.app.inject({ url: '/preferences?contrast=high', headers: html });
    expect(prefs.body).toMatch(/id="contrast-high" value="high" checked/);
    expect(contrastCookie(prefs)?.value).toBe('high');
    const docs = await t.app.inject({ url: '/docs?lang=en&contrast=high', headers: html });
    expect(docs.body).toMatch(/<html lang="en" data-krds-mode="high-contrast"/);
    expect(docs.body).toContain('href="/docs?lang=en&amp;contrast=normal">Turn off high contrast</a>');
    // the not-found handler is the platform's, outside the portal: shown, though not remembered there
    const missing = await t.app.inject({ url: '/no-such-page?contrast=high', headers: html });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toMatch(/data-krds-mode="high-contrast"/);
    expect(missing.body).toContain('href="/no-such-page?contrast=normal"');
  });

  it('the header link keeps the other query parameters and replaces its own', async () => {
    const res = await t.app.inject({ url: '/about?contrast=normal&lang=en&x=1', headers: html, cookies: { contrast: 'high' } });
    expect(res.body).toContain('href="/about?contrast=high&amp;lang=en&amp;x=1">Turn on high contrast</a>');
    // the language links keep the contrast, so they work without cookies too; <head> alternates name the page only
    expect(res.body).toContain('href="/about?contrast=normal&amp;lang=ko&amp;x=1"');
    expect(res.body).toContain('<link rel="alternate" hreflang="ko" href="/about?lang=ko&amp;x=1"/>');
  });
});

describe('safeReturn', () => {
  it('keeps paths on this site and refuses everything else', () => {
    expect(safeReturn('/about')).toBe('/about');
    expect(safeReturn('/about?lang=en#top')).toBe('/about?lang=en#top');
    expect(safeReturn('/a/../b')).toBe('/b');
    for (const bad of [undefined, 42, '', 'about', '//evil.example', '/\\evil.example', 'https://evil.example', '/\nLocation: x', '/%0d%0a'.replace('%0d%0a', '\r\n')]) {
      expect(safeReturn(bad), String(bad)).toBe('/');
    }
  });
});
