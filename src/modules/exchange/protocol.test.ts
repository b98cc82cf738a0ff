import { createHash, createPrivateKey } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createSigner, httpbis } from 'http-message-signatures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { freePort, testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey, type ClientKey } from './client-keys.ts';
import { verifyMessageLog } from './message-log-verify.ts';
import { mediatedCall } from './protocol.ts';
import { addClient, addService, grant, protocolTestModule, revoke, startProvider, type TestProvider } from './protocol-testkit.ts';
import { signRequest } from './signatures.ts';

const CLIENT = 'KR/GOV/MOHW/welfare-services';
const OTHER = 'KR/GOV/NTS/tax-services';
const SVC = 'KR/GOV/MOIS/resident-registry/resident';
const SLOW = 'KR/GOV/MOLIT/vehicle-registry/vehicle';
const DOWN = 'KR/GOV/KNPA/licence-registry/licence';
const CITIZEN = '0b7c7c5e-6c55-4b1e-9a49-3f1f5e7c2d11';

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let provider: TestProvider;
let slow: TestProvider;
let key: ClientKey;
let otherKey: ClientKey;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [protocolTestModule], env: { HANARO_BODY_LIMIT: '4096' } }));
  provider = await startProvider((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-hanaro-data-items', 'name,birthDate');
    res.setHeader('x-road-id', 'provider-must-not-set-this');
    res.end(JSON.stringify({ got: { method: req.method, url: req.url, client: req.headers['x-road-client'], user: req.headers['x-road-userid'] } }));
  });
  slow = await startProvider(async (_req, res) => {
    await sleep(3000);
    res.end('late');
  });
  const downPort = await freePort();
  // generous: the machine running the tests may be busy, and 200 parallel requests share it
  await addService(t, { id: SVC, provider: `${provider.url}/api`, logBodies: true, timeoutMs: 30_000 });
  await addService(t, { id: SLOW, provider: slow.url, timeoutMs: 200 });
  await addService(t, { id: DOWN, provider: `http://127.0.0.1:${downPort}`, timeoutMs: 1000 });
  key = await addClient(t, CLIENT);
  otherKey = await addClient(t, OTHER, 'ecdsa-p256-sha256');
  for (const s of [SVC, SLOW, DOWN]) await grant(t, s, CLIENT, '사회보장급여법 제19조');
});
afterAll(async () => {
  await close();
  await Promise.all([provider.close(), slow.close()]);
});

interface Req {
  method?: string;
  path?: string;
  client?: string;
  headers?: Record<string, string>;
  body?: string;
  signAs?: ClientKey | null;
}

/** A request through app.inject, signed as `signAs` (default: the welfare client). */
async function call(r: Req = {}) {
  const method = r.method ?? 'GET';
  const path = r.path ?? `/r1/${SVC}/records?fields=name`;
  const headers: Record<string, string> = { 'x-road-client': r.client ?? CLIENT, 'x-road-userid': CITIZEN, 'x-road-issue': 'case 7', ...r.headers };
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  if (r.body !== undefined) headers['content-type'] ??= 'application/json';
  const signer = r.signAs === undefined ? key : r.signAs;
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  const sent = signer
    ? await signRequest(signerOf(signer), { method, url: `http://localhost${path}`, headers, body })
    : headers;
  return app.inject({ method: method as 'GET', url: path, headers: sent, payload: body });
}

const signerOf = (k: ClientKey) => ({ kid: k.kid, alg: k.alg, privateKey: createPrivateKey({ key: k.privateJwk as never, format: 'jwk' }) });

let port: number | undefined;
async function listening(): Promise<number> {
  if (!port) {
    port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
  }
  return port;
}

const logRow = async (xRoadId: string) =>
  (await rows<{ status: number; error: string | null; client_id: string; service_id: string; request_body: string | null }>(
    t.db,
    sql`select status, error, client_id, service_id, request_body from exchange.message_log where x_road_id = ${xRoadId}`,
  ))[0];

