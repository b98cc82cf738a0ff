import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { INSTANCE } from './directory-ids.ts';
import type { Member, Names } from './directory.ts';

// The console's reads. The directory (directory.ts) owns members, services and the grant and
// revoke rules; what is here are the joined, display-shaped reads one page needs, and the
// message-log query, which must stay on the indexes whatever the filters.

const ISO = sql.raw(`'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`);
/** A timestamp as UTC ISO text, the same on both engines and drivers. */
const iso = (col: SQL) => sql`to_char(${col} at time zone 'UTC', ${ISO})`;
const list = (ids: string[]) => sql.join(
  ids.map((id) => sql`${id}`),
  sql`, `,
);

/**
 * The member an official's agency code names. Officials carry the bare member code (`MOIS`);
 * codes are unique within the instance in practice, and should two classes share one, the
 * government member is the agency meant.
 */
export async function findAgency(db: Db, code: string): Promise<Member | undefined> {
  const [r] = await rows<{ member_class: string; name_ko: string; name_en: string }>(
    db,
    sql`select member_class, name_ko, name_en from exchange.member where instance = ${INSTANCE} and member_code = ${code}
        order by member_class = 'GOV' desc, member_class limit 1`,
  );
  if (!r) return undefined;
  return {
    id: `${INSTANCE}/${r.member_class}/${code}`,
    instance: INSTANCE,
    memberClass: r.member_class,
    memberCode: code,
    name: { ko: r.name_ko, en: r.name_en },
  };
}

export interface ServiceSummary {
  id: string;
  subsystemId: string;
  subsystemCode: string;
  serviceCode: string;
  version: string;
  title: Names;
  provider: string;
  personalData: boolean;
  /** Switched off by the operators (is_disabled); named apart from KRDS's `.disabled` rules, which the stylesheet purge would otherwise keep. */
  suspended: boolean;
}

/** The member's services without their OpenAPI documents (the page links to those). */
export async function agencyServices(db: Db, m: Member): Promise<ServiceSummary[]> {
  const r = await rows<{
    subsystem_code: string;
    service_code: string;
    service_version: string;
    title_ko: string;
    title_en: string;
    provider: string;
    personal_data: boolean;
    is_disabled: boolean;
  }>(
    db,
    sql`select subsystem_code, service_code, service_version, title_ko, title_en, provider, personal_data, is_disabled
        from exchange.service where instance = ${m.instance} and member_class = ${m.memberClass} and member_code = ${m.memberCode}
        order by subsystem_code, service_code`,
  );
  return r.map((s) => ({
    id: `${m.id}/${s.subsystem_code}/${s.service_code}`,
    subsystemId: `${m.id}/${s.subsystem_code}`,
    subsystemCode: s.subsystem_code,
    serviceCode: s.service_code,
    version: s.service_version,
    title: { ko: s.title_ko, en: s.title_en },
    provider: s.provider,
    personalData: s.personal_data,
    suspended: s.is_disabled,
  }));
}

export interface RightView {
  id: number;
  serviceId: string;
  clientId: string;
  grantedAt: string;
  legalBasis: string | null;
  /** Served only under the citizen's consent (X-Hanaro-Consent). */
  requiresConsent: boolean;
  /** The service's title, when the service is still in the directory. */
  serviceTitle?: Names;
  /** The name of the member on the other side: the client's for rights granted, the provider's for rights received. */
  otherName?: Names;
}

interface RightRow {
  id: number;
  service_id: string;
  client_id: string;
  granted_at: string;
  legal_basis: string | null;
  requires_consent: boolean;
  title_ko: string | null;
  title_en: string | null;
  name_ko: string | null;
  name_en: string | null;
}

const toView = (r: RightRow): RightView => ({
  id: Number(r.id),
  serviceId: r.service_id,
  clientId: r.client_id,
  grantedAt: r.granted_at,
  legalBasis: r.legal_basis,
  requiresConsent: Boolean(r.requires_consent),
  serviceTitle: r.title_ko === null ? undefined : { ko: r.title_ko, en: r.title_en ?? '' },
  otherName: r.name_ko === null ? undefined : { ko: r.name_ko, en: r.name_en ?? '' },
});

