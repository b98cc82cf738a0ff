import { createHash, X509Certificate } from 'node:crypto';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { FastifyInstance } from 'fastify';
import { exportJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlatform } from '../../platform/testing.ts';
import { browser, signedInOfficial } from '../identity/test-support.ts';
import { seedResidents } from '../registries/test-support.ts';
import { DRIVING_LICENCE, RESIDENT_ID } from './documents.ts';
import { hasher } from './issuer.ts';
import { setStatus } from './status.ts';
import { issueCredential, listeningIssuer } from './test-support.ts';
import { createRelyingParty } from './verifier.ts';

// The verifier (OpenID4VP 1.0, DCQL, direct_post) against an independent wallet: the request is
// resolved and its x509_hash signature checked by @openid4vc/openid4vp's client (not our code),
// the presentation made with the @sd-jwt reference implementation, the answer posted over HTTP.

let app: FastifyInstance;
let t: TestPlatform;
let base: string;
let citizenId: string;
let apiKey: string;
let otherKey: string;

beforeAll(async () => {
  ({ app, t, base } = await listeningIssuer());
  citizenId = (await seedResidents(app, t, [{ serial: 1, name: '최지우', birthDate: '1990-05-05' }]))[0]!.id;
  apiKey = (await createRelyingParty(t, { id: 'rp-bank', name: { ko: '하나로은행', en: 'Hanaro Bank' }, kind: 'private', purpose: { ko: '계좌 개설 본인 확인', en: 'Identity check to open an account' }, apiKey: true }, 'operator:test')).apiKey!;
  otherKey = (await createRelyingParty(t, { id: 'rp-landlord', name: { ko: '임대인', en: 'Landlord' }, kind: 'private', purpose: { ko: '임차인 확인', en: 'Tenant check' }, apiKey: true }, 'operator:test')).apiKey!;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

const api = (method: 'GET' | 'POST', url: string, body?: unknown, key = apiKey) =>
  fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

/** The independent wallet: the library resolves the request (fetching it by reference and checking the x5c signature and its x509_hash). */
const wallet = new Openid4vpClient({
  callbacks: {
    fetch,
    hash: (data: Uint8Array, alg: string) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    verifyJwt: async (signer: { method: string; x5c?: string[] }, jwt: { compact: string }) => {
      if (signer.method !== 'x5c' || !signer.x5c?.[0]) return { verified: false };
      const cert = new X509Certificate(Buffer.from(signer.x5c[0], 'base64'));
      try {
        await jwtVerify(jwt.compact, cert.publicKey);
        return { verified: true, signerJwk: await exportJWK(cert.publicKey) };
      } catch {
        return { verified: false };
      }
    },
    getX509CertificateMetadata: (certificate: string) => {
      const san = new X509Certificate(Buffer.from(certificate, 'base64')).subjectAltName ?? '';
      const names = san.split(', ');
      return { sanDnsNames: names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)), sanUriNames: names.filter((n) => n.startsWith('URI:')).map((n) => n.slice(4)) };
    },
  } as never,
});

async function resolve(uri: string) {
  const parsed = wallet.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri });
  return wallet.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params as never });
}

/** A presentation of `credential` disclosing `frame`, bound to the request's nonce and `aud`. */
async function present(credential: string, holder: { privateKey: CryptoKey }, frame: Record<string, unknown>, kb: { nonce: string; aud: string }) {
  const sdjwt = new SDJwtVcInstance({
    hasher,
    kbSignAlg: 'ES256',
    kbSigner: async (data: string) => {
      const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, holder.privateKey, new TextEncoder().encode(data));
      return Buffer.from(sig).toString('base64url');
    },
  });
  return sdjwt.present(credential, frame as never, { kb: { payload: { iat: Math.floor(Date.now() / 1000), ...kb } } });
}

async function answer(resolved: Awaited<ReturnType<typeof resolve>>, vpToken: Record<string, string[]>) {
  const made = await wallet.createOpenid4vpAuthorizationResponse({ authorizationRequestPayload: resolved.authorizationRequestPayload, authorizationResponsePayload: { vp_token: vpToken } as never });
  const { response } = await wallet.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: resolved.authorizationRequestPayload as never, authorizationResponsePayload: made.authorizationResponsePayload });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const newRequest = async (body: Record<string, unknown>, key = apiKey) => {
  const res = await api('POST', '/api/verifier/requests', body, key);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; client_id: string; request_uri: string; authorization_request: string; wallet_url: string; qr_svg: string };
};

