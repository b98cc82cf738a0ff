import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import compress from '@fastify/compress';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import { PlatformError, problemType, type Problem } from './errors.ts';
import { LANG_COOKIE, isLang, negotiateLang, type Lang } from './i18n.ts';
import { platformMessages, type PlatformMessageKey } from './messages.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
  interface FastifyReply {
    /** A fresh nonce for this answer's inline scripts and styles (in its Content-Security-Policy). */
    readonly cspNonce: string;
    /**
     * Sources besides 'self' that this page's forms may end at. Browsers check `form-action`
     * against every redirect a submission leads to: an OAuth consent page, whose form ends in a
     * redirect to the client, names the client's redirect URI here (an origin or an app's scheme).
     */
    formActionSources: string[] | null;
  }
  interface FastifyInstance {
    /** Set by the portal: renders the ko/en HTML error page for browsers. */
    renderErrorPage: (problem: Problem, req: FastifyRequest) => string;
  }
  interface FastifyContextConfig {
    /** false on routes that must not be rate limited or CSRF-checked (health probes, static files). */
    public?: boolean;
    /** A page whose script talks to other sites (the wallet): its CSP lets it connect to any https origin. */
    connectAnywhere?: boolean;
    /** A policy of its own instead of the default (a service worker's script: its policy governs the worker's fetches). */
    csp?: string;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,80}$/;

/** Keeps a caller's X-Request-Id when it is well-formed so that ids follow a call across services. */
export function genReqId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

// prefixes that only machines call: errors there are always problem+json
const API_PREFIXES = ['/api/', '/govstack/', '/r1/', '/.well-known/', '/openapi.json', '/metrics', '/healthz', '/readyz'];

export function wantsHtml(req: FastifyRequest): boolean {
  if (API_PREFIXES.some((p) => req.url.startsWith(p))) return false;
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html');
}

const FASTIFY_CODES: Record<string, PlatformMessageKey> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_CSRF_INVALID_TOKEN: 'csrf_invalid',
  FST_CSRF_MISSING_SECRET: 'csrf_invalid',
  FST_ERR_VALIDATION: 'validation_failed',
};

const STATUS_CODES: Record<number, PlatformMessageKey> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** Turns any thrown error into RFC 9457 problem details that are safe to send. */
export function toProblem(err: unknown, req: FastifyRequest): Problem {
  const lang = req.lang ?? 'ko';
  const base = { instance: req.url.split('?')[0], requestId: req.id };
  if (err instanceof PlatformError) {
    const known = err.code in platformMessages.catalogue.ko;
    return {
      type: problemType(err.code),
      title: err.titles
        ? err.titles[lang]
        : known
          ? platformMessages(lang, err.code as PlatformMessageKey)
          : platformMessages(lang, STATUS_CODES[err.status] ?? 'bad_request'),
      status: err.status,
      detail: err.detail,
      code: err.code,
      ...err.extra,
      ...base,
    };
  }
  const fe = err as FastifyError & { validation?: Array<{ instancePath?: string; message?: string }> };
  if (hasZodFastifySchemaValidationErrors(fe) || fe.validation) {
    const errors = (fe.validation ?? []).map((v) => ({
      path: `${(fe as { validationContext?: string }).validationContext ?? 'body'}${v.instancePath ?? ''}`,
      message: v.message ?? 'invalid',
    }));
    return {
      type: problemType('validation_failed'),
      title: platformMessages(lang, 'validation_failed'),
      status: 400,
      code: 'validation_failed',
      errors,
      ...base,
    };
  }
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status === 500) {
    return {
      type: problemType('internal_error'),
      title: platformMessages(lang, 'internal_error'),
      status: 500,
      code: 'internal_error',
      ...base,
    };
  }
  const code = FASTIFY_CODES[fe.code] ?? STATUS_CODES[status] ?? 'bad_request';
  return { type: problemType(code), title: platformMessages(lang, code), status, code, ...base };
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  reply.status(problem.status);
  // a problem that knows when to come back (`retryAfter` seconds) says so; otherwise a minute
  if (problem.status === 429 || problem.status === 503) reply.header('retry-after', reply.getHeader('retry-after') ?? (typeof problem.retryAfter === 'number' ? String(problem.retryAfter) : '60'));
  if (wantsHtml(req)) {
    return reply.type('text/html; charset=utf-8').send(req.server.renderErrorPage(problem, req));
  }
  return reply.type('application/problem+json; charset=utf-8').send(problem);
}

