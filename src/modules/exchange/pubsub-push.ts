import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { backoffDelay, defineJob, enqueue, PermanentJobError, type JobHandler } from '../../platform/outbox.ts';
import type { EventItem } from './pubsub.ts';
import { eventsServiceId, recordDelivery } from './pubsub-access.ts';

// PUSH delivery through the platform outbox. Each attempt is one outbox job: `perform` POSTs the
// event outside any transaction; `commit` records the attempt on the delivery row and, when it
// failed and may be retried, queues the next attempt after the platform's exponential backoff
// (with jitter). Every attempt's outcome is therefore on the delivery row (attempts, last
// error), not only in the outbox. The outbox's own retries of a job cover only a crash between
// perform and commit. The subscriber may receive an event twice (a crash after its 2xx): it
// deduplicates on the event id, sent as `Idempotency-Key`.

export const PUSH_TOPIC = 'exchange.pubsub-push';
/** Attempts per delivery before it is given up (5 s doubling: about 10 minutes in all). */
export const MAX_PUSH_ATTEMPTS = 8;
const PUSH_TIMEOUT_MS = 10_000;

export interface PushJob {
  subscriptionId: string;
  url: string;
  attempt: number;
  item: EventItem;
}

type PushOutcome = { ok: true; status: number } | { ok: false; error: string; permanent: boolean };

/** Queues one push attempt in the caller's transaction. */
export async function enqueuePush(tx: Db, p: PushJob, runAt?: Date): Promise<void> {
  await enqueue(tx, PUSH_TOPIC, p, {
    idempotencyKey: `${PUSH_TOPIC}:${p.item.id}:${p.subscriptionId}:${p.attempt}`,
    runAt,
    maxAttempts: 3,
  });
}

// built field by field: the payload went through jsonb, which reorders object keys
const publisherOf = ({ publisherId: x }: EventItem) => `${x.instanceId}/${x.memberClass}/${x.memberCode}/${x.applicationCode}`;

async function post(p: PushJob, signal: AbortSignal): Promise<PushOutcome> {
  try {
    const res = await fetch(p.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(PUSH_TIMEOUT_MS)]),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Hanaro-InformationMediator-PubSub/1',
        'idempotency-key': p.item.id,
        'x-govstack-event-id': p.item.id,
        'x-govstack-event-type': p.item.eventType,
        'x-govstack-publisher': publisherOf(p.item),
      },
      body: JSON.stringify(p.item),
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    // the subscriber refused this event for good (but 408 and 429 mean "later")
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    return { ok: false, error: `HTTP ${res.status}`, permanent };
  } catch (e) {
    if (signal.aborted) throw e; // the lease went to another worker: not an outcome of this attempt
    // no URL in the text: the publisher reads it in the event status
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    const name = e instanceof Error ? e.name : 'Error';
    return { ok: false, error: name === 'TimeoutError' ? `timeout after ${PUSH_TIMEOUT_MS} ms` : `network error${cause ? `: ${cause}` : ''}`, permanent: false };
  }
}

interface DeliveryState {
  status: string;
  expired: boolean;
  mode: string;
  push_url: string | null;
  sub_deleted: boolean;
  subscriber_id: string;
  publisher_id: string;
}

async function record(job: { payload: PushJob }, tx: Db, r: PushOutcome): Promise<void> {
  const p = job.payload;
  if (!p?.item?.id || !p.subscriptionId) throw new PermanentJobError('push job without event or subscription');
  const [d] = await rows<DeliveryState>(
    tx,
    sql`select d.status, s.mode, s.push_url, s.deleted_at is not null as sub_deleted, s.subscriber_id, s.publisher_id,
          e.published_at + (coalesce((s.options->>'TTL')::int, 3600) * interval '1 second') < now() as expired
        from exchange.delivery d
        join exchange.event e on e.id = d.event_id
        join exchange.subscription s on s.id = d.subscription_id
        where d.event_id = ${p.item.id} and d.subscription_id = ${p.subscriptionId}
        for update of d`,
  );
  // cancelled (event or subscription deleted) or already delivered: nothing to record
  if (!d || d.status !== 'pending') return;
  const key = sql`event_id = ${p.item.id} and subscription_id = ${p.subscriptionId}`;
  if (r.ok) {
    await tx.execute(sql`update exchange.delivery set status = 'delivered', attempts = ${p.attempt}, last_error = null,
      last_attempt_at = now(), delivered_at = now() where ${key}`);
    // the subscriber now holds the event's data: the citizens it names see this read
    await recordDelivery(tx, {
      eventId: p.item.id,
      publisherId: d.publisher_id,
      eventType: p.item.eventType,
      event: p.item.event,
      subscriberId: d.subscriber_id,
      serviceId: eventsServiceId(d.publisher_id),
    });
    return;
  }
  const giveUp = r.permanent || d.expired || p.attempt >= MAX_PUSH_ATTEMPTS;
  const why = r.permanent ? 'refused by the subscriber' : d.expired ? 'TTL passed' : p.attempt >= MAX_PUSH_ATTEMPTS ? 'attempts exhausted' : '';
  const error = `attempt ${p.attempt}: ${r.error}${giveUp ? ` (given up: ${why})` : ''}`;
  await tx.execute(sql`update exchange.delivery set status = ${giveUp ? 'failed' : 'pending'}, attempts = ${p.attempt},
    last_error = ${error}, last_attempt_at = now() where ${key}`);
  // the next attempt goes to the subscription's current address; one switched to PULL keeps the event for pulling
  if (!giveUp && d.mode === 'push' && d.push_url && !d.sub_deleted) {
    await enqueuePush(tx, { ...p, url: d.push_url, attempt: p.attempt + 1 }, new Date(Date.now() + backoffDelay(p.attempt)));
  }
}

/** The module's job handlers (to be given as `jobs` of the exchange module). */
export const pubsubJobs: Record<string, JobHandler> = {
  [PUSH_TOPIC]: defineJob<PushJob, PushOutcome>({
    perform: (job, signal) => post(job.payload, signal),
    commit: (job, tx, result) => record(job, tx, result),
  }),
};
