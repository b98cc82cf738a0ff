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

function newCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += ALPHABET[randomInt(32)];
  return code;
}
const shown = (code: string) => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;

/**
 * Stores a new code for a resident or an official's account, revoking that person's earlier
 * unused codes, with an audit entry (the code itself is never logged). Returns the code as shown.
 */
async function storeCode(platform: Platform, owner: { citizenId: string } | { accountId: string }, issuedBy: string, tx?: Db): Promise<{ code: string; expiresAt: Date }> {
  const code = newCode();
  const expiresAt = new Date(Date.now() + CODE_TTL_MS);
  const citizenId = 'citizenId' in owner ? owner.citizenId : null;
  const accountId = 'accountId' in owner ? owner.accountId : null;
  const run = async (t: Db) => {
    await t.execute(sql`update identity.enrolment_code set revoked_at = now()
      where (citizen_id = ${citizenId}::uuid or account_id = ${accountId}::uuid) and used_at is null and revoked_at is null`);
    await t.execute(sql`insert into identity.enrolment_code (id, code_hash, citizen_id, account_id, issued_by, expires_at)
      values (${randomUUID()}::uuid, ${codeHash(platform, code)}, ${citizenId}::uuid, ${accountId}::uuid, ${issuedBy}, ${expiresAt.toISOString()})`);
    const subject = citizenId ? `citizen:${citizenId}` : `account:${accountId}`;
    await platform.audit.append({ actor: issuedBy, action: 'identity.enrolment-code.issued', subject, data: { expiresAt: expiresAt.toISOString() } }, t);
  };
  if (tx) await run(tx);
  else await platform.db.transaction(async (t) => run(t as unknown as Db));
  return { code: shown(code), expiresAt };
}

export async function issueEnrolmentCode(platform: Platform, citizenId: string, issuedBy: string): Promise<{ code: string; expiresAt: Date }> {
  if (!(await residentSummary(platform, citizenId))) throw new NotFoundError(`no resident ${citizenId}`, 'resident_not_found');
  return storeCode(platform, { citizenId }, issuedBy);
}

/** An invitation (or recovery) code for an official's account; see officials.ts. */
export function issueAccountCode(platform: Platform, accountId: string, issuedBy: string, tx?: Db): Promise<{ code: string; expiresAt: Date }> {
  return storeCode(platform, { accountId }, issuedBy, tx);
}

export class TooManyAttemptsError extends PlatformError {
  constructor() {
    super('too_many_attempts', 429, 'too many failed attempts; try again in 15 minutes');
  }
}

/** The one answer to every failed enrolment, whichever part was wrong. */
export class EnrolmentFailedError extends BadRequestError {
  constructor() {
    super('the enrolment code or the resident registration number is not right', undefined, 'enrolment_failed');
  }
}

