import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { hasAccessRight, inTx } from './directory.ts';
import { govstackAppId } from './directory-ids.ts';
import { badRequest, conflict, forbidden, notFound } from './management-messages.ts';
import { recordDelivery } from './pubsub-access.ts';
import { eventItem, eventsServiceId, findEventType, toEvent, type EventItem, type EventRow } from './pubsub.ts';

// GovStack pub/sub, subscriber side. A subscriber needs an active access right to the room's
// `events` service (granted by the publishing member, like any service): the right is checked
// when subscribing, at every publish (a revoked right receives nothing new) and at every pull.
// PULL: each event waits on the subscription until the subscriber confirms it (at-least-once);
// events older than the subscription's TTL are dropped. PUSH: see pubsub-push.ts.

export interface SubscriptionOptions {
  /** Seconds an event stays deliverable (GovStack default 3600). */
  TTL: number;
  /** Pull in publication order (always so here); kept as the subscriber set it. */
  FIFO: boolean;
  /** PUSH only: where events are POSTed. */
  pushUrl?: string;
}

export interface SubscriptionInfo {
  id: string;
  publisherId: string;
  eventType: string;
  subscriberId: string;
  delivery: 'PUSH' | 'PULL';
  options: SubscriptionOptions;
  createdAt: Date;
}

interface SubRow {
  id: string;
  publisher_id: string;
  event_type: string;
  subscriber_id: string;
  mode: 'push' | 'pull';
  push_url: string | null;
  options: Record<string, unknown> | string;
  created_at: Date | string;
}

const toSub = (r: SubRow): SubscriptionInfo => {
  const o = (typeof r.options === 'string' ? JSON.parse(r.options) : r.options) as Partial<SubscriptionOptions>;
  return {
    id: r.id,
    publisherId: r.publisher_id,
    eventType: r.event_type,
    subscriberId: r.subscriber_id,
    delivery: r.mode === 'push' ? 'PUSH' : 'PULL',
    options: { TTL: o.TTL ?? 3600, FIFO: o.FIFO ?? false, ...(r.push_url ? { pushUrl: r.push_url } : {}) },
    createdAt: new Date(r.created_at),
  };
}

/** The GovStack SubscriptionItem of a subscription. */
export function subscriptionItem(s: SubscriptionInfo) {
  return { id: s.id, subscriberId: govstackAppId(s.subscriberId), eventType: s.eventType, delivery: s.delivery, options: s.options };
}

export interface SubscriptionRequest {
  delivery?: 'PUSH' | 'PULL';
  options?: { TTL?: number; FIFO?: boolean; pushUrl?: string };
}

/** Push addresses: http(s) in general, https only in production (the event leaves the platform). */
function checkPushUrl(platform: Platform, url: string | undefined): string {
  if (!url) throw badRequest('push_url_required');
  const schemes = platform.config.mode === 'production' ? ['https:'] : ['https:', 'http:'];
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badRequest('push_url_invalid', { schemes: schemes.join(' ') });
  }
  if (!schemes.includes(u.protocol) || u.username || u.password) throw badRequest('push_url_invalid', { schemes: schemes.join(' ') });
  return u.toString();
}

async function mustHaveRight(db: Db, subscriberId: string, publisherId: string): Promise<void> {
  const service = eventsServiceId(publisherId);
  if (!(await hasAccessRight(db, subscriberId, service))) throw forbidden('no_event_right', { client: subscriberId, service });
}

async function current(db: Db, subscriberId: string, publisherId: string, eventType: string): Promise<SubscriptionInfo | undefined> {
  const [r] = await rows<SubRow>(
    db,
    sql`select * from exchange.subscription where publisher_id = ${publisherId} and event_type = ${eventType}
        and subscriber_id = ${subscriberId} and deleted_at is null`,
  );
  return r && toSub(r);
}

export async function listSubscriptions(db: Db, subscriberId: string, publisherId: string): Promise<SubscriptionInfo[]> {
  const r = await rows<SubRow>(
    db,
    sql`select * from exchange.subscription where publisher_id = ${publisherId} and subscriber_id = ${subscriberId}
        and deleted_at is null order by event_type`,
  );
  return r.map(toSub);
}

export async function getSubscription(db: Db, subscriberId: string, publisherId: string, eventType: string): Promise<SubscriptionInfo> {
  const s = await current(db, subscriberId, publisherId, eventType);
  if (!s) throw notFound('subscription_unknown', { type: eventType });
  return s;
}

function settings(platform: Platform, req: SubscriptionRequest, base?: SubscriptionInfo) {
  const delivery = req.delivery ?? base?.delivery ?? 'PUSH';
  const pushUrl = delivery === 'PUSH' ? checkPushUrl(platform, req.options?.pushUrl ?? base?.options.pushUrl) : null;
  const options = { TTL: req.options?.TTL ?? base?.options.TTL ?? 3600, FIFO: req.options?.FIFO ?? base?.options.FIFO ?? false };
  return { mode: delivery === 'PUSH' ? 'push' : 'pull', pushUrl, options };
}

