import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from './db.ts';
import { createFieldCrypto, openWithKey } from './crypto.ts';
import { createKeyStore, SIGNING_ALGS, type KeyStore } from './keys.ts';
import { testPlatform, type TestPlatform } from './testing.ts';

let t: TestPlatform;
beforeAll(async () => {
  t = await testPlatform();
});
afterAll(() => t.dispose());

async function verifies(jwt: string, keys: KeyStore) {
  return jwtVerify(jwt, createLocalJWKSet(await keys.jwks()));
}

interface StoredKey {
  kid: string;
  alg: string;
  status: string;
  public_jwk: string;
  private_enc: string;
}
const stored = () =>
  rows<StoredKey>(t.db, sql`select kid, alg, status, public_jwk::text as public_jwk, private_enc from platform.keys order by created_at, kid`);

describe.each(SIGNING_ALGS)('signing keys, %s', (alg) => {
  it('makes one active key, signs with its kid and verifies against the JWKS', async () => {
    await t.keys.ensureKeys();
    await t.keys.ensureKeys();
    const active = (await t.keys.list()).filter((k) => k.alg === alg && k.status === 'active');
    expect(active).toHaveLength(1);
    const { kid } = await t.keys.activeKey(alg);
    expect(kid).toBe(active[0]!.kid);
    const jwt = await t.keys.sign(alg, { purpose: 'test' }, { issuer: 'https://hanaro.example', audience: 'svc', expiresIn: 300, typ: 'at+jwt' });
    const { payload, protectedHeader } = await verifies(jwt, t.keys);
    expect(protectedHeader).toEqual({ alg, kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({ purpose: 'test', iss: 'https://hanaro.example', aud: 'svc' });
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it('keeps old tokens verifiable after rotation and signs new ones with the new kid', async () => {
    const before = await t.keys.activeKey(alg);
    const oldJwt = await t.keys.sign(alg, { n: 1 });
    const rotated = await t.keys.rotate(alg);
    expect(rotated).toMatchObject({ alg, status: 'active', published: true });
    expect(rotated.kid).not.toBe(before.kid);
    const newJwt = await t.keys.sign(alg, { n: 2 });
    expect(decodeProtectedHeader(newJwt).kid).toBe(rotated.kid);
    expect((await verifies(oldJwt, t.keys)).payload.n).toBe(1);
    expect((await verifies(newJwt, t.keys)).payload.n).toBe(2);
    const listed = await t.keys.list();
    expect(listed.find((k) => k.kid === before.kid)).toMatchObject({ status: 'retired', published: true });
    expect(listed.filter((k) => k.alg === alg && k.status === 'active')).toHaveLength(1);
    const jwks = await t.keys.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([before.kid, rotated.kid]));
  });

  it('stores only public parts in the clear', async () => {
    for (const row of (await stored()).filter((r) => r.alg === alg)) {
      const pub = JSON.parse(row.public_jwk) as Record<string, unknown>;
      expect(pub).not.toHaveProperty('d');
      expect(pub).toMatchObject({ kid: row.kid, alg, use: 'sig' });
      expect(row.private_enc).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row.private_enc).not.toContain('"d"');
      for (const part of row.private_enc.split('.')) expect(Buffer.from(part, 'base64url').toString('latin1')).not.toContain('"d"');
      // under the right key it is the private JWK of this kid
      const key = createFieldCrypto(t.config.masterKey).deriveKey('key-store');
      const priv = JSON.parse(openWithKey(key, row.private_enc, `platform.keys:${row.kid}:${alg}`)) as Record<string, unknown>;
      expect(typeof priv.d).toBe('string');
      expect(priv.x).toBe(pub.x);
      // under another master key, or bound to another row, it does not open
      expect(() => openWithKey(createFieldCrypto(randomBytes(32)).deriveKey('key-store'), row.private_enc, `platform.keys:${row.kid}:${alg}`)).toThrow();
      expect(() => openWithKey(key, row.private_enc, `platform.keys:someone-else:${alg}`)).toThrow();
    }
  });
});

describe('key store', () => {
  it('uses kids that are RFC 7638 thumbprints', async () => {
    const { calculateJwkThumbprint } = await import('jose');
    for (const k of (await t.keys.jwks()).keys) expect(await calculateJwkThumbprint(k)).toBe(k.kid);
  });

  it('cannot sign under another master key', async () => {
    const other = createKeyStore(t.db, createFieldCrypto(randomBytes(32)));
    await expect(other.sign('ES256', { x: 1 })).rejects.toThrow();
  });

  it('sees a rotation by another process once its active kid is older than the TTL', async () => {
    // two clocks' worth of TTL so that a slow machine cannot blur them: one far longer than the
    // test, one shorter than any wait
    const patient = createKeyStore(t.db, t.crypto, { activeKidTtlMs: 3_600_000 });
    const eager = createKeyStore(t.db, t.crypto, { activeKidTtlMs: 1 });
    const theirs = createKeyStore(t.db, t.crypto);
    const before = (await patient.activeKey('EdDSA')).kid;
    expect((await eager.activeKey('EdDSA')).kid).toBe(before);
    const after = (await theirs.rotate('EdDSA')).kid;
    // within the TTL the old (still published) key is used
    expect((await patient.activeKey('EdDSA')).kid).toBe(before);
    await new Promise((r) => setTimeout(r, 10));
    expect((await eager.activeKey('EdDSA')).kid).toBe(after);
    // the JWKS is never stale
    expect((await patient.jwks()).keys.map((k) => k.kid)).toContain(after);
  });

  it('stops publishing retired keys after the retention and prunes them', async () => {
    const short = createKeyStore(t.db, t.crypto, { retiredRetentionMs: 1 });
    const old = (await short.activeKey('ES256')).kid;
    const oldJwt = await short.sign('ES256', {});
    await short.rotate('ES256');
    await new Promise((r) => setTimeout(r, 20));
    expect((await short.jwks()).keys.map((k) => k.kid)).not.toContain(old);
    await expect(verifies(oldJwt, short)).rejects.toThrow();
    expect((await short.list()).find((k) => k.kid === old)).toMatchObject({ status: 'retired', published: false });
    // the default retention (90 days) still publishes it
    expect((await t.keys.jwks()).keys.map((k) => k.kid)).toContain(old);
    expect(await short.prune()).toContain(old);
    expect((await short.list()).map((k) => k.kid)).not.toContain(old);
    expect((await stored()).filter((r) => r.status === 'active').map((r) => r.alg).sort()).toEqual(['ES256', 'EdDSA']);
  });

  it('keeps one active key per algorithm when processes start or rotate together', async () => {
    const stores = Array.from({ length: 4 }, () => createKeyStore(t.db, t.crypto));
    await Promise.all([...stores.map((s) => s.ensureKeys()), ...stores.map((s) => s.rotate('ES256'))]);
    const active = (await stored()).filter((r) => r.status === 'active');
    expect(active.map((r) => r.alg).sort()).toEqual(['ES256', 'EdDSA']);
    // a store that had not cached an active kid uses the one active key
    const jwt = await createKeyStore(t.db, t.crypto).sign('ES256', {});
    expect(decodeProtectedHeader(jwt).kid).toBe(active.find((r) => r.alg === 'ES256')!.kid);
    // the others may still sign with a kid they cached within the TTL; it is published
    await verifies(await stores[0]!.sign('ES256', {}), t.keys);
  });

  it('refuses a second active key at the database level', async () => {
    const [row] = (await stored()).filter((r) => r.status === 'active');
    const err = await t.db
      .execute(sql`insert into platform.keys (kid, alg, status, public_jwk, private_enc) values ('dup', ${row!.alg}, 'active', '{}', 'x')`)
      .then(() => undefined, (e: Error) => e);
    expect(String((err?.cause as Error | undefined)?.message ?? err?.message)).toMatch(/keys_one_active/);
  });

  it('refuses an unknown algorithm', async () => {
    await expect(t.keys.rotate('RS256' as 'ES256')).rejects.toThrow(/unsupported/);
    await expect(t.keys.sign('HS256' as 'ES256', {})).rejects.toThrow(/unsupported/);
  });
});
