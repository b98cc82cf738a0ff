import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { createService, findSubsystem, inTx, type Names } from './directory.ts';
import { CODE, govstackAppId } from './directory-ids.ts';
import { EVENTS_SERVICE } from './directory-seed-data.ts';
import { badRequest, conflict, forbidden, notFound } from './management-messages.ts';
import { eventsServiceOpenApi } from './pubsub-openapi.ts';
import { eventsServiceId } from './pubsub-access.ts';
import { enqueuePush } from './pubsub-push.ts';

// GovStack pub/sub, publisher side. A room is a publisher subsystem (`KR/GOV/MOIS/resident-registry`);
// only that subsystem defines its event types and publishes. Publishing stores the event and
// one delivery per subscription whose subscriber still holds an access right to the room's
// `events` service: PULL deliveries wait to be pulled and confirmed, PUSH ones become outbox jobs.
// The event and delivery tables are the pub/sub log (who published what type when, and every
// delivery's attempts); payloads are never written to the application log.

export interface EventTypeInfo {
  publisherId: string;
  eventType: string;
  title: Names;
  schema: Record<string, unknown>;
  createdAt: Date;
}

export interface EventRecord {
  id: string;
  sequence: number;
  publisherId: string;
  eventType: string;
  event: unknown;
  publishedAt: Date;
  deletedAt: Date | null;
}

/** The GovStack EventItem of an event (what pull returns and push posts). */
export function eventItem(e: EventRecord) {
  return {
    id: e.id,
    sequence: e.sequence,
    publisherId: govstackAppId(e.publisherId),
    eventType: e.eventType,
    publishedAt: e.publishedAt.toISOString(),
    event: e.event as Record<string, unknown>,
  };
}
export type EventItem = ReturnType<typeof eventItem>;

interface TypeRow {
  publisher_id: string;
  event_type: string;
  title_ko: string;
  title_en: string;
  schema: Record<string, unknown> | string | null;
  created_at: Date | string;
}
export interface EventRow {
  id: string;
  sequence: number | string;
  publisher_id: string;
  event_type: string;
  payload: unknown;
  published_at: Date | string;
  deleted_at: Date | string | null;
}
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const toType = (r: TypeRow): EventTypeInfo => ({
  publisherId: r.publisher_id,
  eventType: r.event_type,
  title: { ko: r.title_ko, en: r.title_en },
  schema: json(r.schema ?? {}) ?? {},
  createdAt: new Date(r.created_at),
});
export const toEvent = (r: EventRow): EventRecord => ({
  id: r.id,
  sequence: Number(r.sequence),
  publisherId: r.publisher_id,
  eventType: r.event_type,
  event: json(r.payload),
  publishedAt: new Date(r.published_at),
  deletedAt: r.deleted_at === null ? null : new Date(r.deleted_at),
});

export { eventsServiceId } from './pubsub-access.ts';

function mustBePublisher(caller: string, publisherId: string): void {
  if (caller !== publisherId) throw forbidden('not_publisher', { room: publisherId });
}

// validators by schema text: building one from JSON Schema costs more than checking an event
const validators = new Map<string, z.ZodType>();

/** A validator from the event type's JSON Schema; throws a 400 when the schema is not usable. */
function validatorOf(schema: unknown): z.ZodType {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) throw badRequest('schema_invalid', { reason: 'not an object' });
  const text = JSON.stringify(schema);
  let v = validators.get(text);
  if (v) return v;
  try {
    v = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (e) {
    throw badRequest('schema_invalid', { reason: e instanceof Error ? e.message.slice(0, 200) : 'unsupported' });
  }
  if (validators.size >= 1000) validators.clear();
  validators.set(text, v);
  return v;
}

export async function listEventTypes(db: Db, publisherId: string): Promise<EventTypeInfo[]> {
  const r = await rows<TypeRow>(
    db,
    sql`select * from exchange.event_type where publisher_id = ${publisherId} and deleted_at is null order by event_type`,
  );
  return r.map(toType);
}

export async function findEventType(db: Db, publisherId: string, eventType: string): Promise<EventTypeInfo | undefined> {
  const [r] = await rows<TypeRow>(
    db,
    sql`select * from exchange.event_type where publisher_id = ${publisherId} and event_type = ${eventType} and deleted_at is null`,
  );
  return r && toType(r);
}

