import { BadRequestError, ForbiddenError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRegistry, type RegistryInfo } from './catalog.ts';
import { RESIDENT } from './definitions.ts';
import { HOUSEHOLD_VIEW, householdView } from './household-view.ts';
import { UUID_RE } from './identifiers.ts';
import { personalItems, presentValues } from './record-codec.ts';
import { NO_RECORD, readRecord, readValue, recordExists } from './service.ts';
import * as store from './store.ts';
import { RecordValidationError } from './validation.ts';

/**
 * The registries as services of the information mediator. The exchange module calls
 * {@link handleMediatedRequest} in-process for `/r1/KR/GOV/<agency>/<subsystem>/<code>/<path>`
 * after it checked the client's signature and access right; this function restricts every read
 * to the citizen named by X-Road-UserId and says which personal items it returned, so that the
 * mediator can write the citizen's access record. It is the hot path of the mediated-read
 * benchmark: the definition comes from memory, a read is one indexed query.
 */

export interface MediatedRequest {
  code: string;
  version?: string;
  method: string;
  /** The path below the service: `/records`, `/records/<id>`, `/read`, `/exists`, `/<id>/readValue/<field>.<ext>`. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** X-Road-UserId: the citizen (resident record id) the request is about. */
  userId?: string;
  /** X-Road-Client: the calling subsystem. */
  client: string;
  /** X-Road-Issue. */
  issue?: string;
  /** A view of the registry published as its own service (`household`: household-view.ts). */
  view?: string;
  /** Under a citizen's consent: only these fields may be returned (the mediator checks it as well). */
  consentItems?: string[];
}

export interface MediatedResult {
  status: number;
  body: unknown;
  /** The citizen whose data was read (for the access record). */
  citizenId?: string;
  /** Names of the personal fields returned (empty when none). */
  items: string[];
  /**
   * When the answer holds personal data about other citizens than the one named (a household):
   * the fields returned about each citizen, the named one's included. The mediator then writes an
   * access record for every one of them.
   */
  reads?: Array<{ citizenId: string; items: string[] }>;
}

/** Stands for "whether the citizen has a matching record" among access-record items. */
export const EXISTS_ITEM = '(exists)';

const LANG = 'en' as const;
const MAX_LIST = 100;

function fieldSet(info: RegistryInfo, fields: string | undefined, consented?: string[]): ReadonlySet<string> | undefined {
  if (!fields) return consented ? new Set(consented) : undefined;
  const names = fields.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !info.fields.some((f) => f.name === n));
  if (unknown.length) throw new RecordValidationError(unknown.map((field) => ({ field, code: 'unknown_field' as const })), LANG, 'querystring/fields');
  // under consent, fields asked for beyond it are simply not returned
  return new Set(consented ? names.filter((n) => consented.includes(n)) : names);
}

/** A record as the mediated services show it: id, version, changedAt and the fields (rrn masked). */
function view(p: Platform, info: RegistryInfo, rec: store.StoredRecord, only?: ReadonlySet<string>) {
  return { id: rec.id, version: rec.version, changedAt: rec.changedAt, ...presentValues(p.crypto, info, rec.id, rec.data, only) };
}

function methodOnly(req: MediatedRequest, method: string): void {
  if (req.method.toUpperCase() !== method) throw new PlatformError('method_not_allowed', 405, `use ${method} for ${req.path}`);
}

