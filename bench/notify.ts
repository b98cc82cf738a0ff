/**
 * Notifications on real PostgreSQL (issue 8's speed targets), each figure next to a baseline
 * measured in the same run:
 *
 * - throughput: N e-mails (default 50,000) queued through the accept path (`queueMessages`, as
 *   the API does), then sent by one notify worker process (an e-mail lane: batch claims from the
 *   platform outbox, 160 in flight over 40 SMTP connections on the SMTP client's own thread,
 *   outcomes recorded in batches by two writers) to a real SMTP server in a third process that
 *   counts and drops. Target >= 1,000 messages/s and >= 0.5x the sink's raw throughput.
 *   Baseline (raw): the same sink fed pre-built messages by a minimal pipelining SMTP client over
 *   as many connections (no database, no rendering, no encryption), the most the sink can take on
 *   this machine; five runs, three before the worker's and two after, and their median.
 * - backlog: BACKLOG messages (default 1,000,000) queued at once (inserted in bulk, encrypted
 *   like the accept path's), then drained by a fresh worker process; its resident memory is
 *   sampled every 250 ms. Target: drained, with the worker's RSS < 500 MB.
 *
 *   npx tsx bench/notify.ts [--n 50000] [--backlog 1000000] [--raw 15000] [--concurrency 160]
 *
 * A scratch database on BENCH_DATABASE_URL, DATABASE_URL or the local server, dropped afterwards.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { identityModule } from '../src/modules/identity/index.ts';
import { notifyModule } from '../src/modules/notify/index.ts';
import { composeMime } from '../src/modules/notify/mime.ts';
import { notifySeeder, DEMO_SERVICES } from '../src/modules/notify/seed.ts';
import { payloadContext, prepare, queueMessages } from '../src/modules/notify/send.ts';
import { findTemplate } from '../src/modules/notify/templates.ts';
import { connectionsFor } from '../src/modules/notify/worker.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { createPlatform } from '../src/platform/platform.ts';
import { createRng } from '../src/platform/seed.ts';
import { fmt, median, root, scratchDatabase } from './lib.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg('n') ?? process.env.BENCH_N ?? 50_000);
const BACKLOG = Number(arg('backlog') ?? process.env.BENCH_BACKLOG ?? 1_000_000);
// messages per raw run (five runs)
const RAW = Number(arg('raw') ?? 15_000);
const SERVICE = DEMO_SERVICES[0]!.id;
// the worker's setting (NOTIFY_LANE_CONCURRENCY) and the SMTP connections it opens; the raw baseline uses as many
const CONCURRENCY = Number(arg('concurrency') ?? process.env.NOTIFY_LANE_CONCURRENCY ?? 160);
const CONNECTIONS = connectionsFor(CONCURRENCY);
// worker processes side by side (the worker role scales by processes, one per core)
const WORKERS = Number(arg('workers') ?? 1);

function child(file: string, env: Record<string, string>): ChildProcess {
  return fork(path.join(root, 'bench', file), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE && file === 'notify-worker.ts' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [])], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

let ask = 0;
let sinkCpuMs = 0;
const sinkCount = (sink: ChildProcess) =>
  new Promise<number>((resolve) => {
    const id = ++ask;
    const on = (m: { id?: number; count?: number; cpuMs?: number }) => {
      if (m.id !== id) return;
      sink.off('message', on);
      sinkCpuMs = m.cpuMs ?? 0;
      resolve(m.count!);
    };
    sink.on('message', on);
    sink.send({ id });
  });

/** A minimal SMTP client: EHLO once per connection, then per message MAIL/RCPT/DATA in one write (PIPELINING) and the content. */
async function rawSmtp(port: number, total: number, connections: number, message: string): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const socket = connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      let buf = '';
      const waiters: Array<(line: string) => void> = [];
      socket.on('data', (d) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (/^\d{3} /.test(line)) waiters.shift()?.(line);
        }
      });
      const reply = () => new Promise<string>((r) => waiters.push(r));
      const cmd = (s: string) => {
        const p = reply();
        socket.write(s);
        return p;
      };
      await reply();
      await cmd('EHLO bench\r\n');
      while (next < total) {
        next++;
        // pipelined, as the worker's client does when the server offers PIPELINING
        const envelope = [reply(), reply(), reply()];
        socket.write('MAIL FROM:<no-reply@hanaro.bench>\r\nRCPT TO:<citizen@example.kr>\r\nDATA\r\n');
        await Promise.all(envelope);
        const done = await cmd(`${message}\r\n.\r\n`);
        if (!done.startsWith('250')) throw new Error(`sink refused: ${done}`);
      }
      await cmd('QUIT\r\n');
      socket.end();
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

