import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FieldCrypto } from '../../platform/crypto.ts';
import { rows, type Db } from '../../platform/db.ts';
import { defineJob, enqueue, PermanentJobError, type JobHandler } from '../../platform/outbox.ts';

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
  let res: Response;
  try {
    res = await fetch(p.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
      headers: {
        'content-type': p.contentType || 'application/json',
        'user-agent': 'Hanaro-MyData-Webhooks/1',
        'idempotency-key': p.eventId,
        'x-hanaro-event': p.eventType,
        'x-hanaro-signature': p.signature,
      },
      body: p.body,
    });
  } catch (e) {
    if (signal.aborted) throw e;
    const name = e instanceof Error ? e.name : 'Error';
    // no address in the error text: the dead letter is shown to operators
    throw new Error(name === 'TimeoutError' ? `timeout after ${TIMEOUT_MS} ms` : 'network error');
  }
  await res.body?.cancel().catch(() => {});
  if (res.status >= 200 && res.status < 300) return;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentJobError(`refused by the receiver: HTTP ${res.status}`);
  throw new Error(`HTTP ${res.status}`);
}

export const webhookJobs: Record<string, JobHandler> = {
  [WEBHOOK_TOPIC]: defineJob<WebhookJob, void>({ perform: (job, signal) => deliver(job, signal) }),
};

const PRIVATE_V4 = [/^10\./, /^127\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^0\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];
const PRIVATE_V6 = [/^::1$/, /^::$/, /^f[cd]/i, /^fe[89ab]/i, /^::ffff:(10|127|192\.168|169\.254)\./i];

/** Whether an address is loopback, private, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  return address.includes(':') ? PRIVATE_V6.some((r) => r.test(address)) : PRIVATE_V4.some((r) => r.test(address));
}

/**
 * In production a webhook must point at the public internet: a recipient must not make the
 * platform post into its own network (SSRF). Every address the host resolves to is checked when
 * the webhook is registered; demo mode allows local receivers for trying things out.
 */
export async function checkWebhookUrl(url: string, production: boolean): Promise<string | undefined> {
  if (!production) return undefined;
  const u = new URL(url);
  if (u.protocol !== 'https:') return 'a webhook must use https in production';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const { lookup } = await import('node:dns/promises');
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `the host ${host} does not resolve`;
  }
  return addresses.some(isPrivateAddress) ? `the host ${host} is not on the public internet` : undefined;
}
