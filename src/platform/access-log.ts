import { sql } from 'drizzle-orm';
import { rows, textArray, type Db } from './db.ts';

/**
 * The personal-data access log: one record per read of a citizen's personal data, whoever read
 * it (an agency system through the mediator, an owner through its registry API, an official,
 * the platform). MyData shows a citizen their records; registries answer `myPersonalDataUsage`
 * from it. It lives in the platform because every module that reads personal data writes it.
 *
 * No personal data goes in beyond the citizen's opaque id: `items` are field names, `purpose` and
 * `legalBasis` are texts about the read, not values read.
 */
export interface DataAccess {
  citizenId: string;
  /** The client subsystem (KR/GOV/MOHW/welfare-services) or actor (official:42) that read. */
  reader: string;
  /** The reader's institution (member code, e.g. MOHW). */
  institution: string;
  /** The reading application or service, for people. */
  application?: string;
  /** What was read, e.g. the mediated service id KR/GOV/MOIS/resident-registry/resident. */
  service: string;
  /** Names of the personal-data fields returned. */
  items: string[];
  purpose: string;
  legalBasis?: string;
  consentId?: string;
  xRoadId?: string;
  /** Through what: exchange | registry-api | portal | … */
  channel: string;
  at?: Date;
}

export interface DataAccessRecord extends Required<Pick<DataAccess, 'citizenId' | 'reader' | 'institution' | 'service' | 'items' | 'purpose' | 'channel'>> {
  id: number;
  at: string;
  application: string | null;
  legalBasis: string | null;
  consentId: string | null;
  xRoadId: string | null;
}

/** What a citizen's page or export may narrow the records to (all optional, combined with AND). */
export interface AccessLogFilter {
  /** Only records at or after this time. */
  from?: Date;
  /** Only records before this time (exclusive). */
  to?: Date;
  reader?: string;
  institution?: string;
  service?: string;
  purpose?: string;
}

export interface AccessLogPageOptions extends AccessLogFilter {
  /** Page size, 1 to 500 (default 50). */
  limit?: number;
  /**
   * The id of the last record of the previous page: the page continues after it in the page's
   * order (newest first by time, then id). An id that is not this citizen's gives an empty page.
   */
  before?: number;
}

export interface AccessLog {
  /** Writes the records, inside `tx` when given (so they commit with the read's other evidence). */
  record(entries: DataAccess[], tx?: Db): Promise<void>;
  /** One page of a citizen's records, newest first (by `at`, then `id`). */
  forCitizen(citizenId: string, opts?: AccessLogPageOptions): Promise<DataAccessRecord[]>;
  /**
   * Every record of a citizen that passes `filter`, newest first, fetched `batch` at a time (for
   * CSV or JSON export: memory stays bounded however long the history is).
   */
  streamForCitizen(citizenId: string, filter?: AccessLogFilter, batch?: number): AsyncGenerator<DataAccessRecord>;
}

interface Row {
  id: string;
  at: string;
  /** `at` to the microsecond, for the export's cursor (`at` shown is to the millisecond). */
  at_exact: string;
  citizen_id: string;
  reader: string;
  institution: string;
  application: string | null;
  service: string;
  items: string[];
  purpose: string;
  legal_basis: string | null;
  consent_id: string | null;
  x_road_id: string | null;
  channel: string;
}

/** Where a page starts: after the record with this id, or after this exact (at, id). */
type Cursor = { id: number } | { atExact: string; id: string };

function toRecord(r: Row): DataAccessRecord {
  return {
    id: Number(r.id),
    at: r.at,
    citizenId: r.citizen_id,
    reader: r.reader,
    institution: r.institution,
    application: r.application,
    service: r.service,
    items: r.items,
    purpose: r.purpose,
    legalBasis: r.legal_basis,
    consentId: r.consent_id,
    xRoadId: r.x_road_id,
    channel: r.channel,
  };
}

/**
 * One page, newest first. The order is (at desc, id desc), which the key (citizen_id, at, id) of
 * every partition gives by a backward scan. Ids alone are not a safe cursor: a record carries the
 * time its request was received, so a concurrently written one may have a larger id and an
 * earlier `at`. A cursor by id is therefore resolved to that record's exact (at, id) first.
 */
async function page(db: Db, citizenId: string, f: AccessLogFilter, limit: number, cursor?: Cursor): Promise<Row[]> {
  const after =
    cursor === undefined
      ? sql``
      : 'atExact' in cursor
        ? sql`and (d.at, d.id) < (${cursor.atExact}::timestamptz, ${cursor.id}::bigint) and d.at <= ${cursor.atExact}::timestamptz`
        : // `at <=` lets the executor skip the partitions newer than the cursor
          sql`and (d.at, d.id) < (select c.at, c.id from prev c) and d.at <= (select c.at from prev c)`;
  const withCursor =
    cursor !== undefined && !('atExact' in cursor)
      ? sql`with prev as (select at, id from platform.data_access where citizen_id = ${citizenId} and id = ${cursor.id}::bigint) `
      : sql``;
  return rows<Row>(
    db,
    // the output columns `at` and `id` are texts: order and filter by the table's (d.)
    sql`${withCursor}select d.id::text as id, to_char(d.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
          to_char(d.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_exact, citizen_id, reader, institution,
          application, service, items, purpose, legal_basis, consent_id, x_road_id, channel
        from platform.data_access d
        where d.citizen_id = ${citizenId}
          ${after}
          ${f.from ? sql`and d.at >= ${f.from.toISOString()}::timestamptz` : sql``}
          ${f.to ? sql`and d.at < ${f.to.toISOString()}::timestamptz` : sql``}
          ${f.reader ? sql`and d.reader = ${f.reader}` : sql``}
          ${f.institution ? sql`and d.institution = ${f.institution}` : sql``}
          ${f.service ? sql`and d.service = ${f.service}` : sql``}
          ${f.purpose ? sql`and d.purpose = ${f.purpose}` : sql``}
        order by d.at desc, d.id desc limit ${limit}`,
  );
}