describe('a mediated call', () => {
  it('with a granted right reaches the provider and answers with the X-Road headers, logged with an access record', async () => {
    const res = await call({ headers: { 'x-road-id': 'welfare-0001' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ got: { method: 'GET', url: '/api/records?fields=name', client: CLIENT, user: CITIZEN } });
    expect(res.headers).toMatchObject({ 'x-road-id': 'welfare-0001', 'x-road-client': CLIENT, 'x-road-service': SVC });
    expect(res.headers['x-road-error']).toBeUndefined();
    expect(res.headers['x-hanaro-data-items']).toBeUndefined();
    // X-Road-Request-Hash as documented in protocol-pipeline.ts (no body: SHA-512 of the header text)
    const seen = provider.seen.at(-1)!;
    expect(seen.headers['x-road-service']).toBe(SVC);
    expect(seen.headers.signature).toBeTruthy();
    const text = [`GET /r1/${SVC}/records?fields=name`, `x-road-client: ${CLIENT}`, 'x-road-id: welfare-0001', `x-road-userid: ${CITIZEN}`, 'x-road-issue: case 7'];
    text.push(`signature-input: ${seen.headers['signature-input'] as string}`, `signature: ${seen.headers.signature as string}`);
    expect(res.headers['x-road-request-hash']).toBe(createHash('sha512').update(text.join('\n')).digest('base64'));
    expect(await logRow('welfare-0001')).toMatchObject({ status: 200, error: null, client_id: CLIENT, service_id: SVC });
    const [access] = await t.accessLog.forCitizen(CITIZEN);
    expect(access).toMatchObject({
      reader: CLIENT,
      institution: 'MOHW',
      service: SVC,
      items: ['name', 'birthDate'],
      purpose: 'case 7',
      legalBasis: '사회보장급여법 제19조',
      xRoadId: 'welfare-0001',
      channel: 'exchange',
    });
  });

  it('takes a non-ASCII purpose percent-encoded (HTTP headers are ASCII) and logs it decoded', async () => {
    const res = await call({ headers: { 'x-road-id': 'korean-1', 'x-road-issue': encodeURIComponent('기초연금 심사 2026-17') } });
    expect(res.statusCode).toBe(200);
    const [access] = await t.accessLog.forCitizen(CITIZEN);
    expect(access).toMatchObject({ xRoadId: 'korean-1', purpose: '기초연금 심사 2026-17' });
  });

  it('POST carries the exact body (Content-Digest checked) and logs it where the service logs bodies', async () => {
    const res = await call({ method: 'POST', path: `/r1/${SVC}/read`, body: '{"query":{"content":{"name":"홍길동"}}}', headers: { 'x-road-id': 'post-1' } });
    expect(res.statusCode).toBe(200);
    expect(provider.seen.at(-1)!.body.toString()).toBe('{"query":{"content":{"name":"홍길동"}}}');
    expect((await logRow('post-1'))!.request_body).toBe('{"query":{"content":{"name":"홍길동"}}}');
  });

  it('takes any payload type, and a body without Content-Type, as the exact bytes', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const body = Buffer.from(`a=1&b=${type ?? 'none'}`);
      const headers: Record<string, string> = { 'x-road-client': CLIENT, ...(type ? { 'content-type': type } : {}) };
      const sent = await signRequest(signerOf(key), { method: 'PUT', url: `http://localhost/r1/${SVC}/things/1`, headers, body });
      const res = await app.inject({ method: 'PUT', url: `/r1/${SVC}/things/1`, headers: sent, payload: body });
      expect(res.statusCode, String(type)).toBe(200);
      expect(provider.seen.at(-1)!.body.toString()).toBe(body.toString());
    }
  });

  it('without a right is refused (403 Client.AccessDenied), and a revocation takes effect within the cache window', async () => {
    const res = await call({ client: OTHER, signAs: otherKey, headers: { 'x-road-id': 'denied-1' } });
    expect(res.statusCode).toBe(403);
    expect(res.headers['x-road-error']).toBe('Client.AccessDenied');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'Client.AccessDenied', status: 403, code: 'access_denied', xRoadId: 'denied-1', message: expect.any(String), detail: expect.any(String) });
    expect(await logRow('denied-1')).toMatchObject({ status: 403, error: 'Client.AccessDenied' });

    await grant(t, SVC, OTHER);
    await sleep(2100);
    expect((await call({ client: OTHER, signAs: otherKey })).statusCode).toBe(200);
    await revoke(t, SVC, OTHER);
    await sleep(2100);
    expect((await call({ client: OTHER, signAs: otherKey })).statusCode).toBe(403);
  });

  it('in-process (mediatedCall) goes through the same checks and log', async () => {
    const ok = await mediatedCall(t, { client: CLIENT, service: SVC, path: '/records', userId: CITIZEN, issue: 'in-process' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ got: { url: '/api/records', client: CLIENT } });
    expect(await logRow(ok.xRoadId)).toMatchObject({ status: 200, client_id: CLIENT });
    const denied = await mediatedCall(t, { client: OTHER, service: SVC, path: '/records', userId: CITIZEN, issue: 'in-process' });
    expect(denied).toMatchObject({ status: 403, headers: { 'x-road-error': 'Client.AccessDenied' } });
  });
});

