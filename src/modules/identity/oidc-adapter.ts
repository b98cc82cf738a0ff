import { sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { rows, type Db } from '../../platform/db.ts';

/**
 * oidc-provider's storage in PostgreSQL (identity.oidc_payload), so that any API process can
 * continue a flow another began. Expired rows are ignored on read and swept now and then.
 */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

export function postgresAdapter(db: Db): new (model: string) => Adapter {
  let lastSweep = 0;
  return class PostgresAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const expires = expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null;
      const grantId = GRANTABLE.has(this.model) ? (payload.grantId ?? null) : null;
      await db.execute(sql`insert into identity.oidc_payload (model, id, payload, grant_id, user_code, uid, expires_at)
        values (${this.model}, ${id}, ${JSON.stringify(payload)}::jsonb, ${grantId}, ${payload.userCode ?? null}, ${payload.uid ?? null}, ${expires})
        on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id,
          user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`);
      if (Date.now() - lastSweep > 60_000) {
        lastSweep = Date.now();
        await db.execute(sql`delete from identity.oidc_payload where expires_at < now() - interval '1 hour'`);
      }
    }

    private async one(where: ReturnType<typeof sql>): Promise<AdapterPayload | undefined> {
      const [r] = await rows<{ payload: AdapterPayload | string; consumed_at: Date | string | null }>(
        db,
        sql`select payload, consumed_at from identity.oidc_payload where model = ${this.model} and ${where}
            and (expires_at is null or expires_at > now())`,
      );
      if (!r) return undefined;
      const payload = typeof r.payload === 'string' ? (JSON.parse(r.payload) as AdapterPayload) : r.payload;
      return r.consumed_at ? { ...payload, consumed: Math.floor(new Date(r.consumed_at).getTime() / 1000) } : payload;
    }

    find(id: string) {
      // a disabled client (clients.ts) is no longer found: no flow can start or finish for it
      return this.one(this.model === 'Client' ? sql`id = ${id} and not (payload ? 'urn:hanaro:disabled_at')` : sql`id = ${id}`);
    }

    findByUid(uid: string) {
      return this.one(sql`uid = ${uid}`);
    }

    findByUserCode(userCode: string) {
      return this.one(sql`user_code = ${userCode}`);
    }

    async consume(id: string): Promise<void> {
      await db.execute(sql`update identity.oidc_payload set consumed_at = now() where model = ${this.model} and id = ${id}`);
    }

    async destroy(id: string): Promise<void> {
      await db.execute(sql`delete from identity.oidc_payload where model = ${this.model} and id = ${id}`);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.execute(sql`delete from identity.oidc_payload where grant_id = ${grantId}`);
    }
  };
}
