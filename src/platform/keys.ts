import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import type { JSONWebKeySet, JWK, JWTHeaderParameters, JWTPayload } from 'jose';
import { sql } from 'drizzle-orm';
import { openWithKey, sealWithKey, type FieldCrypto } from './crypto.ts';
import { rows, type Db } from './db.ts';

/**
 * The platform's signing keys (platform.keys): one active key per algorithm signs; retired keys
 * stay published in the JWKS for `retiredRetentionMs` so that what they signed still verifies.
 *
 * - kid: the RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key.
 * - public_jwk: the public JWK with kid, alg and use "sig".
 * - private_enc: the private JWK as JSON, sealed with AES-256-GCM under
 *   `crypto.deriveKey('key-store')` (HKDF of the master key), with `platform.keys:<kid>:<alg>`
 *   as additional authenticated data: `v1.<iv>.<tag>.<ciphertext>`, base64url. A sealed key
 *   copied onto another row does not open, and an opened key must match its row's kid.
 *
 * Caching: decrypted private keys are kept per kid for the life of the process (a kid never
 * changes its key). Which kid is active is re-read from the database when it is older than
 * `activeKidTtlMs` (default 5 s, one indexed look-up), so a rotation by another process is
 * used here within that time; until then this process signs with the retired key, which
 * still verifies because retired keys stay in the JWKS. `jwks()` always reads the database, so
 * a new key is published everywhere the moment its rotation commits.
 */
export type SigningAlg = 'ES256' | 'EdDSA';
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'EdDSA'];

export interface KeyInfo {
  kid: string;
  alg: SigningAlg;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | undefined;
  /** In the JWKS: active, or retired less than the retention ago. */
  published: boolean;
}

export interface SignOptions {
  /** `typ` header (default `JWT`), e.g. `dc+sd-jwt`, `at+jwt`. */
  typ?: string;
  /** More protected header parameters; `alg` and `kid` are always the store's. */
  header?: Omit<JWTHeaderParameters, 'alg' | 'kid'>;
  issuer?: string;
  subject?: string;
  audience?: string | string[];
  /** Seconds from now, or a jose time span such as `15m`. */
  expiresIn?: number | string;
  jti?: string;
}

export interface KeyStoreOptions {
  /** How long a retired key stays in the JWKS (default 90 days). Make it longer than anything it signed lives. */
  retiredRetentionMs?: number;
  /** How long this process trusts its idea of the active kid (default 5 s). */
  activeKidTtlMs?: number;
}

export interface KeyStore {
  /** Makes sure an active key exists for each algorithm (first start). */
  ensureKeys(): Promise<void>;
  /** Makes a new active key for `alg`; the active one becomes retired (still published). */
  rotate(alg: SigningAlg): Promise<KeyInfo>;
  /** The key to sign with now (created on first use if there is none yet). */
  activeKey(alg: SigningAlg): Promise<{ kid: string; alg: SigningAlg; privateKey: CryptoKey }>;
  /** A compact JWT signed with the active key, with `kid` (and `iat`) set. */
  sign(alg: SigningAlg, payload: JWTPayload, opts?: SignOptions): Promise<string>;
  /** Public keys that verify: the active ones and retired ones within retention. */
  jwks(): Promise<JSONWebKeySet>;
  /** Every stored key, newest first. */
  list(): Promise<KeyInfo[]>;
  /**
   * The published keys as private JWKs, active ones first (for a library that signs itself and
   * takes keys only as JWKs: the OpenID Provider). Keep them in memory only.
   */
  privateJwks(): Promise<JWK[]>;
  /** Deletes retired keys older than `olderThanMs` (default: the retention); returns their kids. */
  prune(olderThanMs?: number): Promise<string[]>;
}

const DAY_MS = 86_400_000;
// distinct from the migration (…601) and audit (…602) locks
const KEYS_LOCK = 4_621_202_603;
const PURPOSE = 'signing';

interface NewKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  privateEnc: string;
}

const aad = (kid: string, alg: string) => `platform.keys:${kid}:${alg}`;

