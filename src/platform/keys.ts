import type { Db } from './db.ts';
import type { FieldCrypto } from './crypto.ts';

// STUB: filled in by the key-store work.

export type SigningAlg = 'ES256' | 'EdDSA';

export interface KeyStore {
  /** Makes sure an active key exists for each algorithm (first start). */
  ensureKeys(): Promise<void>;
}

export function createKeyStore(db: Db, crypto: FieldCrypto): KeyStore {
  void db;
  void crypto;
  return { async ensureKeys() {} };
}
