import { createSign, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { FastifyInstance } from 'fastify';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { registriesModule } from '../registries/index.ts';
import { seedResidents } from '../registries/test-support.ts';
import { sql } from 'drizzle-orm';
import { ISSUING_SYSTEM, RESIDENT_ID } from './documents.ts';
import { credentialsModule } from './index.ts';
import { hasher, saltGenerator } from './issuer.ts';
import { createOffer } from './offers.ts';
import { forgetIssuerSigner } from './keys.ts';
import { setStatus } from './status.ts';
import { decodeStatusList, verifyPresentation, VerificationError, type VerificationCode, type VerifyOptions } from './verify.ts';

const SPECS = path.resolve(import.meta.dirname, '../../../specs');
const read = (p: string) => readFileSync(path.join(SPECS, p), 'utf8');

describe('the specifications\u2019 vectors pass through our verifier', () => {
  const issuerKey = JSON.parse(read('sd-jwt/rfc9901-examples/issuer_public_key.jwk.json')) as JWK;

  it('SD-JWT VC examples 01 and 03-pid (key binding) give the documented claims; 02 (none) is refused', async () => {
    for (const name of ['01', '03-pid']) {
      const presentation = read(`sd-jwt/sd-jwt-vc-examples/${name}/sd_jwt_presentation.txt`).trim();
      const expected = JSON.parse(read(`sd-jwt/sd-jwt-vc-examples/${name}/verified_contents.json`)) as Record<string, unknown>;
      const kbIat = JSON.parse(Buffer.from(presentation.split('~').at(-1)!.split('.')[1]!, 'base64url').toString()).iat as number;
      const v = await verifyPresentation(presentation, { trusted: [{ iss: String(expected.iss), keys: [{ ...issuerKey, kid: 'doc-signer-05-25-2022' }] }], nonce: '1234567890', audience: 'https://example.com/verifier', now: new Date((kbIat + 10) * 1000) });
      const { cnf, status, ...claims } = expected;
      expect(v.claims, name).toEqual(claims);
      expect(v.holderKey).toEqual((cnf as { jwk: JWK }).jwk);
    }
    const noKb = read('sd-jwt/sd-jwt-vc-examples/02/sd_jwt_presentation.txt').trim();
    const trusted = [{ iss: 'https://example.com/issuer', keys: [{ ...issuerKey, kid: 'doc-signer-05-25-2022' }] }];
    await expect(verifyPresentation(noKb, { trusted, nonce: '1234567890', audience: 'https://example.com/verifier' })).rejects.toMatchObject({ code: 'key_binding_missing' });
    // shown as a document, without key binding, it verifies and gives the documented claims
    const expected = JSON.parse(read('sd-jwt/sd-jwt-vc-examples/02/verified_contents.json')) as Record<string, unknown>;
    const { cnf: _c, status: _s, ...claims } = expected;
    expect((await verifyPresentation(noKb, { trusted, nonce: '', audience: '', requireKeyBinding: false })).claims).toEqual(claims);
  });

  it('RFC 9901 examples (simple, structured, eKYC, ARF PID) give the documented claims', async () => {
    // (the JSON-LD example names no `iss`: a verifier that decides trust by `iss` cannot take it)
    for (const name of ['simple', 'simple_structured', 'complex_ekyc', 'arf-pid']) {
      const presentation = read(`sd-jwt/rfc9901-examples/${name}/sd_jwt_presentation.txt`).trim();
      const expected = JSON.parse(read(`sd-jwt/rfc9901-examples/${name}/verified_contents.json`)) as Record<string, unknown>;
      const kb = presentation.split('~').at(-1)!;
      // some examples show the disclosures alone (no key binding)
      const kbIat = kb ? (JSON.parse(Buffer.from(kb.split('.')[1]!, 'base64url').toString()).iat as number) : Math.floor(Date.now() / 1000);
      const v = await verifyPresentation(presentation, {
        trusted: [{ iss: String(expected.iss), keys: [issuerKey] }],
        nonce: '1234567890',
        audience: 'https://verifier.example.org',
        now: new Date((kbIat + 10) * 1000),
        types: ['example+sd-jwt', 'dc+sd-jwt'],
        requireKeyBinding: Boolean(kb),
      });
      const { cnf: _cnf, ...claims } = expected;
      expect(v.claims, name).toEqual(claims);
    }
  });

  it('the Token Status List test vectors (1, 2, 4 and 8 bits) decode to the documented statuses', () => {
    const tv = JSON.parse(read('status-list/test-vectors.json')) as { vectors: Array<{ title: string; bits: 1 | 2 | 4 | 8; statuses: Record<string, number>; json: { lst: string } }> };
    expect(tv.vectors.length).toBe(4);
    for (const v of tv.vectors) {
      const statusAt = decodeStatusList(v.json.lst, v.bits);
      for (const [idx, status] of Object.entries(v.statuses)) expect(statusAt(Number(idx)), `${v.title} ${idx}`).toBe(status);
      // an index not listed is 0
      const unlisted = [...Array(100).keys()].find((i) => !(String(i) in v.statuses))!;
      expect(statusAt(unlisted)).toBe(0);
    }
  });
});

describe('our own credentials: every refusal by its own test', () => {
  let app: FastifyInstance;
  let t: TestPlatform;
  let close: () => Promise<void>;
  let citizenId: string;
  let issuer: string;
  let trusted: VerifyOptions['trusted'];

  beforeAll(async () => {
    ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, credentialsModule] }));
    await seedForTests(t);
    await createClientKey(t, ISSUING_SYSTEM, { keepPrivate: true });
    citizenId = (await seedResidents(app, t, [{ serial: 1, name: '최지우', birthDate: '2000-01-01' }]))[0]!.id;
    issuer = t.config.publicUrl.replace(/\/$/, '');
    trusted = [{ iss: issuer, keys: ((await app.inject({ url: '/.well-known/jwt-vc-issuer' })).json() as { jwks: { keys: JWK[] } }).jwks.keys }];
  }, 60_000);
  afterAll(() => close());

  /** A fresh credential and its holder, who can present it. */
  async function held() {
    const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id], txCode: false }, 'test');
    const code = (offer.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
    const tok = await app.inject({ method: 'POST', url: '/credentials/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString() });
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const nonce = (await app.inject({ method: 'POST', url: '/credentials/nonce' })).json().c_nonce;
    const proof = await new SignJWT({ nonce }).setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: await exportJWK(publicKey) }).setAudience(issuer).setIssuedAt().sign(privateKey);
    const res = await app.inject({ method: 'POST', url: '/credentials/credential', headers: { authorization: `Bearer ${tok.json().access_token}` }, payload: { credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: [proof] } } });
    const credential = res.json().credentials[0].credential as string;
    const key = KeyObject.from(privateKey);
    const holder = new SDJwtVcInstance({ hasher, saltGenerator, kbSigner: (d: string) => createSign('sha256').update(d).sign({ key, dsaEncoding: 'ieee-p1363' }).toString('base64url'), kbSignAlg: 'ES256' });
    const present = (o: { nonce?: string; aud?: string; iat?: number; kb?: boolean } = {}) =>
      holder.present(credential, { age_equal_or_over: { '19': true }, name: true } as never, o.kb === false ? undefined : { kb: { payload: { iat: o.iat ?? Math.floor(Date.now() / 1000), aud: o.aud ?? 'https://bank.example', nonce: o.nonce ?? 'n-1' } } });
    const [row] = await rows<{ id: string }>(t.db, sql`select id::text as id from credentials.credential where citizen_id = ${citizenId}::uuid order by issued_at desc limit 1`);
    return { credential, present, id: row!.id };
  }
  const statusList = async (uri: string) => (await app.inject({ url: new URL(uri).pathname })).body;
  const opts = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({ trusted, nonce: 'n-1', audience: 'https://bank.example', statusList, ...over });
  const refused = async (p: Promise<unknown>, code: VerificationCode) => {
    const e = await p.then(() => undefined, (x: unknown) => x);
    expect(e, `expected ${code}`).toBeInstanceOf(VerificationError);
    expect((e as VerificationError).code).toBe(code);
  };

  it('accepts a good presentation and returns only what was disclosed', async () => {
    const { present } = await held();
    const v = await verifyPresentation(await present(), opts());
    expect(v.claims).toMatchObject({ name: '최지우', age_equal_or_over: { '19': true }, iss: issuer });
    expect(v.claims).not.toHaveProperty('birthdate');
    expect(v.status).toBe('valid');
  });

  it('tampered disclosure', async () => {
    const { present } = await held();
    const p = (await present({ kb: false })).split('~');
    const d = JSON.parse(Buffer.from(p[1]!, 'base64url').toString()) as unknown[];
    d[d.length - 1] = typeof d[d.length - 1] === 'string' ? '홍길동' : false;
    p[1] = Buffer.from(JSON.stringify(d)).toString('base64url');
    await refused(verifyPresentation(p.join('~') + (await present()).split('~').at(-1), opts()), 'tampered');
  });

  it('disclosure not referenced by the payload', async () => {
    const { present } = await held();
    const extra = Buffer.from(JSON.stringify([saltGenerator(), 'is_admin', true])).toString('base64url');
    const p = await present({ kb: false });
    await refused(verifyPresentation(`${p}${extra}~`, opts({ nonce: 'n-1' })), 'key_binding_missing');
    await refused(verifyPresentation(p.replace('~', `~${extra}~`) + (await present()).split('~').at(-1), opts()), 'tampered');
  });

  it('wrong nonce', async () => {
    await refused(verifyPresentation(await (await held()).present({ nonce: 'other' }), opts()), 'wrong_nonce');
  });

  it('wrong audience', async () => {
    await refused(verifyPresentation(await (await held()).present({ aud: 'https://evil.example' }), opts()), 'wrong_audience');
  });

  it('expired', async () => {
    const { present } = await held();
    const later = new Date(Date.now() + 400 * 86400_000);
    await refused(verifyPresentation(await present({ iat: Math.floor(later.getTime() / 1000) }), opts({ now: later })), 'expired');
  });

  it('revoked', async () => {
    const h = await held();
    await setStatus(t, [h.id], 'invalid', 'test', 'test');
    await refused(verifyPresentation(await h.present(), opts()), 'revoked');
  });

  it('suspended', async () => {
    const h = await held();
    await setStatus(t, [h.id], 'suspended', 'test', 'test');
    await refused(verifyPresentation(await h.present(), opts()), 'suspended');
  });

  it('untrusted issuer, and a trusted issuer name with a key that did not sign it', async () => {
    const { present } = await held();
    await refused(verifyPresentation(await present(), opts({ trusted: [{ iss: 'https://other.example', keys: trusted[0]!.keys }] })), 'untrusted_issuer');
    const { publicKey } = await generateKeyPair('ES256');
    const wrong = { ...(await exportJWK(publicKey)), kid: trusted[0]!.keys[0]!.kid };
    await refused(verifyPresentation(await present(), opts({ trusted: [{ iss: issuer, keys: [wrong] }] })), 'invalid_signature');
  });

  it('missing key binding', async () => {
    await refused(verifyPresentation(await (await held()).present({ kb: false }), opts()), 'key_binding_missing');
  });

  it('replayed presentation, and a stale one', async () => {
    const { present } = await held();
    const seen = new Set<string>();
    const p = await present();
    await verifyPresentation(p, opts({ seen }));
    await refused(verifyPresentation(p, opts({ seen })), 'replayed');
    await refused(verifyPresentation(await present({ iat: Math.floor(Date.now() / 1000) - 3600 }), opts()), 'stale');
  });

  it('offline: without a cached status list it says so rather than pass', async () => {
    await refused(verifyPresentation(await (await held()).present(), opts({ statusList: () => undefined })), 'status_unavailable');
  });
  // last: the keys other tests trust are the ones from before the rotation
  it('a key rotation does not break credentials already issued; the trust list names both keys', async () => {
    const kid = (c: string) => (JSON.parse(Buffer.from(c.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
    const before = await held();
    await t.keys.rotate('ES256');
    forgetIssuerSigner(t);
    const after = await held();
    expect(kid(after.credential)).not.toBe(kid(before.credential));
    const list = (await app.inject({ url: '/credentials/trust-list' })).json() as { issuers: Array<{ iss: string; jwks: { keys: JWK[] } }> };
    expect(list.issuers[0]!.iss).toBe(issuer);
    const keys = list.issuers[0]!.jwks.keys;
    expect(keys.map((k) => k.kid)).toEqual(expect.arrayContaining([kid(before.credential), kid(after.credential)]));
    for (const h of [before, after]) expect((await verifyPresentation(await h.present(), opts({ trusted: [{ iss: issuer, keys }] }))).status).toBe('valid');
    // the signed form, for verifiers that keep it offline
    const signed = await app.inject({ url: '/credentials/trust-list', headers: { accept: 'application/jwt' } });
    expect(signed.headers['content-type']).toMatch(/application\/jwt/);
    const { payload } = await jwtVerify(signed.body, createLocalJWKSet({ keys }), { issuer, typ: 'trust-list+jwt' });
    expect((payload as { issuers: unknown[] }).issuers).toHaveLength(1);
  });

});
