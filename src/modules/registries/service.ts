import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRegistry, type RegistryInfo } from './catalog.ts';
import { RESIDENT } from './definitions.ts';
import { publishLifeEvents } from './life-events.ts';
import { publishStatusChange } from './status-events.ts';
import { presentValues, rrnIndex, sealValues } from './record-codec.ts';
import * as store from './store.ts';
import { UUID_RE } from './identifiers.ts';
import { missingRequired, parseContent, RecordValidationError, type FieldIssue, type ParsedContent } from './validation.ts';

/**
 * Registry records: the operations of the GovStack Data API (create, read, exists, update,
 * updateEntries, updateOrCreate, delete, readValue, list) on one registry. Every write is one
 * transaction that locks what it changes, keeps the previous version in history (who, when,
 * why) and publishes the life events of the resident registry.
 */

/** Who acts and why: `actor` becomes `changed_by`, `reason` (X-Road-Issue) the history's why. */
export interface Ctx {
  actor: string;
  reason?: string | null;
  lang: Lang;
}

export const NO_RECORD = 'no record found';

/** Above this many matches updateEntries refuses (one transaction must stay short). */
export const MAX_BULK = 1000;

const tx = <T>(p: Platform, fn: (t: Db) => Promise<T>): Promise<T> => p.db.transaction((t) => fn(t as unknown as Db));

