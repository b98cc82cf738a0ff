import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { maskEmail, maskPhone } from '../../platform/crypto.ts';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, PlatformError } from '../../platform/errors.ts';
import { enqueueMany } from '../../platform/outbox.ts';
import type { Platform } from '../../platform/platform.ts';
import { isEmailAddress, normalisePhone } from '../identity/index.ts';
import type { KeyKind } from './services.ts';
import { isUuid } from './services.ts';
import { render, type Category, type Channel, type Lang, type Personalisation, type Rendered, type Template } from './templates.ts';

/**
 * The accept path: every message is checked and rendered before anything is written (an invalid
 * address, a missing placeholder or an unsendable text refuses the whole request), then one
 * transaction writes the messages, counts them against the daily limits and queues one outbox
 * job per message on its channel's topic. Inbox messages are delivered in that transaction.
 */

export type SenderKind = KeyKind | 'platform';

export interface Sender {
  /** Null: a platform module sending to a citizen. */
  serviceId: string | null;
  keyId: string | null;
  kind: SenderKind;
  actor: string;
  /** For team keys: the only recipients allowed. */
  team?: string[];
  dailyLimits?: Partial<Record<Channel, number>>;
}

export interface MessageInput {
  channel: Channel;
  /** E-mail address, mobile number, push subscription id, or (inbox) the citizen's id. */
  to: string;
  citizenId?: string | null;
  /** From a template, or already-written content (GovStack's raw e-mail). */
  template?: Template;
  content?: Rendered;
  lang: Lang;
  category?: Category;
  personalisation?: Personalisation;
  reference?: string | null;
  idempotencyKey?: string | null;
  requestId?: string | null;
  callbackUrl?: string | null;
  /** Not before (quiet hours, scheduled sends). */
  sendAfter?: Date | null;
}

/** What the worker reads back: the recipient and the rendered message. Encrypted at rest. */
export interface Payload extends Rendered {
  to: string;
  /** Extra envelope recipients (GovStack cc/bcc). */
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  fromName?: string;
  /** Push: the subscription the message goes to. */
  push?: { endpoint: string; p256dh: string; auth: string };
}

export interface Prepared {
  input: MessageInput;
  payload: Payload;
  masked: string;
  category: Category;
}

export interface Queued {
  id: string;
  channel: Channel;
  status: string;
  /** False when the idempotency key named an earlier message (which is returned). */
  created: boolean;
  reference: string | null;
  templateId: string | null;
  templateVersion: number | null;
  content: Rendered;
  createdAt: Date;
}

export const payloadContext = (id: string) => `notify.notification:${id}`;

export class RecipientError extends BadRequestError {
  constructor(field: string, message: string, code = 'invalid_recipient') {
    super(message, { errors: [{ path: field, message }] }, code);
  }
}

/** The recipient in its normal form, or a 400 naming the field. */
export function normaliseRecipient(channel: Channel, to: string, field = 'to'): string {
  const t = (to ?? '').trim();
  switch (channel) {
    case 'email':
      if (!isEmailAddress(t)) throw new RecipientError(field, `${field}: not a valid e-mail address`, 'invalid_email_address');
      return t;
    case 'sms':
    case 'alimtalk': {
      const p = normalisePhone(t);
      if (!p) throw new RecipientError(field, `${field}: not a valid Korean mobile number`, 'invalid_phone_number');
      return p;
    }
    case 'push':
    case 'inbox':
      if (!isUuid(t)) throw new RecipientError(field, `${field}: not a citizen or subscription id`);
      return t.toLowerCase();
  }
}

export const maskRecipient = (channel: Channel, to: string) => (channel === 'email' ? maskEmail(to) : channel === 'sms' || channel === 'alimtalk' ? maskPhone(to) : `${to.slice(0, 8)}…`);

/** Checks and renders one message; throws a 400 on anything wrong with it. */
export function prepare(input: MessageInput, sender: Pick<Sender, 'kind' | 'team'>, field = 'to'): Prepared {
  const to = normaliseRecipient(input.channel, input.to, field);
  if (sender.kind === 'team' && !(sender.team ?? []).some((t) => t.trim().toLowerCase() === to.toLowerCase() || normalisePhone(t) === to)) {
    throw new RecipientError(field, "Can't send to this recipient using a team-only API key", 'team_only');
  }
  let content: Rendered;
  if (input.template) content = render(input.template.content, input.lang, input.channel, input.personalisation ?? {});
  else if (input.content) content = input.content;
  else throw new BadRequestError('a message needs a template or content');
  return { input, payload: { ...content, to }, masked: maskRecipient(input.channel, to), category: input.category ?? input.template?.category ?? 'transactional' };
}

