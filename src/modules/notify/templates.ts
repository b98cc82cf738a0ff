import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, textArray, textArrayLiteral, type Db } from '../../platform/db.ts';
import { BadRequestError, NotFoundError } from '../../platform/errors.ts';
import { fitParticle, PARTICLE_MARK } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { measureSms, smsKind, SmsTextError, type SmsKind } from './sms-text.ts';

/**
 * Templates: a message's text in Korean and English with named placeholders `((name))`, one
 * variant per channel. Saving a template makes a new immutable version; a message records the
 * version it was made from. A placeholder may be optional (`((name??text shown when given))`, the text without parentheses).
 * A template is checked when saved (both languages, every field a channel needs, text a phone can
 * show) and again when a message is made from it: a missing placeholder refuses the message
 * before anything is queued.
 */

export const CHANNELS = ['email', 'sms', 'push', 'alimtalk', 'inbox'] as const;
export type Channel = (typeof CHANNELS)[number];
export const LANGS = ['ko', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const CATEGORIES = ['transactional', 'reminder', 'alert', 'urgent', 'emergency', 'advertising'] as const;
export type Category = (typeof CATEGORIES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
const Button = z.object({ name: text(14), url: z.string().url().max(500) });

export const Variants = z
  .object({
    email: z.object({ subject: text(200), body: text(20_000) }).strict().optional(),
    sms: z.object({ body: text(2000), title: text(40).optional() }).strict().optional(),
    push: z.object({ title: text(100), body: text(300), url: z.string().max(500).optional() }).strict().optional(),
    alimtalk: z.object({ templateCode: z.string().regex(/^[A-Za-z0-9_-]{1,30}$/), body: text(1000), buttons: z.array(Button).max(5).optional() }).strict().optional(),
    inbox: z.object({ title: text(200), body: text(5000), url: z.string().max(500).optional() }).strict().optional(),
  })
  .strict();
export type Variants = z.infer<typeof Variants>;

export const TemplateContent = z.object({ ko: Variants, en: Variants }).strict();
export type TemplateContent = z.infer<typeof TemplateContent>;

export const NewTemplate = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'lower-case letters, digits, dot, dash and underscore'),
    name: text(200),
    category: z.enum(CATEGORIES).default('transactional'),
    content: TemplateContent,
  })
  .strict();
export type NewTemplate = z.infer<typeof NewTemplate>;

const PLACEHOLDER = /\(\(([^()?]{1,64}?)(?:\?\?([^()]*))?\)\)/g;
const NAME = /^[\p{L}\p{N}_.-]+$/u;

/** The placeholders of one text, in order, each once; `optional` when written `((name??…))`. */
export function placeholdersOf(s: string): Array<{ name: string; optional: boolean }> {
  const out = new Map<string, boolean>();
  for (const m of s.matchAll(PLACEHOLDER)) {
    const name = m[1]!.trim();
    out.set(name, (out.get(name) ?? true) && m[2] !== undefined);
  }
  return [...out].map(([name, optional]) => ({ name, optional }));
}

const textsOf = (v: Variants[keyof Variants]): string[] =>
  v ? Object.entries(v).flatMap(([k, x]) => (k === 'buttons' ? (x as Array<{ name: string; url: string }>).flatMap((b) => [b.name, b.url]) : typeof x === 'string' && k !== 'templateCode' ? [x] : [])) : [];

/** Placeholders a channel's variant needs in a language (required ones only when `requiredOnly`). */
export function variantPlaceholders(content: TemplateContent, lang: Lang, channel: Channel, requiredOnly = false): string[] {
  const seen = new Map<string, boolean>();
  for (const t of textsOf(content[lang][channel])) for (const p of placeholdersOf(t)) seen.set(p.name, (seen.get(p.name) ?? true) && p.optional);
  return [...seen].filter(([, optional]) => !requiredOnly || !optional).map(([n]) => n);
}

export function allPlaceholders(content: TemplateContent): string[] {
  const names = new Set<string>();
  for (const lang of LANGS) for (const ch of CHANNELS) for (const p of variantPlaceholders(content, lang, ch)) names.add(p);
  return [...names].sort();
}

