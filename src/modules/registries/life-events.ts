import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { publish } from '../../platform/events.ts';
import { koreaDay } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRegistry, type RegistryInfo } from './catalog.ts';
import { FAMILY, RESIDENT } from './definitions.ts';
import type { StoredRecord } from './store.ts';

/**
 * Life events: platform domain events published by resident-registry writes, in the write's own
 * transaction (so an event exists exactly when its change does). They carry citizen ids, dates
 * and places only, never names or RRNs.
 */

/** 출생신고: a resident record was created for a newborn. */
export const BIRTH_REGISTERED = 'registries.birth-registered';
/** 전입신고: a resident's address (sido, sigungu or road address) changed. */
export const RESIDENT_MOVED = 'registries.resident-moved';
/** 사망신고: a resident's status became deceased. */
export const DEATH_REGISTERED = 'registries.death-registered';
export const LIFE_EVENT_TYPES = [BIRTH_REGISTERED, RESIDENT_MOVED, DEATH_REGISTERED] as const;
export type LifeEventType = (typeof LIFE_EVENT_TYPES)[number];

export interface BirthRegistered {
  citizenId: string;
  birthDate: string;
  motherId?: string;
  fatherId?: string;
  sido: string;
  sigungu: string;
}

export interface Place {
  sido: string;
  sigungu: string;
}

export interface ResidentMoved {
  citizenId: string;
  from: Place;
  to: Place;
  moveInDate: string;
}

export interface DeathRegistered {
  citizenId: string;
  deathDate: string;
}

const BIRTH_REASON = /출생|birth/i;

/**
 * A resident record created is a birth registration when its birth date lies within the last
 * year (a birth must be reported within a month; late reports happen), or when the write's
 * reason (X-Road-Issue) says so. Other creates (immigration, data migration) publish nothing.
 */
export function isBirthRegistration(birthDate: unknown, reason: string | null | undefined, today = koreaDay()): boolean {
  if (reason && BIRTH_REASON.test(reason)) return true;
  if (typeof birthDate !== 'string') return false;
  const [y, m, d] = today.split('-');
  const yearAgo = `${Number(y) - 1}-${m}-${d}`;
  return birthDate >= yearAgo && birthDate <= today;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The parents whose family-relations record lists the child among their children, by sex. */
async function parentsOf(tx: Db, platform: Platform, childId: string): Promise<{ motherId?: string; fatherId?: string }> {
  const [family, resident] = await Promise.all([findRegistry(platform, FAMILY), findRegistry(platform, RESIDENT)]);
  if (!family || !resident) return {};
  const found = await rows<{ parent: string; sex: string | null }>(
    tx,
    sql`select f.subject_id::text as parent, p.data ->> 'sex' as sex
        from registries.record f join registries.record p on p.registry_id = ${resident.id} and p.id = f.subject_id
        where f.registry_id = ${family.id} and f.data @> ${JSON.stringify({ children: [childId] })}::jsonb
        order by f.id limit 4`,
  );
  const out: { motherId?: string; fatherId?: string } = {};
  for (const r of found) {
    if (r.sex === 'F') out.motherId ??= r.parent;
    if (r.sex === 'M') out.fatherId ??= r.parent;
  }
  return out;
}

// one event per write: a retried publish of the same record version is the same event
const key = (type: string, info: RegistryInfo, rec: StoredRecord) => `${type}:${info.id}:${rec.id}:${rec.version}`;

/**
 * Publishes the life events of one resident-registry write (`before` undefined for a create).
 * Does nothing for other registries.
 */
export async function publishLifeEvents(
  tx: Db,
  platform: Platform,
  info: RegistryInfo,
  before: StoredRecord | undefined,
  after: StoredRecord,
): Promise<void> {
  if (info.subject !== 'self') return;
  const a = after.data;
  if (!before) {
    if (!isBirthRegistration(a.birthDate, after.reason)) return;
    const event: BirthRegistered = {
      citizenId: after.id,
      birthDate: str(a.birthDate),
      ...(await parentsOf(tx, platform, after.id)),
      sido: str(a.sido),
      sigungu: str(a.sigungu),
    };
    await publish(tx, BIRTH_REGISTERED, event, { idempotencyKey: key(BIRTH_REGISTERED, info, after) });
    return;
  }
  const b = before.data;
  if (b.sido !== a.sido || b.sigungu !== a.sigungu || b.roadAddress !== a.roadAddress) {
    const event: ResidentMoved = {
      citizenId: after.id,
      from: { sido: str(b.sido), sigungu: str(b.sigungu) },
      to: { sido: str(a.sido), sigungu: str(a.sigungu) },
      // a move that does not give a new move-in date moved today
      moveInDate: (a.moveInDate !== b.moveInDate && str(a.moveInDate)) || koreaDay(),
    };
    await publish(tx, RESIDENT_MOVED, event, { idempotencyKey: key(RESIDENT_MOVED, info, after) });
  }
  if (a.status === 'deceased' && b.status !== 'deceased') {
    const event: DeathRegistered = { citizenId: after.id, deathDate: str(a.deathDate) || koreaDay() };
    await publish(tx, DEATH_REGISTERED, event, { idempotencyKey: key(DEATH_REGISTERED, info, after) });
  }
}
