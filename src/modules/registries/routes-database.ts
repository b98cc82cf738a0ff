import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { requireOwner } from './auth.ts';
import { allRegistries, disableRegistry, invalidateRegistries, publishRegistryChanged, registryById, type RegistryInfo } from './catalog.ts';
import type { Db } from '../../platform/db.ts';
import { AGENCIES } from './definitions.ts';
import { recordJsonSchema, type ObjectSchema } from './json-schema.ts';
import { modifyDatabase } from './modify.ts';
import { ApiHeaders, authHook, callerOf, DATABASE_TAG } from './routes-common.ts';

/**
 * The GovStack Digital Registries Database API (paths as in
 * GovStack_Digital_registries_BB_Database_API_template-1.3.0.yaml): every registry is a
 * "database" whose id is `registries.registry.id`. Any agency's key may read the schemas (they
 * hold no personal data); only the owner disables or changes a registry.
 */

const DatabaseSchema = z.looseObject({
  type: z.string(),
  properties: z.record(z.string(), z.unknown()),
  required: z.array(z.string()),
}).describe('The registry\'s fields as JSON Schema (x-personal, x-label, x-hanaro-type per field)');

const DatabaseInfo = z.looseObject({
  id: z.number().int(),
  code: z.string(),
  version: z.string(),
  name: z.string(),
  description: z.string(),
  institution: z.string(),
  schema: DatabaseSchema,
  isDisabled: z.boolean(),
  modifiedAt: z.string(),
});

const GENERIC_SERVICES = ['data-list', 'data-create', 'data-exists', 'data-read', 'data-update', 'data-update-entries', 'data-update-or-create', 'data-delete', 'data-read-value', 'data-personal-data-usage'];

/** The GovStack DatabaseSchema of a registry. */
export function databaseSchema(info: RegistryInfo): ObjectSchema {
  return {
    ...recordJsonSchema(info),
    description: info.description.en,
    'x-subject': info.subject,
    'x-per-subject': info.perSubject,
  };
}

/** The GovStack databaseInfo of a registry, names in the caller's language. */
export function databaseInfo(info: RegistryInfo, lang: Lang): z.infer<typeof DatabaseInfo> {
  return {
    id: info.id,
    code: info.code,
    version: info.version,
    name: info.name[lang],
    nameKo: info.name.ko,
    nameEn: info.name.en,
    description: info.description[lang],
    institution: AGENCIES[info.agency]?.[lang] ?? info.agency,
    institutionId: info.agency,
    subsystem: info.providerId,
    serviceId: info.serviceId,
    numberFormat: 'uuid',
    schema: databaseSchema(info),
    schemaTags: info.fields.filter((f) => f.personal).map((f) => ({ name: 'PersonalData', path: `/${f.name}`, isFulltext: false })),
    schemaFlags: info.fields.filter((f) => f.required).map((f) => ({ name: 'mandatory', path: `/${f.name}` })),
    fieldsUniques: info.fields.filter((f) => f.unique).map((f) => [f.name]),
    isDraft: false,
    isDisabled: info.disabled,
    isArchived: false,
    modifiedAt: info.modifiedAt,
    byUserName: info.modifiedBy,
    genericServices: GENERIC_SERVICES.map((name, i) => ({ serviceId: i + 1, name, isVisible: !info.disabled, usedCount: 0 })),
  };
}

const IdParams = z.object({ id: z.coerce.number().int().min(1).describe('Database (registry) id') });

export async function databaseRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', authHook(platform, { ownerOnly: false }));

  const byId = async (id: number) => {
    const info = await registryById(platform, id);
    if (!info) throw new NotFoundError(`no database ${id}`, 'registry_not_found');
    return info;
  };

  r.get('/databases', {
    schema: {
      tags: [DATABASE_TAG], headers: ApiHeaders, summary: 'Every registry (database) and its schema',
      response: { 200: z.looseObject({ id: z.number().int(), name: z.string(), code: z.string(), databases: z.array(DatabaseInfo) }) },
    },
  }, async (req) => ({
    id: 1,
    name: req.lang === 'ko' ? '대한민국 행정기관 등록부' : 'Registries of the Korean government',
    code: 'KR',
    groupId: 1,
    order: 1,
    databases: (await allRegistries(platform)).map((i) => databaseInfo(i, req.lang)),
  }));

  r.get('/database/:id', {
    schema: { tags: [DATABASE_TAG], headers: ApiHeaders, params: IdParams, summary: 'One registry (database) with its schema', response: { 200: DatabaseInfo } },
  }, async (req) => databaseInfo(await byId(req.params.id), req.lang));

  r.delete('/database/:id', {
    schema: {
      tags: [DATABASE_TAG], headers: ApiHeaders, params: IdParams,
      summary: 'Disable a registry (owner only): its APIs answer 404, its records and history stay',
      response: { 200: z.string().describe('Success') },
    },
  }, async (req, reply) => {
    const info = await byId(req.params.id);
    const caller = callerOf(req);
    requireOwner(caller, info.agency);
    if (!info.disabled) {
      await platform.db.transaction(async (t) => {
        const tx = t as unknown as Db;
        await disableRegistry(tx, info.id, caller.client);
        await publishRegistryChanged(tx, { registryId: info.id, code: info.code, version: info.version, change: 'disabled' });
      });
      invalidateRegistries(platform);
      await platform.audit.append({ actor: caller.client, action: 'registries.database.disabled', subject: `registries.registry:${info.id}`, data: { code: info.code, version: info.version } });
    }
    // a JSON string, as the GovStack file declares (a bare string would go out as text/plain)
    return reply.type('application/json; charset=utf-8').send(JSON.stringify('Success'));
  });

  r.post('/database/modify', {
    schema: {
      tags: [DATABASE_TAG], headers: ApiHeaders,
      summary: 'Create a registry owned by the caller\'s agency, or add optional fields to one it owns (anything else: 409)',
      body: z.object({
        groupName: z.string().optional(),
        catalogName: z.string().max(200).optional().describe('The registry\'s name'),
        code: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/).describe('Short code of the registry (lower case), e.g. pets'),
        schema: z.looseObject({
          type: z.string().optional(),
          properties: z.record(z.string(), z.unknown()),
          required: z.array(z.string()).optional(),
          description: z.string().max(1000).optional(),
          filename: z.string().optional(),
          creationDate: z.string().optional(),
        }),
      }),
      response: { 200: DatabaseSchema },
    },
  }, async (req) => databaseSchema(await modifyDatabase(platform, callerOf(req), req.body, req.lang)));
}
