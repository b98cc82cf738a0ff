import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { rows, type Db } from '../../platform/db.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Seeder } from '../../platform/seed.ts';
import { TtlCache } from './protocol-directory.ts';
import { importPublicJwk, jwkAlg, type ClientSigner, type SignatureAlg, type VerificationKey } from './signatures.ts';

/**
 * Keys of client subsystems (exchange.client_key): a client signs its requests with its private
 * key; the mediator holds the public JWK. kid is the RFC 7638 thumbprint of the public key.
 *
 * Production style: `hanaro exchange client-key create` prints the private JWK once and stores
 * only the public half. In-process callers (mediatedCall, `hanaro exchange call`, the demo
 * clients) need a private key on this side: with `keepPrivate` it is also stored, sealed with
 * platform.crypto under the context `exchange.client_key_private:<kid>` (migration 0002).
 */
export interface ClientKey {
  kid: string;
  clientId: string;
  alg: SignatureAlg;
  publicJwk: JWK;
  privateJwk: JWK;
}

const JOSE_ALG: Record<SignatureAlg, string> = { ed25519: 'EdDSA', 'ecdsa-p256-sha256': 'ES256' };
const sealContext = (kid: string) => `exchange.client_key_private:${kid}`;

/** KR/GOV/MOHW/welfare-services → its parts, or undefined when it is not a subsystem id. */
export function parseSubsystemId(id: string): [string, string, string, string] | undefined {
  const parts = id.split('/');
  if (parts.length !== 4 || parts.some((p) => !/^[A-Za-z0-9'()+,\-.=?]{1,255}$/.test(p))) return undefined;
  return parts as [string, string, string, string];
}

/** A fresh key pair (not stored). */
export async function generateClientKey(alg: SignatureAlg = 'ed25519'): Promise<Omit<ClientKey, 'clientId'>> {
  const pair = alg === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pub = pair.publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(pub, 'sha256');
  const meta = { kid, alg: JOSE_ALG[alg], use: 'sig' };
  return { kid, alg, publicJwk: { ...pub, ...meta }, privateJwk: { ...(pair.privateKey.export({ format: 'jwk' }) as JWK), ...meta } };
}

/**
 * Makes and registers a key for the client subsystem `clientId` (which must exist). Returns the
 * private JWK; it is kept (sealed) only with `keepPrivate`.
 */
export async function createClientKey(
  platform: Platform,
  clientId: string,
  opts: { alg?: SignatureAlg; keepPrivate?: boolean; actor?: string } = {},
): Promise<ClientKey> {
  const parts = parseSubsystemId(clientId);
  if (!parts) throw new NotFoundError(`${clientId} is not a subsystem id (INSTANCE/CLASS/MEMBER/SUBSYSTEM)`, 'unknown_client');
  const [exists] = await rows(
    platform.db,
    sql`select 1 from exchange.subsystem where instance = ${parts[0]} and member_class = ${parts[1]}
        and member_code = ${parts[2]} and subsystem_code = ${parts[3]}`,
  );
  if (!exists) throw new NotFoundError(`subsystem ${clientId} is not in the directory`, 'unknown_client');
  const key = { ...(await generateClientKey(opts.alg)), clientId };
  await platform.db.transaction(async (tx) => {
    await tx.execute(sql`insert into exchange.client_key (kid, client_id, public_jwk)
      values (${key.kid}, ${clientId}, ${JSON.stringify(key.publicJwk)}::jsonb)`);
    if (opts.keepPrivate) {
      const sealed = platform.crypto.encrypt(JSON.stringify(key.privateJwk), sealContext(key.kid));
      await tx.execute(sql`insert into exchange.client_key_private (kid, private_enc) values (${key.kid}, ${sealed})`);
    }
    await platform.audit.append(
      { actor: opts.actor ?? 'system', action: 'exchange.client-key.created', subject: clientId, data: { kid: key.kid, alg: key.publicJwk.crv ?? key.publicJwk.kty, platformHeld: !!opts.keepPrivate } },
      tx as unknown as Db,
    );
  });
  return key;
}

/** Revokes a key: requests signed with it fail within the key cache window (2 s). */
export async function revokeClientKey(platform: Platform, kid: string, actor = 'system'): Promise<boolean> {
  return platform.db.transaction(async (tx) => {
    const done = await rows<{ client_id: string }>(tx as unknown as Db, sql`update exchange.client_key set revoked_at = now() where kid = ${kid} and revoked_at is null returning client_id`);
    if (done.length) await platform.audit.append({ actor, action: 'exchange.client-key.revoked', subject: done[0]!.client_id, data: { kid } }, tx as unknown as Db);
    return done.length > 0;
  });
}

export interface ClientKeyInfo {
  kid: string;
  clientId: string;
  alg: SignatureAlg;
  createdAt: string;
  revokedAt: string | null;
  inProcess: boolean;
}

export async function listClientKeys(platform: Platform, clientId?: string): Promise<ClientKeyInfo[]> {
  const found = await rows<{ kid: string; client_id: string; jwk: string; created_at: string; revoked_at: string | null; in_process: boolean }>(
    platform.db,
    sql`select k.kid, k.client_id, k.public_jwk::text as jwk, k.created_at::text, k.revoked_at::text,
          exists (select 1 from exchange.client_key_private p where p.kid = k.kid) as in_process
        from exchange.client_key k ${clientId ? sql`where k.client_id = ${clientId}` : sql``}
        order by k.client_id, k.created_at desc`,
  );
  return found.map((r) => ({
    kid: r.kid,
    clientId: r.client_id,
    alg: jwkAlg(JSON.parse(r.jwk) as JsonWebKey),
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    inProcess: r.in_process,
  }));
}

/** A verification key with the client it belongs to. */
export interface ClientPublicKey extends VerificationKey {
  clientId: string;
}

/**
 * Public keys by kid for the verifier, imported once and re-read after `ttlMs` (2 s) so that a
 * revocation takes effect within that window. Unknown and revoked kids are cached as misses.
 */
export function createClientKeyCache(db: Db, ttlMs = 2000): { lookup(kid: string): Promise<ClientPublicKey | undefined>; clear(): void } {
  const imported = new Map<string, ClientPublicKey>();
  const cache = new TtlCache<string, ClientPublicKey | undefined>(ttlMs, async (kid) => {
    const [row] = await rows<{ client_id: string; jwk: string }>(
      db,
      sql`select client_id, public_jwk::text as jwk from exchange.client_key where kid = ${kid} and revoked_at is null`,
    );
    if (!row) return undefined;
    // a kid's key never changes (it is its thumbprint); only its revocation does
    let key = imported.get(kid);
    if (!key || key.clientId !== row.client_id) {
      key = { ...importPublicJwk(JSON.parse(row.jwk) as JsonWebKey), clientId: row.client_id };
      if (imported.size > 10_000) imported.clear();
      imported.set(kid, key);
    }
    return key;
  });
  return { lookup: (kid) => cache.get(kid), clear: () => cache.clear() };
}

/**
 * The signer of an in-process client: its newest active key that has a stored private half.
 * Cached for `ttlMs` (30 s); a key revoked meanwhile is refused by the verifier.
 */
export function createSignerCache(platform: Platform, ttlMs = 30_000): { signer(clientId: string): Promise<ClientSigner> } {
  const cache = new TtlCache<string, ClientSigner>(ttlMs, async (clientId) => {
    const [row] = await rows<{ kid: string; private_enc: string }>(
      platform.db,
      sql`select k.kid, p.private_enc from exchange.client_key k join exchange.client_key_private p on p.kid = k.kid
          where k.client_id = ${clientId} and k.revoked_at is null order by k.created_at desc limit 1`,
    );
    if (!row) throw new NotFoundError(`no in-process signing key for client ${clientId} (hanaro seed makes them for the directory's subsystems)`, 'no_client_key');
    const jwk = JSON.parse(platform.crypto.decrypt(row.private_enc, sealContext(row.kid))) as JsonWebKey;
    return { kid: row.kid, alg: jwkAlg(jwk), privateKey: createPrivateKey({ key: jwk, format: 'jwk' }) };
  });
  return { signer: (clientId) => cache.get(clientId) };
}

/** Gives every subsystem in the directory that has no active key one, kept for in-process signing. */
export const clientKeySeeder: Seeder = {
  name: 'exchange.client-keys',
  dependsOn: ['exchange.directory'],
  async run({ platform }) {
    // keys whose private half the platform keeps are for the demo; a real agency system makes
    // its own (`hanaro exchange client-key create`) and the platform keeps only the public half
    if (platform.config.mode === 'production') return;
    const missing = await rows<{ id: string }>(
      platform.db,
      sql`select s.instance || '/' || s.member_class || '/' || s.member_code || '/' || s.subsystem_code as id
          from exchange.subsystem s
          where not exists (select 1 from exchange.client_key k
            where k.client_id = s.instance || '/' || s.member_class || '/' || s.member_code || '/' || s.subsystem_code
              and k.revoked_at is null)
          order by 1`,
    );
    for (const { id } of missing) await createClientKey(platform, id, { keepPrivate: true });
  },
};