function isUniqueViolation(e: unknown): boolean {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    if ((c as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const where = { query: 'body/query/content', write: 'body/write/content' };
const invalid = (ctx: Ctx, issues: FieldIssue[], at = where.write) => new RecordValidationError(issues, ctx.lang, at);

/** The store conditions of parsed query content (rrn fields by blind index). */
export function conditionsOf(p: Platform, info: RegistryInfo, q: ParsedContent): store.Condition[] {
  const out: store.Condition[] = [];
  if (q.id) out.push({ kind: 'id', value: q.id });
  if (q.subjectId) out.push(info.subject === 'self' ? { kind: 'id', value: q.subjectId } : { kind: 'subject', value: q.subjectId });
  for (const f of info.fields) {
    const v = q.values[f.name];
    if (v === undefined) continue;
    if (f.type === 'rrn') out.push({ kind: 'rrn', index: rrnIndex(p.crypto, v as string)! });
    else out.push({ kind: 'value', field: f.name, value: v });
  }
  return out;
}

/** Parses GovStack `query.content` into conditions; `restrictTo` adds "about this citizen". */
export function queryConditions(p: Platform, info: RegistryInfo, ctx: Pick<Ctx, 'lang'>, content: unknown, restrictTo?: string): store.Condition[] {
  const conds = conditionsOf(p, info, parseContent(info, content, 'query', { lang: ctx.lang, where: where.query }));
  if (restrictTo) conds.push({ kind: 'subject', value: restrictTo });
  return conds;
}

/** A record as GovStack `content`: id, subjectId (registries about a citizen), the fields (rrn masked). */
export function contentOf(p: Platform, info: RegistryInfo, rec: store.StoredRecord, only?: ReadonlySet<string>): Record<string, unknown> {
  return {
    id: rec.id,
    ...(info.subject === 'citizen' && rec.subjectId ? { subjectId: rec.subjectId } : {}),
    ...presentValues(p.crypto, info, rec.id, rec.data, only),
  };
}

async function checkSubject(db: Db, p: Platform, ctx: Ctx, subjectId: string): Promise<void> {
  const resident = await findRegistry(p, RESIDENT);
  if (!resident) return;
  const found = await store.existingIds(db, resident.id, [subjectId]);
  if (!found.has(subjectId)) throw invalid(ctx, [{ field: 'subjectId', code: 'unknown_citizen' }]);
}

async function checkRrnFree(db: Db, info: RegistryInfo, index: string | undefined, self?: string): Promise<void> {
  if (!index) return;
  const found = await store.findRecords(db, info, [{ kind: 'rrn', index }], { limit: 1 });
  if (found[0] && found[0].id !== self) throw new ConflictError('a record with this resident registration number exists', 'duplicate_rrn');
}

async function insert(db: Db, p: Platform, info: RegistryInfo, ctx: Ctx, parsed: ParsedContent): Promise<store.StoredRecord> {
  const id = parsed.id ?? randomUUID();
  const subjectId = info.subject === 'self' ? id : info.subject === 'citizen' ? parsed.subjectId! : null;
  if (parsed.id && (await store.idUsed(db, info, id))) throw new ConflictError(`record ${id} exists or existed`, 'record_exists');
  if (info.subject === 'citizen') {
    await checkSubject(db, p, ctx, subjectId!);
    if (info.perSubject === 'one') {
      await store.lockSubject(db, info, subjectId!);
      if ((await store.findRecords(db, info, [{ kind: 'subject', value: subjectId! }], { limit: 1 })).length) {
        throw new ConflictError('this registry keeps one record per citizen and one exists', 'subject_has_record');
      }
    }
  }
  const sealed = sealValues(p.crypto, info, id, parsed.values);
  await checkRrnFree(db, info, sealed.rrnIndex);
  const rec = await store.insertRecord(db, info, { id, subjectId, data: sealed.values, rrnIndex: sealed.rrnIndex ?? null }, ctx.actor, ctx.reason ?? null);
  await publishLifeEvents(db, p, info, undefined, rec);
  return rec;
}

/** Applies a validated patch to a locked record; an unchanged record is returned as it is. */
async function patch(db: Db, p: Platform, info: RegistryInfo, ctx: Ctx, rec: store.StoredRecord, w: ParsedContent): Promise<store.StoredRecord> {
  if (w.id && w.id !== rec.id) throw invalid(ctx, [{ field: 'id', code: 'read_only' }]);
  const subjectId = w.subjectId ?? rec.subjectId;
  if (w.subjectId && w.subjectId !== rec.subjectId) await checkSubject(db, p, ctx, w.subjectId);
  const data = { ...rec.data };
  for (const name of w.cleared) delete data[name];
  let index: string | null | undefined;
  for (const f of info.fields) {
    const v = w.values[f.name];
    if (v === undefined) continue;
    if (f.type === 'rrn') {
      const idx = rrnIndex(p.crypto, v as string)!;
      if (idx === rec.rrnIndex) continue; // same number: keep the stored ciphertext
      index ??= idx;
      data[f.name] = sealValues(p.crypto, info, rec.id, { [f.name]: v }).values[f.name];
    } else data[f.name] = v;
  }
  if (info.fields.some((f) => f.type === 'rrn' && w.cleared.includes(f.name))) index = null;
  const missing = missingRequired(info, data);
  if (missing.length) throw invalid(ctx, missing);
  if (index === undefined && subjectId === rec.subjectId && JSON.stringify(data) === JSON.stringify(rec.data)) return rec;
  if (index) await checkRrnFree(db, info, index, rec.id);
  const after = await store.updateRecord(db, info, { id: rec.id, subjectId, data, rrnIndex: index }, ctx.actor, ctx.reason ?? null);
  await publishLifeEvents(db, p, info, rec, after);
  await publishStatusChange(db, info, rec, after);
  return after;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    // two writers racing for the same RRN: the unique index decides, the loser gets a 409
    if (isUniqueViolation(e)) throw new ConflictError('a record with this key exists', 'duplicate_rrn');
    throw e;
  }
}

/** GovStack create: `content` is a whole record (id optional; subjectId for registries about a citizen). */
export async function createRecord(p: Platform, info: RegistryInfo, ctx: Ctx, content: unknown): Promise<store.StoredRecord> {
  const parsed = parseContent(info, content, 'create', { lang: ctx.lang, where: where.write });
  return guarded(() => tx(p, (t) => insert(t, p, info, ctx, parsed)));
}

/** GovStack read: the first record matching the query (by id order), or undefined. */
export async function readRecord(p: Platform, info: RegistryInfo, ctx: Pick<Ctx, 'lang'>, query: unknown, restrictTo?: string): Promise<store.StoredRecord | undefined> {
  const [rec] = await store.findRecords(p.db, info, queryConditions(p, info, ctx, query, restrictTo), { limit: 1 });
  return rec;
}

/** GovStack exists. */
export async function recordExists(p: Platform, info: RegistryInfo, ctx: Pick<Ctx, 'lang'>, query: unknown, restrictTo?: string): Promise<boolean> {
  return (await readRecord(p, info, ctx, query, restrictTo)) !== undefined;
}

/** GovStack update: exactly one record must match (none: 404, several: 409). */
export async function updateRecord(p: Platform, info: RegistryInfo, ctx: Ctx, query: unknown, write: unknown): Promise<store.StoredRecord> {
  const conds = queryConditions(p, info, ctx, query);
  const w = parseContent(info, write, 'patch', { lang: ctx.lang, where: where.write });
  return guarded(() =>
    tx(p, async (t) => {
      const found = await store.findRecords(t, info, conds, { forUpdate: true, limit: 2 });
      if (!found[0]) throw new NotFoundError(NO_RECORD);
      if (found.length > 1) throw new ConflictError('the query matches more than one record; use updateEntries', 'ambiguous_query');
      return patch(t, p, info, ctx, found[0], w);
    }),
  );
}

/**
 * Changes the one matching record with a write made from its current values, read under the
 * record's lock: nothing can come between the read and the write (adding to a list of references
 * while another adds too).
 */
export async function updateRecordWith(p: Platform, info: RegistryInfo, ctx: Ctx, query: unknown, make: (current: Record<string, unknown>) => Record<string, unknown>): Promise<store.StoredRecord> {
  const conds = queryConditions(p, info, ctx, query);
  return guarded(() =>
    tx(p, async (t) => {
      const found = await store.findRecords(t, info, conds, { forUpdate: true, limit: 2 });
      if (!found[0]) throw new NotFoundError(NO_RECORD);
      if (found.length > 1) throw new ConflictError('the query matches more than one record; use updateEntries', 'ambiguous_query');
      const w = parseContent(info, make(contentOf(p, info, found[0])), 'patch', { lang: ctx.lang, where: where.write });
      return patch(t, p, info, ctx, found[0], w);
    }),
  );
}

/** GovStack updateEntries: every matching record, all or none. Returns how many changed. */
export async function updateEntries(p: Platform, info: RegistryInfo, ctx: Ctx, query: unknown, write: unknown): Promise<{ matched: number; changed: number }> {
  const conds = queryConditions(p, info, ctx, query);
  const w = parseContent(info, write, 'patch', { lang: ctx.lang, where: where.write });
  return guarded(() =>
    tx(p, async (t) => {
      // locked in id order, so that two bulk updates over the same records cannot deadlock
      const found = await store.findRecords(t, info, conds, { forUpdate: true, limit: MAX_BULK + 1 });
      if (found.length > MAX_BULK) throw new ConflictError(`the query matches more than ${MAX_BULK} records`, 'too_many_matches');
      let changed = 0;
      for (const rec of found) if ((await patch(t, p, info, ctx, rec, w)) !== rec) changed++;
      return { matched: found.length, changed };
    }),
  );
}

/**
 * GovStack updateOrCreate: updates the one matching record, or creates one from the query's
 * content merged with the write's (the write wins). Concurrent calls with the same query are
 * serialised, so that they cannot both create.
 */
export async function updateOrCreate(p: Platform, info: RegistryInfo, ctx: Ctx, query: unknown, write: unknown): Promise<{ record: store.StoredRecord; created: boolean }> {
  const hasQuery = query !== undefined && query !== null;
  const conds = hasQuery ? queryConditions(p, info, ctx, query) : [];
  const w = parseContent(info, write, 'patch', { lang: ctx.lang, where: where.write });
  return guarded(() =>
    tx(p, async (t) => {
      if (hasQuery) {
        await t.execute(sql`select pg_advisory_xact_lock(${info.id}, hashtext(${JSON.stringify(query)}))`);
        const found = await store.findRecords(t, info, conds, { forUpdate: true, limit: 2 });
        if (found.length > 1) throw new ConflictError('the query matches more than one record', 'ambiguous_query');
        if (found[0]) return { record: await patch(t, p, info, ctx, found[0], w), created: false };
      }
      const merged = { ...(hasQuery ? (query as Record<string, unknown>) : {}), ...(write as Record<string, unknown>) };
      const parsed = parseContent(info, merged, 'create', { lang: ctx.lang, where: where.write });
      return { record: await insert(t, p, info, ctx, parsed), created: true };
    }),
  );
}

/** GovStack delete: the record moves to history with a `delete` entry. */
export async function deleteRecord(p: Platform, info: RegistryInfo, ctx: Ctx, id: string): Promise<void> {
  if (!UUID_RE.test(id)) throw new NotFoundError(NO_RECORD);
  const done = await tx(p, async (t) => {
    const [rec] = await store.findRecords(t, info, [{ kind: 'id', value: id }], { forUpdate: true });
    return rec ? store.deleteRecord(t, info, id, ctx.actor, ctx.reason ?? null) : false;
  });
  if (!done) throw new NotFoundError(NO_RECORD);
}

/** One field of one record, presented (rrn masked); 404 when the record or the value is missing. */
export async function readValue(
  p: Platform,
  info: RegistryInfo,
  ctx: Pick<Ctx, 'lang'>,
  id: string,
  field: string,
  restrictTo?: string,
): Promise<{ value: unknown; record: store.StoredRecord }> {
  const f = info.fields.find((x) => x.name === field);
  if (!f) throw new RecordValidationError([{ field, code: 'unknown_field' }], ctx.lang, 'path/field');
  if (!UUID_RE.test(id)) throw new NotFoundError(NO_RECORD);
  const conds: store.Condition[] = [{ kind: 'id', value: id }];
  if (restrictTo) conds.push({ kind: 'subject', value: restrictTo });
  const [rec] = await store.findRecords(p.db, info, conds, { limit: 1 });
  if (!rec) throw new NotFoundError(NO_RECORD);
  const value = presentValues(p.crypto, info, rec.id, rec.data, new Set([field]))[field];
  if (value === undefined) throw new NotFoundError(`record ${id} has no value for ${field}`, 'no_value');
  return { value, record: rec };
}

/** Every version of a record, oldest first; 404 if the id was never used. */
export async function recordHistory(p: Platform, info: RegistryInfo, id: string): Promise<store.HistoryEntry[]> {
  if (!UUID_RE.test(id)) throw new NotFoundError(NO_RECORD);
  const entries = await store.historyOf(p.db, info, id);
  if (!entries.length) throw new NotFoundError(NO_RECORD);
  return entries;
}

/** The number of records of a registry (for the Database API). */
export async function countRecords(p: Platform, info: RegistryInfo): Promise<number> {
  const [r] = await rows<{ n: string }>(p.db, sql`select count(*) as n from registries.record where registry_id = ${info.id}`);
  return Number(r?.n ?? 0);
}

export const MAX_PAGE_SIZE = 100;

export interface ListParams {
  search?: string;
  /** The field `search` looks in (default: every text field) and `ordering` sorts by. */
  filter?: string;
  /** `ascending` | `descending` (by `filter`, else by last change), or `field` / `-field`. */
  ordering?: string;
  page: number;
  pageSize: number;
  /** `query.<field>` parameters: exact values (a list field: contains). */
  query: Record<string, string>;
}

function coerce(type: string, v: string): unknown {
  if (type === 'integer' || type === 'number') return v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
  if (type === 'boolean') return v === 'true' ? true : v === 'false' ? false : v;
  if (type === 'refs') return [v];
  return v;
}

const SEARCHABLE = new Set(['string', 'enum', 'date', 'integer', 'number']);

/** GovStack list: search, filter, ordering, paging (pageSize capped at 100) and query.<field>. */
export async function listRecords(p: Platform, info: RegistryInfo, ctx: Pick<Ctx, 'lang'>, params: ListParams) {
  const bad = (field: string, at: string) => new RecordValidationError([{ field, code: 'unknown_field' }], ctx.lang, at);
  const byName = new Map(info.fields.map((f) => [f.name, f]));
  const query: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params.query)) query[k] = coerce(byName.get(k)?.type ?? 'string', v);
  const conditions = Object.keys(query).length ? queryConditions(p, info, ctx, query) : [];
  if (params.filter !== undefined && !byName.has(params.filter)) throw bad(params.filter, 'querystring/filter');
  let search: store.ListQuery['search'];
  if (params.search) {
    const fields = params.filter ? [params.filter] : info.fields.filter((f) => SEARCHABLE.has(f.type)).map((f) => f.name);
    search = { text: params.search, fields: fields.filter((n) => byName.get(n)!.type !== 'rrn') };
  }
  let order: store.ListQuery['order'] = { key: 'changedAt', desc: true };
  const o = params.ordering?.trim();
  if (o) {
    const dir = /^(asc|ascending)$/i.test(o) ? false : /^(desc|descending)$/i.test(o) ? true : undefined;
    if (dir !== undefined) order = { key: params.filter ? { field: params.filter } : 'changedAt', desc: dir };
    else {
      const name = o.replace(/^-/, '');
      const key = name === 'id' || name === 'changedAt' ? name : byName.has(name) && byName.get(name)!.type !== 'rrn' ? { field: name } : undefined;
      if (!key) throw bad(name, 'querystring/ordering');
      order = { key, desc: o.startsWith('-') };
    }
  }
  const pageSize = Math.min(params.pageSize, MAX_PAGE_SIZE);
  const { count, records } = await store.listRecords(p.db, info, { conditions, search, order, limit: pageSize, offset: (params.page - 1) * pageSize });
  return { count, records, page: params.page, pageSize };
}
