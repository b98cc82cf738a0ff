import { createHash, randomBytes } from 'node:crypto';
import { clientAuthenticationNone } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlatform } from '../../platform/testing.ts';
import { browser, signedInOfficial } from '../identity/test-support.ts';
import { seedResidents } from '../registries/test-support.ts';
import { DRIVING_LICENCE, RESIDENT_ID } from './documents.ts';
import { createOffer } from './offers.ts';
import { createWalletClient, disableWalletClient } from './wallet-clients.ts';
import { listeningIssuer } from './test-support.ts';

// The authorization code flow (OpenID4VCI 1.0 §5): @openid4vc/openid4vci as an independent wallet
// over real HTTP builds the authorization request and redeems the code; the browser part (sign-in
// with the portal session, the consent page) is driven with app.inject; and each refusal RFC 6749
// and RFC 7636 define.

let app: FastifyInstance;
let t: TestPlatform;
let citizenId: string;
let otherId: string;
let issuer: string;
const CLIENT_ID = 'kr.example.wallet';
const REDIRECT = 'https://wallet.example/cb';
const APP_REDIRECT = 'kr.example.wallet:/cb';

beforeAll(async () => {
  ({ app, t, base: issuer } = await listeningIssuer());
  [{ id: citizenId }, { id: otherId }] = (await seedResidents(app, t, [
    { serial: 1, name: '최지우', birthDate: '1990-01-01' },
    { serial: 2, name: '박다른', birthDate: '1991-01-01' },
  ])) as unknown as [{ id: string }, { id: string }];
  await createWalletClient(t, { id: CLIENT_ID, name: { ko: '예시 지갑', en: 'Example wallet' }, redirectUris: [REDIRECT, APP_REDIRECT] }, 'operator:test');
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

const { formWithToken, sessionCookie } = browser(() => app);
async function citizenCookie(id = citizenId): Promise<string> {
  return sessionCookie(await formWithToken('/sign-in', '/dev/sign-in/resident', { citizen: id }))!;
}
const pathOf = (url: string) => {
  const u = new URL(url, issuer);
  return `${u.pathname}${u.search}`;
};
const form = (url: string, fields: Record<string, string>) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });

/** The browser: the authorization request, the consent page, the decision; returns where the wallet is sent back. */
async function consent(authorizationUrl: string, cookie: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const start = await app.inject({ url: pathOf(authorizationUrl), headers: { cookie } });
  expect(start.statusCode, start.body).toBe(303);
  const consentPath = start.headers.location as string;
  expect(consentPath).toMatch(/^\/credentials\/authorize\/[0-9a-f-]{36}$/);
  const res = await formWithToken(consentPath, consentPath, { decision }, cookie);
  expect(res.statusCode, res.body).toBe(303);
  return res.headers.location as string;
}

async function wallet() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = await exportJWK(publicKey);
  const client = new Openid4vciClient({
    callbacks: {
      fetch,
      hash: (data: Uint8Array, alg: string) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
      generateRandom: (n: number) => new Uint8Array(randomBytes(n)),
      clientAuthentication: clientAuthenticationNone({ clientId: CLIENT_ID }),
      signJwt: async (signer: { publicJwk?: unknown }, { header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> }) => ({
        jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey),
        signerJwk: signer.publicJwk,
      }),
    } as never,
  });
  return { client, publicJwk };
}

