import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { DomainEvent, EventHandler } from '../../platform/events.ts';
import { defineJob } from '../../platform/outbox.ts';
import type { Platform } from '../../platform/platform.ts';
import { notifyCitizen } from '../notify/index.ts';
import { BIRTH_REGISTERED, DEATH_REGISTERED, RESIDENT_MOVED, type BirthRegistered, type DeathRegistered, type ResidentMoved, type Text } from '../registries/index.ts';
import type { LifeEventKind } from './catalogue-types.ts';
import { catalogueReady } from './catalogue.ts';
import type { Facts } from './facts.ts';
import { decideAll, isOptedIn, seoulDate, ymd, type Eligibility } from './engine.ts';
import { familyIds, gatherFacts } from './facts-source.ts';

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
  /** The occasion, part of the key: `birth:<child id>`, `move:<sido>/<sigungu>:<date>`, `scan`. */
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
    const link = new URL(`/services/${encodeURIComponent(n.serviceId)}`, platform.config.publicUrl).href;
    const common = { 'service.ko': n.service.name.ko, 'service.en': n.service.name.en, 'agency.ko': n.service.agencyName.ko, 'agency.en': n.service.agencyName.en, link };
    await notifyCitizen(
      platform,
      n.due
        ? { citizenId: n.citizenId, template: 'services.reminder-due', personalisation: { ...common, due: n.due }, idempotencyKey: `services.reminder:${n.serviceId}:${n.due}`, reference: n.serviceId }
        : { citizenId: n.citizenId, template: 'services.benefit-available', personalisation: { ...common, 'event.ko': EVENT_TEXT[n.event].ko, 'event.en': EVENT_TEXT[n.event].en }, idempotencyKey: `services.benefit:${n.serviceId}:${n.occasion}`, reference: n.serviceId },
      tx,
    );
    sent++;
  }
  return sent;
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
  return (await screenWithFacts(platform, citizenId, day))?.results;
}

async function screenWithFacts(platform: Platform, citizenId: string, day: Date): Promise<{ facts: Facts; results: Eligibility[] } | undefined> {
  if (!(await isOptedIn(platform.db, citizenId))) return undefined;
  await catalogueReady(platform);
  const facts = await gatherFacts(platform, citizenId, day);
  if (!facts.person) return undefined;
  return { facts, results: await decideAll(platform.db, facts, day) };
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

/**
 * `hanaro services scan`: screens every opted-in citizen and tells each about the services they
 * are newly eligible for (never told about them before, whatever the occasion), and reminds them
 * of due dates that are near (국민비서: vehicle inspection, licence renewal, health check-up, each
 * due date once). Returns counts.
 */
export async function scanPopulation(
  platform: Platform,
  o: { day?: Date; concurrency?: number; limit?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ screened: number; notices: number }> {
  const day = o.day ?? seoulDate();
  const ids = (await rows<{ id: string }>(platform.db, sql`select citizen_id::text as id from services.screening where withdrawn_at is null order by citizen_id ${o.limit ? sql`limit ${o.limit}` : sql``}`)).map((r) => r.id);
  let next = 0;
  let screened = 0;
  let notices = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const screenedNow = await screenWithFacts(platform, id, day);
      screened++;
      if (screenedNow) {
        const { facts, results } = screenedNow;
        const eligible = results.filter((r) => r.outcome === 'eligible' && r.service.kind === 'benefit');
        // 국민비서: reminders whose due date is near (the rule says when), each due date once
        const due = results
          .filter((r) => r.outcome === 'eligible' && r.service.kind === 'reminder' && r.service.dueFact)
          .map((r) => ({ r, date: dueDateOf(facts, r.service.dueFact!, day) }))
          .filter((x): x is { r: Eligibility; date: Date } => !!x.date);
        if (eligible.length || due.length) {
          notices += await platform.db.transaction(async (t) => {
            const tx = t as unknown as Db;
            const told = new Set((await rows<{ service_id: string }>(tx, sql`select service_id from services.notice where citizen_id = ${id}::uuid and occasion not like 'due:%'`)).map((r) => r.service_id));
            const benefits = eligible.filter((r) => !told.has(r.service.id)).map((r) => ({ citizenId: id, serviceId: r.service.id, occasion: `scan:${ymd(day)}`, event: 'scan' as const, service: r.service }));
            const reminders = due.map(({ r, date }) => ({ citizenId: id, serviceId: r.service.id, occasion: `due:${ymd(date)}`, event: 'scan' as const, service: r.service, due: ymd(date) }));
            return sendNotices(platform, tx, [...benefits, ...reminders]);
          });
        }
      }
      o.onProgress?.(screened, ids.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 8) }, worker));
  return { screened, notices };
}