// ids are split back into their parts to reach the directory rows through their primary keys
const SERVICE_OF = sql`left join exchange.service s on s.instance = split_part(r.service_id, '/', 1)
  and s.member_class = split_part(r.service_id, '/', 2) and s.member_code = split_part(r.service_id, '/', 3)
  and s.subsystem_code = split_part(r.service_id, '/', 4) and s.service_code = split_part(r.service_id, '/', 5)`;
const memberOfCol = (col: SQL) => sql`left join exchange.member m on m.instance = split_part(${col}, '/', 1)
  and m.member_class = split_part(${col}, '/', 2) and m.member_code = split_part(${col}, '/', 3)`;

/** Active rights on the given services (the member's own), by the unique index on (service_id, client_id). */
export async function rightsGranted(db: Db, serviceIds: string[]): Promise<RightView[]> {
  if (!serviceIds.length) return [];
  const r = await rows<RightRow>(
    db,
    sql`select r.id, r.service_id, r.client_id, ${iso(sql`r.granted_at`)} as granted_at, r.legal_basis, r.requires_consent,
          s.title_ko, s.title_en, m.name_ko, m.name_en
        from exchange.access_right r ${SERVICE_OF} ${memberOfCol(sql`r.client_id`)}
        where r.service_id in (${list(serviceIds)}) and r.revoked_at is null
        order by r.service_id, r.client_id`,
  );
  return r.map(toView);
}

/** Active rights held by the given client subsystems (the member's own), by the index on client_id. */
export async function rightsReceived(db: Db, subsystemIds: string[]): Promise<RightView[]> {
  if (!subsystemIds.length) return [];
  const r = await rows<RightRow>(
    db,
    sql`select r.id, r.service_id, r.client_id, ${iso(sql`r.granted_at`)} as granted_at, r.legal_basis, r.requires_consent,
          s.title_ko, s.title_en, m.name_ko, m.name_en
        from exchange.access_right r ${SERVICE_OF} ${memberOfCol(sql`r.service_id`)}
        where r.client_id in (${list(subsystemIds)}) and r.revoked_at is null
        order by r.service_id, r.client_id`,
  );
  return r.map(toView);
}

// ---- the message log ---------------------------------------------------------------------------

export interface LogFilter {
  service?: string;
  client?: string;
  status?: 'ok' | 'error';
  /** YYYY-MM-DD, a day in Asia/Seoul, inclusive. */
  from?: string;
  to?: string;
  xRoadId?: string;
  /** Keyset: entries older than this seq (the next page) … */
  before?: string;
  /** … or newer than it (the previous page). */
  after?: string;
}

export interface LogEntry {
  seq: string;
  xRoadId: string;
  at: string;
  clientId: string;
  serviceId: string;
  userId: string | null;
  method: string;
  path: string;
  status: number;
  error: string | null;
  durationMs: number;
}

export interface LogPage {
  entries: LogEntry[];
  /** The `after` of the page of newer entries, if there is one. */
  newer?: string;
  /** The `before` of the page of older entries, if there is one. */
  older?: string;
}

/** Where the member takes part: as the client (its subsystems) or as the provider (its services). */
export interface LogScope {
  subsystems: string[];
  services: string[];
}

const COLUMNS = sql`seq::text as seq, x_road_id, ${iso(sql`at`)} as at, client_id, service_id, user_id, method, path, status, error,
  duration_ms`;

/** The first instant of a Seoul day, and of the day after. */
const seoulDay = (day: string, plus = 0) => new Date(Date.parse(`${day}T00:00:00+09:00`) + plus * 86_400_000).toISOString();

/**
 * One page of the log entries the member takes part in, newest first, keyset-paged on seq.
 *
 * Indexed whatever the filters: `message_log` has (client_id, seq) and (service_id, seq), so
 * the query never asks for "any client starting with KR/GOV/MOIS/" (a LIKE, or a range whose
 * bounds depend on the collation) but names the member's subsystems and services one by one.
 * Without a filter that pins one id, each of them is one backward index scan of at most a page
 * (a UNION of small LIMITed scans), so a page costs the same at a thousand or a billion
 * entries. An X-Road-Id goes through its own index; a service or client filter pins one index
 * range; the date and status filters are checked on the rows those scans reach.
 */
