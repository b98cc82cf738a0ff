/**
 * The information mediator's hot path against real PostgreSQL: a mediated read of one resident
 * record (GET /r1/KR/GOV/MOIS/resident-registry/resident/records with X-Road-UserId, signed with
 * RFC 9421: signature check, access right, in-process registry read, group-committed signed log
 * entry and access record) next to a direct registry read by the owner
 * (POST /govstack/digital-registries/data/resident/1.0/read with its API key), measured in the
 * same run. Targets: mediated >= 2,000 req/s with p99 < 25 ms at 50 connections, and >= half the
 * direct read's throughput.
 *
 * Set-up: a fresh database on BENCH_DATABASE_URL (or DATABASE_URL, or the local server), seeded
 * with `hanaro seed` (BENCH_CITIZENS, default 10,000), a bench client key and access right; the
 * server is `npm start -- --role api` in production mode in its own process. autocannon cannot
 * sign per request, so each round replays a pool of requests signed just before it (one per
 * citizen, 1,000; a signature is valid for 300 s). Each figure is the median of BENCH_ROUNDS
 * rounds (BENCH_SECONDS each) that alternate the two reads; /healthz is measured once for scale
 * (how busy the machine is). BENCH_ONLY=mediated skips the direct reads; BENCH_PROFILE=<dir>
 * runs the server under node --cpu-prof. The message log is verified at the end.
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/platform/config.ts';
import { rows } from '../src/platform/db.ts';
import { createPlatform, type Platform } from '../src/platform/platform.ts';
import { runSeeders } from '../src/platform/seed.ts';
import { modules } from '../src/modules/index.ts';
import { createApiKey } from '../src/modules/registries/index.ts';
import { createClientKey } from '../src/modules/exchange/client-keys.ts';
import { addService } from '../src/modules/exchange/protocol-testkit.ts';
import { signRequest, type ClientSigner } from '../src/modules/exchange/signatures.ts';
import { verifyMessageLog } from '../src/modules/exchange/message-log-verify.ts';
import { fmt, freePort, median, run, scratchDatabase, waitFor } from './lib.ts';

type Options = Parameters<typeof autocannon>[0];

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const citizens = process.env.BENCH_CITIZENS ?? '10000';
const POOL = 1000;
const CLIENT = 'KR/GOV/MOHW/welfare-services';
const OWNER = 'KR/GOV/MOIS/resident-registry';
const SERVICE = `${OWNER}/resident`;

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Round {
  rps: number;
  p99: number;
}

async function load(url: string, requests: Request[]): Promise<Round> {
  const opts = { url, connections, duration, requests };
  const r = await autocannon(opts as unknown as Options);
  if (r.errors || r.non2xx) throw new Error(`${requests[0]!.path}: ${r.errors} errors, ${r.non2xx} non-2xx answers`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

/** Directory rows the directory seeder normally makes; added only where missing. */
async function ensureExchange(p: Platform): Promise<void> {
  const [svc] = await rows(p.db, sql`select 1 from exchange.service
    where instance = 'KR' and member_class = 'GOV' and member_code = 'MOIS' and subsystem_code = 'resident-registry' and service_code = 'resident'`);
  if (!svc) await addService(p, { id: SERVICE, provider: 'registry:resident/1.0' });
  await p.db.execute(sql`insert into exchange.member (instance, member_class, member_code, name_ko, name_en)
    values ('KR', 'GOV', 'MOHW', '보건복지부', 'Ministry of Health and Welfare') on conflict do nothing`);
  await p.db.execute(sql`insert into exchange.subsystem (instance, member_class, member_code, subsystem_code)
    values ('KR', 'GOV', 'MOHW', 'welfare-services') on conflict do nothing`);
  await p.db.execute(sql`insert into exchange.access_right (service_id, client_id, granted_by, legal_basis)
    select ${SERVICE}, ${CLIENT}, 'bench', '사회보장급여법 제19조'
    where not exists (select 1 from exchange.access_right where service_id = ${SERVICE} and client_id = ${CLIENT} and revoked_at is null)`);
}

async function mediatedPool(port: number, signer: ClientSigner, ids: string[]): Promise<Request[]> {
  return Promise.all(
    ids.map(async (id) => {
      const p = `/r1/${SERVICE}/records`;
      const headers = await signRequest(signer, {
        method: 'GET',
        url: `http://127.0.0.1:${port}${p}`,
        headers: { 'x-road-client': CLIENT, 'x-road-userid': id, 'x-road-issue': encodeURIComponent('bench: 기초연금 심사') },
      });
      return { method: 'GET', path: p, headers };
    }),
  );
}

