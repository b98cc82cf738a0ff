import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../platform/testing.ts';
import { safeReturn } from './context.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const html = { accept: 'text/html' };

/** A page visit as a browser makes it: the form token and the signed secret cookie that goes with it. */
async function formToken(url = '/') {
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
    const { token, cookies } = await formToken('/about');
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
