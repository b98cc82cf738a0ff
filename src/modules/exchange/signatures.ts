import { createHash, createPublicKey, randomBytes, timingSafeEqual, verify as cryptoVerify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createSigner, httpbis } from 'http-message-signatures';
import type { ReplayCache } from './replay-cache.ts';
import {
  isInnerList,
  parseDictionary,
  serializeInnerList,
  serializeItem,
  StructuredFieldError,
  type InnerList,
  type Item,
} from './signature-fields.ts';

/**
 * Signed requests: RFC 9421 HTTP message signatures over RFC 9530 Content-Digest.
 *
 * Clients (the CLI, mediatedCall, tests, benchmarks, and any agency system) sign with the
 * http-message-signatures package ({@link signRequest}). The mediator verifies with its own code
 * ({@link verifySignature}): a strict parser, the signature base built straight from the request,
 * and node:crypto with public keys imported once and cached by the caller — this runs on every
 * mediated request. The profile Hanaro requires (which components must be covered) is the
 * caller's `required` option; see protocol.ts and docs in .work/exchange-protocol-notes.md.
 */
export type SignatureAlg = 'ed25519' | 'ecdsa-p256-sha256';
export const SIGNATURE_ALGS: readonly SignatureAlg[] = ['ed25519', 'ecdsa-p256-sha256'];

export interface VerificationKey {
  key: KeyObject;
  alg: SignatureAlg;
}

export interface RequestToVerify {
  method: string;
  /** The URL as the client addressed it (scheme, authority, path and query). */
  url: URL;
  /** Header names in lower case, as node gives them. */
  headers: Record<string, string | string[] | undefined>;
}

export interface VerifyOptions {
  /** Looks up a key by the signature's keyid; undefined when unknown or revoked. */
  keyLookup(keyid: string): Promise<VerificationKey | undefined> | VerificationKey | undefined;
  /** Components that must be covered. */
  required?: string[];
  /** Groups of which at least one must be covered in full, e.g. [['@target-uri'], ['@path', '@query']]. */
  requireOneOf?: string[][];
  /** Largest allowed |now − created| in seconds (default 300). */
  maxSkewSeconds?: number;
  /** Unix seconds (tests). */
  now?: number;
  /** The profile requires the `alg` parameter (default); false takes the key's algorithm (RFC 9421 allows either). */
  requireAlg?: boolean;
  /** Another URL to try for @target-uri/@authority/@scheme (the public address behind a proxy). */
  alternativeUrl?: URL;
  /** Refuses a signature already accepted within its window (replay-cache.ts). */
  replay?: ReplayCache;
}

export type SignatureResult =
  | { ok: true; label: string; keyid: string; alg: SignatureAlg; created: number; covered: string[] }
  | { ok: false; reason: string };

const URL_COMPONENTS = new Set(['@target-uri', '@authority', '@scheme']);

/** JWK (OKP Ed25519 or EC P-256) → a node public key and its RFC 9421 algorithm. */
export function importPublicJwk(jwk: JsonWebKey): VerificationKey {
  const alg = jwkAlg(jwk);
  const { d: _private, ...pub } = jwk;
  return { key: createPublicKey({ key: pub, format: 'jwk' }), alg };
}

export function jwkAlg(jwk: JsonWebKey): SignatureAlg {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'ed25519';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ecdsa-p256-sha256';
  throw new Error(`unsupported client key type ${String(jwk.kty)}/${String(jwk.crv)}`);
}

/** The value of a derived component or header field (RFC 9421 §2.1, §2.2), or undefined if absent. */
function componentValue(name: string, req: RequestToVerify, url: URL): string | undefined {
  switch (name) {
    case '@method':
      return req.method.toUpperCase();
    case '@target-uri':
      return url.href;
    case '@authority':
      return url.host;
    case '@scheme':
      return url.protocol.slice(0, -1);
    case '@path':
      return url.pathname || '/';
    case '@query':
      return url.search || '?';
    case '@request-target':
      return url.pathname + url.search;
  }
  if (name.startsWith('@') || name !== name.toLowerCase()) return undefined;
  const v = req.headers[name];
  if (v === undefined) return undefined;
  const values = Array.isArray(v) ? v : [v];
  return values.map((x) => x.trim().replace(/\r?\n[ \t]*/g, ' ')).join(', ');
}

