import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createSigner, httpbis } from 'http-message-signatures';
import { describe, expect, it } from 'vitest';
import { parseDictionary, serializeInnerList, type InnerList } from './signature-fields.ts';
import { checkContentDigest, contentDigest, signatureBase, signRequest, verifySignature, type RequestToVerify, type SignatureAlg } from './signatures.ts';

// RFC 9421 appendix B.1.4 test key and the B.2.6 example (ed25519 is deterministic)
const B14_PRIVATE = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n';
const B14_PUBLIC = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n';
const B26_INPUT = 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
const B26_SIGNATURE = 'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:';
const B2_HEADERS = {
  host: 'example.com',
  date: 'Tue, 20 Apr 2021 02:07:55 GMT',
  'content-type': 'application/json',
  'content-digest': 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
  'content-length': '18',
};
const B2_BODY = Buffer.from('{"hello": "world"}');

describe('RFC 9421 appendix B.2.6 (ed25519)', () => {
  const req: RequestToVerify = {
    method: 'POST',
    url: new URL('https://example.com/foo?param=Value&Pet=dog'),
    headers: { ...B2_HEADERS, 'signature-input': B26_INPUT, signature: B26_SIGNATURE },
  };
  const key = { key: createPublicKey(B14_PUBLIC), alg: 'ed25519' as const };

  it('verifies with our verifier (the example leaves alg to the key; our profile requires it)', async () => {
    expect(await verifySignature(req, { keyLookup: (kid) => (kid === 'test-key-ed25519' ? key : undefined), now: 1618884473, requireAlg: false })).toMatchObject({
      ok: true,
      label: 'sig-b26',
      keyid: 'test-key-ed25519',
    });
    expect(await verifySignature(req, { keyLookup: () => key, now: 1618884473 })).toMatchObject({ ok: false, reason: expect.stringContaining('"alg"') });
    // one changed covered header and it fails
    const changed = { ...req, headers: { ...req.headers, 'content-length': '19' } };
    expect(await verifySignature(changed, { keyLookup: () => key, now: 1618884473, requireAlg: false })).toMatchObject({ ok: false });
  });

  it('the package reproduces the signature and our verifier accepts the base it signs', async () => {
    const signed = await httpbis.signMessage(
      {
        key: createSigner(createPrivateKey(B14_PRIVATE), 'ed25519', 'test-key-ed25519'),
        name: 'sig-b26',
        fields: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
        params: ['created', 'keyid'],
        paramValues: { created: new Date(1618884473 * 1000) },
      },
      { method: 'POST', url: 'https://example.com/foo?param=Value&Pet=dog', headers: { ...B2_HEADERS } },
    );
    const out = signed.headers as Record<string, string>;
    expect(out['Signature-Input']).toBe(B26_INPUT);
    expect(out.Signature).toBe(B26_SIGNATURE);
    expect(checkContentDigest(B2_HEADERS['content-digest'], B2_BODY)).toBeUndefined();
  });

  it('builds the signature base of the example exactly', () => {
    const input = parseDictionary(B26_INPUT).get('sig-b26') as InnerList;
    expect(serializeInnerList(input)).toBe(B26_INPUT.slice('sig-b26='.length));
    expect(signatureBase(input, req, req.url)).toEqual({
      base: [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@method": POST',
        '"@path": /foo',
        '"@authority": example.com',
        '"content-type": application/json',
        '"content-length": 18',
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      ].join('\n'),
    });
  });
});

function keyPair(alg: SignatureAlg) {
  const pair = alg === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { signer: { kid: `k-${alg}`, alg, privateKey: pair.privateKey }, verifier: { key: pair.publicKey, alg } };
}

const URL_ = 'http://hanaro.test/r1/KR/GOV/MOIS/resident-registry/resident/records?fields=name';
const BASE_HEADERS = { 'x-road-client': 'KR/GOV/MOHW/welfare-services', 'x-road-userid': '0b7c7c5e-6c55-4b1e-9a49-3f1f5e7c2d11', 'x-road-issue': '복지-2026-001' };

async function signed(alg: SignatureAlg, body?: Buffer) {
  const k = keyPair(alg);
  const headers = await signRequest(k.signer, {
    method: 'POST',
    url: URL_,
    headers: body ? { ...BASE_HEADERS, 'x-road-issue': 'case-1', 'content-type': 'application/json' } : { ...BASE_HEADERS, 'x-road-issue': 'case-1' },
    body,
  });
  const lower = Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));
  return { k, req: { method: 'POST', url: new URL(URL_), headers: lower } as RequestToVerify };
}