/** Subscribes `subscriberId` to an event type of the room (409 if subscribed). Events published from now on are delivered. */
export async function subscribe(
  platform: Platform,
  input: SubscriptionRequest & { subscriberId: string; publisherId: string; eventType: string },
): Promise<SubscriptionInfo> {
  return inTx(platform, undefined, async (t) => {
    if (!(await findEventType(t, input.publisherId, input.eventType))) throw notFound('event_type_unknown', { type: input.eventType });
    await mustHaveRight(t, input.subscriberId, input.publisherId);
    const s = settings(platform, input);
    const [r] = await rows<SubRow>(
      t,
      sql`insert into exchange.subscription (id, publisher_id, event_type, subscriber_id, mode, push_url, options)
          values (${randomUUID()}, ${input.publisherId}, ${input.eventType}, ${input.subscriberId}, ${s.mode}, ${s.pushUrl},
                  ${JSON.stringify(s.options)}::jsonb)
          on conflict (publisher_id, event_type, subscriber_id) where deleted_at is null do nothing returning *`,
    );
    if (!r) throw conflict('subscription_exists', { type: input.eventType });
    // from now on the subscriber receives the publisher's (often personal) data: on the record
    await platform.audit.append(
      { actor: `client:${input.subscriberId}`, action: 'exchange.pubsub.subscribed', subject: `${input.publisherId}/${input.eventType}`, data: { subscription: r.id, delivery: s.mode } },
      t,
    );
    return toSub(r);
  });
}

/** Changes delivery mode, push address or options. Waiting events stay: a switch to PULL keeps them for pulling. */
export async function updateSubscription(
  platform: Platform,
  input: SubscriptionRequest & { subscriberId: string; publisherId: string; eventType: string },
): Promise<SubscriptionInfo> {
  return inTx(platform, undefined, async (t) => {
    const base = await getSubscription(t, input.subscriberId, input.publisherId, input.eventType);
    await mustHaveRight(t, input.subscriberId, input.publisherId);
    const s = settings(platform, input, base);
    const [r] = await rows<SubRow>(
      t,
      sql`update exchange.subscription set mode = ${s.mode}, push_url = ${s.pushUrl}, options = ${JSON.stringify(s.options)}::jsonb
          where id = ${base.id} returning *`,
    );
    return toSub(r!);
  });
}

/** Ends a subscription; events not yet delivered to it are cancelled. */
export async function unsubscribe(platform: Platform, input: { subscriberId: string; publisherId: string; eventType: string }): Promise<void> {
  await inTx(platform, undefined, async (t) => {
    const s = await getSubscription(t, input.subscriberId, input.publisherId, input.eventType);
    await t.execute(sql`update exchange.subscription set deleted_at = now() where id = ${s.id}`);
    await t.execute(sql`update exchange.delivery set status = 'cancelled', last_error = 'unsubscribed'
      where subscription_id = ${s.id} and status = 'pending'`);
    await platform.audit.append(
      { actor: `client:${input.subscriberId}`, action: 'exchange.pubsub.unsubscribed', subject: `${input.publisherId}/${input.eventType}`, data: { subscription: s.id } },
      t,
    );
  });
}

async function pullSubscription(db: Db, input: { subscriberId: string; publisherId: string; eventType: string }): Promise<SubscriptionInfo> {
  const s = await current(db, input.subscriberId, input.publisherId, input.eventType);
  // the API answers 409 "invalid request" for a pull without a PULL subscription
  if (!s || s.delivery !== 'PULL') throw conflict('not_pull_subscription', { type: input.eventType });
  await mustHaveRight(db, input.subscriberId, input.publisherId);
  return s;
}

/**
 * The oldest event waiting on the caller's PULL subscription; it stays there (and is returned
 * again) until confirmed. Events past the subscription's TTL are dropped first.
 */
export async function pullEvent(platform: Platform, input: { subscriberId: string; publisherId: string; eventType: string }): Promise<EventItem> {
  return inTx(platform, undefined, async (t) => {
    const s = await pullSubscription(t, input);
    await t.execute(sql`update exchange.delivery d set status = 'failed', last_error = 'TTL passed before it was confirmed'
      from exchange.event e where e.id = d.event_id and d.subscription_id = ${s.id} and d.status = 'pending'
        and e.published_at + (${s.options.TTL}::int * interval '1 second') < now()`);
    const [r] = await rows<EventRow>(
      t,
      sql`select e.* from exchange.delivery d join exchange.event e on e.id = d.event_id
          where d.subscription_id = ${s.id} and d.status = 'pending' and e.deleted_at is null
          order by e.sequence limit 1`,
    );
    if (!r) throw notFound('no_pending_event');
    const [{ attempts } = { attempts: 1 }] = await rows<{ attempts: number }>(
      t,
      sql`update exchange.delivery set attempts = attempts + 1, last_attempt_at = now()
          where event_id = ${r.id} and subscription_id = ${s.id} returning attempts`,
    );
    const e = toEvent(r);
    // the first time the payload is handed over, the citizens it names see the read
    if (attempts === 1) {
      await recordDelivery(t, { eventId: e.id, publisherId: e.publisherId, eventType: e.eventType, event: e.event, subscriberId: s.subscriberId, serviceId: eventsServiceId(s.publisherId) });
    }
    return eventItem(e);
  });
}

/** Acknowledges an event pulled from the caller's PULL subscription: it is not pulled again. */
export async function confirmEvent(
  platform: Platform,
  input: { subscriberId: string; publisherId: string; eventType: string; eventId: string },
): Promise<void> {
  await inTx(platform, undefined, async (t) => {
    const s = await pullSubscription(t, input);
    if (!z.uuid().safeParse(input.eventId).success) throw notFound('event_not_pending', { id: input.eventId });
    const done = await rows(
      t,
      sql`update exchange.delivery set status = 'delivered', delivered_at = now(), last_error = null
          where event_id = ${input.eventId} and subscription_id = ${s.id} and status = 'pending' returning event_id`,
    );
    if (!done.length) throw notFound('event_not_pending', { id: input.eventId });
  });
}
