import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PlatformError } from '../platform/errors.ts';
import { LANG_COOKIE, LANGS } from '../platform/i18n.ts';
import { CONTRAST_COOKIE, safeReturn, withoutLang, type PageContext } from './context.ts';
import { renderPages } from './pages.tsx';

const YEAR = 31536000;

const PreferencesForm = z.object({
  contrast: z.enum(['high', 'normal']).optional(),
  lang: z.enum(LANGS).optional(),
  return: z.string().max(2048).optional(),
  // checked by the platform's CSRF hook before validation; listed so the schema says what is posted
  _csrf: z.string().optional(),
});

const PreferencesQuery = z.object({ return: z.string().max(2048).optional() });

export interface PreferencesOptions {
  production: boolean;
  ctxOf: (req: FastifyRequest, reply: FastifyReply) => PageContext;
  sendPage: (reply: FastifyReply, ctx: PageContext, html: string) => FastifyReply;
}

/**
 * Display preferences without JavaScript: a form posts here, a cookie remembers the choice and a
 * 303 sends the browser back to the page it came from (only ever a path on this site).
 */
export async function preferencesRoutes(app: FastifyInstance, opts: PreferencesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookie = { path: '/', sameSite: 'lax' as const, secure: opts.production, httpOnly: true };

  r.get('/preferences', { schema: { hide: true, querystring: PreferencesQuery } }, async (req, reply) => {
    const ctx = opts.ctxOf(req, reply);
    return opts.sendPage(reply, ctx, renderPages.preferences(ctx, safeReturn(req.query.return ?? '/')));
  });

  r.post('/preferences', { schema: { hide: true, body: PreferencesForm } }, async (req, reply) => {
    // The platform checks CSRF tokens on form posts only; this route takes nothing else, so a
    // JSON or text body cannot be used to change someone's settings without a token.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new PlatformError('unsupported_media_type', 415);
    }
    const { contrast, lang } = req.body;
    if (contrast === 'high') reply.setCookie(CONTRAST_COOKIE, 'high', { ...cookie, maxAge: YEAR });
    else if (contrast === 'normal') reply.clearCookie(CONTRAST_COOKIE, cookie);
    let target = safeReturn(req.body.return);
    if (lang) {
      // same attributes as the platform's ?lang= cookie, so that the two overwrite each other
      reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', maxAge: YEAR, secure: opts.production });
      target = withoutLang(target);
    }
    return reply.redirect(target, 303);
  });
}