export interface TemplateProblem {
  path: string;
  message: string;
}

/** Everything wrong with a template's content, or nothing. */
export function checkTemplate(t: { category: Category; content: TemplateContent }): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const lang of LANGS) {
    const v = t.content[lang];
    const channels = CHANNELS.filter((c) => v[c]);
    if (channels.length === 0) problems.push({ path: `content.${lang}`, message: 'at least one channel variant is needed' });
    const other = lang === 'ko' ? 'en' : 'ko';
    for (const c of channels) if (!t.content[other][c]) problems.push({ path: `content.${other}.${c}`, message: `the ${lang} text has a ${c} variant, so the ${other} text needs one too` });
    for (const c of channels) {
      for (const s of textsOf(v[c])) {
        for (const p of placeholdersOf(s)) if (!NAME.test(p.name)) problems.push({ path: `content.${lang}.${c}`, message: `placeholder name "${p.name}" may hold letters, digits, dot, dash and underscore only` });
      }
    }
    for (const c of ['sms', 'alimtalk'] as const) {
      const body = v[c]?.body;
      if (!body) continue;
      // the fixed text must be sendable; placeholders are checked once filled in
      const fixed = body.replace(PLACEHOLDER, '');
      const m = measureSms(fixed);
      if (m.unsupported.length) problems.push({ path: `content.${lang}.${c}.body`, message: `characters a phone cannot show in a text message: ${m.unsupported.join(' ')}` });
      if (c === 'sms' && m.bytes > 2000) problems.push({ path: `content.${lang}.sms.body`, message: `${m.bytes} bytes without placeholders; an LMS holds 2000` });
    }
    if (t.category === 'advertising' && v.sms && lang === 'ko' && !v.sms.body.startsWith('(광고)')) {
      problems.push({ path: 'content.ko.sms.body', message: 'an advertising text message must start with (광고) (정보통신망법 제50조)' });
    }
  }
  return problems;
}

export class MissingPersonalisationError extends BadRequestError {
  constructor(readonly missing: string[]) {
    super(`Missing personalisation: ${missing.join(', ')}`, { missing, errors: missing.map((m) => ({ path: `personalisation.${m}`, message: 'missing' })) }, 'missing_personalisation');
  }
}

/** Personalisation values: strings and numbers, rendered as text; a list renders as lines starting "• ". */
export const Personalisation = z.record(z.string().max(64), z.union([z.string().max(10_000), z.number(), z.array(z.union([z.string().max(1000), z.number()])).max(100)])).default({});
export type Personalisation = z.infer<typeof Personalisation>;

/**
 * A Korean particle written for both cases right after a placeholder ("((service))을(를)",
 * "((part))이(가)", "((place))(으)로"): once the value is known, the one that fits it is written
 * ("부모급여가", "출생신고를"), except in AlimTalk, whose text must stay the approved template's.
 */
const PLACEHOLDER_AND_PARTICLE = new RegExp(PLACEHOLDER.source + PARTICLE_MARK.source + '?', 'g');

function fill(s: string, values: Personalisation, particles = true): string {
  return s.replace(PLACEHOLDER_AND_PARTICLE, (_all, rawName: string, optionalText: string | undefined, mark: string | undefined) => {
    const v = values[rawName.trim()];
    if (optionalText !== undefined) return (v === undefined || v === '' ? '' : optionalText) + (mark ?? '');
    if (Array.isArray(v)) return v.map((x) => `• ${x}`).join('\n') + (mark ?? '');
    const text = String(v);
    return text + (mark ? (particles ? fitParticle(text, mark) : mark) : '');
  });
}

export interface Rendered {
  channel: Channel;
  lang: Lang;
  subject?: string;
  title?: string;
  body: string;
  url?: string;
  /** SMS or LMS (text messages only). */
  smsKind?: SmsKind;
  templateCode?: string;
  buttons?: Array<{ name: string; url: string }>;
}

