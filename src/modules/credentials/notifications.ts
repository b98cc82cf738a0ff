import { sql } from 'drizzle-orm';
import { rows } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';

/** The wallet's notification (OpenID4VCI §11): accepted, failed or deleted; recorded on the credential row. */
export async function recordNotification(platform: Platform, citizenId: string, notificationId: string, event: string): Promise<boolean> {
  const r = await rows(
    platform.db,
    sql`update credentials.credential set notified_event = ${event} where notification_id = ${notificationId} and citizen_id = ${citizenId}::uuid returning 1`,
  );
  return r.length > 0;
}
