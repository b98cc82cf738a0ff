import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, type Problem } from '../platform/errors.ts';
import type { HanaroModule } from '../platform/module.ts';
import type { Platform } from '../platform/platform.ts';
import { assetManifest, IMMUTABLE, STATIC_PREFIX } from './assets.ts';
import { encode, MIN_COMPRESS_BYTES, pickEncoding, precompressed, STATIC_PREFERENCE, type Encoding } from './compress.ts';
import { contrastOf, pageContext, requestLang, type PageContext } from './context.ts';
import { apiReference, type ApiReference } from './openapi-model.ts';
import { keepable, PageCache, pageCacheMetrics, pageKey } from './page-cache.ts';
import { renderPages } from './pages.tsx';
import { contrastFromQuery, preferencesRoutes } from './preferences.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from './shell.ts';

/** Pages differ by cookie (language, contrast, form token): no shared cache may keep them. */
function pageHeaders(reply: FastifyReply, ctx: PageContext): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'private, no-cache')
    .header('vary', 'Cookie, Accept-Language, Accept-Encoding')
    .header('content-language', ctx.lang);
}

/** A page rendered for this answer alone (it carries a form token, or its URL is not kept): gzip first. */
function sendPage(reply: FastifyReply, ctx: PageContext, html: string): FastifyReply {
  pageHeaders(reply, ctx);
  const encoding = html.length >= MIN_COMPRESS_BYTES ? pickEncoding(reply.request.headers['accept-encoding']) : undefined;
  return encoding ? reply.header('content-encoding', encoding).send(encode(html, encoding)) : reply.send(html);
}

const COMPRESSIBLE = /^(text\/|image\/svg\+xml|application\/(json|javascript))/;

/** A static file, compressed once per encoding when that helps (fonts are compressed already). */
function sendStatic(reply: FastifyReply, type: string, body: string | Buffer, copies: (e: Encoding) => Buffer): FastifyReply {
  reply.header('cache-control', IMMUTABLE).header('vary', 'Accept-Encoding').type(type);
  const encoding = COMPRESSIBLE.test(type) && Buffer.byteLength(body) >= MIN_COMPRESS_BYTES ? pickEncoding(reply.request.headers['accept-encoding'], STATIC_PREFERENCE) : undefined;
  return encoding ? reply.header('content-encoding', encoding).send(copies(encoding)) : reply.send(body);
}

/**
 * The portal shell: KRDS layout, home, about and API documentation pages, display preferences and
 * the static files (stylesheet subset, fonts, icons) under content-hashed names.
 */