/** Describes the room's event types as its `events` service in the directory (created with the first type). */
async function refreshEventsService(db: Db, publisherId: string): Promise<void> {
  const sub = await findSubsystem(db, publisherId);
  if (!sub) return;
  const types = await listEventTypes(db, publisherId);
  await createService(db, {
    id: eventsServiceId(publisherId),
    version: '1.0',
    title: { ko: `${sub.name.ko} 이벤트`, en: `${sub.name.en} events` },
    provider: `pubsub:${publisherId}`,
    openapi: eventsServiceOpenApi(publisherId, sub.name, types),
    // events are about people unless proven otherwise: subscribing then needs a legal basis
    personalData: true,
  });
}

export interface EventTypeInput {
  /** The authenticated caller; must be the publisher itself. */
  caller: string;
  publisherId: string;
  eventType: string;
  schema: unknown;
  title?: Names;
}

/** Creates an event type in the publisher's room (409 if it exists). A deleted type may be created again. */
export async function createEventType(platform: Platform, input: EventTypeInput, tx?: Db): Promise<EventTypeInfo> {
  mustBePublisher(input.caller, input.publisherId);
  if (!CODE.test(input.eventType)) throw badRequest('event_type_invalid', { type: input.eventType });
  validatorOf(input.schema);
  const title = input.title ?? { ko: input.eventType, en: input.eventType };
  return inTx(platform, tx, async (t) => {
    if (!(await findSubsystem(t, input.publisherId))) throw notFound('subsystem_unknown', { id: input.publisherId });
    const [r] = await rows<TypeRow>(
      t,
      sql`insert into exchange.event_type (publisher_id, event_type, title_ko, title_en, schema)
          values (${input.publisherId}, ${input.eventType}, ${title.ko}, ${title.en}, ${JSON.stringify(input.schema)}::jsonb)
          on conflict (publisher_id, event_type) do update set title_ko = excluded.title_ko, title_en = excluded.title_en,
            schema = excluded.schema, deleted_at = null, created_at = now()
          where exchange.event_type.deleted_at is not null
          returning *`,
    );
    if (!r) throw conflict('event_type_exists', { type: input.eventType });
    await refreshEventsService(t, input.publisherId);
    await platform.audit.append(
      { actor: `client:${input.caller}`, action: 'exchange.pubsub.event-type.created', subject: `${input.publisherId}/${input.eventType}` },
      t,
    );
    return toType(r);
  });
}

/** Deletes an event type: its subscriptions end and their undelivered events are cancelled. */
export async function deleteEventType(platform: Platform, input: { caller: string; publisherId: string; eventType: string }): Promise<void> {
  mustBePublisher(input.caller, input.publisherId);
  await inTx(platform, undefined, async (t) => {
    const gone = await rows(
      t,
      sql`update exchange.event_type set deleted_at = now()
          where publisher_id = ${input.publisherId} and event_type = ${input.eventType} and deleted_at is null returning event_type`,
    );
    if (!gone.length) throw notFound('event_type_unknown', { type: input.eventType });
    await t.execute(sql`update exchange.delivery set status = 'cancelled', last_error = 'event type deleted'
      where status = 'pending' and subscription_id in (select id from exchange.subscription
        where publisher_id = ${input.publisherId} and event_type = ${input.eventType} and deleted_at is null)`);
    await t.execute(sql`update exchange.subscription set deleted_at = now()
      where publisher_id = ${input.publisherId} and event_type = ${input.eventType} and deleted_at is null`);
    await refreshEventsService(t, input.publisherId);
    await platform.audit.append(
      { actor: `client:${input.caller}`, action: 'exchange.pubsub.event-type.deleted', subject: `${input.publisherId}/${input.eventType}` },
      t,
    );
  });
}

