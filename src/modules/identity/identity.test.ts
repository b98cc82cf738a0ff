import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { registriesModule } from '../registries/index.ts';
import { seedResidents } from '../registries/test-support.ts';
import { normalisePhone, parseContacts } from './contacts.ts';
import { issueEnrolmentCode, MAX_ADDRESS_FAILURES, MAX_CODE_FAILURES, normaliseCode } from './enrolment.ts';
import { identityModule } from './index.ts';
import { ABSOLUTE_MS, createSessionStore, IDLE_MS } from './sessions.ts';
import { browser } from './test-support.ts';

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
const residents: Array<{ id: string; rrn: string }> = [];

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, identityModule] }));
  residents.push(
    ...(await seedResidents(app, t, [
      { serial: 1, name: '최지우' },
      { serial: 2, name: '김민준', sex: 'M', birthDate: '1990-01-01' },
      { serial: 3, name: '이서연', birthDate: '1992-05-05' },
    ])),
  );
});
afterAll(() => close());

const { form, formWithToken, sessionCookie } = browser(() => app);

describe('enrolment with a one-time code', () => {
  it('a code and the right RRN create the account, sign in and spend the code', async () => {
    const [r] = residents;
    const { code } = await issueEnrolmentCode(t, r!.id, 'official:test');
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    // the code is stored only hashed, and never in the audit log
    const stored = await rows<{ code_hash: string }>(t.db, sql`select code_hash from identity.enrolment_code where citizen_id = ${r!.id}::uuid`);
    expect(stored[0]!.code_hash).not.toContain(normaliseCode(code));
    expect(JSON.stringify(await t.audit.tail(5))).not.toContain(code);

    const res = await formWithToken('/enrol', '/enrol', { code: code.toLowerCase().replace(/-/g, ' '), rrn: r!.rrn.replace('-', '') });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account?done=enrolled#passkeys');
    const raw = [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('__Host-hanaro-session='))!;
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/Secure/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    expect(raw).toMatch(/Path=\//);
    const account = await app.inject({ method: 'GET', url: '/account', headers: { cookie: sessionCookie(res)! } });
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('최지우');
    // used once
    const again = await formWithToken('/enrol', '/enrol', { code, rrn: r!.rrn }, '', '10.0.0.2');
    expect(again.statusCode).toBe(400);
  });

  it('a wrong RRN and an unknown code get the same answer; five wrong RRNs revoke the code', async () => {
    const [, r] = residents;
    const { code } = await issueEnrolmentCode(t, r!.id, 'official:test');
    const unknown = await formWithToken('/enrol', '/enrol', { code: 'AAAA-BBBB-CCCC', rrn: r!.rrn }, '', '10.0.1.1');
    const wrong = await formWithToken('/enrol', '/enrol', { code, rrn: residents[0]!.rrn }, '', '10.0.1.2');
    expect(unknown.statusCode).toBe(400);
    expect(wrong.statusCode).toBe(400);
    const message = (b: string) => /role="alert"[\s\S]*?<a href="#enrol-code">([^<]+)</.exec(b)?.[1];
    expect(message(unknown.body)).toBeTruthy();
    expect(message(wrong.body)).toBe(message(unknown.body));
    for (let i = 1; i < MAX_CODE_FAILURES; i++) await formWithToken('/enrol', '/enrol', { code, rrn: residents[2]!.rrn }, '', `10.0.2.${i}`);
    // locked now, even with the right RRN
    expect((await formWithToken('/enrol', '/enrol', { code, rrn: r!.rrn }, '', '10.0.3.1')).statusCode).toBe(400);
    const [audit] = await t.audit.tail(1);
    expect(audit).toMatchObject({ action: 'identity.enrolment-code.locked', subject: `citizen:${r!.id}` });
  });

  it('limits failed attempts per address (429) across codes', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < MAX_ADDRESS_FAILURES; i++) expect((await formWithToken('/enrol', '/enrol', { code: `AAAA-BBBB-CC${i}0`, rrn: '850314-2000011' }, '', ip)).statusCode).toBe(400);
    const limited = await formWithToken('/enrol', '/enrol', { code: 'AAAA-BBBB-CCCC', rrn: '850314-2000011' }, '', ip);
    expect(limited.statusCode).toBe(429);
    // another address is not affected
    expect((await formWithToken('/enrol', '/enrol', { code: 'AAAA-BBBB-CCCC', rrn: '850314-2000011' }, '', '10.9.9.10')).statusCode).toBe(400);
  });

  it('an expired code does not work; a new code revokes the earlier one', async () => {
    const [, , r] = residents;
    const first = await issueEnrolmentCode(t, r!.id, 'official:test');
    const second = await issueEnrolmentCode(t, r!.id, 'official:test');
    expect((await formWithToken('/enrol', '/enrol', { code: first.code, rrn: r!.rrn }, '', '10.0.4.1')).statusCode).toBe(400);
    await t.db.execute(sql`update identity.enrolment_code set expires_at = now() - interval '1 second' where citizen_id = ${r!.id}::uuid and used_at is null and revoked_at is null`);
    expect((await formWithToken('/enrol', '/enrol', { code: second.code, rrn: r!.rrn }, '', '10.0.4.2')).statusCode).toBe(400);
  });

  it('refuses an empty form with both fields named, and a JSON body (415)', async () => {
    const empty = await formWithToken('/enrol', '/enrol', { code: '', rrn: '' }, '', '10.0.5.1');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#enrol-code"');
    expect(empty.body).toContain('href="#enrol-rrn"');
    const json = await app.inject({ method: 'POST', url: '/enrol', payload: { code: 'x', rrn: 'y' } });
    expect(json.statusCode).toBe(415);
  });

  it('the CLI-facing issuer refuses an unknown resident', async () => {
    await expect(issueEnrolmentCode(t, '00000000-0000-4000-8000-000000000001', 'official:test')).rejects.toMatchObject({ status: 404 });
  });
});

