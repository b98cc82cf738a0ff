import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/platform.ts';
import { readEntries, recordReads } from './access.ts';
import { listRegistries } from './catalog.ts';
import { personalItems } from './record-codec.ts';
import { ApiHeaders, authHook, callerOf, Content, HANARO_TAG, issueOf, RegistryParams } from './routes-common.ts';
import { contentOf, recordHistory } from './service.ts';

/** Hanaro's own registry routes beside the GovStack ones: the public catalogue and a record's history. */

const Text = z.object({ ko: z.string(), en: z.string() });
const Summary = z.object({
  code: z.string(),
  version: z.string(),
  agency: z.string(),
  serviceId: z.string(),
  name: Text,
  description: Text,
  personal: z.boolean(),
  fields: z.array(z.object({ name: z.string(), label: Text, type: z.string(), personal: z.boolean(), required: z.boolean(), values: z.array(z.string()).optional() })),
});

const Version = z.object({
  version: z.number().int(),
  operation: z.enum(['create', 'update', 'delete']),
  changedAt: z.string().describe('When'),
  changedBy: z.string().describe('Who: the client subsystem (or system actor) that wrote it'),
  reason: z.string().nullable().describe('Why: the X-Road-Issue of the write'),
  content: Content,
});

export async function publicRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/registries', {
    schema: { tags: [HANARO_TAG], summary: 'The registries in service: owners, fields and which are personal data', response: { 200: z.array(Summary) } },
  }, async () =>
    (await listRegistries(opts.platform)).map((i) => ({
      code: i.code,
      version: i.version,
      agency: i.agency,
      serviceId: i.serviceId,
      name: i.name,
      description: i.description,
      personal: i.personal,
      fields: i.fields.map((f) => ({ name: f.name, label: f.label, type: f.type, personal: f.personal, required: !!f.required, ...(f.values ? { values: f.values } : {}) })),
    })),
  );
}

export async function historyRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', authHook(platform, { ownerOnly: true }));
  r.get('/api/registries/:registryName/:versionNumber/records/:id/history', {
    schema: {
      tags: [HANARO_TAG],
      summary: 'Every version of a record, deletion included: who, when, why (owner agency\'s key)',
      headers: ApiHeaders,
      params: RegistryParams.extend({ id: z.string().describe('Record id') }),
      response: { 200: z.object({ registry: z.string(), version: z.string(), id: z.string(), versions: z.array(Version) }) },
    },
  }, async (req) => {
    const info = req.registry!;
    const entries = await recordHistory(platform, info, req.params.id);
    const versions = entries.map((e) => ({
      version: e.version,
      operation: e.operation,
      changedAt: e.changedAt,
      changedBy: e.changedBy,
      reason: e.reason,
      content: contentOf(platform, info, e),
    }));
    const items = new Set<string>();
    for (const v of versions) personalItems(info, v.content, items);
    const citizenId = info.subject === 'none' ? null : (entries[entries.length - 1]!.subjectId ?? null);
    await recordReads(platform, readEntries(info, callerOf(req), issueOf(req), [{ citizenId, items }]));
    return { registry: info.code, version: info.version, id: req.params.id, versions };
  });
}
