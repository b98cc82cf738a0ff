import { createHash, createPublicKey, randomBytes, randomUUID, verify as nodeVerify, type JsonWebKey as NodeJsonWebKey } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { sql } from 'drizzle-orm';
import { decodeProtectedHeader, type JWK } from 'jose';
import { rows } from '../../platform/db.ts';
import { createGroupCall, type GroupCall } from '../../platform/group-commit.ts';
import type { Platform } from '../../platform/platform.ts';
import { CONFIGURATIONS, type ClaimInfo, type CredentialConfiguration } from './documents.ts';
import { OAuthError } from './errors.ts';
import { issuerSigner } from './keys.ts';
import { issuerOf } from './offers.ts';
import { recordIssued, statusListUri } from './status.ts';

/**
 * The credential endpoint's work (OpenID4VCI 1.0 §8): check the access token's grant, the key
 * proof (a JWT `openid4vci-proof+jwt` signed by the holder's key, naming this issuer as audience
 * and carrying a nonce from the nonce endpoint, each nonce good once), read the claims from the
 * registries, take a status-list index and sign an SD-JWT VC bound to the holder's key.
 */
export const NONCE_TTL_MS = 5 * 60_000;
export const PROOF_MAX_AGE_S = 300;
const CLOCK_TOLERANCE_S = 30;

export const hasher = (data: string | ArrayBuffer, alg = 'sha-256'): Uint8Array => {
  if (alg !== 'sha-256') throw new Error(`unsupported hash ${alg}`);
  return new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : Buffer.from(data)).digest());
};
/**
 * Salts (128 bits each, 15 or so per credential) cut from a pool of random bytes refilled 4 KB at
 * a time: one call into the kernel's generator per 256 salts instead of one per salt.
 */
let pool = Buffer.alloc(0);
let poolAt = 0;
export function saltGenerator(len = 16): string {
  if (poolAt + len > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  const salt = pool.subarray(poolAt, poolAt + len).toString('base64url');
  poolAt += len;
  return salt;
}

/** RFC 7638 thumbprint of a P-256 public key (synchronous: node:crypto rather than WebCrypto). */
export const jwkThumbprint = (jwk: JWK): string => createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');

export const vctOf = (platform: Platform, c: CredentialConfiguration) => `${issuerOf(platform)}/credentials/types/${c.type}`;

/** A fresh c_nonce (nonce endpoint); stored until used or NONCE_TTL_MS. */
export async function newNonce(platform: Platform): Promise<string> {
  const value = randomBytes(24).toString('base64url');
  await platform.db.execute(sql`insert into credentials.nonce (value, expires_at) values (${value}, ${new Date(Date.now() + NONCE_TTL_MS).toISOString()})`);
  if (Math.random() < 0.01) await platform.db.execute(sql`delete from credentials.nonce where expires_at < now()`);
  return value;
}

/**
 * Takes (deletes) a live nonce: true when it was one of ours and unused. Nonces taken at the same
 * time go in one statement (one commit for many proofs under load).
 */
const nonceTakers = new WeakMap<Platform, GroupCall<string, boolean>>();
function takeNonce(platform: Platform, value: string): Promise<boolean> {
  let g = nonceTakers.get(platform);
  if (!g) {
    g = createGroupCall(async (values: string[]) => {
      const taken = await rows<{ value: string }>(
        platform.db,
        sql`delete from credentials.nonce where value in (${sql.join(values.map((v) => sql`${v}`), sql`, `)}) and expires_at > now() returning value`,
      );
      const found = new Set(taken.map((t) => t.value));
      // the same nonce twice in one batch is still good once
      return values.map((v) => found.delete(v));
    });
    nonceTakers.set(platform, g);
  }
  return g.call(value);
}

/** Verifies one JWT key proof; returns the holder's public JWK. */
export async function checkProof(platform: Platform, proof: unknown): Promise<JWK> {
  if (typeof proof !== 'string' || proof.length > 8000) throw new OAuthError(400, 'invalid_proof', 'the proof must be a compact JWT');
  let header;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw new OAuthError(400, 'invalid_proof', 'the proof is not a JWT');
  }
  if (header.typ !== 'openid4vci-proof+jwt') throw new OAuthError(400, 'invalid_proof', 'the proof typ must be openid4vci-proof+jwt');
  if (header.alg !== 'ES256') throw new OAuthError(400, 'invalid_proof', 'the proof must be signed with ES256');
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== 'object' || 'd' in jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new OAuthError(400, 'invalid_proof', 'the proof header must carry the holder\u2019s public P-256 key as jwk');
  // the signature checked by node:crypto directly (jose's jwtVerify would import the key into
  // WebCrypto for every proof, a third of the endpoint's CPU), then the claims jwtVerify checks
  const [h, p, sig] = proof.split('.');
  let payload: { aud?: unknown; iat?: unknown; exp?: unknown; nbf?: unknown; nonce?: unknown };
  let valid = false;
  try {
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as NodeJsonWebKey, format: 'jwk' });
    valid = Boolean(sig) && nodeVerify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig!, 'base64url'));
    payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as typeof payload;
    if (!payload || typeof payload !== 'object') throw new Error('not an object');
  } catch {
    throw new OAuthError(400, 'invalid_proof', 'the proof does not verify: its key or payload is malformed');
  }
  if (!valid) throw new OAuthError(400, 'invalid_proof', 'the proof does not verify: signature verification failed');
  const now = Date.now() / 1000;
  const aud = payload.aud;
  if (aud !== issuerOf(platform) && !(Array.isArray(aud) && aud.includes(issuerOf(platform)))) throw new OAuthError(400, 'invalid_proof', 'the proof does not verify: unexpected "aud" claim value');
  if (typeof payload.iat !== 'number' || now - payload.iat > PROOF_MAX_AGE_S + CLOCK_TOLERANCE_S || payload.iat - now > CLOCK_TOLERANCE_S) {
    throw new OAuthError(400, 'invalid_proof', 'the proof does not verify: "iat" is missing, too old or in the future');
  }
  if ((typeof payload.exp === 'number' && payload.exp + CLOCK_TOLERANCE_S < now) || (typeof payload.nbf === 'number' && payload.nbf - CLOCK_TOLERANCE_S > now)) {
    throw new OAuthError(400, 'invalid_proof', 'the proof does not verify: it has expired or is not valid yet');
  }
  if (typeof payload.nonce !== 'string' || !(await takeNonce(platform, payload.nonce))) {
    throw new OAuthError(400, 'invalid_nonce', 'the proof\u2019s nonce is missing, unknown or used: get a fresh one from the nonce endpoint');
  }
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, y };
}