/** A stable event id for something that may be published twice (a redelivered domain event): a name-based (v5-style) UUID. */
export function eventIdFor(name: string): string {
  const h = createHash('sha1').update(`hanaro.exchange.pubsub:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export interface PublishInput {
  /** The authenticated caller; must be the publisher. */
  caller: string;
  publisherId: string;
  eventType: string;
  event: unknown;
  /** Makes publishing idempotent: the same id publishes once. Default: a new random id. */
  id?: string;
}

/**
 * Publishes an event in the caller's transaction `tx` (the event and its deliveries commit
 * together). Returns its id, and whether it is new: publishing an id that exists changes nothing.
 */
export async function publishEvent(tx: Db, input: PublishInput): Promise<{ id: string; created: boolean }> {
  mustBePublisher(input.caller, input.publisherId);
  const type = await findEventType(tx, input.publisherId, input.eventType);
  if (!type) throw notFound('event_type_unknown', { type: input.eventType });
  const check = validatorOf(type.schema).safeParse(input.event);
  if (!check.success) {
    const errors = check.error.issues.slice(0, 20).map((i) => ({ path: `body/event/${i.path.join('/')}`.replace(/\/$/, ''), message: i.message }));
    throw badRequest('event_invalid', {}, { errors });
  }
  const id = input.id ?? randomUUID();
  const [inserted] = await rows<EventRow>(
    tx,
    sql`insert into exchange.event (id, publisher_id, event_type, payload)
        values (${id}, ${input.publisherId}, ${input.eventType}, ${JSON.stringify(input.event)}::jsonb)
        on conflict (id) do nothing returning *`,
  );
  if (!inserted) return { id, created: false };
  // one delivery per live subscription whose subscriber still holds the right to the events service
  const subs = await rows<{ id: string; mode: string; push_url: string | null }>(
    tx,
    sql`with d as (
          insert into exchange.delivery (event_id, subscription_id)
          select ${id}, s.id from exchange.subscription s
           where s.publisher_id = ${input.publisherId} and s.event_type = ${input.eventType} and s.deleted_at is null
             and exists (select 1 from exchange.access_right r where r.client_id = s.subscriber_id
                           and r.service_id = ${eventsServiceId(input.publisherId)} and r.revoked_at is null)
          returning subscription_id)
        select s.id, s.mode, s.push_url from d join exchange.subscription s on s.id = d.subscription_id`,
  );
  const item = eventItem(toEvent(inserted));
  for (const s of subs) if (s.mode === 'push' && s.push_url) await enqueuePush(tx, { subscriptionId: s.id, url: s.push_url, attempt: 1, item });
  return { id, created: true };
}

export async function findEvent(db: Db, publisherId: string, eventType: string, id: string): Promise<EventRecord | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  const [r] = await rows<EventRow>(
    db,
    sql`select * from exchange.event where id = ${id} and publisher_id = ${publisherId} and event_type = ${eventType}`,
  );
  return r && toEvent(r);
}

export interface DeliveryStatus {
  subscriberId: string;
  delivery: 'PUSH' | 'PULL';
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

/** An event with the state of its delivery to every subscriber (for the publisher only). */
export async function eventStatus(db: Db, input: { caller: string; publisherId: string; eventType: string; id: string }) {
  mustBePublisher(input.caller, input.publisherId);
  const e = await findEvent(db, input.publisherId, input.eventType, input.id);
  if (!e) throw notFound('event_unknown', { id: input.id });
  const d = await rows<{ subscriber_id: string; mode: string; status: DeliveryStatus['status']; attempts: number; last_error: string | null; last_attempt_at: Date | string | null; delivered_at: Date | string | null }>(
    db,
    sql`select s.subscriber_id, s.mode, d.status, d.attempts, d.last_error, d.last_attempt_at, d.delivered_at
        from exchange.delivery d join exchange.subscription s on s.id = d.subscription_id
        where d.event_id = ${e.id} order by s.subscriber_id`,
  );
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  const deliveries: DeliveryStatus[] = d.map((r) => ({
    subscriberId: r.subscriber_id,
    delivery: r.mode === 'push' ? 'PUSH' : 'PULL',
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    lastAttemptAt: iso(r.last_attempt_at),
    deliveredAt: iso(r.delivered_at),
  }));
  const count = (s: DeliveryStatus['status']) => deliveries.filter((x) => x.status === s).length;
  return {
    ...eventItem(e),
    deleted: e.deletedAt !== null,
    status: { subscribers: deliveries.length, pending: count('pending'), delivered: count('delivered'), failed: count('failed'), cancelled: count('cancelled') },
    deliveries,
  };
}

/** Stops processing an event: undelivered copies are cancelled (pushes in flight may still land). */
export async function deleteEvent(platform: Platform, input: { caller: string; publisherId: string; eventType: string; id: string }): Promise<void> {
  mustBePublisher(input.caller, input.publisherId);
  await inTx(platform, undefined, async (t) => {
    const e = await findEvent(t, input.publisherId, input.eventType, input.id);
    if (!e || e.deletedAt) throw notFound('event_unknown', { id: input.id });
    await t.execute(sql`update exchange.event set deleted_at = now() where id = ${e.id}`);
    await t.execute(sql`update exchange.delivery set status = 'cancelled', last_error = 'event deleted by the publisher'
      where event_id = ${e.id} and status = 'pending'`);
  });
}