/** The signature base (RFC 9421 §2.5), or a reason why it cannot be built. */
export function signatureBase(list: InnerList, req: RequestToVerify, url: URL): { base: string } | { reason: string } {
  const lines: string[] = [];
  for (const item of list.items) {
    const name = item.value as string;
    const value = componentValue(name, req, url);
    if (value === undefined) return { reason: `covered component "${name}" is not in the request` };
    lines.push(`${serializeItem(item)}: ${value}`);
  }
  lines.push(`"@signature-params": ${serializeInnerList(list)}`);
  return { base: lines.join('\n') };
}

function checkSignatureBytes(alg: SignatureAlg, key: KeyObject, base: string, sig: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  const data = Buffer.from(base, 'utf8');
  try {
    return alg === 'ed25519' ? cryptoVerify(null, data, key, sig) : cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}

/**
 * Verifies the first signature of the request's Signature-Input (the one the client made; a
 * proxy's added signatures come after it). Returns why it failed, for the 401 answer.
 */
export async function verifySignature(req: RequestToVerify, opts: VerifyOptions): Promise<SignatureResult> {
  const inputText = header(req, 'signature-input');
  const sigText = header(req, 'signature');
  if (!inputText || !sigText) return { ok: false, reason: 'the request is not signed (Signature-Input and Signature headers, RFC 9421)' };
  let inputs;
  let sigs;
  try {
    inputs = parseDictionary(inputText);
    sigs = parseDictionary(sigText);
  } catch (e) {
    if (e instanceof StructuredFieldError) return { ok: false, reason: `malformed signature header: ${e.message}` };
    throw e;
  }
  const first = inputs.entries().next().value;
  if (!first) return { ok: false, reason: 'Signature-Input names no signature' };
  const [label, input] = first;
  if (!isInnerList(input)) return { ok: false, reason: 'Signature-Input member is not an inner list' };
  const sigMember = sigs.get(label);
  if (!sigMember || isInnerList(sigMember) || !(sigMember.value instanceof Uint8Array)) {
    return { ok: false, reason: `no Signature value for "${label}"` };
  }
  const covered: string[] = [];
  for (const item of input.items) {
    if (typeof item.value !== 'string' || item.params.size) return { ok: false, reason: 'covered components must be plain names without parameters' };
    if (covered.includes(item.value)) return { ok: false, reason: `component "${item.value}" is covered twice` };
    covered.push(item.value);
  }
  const missing = (opts.required ?? []).filter((c) => !covered.includes(c));
  if (missing.length) return { ok: false, reason: `the signature must cover ${missing.map((m) => `"${m}"`).join(', ')}` };
  if (opts.requireOneOf?.length && !opts.requireOneOf.some((group) => group.every((c) => covered.includes(c)))) {
    return { ok: false, reason: `the signature must cover ${opts.requireOneOf.map((g) => g.map((c) => `"${c}"`).join('+')).join(' or ')}` };
  }
  const { created, keyid, alg, expires } = Object.fromEntries(input.params) as Record<string, unknown>;
  if (typeof created !== 'number' || !Number.isInteger(created)) return { ok: false, reason: 'the signature needs an integer "created" parameter' };
  if (typeof keyid !== 'string' || !keyid) return { ok: false, reason: 'the signature needs a "keyid" parameter' };
  if ((alg !== undefined || opts.requireAlg !== false) && (typeof alg !== 'string' || !(SIGNATURE_ALGS as readonly string[]).includes(alg))) {
    return { ok: false, reason: `the signature needs an "alg" parameter: ${SIGNATURE_ALGS.join(' or ')}` };
  }
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const skew = opts.maxSkewSeconds ?? 300;
  if (Math.abs(now - created) > skew) return { ok: false, reason: `the signature was created more than ${skew} s from now` };
  if (expires !== undefined && (typeof expires !== 'number' || now > expires)) return { ok: false, reason: 'the signature has expired' };
  const key = await opts.keyLookup(keyid);
  if (!key) return { ok: false, reason: `unknown or revoked key "${keyid}" for this client` };
  if (alg !== undefined && key.alg !== alg) return { ok: false, reason: `key "${keyid}" is not an ${alg} key` };
  const urls = opts.alternativeUrl && covered.some((c) => URL_COMPONENTS.has(c)) ? [req.url, opts.alternativeUrl] : [req.url];
  let reason = 'the signature does not match the request';
  for (const url of urls) {
    const built = signatureBase(input, req, url);
    if ('reason' in built) {
      reason = built.reason;
      break;
    }
    if (checkSignatureBytes(key.alg, key.key, built.base, sigMember.value)) {
      // the window closes when a signature this old is refused anyway
      if (opts.replay && !opts.replay.firstUse(keyid, built.base, (created + skew + 1) * 1000)) {
        return { ok: false, reason: 'this signed request was already received (a replay): sign each request anew; identical requests need distinct X-Road-Id values or a nonce' };
      }
      return { ok: true, label, keyid, alg: key.alg, created, covered };
    }
  }
  return { ok: false, reason };
}

function header(req: RequestToVerify, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** RFC 9530 Content-Digest with SHA-256. */
export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

const DIGESTS: Record<string, string> = { 'sha-256': 'sha256', 'sha-512': 'sha512' };

/** Checks Content-Digest against the body: every sha-256/sha-512 member must match, and one must be there. */
export function checkContentDigest(value: string | undefined, body: Uint8Array): string | undefined {
  if (value === undefined) return 'a request with a body needs a Content-Digest header (RFC 9530)';
  let dict;
  try {
    dict = parseDictionary(value);
  } catch {
    return 'malformed Content-Digest header';
  }
  let checked = 0;
  for (const [alg, member] of dict) {
    const hash = DIGESTS[alg];
    if (!hash) continue;
    const v = (member as Item).value;
    if (isInnerList(member) || !(v instanceof Uint8Array)) return 'malformed Content-Digest header';
    const actual = createHash(hash).update(body).digest();
    if (actual.length !== v.length || !timingSafeEqual(actual, v)) return 'Content-Digest does not match the body';
    checked++;
  }
  return checked ? undefined : 'Content-Digest has no sha-256 or sha-512 member';
}

// ── client side: signing with the http-message-signatures package ──

export interface ClientSigner {
  kid: string;
  alg: SignatureAlg;
  privateKey: KeyObject;
}

export interface RequestToSign {
  method: string;
  /** Absolute URL of the mediator request, e.g. http://localhost:3000/r1/KR/GOV/MOIS/resident-registry/resident/records */
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** The X-Road headers (and Hanaro's consent and actor extensions) a signature covers when the request has them. */
export const XROAD_SIGNED_HEADERS = ['x-road-client', 'x-road-id', 'x-road-userid', 'x-road-issue', 'x-hanaro-consent', 'x-hanaro-actor'] as const;

/**
 * Signs a mediator request as the profile requires: @method, @target-uri, the X-Road headers
 * present, Content-Digest (added here) when there is a body, and Content-Type when set; with
 * created, expires (+300 s), a random nonce, keyid and alg. Returns the headers to send.
 */
export async function signRequest(signer: ClientSigner, req: RequestToSign, opts: { created?: Date } = {}): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  if (req.body && req.body.length) headers['content-digest'] = contentDigest(req.body);
  const fields = ['@method', '@target-uri', ...XROAD_SIGNED_HEADERS.filter((h) => headers[h] !== undefined)];
  if (headers['content-digest']) fields.push('content-digest');
  if (headers['content-type']) fields.push('content-type');
  const signed = await httpbis.signMessage(
    {
      key: createSigner(signer.privateKey, signer.alg, signer.kid),
      fields,
      // a random nonce: two identical requests in the same second are two signatures, not a replay
      params: ['created', 'expires', 'nonce', 'keyid', 'alg'],
      paramValues: { nonce: randomBytes(12).toString('base64url'), ...(opts.created ? { created: opts.created } : {}) },
    },
    // the normalised form (default port dropped, path encoded) is what the verifier rebuilds
    { method: req.method.toUpperCase(), url: new URL(req.url).href, headers },
  );
  return signed.headers as Record<string, string>;
}
