import { createHash, randomBytes } from 'node:crypto';
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { FastifyInstance } from 'fastify';
import { compactVerify, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlatform } from '../../platform/testing.ts';
import { browser, signedInOfficial } from '../identity/test-support.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { DISABILITY, RESIDENT_ID, VETERAN } from './documents.ts';
import { hasher } from './issuer.ts';
import { createOffer } from './offers.ts';
import { listeningIssuer } from './test-support.ts';

// Deferred issuance (OpenID4VCI 1.0 §9) for documents an official approves: @openid4vc/openid4vci
// as the wallet over real HTTP gets 202 with a transaction id and polls the deferred credential
// endpoint; officials decide in the console (app.inject, forms with CSRF tokens); the credential
// is delivered once; refusals, the wrong officials and unknown transactions are refused.

let app: FastifyInstance;
let t: TestPlatform;
let issuer: string;
let me: string;
let nobody: string;

beforeAll(async () => {
  ({ app, t, base: issuer } = await listeningIssuer());
  [{ id: me }, { id: nobody }] = (await seedResidents(app, t, [
    { serial: 1, name: '김민지', birthDate: '1990-03-03' },
    { serial: 2, name: '홍아무것도없음', birthDate: '1995-06-06' },
  ])) as unknown as [{ id: string }, { id: string }];
  await seedRecords(app, t, 'disability', 'KR/GOV/MOHW/welfare-registry', [{ subjectId: me, disabilityType: 'hearing', severity: 'mild', registeredDate: '2018-09-09', nextReviewDue: '2028-09-09' }]);
  await seedRecords(app, t, 'veteran', 'KR/GOV/MPVA/veterans-registry', [{ subjectId: me, category: 'war-veteran', registeredDate: '2019-06-25', monthlyBenefit: 420000 }]);
}, 90_000);
afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

const { formWithToken, sessionCookie } = browser(() => app);
const form = (url: string, fields: Record<string, string>) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
const poll = (accessToken: string, transactionId: string) =>
  app.inject({ method: 'POST', url: '/credentials/deferred', headers: { authorization: `Bearer ${accessToken}` }, payload: { transaction_id: transactionId } });

async function wallet() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = await exportJWK(publicKey);
  const client = new Openid4vciClient({
    callbacks: {
      fetch,
      hash: (data: Uint8Array, alg: string) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
      generateRandom: (n: number) => new Uint8Array(randomBytes(n)),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (signer: { publicJwk?: unknown }, { header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> }) => ({
        jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey),
        signerJwk: signer.publicJwk,
      }),
    } as never,
  });
  return { client, publicJwk };
}

/** A wallet asks for a document that needs approval: the token response, and the 202 answer. */
async function ask(citizenId: string, configurationId: string) {
  const offer = await createOffer(t, { citizenId, configurationIds: [configurationId], txCode: false }, 'official:test');
  const { client, publicJwk } = await wallet();
  const credentialOffer = await client.resolveCredentialOffer(offer.uri);
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata });
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: configurationId, nonce: c_nonce, signer: { method: 'jwk', alg: 'ES256', publicJwk } as never });
  const answer = await client.retrieveCredentials({ issuerMetadata, credentialConfigurationId: configurationId, proofs: { jwt: [jwt] }, accessToken: accessTokenResponse.access_token });
  return { client, issuerMetadata, publicJwk, accessTokenResponse, answer, transactionId: answer.credentialResponse.transaction_id! };
}

async function verified(credential: string): Promise<Record<string, any>> {
  const { jwks } = (await app.inject({ url: '/.well-known/jwt-vc-issuer' })).json() as { jwks: { keys: JWK[] } };
  const byKid = async (data: string, sig: string) => {
    const { kid } = JSON.parse(Buffer.from(data.split('.')[0]!, 'base64url').toString()) as { kid: string };
    const jwk = jwks.keys.find((k) => k.kid === kid);
    return jwk ? compactVerify(`${data}.${sig}`, await importJWK(jwk, 'ES256')).then(() => true, () => false) : false;
  };
  const v = new SDJwtVcInstance({ hasher, verifier: byKid, statusVerifier: byKid, statusListFetcher: async (uri: string) => (await app.inject({ url: new URL(uri).pathname })).body });
  return (await v.verify(credential)).payload as Record<string, any>;
}