/** The disclosure frame: every claim selectively disclosable, nested members each on their own. */
function frameOf(claims: ClaimInfo[]): Record<string, unknown> {
  const frame: Record<string, unknown> & { _sd: string[] } = { _sd: [] };
  for (const c of claims) {
    const [top, member] = c.path;
    if (!frame._sd.includes(top!)) frame._sd.push(top!);
    if (member !== undefined) {
      const sub = (frame[top!] ??= { _sd: [] as string[] }) as { _sd: string[] };
      if (!sub._sd.includes(member)) sub._sd.push(member);
    }
  }
  return frame;
}

const instances = new WeakMap<Platform, { kid: string; sdjwt: SDJwtVcInstance }>();

export interface Issued {
  credential: string;
  notificationId: string;
  credentialId: string;
}

export interface IssueOptions {
  now?: Date;
  /** The claims already read from the registries for this request: a batch (one credential per key proof) shares one read. */
  claims?: Record<string, unknown>;
  /** One notification id for every credential of a credential response. */
  notificationId?: string;
}

/** Issues one SD-JWT VC of `configurationId` for the citizen, bound to `holder`. */
export async function issueSdJwt(platform: Platform, citizenId: string, configurationId: string, holder: JWK, opts: IssueOptions = {}): Promise<Issued> {
  const config = CONFIGURATIONS[configurationId];
  if (!config) throw new OAuthError(400, 'unknown_credential_configuration', `no credential configuration ${configurationId}`);
  const now = opts.now ?? new Date();
  const claims = opts.claims ?? (await config.read(platform, citizenId, now));
  const signer = await issuerSigner(platform);
  let inst = instances.get(platform);
  if (!inst || inst.kid !== signer.kid) {
    inst = { kid: signer.kid, sdjwt: new SDJwtVcInstance({ signer: signer.sign, signAlg: 'ES256', hasher, hashAlg: 'sha-256', saltGenerator }) };
    instances.set(platform, inst);
  }
  const credentialId = randomUUID();
  const notificationId = opts.notificationId ?? randomBytes(16).toString('base64url');
  const expiresAt = new Date(now.getTime() + config.validityDays * 86400_000);
  const { listId, idx } = await recordIssued(platform.db, {
    id: credentialId,
    citizenId,
    configurationId,
    format: config.format,
    holderJkt: jwkThumbprint(holder),
    expiresAt,
    notificationId,
  });
  const iat = Math.floor(now.getTime() / 1000);
  const present = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined && v !== null));
  const credential = await inst.sdjwt.issue(
    {
      iss: issuerOf(platform),
      vct: vctOf(platform, config),
      iat,
      nbf: iat,
      exp: Math.floor(expiresAt.getTime() / 1000),
      cnf: { jwk: holder },
      status: { status_list: { idx, uri: statusListUri(platform, listId) } },
      ...present,
    },
    frameOf(config.claims.filter((c) => c.path[0]! in present)) as never,
    { header: { typ: 'dc+sd-jwt', kid: signer.kid } },
  );
  return { credential, notificationId, credentialId };
}