describe('signed requests', () => {
  for (const alg of ['ed25519', 'ecdsa-p256-sha256'] as const) {
    it(`a package-signed ${alg} request verifies under the profile, and any change fails`, async () => {
      const body = Buffer.from('{"query":{"content":{"name":"홍길동"}}}');
      const { k, req } = await signed(alg, body);
      const opts = {
        keyLookup: (kid: string) => (kid === k.signer.kid ? k.verifier : undefined),
        required: ['@method', 'x-road-client', 'x-road-userid', 'x-road-issue', 'content-digest'],
        requireOneOf: [['@target-uri'], ['@path', '@query']],
      };
      expect(await verifySignature(req, opts)).toMatchObject({ ok: true, keyid: k.signer.kid, alg });
      expect(checkContentDigest(req.headers['content-digest'] as string, body)).toBeUndefined();
      const flipped = Buffer.from(body);
      flipped[5] = flipped[5]! ^ 1;
      expect(checkContentDigest(req.headers['content-digest'] as string, flipped)).toMatch(/does not match/);
      for (const h of ['x-road-client', 'x-road-userid', 'x-road-issue', 'content-digest', 'content-type']) {
        const changed = { ...req, headers: { ...req.headers, [h]: `${req.headers[h] as string}x` } };
        expect((await verifySignature(changed, opts)).ok, h).toBe(false);
      }
      expect((await verifySignature({ ...req, method: 'PUT' }, opts)).ok).toBe(false);
      expect((await verifySignature({ ...req, url: new URL(URL_.replace('records', 'records/1')) }, opts)).ok).toBe(false);
      expect((await verifySignature({ ...req, url: new URL(URL_.replace('name', 'rrn')) }, opts)).ok).toBe(false);
      // another key of the same algorithm
      expect((await verifySignature(req, { ...opts, keyLookup: () => keyPair(alg).verifier })).ok).toBe(false);
    });
  }

  it('refuses unsigned, stale, unknown-key and under-covering signatures with a reason', async () => {
    const { k, req } = await signed('ed25519');
    const lookup = () => k.verifier;
    expect(await verifySignature({ ...req, headers: { ...BASE_HEADERS } }, { keyLookup: lookup })).toMatchObject({ ok: false, reason: /not signed/ });
    expect(await verifySignature(req, { keyLookup: lookup, now: Math.floor(Date.now() / 1000) + 301 })).toMatchObject({ ok: false });
    expect(await verifySignature(req, { keyLookup: () => undefined })).toMatchObject({ ok: false, reason: /unknown or revoked key/ });
    expect(await verifySignature(req, { keyLookup: lookup, required: ['x-road-id'] })).toMatchObject({ ok: false, reason: /must cover "x-road-id"/ });
    expect(await verifySignature(req, { keyLookup: () => ({ ...k.verifier, alg: 'ecdsa-p256-sha256' }) })).toMatchObject({ ok: false });
    const garbled = { ...req, headers: { ...req.headers, 'signature-input': 'sig=("@method" x-road-client)' } };
    expect(await verifySignature(garbled, { keyLookup: lookup })).toMatchObject({ ok: false, reason: /malformed/ });
  });

  it('Content-Digest: sha-256 made, sha-512 accepted, unknown algorithms alone refused', () => {
    const body = Buffer.from('hello');
    expect(contentDigest(body)).toBe('sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:');
    expect(checkContentDigest('md5=:XUFAKrxLKna5cZ2REBfFkg==:', body)).toMatch(/no sha-256/);
    expect(checkContentDigest(undefined, body)).toMatch(/needs a Content-Digest/);
    expect(checkContentDigest('sha-256=abc', body)).toMatch(/malformed/);
  });

  it('structured fields: strict dictionary parsing', () => {
    const d = parseDictionary('a=("x" "y");created=1;keyid="k\\"1", b=:aGk=:, c');
    expect([...d.keys()]).toEqual(['a', 'b', 'c']);
    expect(serializeInnerList(d.get('a') as InnerList)).toBe('("x" "y");created=1;keyid="k\\"1"');
    for (const bad of ['A=1', 'a=("x"', 'a=1,', 'a="unterminated', 'a=:###:', 'a=1 b=2']) expect(() => parseDictionary(bad), bad).toThrow();
  });
});
