import type { RegistryInfo } from './catalog.ts';
import { fieldJsonSchema, recordJsonSchema } from './json-schema.ts';

/**
 * The OpenAPI 3.0 document of one registry published as a mediated service (the paths of
 * {@link handleMediatedRequest}), with the record schema generated from the registry's fields.
 * The information mediator serves it through its directory (getOpenAPI).
 */
export function registryServiceOpenApi(info: RegistryInfo): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
  const userId = {
    name: 'X-Road-UserId',
    in: 'header',
    required: info.personal,
    description: info.personal
      ? 'The citizen (resident record id) the request is about; only records about this citizen are returned'
      : 'Optional: the citizen the request is about',
    schema: { type: 'string', format: 'uuid' },
  };
  const fieldsParam = {
    name: 'fields',
    in: 'query',
    required: false,
    description: 'Comma-separated field names to return (default: all)',
    schema: { type: 'string' },
    example: info.fields.slice(0, 2).map((f) => f.name).join(','),
  };
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  const errors = {
    '400': problem('Bad input (unknown field, wrong type, missing X-Road-UserId)'),
    '404': problem('No such record about this citizen'),
  };
  const tag = `${info.code} ${info.version}`;
  const meta = {
    id: { type: 'string', format: 'uuid', description: 'Record id' },
    version: { type: 'integer', description: 'Version of the record (1 on create, +1 per change)' },
    changedAt: { type: 'string', format: 'date-time', description: 'When this version was written' },
  };
  const record = recordJsonSchema(info, meta, ['id', 'version', 'changedAt']);
  const query = {
    type: 'object',
    description: 'Field values to match (an rrn field: the whole number; a list field: contains)',
    properties: {
      id: meta.id,
      // an rrn is asked for by its whole number (found through the blind index), never shown so
      ...Object.fromEntries(info.fields.map((f) => [f.name, f.type === 'rrn' ? { type: 'string', description: `${f.label.en} (13 digits)`, 'x-personal': true, 'x-hanaro-type': 'rrn' } : fieldJsonSchema(f)])),
    },
    additionalProperties: false,
  };
  return {
    openapi: '3.0.3',
    info: {
      title: `${info.name.en} (${info.name.ko})`,
      version: info.version,
      description: `${info.description.en} / ${info.description.ko}. Owner: ${info.agency}; provider ${info.providerId}.`,
      'x-service-id': info.serviceId,
    },
    tags: [{ name: tag, description: info.name.en }],
    paths: {
      '/records': {
        get: {
          tags: [tag],
          operationId: 'listRecords',
          summary: info.personal ? "The citizen's records" : 'Records (paged when no citizen is named)',
          parameters: [userId, fieldsParam],
          responses: { '200': { description: 'Records', content: json(ref('RecordList')) }, ...errors },
        },
      },
      '/records/{id}': {
        get: {
          tags: [tag],
          operationId: 'getRecord',
          summary: 'One record about the citizen',
          parameters: [idParam, userId, fieldsParam],
          responses: { '200': { description: 'The record', content: json(ref('Record')) }, ...errors },
        },
      },
      '/read': {
        post: {
          tags: [tag],
          operationId: 'read',
          summary: 'GovStack read: the first record matching the query, about the citizen',
          parameters: [userId],
          requestBody: { required: true, content: json(ref('QueryRequest')) },
          responses: { '200': { description: 'Found', content: json({ type: 'object', properties: { content: ref('Content') }, required: ['content'] }) }, ...errors },
        },
      },
      '/exists': {
        post: {
          tags: [tag],
          operationId: 'exists',
          summary: 'GovStack exists: whether a record matching the query exists about the citizen',
          parameters: [userId],
          requestBody: { required: true, content: json(ref('QueryRequest')) },
          responses: { '200': { description: 'Answer', content: json(ref('ExistsResponse')) }, '400': errors['400'] },
        },
      },
      '/{id}/readValue/{field}.{ext}': {
        get: {
          tags: [tag],
          operationId: 'readValue',
          summary: "One field of one of the citizen's records",
          parameters: [
            idParam,
            { name: 'field', in: 'path', required: true, schema: { type: 'string', enum: info.fields.map((f) => f.name) } },
            { name: 'ext', in: 'path', required: true, schema: { type: 'string', enum: ['json'] } },
            userId,
          ],
          responses: { '200': { description: 'The value', content: json({ type: 'object', properties: { value: {} }, required: ['value'] }) }, ...errors },
        },
      },
    },
    components: {
      schemas: {
        Record: record,
        Content: recordJsonSchema(info, { id: meta.id }, ['id']),
        RecordList: {
          type: 'object',
          properties: {
            registry: { type: 'string', example: info.code },
            version: { type: 'string', example: info.version },
            subject: { type: 'string', format: 'uuid', nullable: true },
            records: { type: 'array', items: ref('Record') },
          },
          required: ['registry', 'version', 'subject', 'records'],
        },
        QueryRequest: {
          type: 'object',
          properties: { query: { type: 'object', properties: { content: query }, required: ['content'] } },
          required: ['query'],
        },
        ExistsResponse: {
          type: 'object',
          properties: { answer: { type: 'object', properties: { status: { type: 'boolean' }, message: { type: 'string' } }, required: ['status'] } },
          required: ['answer'],
        },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
          },
        },
      },
    },
  };
}