describe('bad input', () => {
  const cases: Array<[string, Req, number, string]> = [
    ['no X-Road-Client', { headers: { 'x-road-client': '' }, signAs: null }, 400, 'Client.InvalidRequest'],
    ['a member-level X-Road-Client', { client: 'KR/GOV/MOHW', signAs: null }, 400, 'Client.InvalidRequest'],
    ['X-Road-Client with bad characters', { client: 'KR/GOV/MOHW/welfare services', signAs: null }, 400, 'Client.InvalidRequest'],
    ['a short service id', { path: '/r1/KR/GOV/MOIS/resident-registry' }, 400, 'Client.InvalidRequest'],
    ['an unknown service', { path: '/r1/KR/GOV/MOIS/resident-registry/nothing/records' }, 404, 'Server.ServerProxy.UnknownService'],
    ['an unknown member', { path: '/r1/KR/GOV/NOPE/x/y' }, 404, 'Server.ServerProxy.UnknownService'],
    ['no signature', { signAs: null }, 401, 'Client.InvalidSignatureValue'],
    ['another client\'s key', { signAs: undefined, client: OTHER }, 401, 'Client.InvalidSignatureValue'],
    ['a body over the limit', { method: 'POST', path: `/r1/${SVC}/read`, body: 'x'.repeat(5000) }, 413, 'Client.PayloadTooLarge'],
  ];
  for (const [name, req, status, type] of cases) {
    it(`${name}: ${status} ${type}, logged`, async () => {
      const id = `bad-${name.replace(/\W+/g, '-')}`;
      const res = await call({ ...req, headers: { ...req.headers, 'x-road-id': id } });
      expect(res.statusCode).toBe(status);
      expect(res.headers['x-road-error']).toBe(type);
      expect(res.json()).toMatchObject({ type, status });
      expect(await logRow(id)).toMatchObject({ status, error: type });
    });
  }

  it('a path with dot segments (as sent on the wire) is refused: 400 Client.InvalidRequest', async () => {
    // app.inject normalises URLs, so this one goes over a socket with node:http, which sends the path as given
    const port = await listening();
    const path = `/r1/KR/GOV/MOIS/resident-registry/other/../resident/records`;
    const headers = await signRequest(signerOf(key), { method: 'GET', url: `http://127.0.0.1:${port}${path}`, headers: { 'x-road-client': CLIENT } });
    const res = await new Promise<{ status: number; error: string | undefined }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (r) => {
        r.resume();
        resolve({ status: r.statusCode!, error: r.headers['x-road-error'] as string | undefined });
      });
      req.on('error', reject);
      req.end();
    });
    expect(res).toEqual({ status: 400, error: 'Client.InvalidRequest' });
  });

  it('a signature that no longer matches (changed header, path or one body byte) is 401', async () => {
    const body = '{"query":{"content":{"name":"a"}}}';
    const headers = { 'x-road-client': CLIENT, 'x-road-userid': CITIZEN, 'x-road-issue': 'case 7', 'content-type': 'application/json' };
    const pk = createPrivateKey({ key: key.privateJwk as never, format: 'jwk' });
    const path = `/r1/${SVC}/read`;
    const sent = await signRequest({ kid: key.kid, alg: key.alg, privateKey: pk }, { method: 'POST', url: `http://localhost${path}`, headers, body: Buffer.from(body) });
    const send = (o: { url?: string; headers?: Record<string, string>; payload?: string }) =>
      app.inject({ method: 'POST', url: o.url ?? path, headers: { ...sent, ...o.headers }, payload: o.payload ?? body });
    expect((await send({})).statusCode).toBe(200);
    for (const h of ['x-road-client', 'x-road-userid', 'x-road-issue']) {
      const res = await send({ headers: { [h]: h === 'x-road-client' ? OTHER : 'changed' } });
      expect(res.statusCode, h).toBe(h === 'x-road-client' ? 401 : 401);
      expect(res.headers['x-road-error']).toBe('Client.InvalidSignatureValue');
    }
    expect((await send({ headers: { 'x-road-id': 'added-later' } })).statusCode).toBe(401);
    expect((await send({ url: `/r1/${SVC}/exists` })).statusCode).toBe(401);
    expect((await send({ payload: body.replace('"a"', '"b"') })).statusCode).toBe(401);
  });

  it('a replayed request (the same signed content again, even with the ECDSA signature rewritten) is 401; a fresh signature passes', async () => {
    const path = `/r1/${SVC}/records?fields=name`;
    const headers = { 'x-road-client': CLIENT, 'x-road-userid': CITIZEN, 'x-road-issue': 'case 7' };
    const ec = await createClientKey(t, CLIENT, { keepPrivate: true, alg: 'ecdsa-p256-sha256' });
    const sent = await signRequest(signerOf(ec), { method: 'GET', url: `http://localhost${path}`, headers });
    const send = (h: Record<string, string>) => app.inject({ method: 'GET', url: path, headers: h });
    expect((await send(sent)).statusCode).toBe(200);
    const again = await send(sent);
    expect(again.statusCode).toBe(401);
    expect(again.headers['x-road-error']).toBe('Client.InvalidSignatureValue');
    expect(again.json().detail).toMatch(/replay/);
    // (r, s) → (r, n − s) is another valid P-256 signature of the same content: still a replay
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const sigName = Object.keys(sent).find((k) => k.toLowerCase() === 'signature')!;
    const m = /^([\w-]+=:)([^:]+)(:)$/.exec(sent[sigName]!)!;
    const raw = Buffer.from(m[2]!, 'base64');
    const sHigh = (n - BigInt(`0x${raw.subarray(32).toString('hex')}`)).toString(16).padStart(64, '0');
    const malleated = `${m[1]}${Buffer.concat([raw.subarray(0, 32), Buffer.from(sHigh, 'hex')]).toString('base64')}${m[3]}`;
    expect(malleated).not.toBe(sent[sigName]);
    const rewritten = await send({ ...sent, [sigName]: malleated });
    expect(rewritten.statusCode).toBe(401);
    expect(rewritten.json().detail).toMatch(/replay/);
    // the same request signed again (new created/nonce) is a new request
    expect((await call()).statusCode).toBe(200);
    expect((await call()).statusCode).toBe(200);
  });

  it('a slow provider: 504 Server.ServerProxy.ServiceTimeout within its timeout, logged', async () => {
    const t0 = Date.now();
    const res = await call({ path: `/r1/${SLOW}/x`, headers: { 'x-road-id': 'slow-1' } });
    expect(res.statusCode).toBe(504);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.ServiceTimeout');
    expect(Date.now() - t0).toBeLessThan(2500); // the provider would take 3 s
    expect(await logRow('slow-1')).toMatchObject({ status: 504, error: 'Server.ServerProxy.ServiceTimeout' });
  });

  it('a provider that is down: 504 Server.ServerProxy.NetworkError, logged', async () => {
    const res = await call({ path: `/r1/${DOWN}/x`, headers: { 'x-road-id': 'down-1' } });
    expect(res.statusCode).toBe(504);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.NetworkError');
    expect(await logRow('down-1')).toMatchObject({ status: 504, error: 'Server.ServerProxy.NetworkError' });
  });
});

