import { Counter, Gauge, type Registry } from 'prom-client';
import { isLang } from '../platform/i18n.ts';
import { encodeAsync, MIN_COMPRESS_BYTES, pickEncoding, STATIC_PREFERENCE, type Encoding } from './compress.ts';
import { CONTRAST_PARAM, isContrast, type PageContext } from './context.ts';

// Pages without a form are a pure function of (route, language, contrast, demo flag, URL): they
// carry no token, no time and nothing about the visitor. Such a page is rendered and compressed
// once per app and then served from memory. Only the headers (cookies, CSP nonce, request id)
// are made per answer, by the hooks, as for any other answer.

/** Brotli for kept pages: made once, so at its best quality. */
export const KEPT_BROTLI_QUALITY = 11;

/** One page as sent: its UTF-8 bytes and, made on first demand and then kept, its compressed copies. */
export class CachedPage {
  readonly key: string;
  readonly body: Buffer;
  readonly #copies: Partial<Record<Encoding, Buffer>> = {};
  readonly #making: Partial<Record<Encoding, Promise<Buffer>>> = {};
  readonly #grew: (page: CachedPage, bytes: number) => void;

  constructor(key: string, html: string, grew: (page: CachedPage, bytes: number) => void = () => {}) {
    this.key = key;
    this.body = Buffer.from(html, 'utf8');
    this.#grew = grew;
  }

  /** The memory it holds: the page and the copies made so far. */
  get bytes(): number {
    return this.body.length + (this.#copies.br?.length ?? 0) + (this.#copies.gzip?.length ?? 0);
  }

  /**
   * The copy in `encoding`, made in the thread pool the first time it is asked for (brotli at
   * quality 11 takes seconds on a page of a megabyte or two) and kept.
   */
  copy(encoding: Encoding): Promise<Buffer> {
    const made = this.#copies[encoding];
    if (made) return Promise.resolve(made);
    let making = this.#making[encoding];
    if (!making) {
      making = encodeAsync(this.body, encoding, KEPT_BROTLI_QUALITY).then(
        (buf) => {
          this.#copies[encoding] = buf;
          delete this.#making[encoding];
          this.#grew(this, buf.length);
          return buf;
        },
        (err: unknown) => {
          delete this.#making[encoding]; // the next request tries again
          throw err;
        },
      );
      // started here for later answers even when this one does not wait for it
      making.catch(() => {});
      this.#making[encoding] = making;
    }
    return making;
  }

  /**
   * What to send for this Accept-Encoding: brotli when the client takes it, else gzip, else the
   * page itself (and the page itself below the size where compressing pays). While the brotli
   * copy is still being made, a client that also takes gzip gets gzip rather than waiting.
   */
  answer(acceptEncoding: string | string[] | undefined): { encoding?: Encoding; body: Buffer | Promise<Buffer> } {
    if (this.body.length < MIN_COMPRESS_BYTES) return { body: this.body };
    const best = pickEncoding(acceptEncoding, STATIC_PREFERENCE);
    if (!best) return { body: this.body };
    const ready = this.#copies[best];
    if (ready) return { encoding: best, body: ready };
    const wanted = this.copy(best);
    if (best === 'br' && pickEncoding(acceptEncoding, ['gzip'])) {
      return { encoding: 'gzip', body: this.#copies.gzip ?? this.copy('gzip') };
    }
    return { encoding: best, body: wanted };
  }
}

export interface PageCacheOptions {
  /** At most this many pages (default 500). */
  maxEntries?: number;
  /** At most this many bytes of pages and their copies (default 64 MiB); a larger page is not kept. */
  maxBytes?: number;
}

/** Rendered pages by key, least recently used first out, bounded in count and bytes. One per app. */
export class PageCache {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly #pages = new Map<string, CachedPage>();
  #bytes = 0;

  constructor(opts: PageCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 500;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  /** How many pages are kept. */
  get size(): number {
    return this.#pages.size;
  }

  /** The bytes held by the kept pages and their compressed copies. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The page kept under `key`, now the most recently used. */
  get(key: string): CachedPage | undefined {
    const page = this.#pages.get(key);
    if (page) {
      this.#pages.delete(key);
      this.#pages.set(key, page);
    }
    return page;
  }

  /** Keeps `html` under `key`, unless it alone is over the byte limit (then: undefined, send it as it is). */
  set(key: string, html: string): CachedPage | undefined {
    const page = new CachedPage(key, html, (p, bytes) => {
      if (this.#pages.get(p.key) !== p) return; // left the cache while its copy was being made
      this.#bytes += bytes;
      this.#trim();
    });
    if (page.bytes > this.maxBytes) return undefined;
    this.#remove(key);
    this.#pages.set(key, page);
    this.#bytes += page.bytes;
    this.#trim();
    return page;
  }

  clear(): void {
    this.#pages.clear();
    this.#bytes = 0;
  }

  #remove(key: string): void {
    const old = this.#pages.get(key);
    if (old) {
      this.#pages.delete(key);
      this.#bytes -= old.bytes;
    }
  }

  #trim(): void {
    for (const key of this.#pages.keys()) {
      if (this.#pages.size <= this.maxEntries && this.#bytes <= this.maxBytes) return;
      this.#remove(key);
    }
  }
}

/** Everything a page without a form depends on: which page, language, contrast, demo banner, URL. */
export function pageKey(id: string, ctx: Pick<PageContext, 'lang' | 'contrast' | 'demo' | 'url'>): string {
  return `${id}\n${ctx.lang}\n${ctx.contrast}\n${ctx.demo ? 'demo' : ''}\n${ctx.url}`;
}

/**
 * Whether the page at `url` (path and query) may be kept. Its path must be the route's own, not
 * another spelling such as a trailing slash (a route with parameters is kept per path; the
 * cache's bounds hold those), and its query may only hold `lang` and `contrast`, with valid
 * values, once each and spelled as URLSearchParams writes them. So a page has a dozen keepable
 * URLs at most, and random query strings can neither fill the cache nor push useful pages out.
 */
export function keepable(url: string, route: string | undefined): boolean {
  if (route === undefined) return false;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!route.includes(':') && !route.includes('*') && path !== route) return false;
  if (q < 0) return true;
  const query = url.slice(q + 1);
  if (query === '') return false;
  const params = new URLSearchParams(query);
  const seen = new Set<string>();
  for (const [name, value] of params) {
    if (seen.has(name)) return false;
    seen.add(name);
    const valid = name === 'lang' ? isLang(value) : name === CONTRAST_PARAM ? isContrast(value) : false;
    if (!valid) return false;
  }
  return params.toString() === query;
}

/**
 * The cache's size and use on /metrics: `hanaro_page_cache_entries`, `hanaro_page_cache_bytes`, and
 * `hanaro_page_cache_requests_total` by result, whose counters are returned for the portal to count.
 */
export function pageCacheMetrics(cache: PageCache, registry: Registry) {
  const requests = new Counter({
    name: 'hanaro_page_cache_requests_total',
    help: 'Portal pages asked of the page cache: hit (kept), miss (rendered and kept), skip (URL or page not kept)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'hanaro_page_cache_entries',
    help: 'Pages kept by the page cache',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: 'hanaro_page_cache_bytes',
    help: 'Bytes held by the page cache (pages and their compressed copies)',
    registers: [registry],
    collect() {
      this.set(cache.bytes);
    },
  });
  return { hit: requests.labels('hit'), miss: requests.labels('miss'), skip: requests.labels('skip') };
}
