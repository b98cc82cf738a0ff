/**
 * Synthetic population load: `hanaro seed --citizens N` (default 100,000; argument 1) against a
 * fresh real PostgreSQL database `hanaro_bench_<random>` (dropped afterwards) on the server of
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres). Target: 1,000,000 citizens
 * within 10 minutes on this 2-core machine. Baseline in the same run: generating the same citizens
 * in memory without a database (what our code alone costs), so the figures can be read against
 * this machine's speed today.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generatePopulation } from '../src/modules/registries/population/index.ts';
import { fmt, root, rssMb } from './lib.ts';

const citizens = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(citizens) || citizens <= 0) throw new Error('usage: tsx bench/seed-population.ts [citizens]');
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `hanaro_bench_${randomBytes(4).toString('hex')}`;
const url = new URL(server);
url.pathname = `/${name}`;

async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

interface Ran {
  seconds: number;
  /** peak resident memory of the process, sampled each second */
  peakMb: number;
  out: string;
}

/** Runs the real CLI (as `npx hanaro …` would): wall time, peak RSS and output. */
function hanaro(args: string[], env: Record<string, string>): Promise<Ran> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/hanaro.js', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let peakMb = 0;
    const timer = setInterval(() => rssMb(child.pid!).then((mb) => (peakMb = Math.max(peakMb, mb)), () => {}), 1000);
    child.stdout.on('data', (d) => (out = (out + d).slice(-5000)));
    child.stderr.on('data', (d) => (out = (out + d).slice(-5000)));
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ seconds: (performance.now() - t0) / 1000, peakMb, out });
      else reject(new Error(`hanaro ${args.join(' ')} exited ${code}\n${out}`));
    });
  });
}

// baseline: generation alone, in this process (capped so that a 1M run does not wait twice)
const genN = Math.min(citizens, 200_000);
const g0 = performance.now();
let genRecords = 0;
for (const chunk of generatePopulation({ seed: 7, citizens: genN, asOf: '2026-01-01' })) genRecords += chunk.records.length;
const genRate = genN / ((performance.now() - g0) / 1000);

await admin(`create database ${name}`);
const dataDir = await mkdtemp(path.join(tmpdir(), 'hanaro-bench-seed-'));
try {
  const env = { DATABASE_URL: url.toString(), HANARO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const migrate = (await hanaro(['migrate'], env)).seconds;
  const seed = await hanaro(['seed', '--seed', '7', '--citizens', String(citizens)], env);
  const seconds = seed.seconds;
  // the look-up demos and tests use, on the loaded database (a rare combination scans furthest)
  const sample = await hanaro(['registries', 'sample-citizen', '--max-age', '12', '--with', 'disability'], env);
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  const { rows } = await c.query<{ records: string; residents: string; size: string }>(
    `select count(*) as records, count(*) filter (where rrn_index is not null) as residents,
            pg_size_pretty(pg_total_relation_size('registries.record')) as size from registries.record`,
  );
  await c.end();
  const r = rows[0]!;
  if (Number(r.residents) !== citizens) throw new Error(`expected ${citizens} residents, found ${r.residents}`);
  const rate = citizens / seconds;
  console.log(`synthetic population benchmark: ${fmt(citizens)} citizens, real PostgreSQL (${name})`);
  console.log(`  baseline: generation alone, no database    ${fmt(genRate)} citizens/s (${fmt(genN)} citizens, ${fmt(genRecords)} records)`);
  console.log(`  hanaro migrate                             ${fmt(migrate, 1)} s`);
  console.log(`  hanaro seed --citizens ${fmt(citizens).padEnd(19)} ${fmt(seconds, 1)} s, ${fmt(rate)} citizens/s (process start to exit), peak RSS ${fmt(seed.peakMb)} MB`);
  console.log(`  records written                            ${fmt(Number(r.records))} (${r.size} with indexes)`);
  console.log(`  extrapolated for 1,000,000 citizens        ${fmt(1_000_000 / rate)} s (target < 600 s)`);
  console.log(`  sample-citizen --max-age 12 --with disability  ${fmt(sample.seconds, 1)} s (process start to exit)`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
  await admin(`drop database if exists ${name} with (force)`);
}