export async function messageLog(db: Db, scope: LogScope, f: LogFilter, size = 20): Promise<LogPage> {
  const q = messageLogQuery(scope, f, size);
  return q ? toPage(await rows<LogRow>(db, q), f, size) : { entries: [] };
}

/** `after` alone asks for the page of newer entries (read oldest first, shown newest first). */
const isNewerPage = (f: LogFilter) => f.after !== undefined && f.before === undefined;

/** The query of {@link messageLog} (undefined when the member has neither systems nor services); exported for the plan test. */
export function messageLogQuery(scope: LogScope, f: LogFilter, size: number): SQL | undefined {
  const mine: SQL[] = [];
  if (scope.subsystems.length) mine.push(sql`client_id in (${list(scope.subsystems)})`);
  if (scope.services.length) mine.push(sql`service_id in (${list(scope.services)})`);
  if (!mine.length) return undefined;
  const conds: SQL[] = [];
  if (f.status === 'ok') conds.push(sql`status < 400 and error is null`);
  if (f.status === 'error') conds.push(sql`(status >= 400 or error is not null)`);
  if (f.from) conds.push(sql`at >= ${seoulDay(f.from)}::timestamptz`);
  if (f.to) conds.push(sql`at < ${seoulDay(f.to, 1)}::timestamptz`);
  const newerPage = isNewerPage(f);
  if (f.before !== undefined) conds.push(sql`seq < ${f.before}::bigint`);
  else if (f.after !== undefined) conds.push(sql`seq > ${f.after}::bigint`);
  // `message_log.seq`, not `seq`: in the outer selects that would be the text output column
  const dir = newerPage ? sql`asc` : sql`desc`;
  const order = sql`message_log.seq ${dir}`;
  const limit = size + 1;
  const and = (c: SQL[]) => sql.join(c, sql` and `);
  const involved = sql`(${sql.join(mine, sql` or `)})`;

  const pinned: SQL[] = [];
  if (f.xRoadId) pinned.push(sql`x_road_id = ${f.xRoadId}`);
  if (f.service) pinned.push(sql`service_id = ${f.service}`);
  if (f.client) pinned.push(sql`client_id = ${f.client}`);

  let q: SQL;
  if (pinned.length) {
    q = sql`select ${COLUMNS} from exchange.message_log where ${and([...pinned, involved, ...conds])} order by ${order} limit ${limit}`;
  } else {
    const branch = (key: SQL) =>
      sql`(select seq from exchange.message_log where ${and([key, ...conds])} order by ${order} limit ${limit})`;
    const branches = [
      ...scope.subsystems.map((id) => branch(sql`client_id = ${id}`)),
      ...scope.services.map((id) => branch(sql`service_id = ${id}`)),
    ];
    // UNION (not ALL): an exchange between two of the member's own systems is in two branches
    q = sql`select ${COLUMNS} from exchange.message_log where seq in (
          select seq from (${sql.join(branches, sql` union `)}) as mine order by seq ${dir} limit ${limit})
        order by ${order}`;
  }
  return q;
}

interface LogRow {
  seq: string;
  x_road_id: string;
  at: string;
  client_id: string;
  service_id: string;
  user_id: string | null;
  method: string;
  path: string;
  status: number;
  error: string | null;
  duration_ms: number | string;
}

function toPage(found: LogRow[], f: LogFilter, size: number): LogPage {
  const newerPage = isNewerPage(f);
  const more = found.length > size;
  const page = found.slice(0, size);
  if (newerPage) page.reverse();
  const entries = page.map((r) => ({
    seq: r.seq,
    xRoadId: r.x_road_id,
    at: r.at,
    clientId: r.client_id,
    serviceId: r.service_id,
    userId: r.user_id,
    method: r.method,
    path: r.path,
    status: Number(r.status),
    error: r.error,
    durationMs: Number(r.duration_ms),
  }));
  const first = entries[0]?.seq;
  const last = entries.at(-1)?.seq;
  if (newerPage) return { entries, newer: more ? first : undefined, older: last };
  // arriving from a newer page (`before`), that page is still there
  return { entries, newer: f.before !== undefined ? first : undefined, older: more ? last : undefined };
}
