import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCrypto, maskEmail, maskName, maskPhone, maskRrn, normaliseRrn, openWithKey, sealWithKey } from './crypto.ts';

const master = randomBytes(32);
const fc = createFieldCrypto(master);
const CTX = 'registries.residents.rrn';

/** Flips one bit of byte `i` of the base64url part `part` (1 iv, 2 tag, 3 ciphertext). */
function flip(stored: string, part: number, i = 0): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[i] = bytes[i]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('field encryption', () => {
  it('round-trips, including empty and non-ASCII text', () => {
    for (const plain of ['9001011234567', '', '홍길동 서울특별시 종로구', 'x'.repeat(10_000)]) {
      const enc = fc.encrypt(plain, CTX);
      expect(enc).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]*$/);
      expect(fc.decrypt(enc, CTX)).toBe(plain);
    }
    expect(fc.decrypt(fc.encrypt('no context'))).toBe('no context');
  });

  it('detects tampering of ciphertext, tag and IV', () => {
    const enc = fc.encrypt('9001011234567', CTX);
    for (const part of [1, 2, 3]) expect(() => fc.decrypt(flip(enc, part), CTX)).toThrow();
    const [v, iv, tag, ct] = enc.split('.');
    // a truncated tag would make forgery cheap; it is refused, not accepted
    expect(() => fc.decrypt([v, iv, tag!.slice(0, 6), ct].join('.'), CTX)).toThrow();
    expect(() => fc.decrypt(`${enc}.extra`, CTX)).toThrow();
    expect(() => fc.decrypt('9001011234567', CTX)).toThrow(/not an encrypted value/);
  });

  it('binds the value to its context', () => {
    const enc = fc.encrypt('9001011234567', CTX);
    expect(() => fc.decrypt(enc, 'registries.residents.phone')).toThrow();
    expect(() => fc.decrypt(enc)).toThrow();
  });

  it('fails under another master key', () => {
    const enc = fc.encrypt('9001011234567', CTX);
    expect(() => createFieldCrypto(randomBytes(32)).decrypt(enc, CTX)).toThrow();
    expect(createFieldCrypto(Buffer.from(master)).decrypt(enc, CTX)).toBe('9001011234567');
  });

  it('uses a fresh IV each time', () => {
    const seen = new Set<string>();
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const enc = fc.encrypt('9001011234567', CTX);
      seen.add(enc);
      ivs.add(enc.split('.')[1]!);
    }
    expect(seen.size).toBe(200);
    expect(ivs.size).toBe(200);
  });

  it('refuses a master key of the wrong length', () => {
    expect(() => createFieldCrypto(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('blind index', () => {
  it('is deterministic, keyed and separated by context', () => {
    const a = fc.blindIndex('9001011234567', CTX);
    expect(fc.blindIndex('9001011234567', CTX)).toBe(a);
    expect(createFieldCrypto(Buffer.from(master)).blindIndex('9001011234567', CTX)).toBe(a);
    expect(createFieldCrypto(randomBytes(32)).blindIndex('9001011234567', CTX)).not.toBe(a);
    expect(fc.blindIndex('9001011234568', CTX)).not.toBe(a);
    expect(fc.blindIndex('9001011234567', 'other.context')).not.toBe(a);
    // it is not the plain hash of the value
    expect(a).not.toContain('9001011234567');
  });
});

describe('derived keys', () => {
  it('differ per purpose and never equal the field keys', () => {
    const k = fc.deriveKey('key-store');
    expect(k).toHaveLength(32);
    expect(fc.deriveKey('key-store').equals(k)).toBe(true);
    expect(fc.deriveKey('other').equals(k)).toBe(false);
    // asking for the field-encryption purpose by name does not hand out the field key
    const enc = fc.encrypt('secret', CTX);
    expect(() => openWithKey(fc.deriveKey('field-encryption'), enc, CTX)).toThrow();
    expect(openWithKey(k, sealWithKey(k, 'private', 'aad'), 'aad')).toBe('private');
  });
});

describe('masking', () => {
  it('masks resident registration numbers', () => {
    expect(maskRrn('9001011234567')).toBe('900101-1******');
    expect(maskRrn('900101-1234567')).toBe('900101-1******');
    expect(maskRrn('900101 2234567')).toBe('900101-2******');
    expect(maskRrn('12345')).toBe('******-*******');
    expect(normaliseRrn('900101-1234567')).toBe('9001011234567');
    expect(normaliseRrn('90010112345678')).toBeUndefined();
  });

  it('masks phone numbers', () => {
    expect(maskPhone('010-1234-5678')).toBe('010-****-5678');
    expect(maskPhone('01012345678')).toBe('010-****-5678');
    expect(maskPhone('02-123-4567')).toBe('02-****-4567');
    expect(maskPhone('031-123-4567')).toBe('031-****-4567');
    expect(maskPhone('+82 10-1234-5678')).toBe('010-****-5678');
    expect(maskPhone('1234')).toBe('***');
  });

  it('masks e-mail addresses', () => {
    expect(maskEmail('hong@example.kr')).toBe('h***@example.kr');
    expect(maskEmail('홍길동@example.kr')).toBe('홍***@example.kr');
    expect(maskEmail('@example.kr')).toBe('***');
    expect(maskEmail('not-an-address')).toBe('***');
  });

  it('masks names', () => {
    expect(maskName('홍길동')).toBe('홍*동');
    expect(maskName('남궁길동')).toBe('남**동');
    expect(maskName('김철')).toBe('김*');
    expect(maskName('김')).toBe('*');
    expect(maskName('Hong Gildong')).toBe('H**********g');
  });
});