export class ChannelNotInTemplateError extends BadRequestError {
  constructor(channel: Channel) {
    super(`the template has no ${channel} variant`, { errors: [{ path: 'template_id', message: `no ${channel} variant` }] }, 'channel_not_in_template');
  }
}

/**
 * Fills in one channel's variant. Throws {@link MissingPersonalisationError} listing every
 * missing placeholder, and a 400 when the filled-in text message cannot be sent.
 */
export function render(content: TemplateContent, lang: Lang, channel: Channel, given: Personalisation): Rendered {
  // `name.ko` / `name.en` give a value per language (an agency's name, a decision): the language's wins
  const values: Personalisation = { ...given };
  for (const [k, x] of Object.entries(given)) if (k.endsWith(`.${lang}`)) values[k.slice(0, -lang.length - 1)] = x;
  const v = content[lang][channel];
  if (!v) throw new ChannelNotInTemplateError(channel);
  const missing = variantPlaceholders(content, lang, channel, true).filter((n) => values[n] === undefined || values[n] === '');
  if (missing.length) throw new MissingPersonalisationError(missing);
  switch (channel) {
    case 'email': {
      const e = content[lang].email!;
      return { channel, lang, subject: fill(e.subject, values).replace(/[\r\n]+/g, ' '), body: fill(e.body, values) };
    }
    case 'sms': {
      const s = content[lang].sms!;
      const body = fill(s.body, values);
      const title = s.title ? fill(s.title, values) : undefined;
      try {
        const { kind } = smsKind(body, title);
        return { channel, lang, body, title: kind === 'lms' ? title : undefined, smsKind: kind };
      } catch (e) {
        if (e instanceof SmsTextError) throw new BadRequestError(e.message, { errors: [{ path: 'personalisation', message: e.message }], ...e.detail }, 'sms_text_invalid');
        throw e;
      }
    }
    case 'push': {
      const p = content[lang].push!;
      return { channel, lang, title: fill(p.title, values), body: fill(p.body, values), url: p.url ? fill(p.url, values) : undefined };
    }
    case 'alimtalk': {
      const a = content[lang].alimtalk!;
      const body = fill(a.body, values, false);
      if ([...body].length > 1000) throw new BadRequestError('an AlimTalk message holds at most 1000 characters', { errors: [{ path: 'personalisation', message: 'too long' }] }, 'alimtalk_too_long');
      return { channel, lang, body, templateCode: a.templateCode, buttons: a.buttons?.map((b) => ({ name: fill(b.name, values, false), url: fill(b.url, values, false) })) };
    }
    case 'inbox': {
      const i = content[lang].inbox!;
      return { channel, lang, title: fill(i.title, values), body: fill(i.body, values), url: i.url ? fill(i.url, values) : undefined };
    }
  }
}

// ---- store --------------------------------------------------------------------------------

export interface Template {
  id: string;
  serviceId: string | null;
  code: string;
  name: string;
  category: Category;
  version: number;
  content: TemplateContent;
  placeholders: string[];
  createdAt: Date;
  updatedAt: Date;
  versionCreatedBy: string;
}

interface TemplateRow {
  id: string;
  service_id: string | null;
  code: string;
  name: string;
  category: Category;
  version: number;
  content: TemplateContent;
  placeholders: string[] | string;
  created_at: Date | string;
  updated_at: Date | string;
  created_by: string;
}

const toTemplate = (r: TemplateRow): Template => ({
  id: r.id,
  serviceId: r.service_id,
  code: r.code,
  name: r.name,
  category: r.category,
  version: Number(r.version),
  content: r.content,
  placeholders: textArray(r.placeholders),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  versionCreatedBy: r.created_by,
});

const SELECT = sql`select t.id::text as id, t.service_id::text as service_id, t.code, t.name, t.category, v.version, v.content, v.placeholders,
                          t.created_at, t.updated_at, v.created_by
                     from notify.template t join notify.template_version v on v.template_id = t.id`;