/** Serves one mediated request; errors are PlatformErrors (404 unknown record or path, 400 bad input). */
export async function handleMediatedRequest(platform: Platform, req: MediatedRequest): Promise<MediatedResult> {
  const info = await findRegistry(platform, req.code, req.version);
  if (!info) throw new NotFoundError(`no registry ${req.code}`, 'registry_not_found');
  const userId = req.userId?.toLowerCase();
  if (userId !== undefined && !UUID_RE.test(userId)) throw new BadRequestError('X-Road-UserId must be a citizen identifier (UUID)', undefined, 'invalid_user_id');
  if (info.personal && !userId) throw new BadRequestError(`X-Road-UserId is required: ${info.code} holds personal data`, undefined, 'user_id_required');
  // records about a citizen are only ever read about the citizen named
  const restrictTo = info.subject !== 'none' ? userId : undefined;
  const citizenId = restrictTo;
  if (req.view !== undefined) {
    if (req.consentItems) throw new ForbiddenError('a household is not read under one citizen\'s consent', 'consent_service_not_covered');
    if (req.view !== HOUSEHOLD_VIEW || info.code !== RESIDENT) throw new NotFoundError(`no view ${req.view} of ${info.code}`, 'registry_not_found');
    if (!userId) throw new BadRequestError('X-Road-UserId is required: a household is read about a citizen', undefined, 'user_id_required');
    return householdView(platform, info, req, userId);
  }
  const segs = req.path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));

  if (segs[0] === 'records' && segs.length === 1) {
    methodOnly(req, 'GET');
    const only = fieldSet(info, req.query.fields, req.consentItems);
    let records: store.StoredRecord[];
    if (restrictTo) records = await store.recordsOfSubject(platform.db, info, restrictTo, MAX_LIST);
    else {
      const page = Math.max(1, Number.parseInt(req.query.page ?? '1', 10) || 1);
      const size = Math.min(MAX_LIST, Math.max(1, Number.parseInt(req.query.pageSize ?? '20', 10) || 20));
      records = (await store.listRecords(platform.db, info, { conditions: [], order: { key: 'id', desc: false }, limit: size, offset: (page - 1) * size })).records;
    }
    const items = new Set<string>();
    const out = records.map((r) => {
      const v = view(platform, info, r, only);
      personalItems(info, v, items);
      return v;
    });
    return { status: 200, body: { registry: info.code, version: info.version, subject: restrictTo ?? null, records: out }, citizenId, items: [...items] };
  }

  if (segs[0] === 'records' && segs.length === 2) {
    methodOnly(req, 'GET');
    const only = fieldSet(info, req.query.fields, req.consentItems);
    const id = segs[1]!;
    if (!UUID_RE.test(id)) throw new NotFoundError(NO_RECORD);
    const conds: store.Condition[] = [{ kind: 'id', value: id.toLowerCase() }];
    if (restrictTo) conds.push({ kind: 'subject', value: restrictTo });
    const [rec] = await store.findRecords(platform.db, info, conds, { limit: 1 });
    if (!rec) throw new NotFoundError(NO_RECORD);
    const v = view(platform, info, rec, only);
    return { status: 200, body: v, citizenId, items: [...personalItems(info, v)] };
  }

  if ((segs[0] === 'read' || segs[0] === 'exists') && segs.length === 1) {
    methodOnly(req, 'POST');
    const body = (req.body ?? {}) as { query?: { content?: unknown } };
    if (typeof body !== 'object' || typeof body.query !== 'object' || body.query === null) {
      throw new RecordValidationError([{ field: 'query', code: 'required' }], LANG, 'body');
    }
    if (segs[0] === 'exists') {
      const found = await recordExists(platform, info, { lang: LANG }, body.query.content, restrictTo);
      const answer = { status: found, message: found ? 'Object found from database' : 'Object not found from database' };
      return { status: 200, body: { answer }, citizenId, items: info.personal ? [EXISTS_ITEM] : [] };
    }
    const rec = await readRecord(platform, info, { lang: LANG }, body.query.content, restrictTo);
    if (!rec) throw new NotFoundError(NO_RECORD);
    const content = { id: rec.id, ...presentValues(platform.crypto, info, rec.id, rec.data, fieldSet(info, req.query.fields, req.consentItems)) };
    return { status: 200, body: { content }, citizenId, items: [...personalItems(info, content)] };
  }

  if (segs.length === 3 && segs[1] === 'readValue') {
    methodOnly(req, 'GET');
    const m = /^(.+)\.([A-Za-z0-9]+)$/.exec(segs[2]!);
    if (!m) throw new NotFoundError(`no such path ${req.path}`);
    const [, field, ext] = m as unknown as [string, string, string];
    checkExt(ext);
    if (req.consentItems && !req.consentItems.includes(field)) throw new ForbiddenError(`the consent does not cover ${field}`, 'consent_item_not_covered');
    const { value } = await readValue(platform, info, { lang: LANG }, segs[0]!, field, restrictTo);
    const personal = info.fields.find((f) => f.name === field)?.personal;
    return { status: 200, body: { value }, citizenId, items: personal ? [field] : [] };
  }

  throw new NotFoundError(`no such path ${req.path}`);
}

/** readValue answers JSON only: `{field}.json`. */
export function checkExt(ext: string): void {
  if (ext.toLowerCase() !== 'json') {
    throw new BadRequestError(`readValue answers .json only, not .${ext}`, { errors: [{ field: 'ext', code: 'unsupported_format', detail: 'json' }] }, 'unsupported_format');
  }
}
