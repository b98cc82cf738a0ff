import { z } from 'zod';
import { BadRequestError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { RegistryInfo } from './catalog.ts';
import type { RegistryField } from './definitions.ts';
import { isIsoDate, UUID_RE, validBusinessNumber, validRrn } from './identifiers.ts';
import { registryMessages, type RegistryMessageKey } from './messages.ts';

/**
 * Validation generated from a registry's fields. Each field type becomes a zod schema whose
 * failures carry one of our problem codes, so that a refused record names every bad field with
 * a ko/en explanation instead of zod's English text.
 */

/** Keys of a record that are not fields: its id and the citizen it is about. */
export const META_KEYS = ['id', 'subjectId'] as const;
/** Names no field may take (they appear beside the fields in presented records). */
export const RESERVED_NAMES = new Set(['id', 'subjectId', 'version', 'changedAt', 'changedBy', 'registry', 'subject']);

export const MAX_TEXT = 1000;
export const MAX_REFS = 100;

type IssueCode = Exclude<RegistryMessageKey, `type_${string}`>;

export interface FieldIssue {
  field: string;
  code: IssueCode;
  params?: Record<string, string | number>;
}

/** 400 `validation_failed` with `errors: [{ field, code, detail, path }]`, in the caller's language. */
export class RecordValidationError extends BadRequestError {
  constructor(
    readonly issues: FieldIssue[],
    lang: Lang,
    where: string,
  ) {
    const errors = issues.map((i) => ({
      field: i.field,
      code: i.code,
      detail: registryMessages(lang, i.code, i.params),
      path: `${where}/${i.field}`,
    }));
    const detail = errors.map((e) => `${e.field}: ${e.detail}`).join('; ');
    super(detail, { errors }, 'validation_failed');
  }
}

const typeName = (lang: Lang, t: 'integer' | 'number' | 'boolean' | 'string' | 'array') => registryMessages(lang, `type_${t}`);

function buildSchema(f: RegistryField): z.ZodType {
  const text = () => z.string({ error: 'wrong_type' }).max(MAX_TEXT, { error: 'too_long' });
  switch (f.type) {
    case 'string': {
      let s = text();
      if (f.pattern) s = s.regex(new RegExp(f.pattern), { error: 'bad_pattern' });
      return f.format === 'business-number' ? s.refine(validBusinessNumber, { error: 'bad_business_number' }) : s;
    }
    case 'integer':
      return z.number({ error: 'wrong_type' }).int({ error: 'wrong_type' });
    case 'number':
      return z.number({ error: 'wrong_type' }).refine(Number.isFinite, { error: 'wrong_type' });
    case 'boolean':
      return z.boolean({ error: 'wrong_type' });
    case 'date':
      return z.string({ error: 'wrong_type' }).refine(isIsoDate, { error: 'bad_date' });
    case 'enum':
      return z.enum((f.values ?? []) as [string, ...string[]], { error: 'bad_enum' });
    case 'rrn':
      return z.string({ error: 'wrong_type' }).refine(validRrn, { error: 'bad_rrn' });
    case 'ref':
      return z.string({ error: 'wrong_type' }).regex(UUID_RE, { error: 'bad_ref' });
    case 'refs':
      return z.array(z.string({ error: 'bad_ref' }).regex(UUID_RE, { error: 'bad_ref' }), { error: 'wrong_type' }).max(MAX_REFS, { error: 'too_many' });
  }
}

const schemas = new WeakMap<RegistryField, z.ZodType>();
/** The zod schema of one field's value (cached per field definition). */
export function fieldSchema(f: RegistryField): z.ZodType {
  let s = schemas.get(f);
  if (!s) schemas.set(f, (s = buildSchema(f)));
  return s;
}

const EXPECTED: Record<RegistryField['type'], 'integer' | 'number' | 'boolean' | 'string' | 'array'> = {
  string: 'string', integer: 'integer', number: 'number', boolean: 'boolean', date: 'string', enum: 'string', rrn: 'string', ref: 'string', refs: 'array',
};

/** Checks one value; returns the issue or undefined. Field-type problems name the expected type. */
export function checkValue(f: RegistryField, value: unknown): FieldIssue | undefined {
  const r = fieldSchema(f).safeParse(value);
  if (r.success) return undefined;
  const code = (r.error.issues[0]?.message ?? 'wrong_type') as IssueCode;
  const known = code in registryMessages.catalogue.ko ? code : 'wrong_type';
  return { field: f.name, code: known, params: { values: (f.values ?? []).join(', '), max: f.type === 'refs' ? MAX_REFS : MAX_TEXT } };
}

export type Mode = 'create' | 'patch' | 'query';

export interface ParsedContent {
  /** The record id, when given (uuid). */
  id?: string;
  subjectId?: string;
  /** Field values that passed their checks. */
  values: Record<string, unknown>;
  /** Fields set to null in a patch: to be removed. */
  cleared: string[];
}

export interface ParseOptions {
  lang: Lang;
  /** Where the content sits in the request, for error paths (`body/write/content`). */
  where: string;
}

/**
 * Parses a record's content against the registry: unknown fields, wrong types, bad enum values,
 * dates and RRNs are refused together, each naming its field. `create` also fills defaults and
 * requires the required fields; `patch` lets null remove an optional field; `query` takes any
 * subset of fields as conditions.
 */
export function parseContent(info: RegistryInfo, content: unknown, mode: Mode, opts: ParseOptions): ParsedContent {
  const issues: FieldIssue[] = [];
  const fail = () => new RecordValidationError(issues, opts.lang, opts.where);
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    issues.push({ field: '(content)', code: 'wrong_type', params: { type: registryMessages(opts.lang, 'type_object') } });
    throw fail();
  }
  const out: ParsedContent = { values: {}, cleared: [] };
  const byName = new Map(info.fields.map((f) => [f.name, f]));
  for (const [key, value] of Object.entries(content)) {
    if (key === 'id' || key === 'subjectId') {
      if (value === undefined || (value === null && mode !== 'query')) continue;
      if (typeof value !== 'string' || !UUID_RE.test(value)) issues.push({ field: key, code: 'bad_ref' });
      // a resident record's subject is itself: as a condition subjectId means id there
      else if (key === 'subjectId' && (info.subject === 'none' || (info.subject === 'self' && mode !== 'query'))) {
        issues.push({ field: key, code: 'not_for_registry' });
      }
      else out[key] = value.toLowerCase();
      continue;
    }
    const f = byName.get(key);
    if (!f) {
      issues.push({ field: key, code: 'unknown_field' });
      continue;
    }
    if (value === undefined) continue;
    if (value === null && mode !== 'query') {
      if (mode === 'patch') {
        if (f.required) issues.push({ field: key, code: 'required' });
        else out.cleared.push(key);
      }
      continue;
    }
    const issue = checkValue(f, value);
    if (issue) {
      if (issue.code === 'wrong_type') issue.params = { type: typeName(opts.lang, EXPECTED[f.type]) };
      issues.push(issue);
    } else out.values[key] = value;
  }
  if (mode === 'create') {
    for (const f of info.fields) {
      if (out.values[f.name] === undefined && f.default !== undefined) out.values[f.name] = f.default;
    }
    // a field refused for its value is not also reported missing
    issues.push(...missingRequired(info, out.values).filter((m) => !issues.some((i) => i.field === m.field)));
    if (info.subject === 'citizen' && !out.subjectId && !issues.some((i) => i.field === 'subjectId')) {
      issues.push({ field: 'subjectId', code: 'required' });
    }
  }
  if (mode === 'query' && !out.id && !out.subjectId && !Object.keys(out.values).length && !issues.length) {
    issues.push({ field: '(query)', code: 'empty_query' });
  }
  if (issues.length) throw fail();
  return out;
}

/** Required fields without a value. */
export function missingRequired(info: RegistryInfo, values: Record<string, unknown>): FieldIssue[] {
  return info.fields.filter((f) => f.required && (values[f.name] === undefined || values[f.name] === null)).map((f) => ({ field: f.name, code: 'required' as const }));
}
