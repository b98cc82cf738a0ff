/**
 * The MyData access log (platform.data_access, partitioned by month in migration 0006) on real
 * PostgreSQL, each figure next to a baseline measured in the same run:
 *
 * - the citizen page: `accessLog.forCitizen` (limit 50; newest, last 90 days, one institution, one
 *   purpose in a year; for heavy readers also page 3 by cursor and a one-month window), one at a
 *   time, over ROWS records (default 10,000,000) spread over 24 months and ~ROWS/10 citizens, plus
 *   100 heavy citizens with 1 % of the records. Target p95 < 100 ms. Baseline: the same code and
 *   query against the same rows in an unpartitioned table with the same key (citizen_id, at, id),
 *   in a second database loaded identically (the old schema of migrations 0001-0005, one index
 *   swapped), so the ratio is what partitioning costs a page; every page is checked to hold the
 *   same records in both. `select 1` on the same pool gives the round trip for scale.
 * - writes: `accessLog.record` in batches of 100 from 4 concurrent writers (as the group commits
 *   send them), into the loaded table. Target >= 5,000 entries/s. Baseline: the same statement
 *   with the same batches into an unpartitioned copy without any index (what the rows alone cost).
 *
 * Rows are made server-side (`insert … select … from generate_series`, chunks of 500,000,
 * deterministic so both databases get the same rows and ids), then ANALYZE. Fresh databases on
 * BENCH_DATABASE_URL, DATABASE_URL or the local server, dropped afterwards.
 *
 *   npx tsx bench/access-log.ts [--rows N] [--citizens N] [--samples N] [--explain] [--keep]
 *
 * (also BENCH_ROWS, BENCH_SAMPLES, BENCH_WRITE_ENTRIES, BENCH_ROUNDS). `--keep` leaves both
 * databases in place and prints their URLs (for experiments with psql).
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { createAccessLog, ensureAccessLogPartitions, type AccessLog, type AccessLogPageOptions, type DataAccess } from '../src/platform/access-log.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase, rows, type Database, type Db } from '../src/platform/db.ts';
import { migrate, PLATFORM_MIGRATIONS } from '../src/platform/migrate.ts';
import { createPlatform, type Platform } from '../src/platform/platform.ts';
import { fmt, median, scratchDatabase } from './lib.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ROWS = Number(arg('rows') ?? process.env.BENCH_ROWS ?? 10_000_000);
const CITIZENS = Number(arg('citizens') ?? Math.max(1000, Math.round(ROWS / 10)));
const HEAVY = 100;
const MONTHS = 24;
const SAMPLES = Number(arg('samples') ?? process.env.BENCH_SAMPLES ?? 2000);
const WRITE_ENTRIES = Number(process.env.BENCH_WRITE_ENTRIES ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRITERS = 4;
const BATCH = 100;
const CHUNK = 500_000;
const EXPLAIN = process.argv.includes('--explain');
const KEEP = process.argv.includes('--keep');
for (const [k, v] of Object.entries({ ROWS, CITIZENS, SAMPLES })) if (!Number.isInteger(v) || v <= 0) throw new Error(`${k} must be a positive whole number`);

const READERS = ['KR/GOV/MOHW/welfare-services', 'KR/GOV/NTS/tax-registry', 'KR/GOV/MOIS/resident-registry', 'official:7', 'oidc:gov24'];
const INSTITUTIONS = ['MOHW', 'NTS', 'MOIS', 'SEOUL', 'MOIS'];
const CHANNELS = ['exchange', 'exchange', 'registry-api', 'portal', 'oidc'];
const SERVICES = ['KR/GOV/MOIS/resident-registry/resident', 'KR/GOV/NTS/tax-registry/tax', 'KR/GOV/MOHW/welfare-registry/income', 'identity.oidc'];
const PURPOSES = ['기초연금 자격 확인', '세무 조사', '긴급복지 지원', '민원 처리', 'sign-in (single sign-on)', '주민등록 확인'];
const BASES = ['기초연금법 제10조', '국세기본법 제81조', '긴급복지지원법 제7조', '민원처리법 제10조'];
const list = (xs: string[]) => sql.raw(`array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`);

/** A citizen id as the load makes it (md5 of a label as a UUID), so samples can be named in JS. */
const citizenId = (label: string) => {
  const h = createHash('md5').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/**
 * Rows lo..hi of the synthetic log, in time order (as the log is written), each value a hash of
 * the row number: the same rows and ids in every database. One row in 100 belongs to one of
 * the HEAVY citizens.
 */
function chunk(lo: number, hi: number, t0: number, span: number): SQL {
  const h = (k: number) => sql.raw(`(hashint8(g + ${k})::bigint & 2147483647)`);
  return sql`insert into platform.data_access
      (at, citizen_id, reader, institution, application, service, items, purpose, legal_basis, consent_id, x_road_id, channel)
    select to_timestamp(${t0}::float8 + ${span}::float8 * (g - 1) / ${ROWS}::float8),
           md5(case when g % 100 = 0 then 'h' || (${h(0)} % ${HEAVY}) else 'c' || (${h(0)} % ${CITIZENS}) end)::uuid::text,
           (${list(READERS)})[1 + r], (${list(INSTITUTIONS)})[1 + r], case when r = 0 then '복지로' end,
           (${list(SERVICES)})[1 + s],
           case s when 0 then array['name','roadAddress','sido'] when 1 then array['arrears'] when 2 then array['medianIncomePercent'] else array['name','birthDate'] end,
           (${list(PURPOSES)})[1 + u], case when u < 4 then (${list(BASES)})[1 + u] end, case when u >= 4 then 'consent-' || g end,
           case when r < 2 then 'bench-' || g end, (${list(CHANNELS)})[1 + r]
    from generate_series(${lo}::bigint, ${hi}::bigint) g,
         lateral (select (${h(1)} % 5)::int as r, (${h(2)} % 4)::int as s, (${h(3)} % 6)::int as u) x`;
}

async function load(db: Db, t0: number, span: number, label: string): Promise<number> {
  const start = performance.now();
  for (let lo = 1; lo <= ROWS; lo += CHUNK) {
    const hi = Math.min(ROWS, lo + CHUNK - 1);
    await db.execute(chunk(lo, hi, t0, span));
    if (hi % (CHUNK * 4) === 0 || hi === ROWS) console.log(`    ${label}: ${fmt(hi)} rows, ${fmt((performance.now() - start) / 1000, 0)} s`);
  }
  return (performance.now() - start) / 1000;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

interface Query {
  kind: string;
  citizen: string;
  opts: AccessLogPageOptions;
  /** page 3 by cursor: the cursor is found in each database first (not timed) */
  cursorPages?: number;
}

async function withCursor(log: AccessLog, q: Query): Promise<AccessLogPageOptions> {
  let opts = q.opts;
  for (let i = 0; i < (q.cursorPages ?? 0); i++) {
    const page = await log.forCitizen(q.citizen, opts);
    opts = { ...q.opts, before: page[page.length - 1]?.id ?? 0 };
  }
  return opts;
}

/** The SQL that `fn` would run on `db`, captured instead of run. */
async function captured(fn: (db: Db) => Promise<unknown>): Promise<SQL> {
  let q: SQL | undefined;
  await fn({ execute: async (s: SQL) => ((q = s), { rows: [] }) } as unknown as Db);
  return q!;
}

/** `q` with its target table changed, as one drizzle statement with the same parameters. */
function retarget(q: SQL, from: string, to: string): SQL {
  const { sql: text, params } = new PgDialect().sqlToQuery(q);
  const parts = text.replace(from, to).split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 ? sql`${params[Number(part) - 1]}` : sql.raw(part))));
}

