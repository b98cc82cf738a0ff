import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { readEntries, recordReads } from './access.ts';
import { personalItems } from './record-codec.ts';
import { personalDataUsage, PersonalDataUsage } from './personal-data-usage.ts';
import { ApiHeaders, authHook, callerOf, Content, ctxOf, DATA_TAG, issueOf, RegistryParams } from './routes-common.ts';
import * as service from './service.ts';
import { checkExt } from './mediated.ts';
import { RecordValidationError } from './validation.ts';
import type { StoredRecord } from './store.ts';
import type { RegistryInfo } from './catalog.ts';

/**
 * The GovStack Digital Registries Data API, paths exactly as in
 * GovStack_Digital_registries_BB_Data_API_template-1.3.0.yaml below /govstack/digital-registries.
 * Only the owning agency's keys use it; everyone else reads through the information mediator.
 */

const Write = z.object({ content: Content });
const Query = z.object({ content: Content });
const ContentAnswer = z.object({ content: Content });

const ListQuery = z.looseObject({
  search: z.string().max(200).optional().describe('Text to find (case-insensitive substring) in the text fields, or in `filter` alone'),
  filter: z.string().optional().describe('The field `search` looks in and `ordering` sorts by'),
  ordering: z.string().optional().describe('`ascending` or `descending` (by `filter`, else by last change), or a field name, `-` first for descending'),
  page: z.coerce.number().int().min(1).default(1).describe('Result page number, from 1'),
  pageSize: z.coerce.number().int().min(1).default(20).describe('Results per page (at most 100)'),
  'query.<fieldName>': z.string().optional().describe('query.<field>=value: records whose field has this value (a list field: contains it); repeatable for several fields'),
});

const ListAnswer = z.object({
  count: z.number().int(),
  next: z.string().optional(),
  previous: z.string().optional(),
  results: z.array(Content),
});

const Exists = z.object({ answer: z.object({ status: z.boolean(), message: z.string() }) });

