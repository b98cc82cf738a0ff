import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { NATIONAL_SERVICES } from './catalogue/national.ts';
import { REGIONAL_SERVICES } from './catalogue/regional.ts';
import type { ServiceEntry } from './catalogue-types.ts';

/**
 * The catalogue in the database. The entries shipped with Hanaro (catalogue/national.ts, the
 * central government's programmes; catalogue/regional.ts, the 시도 and 시군구 programmes) are
 * written at start when missing, each with its rule as version 1 in force from 2026-01-01;
 * what officials change afterwards (new rule versions) is theirs and never overwritten.
 */

export const SHIPPED_SERVICES: ServiceEntry[] = [...NATIONAL_SERVICES, ...REGIONAL_SERVICES];
export const SHIPPED_EFFECTIVE_FROM = '2026-01-01';

export type ServiceInfo = Omit<ServiceEntry, 'rule'>;

/** Writes the shipped entries that are not in the database yet (one statement each way). */
export async function ensureCatalogue(platform: Platform): Promise<number> {
  const list = SHIPPED_SERVICES;
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const added = await rows<{ id: string }>(
      tx,
      sql`insert into services.service (id, agency, field, kind, region_sido, region_sigungu, life_events, entry)
          select e->>'id', e->>'agency', e->>'field', e->>'kind', e->'region'->>'sido', e->'region'->>'sigungu',
                 coalesce(array(select jsonb_array_elements_text(e->'lifeEvents')), '{}'), e - 'rule'
            from jsonb_array_elements(${JSON.stringify(list)}::jsonb) as e
          on conflict (id) do nothing
          returning id`,
    );
    if (added.length) {
      const mine = new Set(added.map((a) => a.id));
      const rules = list.filter((e) => mine.has(e.id)).map((e) => ({ id: e.id, rule: e.rule }));
      await tx.execute(
        sql`insert into services.rule_version (service_id, version, source, status, effective_from, note, created_by, published_by, published_at)
            select r->>'id', 1, r->>'rule', 'published', ${SHIPPED_EFFECTIVE_FROM}::date, 'shipped with Hanaro', 'hanaro', 'hanaro', now()
              from jsonb_array_elements(${JSON.stringify(rules)}::jsonb) as r
            on conflict do nothing`,
      );
    }
    return added.length;
  });
}

const ensured = new WeakMap<Platform, Promise<number>>();
/**
 * {@link ensureCatalogue} once per platform: every path that decides (the API's start, the
 * worker's event handlers, the CLI) calls it first, so a database never started as an API still
 * has the catalogue.
 */
export function catalogueReady(platform: Platform): Promise<number> {
  let p = ensured.get(platform);
  if (!p) {
    p = ensureCatalogue(platform);
    ensured.set(platform, p);
    p.catch(() => ensured.delete(platform));
  }
  return p;
}

/** Every service's catalogue entry (without its rule), in catalogue order: national first, then by region. */
export async function listServices(db: Db): Promise<ServiceInfo[]> {
  const r = await rows<{ entry: ServiceInfo }>(db, sql`select entry from services.service order by region_sido nulls first, region_sigungu nulls first, id`);
  return r.map((x) => x.entry);
}

export async function findService(db: Db, id: string): Promise<ServiceInfo | undefined> {
  const [r] = await rows<{ entry: ServiceInfo }>(db, sql`select entry from services.service where id = ${id}`);
  return r?.entry;
}
