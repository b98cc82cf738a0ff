import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { RegistryInfo } from './catalog.ts';

/**
 * Database access for records. The current version of a record is one row of
 * `registries.record`; every earlier version, and a last row for a deleted record, is in
 * `registries.record_history`. Writers lock the rows they change (`for update`) and move the
 * previous version to history in the same statement as the change.
 */

export interface StoredRecord {
  id: string;
  subjectId: string | null;
  /** Field values as stored (rrn fields encrypted). */
  data: Record<string, unknown>;
  version: number;
  changedAt: string;
  changedBy: string;
  reason: string | null;
  /** Blind index of the rrn field (current versions only). */
  rrnIndex?: string | null;
}

export interface HistoryEntry extends StoredRecord {
  operation: 'create' | 'update' | 'delete';
}

interface Row {
  id: string;
  subject_id: string | null;
  data: Record<string, unknown> | string;
  version: number;
  changed_at: string;
  changed_by: string;
  reason: string | null;
  rrn_index?: string | null;
  operation?: 'create' | 'update' | 'delete';
  total?: number | string;
}

const BASE_COLS = `r.id::text as id, r.subject_id::text as subject_id, r.data, r.version,
   to_char(r.changed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as changed_at, r.changed_by, r.reason`;
const COLS = sql.raw(`${BASE_COLS}, r.rrn_index`);
const HISTORY_COLS = sql.raw(BASE_COLS);

export function toRecord(r: Row): StoredRecord {
  return {
    id: r.id,
    subjectId: r.subject_id,
    data: typeof r.data === 'string' ? (JSON.parse(r.data) as Record<string, unknown>) : r.data,
    version: Number(r.version),
    changedAt: r.changed_at,
    changedBy: r.changed_by,
    reason: r.reason,
    ...(r.rrn_index !== undefined ? { rrnIndex: r.rrn_index } : {}),
  };
}

/** One field condition: the record's id or subject, the rrn blind index, or JSON containment of a value. */
export type Condition =
  | { kind: 'id'; value: string }
  | { kind: 'subject'; value: string }
  | { kind: 'rrn'; index: string }
  | { kind: 'value'; field: string; value: unknown };

export function whereOf(info: RegistryInfo, conditions: Condition[]): SQL {
  const parts: SQL[] = [sql`r.registry_id = ${info.id}`];
  for (const c of conditions) {
    if (c.kind === 'id') parts.push(sql`r.id = ${c.value}::uuid`);
    else if (c.kind === 'subject') parts.push(sql`r.subject_id = ${c.value}::uuid`);
    else if (c.kind === 'rrn') parts.push(sql`r.rrn_index = ${c.index}`);
    // containment: equality for scalars, "contains" for arrays (refs)
    else parts.push(sql`r.data @> ${JSON.stringify({ [c.field]: c.value })}::jsonb`);
  }
  return sql.join(parts, sql` and `);
}

/** Records matching the conditions, oldest id first; `forUpdate` locks them until the transaction ends. */
export async function findRecords(db: Db, info: RegistryInfo, conditions: Condition[], opts: { forUpdate?: boolean; limit?: number } = {}): Promise<StoredRecord[]> {
  const found = await rows<Row>(
    db,
    sql`select ${COLS} from registries.record r where ${whereOf(info, conditions)}
        order by r.id ${opts.limit ? sql`limit ${opts.limit}` : sql``} ${opts.forUpdate ? sql`for update` : sql``}`,
  );
  return found.map(toRecord);
}

/** The records about one citizen (the mediated hot path: one index scan). */
export async function recordsOfSubject(db: Db, info: RegistryInfo, subjectId: string, limit = 100): Promise<StoredRecord[]> {
  const found = await rows<Row>(
    db,
    sql`select ${COLS} from registries.record r where r.subject_id = ${subjectId}::uuid and r.registry_id = ${info.id} order by r.id limit ${limit}`,
  );
  return found.map(toRecord);
}

/**
 * The records of a registry whose `householdId` field is `householdId`, oldest id first (the
 * household view: index record_household, migration 0003).
 */
export async function recordsOfHousehold(db: Db, info: RegistryInfo, householdId: string, limit = 100): Promise<StoredRecord[]> {
  const found = await rows<Row>(
    db,
    sql`select ${COLS} from registries.record r where r.registry_id = ${info.id} and r.data ->> 'householdId' = ${householdId} order by r.id limit ${limit}`,
  );
  return found.map(toRecord);
}

export interface NewRecord {
  id: string;
  subjectId: string | null;
  data: Record<string, unknown>;
  /** For an update, undefined keeps the current index. */
  rrnIndex: string | null | undefined;
}

export async function insertRecord(db: Db, info: RegistryInfo, rec: NewRecord, actor: string, reason: string | null): Promise<StoredRecord> {
  const [row] = await rows<Row>(
    db,
    sql`insert into registries.record as r (registry_id, id, subject_id, data, rrn_index, version, changed_by, reason)
        values (${info.id}, ${rec.id}::uuid, ${rec.subjectId}::uuid, ${JSON.stringify(rec.data)}::jsonb, ${rec.rrnIndex ?? null}, 1, ${actor}, ${reason})
        returning ${COLS}`,
  );
  return toRecord(row!);
}

