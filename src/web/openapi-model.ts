import { STATUS_CODES } from 'node:http';
import type { PageContext } from './context.ts';
import type { WebMessageKey } from './messages.ts';

// The language-free model of the API reference at /docs: the app's OpenAPI document turned,
// once per app, into groups of operations with their parameters, bodies and responses.
// docs.tsx renders it.

/** The content depends on the language alone, which is what lets it be cached (see DocsPage). */
export type DocsCtx = Pick<PageContext, 'lang'>;

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Order of operations on one path: reads first, then writes, then the rest. */
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'] as const;
const PARAM_ORDER = ['path', 'query', 'header', 'cookie'];
const SCHEMA_REF = '#/components/schemas/';
/** @fastify/swagger's description for a response the route did not describe. */
const PLACEHOLDER_DESCRIPTION = 'Default Response';

export interface Constraint {
  key: WebMessageKey;
  value: string;
}

export interface SchemaField {
  name: string;
  /** path, query, header or cookie for parameters; absent for body fields. */
  in?: string;
  required: boolean;
  type: string;
  constraints: Constraint[];
  description?: string;
}

export interface MediaEntry {
  type: string;
  /** The schema as pretty-printed JSON, without zod's safe-integer bounds. */
  json?: string;
  /** Shared schemas it refers to, as links into the Schemas section. */
  refs: SchemaLink[];
}

export interface SchemaLink {
  name: string;
  id: string;
}

export interface ApiOperation {
  id: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  parameters: SchemaField[];
  body?: { required: boolean; description?: string; media: MediaEntry[]; fields: SchemaField[] };
  responses: Array<{ status: string; reason?: string; description?: string; media: MediaEntry[] }>;
}

export interface ApiGroup {
  id: string;
  /** The tag; absent for the group of untagged operations. */
  name?: string;
  description?: string;
  operations: ApiOperation[];
}

export interface ApiReference {
  title: string;
  version: string;
  openapi: string;
  baseUrl: string;
  /** Largest request body the server accepts, in bytes. */
  bodyLimit: number;
  groups: ApiGroup[];
  schemas: Array<{ id: string; name: string; json: string; refs: SchemaLink[] }>;
  operationCount: number;
}

/** Ids that the layout or this page already use, so that no generated id can take them. */
const FIXED_IDS = ['main', 'wrap', 'docs-contents', 'docs-conventions', 'docs-errors', 'docs-schemas'];

/** Hands out ids that are valid in HTML (no spaces, not empty) and unique on the page. */
class IdRegistry {
  private readonly used = new Set<string>(FIXED_IDS);
  take(prefix: string, raw: string): string {
    const slug = raw
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}_-]+/gu, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-+$/g, '');
    const base = slug ? `${prefix}-${slug}` : prefix;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

/** zod writes ±Number.MAX_SAFE_INTEGER as the bounds of every integer; they say nothing to a reader. */
function tidy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(tidy);
  if (!isObj(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$schema') continue;
    if ((k === 'minimum' && x === -Number.MAX_SAFE_INTEGER) || (k === 'maximum' && x === Number.MAX_SAFE_INTEGER)) continue;
    out[k] = tidy(x);
  }
  return out;
}

function refNames(v: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) refNames(x, into);
  else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith(SCHEMA_REF)) into.add(decodeURIComponent(x.slice(SCHEMA_REF.length)));
      else refNames(x, into);
    }
  }
  return into;
}

export const refName = (ref: string) => decodeURIComponent(ref.slice(ref.lastIndexOf('/') + 1));
export const literal = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

const JSON_WIDTH = 80;

/** The value on one line if that is at most `budget` characters; gives up as soon as it is longer. */
function oneLine(v: unknown, budget: number): string | undefined {
  if (!Array.isArray(v) && !isObj(v)) {
    const s = JSON.stringify(v) ?? 'null';
    return s.length <= budget ? s : undefined;
  }
  const array = Array.isArray(v);
  const items = array ? v.map((x) => ['', x] as const) : Object.entries(v).map(([k, x]) => [`${JSON.stringify(k)}: `, x] as const);
  if (!items.length) return array ? '[]' : '{}';
  const parts: string[] = [];
  let used = array ? 2 : 4;
  for (const [key, x] of items) {
    const part = oneLine(x, budget - used - key.length);
    if (part === undefined) return undefined;
    parts.push(key + part);
    used += key.length + part.length + 2;
  }
  const s = array ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
  return s.length <= budget ? s : undefined;
}

