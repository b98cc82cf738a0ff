import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Official } from '../../platform/auth.ts';
import { maskEmail, maskPhone } from '../../platform/crypto.ts';
import { rows } from '../../platform/db.ts';
import { ForbiddenError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import { isLang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { pageContext, type PageContext } from '../../web/context.ts';
import { AGENCY_ADMINS, portalPages } from '../../web/module-pages.ts';
import { citizenAccount, getContacts } from '../identity/index.ts';
import { listCaptured } from './capture.ts';
import { getPreferences, inbox, markRead, OPTIONAL_CATEGORIES, OUTSIDE_CHANNELS, setPreferences, type OutsideChannel } from './citizens.ts';
import { renderInbox, renderSettings, type SettingsValues } from './pages-citizen.tsx';
import { t, type FieldError } from './pages-common.tsx';
import { KEY_KINDS, renderKeyMade, renderService, renderServices, servicePath, templatePath, type ServiceView } from './pages-console.tsx';
import { EDITED_CHANNELS, fieldId, fieldName, renderTemplate, VARIANT_FIELDS, type PreviewItem, type TemplateValues } from './pages-template.tsx';
import { renderCaptured } from './pages-dev.tsx';
import { createApiKey, findService, isUuid, listApiKeys, listServices, revokeApiKey, type KeyKind, type NotifyService } from './services.ts';
import { checkTemplate, CHANNELS, findTemplate, LANGS, listTemplates, MissingPersonalisationError, NewTemplate, render, saveTemplate, TemplateInvalidError, templateVersions, type Personalisation, type Template, type TemplateContent, type TemplateProblem } from './templates.ts';

/**
 * The notification pages (docs/notify.md): the citizen's 알림함 and 알림 설정 with the web push
 * island and its service worker; in demo mode /dev/mail and /dev/sms; and the officials' console
 * for an agency's sending services, API keys and templates. Every form works without JavaScript
 * (posts with the form token, then a redirect, or the form again with its errors).
 */

const PUSH_JS = readFileSync(new URL('./push.client.js', import.meta.url));
// The service worker: shows a push message ({title, body, url}) and opens its page (this site only)
// when clicked. Kept here, small, rather than in a file of its own.
const SW_JS = `self.addEventListener('push', (event) => {
  let m = {};
  try { m = event.data ? event.data.json() : {}; } catch { m = { body: event.data ? event.data.text() : '' }; }
  const title = typeof m.title === 'string' && m.title ? m.title : '하나로 Hanaro';
  const options = { body: typeof m.body === 'string' ? m.body : '', data: { url: typeof m.url === 'string' ? m.url : '/notifications' } };
  if (typeof m.id === 'string') options.tag = m.id;
  if (m.lang === 'ko' || m.lang === 'en') options.lang = m.lang;
  event.waitUntil(self.registration.showNotification(title, options));
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  let url = new URL('/notifications', self.location.origin);
  try { const u = new URL(event.notification.data && event.notification.data.url || '/notifications', self.location.origin); if (u.origin === self.location.origin) url = u; } catch {}
  event.waitUntil(self.clients.openWindow(url.href));
});
`;

const Csrf = { _csrf: z.string().optional() };
const text = (max: number) => z.string().max(max).optional();
const many = z.union([z.string().max(40), z.array(z.string().max(40)).max(20)]).optional();
const listOf = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());
const Id = z.object({ id: z.string().max(64) });

/** "21:00", "9:00" or "2100" as HH:MM; undefined when it is not a time of day. */
function hhmm(s: string): string | undefined {
  const m = /^(\d{1,2}):?([0-5]\d)$/.exec(s.trim());
  return m && Number(m[1]) < 24 ? `${m[1]!.padStart(2, '0')}:${m[2]}` : undefined;
}

// ---- the template editor's form ---------------------------------------------------------------
const TemplateForm = z.object({
  code: text(200),
  name: text(500),
  category: text(40),
  sample: text(5000),
  action: text(20),
  ...Object.fromEntries(LANGS.flatMap((l) => VARIANT_FIELDS.map((f) => [fieldId(l, f.channel, f.field), text(f.max * 2 + 100)]))),
  ...Csrf,
});
type TemplateBody = Record<string, string | undefined>;

const valuesOf = (b: TemplateBody, code: string): TemplateValues => ({
  code,
  name: (b.name ?? '').trim(),
  category: b.category ?? '',
  sample: b.sample ?? '',
  fields: Object.fromEntries(LANGS.flatMap((l) => VARIANT_FIELDS.map((f) => fieldId(l, f.channel, f.field))).map((id) => [id, b[id] ?? ''])),
});

function valuesOfTemplate(tp: Template): TemplateValues {
  const fields: Record<string, string> = {};
  for (const l of LANGS) for (const f of VARIANT_FIELDS) fields[fieldId(l, f.channel, f.field)] = ((tp.content[l][f.channel] as Record<string, string> | undefined)?.[f.field] ?? '') as string;
  return { code: tp.code, name: tp.name, category: tp.category, fields, sample: tp.placeholders.map((p) => `${p}=`).join('\n') };
}

/** The draft's content: a channel with every field empty is left out; an LMS title the form does not show is kept. */
function contentOf(v: TemplateValues, existing?: Template): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const lang of LANGS) {
    const variants: Record<string, unknown> = {};
    const old = existing?.content[lang];
    for (const ch of EDITED_CHANNELS) {
      const entries = VARIANT_FIELDS.filter((f) => f.channel === ch).map((f) => [f.field, (v.fields[fieldId(lang, ch, f.field)] ?? '').trim()] as const);
      if (entries.every(([, x]) => !x)) continue;
      // the required fields stay even when empty, so that the check names them
      const variant: Record<string, string> = Object.fromEntries(entries.filter(([k, x]) => x || k !== 'url'));
      if (ch === 'sms' && old?.sms?.title) variant.title = old.sms.title;
      variants[ch] = variant;
    }
    out[lang] = variants;
  }
  return out;
}