// the version being replaced was made by a create when it is the first, else by an update
const MOVE_TO_HISTORY = sql.raw(`insert into registries.record_history
    (registry_id, id, version, operation, subject_id, data, changed_at, changed_by, reason)
  select registry_id, id, version, case when version = 1 then 'create' else 'update' end, subject_id, data, changed_at, changed_by, reason
  from registries.record`);

/** Replaces the current version (the caller holds its lock); the previous one goes to history. */
export async function updateRecord(db: Db, info: RegistryInfo, rec: NewRecord, actor: string, reason: string | null): Promise<StoredRecord> {
  const [row] = await rows<Row>(
    db,
    sql`with prev as (${MOVE_TO_HISTORY} where registry_id = ${info.id} and id = ${rec.id}::uuid)
        update registries.record r set subject_id = ${rec.subjectId}::uuid, data = ${JSON.stringify(rec.data)}::jsonb,
          rrn_index = ${rec.rrnIndex === undefined ? sql`r.rrn_index` : rec.rrnIndex}, version = r.version + 1, changed_at = now(), changed_by = ${actor}, reason = ${reason}
        where r.registry_id = ${info.id} and r.id = ${rec.id}::uuid
        returning ${COLS}`,
  );
  return toRecord(row!);
}

/**
 * Deletes the current version: it goes to history as it was, followed by a `delete` entry (one
 * version later) saying who deleted it, when and why. Returns false if there was no such record.
 */
export async function deleteRecord(db: Db, info: RegistryInfo, id: string, actor: string, reason: string | null): Promise<boolean> {
  const gone = await rows<{ id: string }>(
    db,
    sql`with prev as (${MOVE_TO_HISTORY} where registry_id = ${info.id} and id = ${id}::uuid),
        tomb as (insert into registries.record_history (registry_id, id, version, operation, subject_id, data, changed_at, changed_by, reason)
          select registry_id, id, version + 1, 'delete', subject_id, data, now(), ${actor}, ${reason}
          from registries.record where registry_id = ${info.id} and id = ${id}::uuid)
        delete from registries.record where registry_id = ${info.id} and id = ${id}::uuid returning id::text as id`,
  );
  return gone.length > 0;
}

/** Every version of a record, current one included, oldest first. */
export async function historyOf(db: Db, info: RegistryInfo, id: string): Promise<HistoryEntry[]> {
  const found = await rows<Row>(
    db,
    sql`select ${HISTORY_COLS}, r.operation from registries.record_history r where r.registry_id = ${info.id} and r.id = ${id}::uuid
        union all
        select ${HISTORY_COLS}, case when r.version = 1 then 'create' else 'update' end as operation
        from registries.record r where r.registry_id = ${info.id} and r.id = ${id}::uuid
        order by version`,
  );
  return found.map((r) => ({ ...toRecord(r), operation: r.operation! }));
}

/** True if the id was ever used in this registry (current or history): ids are not reused. */
export async function idUsed(db: Db, info: RegistryInfo, id: string): Promise<boolean> {
  const found = await rows(
    db,
    sql`select 1 from registries.record where registry_id = ${info.id} and id = ${id}::uuid
        union all select 1 from registries.record_history where registry_id = ${info.id} and id = ${id}::uuid limit 1`,
  );
  return found.length > 0;
}

/** Which of `ids` are records of the registry (used to check that subjects are residents). */
export async function existingIds(db: Db, registryId: number, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const found = await rows<{ id: string }>(
    db,
    sql`select id::text as id from registries.record where registry_id = ${registryId} and id = any(${`{${ids.join(',')}}`}::uuid[])`,
  );
  return new Set(found.map((r) => r.id));
}

/** Serialises creates for one subject in a registry that allows one record per subject. */
export async function lockSubject(db: Db, info: RegistryInfo, subjectId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${info.id}, hashtext(${subjectId}))`);
}

export interface ListQuery {
  conditions: Condition[];
  /** Case-insensitive substring over these fields (text fields). */
  search?: { text: string; fields: string[] };
  order: { key: 'changedAt' | 'id' | { field: string }; desc: boolean };
  limit: number;
  offset: number;
}

/** A page of records and the number of all matching ones. */
export async function listRecords(db: Db, info: RegistryInfo, q: ListQuery): Promise<{ count: number; records: StoredRecord[] }> {
  let where = whereOf(info, q.conditions);
  if (q.search && q.search.fields.length) {
    const pattern = `%${q.search.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const any = sql.join(q.search.fields.map((f) => sql`r.data ->> ${f} ilike ${pattern}`), sql` or `);
    where = sql`${where} and (${any})`;
  }
  const dir = q.order.desc ? sql`desc` : sql`asc`;
  const key = q.order.key === 'changedAt' ? sql`r.changed_at` : q.order.key === 'id' ? sql`r.id` : sql`r.data -> ${q.order.key.field}`;
  const found = await rows<Row>(
    db,
    sql`select ${COLS}, count(*) over () as total from registries.record r where ${where}
        order by ${key} ${dir} nulls last, r.id ${dir} limit ${q.limit} offset ${q.offset}`,
  );
  let count = found[0] ? Number(found[0].total) : 0;
  if (!found.length && q.offset > 0) {
    const [c] = await rows<{ n: string }>(db, sql`select count(*) as n from registries.record r where ${where}`);
    count = Number(c?.n ?? 0);
  }
  return { count, records: found.map(toRecord) };
}
