import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, textArray, textArrayLiteral, type Db } from '../../platform/db.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { citizenAccount, getContacts } from '../identity/index.ts';
import { inboxContext, prepare, queueMessages, type MessageInput, type Prepared, type Queued } from './send.ts';
import { CATEGORIES, findTemplate, type Category, type Channel, type Lang, type Personalisation } from './templates.ts';

/**
 * Sending to a citizen rather than to an address: the caller (another module, or an agency
 * through `POST /v2/notifications/citizen`) says who and what; this module picks how, from the
 * citizen's preferences:
 * - the 알림함 (portal inbox) gets every notice the template has an inbox text for;
 * - one outside channel besides: the first in the citizen's order for which they have an address
 *   (e-mail and mobile number from their account, push from their subscribed browsers) and the
 *   template has a text; emergency notices go out on every channel they have;
 * - in the citizen's language;
 * - quiet hours (default 21:00–08:00 Seoul time) hold SMS, AlimTalk and push until they end,
 *   unless the notice is urgent or an emergency; e-mail does not ring, so it is not held;
 * - a category the citizen opted out of goes to the inbox only; emergencies ignore opt-outs.
 * The same notice (same idempotency key) is never sent twice on a channel.
 */

export const OUTSIDE_CHANNELS = ['email', 'sms', 'alimtalk', 'push'] as const;
export type OutsideChannel = (typeof OUTSIDE_CHANNELS)[number];
/** Categories a citizen may opt out of (transactional notices about their own case and emergencies cannot be). */
export const OPTIONAL_CATEGORIES: Category[] = ['reminder', 'alert', 'advertising'];