/**
 * The AlimTalk texts of the template, which the form does not show, put back: they are as
 * registered with Kakao, so they are kept as they are rather than checked again here.
 */
function withAlimtalk<C extends object>(content: C, existing?: Template): C {
  if (!existing) return content;
  const out = structuredClone(content) as Record<string, Record<string, unknown>>;
  for (const lang of LANGS) if (existing.content[lang].alimtalk) out[lang] = { ...out[lang], alimtalk: existing.content[lang].alimtalk };
  return out as C;
}

/** The field a problem's path (`content.ko.sms.body`, `content.en.push`, `content.ko`) points at, and its name in words. */
function fieldOf(ctx: PageContext, path: Array<string | number | symbol>): { href: string; name: string } {
  const [, lang, channel, field] = path.map(String);
  if (!isLang(lang)) return { href: '#template-name', name: path.join('.') };
  const edited = (EDITED_CHANNELS as readonly string[]).includes(channel ?? '');
  const f = edited ? (VARIANT_FIELDS.find((x) => x.channel === channel && x.field === field) ?? VARIANT_FIELDS.find((x) => x.channel === channel)!) : VARIANT_FIELDS[0];
  return { href: `#${fieldId(lang, f.channel, f.field)}`, name: fieldName(ctx, lang, channel ?? '', edited && f.field === field ? field : undefined) };
}

function problemError(ctx: PageContext, p: TemplateProblem): FieldError {
  const { href, name } = fieldOf(ctx, p.path.split('.'));
  let m: RegExpExecArray | null;
  const text = /at least one channel variant/.test(p.message)
    ? t(ctx, 'error_no_variant', { field: name })
    : /needs one too/.test(p.message)
      ? t(ctx, 'error_variant_pair', { field: name })
      : (m = /placeholder name "(.*)" may hold/.exec(p.message))
        ? t(ctx, 'error_placeholder', { field: name, name: m[1]! })
        : (m = /cannot show in a text message: (.*)$/.exec(p.message))
          ? t(ctx, 'error_sms_chars', { field: name, chars: m[1]! })
          : /bytes without placeholders/.test(p.message)
            ? t(ctx, 'error_sms_long', { field: name })
            : /must start with \(광고\)/.test(p.message)
              ? t(ctx, 'error_ad_prefix', { field: name })
              : t(ctx, 'error_other', { field: name, message: p.message });
  return { href, text };
}