describe('sessions', () => {
  it('end after 30 minutes idle, after 12 hours in all, at sign-out and everywhere', async () => {
    let now = Date.now();
    const store = createSessionStore(t, () => now);
    const [account] = await rows<{ id: string }>(t.db, sql`select id::text as id from identity.account limit 1`);
    const a = await store.start(account!.id, 'passkey');
    expect((await store.find(a))?.actor).toEqual({ kind: 'citizen', id: residents[0]!.id });
    now += IDLE_MS - 1000;
    expect(await store.find(a)).toBeDefined();
    // that look-up counted as activity: another almost-idle stretch is fine
    now += IDLE_MS - 1000;
    expect(await store.find(a)).toBeDefined();
    now += IDLE_MS + 1;
    expect(await store.find(a)).toBeUndefined();

    now = Date.now();
    const b = await store.start(account!.id, 'passkey');
    for (let i = 0; i < 30; i++) {
      now += IDLE_MS / 2;
      if (now - Date.now() > ABSOLUTE_MS) break;
      expect(await store.find(b)).toBeDefined();
    }
    now = Date.now() + ABSOLUTE_MS + 1;
    expect(await store.find(b)).toBeUndefined();

    now = Date.now();
    const c = await store.start(account!.id, 'passkey');
    const d = await store.start(account!.id, 'passkey');
    await store.end(c);
    expect(await store.find(c)).toBeUndefined();
    expect(await store.find(d)).toBeDefined();
    expect(await store.endAll(account!.id)).toBeGreaterThanOrEqual(1);
    expect(await store.find(d)).toBeUndefined();
    // the token is not in the database, only its hash
    const stored = await rows<{ id_hash: string }>(t.db, sql`select id_hash from identity.session`);
    expect(stored.some((s) => s.id_hash === d)).toBe(false);
  });

  it('sign-out and sign-out everywhere end the session; the account page then sends to sign-in', async () => {
    const [r] = residents;
    const { code } = await issueEnrolmentCode(t, r!.id, 'official:test');
    const enrolled = await formWithToken('/enrol', '/enrol', { code, rrn: r!.rrn }, '', '10.0.6.1');
    const cookie = sessionCookie(enrolled)!;
    expect((await app.inject({ method: 'GET', url: '/account', headers: { cookie } })).statusCode).toBe(200);
    const out = await formWithToken('/account', '/sign-out/everywhere', {}, cookie);
    expect(out.statusCode).toBe(303);
    const after = await app.inject({ method: 'GET', url: '/account', headers: { cookie } });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/sign-in?next=%2Faccount');
  });
});