export class DailyLimitError extends PlatformError {
  constructor(channel: Channel, limit: number) {
    const next = new Date();
    next.setUTCHours(15, 0, 0, 0); // midnight in Seoul
    if (next.getTime() <= Date.now()) next.setUTCDate(next.getUTCDate() + 1);
    super('daily_limit', 429, `Exceeded send limits (${limit}) for today (${channel})`, { retryAfter: Math.ceil((next.getTime() - Date.now()) / 1000) });
  }
}

/** The topic of a message's delivery job: its channel's lane, or the simulator for test keys. */
export const topicFor = (channel: Channel, kind: SenderKind) => (kind === 'test' ? 'notify.simulated' : `notify.${channel}`);

/** Emergency and urgent messages pass the backlog: the outbox hands out jobs by run_at. */
const PRIORITY_LEAD_MS: Partial<Record<Category, number>> = { emergency: 3_600_000, urgent: 600_000 };

/**
 * Writes prepared messages and queues them, in `tx` when given (the caller's change and its
 * notices commit together) or in a transaction of its own. A message whose idempotency key was
 * seen before is not written again: the earlier one is returned with `created: false`.
 */
export async function queueMessages(platform: Platform, sender: Sender, items: Prepared[], tx?: Db): Promise<Queued[]> {
  if (items.length === 0) return [];
  const work = async (db: Db): Promise<Queued[]> => {
    // the form of the unique index, so that the look-up uses it
    const owner = sql`coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid) = ${sender.serviceId ?? '00000000-0000-0000-0000-000000000000'}::uuid`;
    const keys = items.map((p) => p.input.idempotencyKey).filter((k): k is string => Boolean(k));
    const earlier = new Map<string, Queued>();
    if (keys.length) {
      const found = await rows<NotificationRow>(db, sql`${SELECT_NOTIFICATION} where ${owner} and idempotency_key in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`);
      for (const r of found) earlier.set(r.idempotency_key!, { ...toQueued(platform, r), created: false });
    }
    const fresh = items.filter((p) => !p.input.idempotencyKey || !earlier.has(p.input.idempotencyKey));
    // the same key twice in one request is one message
    const seen = new Set<string>();
    const unique = fresh.filter((p) => !p.input.idempotencyKey || (!seen.has(p.input.idempotencyKey) && seen.add(p.input.idempotencyKey)));
    if (sender.serviceId && sender.kind !== 'test') await countUsage(db, sender, unique);
    const now = new Date();
    const made = unique.map((p) => ({ p, id: randomUUID() }));
    const values = made.map(({ p, id }) =>
      sql`(${id}::uuid, ${sender.serviceId}::uuid, ${sender.keyId}::uuid, ${sender.kind}, ${p.input.template?.id ?? null}::uuid, ${p.input.template?.version ?? null}::int,
           ${p.input.channel}, ${p.input.lang}, ${p.category}, ${p.input.citizenId ?? null}::uuid, ${p.masked},
           ${platform.crypto.encrypt(JSON.stringify(p.payload), payloadContext(id))}, ${p.input.reference ?? null}, ${p.input.idempotencyKey ?? null},
           ${p.input.requestId ?? null}, ${p.input.callbackUrl ?? null}, ${p.input.sendAfter ? p.input.sendAfter.toISOString() : null}::timestamptz, ${sender.actor},
           ${p.input.channel === 'inbox' && sender.kind !== 'test' ? 'delivered' : 'created'})`,
    );
    const created: Queued[] = [];
    for (let i = 0; i < values.length; i += 500) {
      const inserted = await rows<NotificationRow>(
        db,
        sql`insert into notify.notification (id, service_id, api_key_id, key_kind, template_id, template_version, channel, lang, category, citizen_id, recipient_masked,
                                             payload_enc, reference, idempotency_key, request_id, callback_url, send_after, created_by, status)
            values ${sql.join(values.slice(i, i + 500), sql`, `)}
            returning ${NOTIFICATION_COLUMNS}`,
      );
      created.push(...inserted.map((r) => ({ ...toQueued(platform, r), created: true })));
    }
    // the inbox is this database: delivered now, with the notice in the citizen's 알림함
    const inbox = made.filter(({ p }) => p.input.channel === 'inbox' && sender.kind !== 'test');
    for (const { p, id } of inbox) {
      await db.execute(
        sql`insert into notify.inbox (id, citizen_id, notification_id, title_enc, body_enc, url, category)
            values (${randomUUID()}::uuid, ${p.payload.to}::uuid, ${id}::uuid, ${platform.crypto.encrypt(p.payload.title ?? '', inboxContext(p.payload.to))},
                    ${platform.crypto.encrypt(p.payload.body, inboxContext(p.payload.to))}, ${p.payload.url ?? null}, ${p.category})`,
      );
    }
    if (inbox.length) await db.execute(sql`update notify.notification set sent_at = now(), completed_at = now() where id in (${sql.join(inbox.map((x) => sql`${x.id}::uuid`), sql`, `)})`);
    const byTopic = new Map<string, Array<{ payload: unknown; idempotencyKey: string; runAt?: Date }>>();
    for (const { p, id } of made) {
      if (p.input.channel === 'inbox' && sender.kind !== 'test') continue;
      const topic = topicFor(p.input.channel, sender.kind);
      const lead = PRIORITY_LEAD_MS[p.category];
      const runAt = p.input.sendAfter && p.input.sendAfter > now ? p.input.sendAfter : lead ? new Date(now.getTime() - lead) : undefined;
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      byTopic.get(topic)!.push({ payload: { id }, idempotencyKey: `notify:${id}`, runAt });
    }
    for (const [topic, jobs] of byTopic) for (let i = 0; i < jobs.length; i += 1000) await enqueueMany(db, topic, jobs.slice(i, i + 1000));
    const byId = new Map(created.map((q) => [q.id, q]));
    const idOf = new Map(made.map(({ p, id }) => [p, id]));
    const madeByKey = new Map(made.filter(({ p }) => p.input.idempotencyKey).map(({ p, id }) => [p.input.idempotencyKey!, id]));
    // answer in the order asked; a repeated key answers with the message it first made
    const out = items.map((p): Queued => {
      const key = p.input.idempotencyKey;
      if (key && earlier.has(key)) return earlier.get(key)!;
      const id = idOf.get(p);
      if (id) return byId.get(id)!;
      return { ...byId.get(madeByKey.get(key!)!)!, created: false };
    });
    return out;
  };
  return tx ? work(tx) : platform.db.transaction((t) => work(t as unknown as Db));
}

