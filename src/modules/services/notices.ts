import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { arrayLiteral, rows, type Db } from '../../platform/db.ts';
import type { DomainEvent, EventHandler } from '../../platform/events.ts';
import { defineJob, enqueueMany, type JobHandler } from '../../platform/outbox.ts';
import type { Platform } from '../../platform/platform.ts';
import { notifyCitizen } from '../notify/index.ts';
import { BIRTH_REGISTERED, DEATH_REGISTERED, RESIDENT_MOVED, type BirthRegistered, type DeathRegistered, type ResidentMoved, type Text } from '../registries/index.ts';
import type { LifeEventKind } from './catalogue-types.ts';
import { catalogueReady, listServices } from './catalogue.ts';
import type { Facts } from './facts.ts';
import { rulesInForce, screenIfOptedIn, seoulDate, ymd, type Eligibility } from './engine.ts';
import { factsFrom, familyIds, openSnapshot, readAnswers } from './facts-source.ts';

/**
 * Proactive notices (혜택 알리미, 국민비서): after a life event, or when a scan finds someone
 * newly eligible, the citizen is told through the notifications module, on their channels, in
 * their quiet hours' rules, in their language. Each (citizen, service, occasion) is told once:
 * the notice's row here and notify's idempotency key make a re-run (a retried job, a second scan)
 * send nothing again.
 */

export const EVENT_TEXT: Record<LifeEventKind | 'scan', Text> = {
  birth: { ko: '자녀 출생', en: 'the birth of your child' },
  move: { ko: '전입', en: 'your move' },
  death: { ko: '가족의 사망', en: 'a death in your family' },
  'turning-65': { ko: '만 65세 도래', en: 'your 65th birthday' },
  scan: { ko: '정기 확인', en: 'our regular check' },
};

export interface Notice {
  citizenId: string;
  serviceId: string;
  /** The occasion, part of the key: `birth:<child id>`, `move:<sido>/<sigungu>:<date>`, `turning-65`, `scan:<date>`, `due:<date>`. */
  occasion: string;
  event: LifeEventKind | 'scan';
  service: Eligibility['service'];
  /** A due-date reminder (국민비서): the date it is about, YYYY-MM-DD. */
  due?: string;
}

/** Sends the notices not sent before, in the caller's transaction; returns how many were new. */
export async function sendNotices(platform: Platform, tx: Db, notices: Notice[]): Promise<number> {
  let sent = 0;
  for (const n of notices) {
    const [fresh] = await rows(
      tx,
      sql`insert into services.notice (citizen_id, service_id, occasion) values (${n.citizenId}::uuid, ${n.serviceId}, ${n.occasion})
          on conflict do nothing returning 1`,
    );
    if (!fresh) continue;
    await notifyOne(platform, tx, n);
    sent++;
  }
  return sent;
}

/** One notice through notify (its idempotency key makes a second call for the same notice a no-op). */
async function notifyOne(platform: Platform, tx: Db, n: Omit<Notice, 'event'> & { event?: Notice['event'] }): Promise<void> {
  const link = new URL(`/services/${encodeURIComponent(n.serviceId)}`, platform.config.publicUrl).href;
  const common = { 'service.ko': n.service.name.ko, 'service.en': n.service.name.en, 'agency.ko': n.service.agencyName.ko, 'agency.en': n.service.agencyName.en, link };
  const event = EVENT_TEXT[n.event ?? 'scan'];
  await notifyCitizen(
    platform,
    n.due
      ? { citizenId: n.citizenId, template: 'services.reminder-due', personalisation: { ...common, due: n.due }, idempotencyKey: `services.reminder:${n.serviceId}:${n.due}`, reference: n.serviceId }
      : { citizenId: n.citizenId, template: 'services.benefit-available', personalisation: { ...common, 'event.ko': event.ko, 'event.en': event.en }, idempotencyKey: `services.benefit:${n.serviceId}:${n.occasion}`, reference: n.serviceId },
    tx,
  );
}

/** The eligible services an event should bring up: those naming the event, and for a move the new region's programmes. */
export function relevant(results: Eligibility[], event: LifeEventKind, place?: { sido: string; sigungu: string }): Eligibility[] {
  return results.filter((r) => {
    if (r.outcome !== 'eligible') return false;
    if (r.service.lifeEvents?.includes(event)) return true;
    if (event === 'move' && place && r.service.region) {
      return r.service.region.sido === place.sido && (!r.service.region.sigungu || r.service.region.sigungu === place.sigungu);
    }
    return false;
  });
}

