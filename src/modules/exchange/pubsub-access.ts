import { sql } from 'drizzle-orm';
import { createAccessLog, type DataAccess } from '../../platform/access-log.ts';
import { rows, type Db } from '../../platform/db.ts';
import { EVENTS_SERVICE } from './directory-seed-data.ts';

/** The `events` service of a publisher's room, on which subscribers are granted access rights. */
export const eventsServiceId = (publisherId: string) => `${publisherId}/${EVENTS_SERVICE}`;

/**
 * A pub/sub delivery hands the subscriber the event's payload, and life events name citizens
 * (registries.birth-registered carries the child's, the mother's and the father's ids). So a
 * delivery is a read of those citizens' data and goes into the platform's personal-data access
 * log like a mediated read: once per event and subscriber, when the payload is first handed
 * over (a PUSH the subscriber accepted, or the first PULL of it), in the transaction that records
 * the delivery.
 *
 * Who an event is about: every top-level field named `citizenId` or ending in `Id` whose value is
 * a UUID (citizen ids are resident-record ids). The items are the payload's field names. An event
 * that names no one is not personal data and writes nothing.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function citizensOf(event: unknown): { citizens: string[]; items: string[] } {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return { citizens: [], items: [] };
  const entries = Object.entries(event as Record<string, unknown>);
  const citizens = entries
    .filter(([k, v]) => (k === 'citizenId' || /Id$/.test(k)) && typeof v === 'string' && UUID.test(v))
    .map(([, v]) => (v as string).toLowerCase());
  return { citizens: [...new Set(citizens)], items: entries.map(([k]) => k) };
}

export interface Delivered {
  eventId: string;
  publisherId: string;
  eventType: string;
  event: unknown;
  subscriberId: string;
  /** `exchange` events service id of the room (the service the right was granted on). */
  serviceId: string;
}

/** Records the delivery's access records in `tx` (nothing when the event names no citizen). */
export async function recordDelivery(tx: Db, d: Delivered): Promise<void> {
  const { citizens, items } = citizensOf(d.event);
  if (!citizens.length) return;
  const [right] = await rows<{ legal_basis: string | null }>(
    tx,
    sql`select legal_basis from exchange.access_right where client_id = ${d.subscriberId} and service_id = ${d.serviceId}
        and revoked_at is null order by id desc limit 1`,
  );
  const at = new Date();
  const entries: DataAccess[] = citizens.map((citizenId) => ({
    citizenId,
    reader: d.subscriberId,
    institution: d.subscriberId.split('/')[2] ?? d.subscriberId,
    service: d.serviceId,
    items,
    purpose: `event ${d.eventType}`,
    legalBasis: right?.legal_basis ?? undefined,
    xRoadId: d.eventId,
    channel: 'pubsub',
    at,
  }));
  // the platform's access log, written in the delivery's transaction (push jobs have no platform)
  await createAccessLog(tx).record(entries);
}
