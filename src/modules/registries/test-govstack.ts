import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import YAML from 'yaml';

/**
 * Validates answers against the response schemas of the GovStack Digital Registries OpenAPI
 * files (specs/govstack/digital-registries/*.yaml, vendored from ../shared/specs), for the tests. The files are
 * OpenAPI 3.0: `example`, `x-nullable` and the like are tolerated (strict: false), and `$ref`s
 * are resolved from the file's own components. The Database API file refers to
 * `DatabaseInfo`/`DatabasesSchema` while defining `databaseInfo`/`databasesSchema`; a
 * reference that misses by letter case only is resolved to the component it means.
 */

export const SPEC_DIR = path.resolve(import.meta.dirname, '../../../specs/govstack/digital-registries');
export const DATA_SPEC = 'GovStack_Digital_registries_BB_Data_API_template-1.3.0.yaml';
export const DATABASE_SPEC = 'GovStack_Digital_registries_BB_Database_API_template-1.3.0.yaml';

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };

const docs = new Map<string, Doc>();
function doc(file: string): Doc {
  let d = docs.get(file);
  // a bare name is a Digital Registries file; `identity/…` and the like name another building block's
  if (!d) docs.set(file, (d = YAML.parse(readFileSync(file.includes('/') ? path.join(SPEC_DIR, '..', file) : path.join(SPEC_DIR, file), 'utf8')) as Doc));
  return d;
}

function resolve(d: Doc, node: unknown, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(d, n, seen));
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === 'string') {
    const name = obj.$ref.replace('#/components/schemas/', '');
    const key = name in d.components.schemas ? name : Object.keys(d.components.schemas).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key) throw new Error(`unresolvable $ref ${obj.$ref}`);
    if (seen.includes(key)) return {};
    return resolve(d, d.components.schemas[key], [...seen, key]);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolve(d, v, seen)]));
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const compiled = new Map<string, ValidateFunction>();

/** The validator of one operation's response (`status`, application/json) in a GovStack file. */
export function responseValidator(file: string, specPath: string, method: string, status: string): ValidateFunction {
  const id = `${file} ${method} ${specPath} ${status}`;
  let v = compiled.get(id);
  if (!v) {
    const d = doc(file);
    const op = d.paths[specPath]?.[method.toLowerCase()];
    if (!op) throw new Error(`${file} has no ${method} ${specPath}`);
    const schema = op.responses?.[status]?.content?.['application/json']?.schema;
    // a response the file declares without a body accepts anything
    compiled.set(id, (v = ajv.compile(schema === undefined ? {} : (resolve(d, schema) as object))));
  }
  return v;
}

/** Throws with ajv's errors unless `body` matches the operation's response schema. */
export function expectConforms(file: string, specPath: string, method: string, status: number, body: unknown): void {
  const v = responseValidator(file, specPath, method, String(status));
  if (!v(body)) throw new Error(`${method} ${specPath} ${status} does not match ${file}: ${ajv.errorsText(v.errors)}`);
}

/** Whether the file documents this operation with this status at all. */
export function declaredStatuses(file: string, specPath: string, method: string): string[] {
  return Object.keys(doc(file).paths[specPath]?.[method.toLowerCase()]?.responses ?? {});
}