/** Screens one opted-in citizen (undefined when not opted in or not in the resident registry). */
async function screen(platform: Platform, citizenId: string, day: Date): Promise<Eligibility[] | undefined> {
  const r = await screenIfOptedIn(platform, citizenId, day);
  return r && r !== 'not-opted-in' ? r.results : undefined;
}

/**
 * The date a reminder is about: its service's due-date fact (`vehicles.nextInspectionDue`); for a
 * list, the earliest not more than 30 days past. Undefined for reminders about an age (a birth
 * date is not a due date): those are not sent as due-date reminders.
 */
export function dueDateOf(facts: Facts, dueFact: string, today: Date): Date | undefined {
  const [group, field] = dueFact.split('.') as [string, string | undefined];
  if (!field || field === 'birthDate') return undefined;
  const g = (facts as Record<string, unknown>)[group];
  const values = (Array.isArray(g) ? g : g ? [g] : []).map((x) => (x as Record<string, unknown>)[field]).filter((d): d is Date => d instanceof Date);
  const soon = values.filter((d) => d.getTime() >= today.getTime() - 30 * 86_400_000).sort((a, b) => a.getTime() - b.getTime());
  return soon[0];
}

type Planned = Notice[];

/**
 * The life-event handlers (the module's `subscribes`). The reads go through the mediator outside
 * any transaction (perform); the notices are sent in the transaction that marks the delivery done
 * (commit), exactly once.
 */
export function lifeEventHandlers(platform: Platform): Record<string, EventHandler> {
  const send = async (_job: unknown, tx: Db, planned: Planned) => void (await sendNotices(platform, tx, planned));
  const onBirth = defineJob<DomainEvent<BirthRegistered>, Planned>({
    async perform(job) {
      const e = job.payload.data;
      const day = seoulDate();
      const out: Notice[] = [];
      for (const parent of [e.motherId, e.fatherId].filter((x): x is string => !!x)) {
        const results = await screen(platform, parent, day);
        for (const r of relevant(results ?? [], 'birth')) out.push({ citizenId: parent, serviceId: r.service.id, occasion: `birth:${e.citizenId}`, event: 'birth', service: r.service });
      }
      return out;
    },
    commit: send,
  });
  const onMove = defineJob<DomainEvent<ResidentMoved>, Planned>({
    async perform(job) {
      const e = job.payload.data;
      const results = await screen(platform, e.citizenId, seoulDate());
      return relevant(results ?? [], 'move', e.to).map((r) => ({ citizenId: e.citizenId, serviceId: r.service.id, occasion: `move:${e.to.sido}/${e.to.sigungu}:${e.moveInDate}`, event: 'move' as const, service: r.service }));
    },
    commit: send,
  });
  const onDeath = defineJob<DomainEvent<DeathRegistered>, Planned>({
    async perform(job) {
      const e = job.payload.data;
      // the deceased's family is read through the mediator; then each relative is screened
      const out: Notice[] = [];
      for (const id of await familyIds(platform, e.citizenId)) {
        const results = await screen(platform, id, seoulDate());
        for (const r of relevant(results ?? [], 'death')) out.push({ citizenId: id, serviceId: r.service.id, occasion: `death:${e.citizenId}`, event: 'death', service: r.service });
      }
      return out;
    },
    commit: send,
  });
  return { [BIRTH_REGISTERED]: onBirth, [RESIDENT_MOVED]: onMove, [DEATH_REGISTERED]: onDeath };
}

/** The occasion of a notice found because the citizen turned 65 (once in a life). */
export const TURNING_65 = 'turning-65';

/** The scan's notices of one citizen, sent by a job (topic below) in the worker. */
export const NOTICES_TOPIC = 'services.notices';
interface NoticesJob {
  citizenId: string;
  notices: Array<{ serviceId: string; occasion: string; due?: string }>;
}

/** The module's jobs: the scan's notices, each citizen's in one job, sent through notify in its transaction. */
export function noticeJobs(platform: Platform): Record<string, JobHandler> {
  return {
    [NOTICES_TOPIC]: (async (job, tx) => {
      const p = job.payload as NoticesJob;
      const services = new Map((await listServices(tx)).map((x) => [x.id, x]));
      for (const n of p.notices) {
        const service = services.get(n.serviceId);
        if (service) await notifyOne(platform, tx, { citizenId: p.citizenId, serviceId: n.serviceId, occasion: n.occasion, due: n.due, service, event: n.occasion === TURNING_65 ? 'turning-65' : 'scan' });
      }
    }) as JobHandler,
  };
}