async function writers(batches: Array<() => Promise<unknown>>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < batches.length) await batches[next++]!();
    }),
  );
  return (batches.length * BATCH) / ((performance.now() - t0) / 1000);
}

const size = async (db: Db, rel: string) =>
  Number((await rows<{ b: string }>(db, sql`select ${sql.raw(rel)}::text as b`))[0]!.b) / 2 ** 30;

const scratch = await scratchDatabase();
const scratchFlat = await scratchDatabase();
const dataDir = await mkdtemp(path.join(tmpdir(), 'hanaro-bench-access-log-'));
const oldMigrations = await mkdtemp(path.join(tmpdir(), 'hanaro-bench-access-log-mig-'));
let platform: Platform | undefined;
let flat: Database | undefined;
try {
  platform = await createPlatform(
    await loadConfig({
      DATABASE_URL: scratch.url,
      HANARO_DATA_DIR: dataDir,
      HANARO_MASTER_KEY: randomBytes(32).toString('base64'),
      HANARO_COOKIE_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
    }),
    { modules: [] },
  );
  // the baseline: the schema as it was before migration 0006, with the page's key as its index
  for (const f of (await readdir(PLATFORM_MIGRATIONS.dir)).filter((n) => /^000[1-5]_.*\.sql$/.test(n))) {
    await copyFile(path.join(PLATFORM_MIGRATIONS.dir, f), path.join(oldMigrations, f));
  }
  flat = await openDatabase({ databaseUrl: scratchFlat.url, dataDir: 'memory://', poolMax: 10 });
  await migrate(flat, [{ owner: 'platform', dir: oldMigrations }]);
  await flat.db.execute(sql`drop index platform.data_access_citizen`);
  await flat.db.execute(sql`create index data_access_citizen_at on platform.data_access (citizen_id, at, id)`);
  const db = platform.db;
  const log = platform.accessLog;
  const flatLog = createAccessLog(flat.db);
  const [version] = await rows<{ v: string }>(db, sql`select current_setting('server_version') as v`);

  // ---- load -----------------------------------------------------------------------------------
  const now = Date.now() / 1000;
  const start = new Date();
  start.setUTCMonth(start.getUTCMonth() - MONTHS);
  const t0 = start.getTime() / 1000;
  const span = now - t0 - 60;
  await ensureAccessLogPartitions(db, { from: start });
  console.log(`loading ${fmt(ROWS)} rows over ${MONTHS} months, ${fmt(CITIZENS)} citizens + ${HEAVY} heavy (both databases at once)`);
  const [loadPart, loadFlat] = await Promise.all([load(db, t0, span, 'partitioned'), load(flat.db, t0, span, 'unpartitioned')]);
  const a0 = performance.now();
  await Promise.all([db.execute(sql`analyze platform.data_access`), flat.db.execute(sql`analyze platform.data_access`)]);
  const analyzeS = (performance.now() - a0) / 1000;
  const [parts] = await rows<{ n: number }>(db, sql`select count(*)::int as n from pg_inherits where inhparent = 'platform.data_access'::regclass`);
  const partBytes = await rows<{ heap: string; idx: string }>(
    db,
    sql`select sum(pg_table_size(inhrelid))::text as heap, sum(pg_indexes_size(inhrelid))::text as idx from pg_inherits where inhparent = 'platform.data_access'::regclass`,
  );
  const flatHeap = await size(flat.db, `pg_table_size('platform.data_access')`);
  const flatKey = await size(flat.db, `pg_relation_size('platform.data_access_citizen_at')`);

  // ---- pages ----------------------------------------------------------------------------------
  const day = 86_400_000;
  const queries: Query[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const c = citizenId(`c${Math.floor(Math.random() * CITIZENS)}`);
    const kinds: Array<[string, AccessLogPageOptions]> = [
      ['newest 50', {}],
      ['last 90 days', { from: new Date(Date.now() - 90 * day) }],
      ['one institution', { institution: 'MOHW' }],
      ['one purpose, a year', { purpose: PURPOSES[0]!, from: new Date(Date.now() - 365 * day) }],
    ];
    const [kind, opts] = kinds[i % kinds.length]!;
    queries.push({ kind, citizen: c, opts: { ...opts, limit: 50 } });
  }
  const mid = new Date(start);
  mid.setUTCMonth(mid.getUTCMonth() + 12);
  const midEnd = new Date(mid);
  midEnd.setUTCMonth(midEnd.getUTCMonth() + 1);
  for (let h = 0; h < HEAVY; h++) {
    const c = citizenId(`h${h}`);
    queries.push({ kind: 'heavy: newest 50', citizen: c, opts: { limit: 50 } });
    queries.push({ kind: 'heavy: page 3 (cursor)', citizen: c, opts: { limit: 50 }, cursorPages: 2 });
    queries.push({ kind: 'heavy: one institution', citizen: c, opts: { limit: 50, institution: 'NTS' } });
    queries.push({ kind: 'heavy: one month', citizen: c, opts: { limit: 50, from: mid, to: midEnd } });
  }
  // warm up both (plans, caches, pools)
  for (const q of queries.slice(0, 200)) await Promise.all([log.forCitizen(q.citizen, q.opts), flatLog.forCitizen(q.citizen, q.opts)]);
  const times = new Map<string, { part: number[]; flat: number[] }>();
  let same = 0;
  let found = 0;
  const select1: number[] = [];
  for (const [i, q] of queries.entries()) {
    const [po, fo] = [await withCursor(log, q), await withCursor(flatLog, q)];
    const timed = async (l: AccessLog, o: AccessLogPageOptions) => {
      const t = performance.now();
      const r = await l.forCitizen(q.citizen, o);
      return { ms: performance.now() - t, ids: r.map((x) => x.id).join(), n: r.length };
    };
    // alternate which goes first, so a noisy moment hits both alike
    let p: Awaited<ReturnType<typeof timed>>;
    let f: typeof p;
    if (i % 2) {
      p = await timed(log, po);
      f = await timed(flatLog, fo);
    } else {
      f = await timed(flatLog, fo);
      p = await timed(log, po);
    }
    const t = times.get(q.kind) ?? { part: [], flat: [] };
    t.part.push(p.ms);
    t.flat.push(f.ms);
    times.set(q.kind, t);
    if (p.ids === f.ids) same++;
    found += p.n;
    if (i % 10 === 0) {
      const s = performance.now();
      await db.execute(sql`select 1`);
      select1.push(performance.now() - s);
    }
  }
  const concurrent = async (l: AccessLog) => {
    let next = 0;
    const t = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < SAMPLES) {
        const q = queries[next++]!;
        await l.forCitizen(q.citizen, q.opts);
      }
    }));
    return SAMPLES / ((performance.now() - t) / 1000);
  };
  const conc = { part: await concurrent(log), flat: await concurrent(flatLog) };

  // ---- writes ---------------------------------------------------------------------------------
  await db.execute(sql`create schema bench_plain`);
  await db.execute(sql`create table bench_plain.data_access (like platform.data_access including defaults)`);
  const entries = (): DataAccess[] =>
    Array.from({ length: BATCH }, () => {
      const r = Math.floor(Math.random() * READERS.length);
      const u = Math.floor(Math.random() * PURPOSES.length);
      return {
        citizenId: citizenId(`c${Math.floor(Math.random() * CITIZENS)}`),
        reader: READERS[r]!, institution: INSTITUTIONS[r]!, service: SERVICES[r % SERVICES.length]!, items: ['name', 'roadAddress', 'sido'],
        purpose: PURPOSES[u]!, legalBasis: BASES[u], xRoadId: r < 2 ? randomBytes(8).toString('hex') : undefined, channel: CHANNELS[r]!,
      };
    });
  const writeRounds: Array<{ part: number; plain: number }> = [];
  const batchesPerRound = Math.max(WRITERS, Math.round(WRITE_ENTRIES / BATCH));
  for (let r = 0; r < ROUNDS; r++) {
    const mine = Array.from({ length: batchesPerRound }, entries);
    const plain = await Promise.all(
      Array.from({ length: batchesPerRound }, async () => retarget(await captured((d) => log.record(entries(), d)), 'insert into platform.data_access', 'insert into bench_plain.data_access')),
    );
    const part = await writers(mine.map((e) => () => log.record(e)));
    const base = await writers(plain.map((q) => () => db.execute(q)));
    writeRounds.push({ part, plain: base });
  }
  const wPart = median(writeRounds.map((w) => w.part));
  const wPlain = median(writeRounds.map((w) => w.plain));

  if (EXPLAIN) {
    for (const q of [queries[0]!, queries.find((x) => x.cursorPages)!]) {
      const o = await withCursor(log, q);
      const text = await captured((d) => createAccessLog(d).forCitizen(q.citizen, o));
      const plan = await rows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, buffers, costs off) ${text}`);
      console.log(`\n  plan of "${q.kind}":\n${plan.map((l) => `    ${l['QUERY PLAN']}`).join('\n')}`);
    }
  }

  // ---- report ---------------------------------------------------------------------------------
  const all = { part: [...times.values()].flatMap((t) => t.part), flat: [...times.values()].flatMap((t) => t.flat) };
  const p95 = pct(all.part, 95);
  const line = (label: string, t: { part: number[]; flat: number[] }) =>
    `    ${label.padEnd(24)} ${String(t.part.length).padStart(5)}  ${[50, 95, 99].map((p) => fmt(pct(t.part, p), 2).padStart(6)).join(' ')}   ${[50, 95, 99].map((p) => fmt(pct(t.flat, p), 2).padStart(6)).join(' ')}   ${fmt(median(t.part) / median(t.flat), 2)}`;
  console.log(`\naccess-log benchmark: real PostgreSQL ${version!.v}, ${fmt(ROWS)} rows over ${MONTHS} months, ${fmt(CITIZENS)} citizens + ${HEAVY} heavy`);
  console.log(`  load (both databases at once): partitioned ${fmt(loadPart)} s (${fmt(ROWS / loadPart)} rows/s), unpartitioned ${fmt(loadFlat)} s; analyze ${fmt(analyzeS, 1)} s`);
  console.log(`  partitioned: ${parts!.n} partitions, ${fmt(Number(partBytes[0]!.heap) / 2 ** 30, 2)} GB rows + ${fmt(Number(partBytes[0]!.idx) / 2 ** 30, 2)} GB key; unpartitioned: ${fmt(flatHeap, 2)} GB rows + ${fmt(flatKey, 2)} GB key`);
  console.log(`  (b) citizen page, forCitizen limit 50, one at a time, ms (select 1 on the same pool: p50 ${fmt(median(select1), 3)} ms)`);
  console.log(`    ${'kind'.padEnd(24)} ${'n'.padStart(5)}  ${'partitioned p50/p95/p99'.padStart(20)}   ${'unpartitioned p50/p95/p99'.padStart(20)}   ratio p50`);
  for (const [k, t] of times) console.log(line(k, t));
  console.log(line('all', all));
  console.log(`    same records in both: ${fmt(same)}/${fmt(queries.length)} pages (${fmt(found)} records)`);
  console.log(`    8 at once: ${fmt(conc.part)} pages/s, unpartitioned ${fmt(conc.flat)} pages/s (ratio ${fmt(conc.part / conc.flat, 2)})`);
  console.log(`    target p95 < 100 ms                  ${fmt(p95, 2)} ms  ${p95 < 100 && same === queries.length ? 'PASS' : 'FAIL'}`);
  console.log(`  (a) writes: accessLog.record, ${WRITERS} writers, batches of ${BATCH}, ${ROUNDS} rounds of ${fmt(batchesPerRound * BATCH)}, medians`);
  console.log(`    partitioned, keyed (accessLog.record)       ${fmt(wPart)} entries/s   (rounds ${writeRounds.map((w) => fmt(w.part)).join(', ')})`);
  console.log(`    unpartitioned, no index (same statement)    ${fmt(wPlain)} entries/s   (rounds ${writeRounds.map((w) => fmt(w.plain)).join(', ')})   ratio ${fmt(wPart / wPlain, 2)}`);
  console.log(`    target >= 5,000 entries/s                   ${wPart >= 5000 ? 'PASS' : 'FAIL'}`);
  if (KEEP) console.log(`  kept: ${scratch.url} (partitioned), ${scratchFlat.url} (unpartitioned)`);
} finally {
  await platform?.close();
  await flat?.close();
  if (!KEEP) await Promise.all([scratch.drop(), scratchFlat.drop()]);
  await rm(dataDir, { recursive: true, force: true });
  await rm(oldMigrations, { recursive: true, force: true });
}
