import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { defineJob, PermanentJobError, type JobHandler } from '../../platform/outbox.ts';
import type { Platform } from '../../platform/platform.ts';
import { postCallback } from '../../platform/webhooks.ts';
import { queueCallbacks } from './lanes.ts';
import { openPayload, SELECT_NOTIFICATION, type NotificationRow } from './send.ts';
import { callbackToken } from './services.ts';

/**
 * Delivery receipts, both ways.
 *
 * In: a gateway (SMS, AlimTalk) reports what became of a message it took (`POST
 * /api/notify/receipts/{provider}` with the receipt token). Each receipt is stored once
 * (provider, reference, status) and moves the message forward only: `sending` → `delivered` or a
 * failure; a late or repeated receipt changes nothing.
 *
 * Out: when a message reaches a final status, the agency's callback URL gets Notify's
 * delivery-status body, with `Authorization: Bearer <token>` as Notify sends it and an HMAC of
 * the body under the same token (`X-Hanaro-Signature: t=<unix seconds>,v1=<hex of
 * HMAC-SHA256(token, t + "." + body)>`) so the agency can check it came from us and is fresh.
 * Failures are retried with backoff (6 attempts); a 4xx other than 408/429 gives up at once; dead
 * letters are listed for the agency.
 */

export const RECEIPT_STATUSES = ['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

export async function applyReceipts(platform: Platform, provider: string, receipts: Array<{ ref: string; status: ReceiptStatus; payload?: unknown }>): Promise<number> {
  if (!receipts.length) return 0;
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const fresh = await rows<{ provider_ref: string; status: string }>(
      tx,
      sql`insert into notify.receipt (provider, provider_ref, status, payload)
          values ${sql.join(receipts.map((r) => sql`(${provider}, ${r.ref}, ${r.status}, ${JSON.stringify(r.payload ?? {})}::jsonb)`), sql`, `)}
          on conflict do nothing returning provider_ref, status`,
    );
    if (!fresh.length) return 0;
    const changed = await rows<{ id: string }>(
      tx,
      sql`update notify.notification n set status = v.status, status_reason = null, completed_at = now(), updated_at = now()
            from (values ${sql.join(fresh.map((r) => sql`(${r.provider_ref}, ${r.status})`), sql`, `)}) as v(ref, status)
           where n.provider = ${provider} and n.provider_ref = v.ref and n.status in ('created', 'sending', 'pending')
          returning n.id::text as id`,
    );
    await queueCallbacks(tx, changed.map((c) => c.id));
    return changed.length;
  });
}

export const sign = (token: string, t: number, body: string) => `t=${t},v1=${createHmac('sha256', token).update(`${t}.${body}`).digest('hex')}`;

const TIMEOUT_MS = 10_000;

/** Notify's delivery-status callback body. */
export function callbackBody(platform: Platform, r: NotificationRow): Record<string, unknown> {
  return {
    id: r.id,
    reference: r.reference,
    to: openPayload(platform, r).to,
    status: r.status,
    status_reason: r.status_reason,
    created_at: new Date(r.created_at).toISOString(),
    completed_at: r.completed_at ? new Date(r.completed_at).toISOString() : null,
    sent_at: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    notification_type: r.channel,
    template_id: r.template_id,
    template_version: r.template_version === null ? null : Number(r.template_version),
  };
}

export function callbackJobs(platform: Platform): Record<string, JobHandler> {
  return {
    'notify.callback': defineJob<{ id: string; status: string }, void>({
      backoff: { baseMs: 30_000, capMs: 1_800_000 },
      async perform(job, signal) {
        const [r] = await rows<NotificationRow & { service_callback: string | null }>(
          platform.db,
          sql`select n.*, s.callback_url as service_callback from (${SELECT_NOTIFICATION} where id = ${job.payload.id}::uuid) n left join notify.service s on s.id = n.service_id::uuid`,
        );
        if (!r) throw new PermanentJobError('message not found');
        const url = r.callback_url ?? r.service_callback;
        if (!url) return;
        const token = r.service_id ? await callbackToken(platform, r.service_id) : undefined;
        const body = JSON.stringify(callbackBody(platform, r));
        const t = Math.floor(Date.now() / 1000);
        await postCallback(url, {
          signal,
          timeoutMs: TIMEOUT_MS,
          receiver: 'the callback receiver',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Hanaro-Notify-Callbacks/1',
            'idempotency-key': `${r.id}:${r.status}`,
            ...(token ? { authorization: `Bearer ${token}`, 'x-hanaro-signature': sign(token, t, body) } : {}),
          },
          body,
        });
      },
    }),
  };
}

/** The agency's undelivered callbacks (dead letters), newest first, with the reason. */
export async function deadCallbacks(db: Db, serviceId: string, limit = 100): Promise<Array<{ notificationId: string; status: string; attempts: number; error: string | null; at: Date }>> {
  const r = await rows<{ nid: string; status: string; attempts: number; last_error: string | null; done_at: Date | string }>(
    db,
    sql`select o.payload->>'id' as nid, o.payload->>'status' as status, o.attempts, o.last_error, o.done_at
          from platform.outbox o join notify.notification n on n.id = (o.payload->>'id')::uuid
         where o.topic = 'notify.callback' and o.status = 'dead' and n.service_id = ${serviceId}::uuid
         order by o.done_at desc limit ${limit}`,
  );
  return r.map((x) => ({ notificationId: x.nid, status: x.status, attempts: Number(x.attempts), error: x.last_error, at: new Date(x.done_at) }));
}
