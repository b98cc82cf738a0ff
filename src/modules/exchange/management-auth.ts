import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { createClientKeyCache } from './client-keys.ts';
import { findSubsystem } from './directory.ts';
import { parseSubsystemId } from './directory-ids.ts';
import { ExchangeError } from './management-messages.ts';
import { replayCacheOf } from './replay-cache.ts';
import { checkContentDigest, verifySignature } from './signatures.ts';

// Who is calling the GovStack IM APIs. GovStack names the caller in the X-GovStack-Client header
// and relies on mutual TLS to prove it; Hanaro proves it the way the /r1 protocol does: an RFC 9421
// signature made with a key registered for that very client subsystem (exchange.client_key),
// covering the method and the URL, and the body through Content-Digest (RFC 9530). A key of
// another client does not count, so the header cannot be swapped even where the signature does
// not cover it.

export const CLIENT_HEADER = 'x-govstack-client';

/** The client subsystem named by X-GovStack-Client, checked for form only (400 when missing or malformed). */
export function claimedClient(req: FastifyRequest): string {
  const raw = req.headers[CLIENT_HEADER];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (value === undefined || value.trim() === '') throw new ExchangeError(400, 'invalid_client', 'client_header_missing');
  const id = value.trim();
  if (!parseSubsystemId(id)) throw new ExchangeError(400, 'invalid_client', 'client_header_malformed', { value: id.slice(0, 100) });
  return id;
}

const keyCaches = new WeakMap<Platform, ReturnType<typeof createClientKeyCache>>();
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/**
 * JSON bodies of these routes are parsed from a kept copy of their bytes, which Content-Digest is
 * checked against (the parsed object cannot be hashed back to what was signed).
 */
export function keepRawJsonBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    rawBodies.set(req, buf);
    if (buf.length === 0) return done(Object.assign(new Error('empty JSON body'), { statusCode: 400, code: 'FST_ERR_CTP_EMPTY_JSON_BODY' }));
    try {
      done(null, JSON.parse(buf.toString('utf8')));
    } catch {
      done(Object.assign(new Error('malformed JSON body'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
    }
  });
}

/**
 * Authenticates the caller of a GovStack IM API: X-GovStack-Client must be present and well
 * formed (400), name a subsystem in the directory (403), and the request must carry a valid
 * signature by one of that subsystem's keys (401). Returns the client subsystem id.
 */
export async function authenticateClient(platform: Platform, req: FastifyRequest): Promise<string> {
  const clientId = claimedClient(req);
  if (!(await findSubsystem(platform.db, clientId))) throw new ExchangeError(403, 'unknown_client', 'client_unknown', { id: clientId });
  let keys = keyCaches.get(platform);
  if (!keys) keyCaches.set(platform, (keys = createClientKeyCache(platform.db)));
  let url: URL;
  try {
    url = new URL(`${req.protocol}://${req.host}${req.url}`);
  } catch {
    throw new ExchangeError(401, 'invalid_signature', 'signature_invalid', { reason: 'the request URL (Host header) cannot be read' });
  }
  const result = await verifySignature(
    { method: req.method, url, headers: req.headers },
    {
      keyLookup: async (kid) => {
        const key = await keys.lookup(kid);
        return key && key.clientId === clientId ? key : undefined;
      },
      required: ['@method'],
      requireOneOf: [['@target-uri'], ['@path', '@query']],
      alternativeUrl: new URL(req.url, platform.config.publicUrl),
      replay: replayCacheOf(platform),
    },
  );
  if (!result.ok) throw new ExchangeError(401, 'invalid_signature', 'signature_invalid', { reason: result.reason });
  const body = rawBodies.get(req);
  if (body && body.length) {
    if (!result.covered.includes('content-digest')) throw new ExchangeError(401, 'invalid_signature', 'signature_invalid', { reason: 'the signature must cover "content-digest"' });
    const wrong = checkContentDigest(req.headers['content-digest'] as string | undefined, body);
    if (wrong) throw new ExchangeError(401, 'invalid_signature', 'signature_invalid', { reason: wrong });
  }
  return clientId;
}