function issueError(ctx: PageContext, i: z.core.$ZodIssue): FieldError {
  const top = String(i.path[0] ?? '');
  if (top === 'code') return { href: '#template-code', text: t(ctx, 'error_code') };
  if (top === 'name') return { href: '#template-name', text: t(ctx, 'error_name') };
  if (top === 'category') return { href: '#template-category', text: t(ctx, 'error_category') };
  const { href, name } = fieldOf(ctx, i.path);
  if (i.code === 'too_small') return { href, text: t(ctx, 'error_field_empty', { field: name }) };
  if (i.code === 'too_big') return { href, text: t(ctx, 'error_field_long', { field: name, max: Number(i.maximum) }) };
  return { href, text: t(ctx, 'error_field_invalid', { field: name }) };
}

/** The summary lists the errors in the order of the fields they point at (the check goes by language, then channel). */
const FORM_ORDER = ['#template-code', '#template-name', '#template-category', ...LANGS.flatMap((l) => VARIANT_FIELDS.map((f) => `#${fieldId(l, f.channel, f.field)}`)), '#sample'];
const inFormOrder = (errors: FieldError[]) => errors.map((e, i) => ({ e, i, at: FORM_ORDER.indexOf(e.href) })).sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.e);

/** Sample values typed as `name=value` lines; the first line that is not one is an error. */
function sampleOf(ctx: PageContext, s: string): { values: Personalisation; error?: FieldError } {
  const values: Personalisation = {};
  const lines = s.split(/\r?\n/);
  for (const [n, line] of lines.entries()) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    const name = at > 0 ? line.slice(0, at).trim() : '';
    if (!name || name.length > 64) return { values, error: { href: '#sample', text: t(ctx, 'error_sample', { line: n + 1 }) } };
    values[name] = line.slice(at + 1).trim();
  }
  return { values };
}

function previewOf(ctx: PageContext, content: Record<string, Record<string, unknown>>, values: Personalisation): PreviewItem[] {
  const items: PreviewItem[] = [];
  for (const lang of LANGS) {
    for (const channel of CHANNELS) {
      if (!content[lang]?.[channel]) continue;
      try {
        items.push({ lang, channel, rendered: render(content as unknown as TemplateContent, lang, channel, values) });
      } catch (e) {
        if (e instanceof MissingPersonalisationError) items.push({ lang, channel, missing: e.missing });
        else if (e instanceof PlatformError) items.push({ lang, channel, error: e.code === 'alimtalk_too_long' ? t(ctx, 'preview_alimtalk_long') : e.code === 'sms_text_invalid' ? t(ctx, 'preview_sms_invalid') : (e.detail ?? e.code) });
        else throw e;
      }
    }
  }
  return items;
}

