import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { OFFICIAL_ROLES, type OfficialRole } from '../../platform/auth.ts';
import { rows, textArray, textArrayLiteral, type Db } from '../../platform/db.ts';
import { BadRequestError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { issueAccountCode } from './enrolment.ts';

/**
 * Officials: accounts of an agency (its member code in the mediator's directory, e.g. MOHW) with
 * roles. They are created by a platform operator (`hanaro identity official create`) or by their
 * agency's administrator in the console, and get an invitation code that they redeem at
 * /enrol/official to register their passkey; a new code is also how they recover. Roles:
 * case-worker (handles cases, reads the agency's pages), agency-admin (manages the agency's
 * rights, clients and officials), auditor (reads logs), platform-admin (every agency; given only
 * by the platform's operators).
 */
export const AGENCY_CODE = /^[A-Z0-9][A-Z0-9-]{1,29}$/;

export interface OfficialAccount {
  id: string;
  name: string;
  agency: string;
  roles: OfficialRole[];
  createdAt: string;
  disabledAt: string | null;
  passkeys: number;
}

export function parseRoles(input: readonly string[]): OfficialRole[] {
  const roles = [...new Set(input.map((r) => r.trim()).filter(Boolean))];
  const bad = roles.filter((r) => !(OFFICIAL_ROLES as readonly string[]).includes(r));
  if (bad.length || !roles.length) {
    throw new BadRequestError(`roles must be one or more of ${OFFICIAL_ROLES.join(', ')}`, { errors: [{ field: 'roles', code: bad.length ? 'invalid' : 'required' }] }, 'validation_failed');
  }
  return roles as OfficialRole[];
}


/** Creates an official's account and its invitation code (shown once). */
export async function createOfficial(
  platform: Platform,
  input: { name: string; agency: string; roles: readonly string[] },
  issuedBy: string,
): Promise<{ accountId: string; code: string; expiresAt: Date }> {
  const name = input.name.trim().slice(0, 100);
  const agency = input.agency.trim().toUpperCase();
  const errors: Array<{ field: string; code: string }> = [];
  if (!name) errors.push({ field: 'name', code: 'required' });
  if (!AGENCY_CODE.test(agency)) errors.push({ field: 'agency', code: 'invalid' });
  if (errors.length) throw new BadRequestError('the official needs a name and an agency code', { errors }, 'validation_failed');
  const roles = parseRoles(input.roles);
  const accountId = randomUUID();
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`insert into identity.account (id, kind, display_name, agency, roles)
      values (${accountId}::uuid, 'official', ${name}, ${agency}, ${textArrayLiteral(roles)}::text[])`);
    await platform.audit.append({ actor: issuedBy, action: 'identity.official.created', subject: `account:${accountId}`, data: { agency, roles } }, tx);
    const { code, expiresAt } = await issueAccountCode(platform, accountId, issuedBy, tx);
    return { accountId, code, expiresAt };
  });
}

export async function findOfficial(db: Db, accountId: string): Promise<OfficialAccount | undefined> {
  return (await officialRows(db, sql`a.id::text = ${accountId}`))[0];
}

export function listOfficials(db: Db, agency: string): Promise<OfficialAccount[]> {
  return officialRows(db, sql`a.agency = ${agency}`);
}

async function officialRows(db: Db, where: ReturnType<typeof sql>): Promise<OfficialAccount[]> {
  const found = await rows<{ id: string; display_name: string; agency: string; roles: string[] | string; created_at: Date | string; disabled_at: Date | string | null; passkeys: number }>(
    db,
    sql`select a.id::text as id, a.display_name, a.agency, a.roles, a.created_at, a.disabled_at,
          (select count(*)::int from identity.passkey p where p.account_id = a.id) as passkeys
        from identity.account a where a.kind = 'official' and ${where} order by a.display_name, a.id`,
  );
  return found.map((r) => ({
    id: r.id,
    name: r.display_name,
    agency: r.agency,
    roles: textArray(r.roles) as OfficialRole[],
    createdAt: new Date(r.created_at).toISOString(),
    disabledAt: r.disabled_at ? new Date(r.disabled_at).toISOString() : null,
    passkeys: r.passkeys,
  }));
}

/** A new invitation code for an official (recovery after losing every passkey); earlier codes are revoked. */
export async function reissueOfficialCode(platform: Platform, accountId: string, issuedBy: string): Promise<{ code: string; expiresAt: Date }> {
  const o = await findOfficial(platform.db, accountId);
  if (!o || o.disabledAt) throw new NotFoundError('no such official', 'official_not_found');
  return issueAccountCode(platform, accountId, issuedBy);
}

/** Disables an official's account: every session ends at once and no passkey signs it in again. */
export async function disableOfficial(platform: Platform, accountId: string, by: string): Promise<void> {
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await rows(tx, sql`update identity.account set disabled_at = now() where id = ${accountId}::uuid and kind = 'official' and disabled_at is null returning 1`);
    if (!r.length) throw new NotFoundError('no such official', 'official_not_found');
    await tx.execute(sql`update identity.session set ended_at = now(), ended_reason = 'account disabled' where account_id = ${accountId}::uuid and ended_at is null`);
    await tx.execute(sql`update identity.enrolment_code set revoked_at = now() where account_id = ${accountId}::uuid and used_at is null and revoked_at is null`);
    await platform.audit.append({ actor: by, action: 'identity.official.disabled', subject: `account:${accountId}` }, tx);
  });
}
