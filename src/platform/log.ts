import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

// Personal data must never reach a log line, wherever it hides: in a message, a field, a child
// logger's bindings or an error. Fields with a telling name are redacted whole; free text is
// scrubbed by pattern. Digit runs are delimited by "no digit next to it" rather than \b, so that
// `rrn_9001011234567` or `tel01012345678` are caught too.

// YYMMDD must be a plausible date: keeps 13-digit millisecond timestamps (1764…) out
const RRN = /(?<!\d)(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))[-\s]?[1-8]\d{6}(?!\d)/g;
// mobile, Seoul, regional and 070 numbers, also written +82 10-… or 82-10-…
const PHONE = /(?<![\d+])(?:\+?82[-.\s]?|0)(?:1[016789]|2|[3-6][1-5]|70)(?:\)\s?|[-.\s])?\d{3,4}[-.\s]?\d{4}(?!\d)/g;
// the local part may be Korean (홍길동@example.kr)
const EMAIL = /[\p{L}\p{N}._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/gu;
const BEARER = /\b(Bearer|Basic|DPoP)\s+[A-Za-z0-9._~+/=-]+/gi;
// a JWS/JWT, with SD-JWT disclosures (~…~) that carry personal data base64url-encoded
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*(?:~[A-Za-z0-9_.-]*)*/g;

/** Field names whose value is never logged, at any depth (compared case-insensitively). */
const SECRET_KEYS = new Set([
  'password', 'passcode', 'pin', 'otp', 'token', 'access_token', 'refresh_token', 'id_token', 'secret', 'client_secret',
  'api_key', 'apikey', 'x-api-key', 'private_key', 'privatekey', 'rrn', 'cookie', 'set-cookie', 'authorization', 'dpop',
]);

/** Replaces resident registration numbers, phone numbers, e-mail addresses and tokens in free text. */
export function scrub(text: string): string {
  // tokens first: base64url text may hold digit runs that would otherwise be cut apart by the others
  return text
    .replace(BEARER, '$1 [REDACTED]')
    .replace(JWT, '[JWT]')
    .replace(RRN, '[RRN]')
    .replace(PHONE, '[PHONE]')
    .replace(EMAIL, '[EMAIL]');
}

const MAX_DEPTH = 8;

function scrubError(e: Error, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { type: e.constructor?.name || e.name, message: scrub(e.message) };
  if (e.stack) out.stack = scrub(e.stack);
  // own fields such as `code` or `statusCode` help operators; they go through the same scrubbing
  for (const [k, v] of Object.entries(e)) if (!(k in out)) out[k] = scrubField(k, v, depth + 1);
  if (e.cause !== undefined) out.cause = scrubDeep(e.cause, depth + 1);
  return out;
}

function scrubField(key: string, value: unknown, depth: number): unknown {
  return SECRET_KEYS.has(key.toLowerCase()) && value !== undefined && value !== null ? '[REDACTED]' : scrubDeep(value, depth);
}

/** Scrubs every string in a JSON-like value and redacts secret-named fields; returns a copy. */
export function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  // what lies deeper is not looked at, so it is not written either
  if (depth > MAX_DEPTH) return '[Object]';
  if (value instanceof Error) return scrubError(value, depth);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  // class instances (requests, replies) are left to their serializers
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubField(k, v, depth + 1);
  return out;
}

/** pino redaction paths; secret-named fields at any depth are also redacted by {@link scrubDeep}. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["dpop"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.secret',
  '*.client_secret',
  '*.rrn',
  '*.cookie',
  '*.authorization',
];

const CHINDINGS = pino.symbols.chindingsSym;

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    formatters: {
      log: (obj) => scrubDeep(obj) as Record<string, unknown>,
    },
    // a child logger's fields are serialized once, when it is made, by another path than the log
    // call's object (pino applies formatters.bindings to the root only): scrub that JSON fragment
    onChild(child) {
      const holder = child as unknown as Record<symbol, string>;
      const fragment = holder[CHINDINGS];
      // most bindings (request ids, component names) hold nothing to scrub: skip the JSON round trip
      if (!fragment || scrub(fragment) === fragment) return;
      const json = JSON.stringify(scrubDeep(JSON.parse(`{${fragment.slice(1)}}`)));
      holder[CHINDINGS] = json === '{}' ? '' : `,${json.slice(1, -1)}`;
    },
    serializers: {
      // the final message, after format arguments (%s, %j) were put in and after pino took
      // the message of a logged error: one place that sees every message
      msg: (m: unknown) => (typeof m === 'string' ? scrub(m) : m),
      // errors were already turned into scrubbed plain objects by formatters.log
      err: (e: unknown) => (e instanceof Error ? scrubDeep(e) : e),
      // no client address or headers: an IP address is personal data, headers carry tokens
      req: (req: { method?: string; url?: string; raw?: { url?: string } }) => ({
        method: req.method,
        url: scrub(String(req.url ?? req.raw?.url ?? '')),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** A pino logger that redacts personal data and secrets; `destination` is for tests. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
