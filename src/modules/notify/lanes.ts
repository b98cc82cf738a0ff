import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { arrayLiteral, rows, type Db } from '../../platform/db.ts';
import { backoffDelay, claimJobs, deleteJobs, errorText, failJob, releaseJobs, renewLeases, type Job } from '../../platform/outbox.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Outcome, Provider, SendResult } from './providers.ts';
import { openPayload } from './send.ts';
import type { Channel, Lang } from './templates.ts';

/**
 * A lane sends one channel's messages (one outbox topic) through its provider. It claims jobs in
 * batches from the platform outbox (leases, SKIP LOCKED: several workers share a lane), keeps up
 * to `concurrency` messages in flight, and records outcomes in batches: one transaction marks
 * the jobs done (fenced: a job another worker took over is not recorded), moves the messages'
 * status forward and queues the agencies' delivery callbacks. So a crash loses nothing: jobs not
 * yet recorded are claimed again when their lease ends and sent again under the same message id,
 * which the provider deduplicates. Lanes are independent: an SMS gateway outage does not hold up
 * e-mail. When a provider cannot be reached, the lane gives its jobs back without counting the
 * attempt and pauses (5 s doubling to 5 minutes), so a long outage queues and drains afterwards.
 */

export interface LaneOptions {
  topic: string;
  provider: Provider;
  /** Messages in flight at once. */
  concurrency: number;
  /** Jobs claimed per round trip (default 4 × concurrency, at most 500). */
  batch?: number;
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  workerId?: string;
  /** Outcomes are recorded when this many are waiting, or after `flushMs`. */
  flushSize?: number;
  flushMs?: number;
  /** Transactions recording outcomes at once (default 2). */
  writers?: number;
  /** First pause after a provider outage (default 5 s; doubles to 5 minutes). */
  pauseBaseMs?: number;
}

export interface LaneStats {
  claimed: number;
  sent: number;
  outcomes: Partial<Record<Outcome | 'skipped', number>>;
  pausedUntil: number;
  lost: number;
}

export interface Lane {
  readonly topic: string;
  stats(): LaneStats;
  /** Stops claiming, lets in-flight messages finish and records them. */
  stop(): Promise<void>;
  /** Stops at once without recording anything in flight: what a crash does (tests). */
  kill(): void;
}

const FINAL: Record<string, string> = {
  delivered: 'delivered',
  'permanent-failure': 'permanent-failure',
  'temporary-failure': 'temporary-failure',
  'technical-failure': 'technical-failure',
};

interface Item {
  job: Job;
  id: string;
  channel?: Channel;
  lang?: Lang;
  payloadEnc?: string;
  /** The recipient, once opened (push: the subscription id). */
  to?: string;
  service?: { emailFrom: string | null; emailReplyTo: string | null; smsSender: string | null; name: string };
}

interface Done {
  item: Item;
  result: SendResult | { outcome: 'skipped' };
}

