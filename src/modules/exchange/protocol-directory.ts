import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';

/**
 * What the mediator needs from the directory on every request (service and access right), read
 * through short-lived caches so that the hot path makes no directory query at all.
 *
 * Window: an entry is trusted for `ttlMs` (2 s by default) after it was read, then read again.
 * A grant or revocation made by any process therefore takes effect everywhere within 2 s; a
 * revoked right can still be used for at most that long. Concurrent requests for the same key
 * share one read (the cache holds the promise), and a miss ("no such service") is cached the same
 * way, so random service ids cannot make every request query the database.
 */
export class TtlCache<K, V> {
  private map = new Map<K, { value: Promise<V>; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly load: (key: K) => Promise<V>,
    private readonly max = 10_000,
  ) {}

  get(key: K): Promise<V> {
    const now = Date.now();
    const hit = this.map.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = this.load(key);
    const entry = { value, until: now + this.ttlMs };
    // bounded: a flood of distinct keys empties the cache instead of growing it
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, entry);
    // a failed read is not remembered
    value.catch(() => {
      if (this.map.get(key) === entry) this.map.delete(key);
    });
    return value;
  }

  clear(): void {
    this.map.clear();
  }
}

export interface ServiceInfo {
  /** KR/GOV/MOIS/resident-registry/resident */
  id: string;
  /** KR/GOV/MOIS/resident-registry */
  providerId: string;
  provider: string;
  personalData: boolean;
  logBodies: boolean;
  timeoutMs: number;
  disabled: boolean;
}

export interface AccessGrant {
  legalBasis: string | null;
  requiresConsent: boolean;
}

interface ServiceRow {
  provider: string;
  personal_data: boolean;
  log_bodies: boolean;
  timeout_ms: number;
  is_disabled: boolean;
}

export interface Directory {
  service(parts: readonly string[]): Promise<ServiceInfo | undefined>;
  /** The active right of `clientId` on `serviceId`, if any. */
  right(serviceId: string, clientId: string): Promise<AccessGrant | undefined>;
  clear(): void;
}

export function createDirectory(db: Db, ttlMs = 2000): Directory {
  const services = new TtlCache<string, ServiceInfo | undefined>(ttlMs, async (id) => {
    const [instance, cls, member, subsystem, code] = id.split('/');
    const [row] = await rows<ServiceRow>(
      db,
      sql`select provider, personal_data, log_bodies, timeout_ms, is_disabled from exchange.service
          where instance = ${instance} and member_class = ${cls} and member_code = ${member}
            and subsystem_code = ${subsystem} and service_code = ${code}`,
    );
    if (!row) return undefined;
    return {
      id,
      providerId: id.slice(0, id.lastIndexOf('/')),
      provider: row.provider,
      personalData: row.personal_data,
      logBodies: row.log_bodies,
      timeoutMs: row.timeout_ms,
      disabled: row.is_disabled,
    };
  });
  const rights = new TtlCache<string, AccessGrant | undefined>(ttlMs, async (key) => {
    const [serviceId, clientId] = key.split('\n');
    const [row] = await rows<{ legal_basis: string | null; requires_consent: boolean }>(
      db,
      sql`select legal_basis, requires_consent from exchange.access_right
          where service_id = ${serviceId} and client_id = ${clientId} and revoked_at is null limit 1`,
    );
    return row ? { legalBasis: row.legal_basis, requiresConsent: Boolean(row.requires_consent) } : undefined;
  });
  return {
    // identifiers never contain '/' once decoded (checked by the parser), so the joined id is unambiguous
    service: (parts) => services.get(parts.join('/')),
    right: (serviceId, clientId) => rights.get(`${serviceId}\n${clientId}`),
    clear() {
      services.clear();
      rights.clear();
    },
  };
}
