import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isLang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { pageContext, sendPrivatePage } from '../../web/context.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { renderWallet, walletText } from './pages.tsx';

/**
 * The web wallet's routes: the page, its island (wallet.client.ts with the holder code and the
 * libraries it uses, bundled by esbuild on first request and kept in memory), the service worker
 * and the web app manifest that make it an installable app that opens offline.
 */
const SW_JS = readFileSync(new URL('./sw.client.js', import.meta.url));

let bundle: Promise<Buffer> | undefined;
function walletBundle(): Promise<Buffer> {
  bundle ??= (async () => {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [fileURLToPath(new URL('./wallet.client.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      legalComments: 'none',
    });
    return Buffer.from(out.outputFiles[0]!.contents);
  })();
  bundle.catch(() => {
    bundle = undefined;
  });
  return bundle;
}

export async function walletRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const demo = platform.config.mode === 'demo';

  // the page: the same for everyone (the documents are in the browser), talking to issuers and verifiers anywhere
  app.get('/wallet', { schema: { hide: true }, config: { connectAnywhere: true } }, async (req, reply) => {
    const ctx = pageContext(req, { assets, demo });
    return sendPrivatePage(reply, ctx.lang, renderWallet(ctx));
  });
  app.get('/wallet/wallet.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(await walletBundle()),
  );
  // the worker fetches the wallet's own files: its script's policy must let it
  app.get('/wallet/sw.js', { schema: { hide: true }, config: { csp: "default-src 'none'; connect-src 'self'" } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').header('service-worker-allowed', '/wallet').send(SW_JS),
  );
  app.get('/wallet/manifest.webmanifest', { schema: { hide: true, querystring: z.looseObject({ lang: z.string().max(5).optional() }) } }, async (req, reply) => {
    const q = (req.query as { lang?: string }).lang;
    const lang = isLang(q) ? q : req.lang;
    return reply
      .type('application/manifest+json')
      .header('cache-control', 'public, max-age=3600')
      .send({
        id: '/wallet',
        name: `${walletText(lang, 'title')} | Hanaro`,
        short_name: walletText(lang, 'title'),
        description: walletText(lang, 'lead'),
        lang,
        start_url: '/wallet',
        scope: '/wallet',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b50d0',
        icons: [{ src: assets.favicon, sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      });
  });
}