/**
 * JSON indented by two, but with whatever fits in a line kept on one line (`"required": ["a", "b"]`,
 * `{ "type": "string" }`): schemas read faster, and a page with hundreds of them stays smaller.
 */
export function prettyJson(v: unknown, indent = '', lead = 0): string {
  const flat = oneLine(v, JSON_WIDTH - lead);
  if (flat !== undefined) return flat;
  if (!Array.isArray(v) && !isObj(v)) return JSON.stringify(v) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + prettyJson(x, inner, inner.length)).join(',\n')}\n${indent}]`;
  const lines = Object.entries(v).map(([k, x]) => {
    const key = `${inner}${JSON.stringify(k)}: `;
    return key + prettyJson(x, inner, key.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** A one-line type for tables: `string (uuid)`, `"a" | "b"`, `Item[]`, `integer | null`. */
export function typeLabel(schema: unknown, depth = 0): string {
  if (!isObj(schema) || depth > 4) return 'any';
  if (typeof schema.$ref === 'string') return refName(schema.$ref);
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  for (const [k, sep] of [['anyOf', ' | '], ['oneOf', ' | '], ['allOf', ' & ']] as const) {
    const parts = schema[k];
    if (Array.isArray(parts) && parts.length) return parts.map((p) => typeLabel(p, depth + 1)).join(sep);
  }
  const types = Array.isArray(schema.type) ? schema.type.filter((x): x is string => typeof x === 'string') : typeof schema.type === 'string' ? [schema.type] : [];
  if (!types.length) return isObj(schema.properties) ? 'object' : 'any';
  const label = types
    .map((type) => {
      if (type === 'array') return `${typeLabel(schema.items, depth + 1)}[]`;
      if (typeof schema.format === 'string' && type !== 'null') return `${type} (${schema.format})`;
      return type;
    })
    .join(' | ');
  return schema.nullable === true ? `${label} | null` : label;
}

function constraintsOf(schema: unknown): Constraint[] {
  if (!isObj(schema)) return [];
  const s = tidy(schema) as Json;
  const out: Constraint[] = [];
  const add = (key: WebMessageKey, v: unknown) => {
    if (v !== undefined && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) out.push({ key, value: String(v) });
  };
  add('docs_c_min_length', s.minLength);
  add('docs_c_max_length', s.maxLength);
  add('docs_c_minimum', s.minimum);
  add('docs_c_maximum', s.maximum);
  if (typeof s.exclusiveMinimum === 'number') add('docs_c_exclusive_minimum', s.exclusiveMinimum);
  if (typeof s.exclusiveMaximum === 'number') add('docs_c_exclusive_maximum', s.exclusiveMaximum);
  add('docs_c_min_items', s.minItems);
  add('docs_c_max_items', s.maxItems);
  // a format says it in a word; the pattern zod derives from it (uuid, email …) only adds noise
  if (typeof s.format !== 'string') add('docs_c_pattern', s.pattern);
  if ('default' in s) out.push({ key: 'docs_c_default', value: JSON.stringify(s.default) });
  return out;
}

function resolve(schema: unknown, components: Json): unknown {
  if (isObj(schema) && typeof schema.$ref === 'string' && schema.$ref.startsWith(SCHEMA_REF)) return components[refName(schema.$ref)] ?? schema;
  return schema;
}

/** The top-level properties of an object schema, for the request body table. */
function fieldsOf(schema: unknown, components: Json): SchemaField[] {
  const s = resolve(schema, components);
  if (!isObj(s) || !isObj(s.properties)) return [];
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  return Object.entries(s.properties).map(([name, p]) => ({
    name,
    required: required.has(name),
    type: typeLabel(p),
    constraints: constraintsOf(p),
    description: isObj(p) ? text(p.description) : undefined,
  }));
}

/**
 * Reads an OpenAPI 3 document (as @fastify/swagger makes it) into the page's model: operations
 * grouped by their first tag in the document's tag order, untagged ones last; every id derived
 * from the method and path and unique on the page. It reads defensively: a module may describe
 * its routes in ways this page does not know, which then show as less detail, never as an error.
 */
export function apiReference(spec: unknown, opts: { baseUrl: string; bodyLimit: number }): ApiReference {
  const doc = isObj(spec) ? spec : {};
  const info = isObj(doc.info) ? doc.info : {};
  const components = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
  const ids = new IdRegistry();
  const schemaIds = new Map<string, string>();
  for (const name of Object.keys(components)) schemaIds.set(name, ids.take('schema', name));
  const links = (v: unknown): SchemaLink[] =>
    [...refNames(v)].flatMap((name) => {
      const id = schemaIds.get(name);
      return id ? [{ name, id }] : [];
    });
  const mediaOf = (content: unknown): MediaEntry[] =>
    isObj(content)
      ? Object.entries(content).map(([type, m]) => {
          const schema = isObj(m) ? m.schema : undefined;
          return { type, json: schema === undefined ? undefined : prettyJson(tidy(schema)), refs: links(schema) };
        })
      : [];

  const tagOrder: string[] = [];
  const tagDescriptions = new Map<string, string>();
  if (Array.isArray(doc.tags)) {
    for (const tag of doc.tags) {
      if (isObj(tag) && typeof tag.name === 'string') {
        tagOrder.push(tag.name);
        const d = text(tag.description);
        if (d) tagDescriptions.set(tag.name, d);
      }
    }
  }
  const byTag = new Map<string | undefined, ApiOperation[]>();
  let operationCount = 0;
  for (const [path, item] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const parameters: SchemaField[] = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]
        .filter(isObj)
        .map((p) => {
          if (typeof p.$ref === 'string') return { name: refName(p.$ref), required: false, type: 'any', constraints: [] };
          const schema = p.schema ?? (isObj(p.content) ? Object.values(p.content).map((c) => (isObj(c) ? c.schema : undefined))[0] : undefined);
          return {
            name: String(p.name ?? ''),
            in: typeof p.in === 'string' ? p.in : undefined,
            required: p.required === true || p.in === 'path',
            type: typeLabel(schema),
            constraints: constraintsOf(schema),
            description: text(p.description) ?? (isObj(schema) ? text(schema.description) : undefined),
          };
        })
        .sort((a, b) => rank(a.in) - rank(b.in));
      const rb = isObj(op.requestBody) ? op.requestBody : undefined;
      const bodyMedia = rb ? mediaOf(rb.content) : [];
      const firstBodySchema = rb && isObj(rb.content) ? Object.values(rb.content).map((c) => (isObj(c) ? c.schema : undefined))[0] : undefined;
      const responses = Object.entries(isObj(op.responses) ? op.responses : {}).map(([status, r]) => {
        const res = isObj(r) ? r : {};
        const description = text(res.description);
        return {
          status,
          reason: /^\d{3}$/.test(status) ? STATUS_CODES[Number(status)] : undefined,
          description: description === PLACEHOLDER_DESCRIPTION ? undefined : description,
          media: mediaOf(res.content),
        };
      });
      const tags = Array.isArray(op.tags) ? op.tags.filter((x): x is string => typeof x === 'string' && x !== '') : [];
      const tag = tags[0];
      if (tag !== undefined && !tagOrder.includes(tag)) tagOrder.push(tag);
      const list = byTag.get(tag) ?? [];
      list.push({
        id: ids.take('op', `${method}-${path.replace(/[{}]/g, '')}`),
        method: method.toUpperCase(),
        path,
        summary: text(op.summary),
        description: text(op.description),
        deprecated: op.deprecated === true,
        parameters,
        body: rb
          ? { required: rb.required === true, description: text(rb.description), media: bodyMedia, fields: fieldsOf(firstBodySchema, components) }
          : undefined,
        responses,
      });
      byTag.set(tag, list);
      operationCount++;
    }
  }
  const groups: ApiGroup[] = [];
  for (const name of tagOrder) {
    const operations = byTag.get(name);
    if (operations?.length) groups.push({ id: ids.take('tag', name), name, description: tagDescriptions.get(name), operations });
  }
  const untagged = byTag.get(undefined);
  if (untagged?.length) groups.push({ id: ids.take('tag', 'other'), operations: untagged });

  return {
    title: text(info.title) ?? 'API',
    version: text(info.version) ?? '',
    openapi: text(doc.openapi) ?? '',
    baseUrl: opts.baseUrl,
    bodyLimit: opts.bodyLimit,
    groups,
    schemas: Object.entries(components).map(([name, schema]) => ({
      id: schemaIds.get(name) ?? '',
      name,
      json: prettyJson(tidy(schema)),
      refs: links(schema).filter((l) => l.name !== name),
    })),
    operationCount,
  };
}

export function rank(where: string | undefined): number {
  const i = PARAM_ORDER.indexOf(where ?? '');
  return i === -1 ? PARAM_ORDER.length : i;
}

export function formatBytes(n: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (n >= size && n % (size / 8) === 0) return `${n / size} ${unit}`;
  }
  return `${n} B`;
}
