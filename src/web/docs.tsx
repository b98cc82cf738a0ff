import { STATUS_CODES } from 'node:http';
import { render } from 'preact-render-to-string';
import type { Lang } from '../platform/i18n.ts';
import { platformMessages } from '../platform/messages.ts';
import { Breadcrumb, Layout } from './components.tsx';
import { t, type PageContext } from './context.ts';
import type { WebMessageKey } from './messages.ts';

// The API reference at /docs: the app's OpenAPI document turned, once per app, into a small
// language-free model, which the page renders in ko or en on the server. Swagger UI stays
// available at /docs/explorer for trying calls; this page is the one that must read without
// JavaScript and pass the accessibility checks.

/** The content depends on the language alone, which is what lets it be cached (see DocsPage). */
type DocsCtx = Pick<PageContext, 'lang'>;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

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

const refName = (ref: string) => decodeURIComponent(ref.slice(ref.lastIndexOf('/') + 1));
const literal = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

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

/**
 * Schemas are most of the page's weight and full of quotes, which Preact would write as `&quot;`
 * (six bytes each). Inside an element only `&` and `<` need escaping (`>` is done too, for the
 * reader of the source), so the JSON goes in with just those.
 */
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function JsonCode({ json }: { json: string }) {
  return <code dangerouslySetInnerHTML={{ __html: escapeText(json) }} />;
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

function rank(where: string | undefined): number {
  const i = PARAM_ORDER.indexOf(where ?? '');
  return i === -1 ? PARAM_ORDER.length : i;
}

export function formatBytes(n: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (n >= size && n % (size / 8) === 0) return `${n / size} ${unit}`;
  }
  return `${n} B`;
}

/** KRDS badge colours per method; the method is always written out, so colour is only a second cue. */
const METHOD_BADGE: Record<string, string> = {
  GET: 'bg-light-primary',
  POST: 'bg-light-success',
  PUT: 'bg-light-warning',
  PATCH: 'bg-light-point',
  DELETE: 'bg-light-danger',
};

function Method({ method }: { method: string }) {
  return <span class={`krds-badge hn-method ${METHOD_BADGE[method] ?? 'bg-light-gray'}`}>{method}</span>;
}

const IN_KEYS: Record<string, WebMessageKey> = {
  path: 'docs_in_path',
  query: 'docs_in_query',
  header: 'docs_in_header',
  cookie: 'docs_in_cookie',
};

