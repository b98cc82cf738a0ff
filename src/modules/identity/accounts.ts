import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';

/** A citizen's account: bound to one resident record (identity.account.citizen_id). */
export async function citizenAccount(db: Db, citizenId: string): Promise<string | undefined> {
  const [r] = await rows<{ id: string }>(db, sql`select id::text as id from identity.account where citizen_id = ${citizenId}::uuid`);
  return r?.id;
}

/** The citizen's account, made on first enrolment (one per resident, whatever two requests do at once). */
export async function ensureCitizenAccount(db: Db, citizenId: string): Promise<{ id: string; created: boolean }> {
  const [made] = await rows<{ id: string }>(
    db,
    sql`insert into identity.account (id, kind, citizen_id) values (${randomUUID()}::uuid, 'citizen', ${citizenId}::uuid)
        on conflict (citizen_id) do nothing returning id::text as id`,
  );
  if (made) return { id: made.id, created: true };
  return { id: (await citizenAccount(db, citizenId))!, created: false };
}