// a request built by hand, for the refusals
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
const authorizeUrl = (over: Record<string, string | undefined> = {}) => {
  const params = { response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', scope: RESIDENT_ID.id, state: 'st-1', ...over };
  return `/credentials/authorize?${new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined) as Array<[string, string]>)}`;
};
const codeOf = (location: string) => new URL(location).searchParams.get('code')!;
const redeem = (code: string, over: Record<string, string> = {}) =>
  form('/credentials/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: CLIENT_ID, ...over });

describe('the authorization code flow with an independent wallet (@openid4vc/openid4vci)', () => {
  it('publishes the authorization endpoint, PKCE S256, the grants, authorization details and scopes in both metadata documents', async () => {
    const as = (await app.inject({ url: '/.well-known/oauth-authorization-server' })).json();
    const ci = (await app.inject({ url: '/.well-known/openid-credential-issuer' })).json();
    for (const m of [as, ci]) {
      expect(m).toMatchObject({
        authorization_endpoint: `${issuer}/credentials/authorize`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        authorization_details_types_supported: ['openid_credential'],
        token_endpoint_auth_methods_supported: ['none'],
      });
      expect(m.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'refresh_token']));
      expect(m.scopes_supported).toContain(RESIDENT_ID.id);
    }
    expect(ci.credential_configurations_supported[RESIDENT_ID.id].scope).toBe(RESIDENT_ID.id);
  });

  it('an offer with issuer_state: sign-in through the portal, consent, code, token with authorization_details, credential', async () => {
    const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id], grants: ['authorization_code'] }, 'official:test');
    expect(offer.offer.grants).toEqual({ authorization_code: { issuer_state: expect.any(String) } });
    const { client, publicJwk } = await wallet();
    const credentialOffer = await client.resolveCredentialOffer(offer.uri);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const { authorizationRequestUrl, pkce } = await client.createAuthorizationRequestUrlFromOffer({ clientId: CLIENT_ID, credentialOffer, issuerMetadata, redirectUri: REDIRECT });
    expect(pkce?.codeChallengeMethod).toBe('S256');

    // nobody signed in: to the portal's sign-in and back to the consent page
    const start = await app.inject({ url: pathOf(authorizationRequestUrl) });
    expect(start.statusCode).toBe(303);
    const consentPath = start.headers.location as string;
    const anon = await app.inject({ url: consentPath, headers: { accept: 'text/html' } });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe(`/sign-in?next=${encodeURIComponent(consentPath)}`);
    const signIn = await formWithToken('/sign-in', '/dev/sign-in/resident', { citizen: citizenId, next: consentPath });
    expect(signIn.headers.location).toBe(consentPath);
    const cookie = sessionCookie(signIn)!;
    const page = await app.inject({ url: consentPath, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('예시 지갑');
    expect(page.body).toContain('모바일 주민등록증');
    // the consent form ends in a redirect to the wallet: the page's policy lets it
    expect(page.headers['content-security-policy']).toContain("form-action 'self' https://wallet.example");
    expect((await app.inject({ url: `${consentPath}?lang=en`, headers: { cookie } })).body).toContain('Consent to issue digital documents');

    const res = await formWithToken(consentPath, consentPath, { decision: 'allow' }, cookie);
    expect(res.statusCode).toBe(303);
    const back = res.headers.location as string;
    expect(back.startsWith(`${REDIRECT}?`)).toBe(true);
    const response = client.parseAndVerifyAuthorizationResponseRedirectUrl({ url: back, authorizationServerMetadata: issuerMetadata.authorizationServers[0]! });
    expect(response.iss).toBe(issuer);
    const { accessTokenResponse } = await client.retrieveAuthorizationCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
      authorizationCode: response.code!,
      pkceCodeVerifier: pkce!.codeVerifier,
      redirectUri: REDIRECT,
    });
    expect(accessTokenResponse.authorization_details).toEqual([{ type: 'openid_credential', credential_configuration_id: RESIDENT_ID.id, credential_identifiers: [RESIDENT_ID.id] }]);
    // no document here needs approval: no refresh token
    expect(accessTokenResponse.refresh_token).toBeUndefined();
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: RESIDENT_ID.id, nonce: c_nonce, signer: { method: 'jwk', alg: 'ES256', publicJwk } as never });
    const { credentialResponse } = await client.retrieveCredentials({ issuerMetadata, credentialConfigurationId: RESIDENT_ID.id, proofs: { jwt: [jwt] }, accessToken: accessTokenResponse.access_token });
    const credential = (credentialResponse.credentials![0] as { credential: string }).credential;
    const payload = JSON.parse(Buffer.from(credential.split('.')[1]!, 'base64url').toString());
    expect(payload.cnf.jwk).toMatchObject({ x: publicJwk.x, y: publicJwk.y });
    // the offer is spent: its issuer_state no longer starts an authorization
    const again = await app.inject({ url: pathOf(authorizationRequestUrl), headers: { cookie } });
    expect(new URL(again.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('wallet-initiated with authorization_details (an app redirect URI), and the access token grants only what was asked', async () => {
    const { client } = await wallet();
    const issuerMetadata = await client.resolveIssuerMetadata(issuer);
    const credentialOffer = { credential_issuer: issuer, credential_configuration_ids: [DRIVING_LICENCE.id], grants: { authorization_code: {} } };
    const { authorizationRequestUrl, pkce } = await client.createAuthorizationRequestUrlFromOffer({
      clientId: CLIENT_ID,
      credentialOffer,
      issuerMetadata,
      redirectUri: APP_REDIRECT,
      additionalRequestPayload: { authorization_details: [{ type: 'openid_credential', credential_configuration_id: DRIVING_LICENCE.id, locations: [issuer] }] },
    });
    const back = await consent(authorizationRequestUrl, await citizenCookie());
    expect(back.startsWith(`${APP_REDIRECT}?`)).toBe(true);
    const { accessTokenResponse } = await client.retrieveAuthorizationCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, authorizationCode: codeOf(back), pkceCodeVerifier: pkce!.codeVerifier, redirectUri: APP_REDIRECT });
    expect(accessTokenResponse.authorization_details).toEqual([expect.objectContaining({ credential_configuration_id: DRIVING_LICENCE.id })]);
    const other = await app.inject({ method: 'POST', url: '/credentials/credential', headers: { authorization: `Bearer ${accessTokenResponse.access_token}` }, payload: { credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: ['x'] } } });
    expect(other.json().error).toBe('insufficient_scope');
  });
});