export interface ScanOptions {
  day?: Date;
  limit?: number;
  /** Citizens read together (default 2,000). */
  batch?: number;
  /** A snapshot older than this many days is read again through the mediator (default 7). */
  refreshDays?: number;
  /** Mediated reads at once for citizens without a fresh snapshot (default 8). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ScanResult {
  screened: number;
  /** Read through the mediator in this scan (no fresh snapshot). */
  read: number;
  rulesDecided: number;
  notices: number;
}

/**
 * `hanaro services scan`: decides every service for every opted-in citizen and tells each about
 * the benefits they are newly eligible for (never told about them before, whatever the occasion)
 * and reminds them of due dates that are near (국민비서: vehicle inspection, licence renewal, health
 * check-up, each due date once).
 *
 * Facts come from each citizen's snapshot of what the registries answered through the mediator
 * (facts-source.ts), read again when older than `refreshDays`. Citizens go in batches by id; each
 * batch's new notices are recorded and queued (one job per citizen, sent by the worker through
 * notify) in one transaction, so a scan that stops half-way loses nothing and a second scan
 * sends nothing twice.
 */
export async function scanPopulation(platform: Platform, o: ScanOptions = {}): Promise<ScanResult> {
  const day = o.day ?? seoulDate();
  await catalogueReady(platform);
  const [services, rules] = await Promise.all([listServices(platform.db), rulesInForce(platform.db, day)]);
  const byId = new Map(rules.map((r) => [r.serviceId, r]));
  const decided = services.filter((s) => s.kind !== 'procedure' && byId.has(s.id)).map((s) => ({ service: s, rule: byId.get(s.id)!.rule }));
  // a regional programme's rule starts with its residence clause (a test holds every shipped one
  // to it), so for a citizen whose 시도 is known, another region's programmes are decided by their
  // region alone, without running the rest of their rule
  const national = decided.filter((d) => !d.service.region);
  const regional = new Map<string, typeof decided>();
  for (const d of decided) if (d.service.region) regional.set(d.service.region.sido, [...(regional.get(d.service.region.sido) ?? []), d]);
  const everything = decided;
  const plans = new Map<string, typeof decided>();
  const rulesFor = (f: Facts) => {
    const sido = (f.person as { sido?: unknown } | undefined)?.sido;
    if (typeof sido !== 'string') return everything;
    let plan = plans.get(sido);
    if (!plan) plans.set(sido, (plan = [...national, ...(regional.get(sido) ?? [])]));
    return plan;
  };
  const [{ n: total }] = (await rows<{ n: number }>(platform.db, sql`select count(*)::int as n from services.screening where withdrawn_at is null`)) as [{ n: number }];
  const goal = o.limit ? Math.min(o.limit, total) : total;
  const batch = Math.max(1, o.batch ?? 2000);
  const refresh = o.refreshDays ?? 7;
  const out: ScanResult = { screened: 0, read: 0, rulesDecided: 0, notices: 0 };
  let last = '00000000-0000-0000-0000-000000000000';
  let writing: Promise<void> = Promise.resolve();
  // the next batch is read (its snapshots, and what its citizens were told) while this one is decided
  // Two index look-ups of a few thousand rows each: without JIT compilation or parallel workers,
  // which PostgreSQL would otherwise plan for them on tables this size and which cost more than
  // they save. The scan keeps the statistics of the notices it is adding to current (every
  // 100,000 citizens), so the plans stay right as the table grows even without autovacuum.
  let batches = 0;
  const fetchBatch = async (after: string, size: number) =>
    platform.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
      const page = await rows<{ id: string; answers_enc: string | null; fresh: boolean | null }>(
        tx,
        sql`select c.citizen_id::text as id, s.answers_enc, s.read_at >= now() - make_interval(days => ${refresh}) as fresh
              from services.screening c
              -- the bound repeated for the snapshot side: a merge join would otherwise read the
              -- snapshots from the first one at every batch
              left join services.facts_snapshot s on s.citizen_id = c.citizen_id and s.citizen_id > ${after}::uuid
             where c.withdrawn_at is null and c.citizen_id > ${after}::uuid
             order by c.citizen_id limit ${size}`,
      );
      const told = page.length
        ? (await rows<{ k: string }>(tx, sql`select citizen_id::text || ' ' || service_id as k from services.notice where citizen_id = any(${arrayLiteral(page.map((r) => r.id))}::uuid[]) and occasion not like 'due:%'`)).map((r) => r.k)
        : [];
      return { page, told: new Set(told) };
    });
  let ahead = fetchBatch(last, Math.min(batch, goal));
  while (out.screened < goal) {
    const { page, told } = await ahead;
    if (!page.length) break;
    last = page[page.length - 1]!.id;
    const remaining = goal - out.screened - page.length;
    ahead = remaining > 0 ? fetchBatch(last, Math.min(batch, remaining)) : Promise.resolve({ page: [], told: new Set<string>() });
    // an abandoned read must not become an unhandled rejection
    ahead.catch(() => undefined);
    // facts: from the snapshot, or read through the mediator (a few at once)
    const facts = new Map<string, Facts>();
    const stale: string[] = [];
    for (const r of page) {
      if (r.answers_enc && r.fresh) {
        const a = openSnapshot(platform, r.id, r.answers_enc);
        facts.set(r.id, factsFrom(a.answers, a.children, day));
      } else stale.push(r.id);
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, o.concurrency ?? 8) }, async () => {
        while (next < stale.length) {
          const id = stale[next++]!;
          const a = await readAnswers(platform, id);
          out.read++;
          if (a.answers.resident?.length) facts.set(id, factsFrom(a.answers, a.children, day));
        }
      }),
    );
    // every rule for every citizen of the batch
    const found: Array<{ citizenId: string; serviceId: string; occasion: string; due?: string }> = [];
    for (const [id, f] of facts) {
      for (const { service, rule } of rulesFor(f)) {
        if (rule.decide(f, day) !== 'eligible') continue;
        if (service.kind === 'benefit') {
          // a programme for those turning 65 (기초연금 …) found at 65 is told as the birthday's news
          const turning = service.lifeEvents?.includes('turning-65') && f.person?.age === 65;
          if (!told.has(`${id} ${service.id}`)) found.push({ citizenId: id, serviceId: service.id, occasion: turning ? TURNING_65 : `scan:${ymd(day)}` });
        } else if (service.dueFact) {
          const due = dueDateOf(f, service.dueFact, day);
          if (due) found.push({ citizenId: id, serviceId: service.id, occasion: `due:${ymd(due)}`, due: ymd(due) });
        }
      }
      // decided: the rules run, and the other regions' programmes by their region
      out.rulesDecided += decided.length;
    }
    // recorded and queued together: what was recorded before (a re-run) is not queued again. The
    // write runs while the next batch is decided (the database's work beside this process's); one
    // write at a time, in order
    if (found.length) {
      const previous = writing;
      writing = (async () => {
        await previous;
        out.notices += await platform.db.transaction(async (t) => {
          const tx = t as unknown as Db;
          const fresh = await rows<{ citizen_id: string; service_id: string; occasion: string }>(
            tx,
            sql`insert into services.notice (citizen_id, service_id, occasion)
                select * from unnest(${arrayLiteral(found.map((f) => f.citizenId))}::uuid[], ${arrayLiteral(found.map((f) => f.serviceId))}::text[], ${arrayLiteral(found.map((f) => f.occasion))}::text[])
                on conflict do nothing returning citizen_id::text, service_id, occasion`,
          );
          const dueOf = new Map(found.map((f) => [`${f.citizenId} ${f.serviceId} ${f.occasion}`, f.due]));
          const byCitizen = new Map<string, NoticesJob>();
          for (const r of fresh) {
            let j = byCitizen.get(r.citizen_id);
            if (!j) byCitizen.set(r.citizen_id, (j = { citizenId: r.citizen_id, notices: [] }));
            const due = dueOf.get(`${r.citizen_id} ${r.service_id} ${r.occasion}`);
            j.notices.push({ serviceId: r.service_id, occasion: r.occasion, ...(due ? { due } : {}) });
          }
          await enqueueMany(tx, NOTICES_TOPIC, [...byCitizen.values()].map((j) => ({ payload: j, idempotencyKey: `services.notices:${j.citizenId}:${ymd(day)}:${createHash('sha256').update(JSON.stringify(j.notices)).digest('hex').slice(0, 16)}` })));
          return fresh.length;
        });
      })();
      // a failed write fails every later one (each awaits the one before) and the scan at its end
      writing.catch(() => undefined);
    }
    out.screened += page.length;
    if (++batches % Math.max(1, Math.round(100_000 / batch)) === 0) {
      await writing;
      await platform.db.execute(sql`analyze services.notice`);
    }
    o.onProgress?.(out.screened, goal);
  }
  await writing;
  return out;
}
