import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { publish } from '../../platform/events.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Seeder } from '../../platform/seed.ts';
import { REGISTRY_DEFINITIONS, type RegistryDefinition, type RegistryField, type SubjectKind, type Text } from './definitions.ts';

/** A registry as stored: its definition plus database id, state and derived identifiers. */
export interface RegistryInfo {
  /** `registries.registry.id`, the GovStack database id. */
  id: number;
  code: string;
  version: string;
  /** Owning member code in instance KR (MOIS). */
  agency: string;
  /** The owner's providing subsystem (resident-registry). */
  subsystem: string;
  name: Text;
  description: Text;
  fields: RegistryField[];
  subject: SubjectKind;
  perSubject: 'one' | 'many';
  /** True when any field is personal: records are then read only about a named citizen. */
  personal: boolean;
  disabled: boolean;
  /** KR/GOV/MOIS/resident-registry */
  providerId: string;
  /** KR/GOV/MOIS/resident-registry/resident: the mediated service and the access-log service. */
  serviceId: string;
  createdAt: string;
  modifiedAt: string;
  modifiedBy: string;
}

interface Row {
  id: number;
  code: string;
  version: string;
  agency: string;
  subsystem: string;
  name_ko: string;
  name_en: string;
  description_ko: string;
  description_en: string;
  fields: RegistryField[] | string;
  subject: SubjectKind;
  per_subject: 'one' | 'many';
  is_disabled: boolean;
  created_at: string;
  modified_at: string;
  modified_by: string;
}

const iso = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

function toInfo(r: Row): RegistryInfo {
  const fields = typeof r.fields === 'string' ? (JSON.parse(r.fields) as RegistryField[]) : r.fields;
  const providerId = `KR/GOV/${r.agency}/${r.subsystem}`;
  return {
    id: Number(r.id),
    code: r.code,
    version: r.version,
    agency: r.agency,
    subsystem: r.subsystem,
    name: { ko: r.name_ko, en: r.name_en },
    description: { ko: r.description_ko, en: r.description_en },
    fields,
    subject: r.subject,
    perSubject: r.per_subject,
    personal: fields.some((f) => f.personal),
    disabled: r.is_disabled,
    providerId,
    serviceId: `${providerId}/${r.code}`,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
    modifiedBy: r.modified_by,
  };
}

/** Orders '1.0' < '1.2' < '1.10' < '2.0'. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return a.localeCompare(b);
}

// Definitions are read on every request of the mediated hot path: they are kept in memory per
// platform for a few seconds. Writes in this process drop the copy at once; another process
// sees a change within the TTL.
const TTL_MS = 5_000;
const cache = new WeakMap<Platform, { at: number; list: Promise<RegistryInfo[]> }>();

/** The columns toInfo reads. */
const infoColumns = () =>
  sql`id, code, version, agency, subsystem, name_ko, name_en, description_ko, description_en, fields,
      subject, per_subject, is_disabled, ${iso('created_at')} as created_at, ${iso('modified_at')} as modified_at, modified_by`;

async function load(db: Db): Promise<RegistryInfo[]> {
  const found = await rows<Row>(
    db,
    sql`select ${infoColumns()} from registries.registry order by code, id`,
  );
  return found.map(toInfo).sort((a, b) => a.code.localeCompare(b.code) || compareVersions(a.version, b.version));
}

/** One registry by id as it is in `db` (inside a transaction: as that transaction sees it). */
export async function registryInDb(db: Db, id: number): Promise<RegistryInfo | undefined> {
  const [r] = await rows<Row>(
    db,
    sql`select ${infoColumns()} from registries.registry where id = ${id}`,
  );
  return r && toInfo(r);
}

/**
 * 'registries.registry-changed': a registry was created, gained fields or was disabled through
 * the Database API. Published in the change's transaction; the exchange module publishes (or
 * disables) the registry's mediated service in its directory from it.
 */
export const REGISTRY_CHANGED = 'registries.registry-changed';
export interface RegistryChanged {
  registryId: number;
  code: string;
  version: string;
  change: 'created' | 'fields-added' | 'disabled';
}

export async function publishRegistryChanged(db: Db, e: RegistryChanged): Promise<void> {
  await publish(db, REGISTRY_CHANGED, e);
}

/** Every registry (all versions, disabled ones too), ordered by code and version. */
export function allRegistries(platform: Platform): Promise<RegistryInfo[]> {
  const hit = cache.get(platform);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.list;
  const list = load(platform.db);
  cache.set(platform, { at: Date.now(), list });
  // a failed load must not stay cached
  list.catch(() => cache.delete(platform));
  return list;
}

