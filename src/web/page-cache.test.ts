import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../platform/testing.ts';
import { keepable, PageCache, pageKey } from './page-cache.ts';

const big = (mark: string) => `<!doctype html><p>${mark}</p>${'<p>하나로 page cache</p>'.repeat(200)}`;

describe('PageCache', () => {
  it('drops the least recently used page beyond its entry limit', () => {
    const cache = new PageCache({ maxEntries: 2 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('a')?.body.toString()).toBe('A'); // a is now the most recently used
    cache.set('c', 'C');
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.body.toString()).toBe('A');
    expect(cache.get('c')?.body.toString()).toBe('C');
  });

  it('counts the bytes of pages and of their compressed copies, and keeps under its byte limit', async () => {
    const cache = new PageCache({ maxBytes: 8_000 }); // one page (about 6 KB) with its copies, not two
    const a = cache.set('a', big('a'))!;
    expect(cache.bytes).toBe(a.body.length);
    const gz = await a.copy('gzip');
    const br = await a.copy('br');
    expect(gz.length).toBeLessThan(a.body.length / 4);
    expect(cache.bytes).toBe(a.body.length + gz.length + br.length);
    // a second page does not fit beside the first: the older one goes
    cache.set('b', big('b'));
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.bytes).toBe(cache.get('b')!.body.length);
    // a page larger than the whole cache is not kept at all
    expect(cache.set('huge', 'x'.repeat(30_000))).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('a page that leaves the cache while its copy is made does not count against it', async () => {
    const cache = new PageCache({ maxEntries: 1 });
    const a = cache.set('a', big('a'))!;
    const making = a.copy('br');
    cache.set('b', big('b'));
    await making;
    expect(cache.bytes).toBe(cache.get('b')!.body.length);
  });

  it('answers brotli first, gzip while the brotli copy is being made, nothing for small pages', async () => {
    const cache = new PageCache();
    const page = cache.set('p', big('p'))!;
    const html = page.body.toString();
    const first = page.answer('gzip, deflate, br, zstd');
    expect(first.encoding).toBe('gzip');
    expect(gunzipSync(await first.body).toString()).toBe(html);
    const onlyBr = page.answer('br');
    expect(onlyBr.encoding).toBe('br');
    expect(brotliDecompressSync(await onlyBr.body).toString()).toBe(html);
    const later = page.answer('gzip, deflate, br, zstd');
    expect(later.encoding).toBe('br');
    expect(Buffer.isBuffer(later.body)).toBe(true); // made once, now served as it is
    expect(page.answer('gzip;q=0, br;q=0').encoding).toBeUndefined();
    expect(page.answer(undefined).body).toBe(page.body);
    expect(cache.set('small', '<p>short</p>')!.answer('br').encoding).toBeUndefined();
  });
});

describe('keepable', () => {
  it('keeps the route’s own path with at most lang and contrast, valid and once each', () => {
    for (const url of ['/', '/?lang=en', '/?contrast=high', '/?lang=ko&contrast=normal', '/?contrast=high&lang=en']) {
      expect(keepable(url, '/'), url).toBe(true);
    }
    for (const url of ['/?x=1', '/?lang=fr', '/?lang=en&lang=en', '/?contrast=purple', '/?lang=en&', '/?&lang=en', '/?', '/?lang=e%6E', '/?lang=en&x=1', '/?utm_source=a']) {
      expect(keepable(url, '/'), url).toBe(false);
    }
    expect(keepable('/about', '/about')).toBe(true);
    expect(keepable('/about/', '/about')).toBe(false);
    expect(keepable('/about', undefined)).toBe(false);
    // a route with parameters is kept per path (the cache's bounds hold those)
    expect(keepable('/items/42?lang=en', '/items/:id')).toBe(true);
    expect(keepable('/items/42?page=2', '/items/:id')).toBe(false);
  });

  it('keys on every input of the page', () => {
    const base = { lang: 'ko', contrast: 'normal', demo: false, url: '/' } as const;
    const keys = new Set([
      pageKey('home', base),
      pageKey('about', base),
      pageKey('home', { ...base, lang: 'en' }),
      pageKey('home', { ...base, contrast: 'high' }),
      pageKey('home', { ...base, demo: true }),
      pageKey('home', { ...base, url: '/?lang=ko' }),
    ]);
    expect(keys.size).toBe(6);
  });
});

describe('the portal’s page cache', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  const html = { accept: 'text/html' };
  const get = (url: string, headers: Record<string, string> = {}, cookies?: Record<string, string>) =>
    t.app.inject({ url, headers: { ...html, ...headers }, cookies });
  async function metric(name: string, result?: string): Promise<number> {
    const values = (await t.app.metrics.getSingleMetric(name)!.get()).values;
    return values.find((v) => result === undefined || v.labels.result === result)?.value ?? 0;
  }
  const entries = () => metric('hanaro_page_cache_entries');

  it('serves the same bytes for the same page, from memory after the first time', async () => {
    const misses = await metric('hanaro_page_cache_requests_total', 'miss');
    const hits = await metric('hanaro_page_cache_requests_total', 'hit');
    const first = await get('/about?lang=en');
    const second = await get('/about?lang=en');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(await metric('hanaro_page_cache_requests_total', 'miss')).toBe(misses + 1);
    expect(await metric('hanaro_page_cache_requests_total', 'hit')).toBe(hits + 1);
    // headers are still made per answer: the language cookie of ?lang=, the policy, the request id
    for (const res of [first, second]) {
      expect(res.cookies.find((c) => c.name === 'lang')?.value).toBe('en');
      expect(res.headers).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'private, no-cache',
        vary: 'Cookie, Accept-Language, Accept-Encoding',
        'content-language': 'en',
      });
    }
    // the policy's nonce is new per answer, and the kept page needs none: nothing inline
    expect(second.headers['content-security-policy']).toMatch(/nonce-/);
    expect(second.headers['content-security-policy']).not.toBe(first.headers['content-security-policy']);
    expect(second.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=|nonce/i);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('keeps a page per language and contrast, whichever way they are chosen', async () => {
    const variants = [
      await get('/'),
      await get('/', {}, { lang: 'en' }),
      await get('/', { 'accept-language': 'en' }),
      await get('/', {}, { contrast: 'high' }),
      await get('/', {}, { lang: 'en', contrast: 'high' }),
    ];
    expect(variants.map((v) => v.headers['content-language'])).toEqual(['ko', 'en', 'en', 'ko', 'en']);
    expect(variants.map((v) => /data-krds-mode="high-contrast"/.test(v.body))).toEqual([false, false, false, true, true]);
    // a visitor's choice is never served to another: asked again, each gets its own page back
    expect((await get('/')).body).toBe(variants[0]!.body);
    expect((await get('/', {}, { contrast: 'high' })).body).toBe(variants[3]!.body);
    expect(new Set(variants.map((v) => v.body)).size).toBe(4); // cookie and Accept-Language give the same English page
    // the ?contrast= that sets the cookie is a page of its own URL, and still sets the cookie from the cache
    for (let i = 0; i < 2; i++) {
      const res = await get('/?contrast=high');
      expect(res.body).toMatch(/data-krds-mode="high-contrast"/);
      expect(res.cookies.find((c) => c.name === 'contrast')?.value).toBe('high');
    }
  });

  it('does not grow for random query strings, and they do not push kept pages out', async () => {
    await get('/docs');
    const before = await entries();
    const hits = await metric('hanaro_page_cache_requests_total', 'hit');
    for (let i = 0; i < 40; i++) {
      const r = randomBytes(6).toString('hex');
      for (const url of [`/?q=${r}`, `/about?lang=${r}`, `/docs?contrast=${r}`, `/?lang=en&utm=${r}`, `/about/?${r}`]) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(200);
      }
    }
    expect(await entries()).toBe(before);
    await get('/docs');
    expect(await metric('hanaro_page_cache_requests_total', 'hit')).toBe(hits + 1);
    // what random URLs get is still the right page, rendered for them alone
    const odd = await get('/?q=1');
    expect(odd.body).toContain('<a class="krds-btn small text hn-contrast" href="/?q=1&amp;contrast=high">');
  });

  it('sends brotli first; compressed copies decode to the page sent uncompressed', async () => {
    for (const url of ['/', '/about?contrast=high', '/docs?lang=en']) {
      const plain = await get(url);
      expect(plain.headers['content-encoding'], url).toBeUndefined();
      const gz = await get(url, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding'], url).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).toString('utf8'), url).toBe(plain.body);
      const br = await get(url, { 'accept-encoding': 'br' });
      expect(br.headers['content-encoding'], url).toBe('br');
      expect(brotliDecompressSync(br.rawPayload).toString('utf8'), url).toBe(plain.body);
      // as Chromium asks: brotli, now that it is made
      const browser = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect(browser.headers['content-encoding'], url).toBe('br');
      expect(browser.rawPayload.equals(br.rawPayload), url).toBe(true);
      expect(br.rawPayload.length, url).toBeLessThanOrEqual(gz.rawPayload.length);
    }
  });

  it('never keeps the settings page, which carries a form token', async () => {
    const before = await entries();
    const a = await get('/preferences');
    const b = await get('/preferences');
    expect(a.body).not.toBe(b.body);
    expect(await entries()).toBe(before);
  });
});
