import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { seedResidents } from '../registries/test-support.ts';
import { createClient, findClient } from './clients.ts';
import { identityModule } from './index.ts';
import { createOfficial } from './officials.ts';
import { MAX_SIGN_IN_ACCOUNT_FAILURES } from './passkeys.ts';
import { browser, signedInOfficial } from './test-support.ts';

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let citizenCookie: string;
const { form, formWithToken, sessionCookie } = browser(() => app);
const html = { accept: 'text/html' };

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, identityModule] }));
  const [r] = await seedResidents(app, t, [{ serial: 1, name: '최지우' }]);
  citizenCookie = sessionCookie(await formWithToken('/sign-in', '/dev/sign-in/resident', { citizen: r!.id }))!;
});
afterAll(() => close());

describe('officials enrol with an invitation code', () => {
  it('the code alone signs them in once; the account page and /console know them as an official of their agency', async () => {
    const made = await createOfficial(t, { name: '박담당', agency: 'MOHW', roles: ['case-worker'] }, 'operator:test');
    expect(made.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const res = await formWithToken('/enrol/official', '/enrol/official', { code: made.code }, '', '10.2.0.1');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account?done=enrolled#passkeys');
    const cookie = sessionCookie(res)!;
    const account = await app.inject({ url: '/account', headers: { cookie, ...html } });
    expect(account.body).toContain('박담당');
    expect(account.body).toContain('href="/console"');
    const home = await app.inject({ url: '/console', headers: { cookie, ...html } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('MOHW');
    expect(home.body).toContain('href="/console/exchange"');
    // a case worker gets no administration sections
    expect(home.body).not.toContain('/console/identity/MOHW/clients');
    // used once; a resident's code form does not take it either
    expect((await formWithToken('/enrol/official', '/enrol/official', { code: made.code }, '', '10.2.0.2')).statusCode).toBe(400);
    const audit = await t.audit.tail(3);
    expect(JSON.stringify(audit)).not.toContain(made.code);
    expect(audit.some((a) => a.action === 'identity.enrolled' && a.subject === `account:${made.accountId}`)).toBe(true);
  });

  it('a resident code does not work as an invitation, a wrong code is a 400, and an empty form names the field', async () => {
    expect((await formWithToken('/enrol/official', '/enrol/official', { code: 'AAAA-BBBB-CCCC' }, '', '10.2.1.1')).statusCode).toBe(400);
    const empty = await formWithToken('/enrol/official', '/enrol/official', { code: '' }, '', '10.2.1.2');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#enrol-code"');
  });

  it('refuses bad roles and agency codes', async () => {
    await expect(createOfficial(t, { name: 'x', agency: 'MOHW', roles: ['emperor'] }, 'test')).rejects.toMatchObject({ status: 400 });
    await expect(createOfficial(t, { name: 'x', agency: 'no such agency!', roles: ['auditor'] }, 'test')).rejects.toMatchObject({ status: 400 });
    await expect(createOfficial(t, { name: '', agency: 'MOHW', roles: ['auditor'] }, 'test')).rejects.toMatchObject({ status: 400 });
  });
});

describe('the console refuses the wrong actor', () => {
  it('nobody signed in: pages send to sign-in, forms are 401; a citizen: 403 problem+json', async () => {
    const anon = await app.inject({ url: '/console/identity/MOHW/clients', headers: html });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/sign-in?next=%2Fconsole%2Fidentity%2FMOHW%2Fclients');
    expect((await formWithToken('/sign-in', '/console/identity/MOHW/clients', { name: 'x', redirectUris: 'https://x.example/cb' })).statusCode).toBe(401);
    for (const url of ['/console', '/console/identity/MOHW/clients', '/console/identity/MOHW/officials']) {
      const res = await app.inject({ url, headers: { cookie: citizenCookie, accept: 'application/json' } });
      expect(res.statusCode, url).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const post = await formWithToken('/account', '/console/identity/MOHW/clients', { name: 'x', redirectUris: 'https://x.example/cb' }, citizenCookie);
    expect(post.statusCode).toBe(403);
  });

  it('a case worker is not an administrator (403); an official of agency A cannot act on agency B', async () => {
    const worker = await signedInOfficial(app, t, { name: '김사례', agency: 'MOHW', roles: ['case-worker'] }, '10.3.0.1');
    expect((await app.inject({ url: '/console/identity/MOHW/clients', headers: { cookie: worker.cookie } })).statusCode).toBe(403);
    // contact details for single sign-on are a citizen's, not an official's
    expect((await formWithToken('/account', '/account/contacts', { email: 'a@example.kr' }, worker.cookie)).statusCode).toBe(403);
    const a = await signedInOfficial(app, t, { name: '이관리', agency: 'MOHW', roles: ['agency-admin'] }, '10.3.0.2');
    const b = await createClient(t, { name: '홈택스', redirectUris: ['https://hometax.example/cb'], agency: 'NTS' });
    // B's pages and forms: 403
    expect((await app.inject({ url: '/console/identity/NTS/clients', headers: { cookie: a.cookie } })).statusCode).toBe(403);
    const viaB = await formWithToken('/console/identity/MOHW/clients', `/console/identity/NTS/clients/${b.clientId}/disable`, {}, a.cookie);
    expect(viaB.statusCode).toBe(403);
    // B's client through A's own path: not found, and untouched
    const viaA = await formWithToken('/console/identity/MOHW/clients', `/console/identity/MOHW/clients/${b.clientId}/disable`, {}, a.cookie);
    expect(viaA.statusCode).toBe(404);
    const rotate = await formWithToken('/console/identity/MOHW/clients', `/console/identity/MOHW/clients/${b.clientId}/secret`, {}, a.cookie);
    expect(rotate.statusCode).toBe(404);
    expect((await findClient(t.db, b.clientId))?.disabledAt).toBeNull();
    // and A's list does not show it
    const list = await app.inject({ url: '/console/identity/MOHW/clients', headers: { cookie: a.cookie } });
    expect(list.body).not.toContain(b.clientId);
  });

  it('an agency administrator cannot make platform administrators or give an RRN legal basis', async () => {
    const a = await signedInOfficial(app, t, { name: '정관리', agency: 'MOIS', roles: ['agency-admin'] }, '10.3.1.1');
    const res = await formWithToken('/console/identity/MOIS/officials', '/console/identity/MOIS/officials', { name: '새사람', roles: ['platform-admin'] }, a.cookie);
    expect(res.statusCode).toBe(403);
    const rrn = await formWithToken('/console/identity/MOIS/clients', '/console/identity/MOIS/clients', { name: '민원', redirectUris: 'https://m.example/cb', publicAgency: 'on', rrnLegalBasis: '주민등록법 제30조' }, a.cookie);
    expect(rrn.statusCode).toBe(403);
  });
});

describe('agency administrators manage their clients and officials', () => {
  it('register a client (secret shown once), issue a new secret, disable it', async () => {
    const a = await signedInOfficial(app, t, { name: '최관리', agency: 'MOLIT', roles: ['agency-admin'] }, '10.4.0.1');
    const bad = await formWithToken('/console/identity/MOLIT/clients', '/console/identity/MOLIT/clients', { name: '부동산', redirectUris: 'not a url' }, a.cookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#field-redirectUris"');
    expect(bad.body).toContain('value="부동산"');
    const made = await formWithToken('/console/identity/MOLIT/clients', '/console/identity/MOLIT/clients', { name: '부동산', redirectUris: 'https://land.example/cb\nhttps://land.example/cb2', publicAgency: 'on' }, a.cookie);
    expect(made.statusCode).toBe(201);
    const clientId = /client_id=(hanaro-[A-Za-z0-9_-]+)/.exec(made.body)![1]!;
    const secret = /class="hn-secret">([^<]+)</.exec(made.body)![1]!;
    const c = (await findClient(t.db, clientId))!;
    expect(c).toMatchObject({ name: '부동산', agency: 'MOLIT', publicAgency: true, rrnLegalBasis: null, redirectUris: ['https://land.example/cb', 'https://land.example/cb2'] });
    const list = await app.inject({ url: '/console/identity/MOLIT/clients', headers: { cookie: a.cookie } });
    expect(list.body).toContain(clientId);
    expect(list.body).not.toContain(secret);
    const rotated = await formWithToken('/console/identity/MOLIT/clients', `/console/identity/MOLIT/clients/${clientId}/secret`, {}, a.cookie);
    expect(rotated.statusCode).toBe(200);
    const secret2 = /class="hn-secret">([^<]+)</.exec(rotated.body)![1]!;
    expect(secret2).not.toBe(secret);
    const off = await formWithToken('/console/identity/MOLIT/clients', `/console/identity/MOLIT/clients/${clientId}/disable`, {}, a.cookie);
    expect(off.statusCode).toBe(303);
    expect((await findClient(t.db, clientId))?.disabledAt).toBeTruthy();
    const actions = (await t.audit.tail(5)).map((x) => x.action);
    expect(actions).toEqual(expect.arrayContaining(['identity.oidc-client.created', 'identity.oidc-client.secret-rotated', 'identity.oidc-client.disabled']));
  });

  it('create an official with an invitation code; disabling one ends their sessions', async () => {
    const a = await signedInOfficial(app, t, { name: '한관리', agency: 'KNPA', roles: ['agency-admin'] }, '10.5.0.1');
    const made = await formWithToken('/console/identity/KNPA/officials', '/console/identity/KNPA/officials', { name: '오순경', roles: ['case-worker', 'auditor'] }, a.cookie);
    expect(made.statusCode).toBe(201);
    const code = /class="hn-secret">([^<]+)</.exec(made.body)![1]!;
    const enrolled = await formWithToken('/enrol/official', '/enrol/official', { code }, '', '10.5.0.2');
    expect(enrolled.statusCode).toBe(303);
    const cookie = sessionCookie(enrolled)!;
    expect((await app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(200);
    const [o] = await rows<{ id: string; roles: string[] | string }>(t.db, sql`select id::text as id, roles from identity.account where display_name = '오순경'`);
    const off = await formWithToken('/console/identity/KNPA/officials', `/console/identity/KNPA/officials/${o!.id}/disable`, {}, a.cookie);
    expect(off.statusCode).toBe(303);
    // signed out at once
    expect((await app.inject({ url: '/console', headers: { cookie } })).statusCode).toBe(303);
    // and no administrator disables themself
    const self = await formWithToken('/console/identity/KNPA/officials', `/console/identity/KNPA/officials/${a.accountId}/disable`, {}, a.cookie);
    expect(self.statusCode).toBe(409);
    // nor acts on another agency's official through their own path
    const other = await signedInOfficial(app, t, { name: '남의직원', agency: 'NHIS', roles: ['case-worker'] }, '10.5.0.3');
    const cross = await formWithToken('/console/identity/KNPA/officials', `/console/identity/KNPA/officials/${other.accountId}/code`, {}, a.cookie);
    expect(cross.statusCode).toBe(404);
  });
});

describe('sign-in lockout', () => {
  it('locks an account after repeated failed passkey assertions, with an audit entry', async () => {
    const made = await createOfficial(t, { name: '잠금대상', agency: 'MPVA', roles: ['auditor'] }, 'operator:test');
    // a passkey whose public key will never verify: every assertion for it fails
    await t.db.execute(sql`insert into identity.passkey (id, account_id, public_key, name) values ('lock-test-credential', ${made.accountId}::uuid, '\\x00'::bytea, 'x')`);
    const attempt = async (ip: string) => {
      const { challengeId } = (await app.inject({ method: 'POST', url: '/api/identity/sign-in/options', payload: {} })).json();
      return app.inject({ method: 'POST', url: '/api/identity/sign-in', remoteAddress: ip, payload: { challengeId, response: { id: 'lock-test-credential', rawId: 'lock-test-credential', type: 'public-key', response: {} } } });
    };
    // from many addresses, so that the per-address limit does not kick in first
    for (let i = 0; i < MAX_SIGN_IN_ACCOUNT_FAILURES; i++) expect((await attempt(`10.6.0.${i}`)).statusCode).toBe(400);
    const locked = await attempt('10.6.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['content-type']).toMatch(/application\/problem\+json/);
    const [audit] = await t.audit.tail(1);
    expect(audit).toMatchObject({ action: 'identity.sign-in.account-locked', subject: `account:${made.accountId}` });
  });
});
