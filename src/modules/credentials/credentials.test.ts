import { createSign, KeyObject } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { compactVerify, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { signedInOfficial } from '../identity/test-support.ts';
import { registriesModule } from '../registries/index.ts';
import { seedResidents } from '../registries/test-support.ts';
import { ISSUING_SYSTEM, RESIDENT_ID } from './documents.ts';
import { credentialsModule } from './index.ts';
import { hasher } from './issuer.ts';
import { createOffer, MAX_TX_FAILURES } from './offers.ts';
import { reinstateAll, setStatus } from './status.ts';

// The issuer end to end over HTTP (app.inject), checked with the independent @sd-jwt verifier:
// offer → token (pre-authorized code with transaction code) → nonce → credential with a JWT key
// proof; the SD-JWT VC verifies against the issuer's published keys and its status list; and the
// refusals OpenID4VCI defines.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let citizenId: string;
let issuer: string;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, credentialsModule] }));
  await seedForTests(t);
  await createClientKey(t, ISSUING_SYSTEM, { keepPrivate: true });
  [{ id: citizenId }] = (await seedResidents(app, t, [{ serial: 1, name: '최지우', birthDate: '2005-03-14', roadAddress: '세종대로 209' }])) as [{ id: string; rrn: string }];
  issuer = t.config.publicUrl.replace(/\/$/, '');
}, 60_000);
afterAll(() => close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload: payload as object, headers });
const form = (url: string, fields: Record<string, string>) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });

