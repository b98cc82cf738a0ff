import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { INSTANCE, MEMBER_CLASSES, memberOf, parseMemberId, parseServiceId, parseSubsystemId, subsystemOf } from './directory-ids.ts';
import { badRequest, forbidden, notFound } from './management-messages.ts';
import { toMember, toRight, toService, toSubsystem, type MemberRow, type RightRow, type ServiceRow, type SubsystemRow } from './directory-rows.ts';

// The directory of the information mediator: members, their subsystems, the services those
// publish, and the access rights the providing members grant. Publishing a service grants
// nobody anything; a right exists only where the provider granted one, with its legal basis,
// and every grant and revocation is in the platform audit log.

export interface Names {
  ko: string;
  en: string;
}

export interface Member {
  id: string;
  instance: string;
  memberClass: string;
  memberCode: string;
  name: Names;
}

export interface Subsystem {
  id: string;
  memberId: string;
  instance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
  name: Names;
}

export interface Service {
  id: string;
  subsystemId: string;
  instance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
  serviceCode: string;
  version: string;
  title: Names;
  /** `registry:<code>/<version>`, `pubsub:<subsystem>` or an http(s) base URL. */
  provider: string;
  openapi: Record<string, unknown>;
  personalData: boolean;
  logBodies: boolean;
  timeoutMs: number;
  disabled: boolean;
}

export interface AccessRight {
  id: number;
  serviceId: string;
  clientId: string;
  grantedBy: string;
  grantedAt: Date;
  legalBasis: string | null;
  /** Served only under a citizen's consent the MyData module confirms (X-Hanaro-Consent). */
  requiresConsent: boolean;
  revokedAt: Date | null;
  revokedBy: string | null;
}

const where = (conds: SQL[]) => (conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``);

// ---- members -------------------------------------------------------------------------------

export async function listMembers(db: Db, filter: { instance?: string } = {}): Promise<Member[]> {
  const conds = filter.instance ? [sql`instance = ${filter.instance}`] : [];
  const r = await rows<MemberRow>(db, sql`select * from exchange.member ${where(conds)} order by instance, member_class, member_code`);
  return r.map(toMember);
}

export async function findMember(db: Db, id: string): Promise<Member | undefined> {
  const m = parseMemberId(id);
  if (!m) return undefined;
  const [r] = await rows<MemberRow>(
    db,
    sql`select * from exchange.member where instance = ${m.instance} and member_class = ${m.memberClass} and member_code = ${m.memberCode}`,
  );
  return r && toMember(r);
}

/** Registers a member, or renames it if it exists (registration is idempotent). */
export async function createMember(db: Db, m: { instance?: string; memberClass: string; memberCode: string; name: Names }): Promise<Member> {
  const instance = m.instance ?? INSTANCE;
  if (!(MEMBER_CLASSES as readonly string[]).includes(m.memberClass)) throw badRequest('member_class_invalid', { value: m.memberClass });
  const id = `${instance}/${m.memberClass}/${m.memberCode}`;
  if (!parseMemberId(id)) throw badRequest('id_malformed', { id });
  const [r] = await rows<MemberRow>(
    db,
    sql`insert into exchange.member (instance, member_class, member_code, name_ko, name_en)
        values (${instance}, ${m.memberClass}, ${m.memberCode}, ${m.name.ko}, ${m.name.en})
        on conflict (instance, member_class, member_code) do update set name_ko = excluded.name_ko, name_en = excluded.name_en
        returning *`,
  );
  return toMember(r!);
}

// ---- subsystems ----------------------------------------------------------------------------

export async function listSubsystems(db: Db, filter: { memberId?: string; instance?: string } = {}): Promise<Subsystem[]> {
  const conds: SQL[] = [];
  if (filter.instance) conds.push(sql`s.instance = ${filter.instance}`);
  if (filter.memberId) {
    const m = parseMemberId(filter.memberId);
    if (!m) return [];
    conds.push(sql`s.instance = ${m.instance} and s.member_class = ${m.memberClass} and s.member_code = ${m.memberCode}`);
  }
  const r = await rows<SubsystemRow>(
    db,
    sql`select s.instance, s.member_class, s.member_code, s.subsystem_code, s.name_ko, s.name_en from exchange.subsystem s
        ${where(conds)} order by s.instance, s.member_class, s.member_code, s.subsystem_code`,
  );
  return r.map(toSubsystem);
}

export async function findSubsystem(db: Db, id: string): Promise<Subsystem | undefined> {
  const s = parseSubsystemId(id);
  if (!s) return undefined;
  const [r] = await rows<SubsystemRow>(
    db,
    sql`select * from exchange.subsystem where instance = ${s.instance} and member_class = ${s.memberClass}
        and member_code = ${s.memberCode} and subsystem_code = ${s.subsystemCode}`,
  );
  return r && toSubsystem(r);
}