async function countUsage(db: Db, sender: Sender, items: Prepared[]): Promise<void> {
  const per = new Map<Channel, number>();
  for (const p of items) per.set(p.input.channel, (per.get(p.input.channel) ?? 0) + 1);
  for (const [channel, n] of per) {
    const limit = sender.dailyLimits?.[channel] ?? 250_000;
    const r = await rows(
      db,
      sql`insert into notify.usage (service_id, day, channel, count) values (${sender.serviceId}::uuid, (now() at time zone 'Asia/Seoul')::date, ${channel}, ${n})
          on conflict (service_id, day, channel) do update set count = notify.usage.count + excluded.count
          where notify.usage.count + excluded.count <= ${limit}
          returning count`,
    );
    if (!r.length || n > limit) throw new DailyLimitError(channel, limit);
  }
}

export const inboxContext = (citizenId: string) => `notify.inbox:${citizenId}`;

// ---- reading messages back ----------------------------------------------------------------

export interface NotificationRow {
  id: string;
  service_id: string | null;
  key_kind: SenderKind;
  template_id: string | null;
  template_version: number | null;
  channel: Channel;
  lang: Lang;
  category: Category;
  citizen_id: string | null;
  recipient_masked: string;
  payload_enc: string;
  reference: string | null;
  idempotency_key: string | null;
  request_id: string | null;
  callback_url: string | null;
  status: string;
  status_reason: string | null;
  provider: string | null;
  provider_ref: string | null;
  created_by: string;
  created_at: Date | string;
  sent_at: Date | string | null;
  completed_at: Date | string | null;
  updated_at: Date | string;
}

export const NOTIFICATION_COLUMNS = sql.raw(
  `id::text as id, service_id::text as service_id, key_kind, template_id::text as template_id, template_version, channel, lang, category, citizen_id::text as citizen_id,
   recipient_masked, payload_enc, reference, idempotency_key, request_id, callback_url, status, status_reason, provider, provider_ref, created_by, created_at, sent_at, completed_at, updated_at`,
);
export const SELECT_NOTIFICATION = sql`select ${NOTIFICATION_COLUMNS} from notify.notification`;

export function openPayload(platform: Platform, r: Pick<NotificationRow, 'id' | 'payload_enc'>): Payload {
  return JSON.parse(platform.crypto.decrypt(r.payload_enc, payloadContext(r.id))) as Payload;
}

function toQueued(platform: Platform, r: NotificationRow): Omit<Queued, 'created'> {
  const { to: _to, cc: _cc, bcc: _bcc, ...content } = openPayload(platform, r);
  return {
    id: r.id,
    channel: r.channel,
    status: r.status,
    reference: r.reference,
    templateId: r.template_id,
    templateVersion: r.template_version === null ? null : Number(r.template_version),
    content,
    createdAt: new Date(r.created_at),
  };
}