export interface Preferences {
  channels: OutsideChannel[];
  lang: Lang;
  quietStart: string;
  quietEnd: string;
  optedOut: Category[];
  saved: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = { channels: ['email', 'sms'], lang: 'ko', quietStart: '21:00', quietEnd: '08:00', optedOut: [], saved: false };

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const PreferencesInput = z
  .object({
    channels: z.array(z.enum(OUTSIDE_CHANNELS)).max(4).refine((c) => new Set(c).size === c.length, 'each channel once'),
    lang: z.enum(['ko', 'en']),
    quietStart: z.string().regex(TIME, 'HH:MM'),
    quietEnd: z.string().regex(TIME, 'HH:MM'),
    optedOut: z.array(z.enum(CATEGORIES)).max(6).refine((c) => c.every((x) => OPTIONAL_CATEGORIES.includes(x)), 'only reminders, alerts and advertising can be turned off'),
  })
  .strict();
export type PreferencesInput = z.infer<typeof PreferencesInput>;

export async function getPreferences(db: Db, citizenId: string): Promise<Preferences> {
  const [r] = await rows<{ channels: string[] | string; lang: Lang; quiet_start: string; quiet_end: string; opted_out: string[] | string }>(
    db,
    sql`select channels, lang, quiet_start::text as quiet_start, quiet_end::text as quiet_end, opted_out from notify.preference where citizen_id = ${citizenId}::uuid`,
  );
  if (!r) return { ...DEFAULT_PREFERENCES };
  return {
    channels: textArray(r.channels).filter((c): c is OutsideChannel => (OUTSIDE_CHANNELS as readonly string[]).includes(c)),
    lang: r.lang,
    quietStart: r.quiet_start.slice(0, 5),
    quietEnd: r.quiet_end.slice(0, 5),
    optedOut: textArray(r.opted_out) as Category[],
    saved: true,
  };
}

export async function setPreferences(platform: Platform, citizenId: string, input: PreferencesInput): Promise<Preferences> {
  const p = PreferencesInput.parse(input);
  await platform.db.execute(
    sql`insert into notify.preference (citizen_id, channels, lang, quiet_start, quiet_end, opted_out, updated_at)
        values (${citizenId}::uuid, ${textArrayLiteral(p.channels)}::text[], ${p.lang}, ${p.quietStart}::time, ${p.quietEnd}::time, ${textArrayLiteral(p.optedOut)}::text[], now())
        on conflict (citizen_id) do update set channels = excluded.channels, lang = excluded.lang, quiet_start = excluded.quiet_start,
          quiet_end = excluded.quiet_end, opted_out = excluded.opted_out, updated_at = now()`,
  );
  return getPreferences(platform.db, citizenId);
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const SEOUL_OFFSET_MIN = 9 * 60;

/** The end of the quiet hours when `at` falls in them (Seoul time), else undefined. */
export function quietUntil(p: Pick<Preferences, 'quietStart' | 'quietEnd'>, at = new Date()): Date | undefined {
  const start = minutes(p.quietStart);
  const end = minutes(p.quietEnd);
  if (start === end) return undefined;
  const utcMin = at.getUTCHours() * 60 + at.getUTCMinutes();
  const local = (utcMin + SEOUL_OFFSET_MIN) % 1440;
  const inQuiet = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inQuiet) return undefined;
  const wait = (end - local + 1440) % 1440;
  const until = new Date(at.getTime() + wait * 60_000);
  until.setUTCSeconds(0, 0);
  return until;
}

export interface CitizenNotice {
  citizenId: string;
  /** A platform template's code (`mydata.new-reader`) or, for an agency, its template. */
  template: string;
  serviceId?: string | null;
  personalisation?: Personalisation;
  /** The same key never sends twice (per channel). */
  idempotencyKey: string;
  reference?: string | null;
  /** Overrides the template's category (e.g. `urgent`). */
  category?: Category;
  now?: Date;
}

export interface CitizenSendResult {
  channels: Channel[];
  messages: Queued[];
  /** Why no outside channel was used, when none was. */
  note?: 'opted-out' | 'no-address';
}

/**
 * Sends a notice to a citizen on the channels their preferences pick. Call it inside the
 * caller's transaction (`tx`) so the notice exists if and only if the change that caused it
 * commits. Throws a 400 for a missing placeholder before writing anything.
 */
export async function notifyCitizen(platform: Platform, n: CitizenNotice, tx?: Db, sender?: { kind: 'platform' | 'live' | 'team' | 'test'; keyId: string | null; actor: string; team?: string[] }): Promise<CitizenSendResult> {
  const db = tx ?? platform.db;
  const template = await findTemplate(db, n.serviceId ? { id: n.template } : { code: n.template, serviceId: null });
  if (!template) throw new NotFoundError(`no template ${n.template}`, 'template_not_found');
  const category = n.category ?? template.category;
  const prefs = await getPreferences(db, n.citizenId);
  const lang: Lang = template.content[prefs.lang] ? prefs.lang : 'ko';
  const variants = template.content[lang];
  const emergency = category === 'emergency';
  const holdable = category !== 'urgent' && !emergency;
  const optedOut = !emergency && prefs.optedOut.includes(category);

  const accountId = await citizenAccount(db, n.citizenId);
  const contacts = accountId ? await getContacts(platform, accountId, db) : { email: null, phone: null };
  const subs = await activeSubscriptions(db, n.citizenId, 5);
  const address: Record<OutsideChannel, boolean> = { email: Boolean(contacts.email), sms: Boolean(contacts.phone), alimtalk: Boolean(contacts.phone), push: subs.length > 0 };
  const order: OutsideChannel[] = emergency ? [...OUTSIDE_CHANNELS] : prefs.channels;
  const usable = order.filter((c) => variants[c] && address[c]);
  const outside = optedOut ? [] : emergency ? usable : usable.slice(0, 1);
  const held = quietUntil(prefs, n.now ?? new Date());

  const base = { citizenId: n.citizenId, template, lang, category, personalisation: n.personalisation ?? {}, reference: n.reference ?? null };
  const inputs: MessageInput[] = [];
  if (variants.inbox) inputs.push({ ...base, channel: 'inbox', to: n.citizenId, idempotencyKey: `${n.idempotencyKey}:inbox` });
  for (const c of outside) {
    const sendAfter = holdable && c !== 'email' ? held : undefined;
    if (c === 'email') inputs.push({ ...base, channel: c, to: contacts.email!, idempotencyKey: `${n.idempotencyKey}:email` });
    if (c === 'sms' || c === 'alimtalk') inputs.push({ ...base, channel: c, to: contacts.phone!, idempotencyKey: `${n.idempotencyKey}:${c}`, sendAfter });
    if (c === 'push') for (const s of subs) inputs.push({ ...base, channel: 'push', to: s.id, idempotencyKey: `${n.idempotencyKey}:push:${s.id}`, sendAfter });
  }
  const who = sender ?? { kind: 'platform' as const, keyId: null, actor: 'platform' };
  const prepared = inputs.map((i) => {
    const p = prepare(i, who, 'citizen_id');
    if (i.channel === 'push') toSubscription(p, subs.find((x) => x.id === i.to)!);
    return p;
  });
  const messages = await queueMessages(platform, { serviceId: n.serviceId ?? null, keyId: who.keyId, kind: who.kind, actor: who.actor }, prepared, tx);
  return {
    channels: [...new Set(messages.map((m) => m.channel))],
    messages,
    note: outside.length ? undefined : optedOut ? 'opted-out' : 'no-address',
  };
}

// ---- inbox --------------------------------------------------------------------------------

export interface InboxItem {
  id: string;
  title: string;
  body: string;
  url: string | null;
  category: string;
  createdAt: Date;
  readAt: Date | null;
}

export async function inbox(platform: Platform, citizenId: string, opts: { limit?: number; before?: string } = {}): Promise<{ items: InboxItem[]; unread: number }> {
  const limit = Math.min(100, opts.limit ?? 50);
  const r = await rows<{ id: string; title_enc: string; body_enc: string; url: string | null; category: string; created_at: Date | string; read_at: Date | string | null }>(
    platform.db,
    sql`select id::text as id, title_enc, body_enc, url, category, created_at, read_at from notify.inbox
         where citizen_id = ${citizenId}::uuid ${opts.before ? sql`and created_at < (select created_at from notify.inbox where id = ${opts.before}::uuid)` : sql``}
         order by created_at desc, id desc limit ${limit}`,
  );
  const [u] = await rows<{ n: unknown }>(platform.db, sql`select count(*) as n from notify.inbox where citizen_id = ${citizenId}::uuid and read_at is null`);
  const ctx = inboxContext(citizenId);
  return {
    items: r.map((x) => ({ id: x.id, title: platform.crypto.decrypt(x.title_enc, ctx), body: platform.crypto.decrypt(x.body_enc, ctx), url: x.url, category: x.category, createdAt: new Date(x.created_at), readAt: x.read_at ? new Date(x.read_at) : null })),
    unread: Number(u?.n ?? 0),
  };
}

/** Marks one item (or all) read; only the citizen's own. */
export async function markRead(db: Db, citizenId: string, id?: string): Promise<number> {
  const r = await rows(
    db,
    sql`update notify.inbox set read_at = now() where citizen_id = ${citizenId}::uuid and read_at is null ${id ? sql`and id = ${id}::uuid` : sql``} returning id`,
  );
  return r.length;
}

// ---- push subscriptions -------------------------------------------------------------------

export const PushSubscriptionInput = z.object({
  endpoint: z.string().url().max(1000).refine((u) => u.startsWith('https://') || u.startsWith('http://127.0.0.1') || u.startsWith('http://localhost'), 'a push service address (https)'),
  keys: z.object({ p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/), auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}$/) }),
});