interface KeyRow {
  kid: string;
  alg: SigningAlg;
  status: 'active' | 'retired';
  created_at: Date | string;
  retired_at: Date | string | null;
  published: boolean;
}

const iso = (v: Date | string) => new Date(v).toISOString();

/** Creates the key store; private keys are sealed with a key derived from the master key. */
export function createKeyStore(db: Db, crypto: FieldCrypto, opts: KeyStoreOptions = {}): KeyStore {
  const retentionSeconds = (opts.retiredRetentionMs ?? 90 * DAY_MS) / 1000;
  const ttl = opts.activeKidTtlMs ?? 5000;
  const sealKey = crypto.deriveKey('key-store');
  const active = new Map<SigningAlg, { kid: string; until: number }>();
  const privateKeys = new Map<string, Promise<CryptoKey>>();

  async function generate(alg: SigningAlg): Promise<NewKey> {
    const pair = await generateKeyPair(alg, { extractable: true });
    const pub = await exportJWK(pair.publicKey);
    const kid = await calculateJwkThumbprint(pub, 'sha256');
    const priv = await exportJWK(pair.privateKey);
    return {
      kid,
      alg,
      publicJwk: { ...pub, kid, alg, use: 'sig' },
      privateEnc: sealWithKey(sealKey, JSON.stringify({ ...priv, kid, alg }), aad(kid, alg)),
    };
  }

  const insert = (t: Db, k: NewKey) =>
    t.execute(sql`insert into platform.keys (kid, alg, purpose, status, public_jwk, private_enc)
      values (${k.kid}, ${k.alg}, ${PURPOSE}, 'active', ${JSON.stringify(k.publicJwk)}::jsonb, ${k.privateEnc})`);

  async function activeKid(t: Db, alg: SigningAlg): Promise<string | undefined> {
    const [row] = await rows<{ kid: string }>(
      t,
      sql`select kid from platform.keys where alg = ${alg} and purpose = ${PURPOSE} and status = 'active' limit 1`,
    );
    return row?.kid;
  }

  /** The active kid of `alg`, making the first key if there is none. */
  async function ensureAlg(alg: SigningAlg): Promise<string> {
    const existing = await activeKid(db, alg);
    if (existing) return existing;
    // generated outside the lock to keep the critical section short; wasted if another process wins
    const fresh = await generate(alg);
    return db.transaction(async (t) => {
      await t.execute(sql`select pg_advisory_xact_lock(${KEYS_LOCK})`);
      const winner = await activeKid(t, alg);
      if (winner) return winner;
      await insert(t, fresh);
      return fresh.kid;
    });
  }

  async function loadPrivate(kid: string): Promise<CryptoKey> {
    const [row] = await rows<{ alg: SigningAlg; private_enc: string }>(db, sql`select alg, private_enc from platform.keys where kid = ${kid}`);
    if (!row) throw new Error(`signing key ${kid} does not exist`);
    const jwk = JSON.parse(openWithKey(sealKey, row.private_enc, aad(kid, row.alg))) as JWK;
    if ((await calculateJwkThumbprint(jwk, 'sha256')) !== kid) throw new Error(`signing key ${kid} does not match its kid`);
    return (await importJWK(jwk, row.alg, { extractable: false })) as CryptoKey;
  }

  function privateKey(kid: string): Promise<CryptoKey> {
    let p = privateKeys.get(kid);
    if (!p) {
      p = loadPrivate(kid);
      privateKeys.set(kid, p);
      // a failure (e.g. wrong master key) is not remembered: the next call tries again
      p.catch(() => privateKeys.delete(kid));
    }
    return p;
  }

  // active keys, and retired ones still within retention: what the JWKS publishes
  const published = sql`(status = 'active' or retired_at > now() - make_interval(secs => ${retentionSeconds}))`;

  async function list(where = sql``): Promise<KeyInfo[]> {
    const found = await rows<KeyRow>(
      db,
      sql`select kid, alg, status, created_at, retired_at,
            ${published} as published
          from platform.keys where purpose = ${PURPOSE} ${where} order by created_at desc, kid`,
    );
    return found.map((r) => ({
      kid: r.kid,
      alg: r.alg,
      status: r.status,
      createdAt: iso(r.created_at),
      retiredAt: r.retired_at === null ? undefined : iso(r.retired_at),
      published: r.published,
    }));
  }

  function assertAlg(alg: SigningAlg): void {
    if (!SIGNING_ALGS.includes(alg)) throw new Error(`unsupported signing algorithm ${String(alg)}; use ${SIGNING_ALGS.join(' or ')}`);
  }

  const store: KeyStore = {
    async ensureKeys() {
      for (const alg of SIGNING_ALGS) active.set(alg, { kid: await ensureAlg(alg), until: Date.now() + ttl });
    },

    async rotate(alg) {
      assertAlg(alg);
      const fresh = await generate(alg);
      await db.transaction(async (t) => {
        await t.execute(sql`select pg_advisory_xact_lock(${KEYS_LOCK})`);
        await t.execute(sql`update platform.keys set status = 'retired', retired_at = now()
          where alg = ${alg} and purpose = ${PURPOSE} and status = 'active'`);
        await insert(t, fresh);
      });
      active.set(alg, { kid: fresh.kid, until: Date.now() + ttl });
      const [info] = await list(sql`and kid = ${fresh.kid}`);
      return info!;
    },

    async activeKey(alg) {
      assertAlg(alg);
      let cached = active.get(alg);
      if (!cached || cached.until <= Date.now()) {
        cached = { kid: await ensureAlg(alg), until: Date.now() + ttl };
        active.set(alg, cached);
      }
      return { kid: cached.kid, alg, privateKey: await privateKey(cached.kid) };
    },

    async sign(alg, payload, o = {}) {
      const { kid, privateKey: key } = await store.activeKey(alg);
      const jwt = new SignJWT(payload).setProtectedHeader({ ...o.header, typ: o.typ ?? 'JWT', alg, kid });
      if (payload.iat === undefined) jwt.setIssuedAt();
      if (o.issuer !== undefined) jwt.setIssuer(o.issuer);
      if (o.subject !== undefined) jwt.setSubject(o.subject);
      if (o.audience !== undefined) jwt.setAudience(o.audience);
      if (o.jti !== undefined) jwt.setJti(o.jti);
      if (o.expiresIn !== undefined) {
        jwt.setExpirationTime(typeof o.expiresIn === 'number' ? Math.floor(Date.now() / 1000) + o.expiresIn : o.expiresIn);
      }
      return jwt.sign(key);
    },

    async jwks() {
      const found = await rows<{ jwk: string }>(
        db,
        sql`select public_jwk::text as jwk from platform.keys
          where purpose = ${PURPOSE} and ${published}
          order by status, created_at desc, kid`,
      );
      return { keys: found.map((r) => JSON.parse(r.jwk) as JWK) };
    },

    list: () => list(),

    async privateJwks() {
      const found = await rows<{ kid: string; alg: SigningAlg; private_enc: string }>(
        db,
        sql`select kid, alg, private_enc from platform.keys
          where purpose = ${PURPOSE} and ${published}
          order by status, created_at desc, kid`,
      );
      return found.map((r) => ({ ...(JSON.parse(openWithKey(sealKey, r.private_enc, aad(r.kid, r.alg))) as JWK), kid: r.kid, alg: r.alg, use: 'sig' }));
    },

    async prune(olderThanMs) {
      const secs = olderThanMs === undefined ? retentionSeconds : olderThanMs / 1000;
      const gone = await rows<{ kid: string }>(
        db,
        sql`delete from platform.keys where purpose = ${PURPOSE} and status = 'retired'
          and retired_at <= now() - make_interval(secs => ${secs}) returning kid`,
      );
      for (const g of gone) privateKeys.delete(g.kid);
      return gone.map((g) => g.kid);
    },
  };
  return store;
}
