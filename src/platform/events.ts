import type { Db } from './db.ts';
import { enqueue, type EnqueueOptions, type JobHandler } from './outbox.ts';

// Domain events ride on the outbox. `publish` writes one outbox row (topic EVENT_TOPIC) in the
// caller's transaction, so the event exists exactly when the caller's change does. A worker
// then fans it out: in the transaction that marks that row done it inserts one delivery job
// per subscriber. Each delivery is an ordinary job with its own attempts, backoff and dead
// letter, so one failing subscriber never holds back or repeats another.
//
// Why fan out in the worker rather than in `publish`: the publisher (an API process) then needs
// no knowledge of who listens, and the event row records what happened independently of who
// listened. The subscriber list is the one of the worker that does the fan-out; during a
// rolling deploy an event may be fanned out by an old or a new worker.

/** The outbox topic of a published, not yet fanned-out event. */
export const EVENT_TOPIC = 'platform.event';

const NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

/** What a subscriber receives (the payload of its delivery job). */
export interface DomainEvent<D = unknown> {
  /** The id of the published event (its outbox row); one id per publish, shared by all deliveries. */
  id: number;
  /** `<module>.<what-happened>`, e.g. `registries.birth-registered`. */
  type: string;
  data: D;
  /** ISO 8601, from the database clock. */
  publishedAt: string;
}

/**
 * A subscriber: an ordinary job handler whose job payload is the event. Its database effects
 * commit once with its delivery; external effects use `job.key` (stable per event and subscriber).
 */
export type EventHandler<D = any> = JobHandler<DomainEvent<D>>;

export interface Subscription {
  /** Who listens, normally the module name; part of the delivery topic, so keep it stable. */
  subscriber: string;
  type: string;
  handler: EventHandler;
}

interface EventRow {
  type: string;
  data: unknown;
}

function checkName(what: string, name: string): void {
  if (!NAME.test(name)) throw new Error(`${what} "${name}" must be lower-case words separated by dots (e.g. registries.birth-registered)`);
}

/** The topic of one subscriber's delivery jobs for one event type. */
export function deliveryTopic(type: string, subscriber: string): string {
  return `event:${type}@${subscriber}`;
}

/**
 * Publishes a domain event in the caller's transaction: subscribers hear of it if and only if
 * the caller commits. With an idempotency key a producer that retries publishes once.
 * Returns the event id.
 */
export async function publish<D>(tx: Db, type: string, data: D, opts: Pick<EnqueueOptions, 'idempotencyKey'> = {}): Promise<number> {
  checkName('event type', type);
  const row: EventRow = { type, data };
  const r = await enqueue(tx, EVENT_TOPIC, row, { idempotencyKey: opts.idempotencyKey && `publish:${opts.idempotencyKey}` });
  return r.id;
}

/**
 * The job handlers of the event system: the fan-out of published events and one delivery
 * topic per subscription. A worker gives these to `startWorker` with its other handlers
 * (`moduleHandlers` in worker.ts does it for the modules).
 */
export function eventHandlers(subscriptions: Subscription[]): Record<string, JobHandler> {
  const byType = new Map<string, Subscription[]>();
  const handlers: Record<string, JobHandler> = {};
  for (const s of subscriptions) {
    checkName('event type', s.type);
    checkName('subscriber', s.subscriber);
    const topic = deliveryTopic(s.type, s.subscriber);
    if (handlers[topic]) throw new Error(`${s.subscriber} subscribes to ${s.type} twice`);
    handlers[topic] = s.handler;
    byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
  }
  handlers[EVENT_TOPIC] = async (job, tx) => {
    const { type, data } = job.payload as EventRow;
    const event: DomainEvent = { id: job.id, type, data, publishedAt: job.createdAt.toISOString() };
    // the key makes a second fan-out of the same event (should one ever run) a no-op
    for (const s of byType.get(type) ?? []) {
      await enqueue(tx, deliveryTopic(type, s.subscriber), event, { idempotencyKey: `delivery:${job.id}@${s.subscriber}` });
    }
  };
  return handlers;
}
