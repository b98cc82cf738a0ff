import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessLog, ensureAccessLogPartitions, type DataAccess, type DataAccessRecord } from './access-log.ts';
import type { Db } from './db.ts';
import { rows } from './db.ts';
import { migrate, PLATFORM_MIGRATIONS } from './migrate.ts';
import { testDatabase, testPlatform, type TestPlatform } from './testing.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform();
});
afterAll(() => p.dispose());

const citizen = '6f1c1d5e-8a51-4f0e-9b1f-3f7c2a4d9e01';
const other = '0b7e3a55-2c9d-4d52-8d0b-6f5f2f0d6a11';

describe('access log', () => {
  it('records a batch in one statement and returns a citizen’s records newest first', async () => {
    await p.accessLog.record([
      { citizenId: citizen, reader: 'KR/GOV/MOHW/welfare-services', institution: 'MOHW', service: 'KR/GOV/MOIS/resident-registry/resident', items: ['name', 'roadAddress'], purpose: '기초연금 자격 확인', legalBasis: '기초연금법 제10조', xRoadId: 'x-1', channel: 'exchange' },
      { citizenId: other, reader: 'KR/GOV/NTS/tax-registry', institution: 'NTS', service: 'KR/GOV/NTS/tax-registry/tax', items: ['arrears'], purpose: 'registry administration', channel: 'registry-api' },
      { citizenId: citizen, reader: 'official:7', institution: 'SEOUL', service: 'KR/GOV/MOHW/welfare-registry/income', items: ['medianIncomePercent'], purpose: '긴급복지 지원', consentId: 'c-9', channel: 'portal' },
    ]);
    const mine = await p.accessLog.forCitizen(citizen);
    expect(mine.map((r) => r.reader)).toEqual(['official:7', 'KR/GOV/MOHW/welfare-services']);
    expect(mine[1]).toMatchObject({ items: ['name', 'roadAddress'], legalBasis: '기초연금법 제10조', consentId: null, xRoadId: 'x-1', channel: 'exchange' });
    expect(mine[0]).toMatchObject({ consentId: 'c-9', legalBasis: null, application: null });
    expect(mine[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await p.accessLog.forCitizen(other)).map((r) => r.items)).toEqual([['arrears']]);
  });

  it('pages with before and filters by reader', async () => {
    const all = await p.accessLog.forCitizen(citizen);
    const next = await p.accessLog.forCitizen(citizen, { before: all[0]!.id, limit: 1 });
    expect(next.map((r) => r.id)).toEqual([all[1]!.id]);
    expect((await p.accessLog.forCitizen(citizen, { reader: 'official:7' })).length).toBe(1);
    expect((await p.accessLog.forCitizen(citizen, { service: 'KR/GOV/MOIS/resident-registry/resident' })).map((r) => r.reader)).toEqual(['KR/GOV/MOHW/welfare-services']);
  });

  it('writes inside the caller’s transaction, so a rolled back read leaves no record', async () => {
    const lonely = '9d1c1d5e-8a51-4f0e-9b1f-3f7c2a4d9e02';
    await expect(
      p.db.transaction(async (tx) => {
        await p.accessLog.record([{ citizenId: lonely, reader: 'r', institution: 'i', service: 's', items: [], purpose: 'p', channel: 'exchange' }], tx as unknown as Db);
        throw new Error('the read failed');
      }),
    ).rejects.toThrow('the read failed');
    expect(await p.accessLog.forCitizen(lonely)).toEqual([]);
    const [n] = await rows<{ n: number }>(p.db, sql`select count(*)::int as n from platform.data_access where citizen_id = ${lonely}`);
    expect(n!.n).toBe(0);
  });

  it('is append-only: a record cannot be changed, deleted or truncated away', async () => {
    const [first] = await p.accessLog.forCitizen(citizen, { limit: 1 });
    // drizzle wraps the database's error: its message is the cause's
    const refusal = (q: ReturnType<typeof sql>) =>
      p.db.execute(q).then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => (e.cause ?? e).message,
      );
    expect(await refusal(sql`update platform.data_access set reader = 'nobody' where id = ${first!.id}`)).toMatch(/append-only/);
    expect(await refusal(sql`delete from platform.data_access where id = ${first!.id}`)).toMatch(/append-only/);
    expect(await refusal(sql`truncate platform.data_access`)).toMatch(/append-only/);
    expect((await p.accessLog.forCitizen(citizen, { limit: 1 }))[0]).toEqual(first);
  });
});