describe('refusals', () => {
  it('token endpoint: a wrong code_verifier, a reused code, another redirect_uri, another client, no verifier', async () => {
    const cookie = await citizenCookie();
    // a wrong verifier spends the code
    const c1 = codeOf(await consent(authorizeUrl(), cookie));
    const wrong = await redeem(c1, { code_verifier: randomBytes(32).toString('base64url') });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toBe('invalid_grant');
    expect(wrong.headers['cache-control']).toBe('no-store');
    expect((await redeem(c1)).json().error).toBe('invalid_grant');
    // a good code works once
    const c2 = codeOf(await consent(authorizeUrl(), cookie));
    const ok = await redeem(c2);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ token_type: 'Bearer', authorization_details: [{ type: 'openid_credential', credential_configuration_id: RESIDENT_ID.id }] });
    expect((await redeem(c2)).json().error).toBe('invalid_grant');
    // another redirect_uri than the request's
    const c3 = codeOf(await consent(authorizeUrl(), cookie));
    expect((await redeem(c3, { redirect_uri: APP_REDIRECT })).json().error).toBe('invalid_grant');
    // another (registered) client
    await createWalletClient(t, { id: 'kr.other.wallet', name: { ko: '다른 지갑', en: 'Other wallet' }, redirectUris: [REDIRECT] }, 'operator:test');
    const c4 = codeOf(await consent(authorizeUrl(), cookie));
    expect((await redeem(c4, { client_id: 'kr.other.wallet' })).json().error).toBe('invalid_grant');
    // missing parameters
    const missing = await form('/credentials/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, client_id: CLIENT_ID });
    expect(missing.json().error).toBe('invalid_request');
    expect((await form('/credentials/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, code_verifier: verifier })).json().error).toBe('invalid_request');
    expect((await redeem('made-up-code')).json().error).toBe('invalid_grant');
  });

  it('token endpoint: authorization_details may narrow a grant, never widen it', async () => {
    const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id, DRIVING_LICENCE.id], txCode: false }, 'official:test');
    const code = (offer.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
    const details = (id: string) => JSON.stringify([{ type: 'openid_credential', credential_configuration_id: id }]);
    const wider = await form('/credentials/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code, authorization_details: details('kr.mois.resident-id.mdoc') });
    expect(wider.json().error).toBe('invalid_authorization_details');
    const offer2 = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id, DRIVING_LICENCE.id], txCode: false }, 'official:test');
    const code2 = (offer2.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
    const narrow = await form('/credentials/token', { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code2, authorization_details: details(DRIVING_LICENCE.id) });
    expect(narrow.json().authorization_details).toEqual([expect.objectContaining({ credential_configuration_id: DRIVING_LICENCE.id })]);
  });

  it('authorization endpoint: an unregistered redirect URI or client is never redirected to', async () => {
    const cookie = await citizenCookie();
    const evil = await app.inject({ url: authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), headers: { cookie, accept: 'text/html' } });
    expect(evil.statusCode).toBe(400);
    expect(evil.headers.location).toBeUndefined();
    expect(evil.body).toContain('invalid_request');
    const unknown = await app.inject({ url: authorizeUrl({ client_id: 'no.such.wallet' }), headers: { cookie } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers.location).toBeUndefined();
    expect(unknown.body).toContain('invalid_client');
    expect((await app.inject({ url: authorizeUrl({ client_id: undefined }) })).statusCode).toBe(400);
    expect((await app.inject({ url: `${authorizeUrl()}&redirect_uri=${encodeURIComponent(APP_REDIRECT)}` })).statusCode).toBe(400);
  });

  it('authorization endpoint: errors the wallet is told at its redirect URI, with the state', async () => {
    const errorOf = async (over: Record<string, string | undefined>, extra = '') => {
      const res = await app.inject({ url: `${authorizeUrl(over)}${extra}` });
      expect(res.statusCode, res.body).toBe(303);
      const u = new URL(res.headers.location as string);
      expect(`${u.protocol}//${u.host}${u.pathname}`).toBe(REDIRECT);
      expect(u.searchParams.get('iss')).toBe(issuer);
      return { error: u.searchParams.get('error'), state: u.searchParams.get('state') };
    };
    expect(await errorOf({ response_type: 'token' })).toEqual({ error: 'unsupported_response_type', state: 'st-1' });
    expect((await errorOf({ code_challenge: undefined })).error).toBe('invalid_request');
    expect((await errorOf({ code_challenge_method: 'plain' })).error).toBe('invalid_request');
    // an unknown configuration: named in authorization_details it is refused, as a scope it is ignored
    expect((await errorOf({ scope: undefined, authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'no.such.document' }]) })).error).toBe('invalid_authorization_details');
    expect((await errorOf({ scope: undefined, authorization_details: '[{"type":"something_else"}]' })).error).toBe('invalid_authorization_details');
    expect((await errorOf({ scope: undefined, authorization_details: 'not json' })).error).toBe('invalid_request');
    expect((await errorOf({ scope: 'no.such.document openid' })).error).toBe('invalid_scope');
    expect((await errorOf({ resource: 'https://other.example' })).error).toBe('invalid_target');
    expect((await errorOf({ issuer_state: 'made-up' })).error).toBe('invalid_request');
    expect((await errorOf({}, '&scope=x')).error).toBe('invalid_request');
  });

  it('the citizen declines: access_denied; an official is refused; an offer made for someone else is refused', async () => {
    const back = new URL(await consent(authorizeUrl({ state: 'st-2' }), await citizenCookie(), 'deny'));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-2');
    expect(back.searchParams.get('code')).toBeNull();

    const official = await signedInOfficial(app, t, { name: '공무원', agency: 'MOIS', roles: ['case-worker'] }, '10.9.0.2');
    const start = await app.inject({ url: authorizeUrl() });
    const refused = await app.inject({ url: start.headers.location as string, headers: { cookie: official.cookie, accept: 'text/html' } });
    expect(refused.statusCode).toBe(403);

    const offer = await createOffer(t, { citizenId: otherId, configurationIds: [RESIDENT_ID.id], grants: ['authorization_code'] }, 'official:test');
    const state = (offer.offer.grants.authorization_code as { issuer_state: string }).issuer_state;
    const { location } = (await app.inject({ url: authorizeUrl({ issuer_state: state }) })).headers;
    const notMine = await app.inject({ url: location as string, headers: { cookie: await citizenCookie() } });
    expect(notMine.statusCode).toBe(303);
    expect(new URL(notMine.headers.location as string).searchParams.get('error')).toBe('access_denied');
  });

  it('a consent page that was answered, or whose wallet was disabled, is gone; a consent post needs its CSRF token', async () => {
    const cookie = await citizenCookie();
    const start = await app.inject({ url: authorizeUrl() });
    const consentPath = start.headers.location as string;
    const noToken = await app.inject({ method: 'POST', url: consentPath, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'decision=allow' });
    expect(noToken.statusCode).toBe(403);
    expect((await formWithToken(consentPath, consentPath, { decision: 'allow' }, cookie)).statusCode).toBe(303);
    expect((await app.inject({ url: consentPath, headers: { cookie } })).statusCode).toBe(404);

    await createWalletClient(t, { id: 'kr.gone.wallet', name: { ko: '없어질 지갑', en: 'Gone wallet' }, redirectUris: [REDIRECT] }, 'operator:test');
    const pending = (await app.inject({ url: authorizeUrl({ client_id: 'kr.gone.wallet' }) })).headers.location as string;
    const code = codeOf(await consent(authorizeUrl({ client_id: 'kr.gone.wallet' }), cookie));
    expect(await disableWalletClient(t, 'kr.gone.wallet', 'operator:test')).toBe(true);
    expect((await app.inject({ url: pending, headers: { cookie } })).statusCode).toBe(404);
    expect((await redeem(code, { client_id: 'kr.gone.wallet' })).json().error).toBe('invalid_grant');
    expect((await app.inject({ url: authorizeUrl({ client_id: 'kr.gone.wallet' }) })).statusCode).toBe(400);
  });
});