async function holderKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: await exportJWK(publicKey) };
}
async function proof(key: { privateKey: CryptoKey; jwk: JWK }, nonce: string, aud = issuer, typ = 'openid4vci-proof+jwt') {
  return new SignJWT({ nonce }).setProtectedHeader({ alg: 'ES256', typ, jwk: key.jwk }).setAudience(aud).setIssuedAt().sign(key.privateKey);
}
async function tokenFor(configurationIds = [RESIDENT_ID.id]) {
  const offer = await createOffer(t, { citizenId, configurationIds }, 'official:test');
  const code = (offer.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
  const res = await form('/credentials/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code, tx_code: offer.txCode! });
  expect(res.statusCode, res.body).toBe(200);
  return { access: res.json().access_token as string, offer, code };
}
const nonce = async () => (await post('/credentials/nonce', {})).json().c_nonce as string;

/** The independent verifier: @sd-jwt/sd-jwt-vc with the issuer's published keys and status lists. */
async function verifier(extra: Partial<ConstructorParameters<typeof SDJwtVcInstance>[0]> = {}) {
  const meta = (await app.inject({ url: '/.well-known/jwt-vc-issuer' })).json() as { jwks: { keys: JWK[] } };
  const verifyWith = async (data: string, sig: string) => {
    const [h] = data.split('.');
    const { kid } = JSON.parse(Buffer.from(h!, 'base64url').toString()) as { kid: string };
    const jwk = meta.jwks.keys.find((k) => k.kid === kid);
    if (!jwk) return false;
    try {
      await compactVerify(`${data}.${sig}`, await importJWK(jwk, 'ES256'));
      return true;
    } catch {
      return false;
    }
  };
  return new SDJwtVcInstance({
    hasher,
    verifier: verifyWith,
    statusVerifier: verifyWith,
    statusListFetcher: async (uri: string) => (await app.inject({ url: new URL(uri).pathname })).body,
    ...extra,
  });
}

describe('issuance (OpenID4VCI pre-authorized code flow)', () => {
  it('publishes metadata for the issuer, its authorization server and keys', async () => {
    const meta = (await app.inject({ url: '/.well-known/openid-credential-issuer' })).json();
    expect(meta).toMatchObject({ credential_issuer: issuer, credential_endpoint: `${issuer}/credentials/credential`, nonce_endpoint: `${issuer}/credentials/nonce` });
    expect(meta.credential_configurations_supported[RESIDENT_ID.id]).toMatchObject({ format: 'dc+sd-jwt', vct: `${issuer}/credentials/types/resident-id`, proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } } });
    const as = (await app.inject({ url: '/.well-known/oauth-authorization-server' })).json();
    expect(as.token_endpoint).toBe(`${issuer}/credentials/token`);
    const type = (await app.inject({ url: '/credentials/types/resident-id' })).json();
    expect(type.vct).toBe(`${issuer}/credentials/types/resident-id`);
  });

  it('issues a mobile resident ID that the @sd-jwt verifier accepts, with every claim disclosable and an age-over-19 claim', async () => {
    const { access } = await tokenFor();
    const key = await holderKey();
    const res = await post('/credentials/credential', { credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: [await proof(key, await nonce())] } }, { authorization: `Bearer ${access}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { credentials, notification_id } = res.json();
    expect(notification_id).toBeTruthy();
    const credential = credentials[0].credential as string;
    expect(Buffer.byteLength(credential)).toBeLessThan(3000);
    const v = await verifier();
    const { payload, header } = await v.verify(credential);
    expect(header).toMatchObject({ typ: 'dc+sd-jwt', alg: 'ES256' });
    expect(payload).toMatchObject({ iss: issuer, vct: `${issuer}/credentials/types/resident-id`, name: '최지우', birthdate: '2005-03-14', nationality: 'KR', address: { region: '서울특별시', street_address: '세종대로 209' } });
    expect((payload as unknown as { age_equal_or_over: Record<string, boolean> }).age_equal_or_over).toMatchObject({ '14': true, '19': true, '65': false });
    expect((payload as unknown as { cnf: { jwk: JWK } }).cnf.jwk).toMatchObject({ x: key.jwk.x, y: key.jwk.y });
    // nothing personal in the clear: every claim is a disclosure
    const [jwt] = credential.split('~');
    const clear = JSON.parse(Buffer.from(jwt!.split('.')[1]!, 'base64url').toString());
    for (const k of ['name', 'birthdate', 'address', 'age_equal_or_over', 'nationality']) expect(clear).not.toHaveProperty(k);
    // the read went through the mediator, on the citizen's access log with its purpose
    const reads = await t.accessLog.forCitizen(citizenId);
    expect(reads.some((r) => r.purpose === 'document issuance')).toBe(true);

    // a holder shows only "19 or over", bound to a verifier's nonce; the verifier sees just that
    const holder = new SDJwtVcInstance({
      hasher,
      kbSigner: (data: string) => createSign('sha256').update(data).sign({ key: KeyObject.from(key.privateKey), dsaEncoding: 'ieee-p1363' }).toString('base64url'),
      kbSignAlg: 'ES256',
    });
    const presentation = await holder.present(credential, { age_equal_or_over: { '19': true } } as never, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: 'https://bank.example', nonce: 'n-123' } } });
    const kbVerifier = await verifier({
      kbVerifier: async (data: string, sig: string, p: unknown) => {
        try {
          await compactVerify(`${data}.${sig}`, await importJWK((p as { cnf: { jwk: JWK } }).cnf.jwk, 'ES256'));
          return true;
        } catch {
          return false;
        }
      },
    });
    const shown = await kbVerifier.verify(presentation, { keyBindingNonce: 'n-123' });
    expect(shown.payload).toMatchObject({ age_equal_or_over: { '19': true } });
    expect(shown.payload).not.toHaveProperty('name');
    expect(shown.payload).not.toHaveProperty('birthdate');
    await expect(kbVerifier.verify(presentation, { keyBindingNonce: 'another' })).rejects.toThrow();
  });

  it('issues a batch: one credential per key proof, each bound to its key, at distinct status entries, from one registry read', async () => {
    const { access } = await tokenFor();
    const keys = await Promise.all([holderKey(), holderKey(), holderKey()]);
    const reads = async () => (await rows<{ n: number }>(t.db, sql`select count(*)::int as n from exchange.message_log where client_id = ${ISSUING_SYSTEM}`))[0]!.n;
    const before = await reads();
    const proofs = await Promise.all(keys.map(async (k) => proof(k, await nonce())));
    const res = await post('/credentials/credential', { credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: proofs } }, { authorization: `Bearer ${access}` });
    expect(res.statusCode, res.body).toBe(200);
    const { credentials, notification_id } = res.json() as { credentials: Array<{ credential: string }>; notification_id: string };
    expect(credentials).toHaveLength(3);
    expect(await reads()).toBe(before + 1);
    const payloads = credentials.map((c) => JSON.parse(Buffer.from(c.credential.split('.')[1]!, 'base64url').toString()) as { cnf: { jwk: JWK }; status: { status_list: { idx: number; uri: string } } });
    expect(payloads.map((p) => p.cnf.jwk.x)).toEqual(keys.map((k) => k.jwk.x));
    expect(new Set(payloads.map((p) => `${p.status.status_list.uri}#${p.status.status_list.idx}`)).size).toBe(3);
    // one notification for the whole response
    const noted = await post('/credentials/notification', { notification_id, event: 'credential_accepted' }, { authorization: `Bearer ${access}` });
    expect(noted.statusCode).toBe(204);
    expect((await rows<{ n: number }>(t.db, sql`select count(*)::int as n from credentials.credential where notification_id = ${notification_id} and notified_event = 'credential_accepted'`))[0]!.n).toBe(3);
    // a batch with one bad proof issues nothing
    const bad = await post('/credentials/credential', { credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: [await proof(keys[0]!, await nonce()), await proof(keys[1]!, 'not-a-nonce')] } }, { authorization: `Bearer ${access}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_nonce');
  });

  it('revoked and suspended credentials fail the status check; reinstated ones pass again', async () => {
    const { access } = await tokenFor();
    const res = await post('/credentials/credential', { credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: [await proof(await holderKey(), await nonce())] } }, { authorization: `Bearer ${access}` });
    const credential = res.json().credentials[0].credential as string;
    const v = await verifier();
    await expect(v.verify(credential)).resolves.toBeTruthy();
    // the newest credential of this citizen
    const [row] = await rows<{ id: string }>(t.db, sql`select id::text as id from credentials.credential where citizen_id = ${citizenId}::uuid order by issued_at desc limit 1`);
    await setStatus(t, [row!.id], 'suspended', 'lost device', 'test');
    await expect(v.verify(credential)).rejects.toThrow(/status/i);
    await setStatus(t, [row!.id], 'valid', 'found', 'test');
    await expect(v.verify(credential)).resolves.toBeTruthy();
    await setStatus(t, [row!.id], 'invalid', 'superseded', 'test');
    await expect(v.verify(credential)).rejects.toThrow(/status/i);
    // revocation is final
    expect(await setStatus(t, [row!.id], 'valid', 'try', 'test')).toBe(0);
    const list = await app.inject({ url: '/credentials/status/1' });
    expect(list.headers['content-type']).toMatch(/application\/statuslist\+jwt/);
    expect(list.headers['cache-control']).toMatch(/max-age=\d+/);
  });
});

describe('the citizen reports a lost device', () => {
  it('suspends every valid credential at once; reinstating lifts it; nobody else may call it', async () => {
    const a = await tokenFor();
    for (let i = 0; i < 2; i++) {
      const res = await post('/credentials/credential', { credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: [await proof(await holderKey(), await nonce())] } }, { authorization: `Bearer ${a.access}` });
      expect(res.statusCode).toBe(200);
    }
    // signed in as the citizen (demo sign-in, identity module)
    const page = await app.inject({ url: '/sign-in' });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const jar = [page.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).join('; ');
    const signIn = await app.inject({ method: 'POST', url: '/dev/sign-in/resident', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ citizen: citizenId, _csrf: token }).toString() });
    const session = [signIn.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('__Host-hanaro-session='))!.split(';')[0]!;
    const mine = await app.inject({ url: '/api/credentials/mine', headers: { cookie: session } });
    const valid = (mine.json().credentials as Array<{ status: string }>).filter((c) => c.status === 'valid').length;
    expect(valid).toBeGreaterThanOrEqual(2);
    const lost = await post('/api/credentials/lost-device', {}, { cookie: session });
    expect(lost.json()).toEqual({ suspended: valid });
    const after = (await app.inject({ url: '/api/credentials/mine', headers: { cookie: session } })).json().credentials as Array<{ status: string }>;
    expect(after.some((c) => c.status === 'valid')).toBe(false);
    expect(await reinstateAll(t, citizenId, 'device found, checked at the counter', 'official:test')).toBe(valid);
    // nobody signed in: 401
    expect((await post('/api/credentials/lost-device', {})).statusCode).toBe(401);
  });
});

describe('내 전자증명서 (/documents)', () => {
  async function citizenSession() {
    const page = await app.inject({ url: '/sign-in' });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const jar = [page.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).join('; ');
    const res = await app.inject({ method: 'POST', url: '/dev/sign-in/resident', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ citizen: citizenId, _csrf: token }).toString() });
    return [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('__Host-hanaro-session='))!.split(';')[0]!;
  }
  const formPost = async (cookie: string, url: string, fields: Record<string, string>) => {
    const page = await app.inject({ url: '/documents', headers: { cookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const jar = [cookie, ...[page.headers['set-cookie']].flat().filter(Boolean).map((c) => String(c).split(';')[0])].join('; ');
    return app.inject({ method: 'POST', url, headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...fields, _csrf: token }).toString() });
  };

  it('sends a visitor to sign in, and shows a citizen the documents, an offer for their wallet, and the lost-device switch', async () => {
    const anon = await app.inject({ url: '/documents', headers: { accept: 'text/html' } });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/sign-in?next=%2Fdocuments');
    const cookie = await citizenSession();
    const page = await app.inject({ url: '/documents', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('모바일 주민등록증');
    expect(page.body).toContain('최지우 님');
    const offer = await formPost(cookie, '/documents/offer', { configuration: RESIDENT_ID.id });
    expect(offer.statusCode).toBe(200);
    const uri = /href="(openid-credential-offer:\/\/[^"]+)"/.exec(offer.body)![1]!.replace(/&amp;/g, '&');
    const code = /class="hn-secret">([0-9]{6})</.exec(offer.body)![1]!;
    // the offer works with its transaction code
    const grant = JSON.parse(new URL(uri).searchParams.get('credential_offer')!).grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'];
    const tok = await form('/credentials/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': grant['pre-authorized_code'], tx_code: code });
    expect(tok.statusCode).toBe(200);
    // an unknown document is a 404; the English page too
    expect((await formPost(cookie, '/documents/offer', { configuration: 'nope' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/documents?lang=en', headers: { cookie } })).body).toContain('My digital documents');
    const lost = await formPost(cookie, '/documents/lost-device', {});
    expect(lost.statusCode).toBe(303);
    expect(lost.headers.location).toMatch(/^\/documents\?done=suspended-\d+#issued$/);
  });

  it('is the citizen’s own: an official gets 403', async () => {
    const o = await signedInOfficial(app, t, { name: '공무원', agency: 'MOIS', roles: ['case-worker'] }, '10.9.0.1');
    expect((await app.inject({ url: '/documents', headers: { cookie: o.cookie, accept: 'application/json' } })).statusCode).toBe(403);
  });
});

describe('refusals, each as OpenID4VCI defines it', () => {
  it('token endpoint: wrong transaction code (locked after five), a used code, a missing tx_code, another grant type', async () => {
    const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id] }, 'official:test');
    const code = (offer.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
    const grant = { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code };
    expect((await form('/credentials/token', grant)).json()).toMatchObject({ error: 'invalid_request' });
    const wrong = offer.txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < MAX_TX_FAILURES; i++) expect((await form('/credentials/token', { ...grant, tx_code: wrong })).json()).toMatchObject({ error: 'invalid_grant' });
    // locked: even the right code no longer works
    expect((await form('/credentials/token', { ...grant, tx_code: offer.txCode! })).json()).toMatchObject({ error: 'invalid_grant' });
    const used = await tokenFor();
    expect((await form('/credentials/token', { grant_type: grant.grant_type, 'pre-authorized_code': used.code, tx_code: used.offer.txCode! })).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await form('/credentials/token', { grant_type: 'client_credentials' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('credential endpoint: no token, wrong audience, reused nonce, unknown nonce, wrong typ, unknown configuration, oversized body', async () => {
    expect((await post('/credentials/credential', { credential_configuration_id: RESIDENT_ID.id })).statusCode).toBe(401);
    const { access } = await tokenFor();
    const auth = { authorization: `Bearer ${access}` };
    const key = await holderKey();
    const send = async (p: string, id = RESIDENT_ID.id) => post('/credentials/credential', { credential_configuration_id: id, proofs: { jwt: [p] } }, auth);
    const wrongAud = await send(await proof(key, await nonce(), 'https://evil.example'));
    expect(wrongAud.statusCode).toBe(400);
    expect(wrongAud.json().error).toBe('invalid_proof');
    const n = await nonce();
    expect((await send(await proof(key, n))).statusCode).toBe(200);
    expect((await send(await proof(key, n))).json().error).toBe('invalid_nonce');
    expect((await send(await proof(key, 'made-up'))).json().error).toBe('invalid_nonce');
    expect((await send(await proof(key, await nonce(), issuer, 'JWT'))).json().error).toBe('invalid_proof');
    expect((await send(await proof(key, await nonce()), 'no.such.thing')).json().error).toBe('unknown_credential_configuration');
    expect((await send('not-a-jwt')).json().error).toBe('invalid_proof');
    // signed by another key than the one it names; made six minutes ago; from the future; a bad signature
    const other = await holderKey();
    const forged = await new SignJWT({ nonce: await nonce() }).setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: key.jwk }).setAudience(issuer).setIssuedAt().sign(other.privateKey);
    expect((await send(forged)).json()).toMatchObject({ error: 'invalid_proof', error_description: expect.stringMatching(/signature/) });
    const old = await new SignJWT({ nonce: await nonce() }).setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: key.jwk }).setAudience(issuer).setIssuedAt(Math.floor(Date.now() / 1000) - 360).sign(key.privateKey);
    expect((await send(old)).json()).toMatchObject({ error: 'invalid_proof', error_description: expect.stringMatching(/iat/) });
    const future = await new SignJWT({ nonce: await nonce() }).setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: key.jwk }).setAudience(issuer).setIssuedAt(Math.floor(Date.now() / 1000) + 120).sign(key.privateKey);
    expect((await send(future)).json().error).toBe('invalid_proof');
    const good = await proof(key, await nonce());
    expect((await send(`${good.slice(0, -4)}AAAA`)).json().error).toBe('invalid_proof');
    expect((await post('/credentials/credential', { credential_configuration_id: RESIDENT_ID.id }, auth)).json().error).toBe('invalid_proof');
    const huge = await post('/credentials/credential', { credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: ['x'.repeat(9000)] } }, auth);
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error).toBe('invalid_credential_request');
    expect((await app.inject({ url: '/credentials/status/999' })).statusCode).toBe(404);
  });
});
