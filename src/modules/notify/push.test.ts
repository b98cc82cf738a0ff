import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { notifyCitizen, setPreferences, subscribePush } from './citizens.ts';
import { startLane } from './lanes.ts';
import { pushProvider, vapidKeys } from './providers.ts';
import { notifyApp, until } from './test-support.ts';

// the reference implementation of RFC 8188 (Encrypted Content-Encoding for HTTP), by its author
const ece = createRequire(import.meta.url)('http_ece') as { decrypt(buf: Buffer, o: Record<string, unknown>): Buffer };

let ctx: Awaited<ReturnType<typeof notifyApp>>;
let server: Server;
let origin: string;
const received: Array<{ path: string; headers: Record<string, unknown>; body: Buffer }> = [];
let gone = new Set<string>();

beforeAll(async () => {
  ctx = await notifyApp();
  const dir = mkdtempSync(path.join(tmpdir(), 'push-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem')], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(path.join(dir, 'k.pem')), cert: readFileSync(path.join(dir, 'c.pem')) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(gone.has(req.url ?? '') ? 410 : 201, { location: `${req.url}/m/${received.length}` }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 60_000);
afterAll(async () => {
  server?.close();
  await ctx?.close();
});

function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

describe('web push', () => {
  it('encrypts the notice for the browser (RFC 8291) and signs with the platform\'s VAPID key; a gone subscription is dropped', async () => {
    const citizen = randomUUID();
    const k = browserKeys();
    const subId = await subscribePush(ctx.t.db, citizen, { endpoint: `${origin}/push/abc`, keys: { p256dh: k.p256dh, auth: k.auth } });
    await setPreferences(ctx.t, citizen, { channels: ['push'], lang: 'ko', quietStart: '00:00', quietEnd: '00:00', optedOut: [] });
    const r = await notifyCitizen(ctx.t, { citizenId: citizen, template: 'mydata.new-reader', personalisation: { institution: '하나로은행', purpose: '대출 심사', link: 'x' }, idempotencyKey: 'push-1' });
    expect(r.channels.sort()).toEqual(['inbox', 'push']);
    const agent = new Agent({ rejectUnauthorized: false });
    const lane = startLane(ctx.t, { topic: 'notify.push', provider: pushProvider({ crypto: ctx.t.crypto, subject: 'mailto:ops@hanaro.test', agent }), concurrency: 2, pollMs: 10, flushMs: 10 });
    await until(() => received.length === 1, 10_000, 'the push');
    const got = received[0]!;
    expect(got.path).toBe('/push/abc');
    expect(got.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(got.headers.ttl)).toBeGreaterThan(0);
    const plain = ece.decrypt(got.body, { version: 'aes128gcm', privateKey: k.ecdh, authSecret: k.auth });
    const notice = JSON.parse(plain.toString('utf8'));
    expect(notice).toMatchObject({ title: '내 정보 조회 알림', body: '하나로은행이 내 정보를 처음 조회했습니다.', url: '/mydata/access', lang: 'ko' });
    // Authorization: vapid t=<JWT>, k=<public key>  (RFC 8292)
    const [, jwt, pub] = /^vapid t=([^,]+), k=(\S+)$/.exec(String(got.headers.authorization))!;
    expect(pub).toBe(vapidKeys(ctx.t.crypto).publicKey);
    const raw = Buffer.from(pub!, 'base64url');
    const key = await importJWK({ kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') }, 'ES256');
    const { payload } = await jwtVerify(jwt!, key, { audience: origin });
    expect(payload.sub).toBe('mailto:ops@hanaro.test');
    expect(decodeProtectedHeader(jwt!).alg).toBe('ES256');
    const id = r.messages.find((m) => m.channel === 'push')!.id;
    await until(async () => (await rows<{ status: string }>(ctx.t.db, sql`select status from notify.notification where id = ${id}::uuid`))[0]?.status === 'delivered', 5000, 'delivered');

    // the browser unsubscribed: the push service answers 410, the message fails for good and the subscription is dropped
    gone = new Set(['/push/abc']);
    await notifyCitizen(ctx.t, { citizenId: citizen, template: 'mydata.new-reader', personalisation: { institution: '국세청', purpose: '세무', link: 'x' }, idempotencyKey: 'push-2' });
    await until(async () => (await rows(ctx.t.db, sql`select 1 from notify.push_subscription where id = ${subId}::uuid and gone_at is not null`)).length === 1, 10_000, 'the subscription to be dropped');
    const [failed] = await rows<{ status: string; status_reason: string }>(ctx.t.db, sql`select status, status_reason from notify.notification where idempotency_key = ${'push-2:push:' + subId}`);
    expect(failed).toMatchObject({ status: 'permanent-failure', status_reason: 'push subscription gone (HTTP 410)' });
    await lane.stop();
  }, 30_000);
});
