import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { freePort, testPlatform, type TestPlatform } from '../../platform/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { seedResidents } from '../registries/test-support.ts';
import { identityModule } from './index.ts';
import { createClient } from './oidc.ts';

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

describe('single sign-on (OpenID Connect) with openid-client as the relying party', () => {
  it('code flow with PKCE: sign in, consent to exactly the listed claims, ID token, userinfo, refresh with rotation, back-channel logout', async () => {
    const redirectUri = `${rpUrl}/callback`;
    const { clientId, clientSecret } = await createClient(t, { name: '복지로', redirectUris: [redirectUri], backchannelLogoutUri: `${rpUrl}/logout` });
    const config = await oidc.discovery(new URL(`${url}/oidc`), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    expect(config.serverMetadata().code_challenge_methods_supported).toContain('S256');

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authUrl = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid profile address', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });

    const b = browser();
    let res = await b.go(authUrl.href);
    expect(res.status, `${authUrl.href} ${await res.clone().text()}`).toBe(303);
    const interaction = res.headers.get('location')!;
    expect(interaction).toMatch(/^\/oidc\/interaction\//);
    // not signed in: to our sign-in page, which comes back here
    res = await b.go(interaction);
    expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(interaction)}`);
    res = await b.form(`/sign-in?next=${encodeURIComponent(interaction)}`, '/dev/sign-in/resident', { citizen: citizenId, next: interaction });
    expect(res.headers.get('location')).toBe(interaction);
    // follow the provider's redirects to the consent page
    let location = interaction;
    let html = '';
    for (let i = 0; i < 6; i++) {
      res = await b.go(location);
      if (res.status === 200) {
        html = await res.text();
        break;
      }
      location = res.headers.get('location')!;
    }
    expect(html).toContain('복지로');
    expect(html).toContain('<li>이름</li>');
    expect(html).toContain('<li>생년월일</li>');
    expect(html).toContain('주소 (시도, 시군구, 도로명주소)');
    const consentAction = /action="(\/oidc\/interaction\/[^"]+\/confirm)"/.exec(html)![1]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    res = await b.go(consentAction, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: token }).toString() });
    location = res.headers.get('location')!;
    for (let i = 0; i < 6 && !location.startsWith(redirectUri); i++) location = (await b.go(location)).headers.get('location')!;
    expect(location.startsWith(redirectUri)).toBe(true);

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
    res = await b.go(end.href);
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
