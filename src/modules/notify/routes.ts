import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { requireCitizen, requireOfficial, type Official } from '../../platform/auth.ts';
import { rows } from '../../platform/db.ts';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { applyReceipts, deadCallbacks, RECEIPT_STATUSES } from './callbacks.ts';
import { activeSubscriptions, getPreferences, inbox, markRead, notifyCitizen, toSubscription, PreferencesInput, PushSubscriptionInput, setPreferences, subscribePush, unsubscribePush } from './citizens.ts';
import { vapidKeys } from './providers.ts';
import { openPayload, prepare, queueMessages, SELECT_NOTIFICATION, type MessageInput, type NotificationRow, type Queued } from './send.ts';
import { authenticate, createApiKey, createRateLimiter, createService, findService, isUuid, listApiKeys, listServices, NewService, revokeApiKey, setCallback, type Caller } from './services.ts';
import { findTemplate, listTemplates, NewTemplate, Personalisation, render, saveTemplate, templateVersions, TemplateContent, CHANNELS, LANGS, type Channel, type Template } from './templates.ts';
import { receiptToken } from './worker.ts';

/**
 * The notifications API.
 * - Agency systems, GOV.UK Notify's v2 API (`/v2/…`) with the service's API key: send e-mail,
 *   SMS, AlimTalk, push and inbox messages or a notice to a citizen (channels chosen by their
 *   preferences), read statuses, templates and previews. Per-key rate limit, daily limits,
 *   `Idempotency-Key`.
 * - Gateways: delivery receipts (`/api/notify/receipts/{provider}`, the receipt token).
 * - The citizen (`/api/notify/me/…`): inbox, preferences, push subscriptions.
 * - Officials (`/api/notify/services…`): an agency's administrators manage its services, keys,
 *   callback and templates; platform administrators any agency's.
 */

const TAGS = ['notify'];
const publicUrl = (platform: Platform, path: string) => new URL(path, platform.config.publicUrl).href;
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

const Common = {
  template_id: z.string().max(64),
  personalisation: Personalisation.optional(),
  reference: z.string().max(1000).nullish(),
  language: z.enum(LANGS).optional(),
};
const SendEmail = z.object({ ...Common, email_address: z.string().max(320), email_reply_to_id: z.string().max(64).optional(), one_click_unsubscribe_url: z.string().url().max(1000).optional() });
const SendSms = z.object({ ...Common, phone_number: z.string().max(40), sms_sender_id: z.string().max(64).optional() });
const SendCitizen = z.object({ ...Common, citizen_id: z.string().max(64), urgent: z.boolean().optional() });
const ListQuery = z.object({
  template_type: z.enum(CHANNELS).optional(),
  status: z.string().max(40).optional(),
  reference: z.string().max(1000).optional(),
  older_than: z.string().max(64).optional(),
});
const IdParam = z.object({ id: z.string().max(64) });

export function presentNotification(platform: Platform, r: NotificationRow): Record<string, unknown> {
  const p = openPayload(platform, r);
  return {
    id: r.id,
    reference: r.reference,
    email_address: r.channel === 'email' ? p.to : null,
    phone_number: r.channel === 'sms' || r.channel === 'alimtalk' ? p.to : null,
    citizen_id: r.citizen_id,
    type: r.channel,
    status: r.status,
    status_reason: r.status_reason,
    template: r.template_id ? { id: r.template_id, version: Number(r.template_version), uri: publicUrl(platform, `/v2/template/${r.template_id}/version/${r.template_version}`) } : null,
    body: p.body,
    subject: p.subject ?? p.title ?? null,
    language: r.lang,
    created_at: new Date(r.created_at).toISOString(),
    created_by_name: null,
    sent_at: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    completed_at: r.completed_at ? new Date(r.completed_at).toISOString() : null,
    scheduled_for: null,
  };
}

function presentSent(platform: Platform, q: Queued, fromEmail?: string): Record<string, unknown> {
  const content =
    q.channel === 'email'
      ? { subject: q.content.subject, body: q.content.body, from_email: fromEmail ?? null }
      : q.channel === 'sms' || q.channel === 'alimtalk'
        ? { body: q.content.body, from_number: null, ...(q.content.smsKind ? { message_kind: q.content.smsKind } : {}) }
        : { title: q.content.title, body: q.content.body };
  return {
    id: q.id,
    reference: q.reference,
    content,
    uri: publicUrl(platform, `/v2/notifications/${q.id}`),
    template: q.templateId ? { id: q.templateId, version: q.templateVersion, uri: publicUrl(platform, `/v2/template/${q.templateId}`) } : null,
    scheduled_for: null,
  };
}