export function startLane(platform: Platform, o: LaneOptions): Lane {
  const workerId = o.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}:${o.topic}`;
  const leaseMs = o.leaseMs ?? 60_000;
  const pollMs = o.pollMs ?? 250;
  const batch = Math.min(500, o.batch ?? o.concurrency * 4);
  const flushSize = o.flushSize ?? 500;
  const flushMs = o.flushMs ?? 200;
  const writers = Math.max(1, o.writers ?? 2);
  const log = platform.log.child({ component: 'notify-lane', topic: o.topic });
  const queue: Item[] = [];
  const held = new Map<number, Item>();
  const done: Done[] = [];
  const stats: LaneStats = { claimed: 0, sent: 0, outcomes: {}, pausedUntil: 0, lost: 0 };
  let inFlight = 0;
  let stopped = false;
  let killed = false;
  let pauseMs = 0;
  let claiming = false;
  let idleClaims = 0;
  let lastClaimAt = 0;
  const writing = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  const abort = new AbortController();

  const nudge = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  async function claim(): Promise<number> {
    const jobs = await claimJobs(platform.db, { workerId, topics: [o.topic], limit: batch, leaseMs });
    if (!jobs.length) return 0;
    stats.claimed += jobs.length;
    const items = new Map<string, Item>();
    for (const job of jobs) {
      const id = String((job.payload as { id?: unknown })?.id ?? '');
      const item: Item = { job, id };
      held.set(job.id, item);
      items.set(id, item);
    }
    const ids = [...items.keys()].filter((id) => /^[0-9a-f-]{36}$/.test(id));
    const found = ids.length
      ? await rows<{ id: string; channel: Channel; lang: Lang; payload_enc: string; email_from: string | null; email_reply_to: string | null; sms_sender: string | null; name_ko: string | null; name_en: string | null }>(
          platform.db,
          // read only: the status moves once, when the outcome is recorded (one write per message fewer)
          sql`select u.id::text as id, u.channel, u.lang, u.payload_enc, s.email_from, s.email_reply_to, s.sms_sender, s.name_ko, s.name_en
                from notify.notification u left join notify.service s on s.id = u.service_id
               where u.id = any(${arrayLiteral(ids)}::uuid[]) and u.status in ('created', 'sending')`,
        )
      : [];
    const ready = new Set<string>();
    for (const r of found) {
      const item = items.get(r.id)!;
      Object.assign(item, {
        channel: r.channel,
        lang: r.lang,
        payloadEnc: r.payload_enc,
        service: { emailFrom: r.email_from, emailReplyTo: r.email_reply_to, smsSender: r.sms_sender, name: (r.lang === 'en' ? r.name_en : r.name_ko) ?? (r.lang === 'en' ? 'Government of Korea' : '대한민국 정부') },
      });
      ready.add(r.id);
    }
    for (const item of items.values()) {
      // cancelled, or already recorded by an earlier attempt: nothing to send
      if (ready.has(item.id)) queue.push(item);
      else done.push({ item, result: { outcome: 'skipped' } });
    }
    return jobs.length;
  }

  async function sendOne(item: Item): Promise<void> {
    inFlight++;
    let result: SendResult;
    try {
      const payload = openPayload(platform, { id: item.id, payload_enc: item.payloadEnc! });
      item.to = payload.to;
      result = await o.provider.send({ id: item.id, channel: item.channel!, lang: item.lang!, payload, service: item.service! }, abort.signal);
    } catch (e) {
      result = { outcome: 'retry', reason: errorText(e) };
    } finally {
      inFlight--;
    }
    if (killed) return;
    stats.sent++;
    if (result.outcome === 'provider-down') pause(result.reason ?? 'provider down');
    else if (stats.pausedUntil <= Date.now()) pauseMs = 0;
    done.push({ item, result });
    if (done.length >= flushSize) void flush();
    nudge();
  }

  function pause(reason: string): void {
    pauseMs = Math.min(300_000, pauseMs ? pauseMs * 2 : (o.pauseBaseMs ?? 5_000));
    if (stats.pausedUntil < Date.now()) log.warn({ reason, pauseMs }, 'provider unavailable; lane paused, messages stay queued');
    stats.pausedUntil = Date.now() + pauseMs;
    // what was claimed but not started goes back untouched
    for (const item of queue.splice(0)) done.push({ item, result: { outcome: 'provider-down', reason } });
  }

  /** Records what is done, in up to `writers` transactions at once (they touch disjoint rows). */
  function flush(): Promise<void> {
    while (done.length && writing.size < writers && !killed) {
      const w: Promise<void> = (async () => {
        try {
          while (done.length && !killed) await record(done.splice(0, flushSize));
        } catch (err) {
          log.error({ err }, 'could not record outcomes; the messages are sent again when their leases end');
        }
      })().finally(() => writing.delete(w));
      writing.add(w);
    }
    return Promise.all(writing).then(() => undefined);
  }

  async function record(batchDone: Done[]): Promise<void> {
    const complete: Done[] = [];
    const retry: Done[] = [];
    const release: Done[] = [];
    for (const d of batchDone) {
      const k = d.result.outcome;
      stats.outcomes[k] = (stats.outcomes[k] ?? 0) + 1;
      if (k === 'provider-down') release.push(d);
      else if (k === 'retry' && d.item.job.attempts < (o.maxAttempts ?? d.item.job.maxAttempts)) retry.push(d);
      else complete.push(d);
    }
    await platform.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      // the message's row is the record: its job goes (a message is never queued twice, its key is the message id)
      const owned = await deleteJobs(tx, complete.map((d) => d.item.job), workerId);
      const mine = complete.filter((d) => owned.has(d.item.job.id));
      stats.lost += complete.length - mine.length;
      const updates = mine.filter((d) => d.result.outcome !== 'skipped');
      if (updates.length) {
        const cols = { id: [] as string[], status: [] as string[], reason: [] as Array<string | null>, ref: [] as Array<string | null> };
        for (const d of updates) {
          const r = d.result as SendResult;
          // retries used up: a technical failure the agency sees, with the last reason
          cols.id.push(d.item.id);
          cols.status.push(r.outcome === 'retry' ? 'technical-failure' : (FINAL[r.outcome] ?? 'sending'));
          cols.reason.push(r.outcome === 'retry' ? `gave up after ${d.item.job.attempts} attempts: ${r.reason ?? ''}` : (r.reason ?? null));
          cols.ref.push(r.providerRef ?? null);
        }
        // one parameter per column, not per row and column
        const changed = await rows<{ id: string; status: string }>(
          tx,
          sql`update notify.notification n set status = v.status, status_reason = v.reason, provider = ${o.provider.name}, provider_ref = coalesce(v.ref, n.provider_ref),
                     sent_at = coalesce(n.sent_at, now()), completed_at = case when v.status <> 'sending' then now() end, updated_at = now()
                from unnest(${arrayLiteral(cols.id)}::uuid[], ${arrayLiteral(cols.status)}::text[], ${arrayLiteral(cols.reason)}::text[], ${arrayLiteral(cols.ref)}::text[]) as v(id, status, reason, ref)
               where n.id = v.id and n.status in ('created', 'sending')
              returning n.id::text as id, n.status`,
        );
        await queueCallbacks(tx, changed.filter((c) => c.status !== 'sending').map((c) => c.id));
        // a browser that unsubscribed (push service 404/410) is not sent to again
        const gone = updates.filter((d) => d.item.channel === 'push' && d.result.outcome === 'permanent-failure' && d.item.to);
        if (gone.length) await tx.execute(sql`update notify.push_subscription set gone_at = now() where gone_at is null and id in (${sql.join(gone.map((d) => sql`${d.item.to}::uuid`), sql`, `)})`);
      }
      for (const d of retry) {
        const r = d.result as SendResult;
        const delay = Math.max(r.retryAfterMs ?? 0, backoffDelay(d.item.job.attempts, { baseMs: 30_000, capMs: 3_600_000 }));
        if (await failJob(tx, d.item.job, workerId, r.reason ?? 'retry', delay)) {
          await tx.execute(sql`update notify.notification set status = 'created', status_reason = ${`attempt ${d.item.job.attempts}: ${r.reason ?? ''}`}, updated_at = now() where id = ${d.item.id}::uuid and status in ('created', 'sending')`);
        } else stats.lost++;
      }
      if (release.length) {
        const reason = (release[0]!.result as SendResult).reason ?? 'provider unavailable';
        await releaseJobs(tx, release.map((d) => d.item.job), workerId, Math.max(1000, stats.pausedUntil - Date.now()), reason);
        await tx.execute(
          sql`update notify.notification set status = 'created', status_reason = ${`queued: ${reason}`}, updated_at = now()
               where id in (${sql.join(release.map((d) => sql`${d.item.id}::uuid`), sql`, `)}) and status in ('created', 'sending')`,
        );
      }
    });
    for (const d of batchDone) held.delete(d.item.job.id);
  }

  /** Claims more in the background (sending goes on meanwhile); wakes the loop when it has them. */
  function fill(): void {
    if (claiming || stopped) return;
    if (stats.pausedUntil > Date.now()) return;
    if (queue.length >= batch / 2 || held.size >= batch * 2) return;
    claiming = true;
    void claim()
      .then((n) => {
        idleClaims = n === 0 ? idleClaims + 1 : 0;
      })
      .catch((err) => {
        log.warn({ err }, 'claiming failed; will try again');
        idleClaims++;
      })
      .finally(() => {
        claiming = false;
        nudge();
      });
  }

  const heartbeat = setInterval(() => {
    if (held.size === 0 || killed) return;
    void renewLeases(platform.db, workerId, [...held.values()].map((i) => i.job), leaseMs).catch((err) => log.warn({ err }, 'lease renewal failed'));
  }, Math.max(10, Math.floor(leaseMs / 3)));
  const flusher = setInterval(() => {
    if (done.length && !killed) void flush();
  }, flushMs);

  const loop = (async () => {
    while (!stopped) {
      // an empty claim waits a poll before the next; a full one claims again as soon as there is room
      if (idleClaims === 0 || Date.now() - lastClaimAt >= pollMs) {
        if (!claiming) lastClaimAt = Date.now();
        fill();
      }
      while (queue.length && inFlight < o.concurrency && stats.pausedUntil <= Date.now()) void sendOne(queue.shift()!);
      if (stopped) break;
      const paused = stats.pausedUntil > Date.now();
      // woken at once by a finished send or claim; the poll is for an empty queue
      await sleep(paused ? Math.min(pollMs * 4, stats.pausedUntil - Date.now()) : pollMs);
    }
  })();

  return {
    topic: o.topic,
    stats: () => ({ ...stats, outcomes: { ...stats.outcomes } }),
    async stop() {
      stopped = true;
      nudge();
      await loop;
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
      // claimed but never started: back to the queue at once
      for (const item of queue.splice(0)) done.push({ item, result: { outcome: 'provider-down', reason: 'worker stopping' } });
      await flush();
      clearInterval(heartbeat);
      clearInterval(flusher);
    },
    kill() {
      killed = true;
      stopped = true;
      abort.abort();
      clearInterval(heartbeat);
      clearInterval(flusher);
      nudge();
    },
  };
}

/** Queues a delivery-status callback for each message whose service (or request) asked for them. */
export async function queueCallbacks(tx: Db, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await tx.execute(
    sql`insert into platform.outbox (topic, payload, idempotency_key, max_attempts)
        select 'notify.callback', jsonb_build_object('id', n.id::text, 'status', n.status), 'notify.callback:' || n.id::text || ':' || n.status, 6
          from notify.notification n left join notify.service s on s.id = n.service_id
         where n.id = any(${arrayLiteral(ids)}::uuid[]) and coalesce(n.callback_url, s.callback_url) is not null
        on conflict (idempotency_key) do nothing`,
  );
}