describe('who may call what', () => {
  it('without a session: the passkey API answers 401 problem+json, the account page redirects, forms refuse', async () => {
    const opts = await app.inject({ method: 'POST', url: '/api/identity/passkeys/registration-options', payload: {} });
    expect(opts.statusCode).toBe(401);
    expect(opts.headers['content-type']).toMatch(/application\/problem\+json/);
    const reg = await app.inject({ method: 'POST', url: '/api/identity/passkeys', payload: { challengeId: 'x', response: {} } });
    expect(reg.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/account' })).statusCode).toBe(303);
    const rename = await formWithToken('/sign-in', '/account/passkeys/abc/name', { name: 'x' });
    expect(rename.statusCode).toBe(401);
  });

  it('a single sign-on interaction that does not exist is a 400 problem, and its forms need the CSRF token', async () => {
    const page = await app.inject({ method: 'GET', url: '/oidc/interaction/no-such-uid', headers: { accept: 'application/json' } });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toMatch(/application\/problem\+json/);
    for (const action of ['confirm', 'abort']) {
      const post = await form(`/oidc/interaction/no-such-uid/${action}`, { _csrf: 'forged' });
      expect(post.statusCode).toBe(403);
      expect(post.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('sign-in with an unknown challenge or a made-up credential is one 400, never a 500', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/identity/sign-in', payload: { challengeId: 'nope', response: { id: 'x' } } });
    expect(bad.statusCode).toBe(400);
    const { challengeId } = (await app.inject({ method: 'POST', url: '/api/identity/sign-in/options', payload: {} })).json();
    const forged = await app.inject({ method: 'POST', url: '/api/identity/sign-in', payload: { challengeId, response: { id: 'made-up', rawId: 'made-up', type: 'public-key', response: {} } } });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('passkey_refused');
    // the challenge was used up by the failed try
    const again = await app.inject({ method: 'POST', url: '/api/identity/sign-in', payload: { challengeId, response: { id: 'made-up' } } });
    expect(again.json().code).toBe('challenge_invalid');
    const malformed = await app.inject({ method: 'POST', url: '/api/identity/sign-in', payload: { challengeId: 5 } });
    expect(malformed.statusCode).toBe(400);
  });

  it('registration options exclude nothing for a new account and ask for a discoverable, user-verified passkey', async () => {
    const [r] = residents;
    const { code } = await issueEnrolmentCode(t, r!.id, 'official:test');
    const cookie = sessionCookie(await formWithToken('/enrol', '/enrol', { code, rrn: r!.rrn }, '', '10.0.7.1'))!;
    const res = await app.inject({ method: 'POST', url: '/api/identity/passkeys/registration-options', headers: { cookie }, payload: {} });
    expect(res.statusCode).toBe(200);
    const { options } = res.json();
    expect(options.rp.id).toBe(new URL(t.config.publicUrl).hostname);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.attestation).toBe('none');
  });
});

describe('contact details', () => {
  it('reads Korean mobile numbers in their usual spellings and refuses the rest', () => {
    for (const ok of ['010-1234-5678', '01012345678', '+82 10 1234 5678', '(010) 1234-5678', '011-123-4567']) expect(normalisePhone(ok), ok).toMatch(/^\+821[016789]\d{7,8}$/);
    expect(normalisePhone('010-1234-5678')).toBe('+821012345678');
    for (const bad of ['02-123-4567', '1234', '010-1234-56789', 'abc', '+1 415 555 0100']) expect(normalisePhone(bad), bad).toBeUndefined();
    expect(() => parseContacts({ email: 'a@b' })).toThrow();
    expect(parseContacts({ email: ' hong@example.kr ', phone: '' })).toEqual({ email: 'hong@example.kr', phone: null });
  });
});

describe('demo sign-in as a synthetic resident', () => {
  it('signs in as the resident named (demo mode only) and 404s for an unknown one', async () => {
    const res = await formWithToken('/sign-in', '/dev/sign-in/resident', { citizen: residents[1]!.id });
    expect(res.statusCode).toBe(303);
    const page = await app.inject({ method: 'GET', url: '/account', headers: { cookie: sessionCookie(res)! } });
    expect(page.body).toContain('김민준');
    expect((await formWithToken('/sign-in', '/dev/sign-in/resident', { citizen: '00000000-0000-4000-8000-000000000009' })).statusCode).toBe(404);
  });
});
