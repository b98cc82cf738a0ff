import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Field encryption for personal identifiers (resident registration numbers and the like).
 * AES-256-GCM with a random 96-bit IV per value; the stored form is `v1.<iv>.<tag>.<ciphertext>`
 * in base64url so that it fits a text column. A keyed HMAC-SHA-256 "blind index" lets a store
 * find a row by exact value without decrypting every row. Both keys are derived from the master
 * key with HKDF, each for its own purpose, so neither can stand in for the other.
 */
export interface FieldCrypto {
  encrypt(plain: string, context?: string): string;
  decrypt(stored: string, context?: string): string;
  /** Deterministic keyed hash of a normalised value, for equality look-ups. */
  blindIndex(value: string, context?: string): string;
  /** A key derived from the master key for another purpose (e.g. encrypting private keys). */
  deriveKey(purpose: string): Buffer;
}

const derive = (master: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `hanaro:${purpose}`, 32));

export function createFieldCrypto(masterKey: Buffer): FieldCrypto {
  if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  const encKey = derive(masterKey, 'field-encryption');
  const indexKey = derive(masterKey, 'blind-index');
  return {
    encrypt(plain, context = '') {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      // the context (table and column) is authenticated: a value copied to another column fails to decrypt
      cipher.setAAD(Buffer.from(context));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    decrypt(stored, context = '') {
      const [v, iv, tag, ct] = stored.split('.');
      if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not an encrypted field value');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
    blindIndex(value, context = '') {
      return createHmac('sha256', indexKey).update(context).update('\0').update(value).digest('base64url');
    },
    deriveKey: (purpose) => derive(masterKey, purpose),
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

/** `010-****-5678` */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '');
  if (d.length < 9) return '***';
  return `${d.slice(0, 3)}-****-${d.slice(-4)}`;
}

/** `h***@example.kr` */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** `홍*동`, `김*`: keeps the first and (for three or more characters) the last character. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