/** CPU milliseconds used so far by every PostgreSQL server process (from /proc; 0 where unreadable). */
async function postgresCpuMs(): Promise<number> {
  const { readdir, readFile } = await import('node:fs/promises');
  let ticks = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!comm.startsWith('postgres')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / 100;
}

async function drain(dbUrl: string, secrets: Record<string, string>, smtpUrl: string, sink: ChildProcess, count: number, label: string): Promise<{ rate: number; maxRssMb: number; seconds: number; cpu: string }> {
  const start = await sinkCount(sink);
  const sink0 = sinkCpuMs;
  const pg0 = await postgresCpuMs();
  const t0 = performance.now();
  const workers = Array.from({ length: WORKERS }, () => child('notify-worker.ts', { DATABASE_URL: dbUrl, BENCH_SMTP_URL: smtpUrl, NOTIFY_LANE_CONCURRENCY: String(CONCURRENCY), ...secrets }));
  const state = workers.map(() => ({ delivered: 0, other: 0, maxRssMb: 0, cpuMs: 0 }));
  let lastPrint = 0;
  let tFirst = 0;
  await new Promise<void>((resolve) => {
    workers.forEach((w, i) =>
      w.on('message', (m: { delivered: number; other: number; maxRssMb: number; cpuMs: number }) => {
        state[i] = m;
        const delivered = state.reduce((a, x) => a + x.delivered, 0);
        const done = delivered + state.reduce((a, x) => a + x.other, 0);
        if (!tFirst && delivered > 0) tFirst = performance.now();
        if (performance.now() - lastPrint > 10_000) {
          lastPrint = performance.now();
          process.stdout.write(`  ${label}: ${fmt(delivered)} / ${fmt(count)} delivered, worker RSS ${state.map((x) => fmt(x.maxRssMb)).join(' + ')} MB max\n`);
        }
        if (done >= count) resolve();
      }),
    );
  });
  const seconds = (performance.now() - (tFirst || t0)) / 1000;
  // before the workers' connections end and their server processes with them
  const pg = (await postgresCpuMs()) - pg0;
  for (const w of workers) w.send('stop');
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
  const atSink = (await sinkCount(sink)) - start;
  if (atSink < count) throw new Error(`${label}: the sink got ${atSink} of ${count}`);
  const per = (ms: number) => fmt((ms * 1000) / count);
  const workerCpu = state.reduce((a, x) => a + x.cpuMs, 0);
  const cpu = `CPU µs per message: worker${WORKERS > 1 ? `s (${WORKERS})` : ''} ${per(workerCpu)}, PostgreSQL ${per(pg)}, sink ${per(sinkCpuMs - sink0)}`;
  return { rate: count / seconds, maxRssMb: Math.max(...state.map((x) => x.maxRssMb)), seconds, cpu };
}