/** Forget the cached definitions (after a write in this process). */
export function invalidateRegistries(platform: Platform): void {
  cache.delete(platform);
}

/** The registries in service (not disabled), every version. */
export async function listRegistries(platform: Platform): Promise<RegistryInfo[]> {
  return (await allRegistries(platform)).filter((r) => !r.disabled);
}

/**
 * A registry by code and version, or its latest version when `version` is omitted; undefined if
 * there is none or it is disabled.
 */
export async function findRegistry(platform: Platform, code: string, version?: string): Promise<RegistryInfo | undefined> {
  const all = await allRegistries(platform);
  let best: RegistryInfo | undefined;
  for (const r of all) {
    if (r.code !== code || r.disabled) continue;
    if (version !== undefined) {
      if (r.version === version) return r;
    } else if (!best || compareVersions(r.version, best.version) > 0) best = r;
  }
  return best;
}

/** Like {@link findRegistry}, but throws 404 `registry_not_found`. */
export async function getRegistry(platform: Platform, code: string, version?: string): Promise<RegistryInfo> {
  const r = await findRegistry(platform, code, version);
  if (!r) throw new NotFoundError(`no registry ${code}${version ? ` version ${version}` : ''}`, 'registry_not_found');
  return r;
}

/** By GovStack database id, disabled ones included. */
export async function registryById(platform: Platform, id: number): Promise<RegistryInfo | undefined> {
  return (await allRegistries(platform)).find((r) => r.id === id);
}

/**
 * Inserts a registry or updates its definition (same code and version). Fields stored but not in
 * `def` (added later through the Database API) are kept after the defined ones.
 */
export async function upsertRegistry(db: Db, def: RegistryDefinition, actor: string): Promise<number> {
  const [existing] = await rows<{ id: number; fields: RegistryField[] | string }>(
    db,
    sql`select id, fields from registries.registry where code = ${def.code} and version = ${def.version} for update`,
  );
  const stored = existing ? (typeof existing.fields === 'string' ? (JSON.parse(existing.fields) as RegistryField[]) : existing.fields) : [];
  const names = new Set(def.fields.map((f) => f.name));
  const fields = JSON.stringify([...def.fields, ...stored.filter((f) => !names.has(f.name))]);
  const [row] = await rows<{ id: number }>(
    db,
    sql`insert into registries.registry (code, version, agency, subsystem, name_ko, name_en, description_ko, description_en,
          fields, subject, per_subject, modified_by)
        values (${def.code}, ${def.version}, ${def.agency}, ${def.subsystem}, ${def.name.ko}, ${def.name.en},
          ${def.description.ko}, ${def.description.en}, ${fields}::jsonb, ${def.subject}, ${def.perSubject}, ${actor})
        on conflict (code, version) do update set agency = excluded.agency, subsystem = excluded.subsystem,
          name_ko = excluded.name_ko, name_en = excluded.name_en, description_ko = excluded.description_ko,
          description_en = excluded.description_en, fields = excluded.fields, subject = excluded.subject,
          per_subject = excluded.per_subject, modified_at = now(), modified_by = excluded.modified_by
        where (registries.registry.agency, registries.registry.subsystem, registries.registry.name_ko, registries.registry.name_en,
               registries.registry.description_ko, registries.registry.description_en, registries.registry.fields,
               registries.registry.subject, registries.registry.per_subject)
          is distinct from (excluded.agency, excluded.subsystem, excluded.name_ko, excluded.name_en, excluded.description_ko,
               excluded.description_en, excluded.fields, excluded.subject, excluded.per_subject)
        returning id`,
  );
  return Number(row?.id ?? existing?.id);
}

/** Sets the fields of a registry (the Database API adding optional fields). */
export async function setRegistryFields(db: Db, id: number, fields: RegistryField[], actor: string): Promise<void> {
  await db.execute(sql`update registries.registry set fields = ${JSON.stringify(fields)}::jsonb, modified_at = now(), modified_by = ${actor} where id = ${id}`);
}

/** Takes a registry out of service (GovStack "delete database"): its records stay, its APIs answer 404. */
export async function disableRegistry(db: Db, id: number, actor: string): Promise<void> {
  await db.execute(sql`update registries.registry set is_disabled = true, modified_at = now(), modified_by = ${actor} where id = ${id}`);
}

/** Writes the built-in registries; running it again changes nothing unless a definition changed. */
export const definitionsSeeder: Seeder = {
  name: 'registries.definitions',
  async run({ platform }) {
    await platform.db.transaction(async (tx) => {
      for (const def of REGISTRY_DEFINITIONS) await upsertRegistry(tx as unknown as Db, def, 'system:seed');
    });
    invalidateRegistries(platform);
  },
};