describe('a request that cannot be logged is not served', () => {
  it('answers 503 Server.ServerProxy.DatabaseError without the provider body', async () => {
    await t.database.rawTransaction((tx) =>
      tx.exec(`create function exchange.test_refuse() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$;
        create trigger test_refuse before insert on exchange.message_log for each row execute function exchange.test_refuse();`),
    );
    try {
      const before = provider.seen.length;
      const res = await call({ headers: { 'x-road-id': 'unlogged-1' } });
      expect(provider.seen.length).toBe(before + 1); // the provider answered…
      expect(res.statusCode).toBe(503);
      expect(res.headers['x-road-error']).toBe('Server.ServerProxy.DatabaseError');
      expect(res.body).not.toContain('got'); // …but its answer was not passed on
      expect(await logRow('unlogged-1')).toBeUndefined();
    } finally {
      await t.database.rawTransaction((tx) => tx.exec('drop trigger test_refuse on exchange.message_log; drop function exchange.test_refuse();'));
    }
  });
});

describe('the message log', () => {
  it('stays one gap-free, valid chain under 200 parallel requests', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call({ headers: { 'x-road-id': `par-${i}` } })));
    expect(results.filter((r) => r.statusCode !== 200).map((r) => r.body)).toEqual([]);
    const v = await verifyMessageLog(t);
    expect(v.ok).toBe(true);
    const [{ n, max }] = (await rows<{ n: string; max: string }>(t.db, sql`select count(*)::text as n, max(seq)::text as max from exchange.message_log`)) as [{ n: string; max: string }];
    expect(v).toMatchObject({ count: Number(n), head: { seq: Number(max) } });
  });

  it('an independent client (the package, over real HTTP) is served end to end', async () => {
    const port = await listening();
    const url = `http://127.0.0.1:${port}/r1/${SVC}/records`;
    const signed = await httpbis.signMessage(
      {
        key: createSigner(createPrivateKey({ key: key.privateJwk as never, format: 'jwk' }), 'ed25519', key.kid),
        fields: ['@method', '@path', '@query', '@authority', 'x-road-client', 'x-road-userid', 'x-road-issue'],
      },
      { method: 'GET', url, headers: { 'X-Road-Client': CLIENT, 'X-Road-UserId': CITIZEN, 'X-Road-Issue': 'independent' } },
    );
    const res = await fetch(url, { headers: signed.headers as Record<string, string> });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-road-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toMatchObject({ got: { url: '/api/records', client: CLIENT } });
  });
});