export interface PushSubscriptionRow {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** A citizen's browsers still subscribed, newest first (at most `limit`). */
export function activeSubscriptions(db: Db, citizenId: string, limit?: number): Promise<PushSubscriptionRow[]> {
  return rows<PushSubscriptionRow>(
    db,
    sql`select id::text as id, endpoint, p256dh, auth from notify.push_subscription where citizen_id = ${citizenId}::uuid and gone_at is null
        order by created_at desc ${limit ? sql`limit ${limit}` : sql``}`,
  );
}

/** Addresses a prepared push message to one subscription (its payload carries where and how to encrypt). */
export function toSubscription(p: Prepared, s: PushSubscriptionRow): Prepared {
  p.payload.push = { endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth };
  return p;
}

export async function subscribePush(db: Db, citizenId: string, s: z.infer<typeof PushSubscriptionInput>, userAgent?: string): Promise<string> {
  const [r] = await rows<{ id: string }>(
    db,
    sql`insert into notify.push_subscription (id, citizen_id, endpoint, p256dh, auth, user_agent) values (${randomUUID()}::uuid, ${citizenId}::uuid, ${s.endpoint}, ${s.keys.p256dh}, ${s.keys.auth}, ${userAgent?.slice(0, 200) ?? null})
        on conflict (endpoint) do update set citizen_id = excluded.citizen_id, p256dh = excluded.p256dh, auth = excluded.auth, gone_at = null
        returning id::text as id`,
  );
  return r!.id;
}

export async function unsubscribePush(db: Db, citizenId: string, endpoint: string): Promise<boolean> {
  const r = await rows(db, sql`update notify.push_subscription set gone_at = now() where citizen_id = ${citizenId}::uuid and endpoint = ${endpoint} and gone_at is null returning id`);
  return r.length > 0;
}
