import { createHash, createPublicKey, verify as nodeVerify, type JsonWebKey as NodeJsonWebKey } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { StatusList } from '@owf/token-status-list';
import type { JWK } from 'jose';
import { hasher } from './issuer.ts';

/**
 * Offline verification of an SD-JWT VC presentation, usable from any Node program: no network
 * call. Trust comes from the issuers the caller lists with their keys (Hanaro publishes its own at
 * `/.well-known/jwt-vc-issuer` and its trust list), status from Status List Tokens the caller
 * cached (`statusList(uri)`). Checks, each failing with its own code:
 *
 * - the issuer is trusted and signed it (`untrusted_issuer`, `invalid_signature`);
 * - every disclosure is referenced and unaltered (`tampered`);
 * - it is not expired or not yet valid (`expired`);
 * - it carries key binding, signed by the key in `cnf`, with the verifier's nonce and audience,
 *   made recently (`key_binding_missing`, `key_binding_invalid`, `wrong_nonce`, `wrong_audience`,
 *   `stale`);
 * - it was not seen before (`replayed`; the caller passes a set that remembers presentations);
 * - its status is valid (`revoked`, `suspended`, `status_unavailable` when no cached list covers it).
 *
 * Built on the `@sd-jwt/sd-jwt-vc` reference implementation, plus the checks it leaves to the
 * caller (audience, freshness, replay, the status token's type and subject).
 */
export type VerificationCode =
  | 'malformed'
  | 'untrusted_issuer'
  | 'invalid_signature'
  | 'tampered'
  | 'expired'
  | 'key_binding_missing'
  | 'key_binding_invalid'
  | 'wrong_nonce'
  | 'wrong_audience'
  | 'stale'
  | 'replayed'
  | 'revoked'
  | 'suspended'
  | 'status_unavailable';

export class VerificationError extends Error {
  constructor(
    readonly code: VerificationCode,
    message: string,
  ) {
    super(message);
    this.name = 'VerificationError';
  }
}

export interface TrustedIssuer {
  iss: string;
  /** Public keys (JWK) the issuer signs credentials and status lists with; chosen by `kid`. */
  keys: JWK[];
}

export interface VerifyOptions {
  trusted: TrustedIssuer[];
  /** The nonce the verifier gave the holder for this presentation. */
  nonce: string;
  /** The verifier's identifier the holder had to name (`aud` of the key-binding JWT). */
  audience: string;
  now?: Date;
  /** How old the key-binding JWT may be (default 300 s). */
  maxAgeS?: number;
  /** A cached Status List Token for a status list URI (undefined: not cached). */
  statusList?: (uri: string) => string | undefined | Promise<string | undefined>;
  /** Presentations seen before (e.g. a Set kept for the nonces' lifetime): a repeat is `replayed`. */
  seen?: { has(key: string): boolean; add(key: string): unknown };
  /** Accepted `typ` values of the issuer-signed JWT (default `dc+sd-jwt` and the older `vc+sd-jwt`). */
  types?: string[];
  /**
   * false: also accept a credential without key binding (a wallet checking what it received, a
   * document shown as such); nonce, audience, freshness and replay are then not checked. Default true.
   */
  requireKeyBinding?: boolean;
}

export interface Verified {
  iss: string;
  vct: string | undefined;
  /** The disclosed claims (and the always-visible ones), without `cnf`, `status` and `_sd_alg`. */
  claims: Record<string, unknown>;
  holderKey: JWK | undefined;
  status: 'valid' | 'not-listed';
}

const b64json = (part: string): Record<string, unknown> => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new VerificationError('malformed', 'not an SD-JWT');
  }
};