const scratch = await scratchDatabase();
const dataDir = await mkdtemp(path.join(tmpdir(), 'hanaro-bench-exchange-'));
const env = {
  DATABASE_URL: scratch.url,
  HANARO_DATA_DIR: dataDir,
  HANARO_MASTER_KEY: randomBytes(32).toString('base64'),
  HANARO_COOKIE_SECRET: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'warn',
  // the rate limit is a per-address guard; one load generator would trip it
  HANARO_RATE_LIMIT: '100000000',
  // each round replays a pool of pre-signed requests (autocannon cannot sign per request); the
  // check it turns off is one SHA-256 and one map lookup per request
  HANARO_REPLAY_CHECK: 'off',
};
let server: ReturnType<typeof run> | undefined;
let platform: Platform | undefined;
try {
  platform = await createPlatform(await loadConfig({ ...env, LOG_LEVEL: 'warn' }), { modules });
  await platform.keys.ensureKeys();
  const t0 = performance.now();
  await runSeeders(platform, modules, { seed: 20260101, options: { citizens } });
  console.log(`seeded ${citizens} citizens in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  await ensureExchange(platform);
  const key = await createClientKey(platform, CLIENT);
  const signer: ClientSigner = { kid: key.kid, alg: key.alg, privateKey: createPrivateKey({ key: key.privateJwk as never, format: 'jwk' }) };
  const { key: apiKey } = await createApiKey(platform, { client: OWNER, label: 'bench' });
  const ids = (
    await rows<{ id: string }>(
      platform.db,
      sql`select r.id from registries.record r join registries.registry g on g.id = r.registry_id
          where g.code = 'resident' order by r.id limit ${POOL}`,
    )
  ).map((r) => r.id);
  if (!ids.length) throw new Error('no resident records were seeded');

  const port = await freePort();
  const npm = process.env.npm_execpath ? process.execPath : 'npm';
  const npmArgs = process.env.npm_execpath ? [process.env.npm_execpath, 'start'] : ['start'];
  // BENCH_PROFILE=dir writes the server's CPU profile there (node --cpu-prof)
  const prof = process.env.BENCH_PROFILE;
  // production mode: the server seeds nothing (the data is there) and runs as it would in service
  const serverEnv = { ...env, PORT: String(port), HANARO_MODE: 'production', HANARO_PUBLIC_URL: `http://127.0.0.1:${port}` };
  server = prof
    ? run(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${prof}`, 'bin/hanaro.js', 'start', '--role', 'api'], serverEnv)
    : run(npm, [...npmArgs, '--', '--role', 'api'], serverEnv);
  await waitFor(`http://127.0.0.1:${port}/readyz`, 120_000);
  const base = `http://127.0.0.1:${port}`;
  const direct: Request[] = ids.map((id) => ({
    method: 'POST',
    path: '/govstack/digital-registries/data/resident/1.0/read',
    headers: { authorization: `Bearer ${apiKey}`, 'information-mediator-client': OWNER, 'content-type': 'application/json', 'x-road-issue': 'bench' },
    body: JSON.stringify({ query: { content: { id } } }),
  }));

  // one of each first, to fail with the answer rather than a count
  for (const r of [(await mediatedPool(port, signer, ids.slice(0, 1)))[0]!, direct[0]!]) {
    const res = await fetch(base + r.path, { method: r.method, headers: r.headers, body: r.body });
    if (!res.ok) throw new Error(`${r.method} ${r.path}: ${res.status} ${await res.text()}`);
  }
  // warm up both (JIT, caches, connection pools)
  const warm = { connections, duration: 3 };
  await autocannon({ url: base, ...warm, requests: await mediatedPool(port, signer, ids) } as unknown as Options);
  await autocannon({ url: base, ...warm, requests: direct } as unknown as Options);

  const mediated: Round[] = [];
  const directs: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    // signed just before the round: each signature is valid for 300 s
    mediated.push(await load(base, await mediatedPool(port, signer, ids)));
    if (process.env.BENCH_ONLY !== 'mediated') directs.push(await load(base, direct));
  }
  // what this machine gives the simplest route right now, for reading the figures above
  const health = await load(base, [{ method: 'GET', path: '/healthz', headers: {} }]);
  const m = median(mediated.map((r) => r.rps));
  const mp99 = median(mediated.map((r) => r.p99));
  const d = directs.length ? median(directs.map((r) => r.rps)) : Number.NaN;
  const dp99 = directs.length ? median(directs.map((r) => r.p99)) : Number.NaN;
  console.log(`exchange benchmark: real PostgreSQL, ${connections} connections, ${rounds} rounds of ${duration} s, medians`);
  console.log(`  /healthz (for scale, one round)         ${fmt(health.rps)} req/s   p99 ${fmt(health.p99)} ms`);
  console.log(`  direct registry read (owner API key)   ${fmt(d)} req/s   p99 ${fmt(dp99)} ms`);
  console.log(`  mediated read (signed, logged)         ${fmt(m)} req/s   p99 ${fmt(mp99)} ms`);
  console.log(`    target >= 2,000 req/s                ${m >= 2000 ? 'PASS' : 'FAIL'}`);
  console.log(`    target p99 < 25 ms                   ${mp99 < 25 ? 'PASS' : 'FAIL'}`);
  console.log(`    ratio to direct ${fmt(m / d, 2)} (target >= 0.50) ${m / d >= 0.5 ? 'PASS' : 'FAIL'}`);
  const t1 = performance.now();
  const v = await verifyMessageLog(platform);
  console.log(`  message log: ${v.ok ? `${fmt(v.count)} entries verified` : `PROBLEM at seq ${v.seq}: ${v.problem}`} in ${fmt((performance.now() - t1) / 1000, 1)} s`);
} finally {
  await server?.stop();
  await platform?.close();
  await scratch.drop();
  await rm(dataDir, { recursive: true, force: true });
}