export async function dataRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', authHook(platform, { ownerOnly: true }));

  const content = (info: RegistryInfo, rec: StoredRecord) => service.contentOf(platform, info, rec);
  /** Records the owner's read of the returned records' personal data, then answers. */
  const logged = async (req: FastifyRequest, info: RegistryInfo, shown: Array<{ rec: StoredRecord; content: Record<string, unknown> }>) => {
    const reads = shown.map((s) => ({ citizenId: info.subject === 'none' ? null : s.rec.subjectId, items: personalItems(info, s.content) }));
    await recordReads(platform, readEntries(info, callerOf(req), issueOf(req), reads));
  };
  const base = { tags: [DATA_TAG], headers: ApiHeaders, params: RegistryParams };
  const path = '/data/:registryName/:versionNumber';

  r.get(path, {
    schema: { ...base, operationId: 'list', summary: 'list: search, filter, order and page the records', querystring: ListQuery, response: { 200: ListAnswer } },
  }, async (req) => {
    const info = req.registry!;
    const q = req.query;
    const fieldQuery: Record<string, string> = {};
    for (const [k, v] of Object.entries(q)) if (k.startsWith('query.') && k !== 'query.<fieldName>' && typeof v === 'string') fieldQuery[k.slice(6)] = v;
    const page = await service.listRecords(platform, info, req, { search: q.search, filter: q.filter, ordering: q.ordering, page: q.page, pageSize: q.pageSize, query: fieldQuery });
    const shown = page.records.map((rec) => ({ rec, content: content(info, rec) }));
    await logged(req, info, shown);
    const link = (n: number) => {
      const u = new URL(`${platform.config.publicUrl.replace(/\/$/, '')}${req.url.split('?')[0]}`);
      for (const [k, v] of Object.entries(q)) if (typeof v === 'string' || typeof v === 'number') u.searchParams.set(k, String(v));
      u.searchParams.set('page', String(n));
      u.searchParams.set('pageSize', String(page.pageSize));
      return u.toString();
    };
    return {
      count: page.count,
      ...(page.page * page.pageSize < page.count ? { next: link(page.page + 1) } : {}),
      ...(page.page > 1 ? { previous: link(page.page - 1) } : {}),
      results: shown.map((s) => s.content),
    };
  });

  r.post(`${path}/create`, {
    schema: { ...base, operationId: 'create', summary: 'create: a new record', body: z.object({ write: Write }), response: { 200: ContentAnswer } },
  }, async (req) => {
    const rec = await service.createRecord(platform, req.registry!, ctxOf(req), req.body.write.content);
    return { content: content(req.registry!, rec) };
  });

  r.post(`${path}/exists`, {
    schema: { ...base, operationId: 'exists', summary: 'exists: whether a record matches the query', body: z.object({ query: Query }), response: { 200: Exists } },
  }, async (req) => {
    const found = await service.recordExists(platform, req.registry!, req, req.body.query.content);
    return { answer: { status: found, message: found ? 'Object found from database' : 'Object not found from database' } };
  });

  r.post(`${path}/read`, {
    schema: { ...base, operationId: 'read', summary: 'read: the first record matching the query (404 `no record found`)', body: z.object({ query: Query }), response: { 200: ContentAnswer } },
  }, async (req) => {
    const info = req.registry!;
    const rec = await service.readRecord(platform, info, req, req.body.query.content);
    if (!rec) throw new NotFoundError(service.NO_RECORD);
    const c = content(info, rec);
    await logged(req, info, [{ rec, content: c }]);
    return { content: c };
  });

  const needQuery = (req: FastifyRequest, q: { content: Record<string, unknown> } | undefined) => {
    if (!q) throw new RecordValidationError([{ field: 'query', code: 'required' }], req.lang, 'body');
    return q.content;
  };
  const UpdateBody = z.object({ query: Query.optional(), write: Write });

  r.put(`${path}/update`, {
    schema: { ...base, operationId: 'update', summary: 'update: the one record matching the query (none: 404; several: 409)', body: UpdateBody, response: { 200: ContentAnswer } },
  }, async (req) => {
    const info = req.registry!;
    const rec = await service.updateRecord(platform, info, ctxOf(req), needQuery(req, req.body.query), req.body.write.content);
    const c = content(info, rec);
    await logged(req, info, [{ rec, content: c }]);
    return { content: c };
  });

  r.put(`${path}/updateEntries`, {
    schema: {
      ...base, operationId: 'updateEntries', summary: 'updateEntries: every record matching the query, all or none', body: UpdateBody,
      response: { 200: z.object({ count: z.number().int().describe('Records matched'), changed: z.number().int().describe('Records that changed') }) },
    },
  }, async (req) => {
    const out = await service.updateEntries(platform, req.registry!, ctxOf(req), needQuery(req, req.body.query), req.body.write.content);
    return { count: out.matched, changed: out.changed };
  });

  r.post(`${path}/updateOrCreate`, {
    schema: { ...base, operationId: 'updateOrCreate', summary: 'updateOrCreate: update the one match, or create from query and write', body: UpdateBody, response: { 200: ContentAnswer } },
  }, async (req) => {
    const info = req.registry!;
    const out = await service.updateOrCreate(platform, info, ctxOf(req), req.body.query?.content, req.body.write.content);
    const c = content(info, out.record);
    if (!out.created) await logged(req, info, [{ rec: out.record, content: c }]);
    return { content: c };
  });

  r.delete(`${path}/:ID/delete`, {
    schema: {
      ...base, operationId: 'delete', summary: 'delete: the record moves to history', params: RegistryParams.extend({ ID: z.string().describe('Record id') }),
      response: { 204: z.null().describe('Deleted') },
    },
  }, async (req, reply) => {
    await service.deleteRecord(platform, req.registry!, ctxOf(req), req.params.ID);
    return reply.status(204).send(null);
  });

  r.get(`${path}/:uuid/readValue/:field.:ext`, {
    schema: {
      ...base, operationId: 'readValue', summary: 'readValue: one field of one record; ext json only',
      params: RegistryParams.extend({ uuid: z.string().describe('Record id'), field: z.string().describe('Field name'), ext: z.string().describe('json') }),
      response: { 200: z.object({ value: z.unknown() }) },
    },
  }, async (req) => {
    const info = req.registry!;
    checkExt(req.params.ext);
    const { value, record } = await service.readValue(platform, info, req, req.params.uuid, req.params.field);
    await logged(req, info, [{ rec: record, content: { [req.params.field]: value } }]);
    return { value };
  });

  r.get('/data/myPersonalDataUsage', {
    schema: {
      tags: [DATA_TAG], headers: ApiHeaders, operationId: 'DPU', summary: 'myPersonalDataUsage: who read a citizen\'s data in this registry',
      querystring: z.object({
        userId: z.string().min(1).describe('The citizen: resident record id (UUID) or resident registration number'),
        databaseId: z.string().min(1).describe('Registry code, e.g. resident'),
      }),
      response: { 200: z.array(PersonalDataUsage) },
    },
  }, async (req) => personalDataUsage(platform, callerOf(req), req.query.userId, req.query.databaseId, req.lang));
}
