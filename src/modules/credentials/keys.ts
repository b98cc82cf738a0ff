import { KeyObject, sign as nodeSign } from 'node:crypto';
import type { Platform } from '../../platform/platform.ts';

/**
 * The issuer's signing key: the platform's active ES256 key (`hanaro keys rotate --alg ES256`).
 * Credentials name it by `kid`; a retired key stays published in the issuer's JWKS
 * (`/.well-known/jwt-vc-issuer`) for its retention, so credentials it signed still verify after a
 * rotation. Signing is synchronous node:crypto with the key as a KeyObject (no thread-pool hop).
 */
const cache = new WeakMap<Platform, { kid: string; at: number; sign: (data: string) => string }>();
const TTL_MS = 5000;

export async function issuerSigner(platform: Platform): Promise<{ kid: string; sign: (data: string) => string }> {
  const hit = cache.get(platform);
  if (hit && Date.now() - hit.at < TTL_MS) return hit;
  const { kid, privateKey } = await platform.keys.activeKey('ES256');
  const key = KeyObject.from(privateKey);
  const made = { kid, at: Date.now(), sign: (data: string) => nodeSign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url') };
  cache.set(platform, made);
  return made;
}

/** Forgets the cached signer (after `keys rotate` in this process; other processes follow within TTL_MS). */
export function forgetIssuerSigner(platform: Platform): void {
  cache.delete(platform);
}
