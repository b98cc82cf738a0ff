import { sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { rows, type Db } from '../../platform/db.ts';
import { createGroupCommit } from '../../platform/group-commit.ts';

/**
 * oidc-provider's storage in PostgreSQL (identity.oidc_payload), so that any API process can
 * continue a flow another began. Expired rows are ignored on read and swept now and then.
 */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * Clients are read on every token request; each process keeps what it read for CLIENT_TTL_MS.
 * Changes made in this process (clients.ts) forget the entry at once; another process sees them
 * within CLIENT_TTL_MS (a disabled client's tokens are deleted at once everywhere, since tokens
 * are not cached).
 */
export const CLIENT_TTL_MS = 2000;
type ClientCache = Map<string, { at: number; payload: AdapterPayload | undefined }>;
const clientCaches = new WeakMap<Db, ClientCache>();
const cacheOf = (db: Db): ClientCache => {
  let c = clientCaches.get(db);
  if (!c) clientCaches.set(db, (c = new Map()));
  return c;
};

/** Forgets a cached client: after it is changed in this process. */
export function forgetClient(db: Db, id: string): void {
  cacheOf(db).delete(id);
}

type Write =
  | { kind: 'upsert'; model: string; id: string; payload: string; grantId: string | null; userCode: string | null; uid: string | null; expires: string | null }
  | { kind: 'consume'; model: string; id: string };

/**
 * Writes go through a group commit (platform/group-commit.ts): each caller still waits until its
 * write is committed, but writes that arrive while a batch is being written share the next
 * transaction, one multi-row statement per kind. Under load (many token requests at once) that
 * saves most statements and commits; alone, a write goes at once.
 */
async function flush(db: Db, writes: Write[]): Promise<void> {
  // the last write of a row wins (a session saved twice in one batch); upserts before consumes
  const upserts = new Map<string, Extract<Write, { kind: 'upsert' }>>();
  const consumes: Array<Extract<Write, { kind: 'consume' }>> = [];
  for (const w of writes) {
    if (w.kind === 'upsert') upserts.set(`${w.model}\n${w.id}`, w);
    else consumes.push(w);
  }
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    if (upserts.size) {
      const values = sql.join(
        [...upserts.values()].map((w) => sql`(${w.model}, ${w.id}, ${w.payload}::jsonb, ${w.grantId}, ${w.userCode}, ${w.uid}, ${w.expires}::timestamptz)`),
        sql`, `,
      );
      await tx.execute(sql`insert into identity.oidc_payload (model, id, payload, grant_id, user_code, uid, expires_at) values ${values}
        on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id,
          user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`);
    }
    if (consumes.length) {
      const keys = sql.join(consumes.map((c) => sql`(${c.model}, ${c.id})`), sql`, `);
      await tx.execute(sql`update identity.oidc_payload set consumed_at = now() where (model, id) in (${keys})`);
    }
  });
}

export function postgresAdapter(db: Db): new (model: string) => Adapter {
  let lastSweep = 0;
  const clientCache = cacheOf(db);
  const writes = createGroupCommit<Write>((batch) => flush(db, batch));
  return class PostgresAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const expires = expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null;
      const grantId = GRANTABLE.has(this.model) ? (payload.grantId ?? null) : null;
      await writes.add({ kind: 'upsert', model: this.model, id, payload: JSON.stringify(payload), grantId, userCode: payload.userCode ?? null, uid: payload.uid ?? null, expires });
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

    async find(id: string) {
      if (this.model !== 'Client') return this.one(sql`id = ${id}`);
      const hit = clientCache.get(id);
      if (hit && Date.now() - hit.at < CLIENT_TTL_MS) return hit.payload;
      // a disabled client (clients.ts) is no longer found: no flow can start or finish for it
      const payload = await this.one(sql`id = ${id} and not (payload ? 'urn:hanaro:disabled_at')`);
      if (clientCache.size > 10_000) clientCache.clear();
      clientCache.set(id, { at: Date.now(), payload });
      return payload;
    }

    findByUid(uid: string) {
      return this.one(sql`uid = ${uid}`);
    }

    findByUserCode(userCode: string) {
      return this.one(sql`user_code = ${userCode}`);
    }

    consume(id: string): Promise<void> {
      return writes.add({ kind: 'consume', model: this.model, id });
    }

    async destroy(id: string): Promise<void> {
      await db.execute(sql`delete from identity.oidc_payload where model = ${this.model} and id = ${id}`);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.execute(sql`delete from identity.oidc_payload where grant_id = ${grantId}`);
    }
  };
}