/** Registers a subsystem of an existing member, or renames it (idempotent). */
export async function createSubsystem(db: Db, id: string, name: Names): Promise<Subsystem> {
  const s = parseSubsystemId(id);
  if (!s) throw badRequest('id_malformed', { id });
  if (!(await findMember(db, memberOf(id)))) throw notFound('member_unknown', { id: memberOf(id) });
  const [r] = await rows<SubsystemRow>(
    db,
    sql`insert into exchange.subsystem (instance, member_class, member_code, subsystem_code, name_ko, name_en)
        values (${s.instance}, ${s.memberClass}, ${s.memberCode}, ${s.subsystemCode}, ${name.ko}, ${name.en})
        on conflict (instance, member_class, member_code, subsystem_code) do update set name_ko = excluded.name_ko, name_en = excluded.name_en
        returning *`,
  );
  return toSubsystem(r!);
}

// ---- services ------------------------------------------------------------------------------

export async function listServices(db: Db, filter: { subsystemId?: string } = {}): Promise<Service[]> {
  const conds: SQL[] = [];
  if (filter.subsystemId) {
    const s = parseSubsystemId(filter.subsystemId);
    if (!s) return [];
    conds.push(sql`instance = ${s.instance} and member_class = ${s.memberClass} and member_code = ${s.memberCode} and subsystem_code = ${s.subsystemCode}`);
  }
  const r = await rows<ServiceRow>(
    db,
    sql`select * from exchange.service ${where(conds)} order by instance, member_class, member_code, subsystem_code, service_code`,
  );
  return r.map(toService);
}

export async function findService(db: Db, id: string): Promise<Service | undefined> {
  const s = parseServiceId(id);
  if (!s) return undefined;
  const [r] = await rows<ServiceRow>(
    db,
    sql`select * from exchange.service where instance = ${s.instance} and member_class = ${s.memberClass}
        and member_code = ${s.memberCode} and subsystem_code = ${s.subsystemCode} and service_code = ${s.serviceCode}`,
  );
  return r && toService(r);
}

export interface ServiceInput {
  id: string;
  version?: string;
  title: Names;
  provider: string;
  openapi: Record<string, unknown>;
  personalData: boolean;
  logBodies?: boolean;
  timeoutMs?: number;
}

/**
 * Publishes a service of an existing subsystem, or updates its description (idempotent). It
 * grants no one access. Whether the service logs bodies, its timeout and whether it is disabled
 * are kept as they are on an update: operators may have changed them.
 */
export async function createService(db: Db, s: ServiceInput): Promise<Service> {
  const id = parseServiceId(s.id);
  if (!id) throw badRequest('id_malformed', { id: s.id });
  if (!(await findSubsystem(db, subsystemOf(s.id)))) throw notFound('subsystem_unknown', { id: subsystemOf(s.id) });
  const [r] = await rows<ServiceRow>(
    db,
    sql`insert into exchange.service (instance, member_class, member_code, subsystem_code, service_code, service_version,
          title_ko, title_en, provider, openapi, personal_data, log_bodies, timeout_ms)
        values (${id.instance}, ${id.memberClass}, ${id.memberCode}, ${id.subsystemCode}, ${id.serviceCode}, ${s.version ?? 'v1'},
          ${s.title.ko}, ${s.title.en}, ${s.provider}, ${JSON.stringify(s.openapi)}::jsonb, ${s.personalData},
          ${s.logBodies ?? false}, ${s.timeoutMs ?? 5000})
        on conflict (instance, member_class, member_code, subsystem_code, service_code) do update set
          service_version = excluded.service_version, title_ko = excluded.title_ko, title_en = excluded.title_en,
          provider = excluded.provider, openapi = excluded.openapi, personal_data = excluded.personal_data
        returning *`,
  );
  return toService(r!);
}

/**
 * The endpoints of a service from its OpenAPI description, X-Road style: path parameters become
 * `*` (`/records/{id}` → `/records/*`), methods upper case.
 */
export function serviceEndpoints(openapi: Record<string, unknown>): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const paths = (openapi.paths ?? {}) as Record<string, Record<string, unknown>>;
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  for (const [p, item] of Object.entries(paths)) {
    for (const m of methods) if (item && typeof item === 'object' && m in item) out.push({ method: m.toUpperCase(), path: p.replace(/\{[^}]*\}/g, '*') });
  }
  return out;
}

// ---- access rights -------------------------------------------------------------------------

