import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, ConflictError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { requireOwner, type ApiCaller } from './auth.ts';
import { allRegistries, compareVersions, getRegistry, invalidateRegistries, publishRegistryChanged, setRegistryFields, upsertRegistry, type RegistryInfo } from './catalog.ts';
import type { RegistryField } from './definitions.ts';
import { fieldsFromJsonSchema } from './json-schema.ts';
import { RESERVED_NAMES } from './validation.ts';

/**
 * GovStack `database/modify`, kept to changes that cannot break a record or a client: a new
 * registry (version 1.0, owned by the caller's agency, provided by the caller's subsystem), or
 * new optional fields on a registry the caller's agency owns. The posted schema is the whole
 * schema: leaving out, retyping or newly requiring an existing field is refused with 409.
 */

export interface ModifyBody {
  catalogName?: string;
  code: string;
  schema: { properties: Record<string, unknown>; required?: string[]; description?: string };
}

const same = (a: RegistryField, b: RegistryField) =>
  a.type === b.type &&
  a.personal === b.personal &&
  !!a.required === !!b.required &&
  (a.pattern ?? '') === (b.pattern ?? '') &&
  JSON.stringify(a.values ?? []) === JSON.stringify(b.values ?? []);

export async function modifyDatabase(platform: Platform, caller: ApiCaller, body: ModifyBody, _lang: Lang): Promise<RegistryInfo> {
  const { fields, problems } = fieldsFromJsonSchema(body.schema, RESERVED_NAMES);
  if (problems.length) {
    throw new BadRequestError(problems.map((p) => `${p.field}: ${p.detail}`).join('; '), { errors: problems.map((p) => ({ field: p.field, detail: p.detail, path: `body/schema/properties/${p.field}` })) }, 'validation_failed');
  }
  if (!fields.length) throw new BadRequestError('a registry needs at least one field', { errors: [{ field: '(schema)', detail: 'no properties', path: 'body/schema/properties' }] }, 'validation_failed');
  const versions = (await allRegistries(platform)).filter((r) => r.code === body.code);
  const existing = versions.sort((a, b) => compareVersions(b.version, a.version))[0];
  const actor = caller.client;

  if (!existing) {
    const personal = fields.some((f) => f.personal);
    const name = body.catalogName?.trim() || body.code;
    const id = await platform.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      const created = await upsertRegistry(tx, {
        code: body.code,
        version: '1.0',
        agency: caller.agency,
        subsystem: caller.client.split('/')[3]!,
        name: { ko: name, en: name },
        description: { ko: body.schema.description ?? '', en: body.schema.description ?? '' },
        // personal data is only ever read about a named citizen, so such records must name one
        subject: personal ? 'citizen' : 'none',
        perSubject: 'many',
        fields,
      }, actor);
      // the mediator's directory publishes the new registry as a service (exchange module)
      await publishRegistryChanged(tx, { registryId: created, code: body.code, version: '1.0', change: 'created' });
      return created;
    });
    invalidateRegistries(platform);
    await platform.audit.append({ actor, action: 'registries.database.created', subject: `registries.registry:${id}`, data: { code: body.code, version: '1.0', fields: fields.map((f) => f.name) } });
    return getRegistry(platform, body.code, '1.0');
  }

  requireOwner(caller, existing.agency);
  if (existing.disabled) throw new ConflictError(`registry ${body.code} ${existing.version} is disabled`, 'registry_disabled');
  const given = new Map(fields.map((f) => [f.name, f]));
  const conflicts: string[] = [];
  for (const f of existing.fields) {
    const g = given.get(f.name);
    if (!g) conflicts.push(`${f.name}: an existing field cannot be removed`);
    else if (!same(f, g)) conflicts.push(`${f.name}: an existing field cannot change its type, values, pattern, personal or required flag`);
  }
  const added = fields.filter((f) => !existing.fields.some((e) => e.name === f.name));
  for (const f of added) {
    if (f.required) conflicts.push(`${f.name}: a new field must be optional (existing records lack it)`);
    if (f.type === 'rrn') conflicts.push(`${f.name}: an rrn field cannot be added to a registry with records`);
    if (f.personal && existing.subject === 'none') conflicts.push(`${f.name}: a registry about no one cannot take personal fields`);
  }
  if (conflicts.length) throw new ConflictError(conflicts.join('; '), 'incompatible_schema_change');
  if (!added.length) return existing;
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // the registry row is locked so that two modifications do not each add to a stale list
    const [row] = await rows<{ fields: RegistryField[] | string }>(tx, sql`select fields from registries.registry where id = ${existing.id} for update`);
    const current = typeof row!.fields === 'string' ? (JSON.parse(row!.fields) as RegistryField[]) : row!.fields;
    const fresh = added.filter((f) => !current.some((c) => c.name === f.name));
    await setRegistryFields(tx, existing.id, [...current, ...fresh], actor);
    await publishRegistryChanged(tx, { registryId: existing.id, code: body.code, version: existing.version, change: 'fields-added' });
  });
  invalidateRegistries(platform);
  await platform.audit.append({ actor, action: 'registries.database.fields-added', subject: `registries.registry:${existing.id}`, data: { code: body.code, version: existing.version, fields: added.map((f) => f.name) } });
  return getRegistry(platform, body.code, existing.version);
}