export function presentTemplate(platform: Platform, t: Template, type?: Channel): Record<string, unknown> {
  const ko = t.content.ko;
  const main = type ?? CHANNELS.find((c) => ko[c]) ?? 'email';
  const v = ko[main] as { subject?: string; title?: string; body?: string } | undefined;
  return {
    id: t.id,
    name: t.name,
    type: main,
    channels: CHANNELS.filter((c) => ko[c]),
    category: t.category,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
    created_by: t.versionCreatedBy,
    version: t.version,
    body: v?.body ?? '',
    subject: v?.subject ?? v?.title ?? null,
    placeholders: t.placeholders,
    content: t.content,
    uri: publicUrl(platform, `/v2/template/${t.id}/version/${t.version}`),
  };
}

export async function notifyRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const limiter = createRateLimiter();
  const callers = new WeakMap<FastifyRequest, Caller>();
  const caller = (req: FastifyRequest) => callers.get(req)!;
  // who is calling and whether they are within their rate is settled before the body is read
  const asService = {
    preValidation: async (req: FastifyRequest) => {
      const c = await authenticate(platform, req);
      limiter.take(c.keyId, c.kind, c.service.rateLimitPerMin);
      callers.set(req, c);
    },
  };

  async function ownTemplate(c: Caller, id: string): Promise<Template> {
    const t = await findTemplate(platform.db, { id });
    if (!t || t.serviceId !== c.service.id) throw new BadRequestError('Template not found', { errors: [{ path: 'template_id', message: 'not found' }] }, 'template_not_found');
    return t;
  }
  const idempotencyKey = (req: FastifyRequest) => {
    const k = req.headers['idempotency-key'];
    if (k === undefined) return null;
    if (typeof k !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(k)) throw new BadRequestError('Idempotency-Key: 1 to 200 visible ASCII characters', undefined, 'invalid_idempotency_key');
    return k;
  };
  const sender = (c: Caller) => ({ serviceId: c.service.id, keyId: c.keyId, kind: c.kind, actor: `notify-key:${c.keyId}`, team: c.service.team, dailyLimits: c.service.dailyLimits });

  async function sendTo(req: FastifyRequest, reply: FastifyReply, channel: Channel, to: string, field: string, body: z.infer<typeof SendEmail> | z.infer<typeof SendSms>) {
    const c = caller(req);
    const template = await ownTemplate(c, body.template_id);
    const input: MessageInput = { channel, to, template, lang: body.language ?? 'ko', personalisation: body.personalisation ?? {}, reference: body.reference ?? null, idempotencyKey: idempotencyKey(req) };
    const [q] = await queueMessages(platform, sender(c), [prepare(input, sender(c), field)]);
    return reply.status(q!.created ? 201 : 200).send(presentSent(platform, q!, c.service.emailFrom ?? platform.config.notify.emailFrom));
  }

  app.post('/v2/notifications/email', { ...asService, schema: { tags: TAGS, summary: 'Send an e-mail from a template', body: SendEmail } }, async (req, reply) => {
    const b = req.body as z.infer<typeof SendEmail>;
    return sendTo(req, reply, 'email', b.email_address, 'email_address', b);
  });
  app.post('/v2/notifications/sms', { ...asService, schema: { tags: TAGS, summary: 'Send a text message (SMS up to 90 bytes, LMS up to 2,000)', body: SendSms } }, async (req, reply) => {
    const b = req.body as z.infer<typeof SendSms>;
    return sendTo(req, reply, 'sms', b.phone_number, 'phone_number', b);
  });
  app.post('/v2/notifications/alimtalk', { ...asService, schema: { tags: TAGS, summary: 'Send a KakaoTalk AlimTalk message (falls back to SMS at the relay)', body: SendSms } }, async (req, reply) => {
    const b = req.body as z.infer<typeof SendSms>;
    return sendTo(req, reply, 'alimtalk', b.phone_number, 'phone_number', b);
  });

  async function toCitizen(req: FastifyRequest, reply: FastifyReply, only?: 'inbox' | 'push') {
    const c = caller(req);
    const b = req.body as z.infer<typeof SendCitizen>;
    if (!isUuid(b.citizen_id)) throw new BadRequestError('citizen_id: not a citizen id', { errors: [{ path: 'citizen_id', message: 'not a citizen id' }] }, 'invalid_recipient');
    const template = await ownTemplate(c, b.template_id);
    const key = idempotencyKey(req);
    if (only) {
      const subs = only === 'push' ? await activeSubscriptions(platform.db, b.citizen_id) : [];
      if (only === 'push' && !subs.length) throw new BadRequestError('the citizen has no browser subscribed to notifications', { errors: [{ path: 'citizen_id', message: 'no push subscription' }] }, 'no_push_subscription');
      const base = { template, lang: b.language ?? 'ko', personalisation: b.personalisation ?? {}, reference: b.reference ?? null, citizenId: b.citizen_id, category: b.urgent ? ('urgent' as const) : undefined };
      const prepared =
        only === 'inbox'
          ? [prepare({ ...base, channel: 'inbox', to: b.citizen_id, idempotencyKey: key }, sender(c), 'citizen_id')]
          : subs.map((s) => toSubscription(prepare({ ...base, channel: 'push', to: s.id, idempotencyKey: key ? `${key}:${s.id}` : null }, sender(c), 'citizen_id'), s));
      const queued = await queueMessages(platform, sender(c), prepared);
      return reply.status(queued.some((q) => q.created) ? 201 : 200).send({ notifications: queued.map((q) => presentSent(platform, q)) });
    }
    const result = await notifyCitizen(
      platform,
      { citizenId: b.citizen_id, template: template.id, serviceId: c.service.id, personalisation: b.personalisation, idempotencyKey: key ?? `${c.keyId}:${Date.now()}:${Math.random()}`, reference: b.reference ?? null, category: b.urgent ? 'urgent' : undefined },
      undefined,
      { kind: c.kind, keyId: c.keyId, actor: `notify-key:${c.keyId}`, team: c.service.team },
    );
    return reply.status(result.messages.some((m) => m.created) ? 201 : 200).send({ channels: result.channels, note: result.note ?? null, notifications: result.messages.map((q) => presentSent(platform, q)) });
  }
  app.post('/v2/notifications/citizen', { ...asService, schema: { tags: TAGS, summary: "Tell a citizen: the channels their preferences pick, their language, quiet hours", body: SendCitizen } }, (req, reply) => toCitizen(req, reply));
  app.post('/v2/notifications/inbox', { ...asService, schema: { tags: TAGS, summary: "Put a notice in a citizen's portal inbox (알림함)", body: SendCitizen } }, (req, reply) => toCitizen(req, reply, 'inbox'));
  app.post('/v2/notifications/push', { ...asService, schema: { tags: TAGS, summary: "Web-push a notice to a citizen's subscribed browsers", body: SendCitizen } }, (req, reply) => toCitizen(req, reply, 'push'));

  app.get('/v2/notifications/:id', { ...asService, schema: { tags: TAGS, summary: 'A message and its status', params: IdParam } }, async (req, reply) => {
    const c = caller(req);
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw new BadRequestError('id is not a valid UUID', undefined, 'invalid_id');
    const [r] = await rows<NotificationRow>(platform.db, sql`${SELECT_NOTIFICATION} where id = ${id}::uuid and service_id = ${c.service.id}::uuid`);
    if (!r) throw new NotFoundError('No result found', 'notification_not_found');
    return noStore(reply).send(presentNotification(platform, r));
  });
  app.get('/v2/notifications', { ...asService, schema: { tags: TAGS, summary: "The service's messages, newest first, 250 a page", querystring: ListQuery } }, async (req, reply) => {
    const c = caller(req);
    const q = req.query as z.infer<typeof ListQuery>;
    const conds = [sql`service_id = ${c.service.id}::uuid`];
    if (q.template_type) conds.push(sql`channel = ${q.template_type}`);
    if (q.status) conds.push(q.status === 'failed' ? sql`status in ('permanent-failure', 'temporary-failure', 'technical-failure')` : sql`status = ${q.status}`);
    if (q.reference) conds.push(sql`reference = ${q.reference}`);
    if (q.older_than) {
      if (!isUuid(q.older_than)) throw new BadRequestError('older_than is not a valid UUID', undefined, 'invalid_id');
      conds.push(sql`(created_at, id) < (select created_at, id from notify.notification where id = ${q.older_than}::uuid)`);
    }
    const r = await rows<NotificationRow>(platform.db, sql`${SELECT_NOTIFICATION} where ${sql.join(conds, sql` and `)} order by created_at desc, id desc limit 250`);
    const last = r[r.length - 1];
    const self = new URL('/v2/notifications', platform.config.publicUrl);
    return noStore(reply).send({
      notifications: r.map((x) => presentNotification(platform, x)),
      links: { current: self.href, ...(r.length === 250 && last ? { next: `${self.href}?older_than=${last.id}` } : {}) },
    });
  });
  app.get('/v2/template/:id', { ...asService, schema: { tags: TAGS, summary: "A template's latest version", params: IdParam } }, async (req, reply) => {
    return noStore(reply).send(presentTemplate(platform, await ownTemplate(caller(req), (req.params as { id: string }).id)));
  });
  app.get('/v2/template/:id/version/:version', { ...asService, schema: { tags: TAGS, summary: 'One version of a template', params: z.object({ id: z.string().max(64), version: z.coerce.number().int().min(1).max(1_000_000) }) } }, async (req, reply) => {
    const { id, version } = req.params as { id: string; version: number };
    await ownTemplate(caller(req), id);
    const t = await findTemplate(platform.db, { id, version });
    if (!t) throw new NotFoundError('No result found', 'template_not_found');
    return noStore(reply).send(presentTemplate(platform, t));
  });
  app.get('/v2/templates', { ...asService, schema: { tags: TAGS, summary: "The service's templates", querystring: z.object({ type: z.enum(CHANNELS).optional() }) } }, async (req, reply) => {
    const type = (req.query as { type?: Channel }).type;
    const all = await listTemplates(platform.db, caller(req).service.id);
    return noStore(reply).send({ templates: all.filter((t) => !type || t.content.ko[type]).map((t) => presentTemplate(platform, t, type)) });
  });
  app.post('/v2/template/:id/preview', { ...asService, schema: { tags: TAGS, summary: 'Fill in a template without sending', params: IdParam, body: z.object({ personalisation: Personalisation.optional(), type: z.enum(CHANNELS).optional(), language: z.enum(LANGS).optional() }) } }, async (req, reply) => {
    const t = await ownTemplate(caller(req), (req.params as { id: string }).id);
    const b = req.body as { personalisation?: Personalisation; type?: Channel; language?: 'ko' | 'en' };
    const type = b.type ?? CHANNELS.find((c) => t.content.ko[c])!;
    const r = render(t.content, b.language ?? 'ko', type, b.personalisation ?? {});
    return reply.send({ id: t.id, type, version: t.version, body: r.body, subject: r.subject ?? r.title ?? null, message_kind: r.smsKind ?? null });
  });
  app.get('/v2/callbacks/failed', { ...asService, schema: { tags: TAGS, summary: 'Delivery callbacks that could not be delivered to the service (dead letters), with the reason' } }, async (req, reply) => {
    return noStore(reply).send({ callbacks: await deadCallbacks(platform.db, caller(req).service.id) });
  });

  // ---- gateways' delivery receipts -----------------------------------------------------------
  const Receipts = z.object({ receipts: z.array(z.object({ recipientGroupingKey: z.string().max(64), status: z.enum([...RECEIPT_STATUSES, 'failed']), resultCode: z.union([z.string(), z.number()]).optional() })).min(1).max(1000) });
  app.post('/api/notify/receipts/:provider', { schema: { tags: TAGS, summary: 'Delivery receipts from the SMS or AlimTalk gateway', params: z.object({ provider: z.enum(['sms', 'alimtalk']) }), body: Receipts } }, async (req, reply) => {
    const token = receiptToken(platform);
    const given = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || given !== token) throw new UnauthorizedError('the receipt token is required (Authorization: Bearer …)', 'invalid_receipt_token');
    const { provider } = req.params as { provider: string };
    const b = req.body as z.infer<typeof Receipts>;
    const applied = await applyReceipts(platform, provider, b.receipts.map((r) => ({ ref: r.recipientGroupingKey, status: r.status === 'failed' ? 'permanent-failure' : r.status, payload: r })));
    return reply.send({ applied });
  });

  // ---- the citizen -------------------------------------------------------------------------
  const asCitizen = { preValidation: async (req: FastifyRequest) => void (await requireCitizen(req)) };
  app.get('/api/notify/me/inbox', { ...asCitizen, schema: { tags: TAGS, summary: 'My 알림함 (newest first)', querystring: z.object({ before: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(100).optional() }) } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const q = req.query as { before?: string; limit?: number };
    const r = await inbox(platform, me.id, q);
    return noStore(reply).send({ unread: r.unread, items: r.items });
  });
  app.post('/api/notify/me/inbox/:id/read', { ...asCitizen, schema: { tags: TAGS, summary: 'Mark an inbox item read', params: z.object({ id: z.string().uuid() }) } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const n = await markRead(platform.db, me.id, (req.params as { id: string }).id);
    if (!n) throw new NotFoundError('no such unread item', 'inbox_item_not_found');
    return reply.status(204).send();
  });
  app.get('/api/notify/me/preferences', { ...asCitizen, schema: { tags: TAGS, summary: 'How I want to be told' } }, async (req, reply) => {
    const me = await requireCitizen(req);
    return noStore(reply).send(await getPreferences(platform.db, me.id));
  });
  app.put('/api/notify/me/preferences', { ...asCitizen, schema: { tags: TAGS, summary: 'Set channels in order, language, quiet hours and opt-outs', body: PreferencesInput } }, async (req, reply) => {
    const me = await requireCitizen(req);
    return reply.send(await setPreferences(platform, me.id, req.body as PreferencesInput));
  });
  app.get('/api/notify/push/key', { schema: { tags: TAGS, summary: "The platform's VAPID public key, for PushManager.subscribe" } }, async (_req, reply) => {
    return reply.header('cache-control', 'public, max-age=3600').send({ publicKey: vapidKeys(platform.crypto).publicKey });
  });
  app.post('/api/notify/me/push-subscriptions', { ...asCitizen, schema: { tags: TAGS, summary: 'Subscribe this browser to my notices', body: PushSubscriptionInput } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const id = await subscribePush(platform.db, me.id, req.body as z.infer<typeof PushSubscriptionInput>, req.headers['user-agent']);
    return reply.status(201).send({ id });
  });
  app.delete('/api/notify/me/push-subscriptions', { ...asCitizen, schema: { tags: TAGS, summary: 'Unsubscribe a browser', body: z.object({ endpoint: z.string().max(1000) }) } }, async (req, reply) => {
    const me = await requireCitizen(req);
    if (!(await unsubscribePush(platform.db, me.id, (req.body as { endpoint: string }).endpoint))) throw new NotFoundError('no such subscription', 'subscription_not_found');
    return reply.status(204).send();
  });

  // ---- officials: services, keys, callbacks, templates ---------------------------------------
  const asAdmin = { preValidation: async (req: FastifyRequest) => void (await requireOfficial(req, { roles: ['agency-admin'] })) };
  async function adminOf(req: FastifyRequest): Promise<{ official: Official; service: NonNullable<Awaited<ReturnType<typeof findService>>> }> {
    const official = await requireOfficial(req, { roles: ['agency-admin'] });
    const service = await findService(platform.db, (req.params as { id: string }).id);
    if (!service) throw new NotFoundError('no such service', 'service_not_found');
    if (service.agency !== official.agency && !official.roles.includes('platform-admin')) throw new ForbiddenError('another agency\'s service');
    return { official, service };
  }
  const actorOf = (o: Official) => `official:${o.id}`;
  app.get('/api/notify/services', { ...asAdmin, schema: { tags: TAGS, summary: "My agency's sending services" } }, async (req, reply) => {
    const o = await requireOfficial(req, { roles: ['agency-admin'] });
    return noStore(reply).send({ services: await listServices(platform.db, o.roles.includes('platform-admin') ? undefined : o.agency) });
  });
  app.post('/api/notify/services', { ...asAdmin, schema: { tags: TAGS, summary: 'Create a sending service', body: NewService } }, async (req, reply) => {
    const o = await requireOfficial(req, { roles: ['agency-admin'] });
    const input = req.body as NewService;
    if (input.agency !== o.agency && !o.roles.includes('platform-admin')) throw new ForbiddenError('another agency');
    return reply.status(201).send(await createService(platform, input, actorOf(o)));
  });
  app.get('/api/notify/services/:id/keys', { ...asAdmin, schema: { tags: TAGS, summary: "A service's API keys (never their secrets)", params: IdParam } }, async (req, reply) => {
    const { service } = await adminOf(req);
    return noStore(reply).send({ keys: await listApiKeys(platform.db, service.id) });
  });
  app.post('/api/notify/services/:id/keys', { ...asAdmin, schema: { tags: TAGS, summary: 'Create an API key: the answer shows it once', params: IdParam, body: z.object({ name: z.string().trim().min(1).max(100), kind: z.enum(['test', 'team', 'live']) }) } }, async (req, reply) => {
    const { official, service } = await adminOf(req);
    const made = await createApiKey(platform, service.id, req.body as { name: string; kind: 'test' | 'team' | 'live' }, actorOf(official));
    return noStore(reply.status(201)).send({ key: made.key, ...made.info });
  });
  app.delete('/api/notify/services/:id/keys/:keyId', { ...asAdmin, schema: { tags: TAGS, summary: 'Revoke an API key: its next request is refused (403)', params: z.object({ id: z.string().max(64), keyId: z.string().max(64) }) } }, async (req, reply) => {
    const { official, service } = await adminOf(req);
    await revokeApiKey(platform, service.id, (req.params as { keyId: string }).keyId, actorOf(official));
    return reply.status(204).send();
  });
  app.put('/api/notify/services/:id/callback', { ...asAdmin, schema: { tags: TAGS, summary: 'Where delivery receipts go, and their bearer/HMAC token', params: IdParam, body: z.object({ url: z.string().url().max(1000).nullable(), token: z.string().min(10).max(200).optional() }) } }, async (req, reply) => {
    const { official, service } = await adminOf(req);
    const b = req.body as { url: string | null; token?: string };
    if (b.url && !b.token) throw new BadRequestError('a callback needs a token of at least 10 characters', { errors: [{ path: 'token', message: 'required' }] }, 'validation_failed');
    if (b.url && platform.config.mode === 'production' && !b.url.startsWith('https://')) throw new BadRequestError('a callback must use https', { errors: [{ path: 'url', message: 'https only' }] }, 'validation_failed');
    await setCallback(platform, service.id, b, actorOf(official));
    return reply.status(204).send();
  });
  app.get('/api/notify/services/:id/templates', { ...asAdmin, schema: { tags: TAGS, summary: "A service's templates", params: IdParam } }, async (req, reply) => {
    const { service } = await adminOf(req);
    return noStore(reply).send({ templates: (await listTemplates(platform.db, service.id)).map((t) => presentTemplate(platform, t)) });
  });
  app.post('/api/notify/services/:id/templates', { ...asAdmin, schema: { tags: TAGS, summary: 'Create a template, or a new version of one with the same code', params: IdParam, body: NewTemplate } }, async (req, reply) => {
    const { official, service } = await adminOf(req);
    const t = await saveTemplate(platform, service.id, req.body as NewTemplate, actorOf(official));
    return reply.status(t.version === 1 ? 201 : 200).send(presentTemplate(platform, t));
  });
  app.get('/api/notify/services/:id/templates/:templateId/versions', { ...asAdmin, schema: { tags: TAGS, summary: "A template's versions", params: z.object({ id: z.string().max(64), templateId: z.string().max(64) }) } }, async (req, reply) => {
    const { service } = await adminOf(req);
    const t = await findTemplate(platform.db, { id: (req.params as { templateId: string }).templateId });
    if (!t || t.serviceId !== service.id) throw new NotFoundError('no such template', 'template_not_found');
    return noStore(reply).send({ versions: await templateVersions(platform.db, t.id) });
  });
  app.post('/api/notify/services/:id/templates/preview', { ...asAdmin, schema: { tags: TAGS, summary: 'Preview unsaved template content with sample values', params: IdParam, body: z.object({ content: TemplateContent, personalisation: Personalisation.optional(), channel: z.enum(CHANNELS), language: z.enum(LANGS).default('ko') }) } }, async (req, reply) => {
    await adminOf(req);
    const b = req.body as { content: z.infer<typeof TemplateContent>; personalisation?: Personalisation; channel: Channel; language: 'ko' | 'en' };
    return reply.send(render(b.content, b.language, b.channel, b.personalisation ?? {}));
  });
}
