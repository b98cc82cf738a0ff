import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { freePort, testPlatform, type TestPlatform } from '../../platform/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { seedResidents } from '../registries/test-support.ts';
import { responseValidator } from '../registries/test-govstack.ts';
import { identityModule } from './index.ts';
import { createClient, disableClient } from './clients.ts';
import { sql } from 'drizzle-orm';
import { rows } from '../../platform/db.ts';

// Single sign-on with an independent relying party: openid-client (not our code) discovers the
// provider, runs the code flow with PKCE, validates the ID token, calls userinfo and refreshes.
// The "browser" is fetch with a cookie jar, signing in through the demo resident sign-in.

let app: FastifyInstance;
let t: TestPlatform;
let url: string;
let citizenId: string;
let rp: Server;
let rpUrl: string;
const logouts: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  url = `http://localhost:${port}`;
  const modules = [registriesModule, identityModule];
  t = await testPlatform({ modules, env: { HANARO_PUBLIC_URL: url } });
  await t.keys.ensureKeys();
  app = await buildApp(t, { modules });
  await app.listen({ port, host: 'localhost' });
  citizenId = (await seedResidents(app, t, [{ serial: 1, name: '최지우', roadAddress: '세종대로 209' }]))[0]!.id;
  // the relying party's back-channel logout endpoint
  rp = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      logouts.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.end();
    });
  });
  await new Promise<void>((r) => rp.listen(0, '127.0.0.1', r));
  rpUrl = `http://127.0.0.1:${(rp.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.dispose();
  if (rp) await new Promise((r) => rp.close(r));
});

/** A browser's cookies, enough for one origin. */
function browser() {
  const jar = new Map<string, string>();
  const go = async (target: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(target, url), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const [k, v] = [pair!.slice(0, i), pair!.slice(i + 1)];
      if (/expires=Thu, 01 Jan 1970/i.test(c) || v === '') jar.delete(k);
      else jar.set(k, v);
    }
    return res;
  };
  return {
    go,
    async form(page: string, action: string, fields: Record<string, string>) {
      const html = await (await go(page)).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      return go(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...fields, _csrf: token }).toString() });
    },
  };
}

/**
 * Runs the browser side of the code flow with PKCE: the authorization request, the demo resident
 * sign-in, the consent page (its HTML returned) and agreeing; returns where the provider sent the
 * browser back (the redirect URI with the code).
 */
async function signInAndConsent(b: ReturnType<typeof browser>, config: oidc.Configuration, redirectUri: string, scope: string, checkSignInRedirect = false) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authUrl = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
  let res = await b.go(authUrl.href);
  expect(res.status, `${authUrl.href} ${await res.clone().text()}`).toBe(303);
  const interaction = res.headers.get('location')!;
  expect(interaction).toMatch(/^\/oidc\/interaction\//);
  if (checkSignInRedirect) {
    // not signed in: to our sign-in page, which comes back here
    res = await b.go(interaction);
    expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(interaction)}`);
  }
  res = await b.form(`/sign-in?next=${encodeURIComponent(interaction)}`, '/dev/sign-in/resident', { citizen: citizenId, next: interaction });
  expect(res.headers.get('location')).toBe(interaction);
  // follow the provider's redirects to the consent page
  let location = interaction;
  let html = '';
  for (let i = 0; i < 6; i++) {
    res = await b.go(location);
    if (res.status === 200) {
      html = await res.text();
      // the consent form ends in a redirect to the client, which browsers check against form-action
      expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${new URL(redirectUri).origin}`);
      break;
    }
    location = res.headers.get('location')!;
  }
  const consentAction = /action="(\/oidc\/interaction\/[^"]+\/confirm)"/.exec(html)![1]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  res = await b.go(consentAction, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token }).toString() });
  location = res.headers.get('location')!;
  for (let i = 0; i < 6 && !location.startsWith(redirectUri); i++) location = (await b.go(location)).headers.get('location')!;
  expect(location.startsWith(redirectUri)).toBe(true);
  return { html, location, verifier, state };
}

describe('single sign-on (OpenID Connect) with openid-client as the relying party', () => {
  it('code flow with PKCE: sign in, consent to exactly the listed claims, ID token, userinfo, refresh with rotation, back-channel logout', async () => {
    const redirectUri = `${rpUrl}/callback`;
    const { clientId, clientSecret } = await createClient(t, { name: '복지로', redirectUris: [redirectUri], backchannelLogoutUri: `${rpUrl}/logout` });
    const config = await oidc.discovery(new URL(`${url}/oidc`), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    expect(config.serverMetadata().code_challenge_methods_supported).toContain('S256');

    const b = browser();
    const { html, location, verifier, state } = await signInAndConsent(b, config, redirectUri, 'openid profile address', true);
    expect(html).toContain('복지로');
    expect(html).toContain('<li>이름</li>');
    expect(html).toContain('<li>생년월일</li>');
    expect(html).toContain('주소 (시도, 시군구, 도로명주소)');

    const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: verifier, expectedState: state });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(`${url}/oidc`);
    expect(claims.aud).toBe(clientId);
    expect(claims.acr, JSON.stringify(claims)).toBe('urn:hanaro:loa:demo');
    // a private relying party gets a pairwise subject, not the account id
    expect(claims.sub).not.toMatch(/^[0-9a-f-]{36}$/);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, name: '최지우', birthdate: '1985-03-14', address: { region: '서울특별시', locality: '종로구', street_address: '세종대로 209' } });
    // the release is on the citizen's access log
    const reads = await t.accessLog.forCitizen(citizenId);
    expect(reads[0]).toMatchObject({ reader: `oidc:${clientId}`, channel: 'oidc' });
    expect([...reads[0]!.items].sort()).toEqual(['address', 'birthdate', 'name']);

    // refresh: a new refresh token, and the old one is spent
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    // the code cannot be used twice
    await expect(oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: verifier, expectedState: state })).rejects.toMatchObject({ error: 'invalid_grant' });

    // RP-initiated logout ends the provider session and tells the client on its back channel
    const end = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
    let res = await b.go(end.href);
    const confirm = await res.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm)?.[1];
    expect(xsrf).toBeTruthy();
    res = await b.go('/oidc/session/end/confirm', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString() });
    expect(res.status, await res.clone().text()).toBeLessThan(400);
    for (let i = 0; i < 50 && !logouts.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(logouts).toHaveLength(1);
    const { payload } = await jwtVerify(logouts[0]!, createRemoteJWKSet(new URL(`${url}/oidc/jwks`)), { issuer: `${url}/oidc`, audience: clientId });
    expect(payload.sub).toBe(claims.sub);
    expect(payload.events).toHaveProperty(['http://schemas.openid.net/event/backchannel-logout']);
  });

  it('refuses a flow without PKCE, a wrong redirect URI, and a token for another client (standard errors)', async () => {
    const { clientId, clientSecret } = await createClient(t, { name: 'other', redirectUris: [`${rpUrl}/cb2`], publicAgency: true });
    const noPkce = await fetch(`${url}/oidc/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: `${rpUrl}/cb2`, state: 's' })}`, { redirect: 'manual' });
    const loc = new URL(noPkce.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('error_description')).toMatch(/PKCE/);
    const wrongRedirect = await fetch(`${url}/oidc/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: `${rpUrl}/elsewhere`, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`, { redirect: 'manual' });
    // never redirected to an unregistered URI: an error page from the provider itself
    expect(wrongRedirect.status).toBe(400);
    expect(await wrongRedirect.text()).toContain('redirect_uri');
    const token = await fetch(`${url}/oidc/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'made-up', redirect_uri: `${rpUrl}/cb2`, code_verifier: 'v'.repeat(43) }).toString(),
    });
    expect(token.status).toBe(400);
    expect(await token.json()).toMatchObject({ error: 'invalid_grant' });
    const badSecret = await fetch(`${url}/oidc/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:wrong`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: `${rpUrl}/cb2`, code_verifier: 'v'.repeat(43) }).toString(),
    });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('resident registration numbers, other audiences and disabled clients', () => {
  it('a public agency with a legal basis gets the RRN (logged with the basis); a client without one gets invalid_scope', async () => {
    const redirectUri = `${rpUrl}/rrn-cb`;
    const { clientId, clientSecret } = await createClient(t, { name: '정부24', redirectUris: [redirectUri], publicAgency: true, agency: 'MOIS', rrnLegalBasis: '주민등록법 제30조' });
    const config = await oidc.discovery(new URL(`${url}/oidc`), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    const { html, location, verifier, state } = await signInAndConsent(browser(), config, redirectUri, 'openid rrn');
    expect(html).toContain('주민등록번호 (법령 근거: 주민등록법 제30조)');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: verifier, expectedState: state });
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(info.rrn).toMatch(/^\d{6}-\d{7}$/);
    const [read] = await t.accessLog.forCitizen(citizenId);
    expect(read).toMatchObject({ reader: `oidc:${clientId}`, legalBasis: '주민등록법 제30조' });
    expect([...read!.items]).toEqual(['rrn']);

    // a private relying party cannot even ask
    const other = await createClient(t, { name: '은행', redirectUris: [`${rpUrl}/bank`] });
    const asked = await fetch(`${url}/oidc/auth?${new URLSearchParams({ client_id: other.clientId, response_type: 'code', scope: 'openid rrn', redirect_uri: `${rpUrl}/bank`, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', state: 's' })}`, { redirect: 'manual' });
    expect(new URL(asked.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
    // and the legal basis is only for public agencies
    await expect(createClient(t, { name: '은행2', redirectUris: [`${rpUrl}/bank`], rrnLegalBasis: '없음' })).rejects.toMatchObject({ status: 400 });

    // another client cannot use this client's refresh token (another audience)
    const otherConfig = await oidc.discovery(new URL(`${url}/oidc`), other.clientId, other.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    await expect(oidc.refreshTokenGrant(otherConfig, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // nor does openid-client accept this client's ID token as the other's
    const idToken = tokens.id_token!;
    await expect(jwtVerify(idToken, createRemoteJWKSet(new URL(`${url}/oidc/jwks`)), { issuer: `${url}/oidc`, audience: other.clientId })).rejects.toThrow(/aud/);

    // disabled: the client no longer authenticates, and its tokens are gone
    await disableClient(t, clientId, 'test');
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_client' });
    const me = await fetch(`${url}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(401);
  });

  it('consent needs a recent proof of presence: an older session is sent to confirm with a passkey first', async () => {
    const redirectUri = `${rpUrl}/stepup`;
    const { clientId, clientSecret } = await createClient(t, { name: '복지', redirectUris: [redirectUri] });
    const config = await oidc.discovery(new URL(`${url}/oidc`), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    const b = browser();
    const verifier = oidc.randomPKCECodeVerifier();
    const authUrl = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid profile', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const interaction = (await b.go(authUrl.href)).headers.get('location')!;
    await b.form(`/sign-in?next=${encodeURIComponent(interaction)}`, '/dev/sign-in/resident', { citizen: citizenId, next: interaction });
    // the sign-in was ten minutes ago
    await t.db.execute(sql`update identity.session set authenticated_at = now() - interval '10 minutes' where ended_at is null`);
    let location = interaction;
    let res: Response | undefined;
    for (let i = 0; i < 6 && !location.startsWith('/sign-in/again'); i++) {
      res = await b.go(location);
      location = res.headers.get('location') ?? '';
    }
    expect(location).toMatch(/^\/sign-in\/again\?next=%2Foidc%2Finteraction%2F/);
    const page = await b.go(location);
    const body = await page.text();
    expect(page.status).toBe(200);
    // a demo resident has no passkey: the page says to register one first
    expect(body).toContain('href="/account#passkeys"');
  });
});

describe('the GovStack Identity building block paths (/govstack/identity)', () => {
  const GS = '/govstack/identity';
  /** The discovered metadata as plain data, to point a configuration at other endpoints. */
  const metadataOf = (cfg: oidc.Configuration): oidc.ServerMetadata => {
    const { supportsPKCE: _method, ...plain } = cfg.serverMetadata();
    return plain;
  };
  const SPEC = 'identity/Identity-Provider.yaml';

  it('discovery and JWKS are the provider\'s own', async () => {
    const [a, b] = await Promise.all([fetch(`${url}${GS}/.well-known/openid-configuration`), fetch(`${url}/oidc/.well-known/openid-configuration`)]);
    expect(a.status).toBe(200);
    expect(await a.json()).toEqual(await b.json());
    const [j, k] = await Promise.all([fetch(`${url}${GS}/.well-known/jwks.json`), fetch(`${url}/oidc/jwks`)]);
    const jwks = await j.json();
    expect(jwks).toEqual(await k.json());
    expect(jwks.keys.every((key: Record<string, unknown>) => !('d' in key))).toBe(true);
  });

  it('a management client registers a private_key_jwt client, which signs people in through the building block paths (openid-client)', async () => {
    const manager = await createClient(t, { name: 'MOHW partner portal', redirectUris: [], management: true, agency: 'MOHW', publicAgency: true });
    const managerConfig = await oidc.discovery(new URL(`${url}/oidc`), manager.clientId, manager.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    const tokenAt = (cfg: oidc.Configuration) => new oidc.Configuration({ ...metadataOf(cfg), token_endpoint: `${url}${GS}/oauth/token` }, manager.clientId, manager.clientSecret);
    const mgmtConfig = tokenAt(managerConfig);
    oidc.allowInsecureRequests(mgmtConfig);
    const { access_token: mgmtToken } = await oidc.clientCredentialsGrant(mgmtConfig, { scope: 'add_oidc_client update_oidc_client' });
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const clientId = `e-health-${Date.now()}`;
    const redirectUri = `${rpUrl}/gs-callback`;
    const body = (over: Record<string, unknown> = {}) => ({
      requestTime: new Date().toISOString(),
      request: { clientId, clientName: 'e-Health 건강서비스', relyingPartyId: 'mohw', logoUri: 'https://health.example/logo.png', redirectUris: [redirectUri], authContextRefs: ['idbb:acr:generated-code'], publicKey: jwk, userClaims: ['name', 'birthdate'], grantTypes: ['authorization_code'], clientAuthMethods: ['private_key_jwt'], ...over },
    });
    const post = (payload: unknown, token = mgmtToken) =>
      fetch(`${url}${GS}/client-mgmt/oidc-client`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const made = await post(body());
    const madeBody = await made.json();
    expect(made.status, JSON.stringify(madeBody)).toBe(200);
    expect(madeBody).toMatchObject({ response: { clientId }, errors: [] });
    const validate = responseValidator(SPEC, '/client-mgmt/oidc-client', 'POST', '200');
    expect(validate(madeBody), JSON.stringify(validate.errors)).toBe(true);

    // the new client: private_key_jwt at the building block's token endpoint, userinfo as a signed JWT
    const discovered = await oidc.discovery(new URL(`${url}/oidc`), clientId, undefined, oidc.PrivateKeyJwt(privateKey), { execute: [oidc.allowInsecureRequests] });
    const meta = metadataOf(discovered);
    const config = new oidc.Configuration(
      { ...meta, authorization_endpoint: `${url}${GS}/authorize`, token_endpoint: `${url}${GS}/oauth/token`, userinfo_endpoint: `${url}${GS}/oidc/userinfo` },
      clientId,
      { userinfo_signed_response_alg: 'ES256' },
      oidc.PrivateKeyJwt(privateKey),
    );
    oidc.allowInsecureRequests(config);
    const { html, location, verifier, state } = await signInAndConsent(browser(), config, redirectUri, 'openid profile');
    expect(html).toContain('e-Health 건강서비스');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()!.aud).toBe(clientId);
    const userinfo = await fetch(`${url}${GS}/oidc/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.headers.get('content-type')).toMatch(/application\/jwt/);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(info).toMatchObject({ name: '최지우', birthdate: '1985-03-14' });

    // refused: the same id again, a private key, a claim Hanaro does not release (gender), no token, a token without the scope
    const dup = await post(body());
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ errors: [{ errorCode: 'duplicate_client_id' }] });
    const priv = await post(body({ clientId: `${clientId}-2`, publicKey: await exportJWK(privateKey) }));
    expect(priv.status).toBe(400);
    expect((await priv.json()).errors[0].errorCode).toBe('invalid_public_key');
    const email = await post(body({ clientId: `${clientId}-3`, userClaims: ['gender'] }));
    expect(email.status).toBe(400);
    expect(email.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await email.json()).errors[0].errorCode).toBe('invalid_claim');
    const badUri = await post(body({ clientId: `${clientId}-4`, redirectUris: ['not a uri'] }));
    expect((await badUri.json()).errors[0].errorCode).toBe('invalid_redirect_uri');
    expect((await post(body({ clientId: `${clientId}-5` }), 'made-up')).status).toBe(401);
    const { access_token: updateOnly } = await oidc.clientCredentialsGrant(mgmtConfig, { scope: 'update_oidc_client' });
    const noScope = await post(body({ clientId: `${clientId}-6` }), updateOnly);
    expect(noScope.status).toBe(403);

    // update: another agency's manager does not find it; its own sets it inactive, which stops it
    const other = await createClient(t, { name: 'NTS portal', redirectUris: [], management: true, agency: 'NTS' });
    const otherCfg = new oidc.Configuration(metadataOf(managerConfig), other.clientId, other.clientSecret);
    oidc.allowInsecureRequests(otherCfg);
    const { access_token: otherToken } = await oidc.clientCredentialsGrant(otherCfg, { scope: 'update_oidc_client' });
    const { clientId: _omit, relyingPartyId: _rp, publicKey: _pk, ...updatable } = body().request;
    const put = (token: string, status: string) =>
      fetch(`${url}${GS}/client-mgmt/oidc-client/${clientId}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ requestTime: new Date().toISOString(), request: { ...updatable, status } }) });
    expect((await put(otherToken, 'inactive')).status).toBe(404);
    const off = await put(updateOnly, 'inactive');
    const offBody = await off.json();
    expect(off.status, JSON.stringify(offBody)).toBe(200);
    const validatePut = responseValidator(SPEC, '/client-mgmt/oidc-client/{client_id}', 'PUT', '200');
    expect(validatePut(offBody), JSON.stringify(validatePut.errors)).toBe(true);
    await expect(oidc.refreshTokenGrant(config, 'x')).rejects.toMatchObject({ error: 'invalid_client' });
  });
});

describe('bad input never makes a 500', () => {
  it('answers malformed protocol requests with the standard OAuth errors or problem+json', async () => {
    const { clientId, clientSecret } = await createClient(t, { name: 'fuzz', redirectUris: [`${rpUrl}/fuzz`] });
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const cases: Array<[string, RequestInit, number[]]> = [
      ['/oidc/token', { method: 'POST', headers: { ...form, authorization: basic }, body: 'grant_type=password&username=a&password=b' }, [400]],
      ['/oidc/token', { method: 'POST', headers: { ...form, authorization: basic }, body: 'grant_type=refresh_token' }, [400]],
      ['/oidc/token', { method: 'POST', headers: { ...form, authorization: basic }, body: '%%%' }, [400]],
      ['/oidc/token', { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic }, body: '{"grant_type":' }, [400]],
      ['/oidc/token', { method: 'POST', headers: { ...form, authorization: 'Basic !!!' }, body: 'grant_type=authorization_code&code=x' }, [400, 401]],
      ['/oidc/token', { method: 'POST', headers: form, body: `grant_type=authorization_code&code=x&client_id=${clientId}` }, [400, 401]],
      ['/govstack/identity/oauth/token', { method: 'POST', headers: { ...form, authorization: basic }, body: `grant_type=refresh_token&refresh_token=${'x'.repeat(5000)}` }, [400]],
      [`/oidc/auth?client_id=${clientId}&response_type=token&scope=openid&redirect_uri=${encodeURIComponent(`${rpUrl}/fuzz`)}`, {}, [303, 400]],
      ['/oidc/auth?client_id=no-such-client&response_type=code&scope=openid', {}, [400]],
      ['/oidc/me', { headers: { authorization: 'Bearer not-a-token' } }, [401]],
      ['/oidc/token/introspection', { method: 'POST', headers: form, body: 'token=x' }, [400, 401, 404]],
      ['/govstack/identity/client-mgmt/oidc-client', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"request":' }, [400, 401]],
      ['/govstack/identity/client-mgmt/oidc-client/x', { method: 'PUT', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '[]' }, [400, 401]],
    ];
    for (const [path, init, expected] of cases) {
      const res = await fetch(`${url}${path}`, { redirect: 'manual', ...init });
      const body = await res.text();
      expect(expected, `${init.method ?? 'GET'} ${path.slice(0, 80)} → ${res.status} ${body.slice(0, 200)}`).toContain(res.status);
      if (res.status === 404) expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      if (path.includes('/token') && !path.includes('introspection') && res.status >= 400) expect(JSON.parse(body).error, body).toMatch(/^(invalid_request|invalid_client|invalid_grant|unsupported_grant_type|unauthorized_client)$/);
    }
  });

  it('an expired session is no session: the passkey API answers 401', async () => {
    const b = browser();
    await b.form('/sign-in', '/dev/sign-in/resident', { citizen: citizenId });
    expect((await b.go('/api/identity/passkeys/registration-options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    await t.db.execute(sql`update identity.session set expires_at = now() - interval '1 second' where ended_at is null`);
    const res = await b.go('/api/identity/passkeys/registration-options', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

describe('contact details (email and phone scopes)', () => {
  it('a citizen gives them on the account page (stored encrypted); a relying party gets them, marked unverified, after consent', async () => {
    const b = browser();
    await b.form('/sign-in', '/dev/sign-in/resident', { citizen: citizenId });
    const bad = await b.form('/account', '/account/contacts', { email: 'not-an-address', phone: '010-1234-5678' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('href="#contact-email"');
    const saved = await b.form('/account', '/account/contacts', { email: 'jiwoo@example.kr', phone: '010 1234 5678' });
    expect(saved.status).toBe(303);
    const [row] = await rows<{ email_enc: string; phone_enc: string }>(t.db, sql`select email_enc, phone_enc from identity.account where citizen_id = ${citizenId}::uuid`);
    expect(row!.email_enc).not.toContain('jiwoo');
    expect(row!.phone_enc).not.toContain('1234');
    expect(await (await b.go('/account')).text()).toContain('value="+821012345678"');

    const redirectUri = `${rpUrl}/contacts`;
    const { clientId, clientSecret } = await createClient(t, { name: '우체국', redirectUris: [redirectUri] });
    const config = await oidc.discovery(new URL(`${url}/oidc`), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    const { html, location, verifier, state } = await signInAndConsent(browser(), config, redirectUri, 'openid email phone');
    expect(html).toContain('<li>이메일 (확인되지 않음)</li>');
    expect(html).toContain('<li>휴대전화 번호 (확인되지 않음)</li>');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: verifier, expectedState: state });
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(info).toMatchObject({ email: 'jiwoo@example.kr', email_verified: false, phone_number: '+821012345678', phone_number_verified: false });
    const [read] = await t.accessLog.forCitizen(citizenId);
    expect([...read!.items].sort()).toEqual(['email', 'phone_number']);
  });
});
