import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { registriesModule } from '../registries/index.ts';
import { seedResidents } from '../registries/test-support.ts';
import { ISSUING_SYSTEM, RESIDENT_ID } from './documents.ts';
import { credentialsModule } from './index.ts';
import { hasher } from './issuer.ts';
import { credentialsOf, setStatus } from './status.ts';
import { issueCredential } from './test-support.ts';

// 모바일 신분증으로 시작하기: a resident signs up by presenting the mobile resident ID Hanaro issued
// them; the browser that started the request gets the session, once.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let citizenId: string;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, credentialsModule] }));
  await seedForTests(t);
  await createClientKey(t, ISSUING_SYSTEM, { keepPrivate: true });
  citizenId = (await seedResidents(app, t, [{ serial: 1, name: '윤가람', birthDate: '1988-08-08' }]))[0]!.id;
}, 60_000);
afterAll(async () => close?.());

const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
  [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith(`${name}=`))?.split(';')[0];

/** Starts the sign-up in a browser: its cookie and the request's parameters. */
async function start() {
  const res = await app.inject({ url: '/enrol/mobile-id' });
  expect(res.statusCode).toBe(200);
  const cookie = cookieOf(res, 'hanaro-mobile-id')!;
  const walletUrl = /href="([^"]*\/wallet\?client_id=[^"]+)"/.exec(res.body)![1]!.replace(/&amp;/g, '&');
  const params = new URL(walletUrl).searchParams;
  const jwt = (await app.inject({ url: new URL(params.get('request_uri')!).pathname })).body;
  const request = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, any>;
  return { cookie, request, body: res.body };
}

/** The wallet's answer: the name from the resident ID, bound to the request. */
async function answer(request: Record<string, any>, issued: Awaited<ReturnType<typeof issueCredential>>) {
  const sdjwt = new SDJwtVcInstance({
    hasher,
    kbSignAlg: 'ES256',
    kbSigner: async (data: string) => Buffer.from(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, issued.holder.privateKey, new TextEncoder().encode(data))).toString('base64url'),
  });
  const vp = await sdjwt.present(issued.body.credentials[0].credential, { name: true } as never, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: request.client_id, nonce: request.nonce } } });
  return app.inject({ method: 'POST', url: '/verifier/response', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ state: request.state, vp_token: JSON.stringify({ pid: [vp] }) }).toString() });
}

describe('sign-up with the mobile ID', () => {
  it('asks for the name only, then signs this browser in as the resident the ID was issued to, once', async () => {
    const issued = await issueCredential(app, t, citizenId, RESIDENT_ID.id);
    const { cookie, request, body } = await start();
    expect(body).toContain('<h1 class="hn-title">모바일 신분증으로 시작하기</h1>');
    expect(request.dcql_query.credentials[0].claims).toEqual([{ path: ['name'] }]);
    expect(request.client_metadata.client_name).toBe('하나로 (행정안전부)');
    // the page reloaded while waiting shows the same request
    const again = await app.inject({ url: '/enrol/mobile-id', headers: { cookie } });
    const uriOf = (html: string) => new URL(/href="([^"]*\/wallet\?[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&')).searchParams.get('request_uri');
    expect(uriOf(again.body)).toBe(uriOf(body));
    expect(cookieOf(again, 'hanaro-mobile-id')).toBeUndefined();
    expect((await app.inject({ url: '/enrol/mobile-id/status', headers: { cookie } })).json()).toEqual({ status: 'pending' });
    expect((await app.inject({ url: '/enrol/mobile-id/done', headers: { cookie } })).statusCode).toBe(303);

    const sent = await answer(request, issued);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().redirect_uri).toMatch(/\/enrol\/mobile-id\/done#response_code=/);
    expect((await app.inject({ url: '/enrol/mobile-id/status', headers: { cookie } })).json()).toEqual({ status: 'verified' });
    // another browser, without the cookie, gets nothing
    expect((await app.inject({ url: '/enrol/mobile-id/done' })).headers.location).toBe('/enrol/mobile-id');
    const done = await app.inject({ url: '/enrol/mobile-id/done', headers: { cookie } });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/account?done=enrolled#passkeys');
    const session = cookieOf(done, '__Host-hanaro-session') ?? cookieOf(done, 'hanaro-session');
    expect(session).toBeDefined();
    const mine = await app.inject({ url: '/api/credentials/mine', headers: { cookie: session! } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().credentials.length).toBeGreaterThanOrEqual(1);
    // the same answer cannot sign in a second time
    expect((await app.inject({ url: '/enrol/mobile-id/done', headers: { cookie } })).statusCode).toBe(400);
  });

  it('refuses a revoked mobile ID and a tampered cookie', async () => {
    const issued = await issueCredential(app, t, citizenId, RESIDENT_ID.id);
    const latest = (await credentialsOf(t, citizenId)).sort((a, b) => b.issuedAt.localeCompare(a.issuedAt))[0]!;
    await setStatus(t, [latest.id], 'invalid', 'test', 'operator:test');
    const { cookie, request } = await start();
    expect((await answer(request, issued)).statusCode).toBe(400);
    const done = await app.inject({ url: '/enrol/mobile-id/done', headers: { cookie } });
    expect(done.statusCode).toBe(400);
    expect(done.body).toContain('폐기된 증명서입니다');
    expect(cookieOf(done, '__Host-hanaro-session') ?? cookieOf(done, 'hanaro-session')).toBeUndefined();
    const forged = `hanaro-mobile-id=${encodeURIComponent('00000000-0000-4000-8000-000000000000')}`;
    expect((await app.inject({ url: '/enrol/mobile-id/done', headers: { cookie: forged } })).headers.location).toBe('/enrol/mobile-id');
  });
});