async function main() {
  const db = await scratchDatabase();
  const config = await loadConfig({ DATABASE_URL: db.url, HANARO_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const platform = await createPlatform(config, { modules: [identityModule, notifyModule], logger: createLogger('silent') });
  const secrets = { HANARO_MASTER_KEY: config.masterKey.toString('base64'), HANARO_COOKIE_SECRET: config.cookieSecret, HANARO_DATA_DIR: 'memory://' };
  const sink = child('notify-sink.ts', {});
  const port = await new Promise<number>((r) => sink.once('message', (m: { port: number }) => r(m.port)));
  const smtpUrl = `smtp://127.0.0.1:${port}`;
  try {
    await notifySeeder.run({ platform, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
    const template = (await findTemplate(platform.db, { code: 'benefit-decided', serviceId: SERVICE }))!;
    const sender = { serviceId: SERVICE, keyId: null, kind: 'platform' as const, actor: 'bench' };
    await platform.db.execute(sql`update notify.service set daily_limits = '{"email": 100000000}' where id = ${SERVICE}::uuid`);
    const personalisation = { name: '김민준', benefit: '부모급여', decision: '지급 결정' };

    // ---- raw sink throughput (baseline) ----
    const sample = composeMime({ messageId: `${randomUUID()}@hanaro.bench`, from: { name: '복지로 알림', address: 'no-reply@hanaro.bench' }, to: 'citizen@example.kr', subject: '[복지로] 부모급여 결정 안내', body: '김민준님, 신청하신 부모급여이(가) 지급 결정되었습니다.\n\n문의: 보건복지상담센터 129', lang: 'ko' });
    await rawSmtp(port, 2000, CONNECTIONS * WORKERS, sample); // warm-up
    // three runs before the worker's and two after it, so that a drift of the machine's speed during the run shows in the baseline too
    const raws: number[] = [];
    const rawRun = async () => raws.push(await rawSmtp(port, RAW, CONNECTIONS * WORKERS, sample));
    for (let i = 0; i < 3; i++) await rawRun();

    // ---- throughput: accept path, then one worker ----
    const tq = performance.now();
    for (let i = 0; i < N; i += 500) {
      const items = Array.from({ length: Math.min(500, N - i) }, (_, j) => prepare({ channel: 'email', to: `citizen${i + j}@example.kr`, template, lang: 'ko', personalisation }, sender));
      await queueMessages(platform, sender, items);
    }
    const acceptRate = N / ((performance.now() - tq) / 1000);
    console.log(`queued ${fmt(N)} e-mails through the accept path in batches of 500: ${fmt(acceptRate)} msg/s`);
    const t = await drain(db.url, secrets, smtpUrl, sink, N, 'throughput');
    for (let i = 0; i < 2; i++) await rawRun();
    const raw = median(raws);
    console.log(`raw sink throughput (minimal pipelining SMTP client, ${CONNECTIONS * WORKERS} connections, as the workers open; 3 runs before, 2 after): ${raws.map((r) => fmt(r)).join(', ')} msg/s → median ${fmt(raw)}`);
    console.log(`worker → SMTP sink: ${fmt(t.rate)} msg/s (${fmt(t.seconds, 1)} s for ${fmt(N)}), ratio to raw ${fmt(t.rate / raw, 2)}; worker RSS max ${fmt(t.maxRssMb)} MB`);
    console.log(`  ${t.cpu}`);
    console.log(`  target >= 1,000 msg/s: ${t.rate >= 1000 ? 'PASS' : 'FAIL'}; target ratio >= 0.5: ${t.rate / raw >= 0.5 ? 'PASS' : 'FAIL'}`);

    // ---- backlog: bulk-queued, drained by a fresh worker ----
    if (BACKLOG > 0) {
      const tb = performance.now();
      const base = prepare({ channel: 'email', to: 'citizen@example.kr', template, lang: 'ko', personalisation }, sender);
      for (let i = 0; i < BACKLOG; i += 1000) {
        const ids = Array.from({ length: Math.min(1000, BACKLOG - i) }, () => randomUUID());
        const values = ids.map((id, j) => {
          const payload = platform.crypto.encrypt(JSON.stringify({ ...base.payload, to: `backlog${i + j}@example.kr` }), payloadContext(id));
          return sql`(${id}::uuid, ${SERVICE}::uuid, 'platform', ${template.id}::uuid, 1, 'email', 'ko', 'transactional', 'b***@example.kr', ${payload}, 'bench')`;
        });
        await platform.db.transaction(async (tx) => {
          await tx.execute(sql`insert into notify.notification (id, service_id, key_kind, template_id, template_version, channel, lang, category, recipient_masked, payload_enc, created_by) values ${sql.join(values, sql`, `)}`);
          await tx.execute(sql`insert into platform.outbox (topic, payload, idempotency_key, max_attempts) select 'notify.email', jsonb_build_object('id', id), 'notify:' || id, 8 from unnest(${`{${ids.join(',')}}`}::uuid[]) as id`);
        });
        if ((i / 1000) % 100 === 0) process.stdout.write(`  backlog queued: ${fmt(i)} / ${fmt(BACKLOG)}\n`);
      }
      await platform.db.execute(sql`analyze platform.outbox`);
      await platform.db.execute(sql`analyze notify.notification`);
      console.log(`queued a backlog of ${fmt(BACKLOG)} in ${fmt((performance.now() - tb) / 1000, 1)} s`);
      const b = await drain(db.url, secrets, smtpUrl, sink, BACKLOG, 'backlog');
      console.log(`backlog of ${fmt(BACKLOG)} drained in ${fmt(b.seconds, 1)} s (${fmt(b.rate)} msg/s); worker RSS max ${fmt(b.maxRssMb)} MB`);
      console.log(`  ${b.cpu}`);
      console.log(`  target RSS < 500 MB: ${b.maxRssMb < 500 ? 'PASS' : 'FAIL'}`);
    }
  } finally {
    sink.kill();
    await platform.close();
    await db.drop();
  }
}

await main();
