import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { queueCallbacks } from './lanes.ts';

/** How long a gateway may keep a message without a receipt before it counts as a temporary failure (Notify: 72 h). */
export const SENDING_TIMEOUT_MS = 72 * 3600_000;

/** Messages still `sending` after 72 hours: temporary-failure, with the agency's callback. */
export async function expireSending(platform: Platform): Promise<{ expired: number }> {
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await rows<{ id: string }>(
      tx,
      sql`update notify.notification set status = 'temporary-failure', status_reason = 'no delivery receipt within 72 hours', completed_at = now(), updated_at = now()
           where status in ('sending', 'pending') and sent_at < now() - ${`${SENDING_TIMEOUT_MS / 1000} seconds`}::interval
          returning id::text as id`,
    );
    await queueCallbacks(tx, r.map((x) => x.id));
    return { expired: r.length };
  });
}
