import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PlatformError } from '../platform/errors.ts';
import { LANG_COOKIE, LANGS } from '../platform/i18n.ts';
import { CONTRAST_COOKIE, CONTRAST_PARAM, CONTRASTS, isContrast, safeReturn, withoutLang, type Contrast, type PageContext } from './context.ts';
import { renderPages } from './pages.tsx';

const YEAR = 31536000;

const PreferencesForm = z.object({
  contrast: z.enum(CONTRASTS).optional(),
  lang: z.enum(LANGS).optional(),
  return: z.string().max(2048).optional(),
  // checked by the platform's CSRF hook before validation; listed so the schema says what is posted
  _csrf: z.string().optional(),
});

// loose: `lang` and `contrast` in the query are read by the hooks and contrastOf, and must survive validation
const PreferencesQuery = z.looseObject({ return: z.string().max(2048).optional() });

export interface PreferencesOptions {
  production: boolean;
  /** The page's context; with `form`, a CSRF token is issued on that reply. */
  ctxOf: (req: FastifyRequest, form?: FastifyReply) => PageContext;
  sendPage: (reply: FastifyReply, ctx: PageContext, html: string) => FastifyReply;
}

/**
 * Remembers a contrast choice: sets the cookie for high contrast, clears it for normal. The form
 * below and the `?contrast=` hook both go through here, so the two always overwrite each other.
 */
export function rememberContrast(reply: FastifyReply, contrast: Contrast, production: boolean): void {
  const cookie = { path: '/', sameSite: 'lax' as const, secure: production, httpOnly: true };
  if (contrast === 'high') reply.setCookie(CONTRAST_COOKIE, 'high', { ...cookie, maxAge: YEAR });
  else reply.clearCookie(CONTRAST_COOKIE, cookie);
}

/**
 * An onRequest hook for the portal's routes: a valid `?contrast=` (the header's link) is remembered
 * when it differs from the cookie, as the platform does for `?lang=`; anything else is ignored. The
 * page of the same request already shows the choice (contrastOf reads the query first).
 */
export function contrastFromQuery(production: boolean) {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const wanted = (req.query as Record<string, unknown>)[CONTRAST_PARAM];
    if (isContrast(wanted)) {
      const current = req.cookies[CONTRAST_COOKIE];
      if (wanted === 'high' ? current !== 'high' : current !== undefined) rememberContrast(reply, wanted, production);
    }
    done();
  };
}

/**
 * Display preferences without JavaScript: the settings form posts here, a cookie remembers the
 * choice and a 303 sends the browser back to the page it came from (only ever a path on this
 * site). It is the one shell page with a form, so the one that issues a CSRF token.
 */
export async function preferencesRoutes(app: FastifyInstance, opts: PreferencesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();

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
    if (contrast) rememberContrast(reply, contrast, opts.production);
    let target = safeReturn(req.body.return);
    if (lang) {
      // same attributes as the platform's ?lang= cookie, so that the two overwrite each other
      reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', maxAge: YEAR, secure: opts.production });
      target = withoutLang(target);
    }
    return reply.redirect(target, 303);
  });
}
