import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../platform/testing.ts';
import { pickEncoding, STATIC_PREFERENCE } from './compress.ts';

describe('pickEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'gzip', 'br'],
    ['gzip', 'gzip', 'gzip'],
    ['br', 'br', 'br'],
    ['br;q=0, gzip;q=0.5', 'gzip', 'gzip'],
    ['gzip;q=0, br', 'br', 'br'],
    ['gzip;q=0', undefined, undefined],
    ['identity', undefined, undefined],
    ['*', 'gzip', 'br'],
    ['br, gzip;q=0.1', 'gzip', 'br'],
    ['', undefined, undefined],
    [undefined, undefined, undefined],
  ])('%s → per answer %s, kept (files, cached pages) %s', (header, page, file) => {
    expect(pickEncoding(header)).toBe(page);
    expect(pickEncoding(header, STATIC_PREFERENCE)).toBe(file);
  });
});

describe('compressed answers', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('pages decode to the page a client without compression gets, cached or not', async () => {
    // /about is kept by the page cache; /about?x=1 is rendered per answer (its URL is not kept)
    for (const url of ['/about', '/about?x=1']) {
      const plain = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      for (const [enc, decode] of [['gzip', gunzipSync], ['br', brotliDecompressSync]] as const) {
        const res = await t.app.inject({ url, headers: { accept: 'text/html', 'accept-encoding': enc } });
        expect(res.headers['content-encoding']).toBe(enc);
        expect(res.headers.vary).toMatch(/Accept-Encoding/);
        expect(decode(res.rawPayload).toString('utf8')).toBe(plain.body);
        expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
      }
    }
  });

  it('the settings page (with a form token) is compressed per answer and prefers gzip', async () => {
    const res = await t.app.inject({ url: '/preferences', headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString('utf8')).toMatch(/name="_csrf" value="[^"]{20,}"/);
  });

  it('the stylesheet is the same bytes compressed or not', async () => {
    const home = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    const css = home.body.match(/href="(\/static\/[^"]+\.css)"/)![1]!;
    const plain = await t.app.inject({ url: css });
    const br = await t.app.inject({ url: css, headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
  });
});