export async function portal(app: FastifyInstance, opts: { platform: Platform; modules: HanaroModule[] }) {
  const { platform } = opts;
  const log = platform.log.child({ component: 'web' });
  const assets = assetManifest();
  const stylesheet = shellStylesheet(cacheDirOf(platform.config), (info) => {
    const fields = { file: stylesheet.name, bytes: info.bytes, ms: Math.round(info.ms), cached: info.cached };
    if (info.cacheError) log.warn({ ...fields, cacheError: info.cacheError }, 'stylesheet ready, but could not be cached');
    else log.info(fields, 'stylesheet ready');
  });
  const shell = shellAssets(stylesheet);
  const demo = platform.config.mode === 'demo';
  const production = platform.config.mode === 'production';
  const ctxOf = (req: FastifyRequest, form?: FastifyReply) => pageContext(req, { assets: shell, demo, form });

  // ?contrast= (the header's link) is remembered in a cookie, as the platform does for ?lang=
  app.addHook('onRequest', contrastFromQuery(production));

  // Pages without a form, rendered and compressed once per variant, for the life of this app.
  const pages = new PageCache();
  const { hit, miss, skip } = pageCacheMetrics(pages, app.metrics);

  /**
   * A page that depends on nothing but its route `id`, language, contrast, demo flag and URL:
   * served from the page cache (brotli first, made once at quality 11) when its URL may be kept,
   * rendered for this answer alone otherwise.
   */
  async function sendCached(reply: FastifyReply, ctx: PageContext, id: string, render: (ctx: PageContext) => string): Promise<FastifyReply> {
    const req = reply.request;
    if (ctx.csrfToken !== undefined || !keepable(req.url, req.routeOptions.url)) {
      skip.inc();
      return sendPage(reply, ctx, render(ctx));
    }
    const key = pageKey(id, ctx);
    let page = pages.get(key);
    if (page) hit.inc();
    else {
      const html = render(ctx);
      page = pages.set(key, html);
      if (!page) {
        skip.inc(); // larger than the whole cache
        return sendPage(reply, ctx, html);
      }
      miss.inc();
    }
    pageHeaders(reply, ctx);
    const { encoding, body } = page.answer(req.headers['accept-encoding']);
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(Buffer.isBuffer(body) ? body : await body);
  }

  let cssCopies: ((e: Encoding) => Buffer) | undefined;
  const fileCopies = new Map<string, (e: Encoding) => Buffer>();
  app.get<{ Params: { file: string } }>(
    `${STATIC_PREFIX}:file`,
    { config: { public: true }, logLevel: 'warn', schema: { hide: true } },
    async (req, reply) => {
      const { file } = req.params;
      if (file === stylesheet.name) {
        const css = await stylesheet.content();
        cssCopies ??= precompressed(css);
        return sendStatic(reply, 'text/css; charset=utf-8', css, cssCopies);
      }
      const found = assets.files.get(file);
      if (!found) throw new NotFoundError();
      let copies = fileCopies.get(file);
      if (!copies) fileCopies.set(file, (copies = precompressed(found.body)));
      return sendStatic(reply, found.type, found.body, copies);
    },
  );

  app.get('/', { schema: { hide: true } }, async (req, reply) => sendCached(reply, ctxOf(req), 'home', renderPages.home));

  app.get('/about', { schema: { hide: true } }, async (req, reply) => sendCached(reply, ctxOf(req), 'about', renderPages.about));

  // The OpenAPI document is complete only once every module's routes are registered, so it is read
  // on the first request (the app is ready by then) and kept for the life of this app.
  let reference: ApiReference | undefined;
  app.get('/docs', { schema: { hide: true } }, async (req, reply) => {
    const api = (reference ??= apiReference(app.swagger(), { baseUrl: platform.config.publicUrl, bodyLimit: platform.config.bodyLimit }));
    return sendCached(reply, ctxOf(req), 'docs', (ctx) => renderPages.docs(ctx, api));
  });

  await app.register(preferencesRoutes, { production, ctxOf, sendPage });

  // Built after the server listens rather than before: start-up stays fast, and the first
  // visitor rarely waits for it. Requests that come earlier wait for the same build.
  app.addHook('onListen', async () => {
    stylesheet.content().catch((err: unknown) => log.error({ err }, 'stylesheet build failed'));
  });
}

/**
 * The ko/en HTML error page in the full layout. It is called from the error handler, so it must not
 * throw. It carries the request number and time, so it is rendered per answer and never cached.
 */
export function renderErrorPage(problem: Problem, req: FastifyRequest): string {
  const lang = requestLang(req);
  try {
    const platform = (req.server as Partial<FastifyInstance>).platform;
    const ctx: PageContext = {
      lang,
      url: req.url,
      contrast: contrastOf(req),
      assets: shellAssets(shellStylesheet(platform ? cacheDirOf(platform.config) : undefined)),
      demo: platform?.config.mode === 'demo',
      now: new Date(),
    };
    return renderPages.error(ctx, problem);
  } catch (err) {
    req.log.error({ err }, 'error page failed to render');
    return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${problem.status}</title></head><body><main><h1>${problem.status}</h1><p><a href="/">/</a></p></main></body></html>`;
  }
}
