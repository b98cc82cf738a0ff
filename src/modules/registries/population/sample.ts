// `hanaro registries sample-citizen`: a synthetic resident matching a few filters, for demos, docs
// and tests. The first match in id order by default (the same person every time for a database),
// or a random one.
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { maskName } from '../../../platform/crypto.ts';
import { rows } from '../../../platform/db.ts';
import { koreaDay } from '../../../platform/i18n.ts';
import type { Platform } from '../../../platform/platform.ts';
import { addYears, ageAt, dayOf, isoDay } from './ids.ts';
import { registryIds } from './write.ts';

export const WITH_KINDS = ['vehicle', 'licence', 'child', 'disability'] as const;
export type WithKind = (typeof WITH_KINDS)[number];

export interface SampleFilters {
  minAge?: number;
  maxAge?: number;
  /** each must hold: owns a vehicle, has a driver licence, has a child, is registered disabled */
  with?: WithKind[];
  /** a random match instead of the first in id order */
  random?: boolean;
  /** the day ages are counted on (YYYY-MM-DD); today in Korea by default */
  today?: string;
}

export interface SampledCitizen {
  /** the citizen id (the resident record's id) */
  id: string;
  /** masked, e.g. 김*수 */
  name: string;
  sex: 'M' | 'F';
  age: number;
  sido: string;
  sigungu: string;
  /** one short line per `with` kind (and the age), saying what matched */
  matched: string[];
}

/** Finds an active resident matching the filters, or undefined. */
export async function sampleCitizen(platform: Platform, filters: SampleFilters = {}): Promise<SampledCitizen | undefined> {
  const ids = await registryIds(platform);
  const today = dayOf(filters.today ?? koreaDay());
  const where: SQL[] = [sql`r.registry_id = ${ids.resident}`, sql`r.data->>'status' = 'active'`];
  // ages as bounds on the ISO birth date, which compares as text
  if (filters.minAge !== undefined) where.push(sql`r.data->>'birthDate' <= ${isoDay(addYears(today, -filters.minAge))}`);
  if (filters.maxAge !== undefined) where.push(sql`r.data->>'birthDate' > ${isoDay(addYears(today, -filters.maxAge - 1))}`);
  const has = (registry: number, extra = sql``) => sql`exists (select 1 from registries.record x where x.subject_id = r.id and x.registry_id = ${registry} ${extra})`;
  for (const kind of new Set(filters.with ?? [])) {
    if (kind === 'child') where.push(has(ids.family, sql`and jsonb_array_length(coalesce(x.data->'children', '[]'::jsonb)) > 0`));
    else where.push(has(ids[kind]));
  }
  const find = (from?: string) =>
    rows<{ id: string; data: Record<string, string> }>(
      platform.db,
      sql`select r.id, r.data from registries.record r where ${sql.join(from ? [...where, sql`r.id >= ${from}::uuid`] : where, sql` and `)} order by r.id limit 1`,
    );
  let [hit] = await find(filters.random ? randomUUID() : undefined);
  // a random start past the last match wraps around to the first
  if (!hit && filters.random) [hit] = await find();
  if (!hit) return undefined;
  const d = hit.data;
  const age = ageAt(dayOf(d.birthDate!), today);
  const matched: string[] = [];
  if (filters.minAge !== undefined || filters.maxAge !== undefined) matched.push(`age ${age} (${filters.minAge ?? 0}–${filters.maxAge ?? '∞'})`);
  const related = await rows<{ registry_id: number; data: Record<string, unknown> }>(
    platform.db,
    sql`select registry_id, data from registries.record where subject_id = ${hit.id} and registry_id in (${ids.vehicle}, ${ids.licence}, ${ids.family}, ${ids.disability}) order by id`,
  );
  const of = (registry: number) => related.filter((x) => x.registry_id === registry).map((x) => x.data);
  for (const kind of new Set(filters.with ?? [])) {
    if (kind === 'vehicle') {
      const v = of(ids.vehicle);
      matched.push(`vehicle: ${v.map((x) => `${x.model} (${x.modelYear}), inspection due ${x.nextInspectionDue}`).join('; ')}`);
    } else if (kind === 'licence') {
      matched.push(`licence: ${of(ids.licence).map((x) => `${x.licenceClass} ${x.status}, renewal due ${x.renewalDue}`).join('; ')}`);
    } else if (kind === 'child') {
      const children = (of(ids.family)[0]?.children as string[] | undefined) ?? [];
      matched.push(`children: ${children.length}`);
    } else {
      matched.push(`disability: ${of(ids.disability).map((x) => `${x.disabilityType} (${x.severity})`).join('; ')}`);
    }
  }
  return { id: hit.id, name: maskName(d.name ?? ''), sex: d.sex as 'M' | 'F', age, sido: d.sido ?? '', sigungu: d.sigungu ?? '', matched };
}

/**
 * Ids of active residents in a stable share of the population (0–1, by a hash of the id), e.g.
 * the citizens a demo seeds as having asked for something. Deterministic for the same records.
 */
export async function residentIdSample(platform: Platform, share: number): Promise<string[]> {
  const ids = await registryIds(platform);
  const r = await rows<{ id: string }>(
    platform.db,
    sql`select r.id::text as id from registries.record r
         where r.registry_id = ${ids.resident} and r.data->>'status' = 'active' and abs(hashtext(r.id::text)) % 1000 < ${Math.round(share * 1000)}
         order by r.id`,
  );
  return r.map((x) => x.id);
}