describe('the verifier with an independent wallet', () => {
  it('asks for age 19 or over, receives only that, and gives the relying party the verified claim', async () => {
    const issued = await issueCredential(app, t, citizenId, RESIDENT_ID.id);
    const req = await newRequest({ check: 'age-over-19' });
    expect(req.authorization_request).toMatch(/^openid4vp:\/\/\?client_id=x509_hash%3A/);
    expect(req.qr_svg).toMatch(/^<svg/);

    const resolved = await resolve(req.authorization_request);
    // the library checked the signature with the certificate in x5c and that its hash is the client_id
    expect(resolved.client.prefix).toBe('x509_hash');
    expect(resolved.jar?.sendBy).toBe('reference');
    const payload = resolved.authorizationRequestPayload as Record<string, any>;
    expect(payload.client_id).toBe(req.client_id);
    expect(payload.dcql_query.credentials[0].claims).toEqual([{ path: ['age_equal_or_over', '19'] }]);
    expect(payload.purpose.ko).toBe('계좌 개설 본인 확인');

    const vp = await present(issued.body.credentials[0].credential, issued.holder, { age_equal_or_over: { '19': true } }, { nonce: payload.nonce, aud: payload.client_id });
    const sent = await answer(resolved, { doc: [vp] });
    expect(sent).toEqual({ status: 200, body: {} });

    const result = (await (await api('GET', `/api/verifier/requests/${req.id}`)).json()) as Record<string, any>;
    expect(result.status).toBe('verified');
    expect(result.result.credentials.doc).toHaveLength(1);
    expect(result.result.credentials.doc[0]).toMatchObject({ issuer: base, type: RESIDENT_ID.id, status: 'valid' });
    // only what was disclosed: no name, no birth date, not the other age checks
    expect(result.result.credentials.doc[0].claims).toEqual({ age_equal_or_over: { '19': true } });

    // another relying party cannot read it; the same answer cannot be posted again
    expect((await api('GET', `/api/verifier/requests/${req.id}`, undefined, otherKey)).status).toBe(404);
    const again = await fetch(payload.response_uri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ state: payload.state, vp_token: JSON.stringify({ doc: [vp] }) }) });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_request');
    // and the request object is no longer served
    expect((await fetch(req.request_uri)).status).toBe(404);
  });

  const failing = async (credentialType: string, frame: Record<string, unknown>, tweak: (kb: { nonce: string; aud: string }) => { nonce: string; aud: string }, before?: (credentialId: string) => Promise<void>) => {
    const issued = await issueCredential(app, t, citizenId, credentialType);
    if (before) await before(issued.body.credentials[0].credential);
    const req = await newRequest({ check: 'age-over-19' });
    const resolved = await resolve(req.authorization_request);
    const p = resolved.authorizationRequestPayload as Record<string, any>;
    const vp = await present(issued.body.credentials[0].credential, issued.holder, frame, tweak({ nonce: p.nonce, aud: p.client_id }));
    const sent = await answer(resolved, { doc: [vp] });
    const result = (await (await api('GET', `/api/verifier/requests/${req.id}`)).json()) as Record<string, any>;
    return { sent, result };
  };

  it('refuses a presentation made for another verifier, with another nonce, or without the asked claim', async () => {
    const age = { age_equal_or_over: { '19': true } };
    const wrongAud = await failing(RESIDENT_ID.id, age, (kb) => ({ ...kb, aud: 'x509_hash:someone-else' }));
    expect(wrongAud.sent.status).toBe(400);
    expect(wrongAud.result).toMatchObject({ status: 'failed' });
    expect(wrongAud.result.error).toMatch(/^wrong_audience/);
    expect(wrongAud.result.result).toBeUndefined();
    const wrongNonce = await failing(RESIDENT_ID.id, age, (kb) => ({ ...kb, nonce: 'not-the-nonce' }));
    expect(wrongNonce.result.error).toMatch(/^wrong_nonce/);
    const nothing = await failing(RESIDENT_ID.id, { name: true }, (kb) => kb);
    expect(nothing.result.error).toMatch(/^incomplete/);
  });

  it('refuses a revoked or suspended document, and a document of a type not asked for', async () => {
    const age = { age_equal_or_over: { '19': true } };
    const { rows } = await import('../../platform/db.ts');
    const { sql } = await import('drizzle-orm');
    const idOf = async () => (await rows<{ id: string }>(t.db, sql`select id::text as id from credentials.credential order by issued_at desc limit 1`))[0]!.id;
    const revoked = await failing(RESIDENT_ID.id, age, (kb) => kb, async () => {
      await setStatus(t, [await idOf()], 'invalid', 'test', 'operator:test');
    });
    expect(revoked.result.error).toMatch(/^revoked/);
    const suspended = await failing(RESIDENT_ID.id, age, (kb) => kb, async () => {
      await setStatus(t, [await idOf()], 'suspended', 'test', 'operator:test');
    });
    expect(suspended.result.error).toMatch(/^suspended/);
    // a resident ID where the request asked for a driving licence
    const id = await issueCredential(app, t, citizenId, RESIDENT_ID.id);
    const req = await newRequest({ check: 'driving-licence' });
    const resolved = await resolve(req.authorization_request);
    const p = resolved.authorizationRequestPayload as Record<string, any>;
    const vp = await present(id.body.credentials[0].credential, id.holder, { name: true }, { nonce: p.nonce, aud: p.client_id });
    expect((await answer(resolved, { doc: [vp] })).status).toBe(400);
    const result = (await (await api('GET', `/api/verifier/requests/${req.id}`)).json()) as Record<string, any>;
    expect(result.error).toMatch(/^wrong_type/);
  });

  it('records a wallet that declines, and releases a same-device result only with the response code', async () => {
    const declined = await newRequest({ check: 'identity' });
    const resolved = await resolve(declined.authorization_request);
    const p = resolved.authorizationRequestPayload as Record<string, any>;
    const res = await fetch(p.response_uri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ state: p.state, error: 'access_denied' }) });
    expect(res.status).toBe(200);
    expect(((await (await api('GET', `/api/verifier/requests/${declined.id}`)).json()) as { error: string }).error).toBe('wallet: access_denied');

    const issued = await issueCredential(app, t, citizenId, RESIDENT_ID.id);
    const same = await newRequest({ check: 'identity', redirect_uri: 'https://bank.example/back', purpose: { ko: '대출 심사', en: 'Loan review' } });
    const r2 = await resolve(same.authorization_request);
    const p2 = r2.authorizationRequestPayload as Record<string, any>;
    expect(p2.purpose).toEqual({ ko: '대출 심사', en: 'Loan review' });
    const vp = await present(issued.body.credentials[0].credential, issued.holder, { name: true, birthdate: true }, { nonce: p2.nonce, aud: p2.client_id });
    const sent = await answer(r2, { doc: [vp] });
    expect(sent.status).toBe(200);
    const redirect = String(sent.body.redirect_uri);
    expect(redirect).toMatch(/^https:\/\/bank\.example\/back#response_code=[A-Za-z0-9_-]{32}$/);
    const withoutCode = (await (await api('GET', `/api/verifier/requests/${same.id}`)).json()) as Record<string, any>;
    expect(withoutCode.status).toBe('verified');
    expect(withoutCode.result).toBeUndefined();
    const code = redirect.split('response_code=')[1]!;
    const withCode = (await (await api('GET', `/api/verifier/requests/${same.id}?response_code=${code}`)).json()) as Record<string, any>;
    expect(withCode.result.credentials.doc[0].claims).toEqual({ name: '최지우', birthdate: '1990-05-05' });
  });
});