export async function listAccessRights(
  db: Db,
  filter: { serviceId?: string; clientId?: string; providerSubsystemId?: string; providerMemberId?: string; includeRevoked?: boolean } = {},
): Promise<AccessRight[]> {
  const conds: SQL[] = [];
  if (!filter.includeRevoked) conds.push(sql`revoked_at is null`);
  if (filter.serviceId) conds.push(sql`service_id = ${filter.serviceId}`);
  if (filter.clientId) conds.push(sql`client_id = ${filter.clientId}`);
  // the id parts cannot hold '%' or '_' wildcards that matter here: '_' is escaped below
  const prefix = (p: string) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
  if (filter.providerSubsystemId) conds.push(sql`service_id like ${prefix(filter.providerSubsystemId)}`);
  if (filter.providerMemberId) conds.push(sql`service_id like ${prefix(filter.providerMemberId)}`);
  const r = await rows<RightRow>(db, sql`select * from exchange.access_right ${where(conds)} order by service_id, client_id, id`);
  return r.map(toRight);
}

/** Whether `clientId` holds an active right to `serviceId`. */
export async function hasAccessRight(db: Db, clientId: string, serviceId: string): Promise<boolean> {
  const r = await rows(db, sql`select 1 from exchange.access_right where client_id = ${clientId} and service_id = ${serviceId} and revoked_at is null`);
  return r.length > 0;
}

export interface RightChange {
  /** The member acting (`KR/GOV/MOIS`): only the member that provides the service may grant or revoke. */
  actingMember: string;
  /** Who did it, for the audit log (`official:42`, `system:seed`); default `member:<actingMember>`. */
  actor?: string;
  serviceId: string;
  clientId: string;
}

/** Runs `fn` in the caller's transaction, or in a new one. */
export function inTx<T>(platform: Platform, tx: Db | undefined, fn: (t: Db) => Promise<T>): Promise<T> {
  return tx ? fn(tx) : platform.db.transaction((t) => fn(t as unknown as Db));
}

async function checkProvider(db: Db, c: RightChange): Promise<Service> {
  if (!parseServiceId(c.serviceId)) throw badRequest('id_malformed', { id: c.serviceId });
  if (!parseSubsystemId(c.clientId)) throw badRequest('id_malformed', { id: c.clientId });
  if (memberOf(c.serviceId) !== c.actingMember) throw forbidden('not_provider', { actor: c.actingMember, service: c.serviceId });
  const service = await findService(db, c.serviceId);
  if (!service) throw notFound('service_unknown', { id: c.serviceId });
  return service;
}

/**
 * Grants `clientId` access to `serviceId`, acting as the providing member. A right to a service
 * that gives out personal data needs a legal basis. Granting a right that is already active
 * changes nothing (and is not audited again). Returns the active right and whether it is new.
 */
export async function grantAccessRight(
  platform: Platform,
  c: RightChange & { legalBasis?: string; requiresConsent?: boolean },
  tx?: Db,
): Promise<{ right: AccessRight; created: boolean }> {
  return inTx(platform, tx, async (t) => {
    const service = await checkProvider(t, c);
    const legalBasis = c.legalBasis?.trim() || null;
    if (service.personalData && !legalBasis) throw badRequest('legal_basis_required');
    if (!(await findSubsystem(t, c.clientId))) throw notFound('subsystem_unknown', { id: c.clientId });
    const [created] = await rows<RightRow>(
      t,
      sql`insert into exchange.access_right (service_id, client_id, granted_by, legal_basis, requires_consent)
          values (${c.serviceId}, ${c.clientId}, ${c.actingMember}, ${legalBasis}, ${c.requiresConsent ?? false})
          on conflict (service_id, client_id) where revoked_at is null do nothing returning *`,
    );
    if (!created) {
      const [existing] = await listAccessRights(t, { serviceId: c.serviceId, clientId: c.clientId });
      return { right: existing!, created: false };
    }
    await platform.audit.append(
      {
        actor: c.actor ?? `member:${c.actingMember}`,
        action: 'exchange.access-right.granted',
        subject: c.serviceId,
        data: { client: c.clientId, legalBasis, requiresConsent: c.requiresConsent ?? false, actingMember: c.actingMember, rightId: Number(created.id) },
      },
      t,
    );
    return { right: toRight(created), created: true };
  });
}

/** Revokes the active right of `clientId` to `serviceId`, acting as the providing member. */
export async function revokeAccessRight(platform: Platform, c: RightChange & { reason?: string }, tx?: Db): Promise<AccessRight> {
  return inTx(platform, tx, async (t) => {
    await checkProvider(t, c);
    const [revoked] = await rows<RightRow>(
      t,
      sql`update exchange.access_right set revoked_at = now(), revoked_by = ${c.actingMember}
          where service_id = ${c.serviceId} and client_id = ${c.clientId} and revoked_at is null returning *`,
    );
    if (!revoked) throw notFound('right_not_found', { client: c.clientId, service: c.serviceId });
    await platform.audit.append(
      {
        actor: c.actor ?? `member:${c.actingMember}`,
        action: 'exchange.access-right.revoked',
        subject: c.serviceId,
        data: { client: c.clientId, actingMember: c.actingMember, rightId: Number(revoked.id), reason: c.reason },
      },
      t,
    );
    return toRight(revoked);
  });
}