/** The error a statement fails with (drizzle wraps the database's), or 'accepted'. */
const refusal = (db: Db, q: SQL) =>
  db.execute(q).then(
    () => ({ code: 'accepted', message: '' }),
    (e: Error & { cause?: Error & { code?: string }; code?: string }) => ({ code: (e.cause ?? e).code, message: (e.cause ?? e).message }),
  );

const partitionOf = async (db: Db, citizenId: string) =>
  (await rows<{ part: string }>(db, sql`select tableoid::regclass::text as part from platform.data_access where citizen_id = ${citizenId} order by id`)).map((r) => r.part);

const monthName = (d: Date) => `platform.data_access_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
const utc = (y: number, m: number, day = 1) => new Date(Date.UTC(y, m - 1, day));
const entry = (citizenId: string, at: Date, more: Partial<DataAccess> = {}): DataAccess => ({
  citizenId, reader: 'KR/GOV/MOHW/welfare-services', institution: 'MOHW', service: 'KR/GOV/MOIS/resident-registry/resident', items: ['name'], purpose: '기초연금 자격 확인', channel: 'exchange', at, ...more,
});

describe('access log partitions', () => {
  it('is range-partitioned by month, with this month and three ahead created at start and a default partition', async () => {
    const parts = await rows<{ name: string; bound: string }>(
      p.db,
      sql`select c.oid::regclass::text as name, pg_get_expr(c.relpartbound, c.oid) as bound
          from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'platform.data_access'::regclass order by 1`,
    );
    const now = new Date();
    for (let i = 0; i <= 3; i++) expect(parts.map((x) => x.name)).toContain(monthName(utc(now.getUTCFullYear(), now.getUTCMonth() + 1 + i)));
    expect(parts.find((x) => x.name === 'platform.data_access_default')?.bound).toBe('DEFAULT');
    const [kind] = await rows<{ strategy: string }>(p.db, sql`select partstrat::text as strategy from pg_partitioned_table where partrelid = 'platform.data_access'::regclass`);
    expect(kind?.strategy).toBe('r');
  });

  it('routes a record to its month, and one with no month partition to the default partition', async () => {
    const who = 'routing-1';
    await ensureAccessLogPartitions(p.db, { from: utc(2024, 2) });
    await p.accessLog.record([
      entry(who, utc(2024, 2, 10)),
      entry(who, new Date()),
      entry(who, utc(2001, 5, 5)), // before every partition
      entry(who, utc(2199, 1, 1)), // far beyond the months created ahead
    ]);
    expect(await partitionOf(p.db, who)).toEqual(['platform.data_access_2024_02', monthName(new Date()), 'platform.data_access_default', 'platform.data_access_default']);
    expect((await p.accessLog.forCitizen(who)).map((r) => r.at.slice(0, 7))).toEqual(['2199-01', new Date().toISOString().slice(0, 7), '2024-02', '2001-05']);
  });

  it('creates partitions idempotently and moves a month\'s strays out of the default partition', async () => {
    const who = 'strays-1';
    const now = new Date();
    const ahead = utc(now.getUTCFullYear(), now.getUTCMonth() + 1 + 8, 3);
    expect(await ensureAccessLogPartitions(p.db)).toEqual({ created: [], moved: 0 });
    await p.accessLog.record([entry(who, ahead), entry(who, new Date(ahead.getTime() + 1000)), entry(who, utc(2199, 2, 2))]);
    const before = await p.accessLog.forCitizen(who);
    expect(await partitionOf(p.db, who)).toEqual(Array(3).fill('platform.data_access_default'));

    const made = await ensureAccessLogPartitions(p.db, { monthsAhead: 8 });
    expect(made.created).toContain(monthName(ahead).replace('platform.', ''));
    expect(made.moved).toBe(2);
    expect(await ensureAccessLogPartitions(p.db, { monthsAhead: 8 })).toEqual({ created: [], moved: 0 });
    // same records, same ids, now in their month; the far one stays in the default partition
    expect(await partitionOf(p.db, who)).toEqual([monthName(ahead), monthName(ahead), 'platform.data_access_default']);
    expect(await p.accessLog.forCitizen(who)).toEqual(before);
    // the default partition, detached and attached again on the way, is guarded as before
    expect(await refusal(p.db, sql`delete from platform.data_access_default where citizen_id = ${who}`)).toMatchObject({ code: 'HN002' });
    expect(await refusal(p.db, sql`truncate platform.data_access_default`)).toMatchObject({ code: 'HN002' });
  });

  it('is append-only on the parent and on every partition, with the same error code', async () => {
    const who = 'guard-1';
    await p.accessLog.record([entry(who, new Date()), entry(who, utc(2024, 2, 11))]);
    const [first] = await p.accessLog.forCitizen(who, { limit: 1 });
    const month = monthName(new Date());
    for (const q of [
      sql`update platform.data_access set reader = 'nobody' where citizen_id = ${who}`,
      sql`update platform.data_access set at = ${utc(2024, 2, 12).toISOString()}::timestamptz where citizen_id = ${who}`,
      sql`delete from platform.data_access where citizen_id = ${who}`,
      sql`delete from ${sql.raw(month)} where citizen_id = ${who}`,
      sql`update platform.data_access_2024_02 set purpose = 'x' where citizen_id = ${who}`,
      sql`truncate platform.data_access`,
      sql`truncate ${sql.raw(month)}`,
      sql`truncate platform.data_access_2024_02`,
    ]) {
      expect(await refusal(p.db, q)).toEqual({ code: 'HN002', message: 'platform.data_access is append-only' });
    }
    expect((await p.accessLog.forCitizen(who, { limit: 1 }))[0]).toEqual(first);
    expect(await p.accessLog.forCitizen(who)).toHaveLength(2);
  });
});

describe('a citizen\'s pages', () => {
  const who = 'pages-1';
  let all: DataAccessRecord[];
  const readers = ['KR/GOV/MOHW/welfare-services', 'KR/GOV/NTS/tax-registry', 'official:7'];
  const institutions = ['MOHW', 'NTS', 'SEOUL'];
  const purposes = ['기초연금 자격 확인', '세무 조사', '긴급복지 지원'];
  const services = ['KR/GOV/MOIS/resident-registry/resident', 'KR/GOV/NTS/tax-registry/tax'];

  beforeAll(async () => {
    await ensureAccessLogPartitions(p.db, { from: utc(2025, 1) });
    // 40 records over three months, in batches written out of time order (a later id with an
    // earlier time, as concurrent requests give), several sharing one millisecond
    const base = utc(2025, 1, 20).getTime();
    const batch = (k: number) =>
      Array.from({ length: 10 }, (_, i) => {
        const n = k * 10 + i;
        return entry(who, new Date(base + ((n * 7919) % 40) * 86_400_000 * 1.7 + (n % 3 === 0 ? 0 : 500)), {
          reader: readers[n % 3]!, institution: institutions[n % 3]!, purpose: purposes[n % 3]!, service: services[n % 2]!,
        });
      });
    for (const k of [2, 0, 3, 1]) await p.accessLog.record(batch(k));
    // two records in one millisecond, microseconds apart, the later one with the smaller id
    await p.db.execute(sql`insert into platform.data_access (at, citizen_id, reader, institution, service, items, purpose, channel) values
      ('2025-02-14T10:00:00.123789Z', ${who}, 'official:7', 'SEOUL', 'svc', '{}', 'p', 'portal'),
      ('2025-02-14T10:00:00.123456Z', ${who}, 'official:7', 'SEOUL', 'svc', '{}', 'p', 'portal')`);
    all = [];
    for await (const r of p.accessLog.streamForCitizen(who)) all.push(r);
  });

  /** The records in page order as the database holds them, checked independently of the query. */
  const expected = async (where: SQL = sql``) =>
    (await rows<{ id: string }>(p.db, sql`select id::text as id from platform.data_access where citizen_id = ${who} ${where} order by at desc, id desc`)).map((r) => Number(r.id));

  const pageThrough = async (opts: Parameters<TestPlatform['accessLog']['forCitizen']>[1], size: number) => {
    const seen: number[] = [];
    for (let page = await p.accessLog.forCitizen(who, { ...opts, limit: size }); page.length; ) {
      expect(page.length).toBeLessThanOrEqual(size);
      seen.push(...page.map((r) => r.id));
      page = await p.accessLog.forCitizen(who, { ...opts, limit: size, before: seen[seen.length - 1] });
    }
    return seen;
  };

  it('orders by time, then id, and pages with an id cursor without losing or repeating a record', async () => {
    expect(all).toHaveLength(42);
    expect(all.map((r) => r.id)).toEqual(await expected());
    // out of time order on purpose: ordering by id alone would differ
    expect([...all.map((r) => r.id)].sort((a, b) => b - a)).not.toEqual(all.map((r) => r.id));
    for (const size of [1, 3, 7, 50]) expect(await pageThrough({}, size)).toEqual(all.map((r) => r.id));
    expect((await p.accessLog.forCitizen(who, { limit: 50 })).map((r) => r.id)).toEqual(all.map((r) => r.id));
  });

  it('filters by time, reader, institution, service and purpose, alone and together', async () => {
    const from = utc(2025, 2, 1);
    const to = utc(2025, 3, 1);
    const cases: Array<[Parameters<TestPlatform['accessLog']['forCitizen']>[1], SQL]> = [
      [{ from }, sql`and at >= ${from.toISOString()}::timestamptz`],
      [{ to }, sql`and at < ${to.toISOString()}::timestamptz`],
      [{ from, to }, sql`and at >= ${from.toISOString()}::timestamptz and at < ${to.toISOString()}::timestamptz`],
      [{ reader: 'official:7' }, sql`and reader = 'official:7'`],
      [{ institution: 'NTS' }, sql`and institution = 'NTS'`],
      [{ service: services[1] }, sql`and service = ${services[1]}`],
      [{ purpose: '기초연금 자격 확인' }, sql`and purpose = '기초연금 자격 확인'`],
      [{ institution: 'MOHW', service: services[0], from }, sql`and institution = 'MOHW' and service = ${services[0]} and at >= ${from.toISOString()}::timestamptz`],
      [{ reader: 'nobody' }, sql`and false`],
    ];
    for (const [opts, where] of cases) {
      const want = await expected(where);
      expect((await p.accessLog.forCitizen(who, { ...opts, limit: 500 })).map((r) => r.id), JSON.stringify(opts)).toEqual(want);
      expect(await pageThrough(opts, 4), JSON.stringify(opts)).toEqual(want);
      const streamed: number[] = [];
      for await (const r of p.accessLog.streamForCitizen(who, opts, 3)) streamed.push(r.id);
      expect(streamed, JSON.stringify(opts)).toEqual(want);
    }
    // from is inclusive, to exclusive
    const [edge] = all;
    const at = new Date(edge!.at);
    expect((await p.accessLog.forCitizen(who, { from: at })).map((r) => r.id)).toContain(edge!.id);
    expect((await p.accessLog.forCitizen(who, { to: at })).map((r) => r.id)).not.toContain(edge!.id);
  });

  it('keeps microseconds in the cursor: two records in one millisecond page apart', async () => {
    const twins = all.filter((r) => r.at === '2025-02-14T10:00:00.123Z');
    expect(twins).toHaveLength(2);
    // the later one in time (…789) was written first: it has the smaller id and still comes first
    const [a] = await p.accessLog.forCitizen(who, { reader: 'official:7', service: 'svc', limit: 1 });
    const [b] = await p.accessLog.forCitizen(who, { reader: 'official:7', service: 'svc', limit: 1, before: a!.id });
    expect([a!.id, b!.id]).toEqual(twins.map((r) => r.id));
    expect(a!.id).toBeLessThan(b!.id);
    expect(await p.accessLog.forCitizen(who, { reader: 'official:7', service: 'svc', before: b!.id })).toEqual([]);
  });

  it('gives an empty page for a cursor that is not the citizen\'s', async () => {
    const [theirs] = await p.accessLog.forCitizen('guard-1', { limit: 1 });
    expect(await p.accessLog.forCitizen(who, { before: theirs!.id })).toEqual([]);
    expect(await p.accessLog.forCitizen(who, { before: 0 })).toEqual([]);
  });
});

describe('migration 0006 on a database with records', () => {
  it('keeps every record, its id and the id sequence', async () => {
    const database = await testDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'hanaro-access-'));
    try {
      // the platform's migrations as they were before 0006
      for (const f of (await readdir(PLATFORM_MIGRATIONS.dir)).filter((n) => /^000[1-5]_.*\.sql$/.test(n))) {
        await copyFile(path.join(PLATFORM_MIGRATIONS.dir, f), path.join(dir, f));
      }
      await migrate(database, [{ owner: 'platform', dir }]);
      const log = createAccessLog(database.db);
      await log.record([entry('m-1', utc(2023, 11, 5)), entry('m-2', new Date()), entry('m-1', new Date()), entry('m-1', utc(2199, 1, 1))]);
      await database.db.execute(sql`select nextval('platform.data_access_id_seq')`); // a gap, as a rolled-back write leaves
      const snapshot = sql`select id::text, at, citizen_id, reader, institution, application, service, items, purpose, legal_basis, consent_id, x_road_id, channel
        from platform.data_access order by id`;
      const old = await rows(database.db, snapshot);
      const [kindBefore] = await rows<{ k: string }>(database.db, sql`select relkind::text as k from pg_class where oid = 'platform.data_access'::regclass`);
      expect(kindBefore?.k).toBe('r');

      expect(await migrate(database, [PLATFORM_MIGRATIONS])).toContain('platform/0006_data_access_partitioned');
      const [kind] = await rows<{ k: string }>(database.db, sql`select relkind::text as k from pg_class where oid = 'platform.data_access'::regclass`);
      expect(kind?.k).toBe('p');
      expect(await rows(database.db, snapshot)).toEqual(old);
      expect(await rows(database.db, sql`select 1 from pg_class where relname = 'data_access_unpartitioned'`)).toEqual([]);
      // the months of the old records got partitions; the far one waits in the default partition
      expect(await partitionOf(database.db, 'm-1')).toEqual(['platform.data_access_2023_11', monthName(new Date()), 'platform.data_access_default']);

      await log.record([entry('m-1', new Date())]);
      const mine = await log.forCitizen('m-1');
      expect(mine).toHaveLength(4);
      const newest = mine.find((r) => r.at.startsWith(new Date().toISOString().slice(0, 7)) && !old.some((o) => Number((o as { id: string }).id) === r.id));
      // new ids continue after the old ones (and the gap)
      expect(newest!.id).toBe(Math.max(...old.map((o) => Number((o as { id: string }).id))) + 2);
      expect(await refusal(database.db, sql`delete from platform.data_access where citizen_id = 'm-1'`)).toMatchObject({ code: 'HN002' });
      // the sequence belongs to the new table (dropping the old one did not take it along)
      const [owner] = await rows<{ t: string }>(database.db, sql`select d.refobjid::regclass::text as t from pg_depend d
        where d.objid = 'platform.data_access_id_seq'::regclass and d.deptype = 'a'`);
      expect(owner?.t).toBe('platform.data_access');
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
