import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireOfficial, type Official } from '../platform/auth.ts';
import { PlatformError, UnauthorizedError } from '../platform/errors.ts';
import { isLang, type Lang } from '../platform/i18n.ts';
import { webMessages, type WebMessageKey } from './messages.ts';

export const CONTRASTS = ['normal', 'high'] as const;
export type Contrast = (typeof CONTRASTS)[number];
export const CONTRAST_COOKIE = 'contrast';
/** The query parameter that switches contrast (and, through the portal's hook, remembers it), like `?lang=`. */
export const CONTRAST_PARAM = 'contrast';

export const isContrast = (v: unknown): v is Contrast => (CONTRASTS as readonly unknown[]).includes(v);

/** The URLs of the shell's own static files (content-hashed, see assets.ts). */
export interface ShellAssets {
  stylesheet: string;
  favicon: string;
}

/** Everything a page needs to know about the request it answers. */
export interface PageContext {
  lang: Lang;
  /** Path and query of the current page, used for language and contrast links and the `return` of forms. */
  url: string;
  contrast: Contrast;
  /**
   * Present only on pages that carry a form (today /preferences): issuing it sets the CSRF secret
   * cookie, and a page with it is different for every visitor, so it can never be cached.
   */
  csrfToken?: string;
  assets: ShellAssets;
  demo: boolean;
  /** When the page was rendered; shown on error pages (in Asia/Seoul) to help support. */
  now: Date;
  /**
   * Who is signed in, on pages that are about the person asking (never on pages any cache keeps):
   * the header then names them and offers their account and sign-out. Others show "sign in".
   */
  signedIn?: SignedIn;
}

export interface SignedIn {
  name: string;
  official: boolean;
}

export const t = (ctx: Pick<PageContext, 'lang'>, key: WebMessageKey, params?: Record<string, string | number>) =>
  webMessages(ctx.lang, key, params);

/** `?contrast=` first (the page that sets the cookie already shows the choice), then the cookie. */
export function contrastOf(req: FastifyRequest): Contrast {
  const q = (req.query as Record<string, unknown> | undefined)?.[CONTRAST_PARAM];
  if (isContrast(q)) return q;
  return req.cookies?.[CONTRAST_COOKIE] === 'high' ? 'high' : 'normal';
}

const BASE = 'http://hanaro.invalid';

/** The same page in another language: `?lang=` both switches and, through the platform hook, remembers. */
export function withLang(url: string, lang: Lang): string {
  const u = new URL(url, BASE);
  u.searchParams.set('lang', lang);
  return `${u.pathname}${u.search}`;
}

/** The same page in the other contrast: a plain link, like the language switcher, so no form token is needed. */
export function withContrast(url: string, contrast: Contrast): string {
  const u = new URL(url, BASE);
  u.searchParams.set(CONTRAST_PARAM, contrast);
  return `${u.pathname}${u.search}`;
}

/** Drops a `contrast` parameter (alternate-language links in <head> name the page, not a display choice). */
export function withoutContrast(url: string): string {
  const u = new URL(url, BASE);
  u.searchParams.delete(CONTRAST_PARAM);
  return `${u.pathname}${u.search}`;
}

export function pathOf(url: string): string {
  return new URL(url, BASE).pathname;
}

/**
 * A redirect target we are willing to send people to after a form: only a path on this site.
 * `//host` and `/\host` are protocol-relative in browsers, so they are refused along with
 * absolute URLs; the URL parser has the last word so that no odd spelling slips through.
 */
export function safeReturn(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  let u: URL;
  try {
    u = new URL(value, BASE);
  } catch {
    return '/';
  }
  if (u.origin !== BASE) return '/';
  return `${u.pathname}${u.search}${u.hash}`;
}

/** Drops a `lang` parameter so that an explicit language choice is not overridden on arrival. */
export function withoutLang(url: string): string {
  const u = new URL(url, BASE);
  u.searchParams.delete('lang');
  return `${u.pathname}${u.search}${u.hash}`;
}

export function requestLang(req: FastifyRequest): Lang {
  return isLang(req.lang) ? req.lang : 'ko';
}

/**
 * The page's context. `form` is the reply of a page that carries a form: only then is a CSRF token
 * issued (and with it, for a first visit, the secret cookie). Pages that are only read get none.
 */
export function pageContext(
  req: FastifyRequest,
  opts: { assets: ShellAssets; demo: boolean; form?: FastifyReply; signedIn?: SignedIn },
): PageContext {
  return {
    lang: requestLang(req),
    url: req.url,
    contrast: contrastOf(req),
    csrfToken: opts.form ? opts.form.generateCsrf() : undefined,
    assets: opts.assets,
    demo: opts.demo,
    now: new Date(),
    signedIn: opts.signedIn,
  };
}

/**
 * A page's form post must be a form: the platform checks CSRF tokens on form posts only, so a JSON
 * body must not slip past it (415).
 */
export function requireForm(req: FastifyRequest): void {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new PlatformError('unsupported_media_type', 415);
  }
}

/**
 * Sends a page that is about one person (who is signed in, a form token, their data): no cache
 * may keep it, and it varies with the cookie and the language.
 */
export function sendPrivatePage(reply: FastifyReply, lang: Lang, html: string, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'Cookie, Accept-Language')
    .header('content-language', lang)
    .send(html);
}

/**
 * The signed-in official for an officials' page; a browser without a session is sent to sign in
 * and come back (GET), and undefined is returned after the redirect is set. Anyone else: the
 * 401/403 of requireOfficial.
 */
export async function officialOrSignIn(req: FastifyRequest, reply: FastifyReply): Promise<Official | undefined> {
  try {
    return await requireOfficial(req);
  } catch (e) {
    if (e instanceof UnauthorizedError && req.method === 'GET') {
      void reply.redirect(`/sign-in?next=${encodeURIComponent(req.url.split('?')[0]!)}`, 303);
      return undefined;
    }
    throw e;
  }
}

/**
 * Lets this page's forms end in a redirect to `uri` (browsers check CSP `form-action` against
 * every redirect a submission leads to): an OAuth consent page whose form ends in a redirect to
 * the client names the client's redirect URI here (its origin, or an app's scheme).
 */
export function allowFormRedirectTo(reply: FastifyReply, uri: string): void {
  let source: string;
  try {
    const u = new URL(uri);
    source = u.protocol === 'https:' || u.protocol === 'http:' ? `${u.protocol}//${u.host}` : u.protocol;
  } catch {
    return;
  }
  reply.formActionSources = [...(reply.formActionSources ?? []), source];
}
