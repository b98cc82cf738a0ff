import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Field encryption for personal identifiers (resident registration numbers and the like).
 * AES-256-GCM with a random 96-bit IV per value; the stored form is `v1.<iv>.<tag>.<ciphertext>`
 * in base64url so that it fits a text column. A keyed HMAC-SHA-256 "blind index" lets a store
 * find a row by exact value without decrypting every row. Both keys are derived from the master
 * key with HKDF, each for its own purpose, so neither can stand in for the other.
 */
export interface FieldCrypto {
  /** Encrypts `plain`; `context` (e.g. `registries.residents.rrn`) must be given again to decrypt. */
  encrypt(plain: string, context?: string): string;
  /** Decrypts a value from `encrypt`; throws if it was altered or belongs to another context or key. */
  decrypt(stored: string, context?: string): string;
  /** Deterministic keyed hash of a normalised value, for equality look-ups. */
  blindIndex(value: string, context?: string): string;
  /** A 32-byte key derived from the master key for another purpose (e.g. encrypting private keys). */
  deriveKey(purpose: string): Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

const hkdf = (master: Buffer, info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));

/**
 * AES-256-GCM under `key`, authenticating `aad`; returns `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * For callers holding their own derived key (the key store); fields use {@link FieldCrypto}.
 */
export function sealWithKey(key: Buffer, plain: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** Opens a value from {@link sealWithKey}; throws if the key, the aad or any byte differs. */
export function openWithKey(key: Buffer, stored: string, aad: string): string {
  const parts = stored.split('.');
  const [v, ivText, tagText, ctText] = parts;
  if (parts.length !== 4 || v !== 'v1' || ivText === undefined || tagText === undefined || ctText === undefined) {
    throw new Error('not an encrypted value');
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  // GCM accepts other IV lengths and tags as short as 4 bytes; a short tag makes forgery cheap
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('not an encrypted value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(ctText, 'base64url')), decipher.final()]).toString('utf8');
}

/** Creates the field encryption of one master key (32 bytes). */
export function createFieldCrypto(masterKey: Buffer): FieldCrypto {
  if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  const encKey = hkdf(masterKey, 'hanaro:field-encryption');
  const indexKey = hkdf(masterKey, 'hanaro:blind-index');
  return {
    // the context (table and column) is authenticated: a value copied to another column fails to decrypt
    encrypt: (plain, context = '') => sealWithKey(encKey, plain, context),
    decrypt: (stored, context = '') => openWithKey(encKey, stored, context),
    blindIndex(value, context = '') {
      return createHmac('sha256', indexKey).update(context).update('\0').update(value).digest('base64url');
    },
    // a namespace of its own, so that no purpose name can obtain the field or index key
    deriveKey: (purpose) => hkdf(masterKey, `hanaro:derived:${purpose}`),
  };
}

/** Digits of a resident registration number without the hyphen, or undefined if it is not 13 digits. */
export function normaliseRrn(rrn: string): string | undefined {
  const digits = rrn.replace(/[\s-]/g, '');
  return /^\d{13}$/.test(digits) ? digits : undefined;
}

/** `900101-1******`: birth date and the gender digit stay, the rest is hidden. */
export function maskRrn(rrn: string): string {
  const d = normaliseRrn(rrn);
  if (!d) return '******-*******';
  return `${d.slice(0, 6)}-${d[6]}******`;
}

/** `010-****-5678`, `02-****-5678`: the prefix and the last four digits stay. */
export function maskPhone(phone: string): string {
  let d = phone.replace(/\D/g, '');
  // +82 10-1234-5678 is 010-1234-5678 dialled from abroad
  if (d.startsWith('82') && d.length >= 10) d = `0${d.slice(2)}`;
  if (d.length < 9) return '***';
  const prefix = d.startsWith('02') ? 2 : 3;
  return `${d.slice(0, prefix)}-****-${d.slice(-4)}`;
}

/** `h***@example.kr` */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${[...email][0]}***${email.slice(at)}`;
}

/** `홍*동`, `김*`: keeps the first and (for three or more characters) the last character. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