async function citizenCookie(id: string): Promise<string> {
  return sessionCookie(await formWithToken('/sign-in', '/dev/sign-in/resident', { citizen: id }))!;
}
const queue = (agency: string) => `/console/credentials/${agency}/approvals`;
/** The id of the first waiting request on the queue page, from its approve form. */
const firstRequest = (html: string) => /approvals\/([0-9a-f-]{36})\/approve/.exec(html)?.[1];

let mohw: { cookie: string };
let mpva: { cookie: string };
beforeAll(async () => {
  mohw = await signedInOfficial(app, t, { name: '복지담당', agency: 'MOHW', roles: ['case-worker'] }, '10.7.0.1');
  mpva = await signedInOfficial(app, t, { name: '보훈담당', agency: 'MPVA', roles: ['case-worker'] }, '10.7.0.2');
});

describe('deferred issuance after an official approves', () => {
  it('202 with a transaction id, pending polls, the queue, approval by the agency, delivery once', async () => {
    const meta = (await app.inject({ url: '/.well-known/openid-credential-issuer' })).json();
    expect(meta.deferred_credential_endpoint).toBe(`${issuer}/credentials/deferred`);

    const w = await ask(me, DISABILITY.id);
    expect(w.answer.response.status).toBe(202);
    expect(w.answer.credentialResponse).toMatchObject({ transaction_id: expect.any(String), interval: 600 });
    expect(w.answer.credentialResponse.credentials).toBeUndefined();
    // a document that needs approval comes with a refresh token: the wait outlives the access token
    expect(w.accessTokenResponse.refresh_token).toEqual(expect.any(String));

    const pending = await w.client.retrieveDeferredCredentials({ issuerMetadata: w.issuerMetadata, accessToken: w.accessTokenResponse.access_token, transactionId: w.transactionId });
    expect(pending.response.status).toBe(202);
    expect(pending.deferredCredentialResponse).toEqual({ transaction_id: w.transactionId, interval: 600 });

    // the citizen sees the request waiting
    const cookie = await citizenCookie(me);
    const docs = await app.inject({ url: '/documents', headers: { cookie } });
    expect(docs.body).toContain('승인을 기다리는 신청');
    expect(docs.body).toContain('승인 대기');

    // the agency's case worker sees it on the console's front page and in the queue
    expect((await app.inject({ url: '/console', headers: { cookie: mohw.cookie } })).body).toContain(queue('MOHW'));
    const page = await app.inject({ url: queue('MOHW'), headers: { cookie: mohw.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('김민지');
    expect(page.body).toContain('장애인 증명서');
    const id = firstRequest(page.body)!;
    expect((await app.inject({ url: `${queue('MOHW')}?lang=en`, headers: { cookie: mohw.cookie } })).body).toContain('Document approvals');

    const approved = await formWithToken(queue('MOHW'), `${queue('MOHW')}/${id}/approve`, {}, mohw.cookie);
    expect(approved.statusCode, approved.body).toBe(303);
    expect(approved.headers.location).toBe(`${queue('MOHW')}?done=approved`);
    const audit = await t.audit.tail(20);
    expect(audit.some((a) => a.action === 'credentials.deferred.approved' && a.subject === `citizen:${me}`)).toBe(true);
    // deciding twice: 409
    expect((await formWithToken(queue('MOHW'), `${queue('MOHW')}/${id}/approve`, {}, mohw.cookie)).statusCode).toBe(409);

    // an hour later the access token has expired: the wallet refreshes it, then polls
    const refreshed = await form('/credentials/token', { grant_type: 'refresh_token', refresh_token: w.accessTokenResponse.refresh_token! });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const accessToken = refreshed.json().access_token as string;
    expect(refreshed.json().refresh_token).not.toBe(w.accessTokenResponse.refresh_token);
    const done = await w.client.retrieveDeferredCredentials({ issuerMetadata: w.issuerMetadata, accessToken, transactionId: w.transactionId });
    expect(done.response.status).toBe(200);
    const credential = (done.deferredCredentialResponse.credentials![0] as { credential: string }).credential;
    const payload = await verified(credential);
    expect(payload).toMatchObject({ name: '김민지', disability_type: 'hearing', severity: 'mild', cnf: { jwk: { x: w.publicJwk.x, y: w.publicJwk.y } } });

    // once only
    const again = await poll(accessToken, w.transactionId);
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toBe('invalid_transaction_id');
    // the old refresh token was rotated: presenting it again revokes its family (the new one too)
    expect((await form('/credentials/token', { grant_type: 'refresh_token', refresh_token: w.accessTokenResponse.refresh_token! })).json().error).toBe('invalid_grant');
    expect((await form('/credentials/token', { grant_type: 'refresh_token', refresh_token: refreshed.json().refresh_token })).json().error).toBe('invalid_grant');
    // the credential is on the citizen's list; the request is no longer
    expect((await app.inject({ url: '/documents', headers: { cookie } })).body).not.toContain('승인을 기다리는 신청');
  });

  it('a refusal with a reason: credential_request_denied for the wallet, the reason on /documents', async () => {
    const w = await ask(me, DISABILITY.id);
    const id = firstRequest((await app.inject({ url: queue('MOHW'), headers: { cookie: mohw.cookie } })).body)!;
    const refused = await formWithToken(queue('MOHW'), `${queue('MOHW')}/${id}/refuse`, { reason: '재판정 대상입니다' }, mohw.cookie);
    expect(refused.headers.location).toBe(`${queue('MOHW')}?done=refused`);
    const res = await poll(w.accessTokenResponse.access_token, w.transactionId);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('credential_request_denied');
    const docs = (await app.inject({ url: '/documents', headers: { cookie: await citizenCookie(me) } })).body;
    expect(docs).toContain('거절됨');
    expect(docs).toContain('재판정 대상입니다');
    expect((await t.audit.tail(10)).some((a) => a.action === 'credentials.deferred.refused')).toBe(true);
  });

  it('another agency’s document: the MPVA approves the veteran certificate; a person the register does not know is denied at approval', async () => {
    const w = await ask(me, VETERAN.id);
    // the MOHW does not see the MPVA's requests
    expect(firstRequest((await app.inject({ url: queue('MOHW'), headers: { cookie: mohw.cookie } })).body)).toBeUndefined();
    const id = firstRequest((await app.inject({ url: queue('MPVA'), headers: { cookie: mpva.cookie } })).body)!;
    expect((await formWithToken(queue('MPVA'), `${queue('MPVA')}/${id}/approve`, {}, mpva.cookie)).headers.location).toBe(`${queue('MPVA')}?done=approved`);
    const res = await poll(w.accessTokenResponse.access_token, w.transactionId);
    expect(res.statusCode, res.body).toBe(200);
    expect(await verified(res.json().credentials[0].credential)).toMatchObject({ category: 'war-veteran', registered_date: '2019-06-25' });

    const n = await ask(nobody, VETERAN.id);
    expect(n.answer.response.status).toBe(202);
    const nid = firstRequest((await app.inject({ url: queue('MPVA'), headers: { cookie: mpva.cookie } })).body)!;
    expect((await formWithToken(queue('MPVA'), `${queue('MPVA')}/${nid}/approve`, {}, mpva.cookie)).headers.location).toBe(`${queue('MPVA')}?done=denied`);
    expect((await poll(n.accessTokenResponse.access_token, n.transactionId)).json().error).toBe('credential_request_denied');
  });

  it('the queue is the agency’s case workers’ and administrators’: another agency, an auditor, a citizen and nobody are refused', async () => {
    await ask(me, DISABILITY.id);
    const id = firstRequest((await app.inject({ url: queue('MOHW'), headers: { cookie: mohw.cookie } })).body)!;
    // another agency's case worker: 403 on the page and on the decision
    expect((await app.inject({ url: queue('MOHW'), headers: { cookie: mpva.cookie, accept: 'text/html' } })).statusCode).toBe(403);
    expect((await formWithToken(queue('MPVA'), `${queue('MOHW')}/${id}/approve`, {}, mpva.cookie)).statusCode).toBe(403);
    // and the MPVA's own queue does not take the MOHW's request
    expect((await formWithToken(queue('MPVA'), `${queue('MPVA')}/${id}/approve`, {}, mpva.cookie)).statusCode).toBe(404);
    const auditor = await signedInOfficial(app, t, { name: '감사', agency: 'MOHW', roles: ['auditor'] }, '10.7.0.3');
    expect((await app.inject({ url: queue('MOHW'), headers: { cookie: auditor.cookie } })).statusCode).toBe(403);
    const admin = await signedInOfficial(app, t, { name: '플랫폼', agency: 'NIA', roles: ['platform-admin'] }, '10.7.0.4');
    expect((await app.inject({ url: queue('MOHW'), headers: { cookie: admin.cookie } })).statusCode).toBe(403);
    const citizen = await citizenCookie(me);
    expect((await app.inject({ url: queue('MOHW'), headers: { cookie: citizen, accept: 'text/html' } })).statusCode).toBe(403);
    const anon = await app.inject({ url: queue('MOHW'), headers: { accept: 'text/html' } });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe(`/sign-in?next=${encodeURIComponent(queue('MOHW'))}`);
    // an agency administrator may decide; the request is still there
    const mohwAdmin = await signedInOfficial(app, t, { name: '복지관리', agency: 'MOHW', roles: ['agency-admin'] }, '10.7.0.5');
    expect(firstRequest((await app.inject({ url: queue('MOHW'), headers: { cookie: mohwAdmin.cookie } })).body)).toBe(id);
  });

  it('the deferred endpoint: an unknown transaction, another citizen’s token, no token, a malformed body', async () => {
    const w = await ask(me, DISABILITY.id);
    const unknown = await poll(w.accessTokenResponse.access_token, 'made-up');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toBe('invalid_transaction_id');
    expect(unknown.headers['cache-control']).toBe('no-store');
    // another citizen's token does not reach this transaction
    const offer = await createOffer(t, { citizenId: nobody, configurationIds: [DISABILITY.id], txCode: false }, 'official:test');
    const code = (offer.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
    const theirs = (await form('/credentials/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code })).json().access_token as string;
    expect((await poll(theirs, w.transactionId)).json().error).toBe('invalid_transaction_id');
    // a token for another document
    const rid = await createOffer(t, { citizenId: me, configurationIds: [RESIDENT_ID.id], txCode: false }, 'official:test');
    const ridCode = (rid.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
    const ridToken = (await form('/credentials/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': ridCode })).json();
    expect(ridToken.refresh_token).toBeUndefined();
    expect((await poll(ridToken.access_token, w.transactionId)).json().error).toBe('insufficient_scope');
    expect((await app.inject({ method: 'POST', url: '/credentials/deferred', payload: { transaction_id: w.transactionId } })).statusCode).toBe(401);
    const bad = await app.inject({ method: 'POST', url: '/credentials/deferred', headers: { authorization: `Bearer ${w.accessTokenResponse.access_token}` }, payload: { nope: 1 } });
    expect(bad.json().error).toBe('invalid_credential_request');
    expect((await poll(w.accessTokenResponse.access_token, w.transactionId)).statusCode).toBe(202);
  });
});
