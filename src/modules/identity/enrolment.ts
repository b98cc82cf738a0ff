import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { residentHasRrn, residentSummary } from '../registries/index.ts';
import { ensureCitizenAccount } from './accounts.ts';

/**
 * Enrolment (identity proofing) with a one-time code: an official at a counter, having checked
 * the resident's ID card, issues a code (`hanaro identity enrolment-code --citizen <id>`); the
 * resident enters it with their resident registration number. The code is 12 characters of
 * Crockford base32 (60 bits), shown as XXXX-XXXX-XXXX; stored only as a keyed hash; valid for
 * CODE_TTL_MS; used once; revoked after MAX_CODE_FAILURES wrong RRNs; a new code revokes the
 * resident's earlier ones. It is also the recovery path: a resident who lost every passkey gets
 * a new code and signs in with it.
 *
 * Guessing is limited per address too (MAX_ADDRESS_FAILURES per ADDRESS_WINDOW_MS, counted in
 * the database so that it holds across processes), and every answer to a failed attempt is the
 * same whichever part was wrong (no account enumeration).
 */
export const CODE_TTL_MS = 72 * 3600_000;
export const MAX_CODE_FAILURES = 5;
export const MAX_ADDRESS_FAILURES = 10;
export const ADDRESS_WINDOW_MS = 15 * 60_000;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HASH_CONTEXT = 'identity.enrolment-code';
const NO_ONE = '00000000-0000-4000-8000-000000000000';

/** Upper case, no separators, and the characters people confuse read as Crockford says (O→0, I/L→1). */
export function normaliseCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

const codeHash = (platform: Platform, code: string) => platform.crypto.blindIndex(normaliseCode(code), HASH_CONTEXT);

export async function issueEnrolmentCode(platform: Platform, citizenId: string, issuedBy: string): Promise<{ code: string; expiresAt: Date }> {
  if (!(await residentSummary(platform, citizenId))) throw new NotFoundError(`no resident ${citizenId}`, 'resident_not_found');
  let code = '';
  for (let i = 0; i < 12; i++) code += ALPHABET[randomInt(32)];
  const expiresAt = new Date(Date.now() + CODE_TTL_MS);
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`update identity.enrolment_code set revoked_at = now()
      where citizen_id = ${citizenId}::uuid and used_at is null and revoked_at is null`);
    await tx.execute(sql`insert into identity.enrolment_code (id, code_hash, citizen_id, issued_by, expires_at)
      values (${randomUUID()}::uuid, ${codeHash(platform, code)}, ${citizenId}::uuid, ${issuedBy}, ${expiresAt.toISOString()})`);
    // the code itself is never logged
    await platform.audit.append({ actor: issuedBy, action: 'identity.enrolment-code.issued', subject: `citizen:${citizenId}`, data: { expiresAt: expiresAt.toISOString() } }, tx);
  });
  return { code: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`, expiresAt };
}

export class TooManyAttemptsError extends PlatformError {
  constructor() {
    super('too_many_attempts', 429, 'too many failed attempts from this address; try again in 15 minutes');
  }
}

/** The one answer to every failed enrolment, whichever part was wrong. */
export class EnrolmentFailedError extends BadRequestError {
  constructor() {
    super('the enrolment code or the resident registration number is not right', undefined, 'enrolment_failed');
  }
}

async function failuresFrom(db: Db, key: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from identity.attempt where key = ${key} and at > ${new Date(Date.now() - ADDRESS_WINDOW_MS).toISOString()}`);
  return r?.n ?? 0;
}

export interface Redeemed {
  accountId: string;
  citizenId: string;
  accountCreated: boolean;
}

/**
 * Redeems a code with the resident's RRN; `address` is the client's address for the rate limit.
 * On success the account exists (made on first enrolment) and the code is spent; `onSuccess`
 * runs in the same transaction (to start the session with it).
 */
export async function redeemEnrolmentCode(
  platform: Platform,
  input: { code: string; rrn: string; address: string },
  onSuccess?: (tx: Db, r: Redeemed) => Promise<void>,
): Promise<Redeemed> {
  const addressKey = `enrol:${input.address}`;
  if ((await failuresFrom(platform.db, addressKey)) >= MAX_ADDRESS_FAILURES) {
    await platform.audit.append({ actor: `address:${input.address}`, action: 'identity.enrolment.rate-limited', subject: 'identity.enrolment', data: {} });
    throw new TooManyAttemptsError();
  }
  const [row] = await rows<{ id: string; citizen_id: string }>(
    platform.db,
    sql`select id::text as id, citizen_id::text as citizen_id from identity.enrolment_code
        where code_hash = ${codeHash(platform, input.code)} and used_at is null and revoked_at is null and expires_at > now()`,
  );
  // the RRN is checked even without a code, so a wrong code and a wrong RRN take as long
  const matches = await residentHasRrn(platform, row?.citizen_id ?? NO_ONE, input.rrn);
  if (!row || !matches) {
    await platform.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      await tx.execute(sql`insert into identity.attempt (key) values (${addressKey})`);
      if (!row) return;
      const [c] = await rows<{ failed_attempts: number }>(tx, sql`update identity.enrolment_code set failed_attempts = failed_attempts + 1,
          revoked_at = case when failed_attempts + 1 >= ${MAX_CODE_FAILURES} then now() end
        where id = ${row.id}::uuid returning failed_attempts`);
      if (c && c.failed_attempts >= MAX_CODE_FAILURES) {
        await platform.audit.append({ actor: `address:${input.address}`, action: 'identity.enrolment-code.locked', subject: `citizen:${row.citizen_id}`, data: { failedAttempts: c.failed_attempts } }, tx);
      }
    });
    throw new EnrolmentFailedError();
  }
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // spent exactly once, whatever two requests with the same code do at once
    const spent = await rows(tx, sql`update identity.enrolment_code set used_at = now() where id = ${row.id}::uuid and used_at is null and revoked_at is null returning 1`);
    if (!spent.length) throw new EnrolmentFailedError();
    const account = await ensureCitizenAccount(tx, row.citizen_id);
    const r: Redeemed = { accountId: account.id, citizenId: row.citizen_id, accountCreated: account.created };
    await platform.audit.append({ actor: `citizen:${row.citizen_id}`, action: 'identity.enrolled', subject: `account:${account.id}`, data: { newAccount: account.created } }, tx);
    await onSuccess?.(tx, r);
    return r;
  });
}
