import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

// Personal data must never reach a log line, wherever it hides: in a message, a field or an
// error. Field names are redacted by pino; free text is scrubbed by pattern.
const RRN = /\b(\d{6})[-\s]?([1-8])\d{6}\b/g;
const PHONE = /\b(01[016789]|02|0[3-6][1-5])[-.\s]?\d{3,4}[-.\s]?\d{4}\b/g;
const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
const BEARER = /\b(Bearer|Basic|DPoP)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** Replaces resident registration numbers, phone numbers, e-mail addresses and tokens in free text. */
export function scrub(text: string): string {
  return text
    .replace(RRN, '[RRN]')
    .replace(PHONE, '[PHONE]')
    .replace(EMAIL, '[EMAIL]')
    .replace(BEARER, '$1 [REDACTED]')
    .replace(JWT, '[JWT]');
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrub(value.message), stack: value.stack ? scrub(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  // class instances (requests, replies) are left to their serializers
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

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

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    formatters: {
      log: (obj) => scrubDeep(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        // scrub the message text and its format arguments, not only the merged object
        const cleaned = args.map((a) => (typeof a === 'string' ? scrub(a) : a));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
    serializers: {
      err: (e: Error) => scrubDeep(pino.stdSerializers.err(e)),
      // no client address or headers: an IP address is personal data, headers carry tokens
      req: (req: { method?: string; url?: string; raw?: { url?: string } }) => ({
        method: req.method,
        url: scrub(String(req.url ?? req.raw?.url ?? '')),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