const uuidLike = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** A template's latest version (or the given one), by id or, within a service (null: the platform's), by code. */
export async function findTemplate(db: Db, ref: { id?: string; code?: string; serviceId?: string | null; version?: number }): Promise<Template | undefined> {
  let where;
  if (ref.id) {
    if (!uuidLike(ref.id)) return undefined;
    where = sql`t.id = ${ref.id}::uuid`;
  } else if (ref.code) {
    where = ref.serviceId ? sql`t.code = ${ref.code} and t.service_id = ${ref.serviceId}::uuid` : sql`t.code = ${ref.code} and t.service_id is null`;
  } else return undefined;
  const version = ref.version !== undefined ? sql`v.version = ${ref.version}` : sql`v.version = t.version`;
  const [r] = await rows<TemplateRow>(db, sql`${SELECT} where ${where} and ${version} and t.archived_at is null`);
  return r && toTemplate(r);
}

export async function listTemplates(db: Db, serviceId: string | null): Promise<Template[]> {
  const owner = serviceId ? sql`t.service_id = ${serviceId}::uuid` : sql`t.service_id is null`;
  return (await rows<TemplateRow>(db, sql`${SELECT} where ${owner} and v.version = t.version and t.archived_at is null order by t.code`)).map(toTemplate);
}

export class TemplateInvalidError extends BadRequestError {
  constructor(problems: TemplateProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '), { errors: problems }, 'template_invalid');
  }
}

/**
 * Creates a template or, when one with the code exists in the service, adds a version (name,
 * category and content replaced). Refused with every problem listed before anything is saved.
 */
export async function saveTemplate(platform: Platform, serviceId: string | null, given: NewTemplate, actor: string, tx?: Db): Promise<Template> {
  // the schema's limits hold for every caller, not only the HTTP routes that validate bodies
  const parsed = NewTemplate.safeParse(given);
  if (!parsed.success) throw new TemplateInvalidError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const input = parsed.data;
  const problems = checkTemplate(input);
  if (problems.length) throw new TemplateInvalidError(problems);
  const placeholders = allPlaceholders(input.content);
  const work = async (db: Db) => {
    const owner = serviceId ? sql`service_id = ${serviceId}::uuid` : sql`service_id is null`;
    const [existing] = await rows<{ id: string; version: number }>(db, sql`select id::text as id, version from notify.template where ${owner} and code = ${input.code} for update`);
    const id = existing?.id ?? randomUUID();
    const version = existing ? Number(existing.version) + 1 : 1;
    if (existing) {
      await db.execute(sql`update notify.template set name = ${input.name}, category = ${input.category}, version = ${version}, updated_at = now(), archived_at = null where id = ${id}::uuid`);
    } else {
      await db.execute(sql`insert into notify.template (id, service_id, code, name, category) values (${id}::uuid, ${serviceId}::uuid, ${input.code}, ${input.name}, ${input.category})`);
    }
    await db.execute(
      sql`insert into notify.template_version (template_id, version, content, placeholders, created_by)
          values (${id}::uuid, ${version}, ${JSON.stringify(input.content)}::jsonb, ${textArrayLiteral(placeholders)}::text[], ${actor})`,
    );
    await platform.audit.append({ actor, action: existing ? 'notify.template.versioned' : 'notify.template.created', subject: `notify.template:${id}`, data: { code: input.code, version } }, db as never);
    return id;
  };
  const id = tx ? await work(tx) : await platform.db.transaction((t) => work(t as unknown as Db));
  const t = await findTemplate(tx ?? platform.db, { id });
  if (!t) throw new NotFoundError('template vanished');
  return t;
}

/** A template's versions, newest first (id, version, who, when). */
export async function templateVersions(db: Db, id: string): Promise<Array<{ version: number; createdBy: string; createdAt: Date }>> {
  if (!uuidLike(id)) return [];
  const r = await rows<{ version: number; created_by: string; created_at: Date | string }>(db, sql`select version, created_by, created_at from notify.template_version where template_id = ${id}::uuid order by version desc`);
  return r.map((x) => ({ version: Number(x.version), createdBy: x.created_by, createdAt: new Date(x.created_at) }));
}