const clampLimit = (n: number | undefined, fallback: number) => {
  const v = Math.trunc(n ?? fallback);
  return Number.isFinite(v) ? Math.min(Math.max(v, 1), 500) : fallback;
};

export function createAccessLog(db: Db): AccessLog {
  return {
    async record(entries, tx) {
      if (!entries.length) return;
      const json = JSON.stringify(
        entries.map((e) => ({
          at: (e.at ?? new Date()).toISOString(),
          citizen_id: e.citizenId,
          reader: e.reader,
          institution: e.institution,
          application: e.application ?? null,
          service: e.service,
          items: e.items,
          purpose: e.purpose,
          legal_basis: e.legalBasis ?? null,
          consent_id: e.consentId ?? null,
          x_road_id: e.xRoadId ?? null,
          channel: e.channel,
        })),
      );
      // one statement for the whole batch, one parameter on both drivers
      await (tx ?? db).execute(sql`insert into platform.data_access
        (at, citizen_id, reader, institution, application, service, items, purpose, legal_basis, consent_id, x_road_id, channel)
        select r.at, r.citizen_id, r.reader, r.institution, r.application, r.service,
               array(select jsonb_array_elements_text(r.items)), r.purpose, r.legal_basis, r.consent_id, r.x_road_id, r.channel
        from jsonb_to_recordset(${json}::jsonb) as r(at timestamptz, citizen_id text, reader text, institution text, application text,
          service text, items jsonb, purpose text, legal_basis text, consent_id text, x_road_id text, channel text)`);
    },

    async forCitizen(citizenId, opts = {}) {
      const cursor = opts.before !== undefined ? { id: opts.before } : undefined;
      return (await page(db, citizenId, opts, clampLimit(opts.limit, 50), cursor)).map(toRecord);
    },

    async *streamForCitizen(citizenId, filter = {}, batch = 500) {
      const size = clampLimit(batch, 500);
      let cursor: Cursor | undefined;
      for (;;) {
        const found = await page(db, citizenId, filter, size, cursor);
        for (const r of found) yield toRecord(r);
        if (found.length < size) return;
        const last = found[found.length - 1]!;
        cursor = { atExact: last.at_exact, id: last.id };
      }
    },
  };
}

// one number for pg_advisory_xact_lock, so that processes starting together create a month once
const PARTITION_LOCK = 4_621_202_606;

/** The first day (UTC) of the month `n` months after the one holding `d`, as YYYY-MM-DD. */
function monthStart(d: Date, n = 0): string {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)).toISOString().slice(0, 10);
}

/**
 * Makes sure `platform.data_access` has a partition for every UTC month from the one holding
 * `from` (default: `now`) up to `monthsAhead` months after the current one (migration 0006).
 * Cheap when they exist (one catalogue query); otherwise it creates the missing ones under an
 * advisory lock, moving any records of those months out of the default partition
 * (`platform.data_access_add_partition`), so the default only ever holds strays. Run at start;
 * a process running longer than `monthsAhead` months writes the months after into the default
 * partition until the next start moves them.
 */
export async function ensureAccessLogPartitions(
  db: Db,
  opts: { now?: Date; monthsAhead?: number; from?: Date } = {},
): Promise<{ created: string[]; moved: number }> {
  const now = opts.now ?? new Date();
  const ahead = opts.monthsAhead ?? 3;
  const first = opts.from && opts.from < now ? opts.from : now;
  const months: string[] = [];
  for (let i = 0; ; i++) {
    const m = monthStart(first, i);
    if (m > monthStart(now, ahead)) break;
    months.push(m);
  }
  const partName = (m: string) => `data_access_${m.slice(0, 4)}_${m.slice(5, 7)}`;
  const existing = await rows<{ kind: string | null; parts: string[] | null }>(
    db,
    sql`select (select relkind::text from pg_class where oid = to_regclass('platform.data_access')) as kind,
          (select array_agg(relname::text) from pg_class where relnamespace = 'platform'::regnamespace and relname like 'data\_access\_%') as parts`,
  );
  // before migration 0006 the table is not partitioned: nothing to do
  if (existing[0]?.kind !== 'p') return { created: [], moved: 0 };
  const have = new Set(textArray(existing[0].parts));
  const missing = months.filter((m) => !have.has(partName(m)));
  if (!missing.length) return { created: [], moved: 0 };
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(${PARTITION_LOCK})`);
    const created: string[] = [];
    let moved = 0;
    for (const m of missing) {
      const [r] = await rows<{ moved: string | null }>(tx, sql`select platform.data_access_add_partition(${m}::date)::text as moved`);
      if (r?.moved === null || r?.moved === undefined) continue;
      created.push(partName(m));
      moved += Number(r.moved);
    }
    return { created, moved };
  });
}
