import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlatform } from '../../platform/testing.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { agencyQueue, decideDeferred } from '../credentials/deferred.ts';
import { createOffer, createRelyingParty, RESIDENT_ID } from '../credentials/index.ts';
import { modules } from '../index.ts';
import { listeningIssuer } from '../credentials/test-support.ts';
import { collect, frameOf, matchRequest, newHolderKey, receive, resolveRequest, respond, WalletError, type HeldCredential, type HolderKey } from './holder.ts';

// The holder code the web wallet runs (fetch and WebCrypto only), here in Node against a real
// server: receive an offer, answer a verifier's request, and what it refuses. Then the CLI holder.

let app: FastifyInstance;
let t: TestPlatform;
let base: string;
let citizenId: string;
let apiKey: string;

beforeAll(async () => {
  ({ app, t, base } = await listeningIssuer(modules));
  citizenId = (await seedResidents(app, t, [{ serial: 1, name: '박하나', birthDate: '1980-02-02' }]))[0]!.id;
  apiKey = (await createRelyingParty(t, { id: 'rp-shop', name: { ko: '하나로마트', en: 'Hanaro Mart' }, kind: 'private', purpose: { ko: '주류 판매 나이 확인', en: 'Age check for alcohol' }, apiKey: true }, 'operator:test')).apiKey!;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

/** The one document a receive gave (not a pending one). */
function received(got: Awaited<ReturnType<typeof receive>>): { credential: HeldCredential; key: HolderKey } {
  const [g] = got;
  if (!g || !('credential' in g)) throw new Error('expected a document, not a pending request');
  return g;
}

const newRequest = async (check: string) => {
  const res = await fetch(`${base}/api/verifier/requests`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ check }) });
  return (await res.json()) as { id: string; authorization_request: string; wallet_url: string };
};
const resultOf = async (id: string) => (await (await fetch(`${base}/api/verifier/requests/${id}`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as Record<string, any>;

describe('the holder code', () => {
  it('receives with the transaction code into a non-extractable key, and answers age-over-19 with that claim alone', async () => {
    const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id] }, 'official:test');
    await expect(receive(offer.uri, { newKey: () => newHolderKey() })).rejects.toMatchObject({ code: 'tx_code_required' });
    const got = received(await receive(offer.uri, { txCode: offer.txCode, newKey: () => newHolderKey() }));
    expect(got.key.privateKey.extractable).toBe(false);
    expect(got.credential).toMatchObject({ configurationId: RESIDENT_ID.id, issuer: base, name: { ko: '모바일 주민등록증' } });
    expect(got.credential.claims).toMatchObject({ name: '박하나', birthdate: '1980-02-02', age_equal_or_over: { '19': true } });
    expect(got.credential.claimLabels.find((l) => l.path.join('.') === 'age_equal_or_over.19')?.label.ko).toBe('만 19세 이상');
    // the issuer heard that it was accepted
    const { rows } = await import('../../platform/db.ts');
    const { sql } = await import('drizzle-orm');
    expect((await rows<{ n: number }>(t.db, sql`select count(*)::int as n from credentials.credential where notified_event = 'credential_accepted'`))[0]!.n).toBeGreaterThanOrEqual(1);

    const req = await newRequest('age-over-19');
    const resolved = await resolveRequest(req.wallet_url, { register: `${base}/credentials/verifiers` });
    expect(resolved.registered).toMatchObject({ name: { ko: '하나로마트' }, kind: 'private' });
    expect(resolved.purpose?.ko).toBe('주류 판매 나이 확인');
    const [m] = matchRequest(resolved, [got.credential]);
    const claims = m!.claims(got.credential);
    expect(claims.map((c) => c.label.ko)).toEqual(['만 19세 이상']);
    await respond(resolved, [{ queryId: m!.queryId, credential: got.credential, key: got.key.privateKey, paths: claims.map((c) => c.path) }]);
    const result = await resultOf(req.id);
    expect(result.status).toBe('verified');
    expect(result.result.credentials.doc[0].claims).toEqual({ age_equal_or_over: { '19': true } });
  });

  it('refuses a request whose client_id is not the hash of its signing certificate, and one it cannot meet', async () => {
    const req = await newRequest('driving-licence');
    const forged = req.authorization_request.replace(/client_id=x509_hash%3A[^&]+/, `client_id=x509_hash%3A${'A'.repeat(43)}`);
    await expect(resolveRequest(forged)).rejects.toMatchObject({ code: 'invalid_client' });
    const resolved = await resolveRequest(req.authorization_request);
    const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id] }, 'official:test');
    const got = received(await receive(offer.uri, { txCode: offer.txCode, newKey: () => newHolderKey() }));
    expect(() => matchRequest(resolved, [got.credential])).toThrow(WalletError);
    await expect(resolveRequest('https://nowhere.example/?x=1')).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('waits for a document an official must approve, and collects it once approved', async () => {
    await seedRecords(app, t, 'disability', 'KR/GOV/MOHW/welfare-registry', [{ subjectId: citizenId, disabilityType: 'visual', severity: 'severe', registeredDate: '2015-05-05', nextReviewDue: '2030-05-05' }]);
    const offer = await createOffer(t, { citizenId, configurationIds: ['kr.mohw.disability.sd-jwt'] }, 'official:test');
    const [first] = await receive(offer.uri, { txCode: offer.txCode, newKey: () => newHolderKey() });
    if (!first || !('pending' in first)) throw new Error('expected a pending request');
    expect(first.pending).toMatchObject({ configurationId: 'kr.mohw.disability.sd-jwt', name: { ko: '장애인 증명서' } });
    expect(first.pending.refreshToken).toBeDefined();
    const again = await collect(first.pending);
    expect('pending' in again).toBe(true);
    const [queued] = (await agencyQueue(t, 'MOHW')).pending;
    expect(await decideDeferred(t, { id: queued!.id, agency: 'MOHW', approve: true }, 'official:test')).toBe('approved');
    // the ten-minute access token may have run out by then: an expired one is renewed with the refresh token
    const done = await collect({ ...first.pending, accessToken: 'expired.not-a.token' });
    if (!('credential' in done)) throw new Error('expected the document');
    expect(done.credential.claims).toMatchObject({ disability_type: 'visual', severity: 'severe' });
    expect((JSON.parse(Buffer.from(done.credential.raw.split('.')[1]!, 'base64url').toString()) as { cnf: { jwk: { x: string } } }).cnf.jwk.x).toBe(first.key.publicJwk.x);
  });

  it('makes disclosure frames from claim paths', () => {
    expect(frameOf([['name'], ['address', 'region'], ['address', 'locality'], ['age_equal_or_over', '19'], ['children', null]])).toEqual({
      name: true,
      address: { region: true, locality: true },
      age_equal_or_over: { '19': true },
      children: true,
    });
  });
});

