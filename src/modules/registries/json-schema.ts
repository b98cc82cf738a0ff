import type { RegistryInfo } from './catalog.ts';
import type { FieldType, RegistryField } from './definitions.ts';
import { MAX_REFS, MAX_TEXT } from './validation.ts';

/**
 * A registry's fields as JSON Schema (the OpenAPI 3.0 subset), for the mediated services'
 * OpenAPI documents and the GovStack Database API, and back again for `database/modify`.
 */

// maskRrn: birth date and sex digit shown, or all hidden when the stored value cannot be read
const MASKED_RRN = '^([0-9]{6}-[0-9]|[*]{6}-[*])[*]{6}$';

/** The schema of one field's value as it leaves the registry (an rrn field masked). */
export function fieldJsonSchema(f: RegistryField): Record<string, unknown> {
  const base: Record<string, unknown> = {
    description: f.label.en,
    'x-label': f.label,
    'x-personal': f.personal,
    'x-hanaro-type': f.type,
    ...(f.default !== undefined ? { default: f.default } : {}),
  };
  switch (f.type) {
    case 'string':
      return { type: 'string', maxLength: MAX_TEXT, ...(f.pattern ? { pattern: f.pattern } : {}), ...(f.format ? { 'x-format': f.format } : {}), ...base };
    case 'integer':
    case 'number':
    case 'boolean':
      return { type: f.type, ...base };
    case 'date':
      return { type: 'string', format: 'date', ...base };
    case 'enum':
      return { type: 'string', enum: f.values ?? [], ...base };
    case 'rrn':
      return { type: 'string', pattern: MASKED_RRN, example: '900101-1******', ...base, description: `${f.label.en} (masked)` };
    case 'ref':
      return { type: 'string', format: 'uuid', ...base };
    case 'refs':
      return { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: MAX_REFS, ...base };
  }
}

/** `{ type: object, properties, required }` of a registry's fields, optionally with extra leading properties. */
export interface ObjectSchema {
  type: 'object';
  properties: Record<string, unknown>;
  required: string[];
  [k: string]: unknown;
}

export function recordJsonSchema(info: RegistryInfo, lead: Record<string, unknown> = {}, leadRequired: string[] = []): ObjectSchema {
  const properties: Record<string, unknown> = { ...lead };
  for (const f of info.fields) properties[f.name] = fieldJsonSchema(f);
  return {
    type: 'object',
    properties,
    required: [...leadRequired, ...info.fields.filter((f) => f.required).map((f) => f.name)],
  };
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const TYPES = new Set<FieldType>(['string', 'integer', 'number', 'boolean', 'date', 'enum', 'rrn', 'ref', 'refs']);

/** What `fieldsFromJsonSchema` could not read, by property name. */
export type SchemaProblems = Array<{ field: string; detail: string }>;

/**
 * Reads fields from a GovStack DatabaseSchema (`properties`, `required`). A property's type comes
 * from `x-hanaro-type`, else from JSON Schema (`format: date` → date, `enum` → enum,
 * `format: uuid` → ref, an array of uuids → refs). `x-personal` defaults to true (the safe side);
 * `x-label` ({ko, en}) defaults to the description or the name.
 */
export function fieldsFromJsonSchema(schema: unknown, reserved: ReadonlySet<string>): { fields: RegistryField[]; problems: SchemaProblems } {
  const problems: SchemaProblems = [];
  const s = (schema ?? {}) as { properties?: unknown; required?: unknown };
  const props = s.properties;
  if (typeof props !== 'object' || props === null || Array.isArray(props)) {
    return { fields: [], problems: [{ field: '(schema)', detail: 'schema.properties must be an object' }] };
  }
  const required = new Set(Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : []);
  const fields: RegistryField[] = [];
  for (const [name, raw] of Object.entries(props)) {
    const p = (raw ?? {}) as Record<string, unknown>;
    if (!NAME.test(name) || reserved.has(name)) {
      problems.push({ field: name, detail: 'field names are letters, digits and _ (not id, subjectId, version, changedAt…)' });
      continue;
    }
    const items = (p.items ?? {}) as Record<string, unknown>;
    let type = p['x-hanaro-type'] as FieldType | undefined;
    if (type === undefined) {
      if (p.type === 'string') type = p.format === 'date' ? 'date' : Array.isArray(p.enum) ? 'enum' : p.format === 'uuid' ? 'ref' : 'string';
      else if (p.type === 'array' && items.format === 'uuid') type = 'refs';
      else if (p.type === 'integer' || p.type === 'number' || p.type === 'boolean') type = p.type;
    }
    if (!type || !TYPES.has(type)) {
      problems.push({ field: name, detail: 'unsupported type (string, integer, number, boolean, date, enum, rrn, ref, refs)' });
      continue;
    }
    const values = Array.isArray(p.enum) ? p.enum.filter((v): v is string => typeof v === 'string') : undefined;
    if (type === 'enum' && !values?.length) {
      problems.push({ field: name, detail: 'an enum needs its values' });
      continue;
    }
    const label = p['x-label'] as { ko?: unknown; en?: unknown } | undefined;
    const text = typeof p.description === 'string' && p.description ? p.description : name;
    const field: RegistryField = {
      name,
      label: { ko: typeof label?.ko === 'string' ? label.ko : text, en: typeof label?.en === 'string' ? label.en : text },
      type,
      personal: p['x-personal'] !== false,
    };
    if (required.has(name)) field.required = true;
    if (type === 'enum') field.values = values;
    if (type === 'rrn') field.unique = true;
    if (type === 'string' && typeof p.pattern === 'string') {
      try {
        new RegExp(p.pattern);
        field.pattern = p.pattern;
      } catch {
        problems.push({ field: name, detail: 'pattern is not a regular expression' });
      }
    }
    fields.push(field);
  }
  if (fields.filter((f) => f.type === 'rrn').length > 1) problems.push({ field: '(schema)', detail: 'a registry has at most one rrn field' });
  return { fields, problems };
}
