import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { releaseOrphanedLeases } from '../../platform/outbox.ts';
import { startLane } from './lanes.ts';
import { emailProvider, smsProvider } from './providers.ts';
import { prepare, queueMessages } from './send.ts';
import { findTemplate } from './templates.ts';
import { httpGateway, MOHW_SERVICE, notifyApp, smtpSink, until } from './test-support.ts';

let ctx: Awaited<ReturnType<typeof notifyApp>>;
const personalisation = { name: '김민준', benefit: '아동수당', decision: '지급 결정' };

beforeAll(async () => {
  ctx = await notifyApp();
}, 60_000);
afterAll(async () => ctx?.close());

async function queue(channel: 'email' | 'sms', n: number, prefix: string): Promise<string[]> {
  const template = (await findTemplate(ctx.t.db, { code: 'benefit-decided', serviceId: MOHW_SERVICE }))!;
  const sender = { serviceId: MOHW_SERVICE, keyId: null, kind: 'platform' as const, actor: 'test' };
  const items = Array.from({ length: n }, (_, i) =>
    prepare({ channel, to: channel === 'email' ? `${prefix}${i}@example.kr` : `010-4000-${String(i).padStart(4, '0')}`, template, lang: 'ko', personalisation }, sender),
  );
  return (await queueMessages(ctx.t, sender, items)).map((q) => q.id);
}

const statuses = async (ids: string[]) =>
  rows<{ status: string; n: number }>(ctx.t.db, sql`select status, count(*)::int as n from notify.notification where id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)}) group by status`);
const allDelivered = async (ids: string[], want = 'delivered') => {
  const s = await statuses(ids);
  return s.length === 1 && s[0]!.status === want && s[0]!.n === ids.length;
};

describe('a worker killed in the middle of a batch', () => {
  it('resumes where it was: every message reaches the SMTP server exactly once (by Message-ID), none is lost', async () => {
    const sink = await smtpSink({ delayMs: 3 });
    const ids = await queue('email', 400, 'crash');
    const url = (ctx.t.database as { url?: string }).url;
    let killedAt = 0;
    let recordedAtKill = 0;
    const delivered = async () => (await statuses(ids)).find((x) => x.status === 'delivered')?.n ?? 0;
    if (url) {
      // PostgreSQL: a real process, killed with SIGKILL
      const start = () =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testdata/lane-worker.ts', import.meta.url))], {
            env: { ...process.env, HANARO_TEST_DATABASE_URL: url, HANARO_TEST_SMTP_URL: sink.url, HANARO_MASTER_KEY: ctx.t.config.masterKey.toString('base64'), HANARO_COOKIE_SECRET: ctx.t.config.cookieSecret, HANARO_DATA_DIR: 'memory://' },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
          child.on('exit', (code) => code && reject(new Error(`worker exited ${code}`)));
        });
      const first = await start();
      await until(() => sink.received.length >= 120, 60_000, '120 messages');
      first.kill('SIGKILL');
      killedAt = sink.received.length;
      await new Promise((r) => first.once('exit', r));
      recordedAtKill = await delivered();
      const second = await start();
      await until(() => allDelivered(ids), 90_000, 'all delivered after the restart');
      second.kill('SIGKILL');
    } else {
      // PGlite belongs to this process: the lane is abandoned mid-batch without recording anything, as a crash would
      const provider = emailProvider({ url: sink.url, defaultFrom: 'Hanaro <no-reply@hanaro.test>', host: 'hanaro.test', connections: 5 });
      const first = startLane(ctx.t, { topic: 'notify.email', provider, concurrency: 10, pollMs: 10, flushMs: 200 });
      await until(() => sink.received.length >= 120, 60_000, '120 messages');
      first.kill();
      killedAt = sink.received.length;
      recordedAtKill = await delivered();
      // what `hanaro start` does on PGlite: jobs found running were cut off by the crash
      await releaseOrphanedLeases(ctx.t.db);
      const second = startLane(ctx.t, { topic: 'notify.email', provider, concurrency: 10, pollMs: 10 });
      await until(() => allDelivered(ids), 90_000, 'all delivered after the restart');
      await second.stop();
      await provider.close();
    }
    expect(killedAt).toBeLessThan(ids.length);
    // each message once at the sink, by its Message-ID (the provider deduplicates a resend after the crash)
    for (const id of ids) expect(sink.unique.has(`${id}@hanaro.test`)).toBe(true);
    expect(sink.unique.size).toBe(ids.length);
    // a resend is only ever of a message the sink had taken but the dead worker had not recorded,
    // or one in flight at the kill (10 at most): never of a recorded one
    expect(sink.received.length - ids.length).toBeLessThanOrEqual(killedAt - recordedAtKill + 10);
    const [{ dead }] = (await rows<{ dead: number }>(ctx.t.db, sql`select count(*)::int as dead from platform.outbox where topic = 'notify.email' and status = 'dead'`)) as [{ dead: number }];
    expect(dead).toBe(0);
    await sink.close();
  }, 180_000);
});

describe('a provider outage', () => {
  it('queues without spending attempts, then drains everything when the gateway is back', async () => {
    // a port that refuses connections, then a gateway on the same port
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const provider = smsProvider({ url: `http://127.0.0.1:${port}`, key: 'k:s', connections: 2, defaultSender: '0215880000' });
    const lane = startLane(ctx.t, { topic: 'notify.sms', provider, concurrency: 5, pollMs: 10, pauseBaseMs: 300 });
    const ids = await queue('sms', 30, 'outage');
    await until(() => (lane.stats().outcomes['provider-down'] ?? 0) > 0, 10_000, 'the outage to be noticed');
    await new Promise((r) => setTimeout(r, 1500));
    // nothing failed, nothing dead, attempts not used up: the messages wait as created
    const s = await statuses(ids);
    expect(s.every((x) => x.status === 'created' || x.status === 'sending')).toBe(true);
    const jobs = await rows<{ attempts: number; status: string }>(ctx.t.db, sql`select attempts, status from platform.outbox where topic = 'notify.sms' and payload->>'id' in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
    expect(jobs.every((j) => j.status !== 'dead' && j.attempts <= 1)).toBe(true);
    const gw = await httpGateway({ port });
    const got = () => new Set(gw.requests.map((r) => r.body.recipientList[0].recipientGroupingKey));
    await until(() => ids.every((id) => got().has(id)), 30_000, 'the backlog to drain');
    // recorded: handed to the gateway, waiting for its receipt
    await until(() => allDelivered(ids, 'sending'), 5_000, 'the outcomes to be recorded');
    expect(gw.requests.length).toBe(ids.length);
    await lane.stop();
    await provider.close();
    await gw.close();
  }, 60_000);
});
