import type { EventHandler } from '../../platform/events.ts';
import { DEATH_REGISTERED, RECORD_STATUS_CHANGED, RESIDENT_MOVED, type DeathRegistered, type RecordStatusChanged, type ResidentMoved } from '../registries/index.ts';
import { DRIVING_LICENCE, DRIVING_LICENCE_MDOC, HEALTH_INSURANCE, RESIDENT_ID, RESIDENT_ID_MDOC } from './documents.ts';
import { applyStatus, idsOf } from './status.ts';

/**
 * Registry changes that change documents already issued (docs/credentials.md), each in the event
 * delivery's transaction (so a crash neither loses nor doubles it); the reason names the event.
 *
 * - A licence suspended → the driving licences suspended; revoked or expired → revoked; valid
 *   again → the suspensions this made are lifted (not one the citizen asked for).
 * - Health insurance lost → the health-insurance certificates revoked (superseded).
 * - A move → the mobile resident IDs revoked: their address is no longer true (superseded; the
 *   citizen takes a new one).
 * - A death → every credential revoked.
 */
const LICENCE_SUSPENDED = 'registry: licence suspended';

export const credentialSubscriptions: Record<string, EventHandler> = {
  [RECORD_STATUS_CHANGED]: (async (job, tx) => {
    const e = job.payload.data as RecordStatusChanged;
    const why = (what: string) => `registry: ${what} (event ${job.payload.id})`;
    if (e.registry === 'licence') {
      const licences = [DRIVING_LICENCE.id, DRIVING_LICENCE_MDOC.id];
      if (e.to === 'suspended') await applyStatus(tx, await idsOf(tx, e.citizenId, { configurations: licences, statuses: ['valid'] }), 'suspended', `${LICENCE_SUSPENDED} (event ${job.payload.id})`);
      else if (e.to === 'revoked' || e.to === 'expired') await applyStatus(tx, await idsOf(tx, e.citizenId, { configurations: licences, statuses: ['valid', 'suspended'] }), 'invalid', why(`licence ${e.to}`));
      else if (e.to === 'valid' && e.from === 'suspended') {
        await applyStatus(tx, await idsOf(tx, e.citizenId, { configurations: licences, statuses: ['suspended'], reasonLike: `${LICENCE_SUSPENDED}%` }), 'valid', why('licence valid again'));
      }
    } else if (e.registry === 'health-insurance' && e.to === 'lost') {
      await applyStatus(tx, await idsOf(tx, e.citizenId, { configurations: [HEALTH_INSURANCE.id], statuses: ['valid', 'suspended'] }), 'invalid', why('health insurance lost (superseded)'));
    }
  }) as EventHandler,
  [RESIDENT_MOVED]: (async (job, tx) => {
    const e = job.payload.data as ResidentMoved;
    await applyStatus(tx, await idsOf(tx, e.citizenId, { configurations: [RESIDENT_ID.id, RESIDENT_ID_MDOC.id], statuses: ['valid', 'suspended'] }), 'invalid', `registry: moved, address superseded (event ${job.payload.id})`);
  }) as EventHandler,
  [DEATH_REGISTERED]: (async (job, tx) => {
    const e = job.payload.data as DeathRegistered;
    await applyStatus(tx, await idsOf(tx, e.citizenId, { statuses: ['valid', 'suspended'] }), 'invalid', `registry: death registered (event ${job.payload.id})`);
  }) as EventHandler,
};
