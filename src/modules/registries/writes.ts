import { randomInt } from 'node:crypto';
import { ForbiddenError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRegistry, type RegistryInfo } from './catalog.ts';
import { rrnCheckDigit } from './identifiers.ts';
import * as service from './service.ts';
import * as store from './store.ts';

/**
 * Writes by an agency's own back office to the registries its agency owns (the one-stop
 * applications of the services module: an approved part is written back by the agency that
 * approved it). Each write goes through the same validation, history and life events as the
 * GovStack Data API; `actor` and `reason` land in the record's history. Writing to a registry of
 * another agency is refused (403).
 *
 * The writes are made to be repeated: a create with an id that exists answers the existing
 * record, and an update that changes nothing changes nothing, so a back-office step that failed
 * half-way can simply be done again.
 */

export interface AgencyWrite {
  /** The agency on whose behalf the write is made (the approving official's). */
  agency: string;
  /** Who, e.g. `official:<id>`; the record history's `changed_by`. */
  actor: string;
  /** Why, e.g. `출생신고 (application <id>)`; the record history's reason. */
  reason: string;
}

async function owned(platform: Platform, code: string, agency: string): Promise<RegistryInfo> {
  const info = await findRegistry(platform, code);
  if (!info) throw new NotFoundError(`no registry ${code}`, 'registry_not_found');
  if (info.agency !== agency) throw new ForbiddenError(`registry ${code} belongs to ${info.agency}`, 'not_registry_owner');
  return info;
}

const ctxOf = (w: AgencyWrite): service.Ctx => ({ actor: w.actor, reason: w.reason, lang: 'en' });

/** The records a registry of the agency holds about a citizen, values presented (RRNs masked). */
export async function agencyRecords(platform: Platform, w: Pick<AgencyWrite, 'agency'>, code: string, subjectId: string): Promise<Array<Record<string, unknown> & { id: string }>> {
  const info = await owned(platform, code, w.agency);
  const recs = await store.recordsOfSubject(platform.db, info, subjectId);
  return recs.map((r) => service.contentOf(platform, info, r) as Record<string, unknown> & { id: string });
}

/** Creates a record (with its `id` given, a second call finds the first's record and changes nothing). */
export async function createAs(platform: Platform, w: AgencyWrite, code: string, content: Record<string, unknown> & { id: string }): Promise<{ id: string; created: boolean }> {
  const info = await owned(platform, code, w.agency);
  const [found] = await store.findRecords(platform.db, info, [{ kind: 'id', value: content.id }], { limit: 1 });
  if (found) return { id: found.id, created: false };
  const rec = await service.createRecord(platform, info, ctxOf(w), content);
  return { id: rec.id, created: true };
}

/** Changes fields of one record by id (an unchanged record is not written again). */
export async function updateAs(platform: Platform, w: AgencyWrite, code: string, id: string, write: Record<string, unknown>): Promise<void> {
  const info = await owned(platform, code, w.agency);
  await service.updateRecord(platform, info, ctxOf(w), { id }, write);
}

/** Changes fields of the citizen's one record, or creates it with them (registries keeping one per citizen). */
export async function upsertOfSubject(platform: Platform, w: AgencyWrite, code: string, subjectId: string, write: Record<string, unknown>): Promise<void> {
  const info = await owned(platform, code, w.agency);
  await service.updateOrCreate(platform, info, ctxOf(w), { subjectId }, write);
}

/**
 * Adds `value` to the list field `field` of the citizen's one record (creating the record when
 * there is none), under the record's lock: two additions at once both stay (twins registered by
 * two officials at the same moment).
 */
export async function addToListOfSubject(platform: Platform, w: AgencyWrite, code: string, subjectId: string, field: string, value: string): Promise<void> {
  const info = await owned(platform, code, w.agency);
  for (let attempt = 0; ; attempt++) {
    try {
      const [existing] = await store.findRecords(platform.db, info, [{ kind: 'subject', value: subjectId }], { limit: 1 });
      if (existing) {
        await service.updateRecordWith(platform, info, ctxOf(w), { subjectId }, (current) => {
          const list = Array.isArray(current[field]) ? (current[field] as string[]) : [];
          return { [field]: list.includes(value) ? list : [...list, value] };
        });
      } else {
        await service.createRecord(platform, info, ctxOf(w), { subjectId, [field]: [value] });
      }
      return;
    } catch (e) {
      // the record was created by someone else in between: add to theirs
      if (attempt === 0 && e instanceof PlatformError && e.code === 'subject_has_record') continue;
      throw e;
    }
  }
}

/**
 * A new resident registration number for a birth: birth date, the sex-and-century digit, then
 * (as since October 2020) random digits in place of the old region code, and the check digit.
 * Collisions are the unique index's to catch; {@link createAs} callers retry with a new number.
 */
export function newRrn(birthDate: string, sex: 'M' | 'F'): string {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const century = Number(y) >= 2000 ? (sex === 'M' ? 3 : 4) : sex === 'M' ? 1 : 2;
  const first12 = `${y.slice(2)}${m}${d}${century}${String(randomInt(0, 100_000)).padStart(5, '0')}`;
  return `${first12.slice(0, 6)}-${first12.slice(6)}${rrnCheckDigit(first12)}`;
}

/** Whether an error is the registries' refusal of a duplicate RRN (try another number). */
export const isDuplicateRrn = (e: unknown) => e instanceof PlatformError && e.code === 'duplicate_rrn';
