import { BIRTH_REGISTERED, DEATH_REGISTERED, RESIDENT_MOVED } from '../registries/index.ts';
import type { Db } from '../../platform/db.ts';
import type { DomainEvent, EventHandler } from '../../platform/events.ts';
import { PermanentJobError } from '../../platform/outbox.ts';
import { PlatformError } from '../../platform/errors.ts';
import type { Names } from './directory.ts';
import { LIFE_EVENT_PUBLISHER } from './directory-seed-data.ts';
import { eventIdFor, findEventType, publishEvent } from './pubsub.ts';

// Life events reach other agencies through GovStack pub/sub: the registries publish platform
// domain events on resident-registry writes, and this module republishes each as a pub/sub event
// of the resident registry (KR/GOV/MOIS/resident-registry), where subscribers with an access
// right to its `events` service receive them by PUSH or PULL.

const uuid = { type: 'string', format: 'uuid' };
const date = { type: 'string', format: 'date' };
const place = { type: 'object', properties: { sido: { type: 'string' }, sigungu: { type: 'string' } } };

/** The pub/sub event types of the life events, with their payload schemas (citizen ids, dates and places; no names or RRNs). */
export const LIFE_EVENT_TYPES: Array<{ domainEvent: string; eventType: string; title: Names; schema: Record<string, unknown> }> = [
  {
    domainEvent: BIRTH_REGISTERED,
    eventType: 'birth-registered',
    title: { ko: '출생신고', en: 'Birth registered' },
    schema: {
      type: 'object',
      required: ['citizenId', 'birthDate'],
      properties: { citizenId: uuid, birthDate: date, motherId: uuid, fatherId: uuid, sido: { type: 'string' }, sigungu: { type: 'string' } },
    },
  },
  {
    domainEvent: RESIDENT_MOVED,
    eventType: 'resident-moved',
    title: { ko: '전입신고', en: 'Resident moved in' },
    schema: { type: 'object', required: ['citizenId', 'to', 'moveInDate'], properties: { citizenId: uuid, from: place, to: place, moveInDate: date } },
  },
  {
    domainEvent: DEATH_REGISTERED,
    eventType: 'death-registered',
    title: { ko: '사망신고', en: 'Death registered' },
    schema: { type: 'object', required: ['citizenId', 'deathDate'], properties: { citizenId: uuid, deathDate: date } },
  },
];

/**
 * Publishes one life event. The pub/sub event id is derived from the domain event id, so a
 * redelivered domain event publishes nothing twice. When the publisher has deleted the event
 * type (or it was never seeded) there is no one to tell, and nothing is published.
 */
async function republish(tx: Db, eventType: string, e: DomainEvent): Promise<void> {
  if (!(await findEventType(tx, LIFE_EVENT_PUBLISHER, eventType))) return;
  try {
    await publishEvent(tx, {
      caller: LIFE_EVENT_PUBLISHER,
      publisherId: LIFE_EVENT_PUBLISHER,
      eventType,
      event: e.data,
      id: eventIdFor(`platform-event:${e.id}:${e.type}`),
    });
  } catch (err) {
    // an event that does not fit its schema will not fit on a retry either
    if (err instanceof PlatformError && err.status === 400) throw new PermanentJobError(`${e.type} ${e.id} does not match ${eventType}: ${err.detail ?? err.code}`);
    throw err;
  }
}

/** The exchange module's domain-event subscriptions (its `subscribes`). */
export const lifeEventSubscriptions: Record<string, EventHandler> = Object.fromEntries(
  LIFE_EVENT_TYPES.map((t) => [t.domainEvent, (async (job, tx) => republish(tx, t.eventType, job.payload)) as EventHandler]),
);