function TypeCell({ ctx, field }: { ctx: DocsCtx; field: SchemaField }) {
  return (
    <td>
      <code>{field.type}</code>
      {field.constraints.length ? (
        <ul class="hn-constraints">
          {field.constraints.map((c) => (
            <li>
              {t(ctx, c.key)} <code>{c.value}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </td>
  );
}

/**
 * Parameters and body fields; KRDS data table with a (screen-reader) caption and header scopes.
 * On phones the location and required columns give way to a line under the name (see hanaro.css),
 * so the table fits 320 px without scrolling sideways.
 */
function FieldTable({ ctx, caption, fields, showIn }: { ctx: DocsCtx; caption: string; fields: SchemaField[]; showIn: boolean }) {
  return (
    <div class="krds-table-wrap hn-table">
      <table class="tbl col data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(ctx, 'docs_col_name')}</th>
            {showIn ? (
              <th scope="col" class="hn-col-meta">
                {t(ctx, 'docs_col_in')}
              </th>
            ) : null}
            <th scope="col" class="hn-col-meta">
              {t(ctx, 'docs_col_required')}
            </th>
            <th scope="col">{t(ctx, 'docs_col_type')}</th>
            <th scope="col">{t(ctx, 'docs_col_description')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => {
            const where = f.in ? (IN_KEYS[f.in] ? t(ctx, IN_KEYS[f.in]!) : f.in) : '';
            const required = t(ctx, f.required ? 'docs_required' : 'docs_optional');
            return (
              <tr>
                <th scope="row">
                  <code>{f.name}</code>
                  <span class="hn-field-meta">{showIn && where ? `${t(ctx, 'docs_in_cell', { where })} · ${required}` : required}</span>
                </th>
                {showIn ? <td class="hn-col-meta">{where}</td> : null}
                <td class="hn-col-meta">{required}</td>
                <TypeCell ctx={ctx} field={f} />
                <td>{f.description ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function SchemaRefs({ ctx, refs }: { ctx: DocsCtx; refs: SchemaLink[] }) {
  if (!refs.length) return null;
  return (
    <p class="hn-refs">
      {t(ctx, 'docs_refs')}{' '}
      {refs.map((r, i) => (
        <>
          {i ? ', ' : null}
          <a href={`#${r.id}`}>
            <code>{r.name}</code>
          </a>
        </>
      ))}
    </p>
  );
}

/** A JSON schema behind a native disclosure (works without JavaScript), styled as KRDS's. */
function SchemaDisclosure({ ctx, label, media }: { ctx: DocsCtx; label: string; media: MediaEntry }) {
  if (media.json === undefined) return null;
  return (
    <details class="krds-disclosure hn-disclosure">
      <summary class="btn-conts-expand">{label}</summary>
      <div class="expand-wrap">
        <div class="expand-in">
          <pre class="hn-code">
            <JsonCode json={media.json} />
          </pre>
          <SchemaRefs ctx={ctx} refs={media.refs} />
        </div>
      </div>
    </details>
  );
}

function Operation({ ctx, op }: { ctx: DocsCtx; op: ApiOperation }) {
  const name = `${op.method} ${op.path}`;
  return (
    <article class="hn-op" id={op.id}>
      <h3 class="hn-op-title">
        <Method method={op.method} /> <code class="hn-path">{op.path}</code>
        {op.deprecated ? (
          <>
            {' '}
            <span class="krds-badge bg-light-danger">{t(ctx, 'docs_deprecated')}</span>
          </>
        ) : null}
      </h3>
      {op.summary ? <p class="hn-op-summary">{op.summary}</p> : null}
      {op.description ? <p class="hn-op-text">{op.description}</p> : null}
      {op.parameters.length ? (
        <>
          <h4 class="hn-op-part">{t(ctx, 'docs_parameters')}</h4>
          <FieldTable ctx={ctx} caption={t(ctx, 'docs_params_caption', { op: name })} fields={op.parameters} showIn />
        </>
      ) : null}
      {op.body ? (
        <>
          <h4 class="hn-op-part">{t(ctx, 'docs_request_body')}</h4>
          {op.body.description ? <p class="hn-op-text">{op.body.description}</p> : null}
          <p>
            {t(ctx, op.body.required ? 'docs_body_required' : 'docs_body_optional')}{' '}
            {op.body.media.length ? (
              <>
                {t(ctx, 'docs_content_type')}:{' '}
                {op.body.media.map((m, i) => (
                  <>
                    {i ? ', ' : null}
                    <code>{m.type}</code>
                  </>
                ))}
              </>
            ) : null}
          </p>
          {op.body.fields.length ? (
            <FieldTable ctx={ctx} caption={t(ctx, 'docs_body_caption', { op: name })} fields={op.body.fields} showIn={false} />
          ) : null}
          {op.body.media.map((m) => (
            <SchemaDisclosure ctx={ctx} media={m} label={t(ctx, 'docs_schema_body', { type: m.type })} />
          ))}
        </>
      ) : null}
      <h4 class="hn-op-part">{t(ctx, 'docs_responses')}</h4>
      <dl class="hn-responses">
        {op.responses.map((r) => (
          <div>
            <dt>
              <code>{r.status === 'default' ? t(ctx, 'docs_status_default') : r.status}</code>
              {r.reason ? ` ${r.reason}` : null}
            </dt>
            <dd>
              {r.description ? <p>{r.description}</p> : null}
              {r.media.length ? (
                r.media.map((m) => (
                  <>
                    <p>
                      {t(ctx, 'docs_content_type')}: <code>{m.type}</code>
                    </p>
                    <SchemaDisclosure ctx={ctx} media={m} label={t(ctx, 'docs_schema_response', { status: r.status, type: m.type })} />
                  </>
                ))
              ) : (
                <p>{t(ctx, 'docs_no_body')}</p>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}

const ERROR_ROWS: Array<{ status: number; codes: string[]; when: WebMessageKey }> = [
  { status: 400, codes: ['validation_failed'], when: 'docs_err_validation_failed' },
  { status: 400, codes: ['malformed_json'], when: 'docs_err_malformed_json' },
  { status: 401, codes: ['unauthorized'], when: 'docs_err_unauthorized' },
  { status: 403, codes: ['forbidden', 'csrf_invalid'], when: 'docs_err_forbidden' },
  { status: 404, codes: ['not_found'], when: 'docs_err_not_found' },
  { status: 409, codes: ['conflict'], when: 'docs_err_conflict' },
  { status: 413, codes: ['payload_too_large'], when: 'docs_err_payload_too_large' },
  { status: 415, codes: ['unsupported_media_type'], when: 'docs_err_unsupported_media_type' },
  { status: 429, codes: ['rate_limited'], when: 'docs_err_rate_limited' },
  { status: 500, codes: ['internal_error'], when: 'docs_err_internal_error' },
];

function problemExample(ctx: DocsCtx): string {
  return prettyJson({
    type: 'urn:hanaro:problem:validation_failed',
    title: platformMessages(ctx.lang, 'validation_failed'),
    status: 400,
    code: 'validation_failed',
    instance: '/api/example/items',
    requestId: '6e19ce88-e62c-40bc-894f-e27d128afc4f',
    errors: [{ path: 'body/count', message: 'Too small: expected number to be >=0' }],
  });
}

function Conventions({ ctx, api }: { ctx: DocsCtx; api: ApiReference }) {
  return (
    <section class="hn-section" aria-labelledby="docs-conventions">
      <h2 id="docs-conventions">{t(ctx, 'docs_conventions_title')}</h2>
      <ul class="krds-info-list decimal">
        <li>{t(ctx, 'docs_conv_paths')}</li>
        <li>{t(ctx, 'docs_conv_json')}</li>
        <li>{t(ctx, 'docs_conv_limit', { limit: formatBytes(api.bodyLimit) })}</li>
        <li>{t(ctx, 'docs_conv_request_id')}</li>
        <li>{t(ctx, 'docs_conv_lang')}</li>
        <li>{t(ctx, 'docs_conv_rate')}</li>
      </ul>
      <h3 class="hn-subtitle" id="docs-errors">
        {t(ctx, 'docs_errors_title')}
      </h3>
      <p class="hn-api-text">{t(ctx, 'docs_errors_text')}</p>
      <p class="hn-api-text">
        <a href="https://www.rfc-editor.org/rfc/rfc9457" hreflang="en">
          {t(ctx, 'docs_rfc_link')}
        </a>
      </p>
      <p class="hn-code-label">{t(ctx, 'docs_errors_example')}</p>
      <pre class="hn-code hn-code-block">
        <JsonCode json={problemExample(ctx)} />
      </pre>
      <div class="krds-table-wrap hn-table">
        <table class="tbl col data">
          <caption>{t(ctx, 'docs_errors_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t(ctx, 'docs_col_status')}</th>
              <th scope="col">{t(ctx, 'docs_col_code')}</th>
              <th scope="col">{t(ctx, 'docs_col_when')}</th>
            </tr>
          </thead>
          <tbody>
            {ERROR_ROWS.map((row) => (
              <tr>
                <th scope="row">{row.status}</th>
                <td>
                  {row.codes.map((c, i) => (
                    <>
                      {i ? ', ' : null}
                      <code>{c}</code>
                    </>
                  ))}
                </td>
                <td>{t(ctx, row.when)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const groupName = (ctx: DocsCtx, g: ApiGroup) => g.name ?? t(ctx, 'docs_group_other');

function Contents({ ctx, api }: { ctx: DocsCtx; api: ApiReference }) {
  return (
    <nav class="hn-section hn-toc" aria-labelledby="docs-contents">
      <h2 id="docs-contents">{t(ctx, 'docs_contents')}</h2>
      <ul class="hn-toc-groups">
        <li>
          <a href="#docs-conventions">{t(ctx, 'docs_conventions_title')}</a>
        </li>
        {api.groups.map((g) => (
          <li>
            <a href={`#${g.id}`}>{groupName(ctx, g)}</a> <span class="hn-count">({t(ctx, 'docs_count', { n: g.operations.length })})</span>
            <ul class="hn-toc-ops">
              {g.operations.map((op) => (
                <li>
                  <a href={`#${op.id}`}>
                    <span class="hn-toc-method">{op.method}</span> <code>{op.path}</code>
                  </a>
                  {op.summary ? <span class="hn-toc-summary"> {op.summary}</span> : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
        {api.schemas.length ? (
          <li>
            <a href="#docs-schemas">{t(ctx, 'docs_schemas_title')}</a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

function DocsContent({ ctx, api }: { ctx: DocsCtx; api: ApiReference }) {
  return (
    <>
      <Breadcrumb ctx={ctx} trail={[{ href: '/docs', label: t(ctx, 'docs_title') }]} />
      <h1 class="hn-title">{t(ctx, 'docs_title')}</h1>
      <p class="hn-lead">{t(ctx, 'docs_lead')}</p>
      <dl class="hn-facts">
        <div>
          <dt>{t(ctx, 'docs_base_url')}</dt>
          <dd>
            <code>{api.baseUrl}</code>
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'docs_api_version')}</dt>
          <dd>
            {api.title} {api.version} (OpenAPI {api.openapi})
          </dd>
        </div>
        <div>
          <dt>{t(ctx, 'docs_operation_count')}</dt>
          <dd>{t(ctx, 'docs_count', { n: api.operationCount })}</dd>
        </div>
      </dl>
      <p class="hn-api-text">
        {t(ctx, 'docs_errors_intro')} <a href="#docs-conventions">{t(ctx, 'docs_conventions_link')}</a>
      </p>
      <ul class="hn-doc-links">
        <li>
          <a href="/openapi.json" download="hanaro-openapi.json" class="krds-btn secondary medium">
            {t(ctx, 'docs_download')}
          </a>
        </li>
        <li>
          <a href="/docs/explorer" class="krds-btn tertiary medium">
            {t(ctx, 'docs_explorer')}
          </a>
        </li>
      </ul>
      <p class="hn-api-text hn-muted">{t(ctx, 'docs_explorer_note')}</p>
      <Contents ctx={ctx} api={api} />
      <Conventions ctx={ctx} api={api} />
      {api.groups.length ? null : <p class="hn-section">{t(ctx, 'docs_none')}</p>}
      {api.groups.map((g) => (
        <section class="hn-section hn-api-group">
          <h2 id={g.id}>{groupName(ctx, g)}</h2>
          {g.description ? <p class="hn-op-text">{g.description}</p> : null}
          {g.operations.map((op) => (
            <Operation ctx={ctx} op={op} />
          ))}
          <p class="hn-to-contents">
            <a href="#docs-contents">{t(ctx, 'docs_to_contents')}</a>
          </p>
        </section>
      ))}
      {api.schemas.length ? (
        <section class="hn-section hn-api-group">
          <h2 id="docs-schemas">{t(ctx, 'docs_schemas_title')}</h2>
          <p>{t(ctx, 'docs_schemas_text')}</p>
          {api.schemas.map((s) => (
            <article class="hn-op" id={s.id}>
              <h3 class="hn-op-title">
                <code class="hn-path">{s.name}</code>
              </h3>
              <pre class="hn-code hn-code-block">
                <JsonCode json={s.json} />
              </pre>
              <SchemaRefs ctx={ctx} refs={s.refs} />
            </article>
          ))}
          <p class="hn-to-contents">
            <a href="#docs-contents">{t(ctx, 'docs_to_contents')}</a>
          </p>
        </section>
      ) : null}
    </>
  );
}

/** The content, per reference and language: it depends on nothing else, so it is rendered once. */
const rendered = new WeakMap<ApiReference, Map<Lang, string>>();

function docsContent(lang: Lang, api: ApiReference): string {
  let byLang = rendered.get(api);
  if (!byLang) rendered.set(api, (byLang = new Map()));
  let html = byLang.get(lang);
  if (html === undefined) {
    html = render(<DocsContent ctx={{ lang }} api={api} />);
    byLang.set(lang, html);
  }
  return html;
}

/**
 * The page around the cached content: with hundreds of operations the content is megabytes of
 * HTML that take a few hundred milliseconds to render, while the layout (contrast, language
 * links) differs per variant and costs next to nothing. The whole page is then cached per
 * variant by the portal's page cache (page-cache.ts).
 */
export function DocsPage({ ctx, api }: { ctx: PageContext; api: ApiReference }) {
  return (
    <Layout ctx={ctx} title={t(ctx, 'docs_title')}>
      <div class="hn-docs" dangerouslySetInnerHTML={{ __html: docsContent(ctx.lang, api) }} />
    </Layout>
  );
}

/**
 * A small fixed document with every kind of thing the page can show (each method, parameters,
 * a body, several responses, a shared schema, an untagged and a deprecated operation), rendered
 * into the stylesheet's sample pages so that the purge keeps every class the real page uses.
 */
export const SAMPLE_SPEC = {
  openapi: '3.1.0',
  info: { title: 'Sample', version: '0' },
  tags: [{ name: 'sample', description: 'sample' }],
  components: { schemas: { Item: { type: 'object', properties: { name: { type: 'string' } } } } },
  paths: {
    '/sample/{id}': {
      get: {
        tags: ['sample'],
        summary: 'sample',
        description: 'sample',
        parameters: [
          { in: 'path', name: 'id', required: true, schema: { type: 'string', format: 'uuid' } },
          { in: 'query', name: 'q', schema: { type: 'integer', minimum: 0 }, description: 'sample' },
        ],
        responses: {
          '200': { description: 'sample', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          default: { description: 'sample' },
        },
      },
      post: {
        tags: ['sample'],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string', maxLength: 9 } }, required: ['name'] } } } },
        responses: { '201': { description: 'Default Response' } },
      },
      put: { tags: ['sample'], deprecated: true, responses: { '204': { description: 'sample' } } },
      patch: { tags: ['sample'], responses: { '204': { description: 'sample' } } },
      delete: { tags: ['sample'], responses: { '204': { description: 'sample' } } },
      options: { responses: { '204': { description: 'sample' } } },
    },
  },
};
