import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FieldCrypto } from '../../platform/crypto.ts';
import { rows, type Db } from '../../platform/db.ts';
import { defineJob, enqueue, PermanentJobError, type JobHandler } from '../../platform/outbox.ts';
import { callbackUrlProblem, postCallback } from '../../platform/webhooks.ts';

/**
 * Delivery of the GovStack Consent webhooks (registered through `/govstack/consent/config/webhook/`):
 * a change of a consent record, agreement or policy queues one outbox job per matching webhook in
 * the transaction of the change, so an event goes out if and only if the change committed. The
 * job POSTs the event signed with the webhook's secret (HMAC-SHA256 of the body, header
 * `X-Hanaro-Signature: sha256=<hex>`); the body and signature are made when queued, so the secret
 * never sits in the queue. Failures are retried with the outbox's backoff; a 4xx other than 408
 * and 429 is given up at once (dead letter with the reason). A receiver may get an event twice
 * (a crash after its 2xx): it deduplicates on `Idempotency-Key`, the event id.
 */

export const WEBHOOK_TOPIC = 'mydata.webhook';
const TIMEOUT_MS = 10_000;

export interface WebhookJob {
  webhookId: string;
  url: string;
  contentType: string;
  eventId: string;
  eventType: string;
  body: string;
  signature: string;
}

/** What a receiver gets: the event, the object it is about and when; never a citizen's id. */
export interface WebhookEvent {
  id: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

/** Webhook secrets are kept encrypted with the field key (they must be read back to sign, so they cannot be hashed). */
export const webhookSecretContext = (id: string) => `mydata.webhook.secret:${id}`;

export const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/**
 * Queues the event for every active webhook of `recipientId` (and the platform-wide ones, with
 * no recipient) that asked for `type`. Call it in the transaction of the change.
 */
export async function queueWebhooks(tx: Db, crypto: FieldCrypto, recipientId: string | null, type: string, data: Record<string, unknown>, at = new Date()): Promise<number> {
  const hooks = await rows<{ id: string; payload_url: string; content_type: string; secret_key: string }>(
    tx,
    sql`select id::text as id, payload_url, content_type, secret_key from mydata.webhook
        where not disabled and ${type} = any(events)
          and (recipient_id is null ${recipientId ? sql`or recipient_id = ${recipientId}` : sql``})`,
  );
  const event: WebhookEvent = { id: randomUUID(), type, at: at.toISOString(), data };
  const body = JSON.stringify(event);
  for (const h of hooks) {
    const job: WebhookJob = { webhookId: h.id, url: h.payload_url, contentType: h.content_type, eventId: event.id, eventType: type, body, signature: sign(crypto.decrypt(h.secret_key, webhookSecretContext(h.id)), body) };
    await enqueue(tx, WEBHOOK_TOPIC, job, { idempotencyKey: `${WEBHOOK_TOPIC}:${event.id}:${h.id}` });
  }
  return hooks.length;
}

async function deliver(job: { payload: WebhookJob }, signal: AbortSignal): Promise<void> {
  const p = job.payload;
  if (!p?.url || !p.body) throw new PermanentJobError('webhook job without address or body');
  await postCallback(p.url, {
    signal,
    timeoutMs: TIMEOUT_MS,
    headers: {
      'content-type': p.contentType || 'application/json',
      'user-agent': 'Hanaro-MyData-Webhooks/1',
      'idempotency-key': p.eventId,
      'x-hanaro-event': p.eventType,
      'x-hanaro-signature': p.signature,
    },
    body: p.body,
  });
}

export const webhookJobs: Record<string, JobHandler> = {
  [WEBHOOK_TOPIC]: defineJob<WebhookJob, void>({ perform: (job, signal) => deliver(job, signal) }),
};

export { isPrivateAddress } from '../../platform/webhooks.ts';

/** Where a webhook may point (platform/webhooks.ts): in production https, to public addresses only. */
export async function checkWebhookUrl(url: string, production: boolean): Promise<string | undefined> {
  const problem = await callbackUrlProblem(url, production);
  return problem?.startsWith('must') ? `a webhook ${problem}` : problem;
}