/** Public keys made once per (x, y): a verifier checks many presentations with the same few keys. */
const publicKeys = new Map<string, ReturnType<typeof createPublicKey>>();
function es256(jwk: JWK) {
  const id = `${jwk.x}.${jwk.y}`;
  let key = publicKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as NodeJsonWebKey, format: 'jwk' });
    if (publicKeys.size >= 1000) publicKeys.delete(publicKeys.keys().next().value!);
    publicKeys.set(id, key);
  }
  const k = key;
  return (data: string, sig: string) => nodeVerify('sha256', Buffer.from(data), { key: k, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
}

const holderBound = (data: string, sig: string, p: unknown) => {
  const jwk = (p as { cnf?: { jwk?: JWK } }).cnf?.jwk;
  if (!jwk) throw new VerificationError('key_binding_invalid', 'the credential names no holder key (cnf.jwk)');
  return es256(jwk)(data, sig);
};
/** One reference-implementation verifier per issuer key. */
const instances = new Map<string, SDJwtVcInstance>();
function instanceFor(jwk: JWK): SDJwtVcInstance {
  const id = `${jwk.x}.${jwk.y}`;
  let inst = instances.get(id);
  if (!inst) {
    inst = new SDJwtVcInstance({ hasher, verifier: es256(jwk), kbVerifier: holderBound });
    if (instances.size >= 1000) instances.delete(instances.keys().next().value!);
    instances.set(id, inst);
  }
  return inst;
}

function issuerKey(issuer: TrustedIssuer, kid: unknown): JWK {
  const key = kid === undefined && issuer.keys.length === 1 ? issuer.keys[0] : issuer.keys.find((k) => k.kid === kid);
  if (!key) throw new VerificationError('untrusted_issuer', `no trusted key ${String(kid)} for ${issuer.iss}`);
  return key;
}

/** What the reference implementation's messages mean, in our codes. */
function classify(e: unknown): VerificationError {
  if (e instanceof VerificationError) return e;
  const m = e instanceof Error ? e.message : String(e);
  if (/unreferenced disclosure|digest|disclosure/i.test(m) && !/key binding/i.test(m)) return new VerificationError('tampered', m);
  if (/nonce/i.test(m)) return new VerificationError('wrong_nonce', m);
  if (/sd_hash|key binding|kb/i.test(m)) return new VerificationError('key_binding_invalid', m);
  if (/expired|exp|nbf|not yet valid/i.test(m)) return new VerificationError('expired', m);
  if (/signature|verify/i.test(m)) return new VerificationError('invalid_signature', m);
  return new VerificationError('malformed', m);
}

export async function verifyPresentation(presentation: string, opts: VerifyOptions): Promise<Verified> {
  if (typeof presentation !== 'string' || presentation.length > 65_536 || !presentation.includes('~')) throw new VerificationError('malformed', 'not a compact SD-JWT presentation');
  const parts = presentation.split('~');
  const jwt = parts[0]!.split('.');
  if (jwt.length !== 3) throw new VerificationError('malformed', 'the issuer-signed part is not a JWT');
  const header = b64json(jwt[0]!);
  const payload = b64json(jwt[1]!);
  const types = opts.types ?? ['dc+sd-jwt', 'vc+sd-jwt'];
  if (!types.includes(String(header.typ))) throw new VerificationError('malformed', `typ ${String(header.typ)} is not one of ${types.join(', ')}`);
  const issuer = opts.trusted.find((i) => i.iss === payload.iss);
  if (!issuer) throw new VerificationError('untrusted_issuer', `${String(payload.iss)} is not a trusted issuer`);
  const signingKey = issuerKey(issuer, header.kid);
  const kbJwt = parts[parts.length - 1]!;
  const requireKb = opts.requireKeyBinding !== false;
  if (!kbJwt && requireKb) throw new VerificationError('key_binding_missing', 'the presentation carries no key-binding JWT');
  const now = opts.now ?? new Date();

  const sdjwt = instanceFor(signingKey);
  let result;
  try {
    // status is checked below, from the caller's cache, with the decoded list kept between calls
    result = await sdjwt.verify(presentation, { keyBindingNonce: kbJwt ? opts.nonce : undefined, currentDate: Math.floor(now.getTime() / 1000), disableStatusVerification: true });
  } catch (e) {
    throw classify(e);
  }
  const ref = (payload.status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)?.status_list;
  if (ref) {
    if (typeof ref.uri !== 'string' || !Number.isInteger(ref.idx)) throw new VerificationError('malformed', 'the status reference is malformed');
    const token = await opts.statusList?.(ref.uri);
    if (!token) throw new VerificationError('status_unavailable', `no cached status list for ${ref.uri}`);
    const statusAt = decodedStatusList(token, ref.uri, issuer, now);
    const st = statusAt(ref.idx as number);
    if (st === 2) throw new VerificationError('suspended', 'the issuer suspended this credential');
    if (st !== 0) throw new VerificationError('revoked', 'the issuer revoked this credential');
  }
  const kb = result.kb?.payload as { aud?: unknown; iat?: unknown; nonce?: unknown } | undefined;
  if (!kb && requireKb) throw new VerificationError('key_binding_missing', 'the presentation carries no key-binding JWT');
  if (kb) checkKeyBinding(kb, kbJwt, opts, now);
  const { cnf, status, _sd_alg: _alg, ...claims } = result.payload as Record<string, unknown>;
  return {
    iss: String(payload.iss),
    vct: typeof payload.vct === 'string' ? payload.vct : undefined,
    claims,
    holderKey: (cnf as { jwk?: JWK } | undefined)?.jwk,
    status: status ? 'valid' : 'not-listed',
  };
}

/** What the reference implementation leaves to the caller: audience, freshness, replay. */
function checkKeyBinding(kb: { aud?: unknown; iat?: unknown }, kbJwt: string, opts: VerifyOptions, now: Date): void {
  if (kb.aud !== opts.audience) throw new VerificationError('wrong_audience', 'the presentation was made for another verifier');
  const age = now.getTime() / 1000 - Number(kb.iat);
  if (!Number.isFinite(age) || age > (opts.maxAgeS ?? 300) || age < -60) throw new VerificationError('stale', 'the presentation is too old or from the future');
  if (opts.seen) {
    const key = createHash('sha256').update(kbJwt).digest('base64url');
    if (opts.seen.has(key)) throw new VerificationError('replayed', 'this presentation was used before');
    opts.seen.add(key);
  }
}

/**
 * A Status List Token checked (signed by a trusted key of the credential's issuer, `typ`
 * statuslist+jwt, `sub` the URI the credential names, not expired) and decoded, kept for the next
 * presentations that name it: a counter verifying many credentials decodes each list once.
 */
const decoded = new Map<string, { x: string; uri: string; iss: string; exp: number; statusAt: (idx: number) => number }>();
function decodedStatusList(token: string, uri: string, issuer: TrustedIssuer, now: Date): (idx: number) => number {
  const hit = decoded.get(token);
  // checked and decoded before: still signed by a key this issuer is trusted with, still fresh
  if (hit && hit.uri === uri && hit.iss === issuer.iss && hit.exp > now.getTime() / 1000 && issuer.keys.some((k) => k.x === hit.x)) return hit.statusAt;
  const [h, p, sig] = token.split('.');
  const th = b64json(h ?? '');
  const tp = b64json(p ?? '');
  const key = (() => {
    try {
      return issuerKey(issuer, th.kid);
    } catch {
      throw new VerificationError('status_unavailable', 'the status list is not signed by a key of the credential’s issuer');
    }
  })();
  if (th.typ !== 'statuslist+jwt' || tp.sub !== uri || tp.iss !== issuer.iss) throw new VerificationError('status_unavailable', 'the cached status list is not the one the credential names');
  if (!sig || !es256(key)(`${h}.${p}`, sig)) throw new VerificationError('status_unavailable', 'the status list’s signature does not verify');
  const exp = typeof tp.exp === 'number' ? tp.exp : Infinity;
  if (exp <= now.getTime() / 1000) throw new VerificationError('status_unavailable', 'the cached status list has expired');
  const list = tp.status_list as { bits?: unknown; lst?: unknown } | undefined;
  if (!list || typeof list.lst !== 'string' || ![1, 2, 4, 8].includes(Number(list.bits))) throw new VerificationError('status_unavailable', 'the status list is malformed');
  const statusAt = decodeStatusList(list.lst, Number(list.bits) as 1 | 2 | 4 | 8);
  if (decoded.size >= 100) decoded.delete(decoded.keys().next().value!);
  decoded.set(token, { x: String(key.x), uri, iss: issuer.iss, exp, statusAt });
  return statusAt;
}

/**
 * The status at `idx` of a cached Status List Token, checked and kept as above, signed by one of
 * `trusted` (chosen by the token's `iss`): for credentials that name no issuer (mdocs, mdoc.ts).
 */
export function statusInList(token: string, uri: string, idx: number, trusted: TrustedIssuer[], now = new Date()): number {
  let iss: unknown;
  try {
    iss = b64json(token.split('.')[1] ?? '').iss;
  } catch {
    throw new VerificationError('status_unavailable', 'the cached status list is not a JWT');
  }
  const issuer = trusted.find((i) => i.iss === iss);
  if (!issuer) throw new VerificationError('status_unavailable', 'the status list is not from a trusted issuer');
  return decodedStatusList(token, uri, issuer, now)(idx);
}

/** A Status List (`bits` per entry, `lst` as in the token) decoded once: the status at an index. */
export function decodeStatusList(lst: string, bits: 1 | 2 | 4 | 8): (idx: number) => number {
  const list = StatusList.decompressStatusListFromBytes(new Uint8Array(Buffer.from(lst, 'base64url')), bits);
  return (idx) => list.getStatus(idx);
}