export async function notifyPages(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const { demo, assets, page, citizen, official } = portalPages(platform);

  // ---- 알림함 ---------------------------------------------------------------------------------
  const InboxQuery = z.looseObject({ before: text(64), done: text(20) });
  app.get('/notifications', { schema: { hide: true, querystring: InboxQuery } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const q = req.query as z.infer<typeof InboxQuery>;
    const { items, unread } = await inbox(platform, p.me.id, { limit: 50, ...(q.before && isUuid(q.before) ? { before: q.before } : {}) });
    const done = q.done === 'read' || q.done === 'all-read' ? q.done : undefined;
    return page(reply, p.ctx, renderInbox(p.ctx, { items, unread, older: items.length === 50 ? items[49]!.id : undefined, done }));
  });
  app.post('/notifications/read-all', { schema: { hide: true, body: z.object(Csrf) } }, async (req, reply) => {
    const p = (await citizen(req, reply))!;
    await markRead(platform.db, p.me.id);
    return reply.redirect('/notifications?done=all-read', 303);
  });
  app.post('/notifications/:id/read', { schema: { hide: true, params: Id, body: z.object(Csrf) } }, async (req, reply) => {
    const p = (await citizen(req, reply))!;
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw new NotFoundError('no such notification', 'inbox_item_not_found');
    // read already, or another citizen's: nothing changes, and nothing is told
    await markRead(platform.db, p.me.id, id);
    return reply.redirect('/notifications?done=read', 303);
  });

  // ---- 알림 설정 ------------------------------------------------------------------------------
  async function settingsView(citizenId: string) {
    const accountId = await citizenAccount(platform.db, citizenId);
    const c = accountId ? await getContacts(platform, accountId) : { email: null, phone: null };
    const [n] = await rows<{ n: unknown }>(platform.db, sql`select count(*) as n from notify.push_subscription where citizen_id = ${citizenId}::uuid and gone_at is null`);
    return { contacts: { email: c.email ? maskEmail(c.email) : null, phone: c.phone ? maskPhone(c.phone) : null }, browsers: Number(n?.n ?? 0) };
  }
  app.get('/notifications/settings', { schema: { hide: true, querystring: z.looseObject({ done: text(20) }) } }, async (req, reply) => {
    const p = await citizen(req, reply);
    if (!p) return reply;
    const prefs = await getPreferences(platform.db, p.me.id);
    const order = Object.fromEntries(OUTSIDE_CHANNELS.map((c) => [c, prefs.channels.includes(c) ? String(prefs.channels.indexOf(c) + 1) : ''])) as Record<OutsideChannel, string>;
    const values: SettingsValues = { order, lang: prefs.lang, quietStart: prefs.quietStart, quietEnd: prefs.quietEnd, optedOut: prefs.optedOut };
    const done = (req.query as { done?: string }).done === 'saved';
    return page(reply, p.ctx, renderSettings(p.ctx, { values, saved: prefs.saved, errors: [], done, ...(await settingsView(p.me.id)) }));
  });
  const SettingsForm = z.object({
    ...Object.fromEntries(OUTSIDE_CHANNELS.map((c) => [`order-${c}`, text(10)])),
    lang: text(10),
    quietStart: text(20),
    quietEnd: text(20),
    optedOut: many,
    ...Csrf,
  });
  app.post('/notifications/settings', { schema: { hide: true, body: SettingsForm } }, async (req, reply) => {
    const p = (await citizen(req, reply))!;
    const ctx = p.ctx;
    const b = req.body as Record<string, string | string[] | undefined>;
    const one = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
    const values: SettingsValues = {
      order: Object.fromEntries(OUTSIDE_CHANNELS.map((c) => [c, one(`order-${c}`)])) as Record<OutsideChannel, string>,
      lang: one('lang'),
      quietStart: one('quietStart'),
      quietEnd: one('quietEnd'),
      optedOut: listOf(b.optedOut as string | string[] | undefined),
    };
    const errors: FieldError[] = [];
    const places = new Map<number, OutsideChannel>();
    for (const c of OUTSIDE_CHANNELS) {
      const o = values.order[c];
      const channel = t(ctx, `channel_${c}`);
      if (!o) continue;
      if (!/^[1-4]$/.test(o)) errors.push({ href: `#order-${c}`, text: t(ctx, 'error_order', { channel }) });
      else if (places.has(Number(o))) errors.push({ href: `#order-${c}`, text: t(ctx, 'error_order_twice', { channel }) });
      else places.set(Number(o), c);
    }
    if (!isLang(values.lang)) errors.push({ href: '#lang-ko', text: t(ctx, 'error_lang') });
    const quietStart = hhmm(values.quietStart);
    const quietEnd = hhmm(values.quietEnd);
    if (!quietStart) errors.push({ href: '#quiet-start', text: t(ctx, 'error_time', { field: t(ctx, 'quiet_start') }) });
    if (!quietEnd) errors.push({ href: '#quiet-end', text: t(ctx, 'error_time', { field: t(ctx, 'quiet_end') }) });
    const optedOut = OPTIONAL_CATEGORIES.filter((c) => values.optedOut.includes(c));
    if (optedOut.length !== values.optedOut.length) errors.push({ href: '#optout-reminder', text: t(ctx, 'error_optout') });
    if (errors.length || !quietStart || !quietEnd || !isLang(values.lang)) {
      return page(reply, ctx, renderSettings(ctx, { values, saved: true, errors, ...(await settingsView(p.me.id)) }), 400);
    }
    const channels = [...places].sort(([a], [b2]) => a - b2).map(([, c]) => c);
    await setPreferences(platform, p.me.id, { channels, lang: values.lang, quietStart, quietEnd, optedOut });
    return reply.redirect('/notifications/settings?done=saved', 303);
  });

  // ---- web push: the island and the service worker ---------------------------------------------
  app.get('/notifications/push.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(PUSH_JS),
  );
  // at the root, so that its scope may be /notifications (the island asks for that); it fetches nothing
  app.get('/notify-sw.js', { schema: { hide: true }, config: { csp: "default-src 'none'" } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(SW_JS),
  );

  // ---- demo: what was "sent" --------------------------------------------------------------------
  // as /dev/sign-in: in production mode these routes do not exist (404)
  if (demo) {
    app.get('/dev/mail', { schema: { hide: true } }, async (req, reply) => {
      const ctx = pageContext(req, { assets, demo });
      return page(reply, ctx, renderCaptured(ctx, { kind: 'mail', messages: await listCaptured(platform, ['email']) }));
    });
    app.get('/dev/sms', { schema: { hide: true } }, async (req, reply) => {
      const ctx = pageContext(req, { assets, demo });
      return page(reply, ctx, renderCaptured(ctx, { kind: 'sms', messages: await listCaptured(platform, ['sms', 'alimtalk']) }));
    });
  }

  // ---- the officials' console -------------------------------------------------------------------
  /** An agency administrator (or a platform administrator); nobody signed in is sent to sign in (GET). */
  const admin = (req: FastifyRequest, reply: FastifyReply) => official(req, reply, AGENCY_ADMINS);
  /** The service in the path, if it is the official's agency's (a platform administrator: any); else 404 or 403. */
  async function serviceOf(actor: Official, id: string): Promise<NotifyService> {
    const s = await findService(platform.db, id);
    if (!s) throw new NotFoundError('no such service', 'service_not_found');
    if (s.agency !== actor.agency && !actor.roles.includes('platform-admin')) throw new ForbiddenError("another agency's service", 'forbidden');
    return s;
  }
  const actorOf = (o: Official) => `official:${o.id}`;
  const serviceView = async (service: NotifyService, rest: Partial<ServiceView> = {}): Promise<ServiceView> => ({
    service,
    keys: await listApiKeys(platform.db, service.id),
    templates: await listTemplates(platform.db, service.id),
    errors: [],
    ...rest,
  });

  app.get('/console/notify', { schema: { hide: true } }, async (req, reply) => {
    const o = await admin(req, reply);
    if (!o) return reply;
    const services = await listServices(platform.db, o.official.roles.includes('platform-admin') ? undefined : o.official.agency);
    return page(reply, o.ctx, renderServices(o.ctx, { services }));
  });
  app.get('/console/notify/services/:id', { schema: { hide: true, params: Id, querystring: z.looseObject({ done: text(20) }) } }, async (req, reply) => {
    const o = await admin(req, reply);
    if (!o) return reply;
    const service = await serviceOf(o.official, (req.params as { id: string }).id);
    const done = (req.query as { done?: string }).done === 'revoked' ? ('revoked' as const) : undefined;
    return page(reply, o.ctx, renderService(o.ctx, await serviceView(service, { done })));
  });
  const KeyForm = z.object({ name: text(500), kind: text(20), ...Csrf });
  app.post('/console/notify/services/:id/keys', { schema: { hide: true, params: Id, body: KeyForm } }, async (req, reply) => {
    const o = (await admin(req, reply))!;
    const service = await serviceOf(o.official, (req.params as { id: string }).id);
    const b = req.body as z.infer<typeof KeyForm>;
    const values = { name: (b.name ?? '').trim(), kind: b.kind ?? '' };
    const errors: FieldError[] = [];
    if (!values.name || values.name.length > 100) errors.push({ href: '#key-name', text: t(o.ctx, 'error_key_name') });
    if (!(KEY_KINDS as string[]).includes(values.kind)) errors.push({ href: '#key-kind-test', text: t(o.ctx, 'error_key_kind') });
    if (errors.length) return page(reply, o.ctx, renderService(o.ctx, await serviceView(service, { errors, values })), 400);
    const made = await createApiKey(platform, service.id, { name: values.name, kind: values.kind as KeyKind }, actorOf(o.official));
    // the key is in this answer only: never in a redirect's URL or a cookie
    return page(reply, o.ctx, renderKeyMade(o.ctx, { service, name: values.name, key: made.key }), 201);
  });
  const KeyParams = z.object({ id: z.string().max(64), keyId: z.string().max(64) });
  app.post('/console/notify/services/:id/keys/:keyId/revoke', { schema: { hide: true, params: KeyParams, body: z.object(Csrf) } }, async (req, reply) => {
    const o = (await admin(req, reply))!;
    const { id, keyId } = req.params as z.infer<typeof KeyParams>;
    const service = await serviceOf(o.official, id);
    await revokeApiKey(platform, service.id, keyId, actorOf(o.official));
    return reply.redirect(`${servicePath(service.id)}?done=revoked#keys`, 303);
  });

  // ---- templates ------------------------------------------------------------------------------
  const TemplateParams = z.object({ id: z.string().max(64), templateId: z.string().max(64) });
  async function templateOf(service: NotifyService, templateId: string): Promise<Template> {
    const tp = await findTemplate(platform.db, { id: templateId });
    if (!tp || tp.serviceId !== service.id) throw new NotFoundError('no such template', 'template_not_found');
    return tp;
  }
  const blank = (): TemplateValues => ({ code: '', name: '', category: 'transactional', fields: {}, sample: '' });
  app.get('/console/notify/services/:id/templates/new', { schema: { hide: true, params: Id } }, async (req, reply) => {
    const o = await admin(req, reply);
    if (!o) return reply;
    const service = await serviceOf(o.official, (req.params as { id: string }).id);
    return page(reply, o.ctx, renderTemplate(o.ctx, { service, versions: [], values: blank(), errors: [] }));
  });
  app.get('/console/notify/services/:id/templates/:templateId', { schema: { hide: true, params: TemplateParams, querystring: z.looseObject({ saved: text(10) }) } }, async (req, reply) => {
    const o = await admin(req, reply);
    if (!o) return reply;
    const { id, templateId } = req.params as z.infer<typeof TemplateParams>;
    const service = await serviceOf(o.official, id);
    const template = await templateOf(service, templateId);
    const saved = Number((req.query as { saved?: string }).saved) || undefined;
    return page(reply, o.ctx, renderTemplate(o.ctx, { service, template, versions: await templateVersions(platform.db, template.id), values: valuesOfTemplate(template), errors: [], saved }));
  });

  /** Preview or save the editor's draft: a new template (no `templateId`) or a new version of one. */
  async function editTemplate(req: FastifyRequest, reply: FastifyReply, templateId?: string) {
    const o = (await admin(req, reply))!;
    const ctx = o.ctx;
    const service = await serviceOf(o.official, (req.params as { id: string }).id);
    const template = templateId ? await templateOf(service, templateId) : undefined;
    const b = req.body as TemplateBody;
    const values = valuesOf(b, template?.code ?? (b.code ?? '').trim());
    const content = contentOf(values, template);
    const versions = template ? await templateVersions(platform.db, template.id) : [];
    const again = (errors: FieldError[], status: number, preview?: PreviewItem[]) => page(reply, ctx, renderTemplate(ctx, { service, template, versions, values, errors, preview }), status);

    if (b.action === 'preview') {
      const sample = sampleOf(ctx, values.sample);
      return again(sample.error ? [sample.error] : [], sample.error ? 400 : 200, previewOf(ctx, withAlimtalk(content, template), sample.values));
    }
    const parsed = NewTemplate.safeParse({ code: values.code, name: values.name, category: values.category, content });
    const draft = parsed.success ? { ...parsed.data, content: withAlimtalk(parsed.data.content, template) } : undefined;
    const errors = draft ? checkTemplate(draft).map((p) => problemError(ctx, p)) : parsed.error!.issues.map((i) => issueError(ctx, i));
    if (!template && draft && (await findTemplate(platform.db, { code: values.code, serviceId: service.id }))) errors.unshift({ href: '#template-code', text: t(ctx, 'error_code_taken') });
    if (errors.length || !draft) return again(inFormOrder(errors), 400);
    try {
      const saved = await saveTemplate(platform, service.id, draft, actorOf(o.official));
      return reply.redirect(`${templatePath(service.id, saved.id)}?saved=${saved.version}`, 303);
    } catch (e) {
      if (e instanceof TemplateInvalidError) return again(inFormOrder(((e.extra?.errors ?? []) as TemplateProblem[]).map((p) => problemError(ctx, p))), 400);
      throw e;
    }
  }
  app.post('/console/notify/services/:id/templates', { schema: { hide: true, params: Id, body: TemplateForm } }, (req, reply) => editTemplate(req, reply));
  app.post('/console/notify/services/:id/templates/:templateId', { schema: { hide: true, params: TemplateParams, body: TemplateForm } }, (req, reply) =>
    editTemplate(req, reply, (req.params as { templateId: string }).templateId),
  );
}