describe('the web wallet\u2019s page and app files', () => {
  it('serves the page in ko and en with its templates and a readable notice without JavaScript, the bundle, the service worker and the manifest', async () => {
    const ko = await app.inject({ url: '/wallet' });
    expect(ko.statusCode).toBe(200);
    expect(ko.body).toContain('<h1 class="hn-title">전자지갑</h1>');
    expect(ko.body).toContain('<noscript>');
    expect(ko.body).toContain('<link rel="manifest" href="/wallet/manifest.webmanifest?lang=ko"');
    // the page may reach issuers and verifiers elsewhere; other pages may not
    expect(ko.headers['content-security-policy']).toMatch(/connect-src 'self' https:/);
    expect((await app.inject({ url: '/documents' })).headers['content-security-policy'] ?? '').not.toMatch(/connect-src 'self' https:/);
    const text = JSON.parse(/<script type="application\/json" id="wallet-text">([^<]*)<\/script>/.exec(ko.body)![1]!) as { lang: string; text: Record<string, string> };
    expect(text.lang).toBe('ko');
    expect(text.text.submit).toBe('동의하고 제출');
    const en = await app.inject({ url: '/wallet?lang=en' });
    expect(en.body).toContain('<h1 class="hn-title">Wallet</h1>');

    const js = await app.inject({ url: '/wallet/wallet.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/text\/javascript/);
    expect(js.body.length).toBeGreaterThan(20_000);
    expect(js.body).toContain('hanaro-wallet');
    const sw = await app.inject({ url: '/wallet/sw.js' });
    expect(sw.headers['service-worker-allowed']).toBe('/wallet');
    const manifest = (await app.inject({ url: '/wallet/manifest.webmanifest?lang=en' })).json();
    expect(manifest).toMatchObject({ start_url: '/wallet', scope: '/wallet', display: 'standalone', short_name: 'Wallet' });
  });
});

describe('the CLI holder', () => {
  const run = promisify(execFile);
  const hanaro = (args: string[], env: Record<string, string>) =>
    run(process.execPath, [path.resolve('bin/hanaro.js'), 'wallet', ...args], { env: { ...process.env, ...env }, timeout: 60_000 });

  // four CLI processes start, each loading every module: slower than the suite's 30 s default on a busy machine
  it('receives, lists and presents, keeping its file private to its owner', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hanaro-wallet-'));
    try {
      const store = path.join(dir, 'wallet.json');
      const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id] }, 'official:test');
      const got = await hanaro(['receive', offer.uri, '--tx-code', offer.txCode!, '--store', store], {});
      expect(got.stdout).toMatch(/kr\.mois\.resident-id\.sd-jwt {2}모바일 주민등록증/);
      expect((await stat(store)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(store, 'utf8')).credentials).toHaveLength(1);
      const listed = await hanaro(['list', '--store', store, '--json'], {});
      expect(JSON.parse(listed.stdout)[0].claims.name).toBe('박하나');
      const req = await newRequest('identity');
      const dry = await hanaro(['present', req.authorization_request, '--store', store, '--dry-run'], {});
      expect(dry.stdout).toContain('하나로마트 / Hanaro Mart (registered)');
      expect(dry.stdout).toContain('성명, 생년월일');
      expect((await resultOf(req.id)).status).toBe('pending');
      const sent = await hanaro(['present', req.authorization_request, '--store', store], {});
      expect(sent.stdout).toContain('sent');
      expect((await resultOf(req.id)).result.credentials.doc[0].claims).toEqual({ name: '박하나', birthdate: '1980-02-02' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