/** The plain error page used until the portal registers its own (and by API-only roles). */
function fallbackErrorPage(problem: Problem, req: FastifyRequest): string {
  const lang = req.lang ?? 'ko';
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(problem.title)}</title></head><body><main><h1>${esc(problem.title)}</h1><p>${esc(platformMessages(lang, 'error_page_code'))}: ${esc(problem.code)} (${problem.status})</p><p><a href="/">${esc(platformMessages(lang, 'error_page_home'))}</a></p></main></body></html>`;
}

const NONCE = Symbol('cspNonce');
const API_CSP = "default-src 'none';frame-ancestors 'none'";

/** The headers every answer carries (the Content-Security-Policy is added per answer). */
export function securityHeaders(production: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-permitted-cross-domain-policies': 'none',
    ...(production ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

// the body types a page on another site can post without a CORS preflight
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Request ids, language, security headers, CSRF for form posts, rate limits, compression and
 * the error and not-found handlers: everything every route gets.
 */
export const httpPlatform = fp(
  async (app: FastifyInstance, opts: { config: Config; renderErrorPage?: FastifyInstance['renderErrorPage'] }) => {
    const { config } = opts;
    const production = config.mode === 'production';

    app.decorate('renderErrorPage', opts.renderErrorPage ?? fallbackErrorPage);
    app.decorateRequest('lang', 'ko');

    // While closing, answers in flight end their keep-alive connection, so that close() does not
    // wait for clients to hang up (forceCloseConnections would cut those answers off instead).
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });

    await app.register(cookie, { secret: config.cookieSecret });

    // Security headers. Not @fastify/helmet: with per-request nonces it re-parses its whole
    // directive list on every request, which cost about a third of /healthz throughput
    // (docs/benchmarks.md). Here the constant headers are built once, and the nonce is only made
    // when a page asks for it or an HTML answer goes out.
    const fixed = securityHeaders(production);
    const pageCsp = (nonce: string) =>
      `default-src 'self';script-src 'self' 'nonce-${nonce}';style-src 'self' 'nonce-${nonce}';img-src 'self' data:;font-src 'self';connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'${production ? ';upgrade-insecure-requests' : ''}`;
    app.decorateReply('formActionSources', null);
    app.decorateReply('cspNonce', {
      getter(this: FastifyReply & { [NONCE]?: string }) {
        return (this[NONCE] ??= randomBytes(16).toString('base64'));
      },
    });
    // one hook of each kind, in callback style: every request runs them (docs/benchmarks.md)
    app.addHook('onRequest', (req, reply, done) => {
      req.lang = negotiateLang(req);
      reply.headers(fixed);
      reply.header('x-request-id', req.id);
      // a language chosen with ?lang= stays chosen on the next pages
      const q = (req.query as Record<string, unknown>).lang;
      if (isLang(q) && req.cookies[LANG_COOKIE] !== q) {
        reply.setCookie(LANG_COOKIE, q, { path: '/', sameSite: 'lax', maxAge: 31536000, secure: production });
      }
      done();
    });
    app.addHook('onSend', (req, reply, payload, done) => {
      const type = reply.getHeader('content-type');
      // documents get the page policy with this answer's nonce; anything else may run nothing at all
      let csp = typeof type === 'string' && type.startsWith('text/html') ? pageCsp(reply.cspNonce) : API_CSP;
      // a page whose script talks to other sites (the wallet: issuers and verifiers anywhere) may connect to them
      if (csp !== API_CSP && req.routeOptions.config?.connectAnywhere) {
        csp = csp.replace("connect-src 'self'", `connect-src 'self' https:${production ? '' : ' http:'}`);
      }
      const formActions = reply.formActionSources;
      if (csp !== API_CSP && formActions?.length) {
        // only plain source expressions: a value with a space or a semicolon would add directives
        const safe = formActions.filter((s) => /^[A-Za-z][A-Za-z0-9+.-]*:(\/\/[A-Za-z0-9.-]+(:\d{1,5})?)?$/.test(s));
        if (safe.length) csp = csp.replace("form-action 'self'", `form-action 'self' ${safe.join(' ')}`);
      }
      reply.header('content-security-policy', req.routeOptions.config?.csp ?? csp);
      if (closing) reply.header('connection', 'close');
      done(null, payload);
    });

    await app.register(formbody);
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: production ? '__Host-hanaro-csrf' : 'hanaro-csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: production, signed: true },
    });
    // Every post another site could make without a CORS preflight (form and plain-text bodies)
    // must carry the token; JSON needs a preflight, which no origin passes, so the check is by
    // content type.
    app.addHook('preValidation', (req, reply, done) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (UNSAFE.has(req.method) && FORM_TYPES.includes(type) && req.routeOptions.config.public !== true) {
        app.csrfProtection(req, reply, done);
      } else done();
    });

    // PostgreSQL text cannot hold U+0000: refused here with a 400 naming the field, before a
    // handler could store it (a batched write would fail for everyone in the batch)
    app.addHook('preValidation', (req, _reply, done) => {
      const where = nulIn(req.body, 'body') ?? nulIn(req.query, 'querystring') ?? nulIn(req.params, 'params');
      if (where) done(new PlatformError('validation_failed', 400, 'text must not contain the NUL character (U+0000)', { errors: [{ path: where, message: 'must not contain U+0000' }] }));
      else done();
    });

    await app.register(rateLimit, {
      max: config.rateLimit,
      timeWindow: '1 minute',
      allowList: (req) => req.routeOptions.config?.public === true,
      errorResponseBuilder: (_req, ctx) => {
        const err = new PlatformError('rate_limited', 429, undefined, { limit: ctx.max });
        return err;
      },
    });

    await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });

    app.setErrorHandler((err, req, reply) => {
      const problem = toProblem(err, req);
      if (problem.status >= 500) req.log.error({ err }, 'request failed');
      else req.log.info({ code: problem.code, status: problem.status }, 'request refused');
      return sendProblem(req, reply, problem);
    });
    app.setNotFoundHandler((req, reply) =>
      sendProblem(req, reply, toProblem(new PlatformError('not_found', 404), req)),
    );
  },
  { name: 'hanaro-http', fastify: '5.x' },
);

/** The path of the first string (or key) in a parsed request part that holds U+0000, if any. */
export function nulIn(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}/${k}`;
    if (k.includes('\u0000')) return p;
    const found = nulIn(v, p, depth + 1);
    if (found) return found;
  }
  return undefined;
}