describe('the relying parties\u2019 API refuses bad input with problem details', () => {
  it('needs a valid API key, a valid DCQL query over known types, and one of check or dcql_query', async () => {
    expect((await api('POST', '/api/verifier/requests', { check: 'identity' }, 'hrp_wrong')).status).toBe(401);
    expect((await fetch(`${base}/api/verifier/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"check":"identity"}' })).status).toBe(401);
    const cases: Array<[unknown, number, RegExp]> = [
      [{ check: 'identity', dcql_query: { credentials: [] } }, 400, /either/],
      [{}, 400, /either/],
      [{ check: 'shoe-size' }, 404, /no check/],
      [{ dcql_query: { credentials: 'x' } }, 400, /DCQL/],
      [{ dcql_query: { credentials: [{ id: 'a', format: 'dc+sd-jwt', meta: { vct_values: ['https://elsewhere.example/pid'] } }] } }, 400, /no trusted issuer/],
      [{ dcql_query: { credentials: [{ id: 'a', format: 'dc+sd-jwt' }] } }, 400, /meta|vct_values|DCQL/],
      [{ check: 'identity', redirect_uri: 'javascript:alert(1)' }, 400, /redirect_uri/],
    ];
    for (const [body, status, detail] of cases) {
      const res = await api('POST', '/api/verifier/requests', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(await res.json()), JSON.stringify(body)).toMatch(detail);
    }
    // a DCQL query of its own, asking for the licence's number
    const own = await newRequest({ dcql_query: { credentials: [{ id: 'licence', format: 'dc+sd-jwt', meta: { vct_values: [`${base}/credentials/types/${DRIVING_LICENCE.type}`] }, claims: [{ path: ['document_number'] }] }] } });
    expect(own.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown request URIs and malformed responses with a clear 4xx', async () => {
    expect((await fetch(`${base}/verifier/requests/00000000-0000-4000-8000-000000000000/request.jwt`)).status).toBe(404);
    expect((await fetch(`${base}/verifier/requests/not-a-uuid/request.jwt`)).status).toBe(404);
    const post = (body: Record<string, string>) => fetch(`${base}/verifier/response`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
    for (const body of [{} as Record<string, string>, { state: 'nope', vp_token: '{}' }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    }
    const req = await newRequest({ check: 'identity' });
    const p = (await resolve(req.authorization_request)).authorizationRequestPayload as Record<string, any>;
    const bad = await post({ state: p.state, vp_token: 'not json' });
    expect(bad.status).toBe(400);
    expect(((await (await api('GET', `/api/verifier/requests/${req.id}`)).json()) as { error: string }).error).toMatch(/^malformed/);
  });
});

describe('the counter page', () => {
  it('lets an official create a request and see its QR code; a citizen is refused; another agency cannot see it', async () => {
    const clerk = await signedInOfficial(app, t, { name: '김창구', agency: 'MOIS', roles: ['case-worker'] });
    const { formWithToken } = browser(app);
    const made = await formWithToken('/verifier', '/verifier/requests', { check: 'age-over-19', purpose: '' }, clerk.cookie);
    expect(made.statusCode, made.body).toBe(303);
    const location = String(made.headers.location);
    expect(location).toMatch(/^\/verifier\/requests\/[0-9a-f-]{36}\?check=age-over-19$/);
    const page = await app.inject({ url: location, headers: { cookie: clerk.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<img class="hn-qr" src="data:image/svg+xml;base64,');
    expect(page.body).toContain('만 19세 이상 확인');
    const id = location.split('/')[3]!.split('?')[0]!;
    expect((await app.inject({ url: `/verifier/requests/${id}/status`, headers: { cookie: clerk.cookie } })).json()).toEqual({ status: 'pending' });

    const other = await signedInOfficial(app, t, { name: '이다른', agency: 'NTS', roles: ['case-worker'] }, '10.1.0.2');
    expect((await app.inject({ url: location, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/verifier' })).statusCode).toBe(303);
    const jar = await app.inject({ url: '/sign-in' });
    const token = /name="_csrf" value="([^"]+)"/.exec(jar.body)![1]!;
    const cookies = [jar.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).join('; ');
    const signIn = await app.inject({ method: 'POST', url: '/dev/sign-in/resident', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ citizen: citizenId, _csrf: token }).toString() });
    const citizen = [signIn.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('__Host-hanaro-session='))!.split(';')[0]!;
    expect((await app.inject({ url: '/verifier', headers: { cookie: citizen } })).statusCode).toBe(403);

    // the register of relying parties names the agency's counter by its client_id
    const register = (await (await fetch(`${base}/credentials/verifiers`)).json()) as { relying_parties: Array<{ id: string; client_id: string }> };
    expect(register.relying_parties.map((r) => r.id)).toEqual(expect.arrayContaining(['agency:MOIS', 'rp-bank', 'rp-landlord']));
  });
});