export async function failuresFrom(db: Db, key: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from identity.attempt where key = ${key} and at > ${new Date(Date.now() - ADDRESS_WINDOW_MS).toISOString()}`);
  return r?.n ?? 0;
}

export interface Redeemed {
  accountId: string;
  citizenId: string;
  accountCreated: boolean;
}

interface CodeRow {
  id: string;
  citizen_id: string | null;
  account_id: string | null;
}

/**
 * The shared part of redeeming a code: the per-address limit, the look-up, `check` (the second
 * factor, run even when no code matched so both failures take as long), counting failures (the
 * code is revoked after MAX_CODE_FAILURES), and spending the code exactly once in the transaction
 * in which `finish` runs.
 */
async function redeem<T>(
  platform: Platform,
  input: { code: string; address: string; kind: 'citizen' | 'official' },
  check: (row: CodeRow | undefined) => Promise<boolean>,
  finish: (tx: Db, row: CodeRow) => Promise<T>,
): Promise<T> {
  const addressKey = `enrol:${input.address}`;
  if ((await failuresFrom(platform.db, addressKey)) >= MAX_ADDRESS_FAILURES) {
    await platform.audit.append({ actor: `address:${input.address}`, action: 'identity.enrolment.rate-limited', subject: 'identity.enrolment', data: {} });
    throw new TooManyAttemptsError();
  }
  const column = input.kind === 'citizen' ? sql`citizen_id` : sql`account_id`;
  const [found] = await rows<CodeRow>(
    platform.db,
    sql`select id::text as id, citizen_id::text as citizen_id, account_id::text as account_id from identity.enrolment_code
        where code_hash = ${codeHash(platform, input.code)} and ${column} is not null and used_at is null and revoked_at is null and expires_at > now()`,
  );
  const ok = await check(found);
  if (!found || !ok) {
    await platform.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      await tx.execute(sql`insert into identity.attempt (key) values (${addressKey})`);
      if (!found) return;
      const [c] = await rows<{ failed_attempts: number }>(tx, sql`update identity.enrolment_code set failed_attempts = failed_attempts + 1,
          revoked_at = case when failed_attempts + 1 >= ${MAX_CODE_FAILURES} then now() end
        where id = ${found.id}::uuid returning failed_attempts`);
      if (c && c.failed_attempts >= MAX_CODE_FAILURES) {
        const subject = found.citizen_id ? `citizen:${found.citizen_id}` : `account:${found.account_id}`;
        await platform.audit.append({ actor: `address:${input.address}`, action: 'identity.enrolment-code.locked', subject, data: { failedAttempts: c.failed_attempts } }, tx);
      }
    });
    throw new EnrolmentFailedError();
  }
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // spent exactly once, whatever two requests with the same code do at once
    const spent = await rows(tx, sql`update identity.enrolment_code set used_at = now() where id = ${found.id}::uuid and used_at is null and revoked_at is null returning 1`);
    if (!spent.length) throw new EnrolmentFailedError();
    return finish(tx, found);
  });
}

/**
 * Redeems a code with the resident's RRN; `address` is the client's address for the rate limit.
 * On success the account exists (made on first enrolment) and the code is spent; `onSuccess`
 * runs in the same transaction (to start the session with it).
 */
export function redeemEnrolmentCode(
  platform: Platform,
  input: { code: string; rrn: string; address: string },
  onSuccess?: (tx: Db, r: Redeemed) => Promise<void>,
): Promise<Redeemed> {
  return redeem(
    platform,
    { code: input.code, address: input.address, kind: 'citizen' },
    (row) => residentHasRrn(platform, row?.citizen_id ?? NO_ONE, input.rrn),
    async (tx, row) => {
      const citizenId = row.citizen_id!;
      const account = await ensureCitizenAccount(tx, citizenId);
      const r: Redeemed = { accountId: account.id, citizenId, accountCreated: account.created };
      await platform.audit.append({ actor: `citizen:${citizenId}`, action: 'identity.enrolled', subject: `account:${account.id}`, data: { newAccount: account.created } }, tx);
      await onSuccess?.(tx, r);
      return r;
    },
  );
}

/**
 * Redeems an official's invitation code (the code alone: 60 bits, handed over by their agency,
 * limited per address like the residents' codes). The account must not be disabled.
 */
export function redeemOfficialCode(platform: Platform, input: { code: string; address: string }, onSuccess?: (tx: Db, accountId: string) => Promise<void>): Promise<{ accountId: string }> {
  return redeem(
    platform,
    { code: input.code, address: input.address, kind: 'official' },
    async (row) => {
      if (!row) return false;
      const live = await rows(platform.db, sql`select 1 from identity.account where id = ${row.account_id}::uuid and disabled_at is null`);
      return live.length > 0;
    },
    async (tx, row) => {
      const accountId = row.account_id!;
      await platform.audit.append({ actor: `account:${accountId}`, action: 'identity.enrolled', subject: `account:${accountId}`, data: { kind: 'official' } }, tx);
      await onSuccess?.(tx, accountId);
      return { accountId };
    },
  );
}
