import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { sql } from 'drizzle-orm';
import { rows, textArrayLiteral, type Db } from '../../platform/db.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { ADDRESS_WINDOW_MS, failuresFrom, TooManyAttemptsError } from './enrolment.ts';

/**
 * Passkeys (WebAuthn, @simplewebauthn/server): discoverable credentials with user verification
 * required, several per account, no passwords anywhere. The relying party is the public URL's
 * host; the expected origin its origin. Challenges are stored server-side (identity.challenge),
 * used once and valid for CHALLENGE_TTL_MS.
 */
export const CHALLENGE_TTL_MS = 5 * 60_000;
const RP_NAME = 'Hanaro 하나로';
export const MAX_PASSKEYS = 10;

export interface RelyingParty {
  rpID: string;
  origin: string;
}

export function relyingParty(publicUrl: string): RelyingParty {
  const u = new URL(publicUrl);
  return { rpID: u.hostname, origin: u.origin };
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  deviceType: string | null;
  backedUp: boolean;
}

export async function listPasskeys(db: Db, accountId: string): Promise<Passkey[]> {
  const found = await rows<{ id: string; name: string; created_at: Date | string; last_used_at: Date | string | null; device_type: string | null; backed_up: boolean }>(
    db,
    sql`select id, name, created_at, last_used_at, device_type, backed_up from identity.passkey where account_id = ${accountId}::uuid order by created_at, id`,
  );
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return found.map((r) => ({ id: r.id, name: r.name, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), deviceType: r.device_type, backedUp: r.backed_up }));
}

async function saveChallenge(db: Db, purpose: 'register' | 'authenticate', challenge: string, accountId?: string): Promise<string> {
  const id = randomBytes(18).toString('base64url');
  await db.execute(sql`delete from identity.challenge where expires_at < now()`);
  await db.execute(sql`insert into identity.challenge (id, purpose, challenge, account_id, expires_at)
    values (${id}, ${purpose}, ${challenge}, ${accountId ?? null}, ${new Date(Date.now() + CHALLENGE_TTL_MS).toISOString()})`);
  return id;
}

/** Takes (deletes) a live challenge: each is good for one answer. */
async function takeChallenge(db: Db, id: unknown, purpose: 'register' | 'authenticate', accountId?: string): Promise<string> {
  if (typeof id !== 'string' || id.length > 64) throw new BadRequestError('challengeId is missing', undefined, 'challenge_invalid');
  const [r] = await rows<{ challenge: string; account_id: string | null }>(
    db,
    sql`delete from identity.challenge where id = ${id} and purpose = ${purpose} and expires_at > now() returning challenge, account_id::text as account_id`,
  );
  if (!r || (accountId !== undefined && r.account_id !== accountId)) throw new BadRequestError('the challenge is unknown, used or expired; start again', undefined, 'challenge_invalid');
  return r.challenge;
}

export async function registrationOptions(platform: Platform, account: { id: string; name: string }) {
  const rp = relyingParty(platform.config.publicUrl);
  const existing = await rows<{ id: string; transports: string[] }>(platform.db, sql`select id, transports from identity.passkey where account_id = ${account.id}::uuid`);
  if (existing.length >= MAX_PASSKEYS) throw new ConflictError(`an account holds at most ${MAX_PASSKEYS} passkeys; remove one first`, 'too_many_passkeys');
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpID,
    userID: new TextEncoder().encode(account.id),
    userName: account.name || account.id,
    userDisplayName: account.name,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as never })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: [-7, -8, -257],
  });
  const challengeId = await saveChallenge(platform.db, 'register', options.challenge, account.id);
  return { challengeId, options };
}

export async function finishRegistration(platform: Platform, accountId: string, input: { challengeId?: unknown; response?: unknown; name?: unknown }): Promise<Passkey> {
  const rp = relyingParty(platform.config.publicUrl);
  const expectedChallenge = await takeChallenge(platform.db, input.challengeId, 'register', accountId);
  const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim().slice(0, 60) : defaultName();
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
  } catch (e) {
    throw new BadRequestError(`the passkey could not be registered: ${e instanceof Error ? e.message.slice(0, 200) : 'invalid response'}`, undefined, 'passkey_invalid');
  }
  if (!verified.verified) throw new BadRequestError('the passkey could not be verified', undefined, 'passkey_invalid');
  const info = verified.registrationInfo;
  const c = info.credential;
  const transports = textArrayLiteral((c.transports ?? []).filter((x) => /^[a-z-]{1,20}$/.test(x)));
  const saved = await rows(
    platform.db,
    sql`insert into identity.passkey (id, account_id, public_key, counter, transports, device_type, backed_up, name)
        values (${c.id}, ${accountId}::uuid, ${Buffer.from(c.publicKey)}, ${c.counter}, ${transports}::text[], ${info.credentialDeviceType}, ${info.credentialBackedUp}, ${name})
        on conflict (id) do nothing returning 1`,
  );
  if (!saved.length) throw new ConflictError('this passkey is already registered', 'passkey_exists');
  await platform.audit.append({ actor: `account:${accountId}`, action: 'identity.passkey.added', subject: `account:${accountId}`, data: { passkey: c.id.slice(0, 16), deviceType: info.credentialDeviceType } });
  return (await listPasskeys(platform.db, accountId)).find((p) => p.id === c.id)!;
}

function defaultName(): string {
  return `Passkey ${new Date().toISOString().slice(0, 10)}`;
}

export async function authenticationOptions(platform: Platform) {
  const rp = relyingParty(platform.config.publicUrl);
  // discoverable credentials: the authenticator offers the account, nothing is asked first
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: 'required', allowCredentials: [] });
  const challengeId = await saveChallenge(platform.db, 'authenticate', options.challenge);
  return { challengeId, options };
}

/** Sign-in failures allowed per address, and per account (a passkey that fails to verify), in SIGN_IN_WINDOW_MS. */
export const MAX_SIGN_IN_ADDRESS_FAILURES = 20;
export const MAX_SIGN_IN_ACCOUNT_FAILURES = 10;
export const SIGN_IN_WINDOW_MS = ADDRESS_WINDOW_MS;

/**
 * Verifies an assertion; returns the account it signs in. Any failure is the same 400 (no hint
 * which part). Failures count against the address and, when the passkey is known, its account:
 * past the limits the answer is 429 (with an audit entry) until the window has passed, even for
 * a good assertion.
 */
export async function finishAuthentication(
  platform: Platform,
  input: { challengeId?: unknown; response?: unknown },
  address = 'unknown',
): Promise<{ accountId: string; passkeyId: string; kind: 'citizen' | 'official' }> {
  const rp = relyingParty(platform.config.publicUrl);
  const addressKey = `sign-in:${address}`;
  if ((await failuresFrom(platform.db, addressKey)) >= MAX_SIGN_IN_ADDRESS_FAILURES) {
    await platform.audit.append({ actor: `address:${address}`, action: 'identity.sign-in.rate-limited', subject: 'identity.sign-in', data: {} });
    throw new TooManyAttemptsError();
  }
  const expectedChallenge = await takeChallenge(platform.db, input.challengeId, 'authenticate');
  const response = input.response as AuthenticationResponseJSON | undefined;
  const id = typeof response?.id === 'string' ? response.id : '';
  const [c] = await rows<{ id: string; account_id: string; kind: 'citizen' | 'official'; public_key: Buffer | Uint8Array; counter: string | number; transports: string[] }>(
    platform.db,
    sql`select p.id, p.account_id::text as account_id, a.kind, p.public_key, p.counter, p.transports
        from identity.passkey p join identity.account a on a.id = p.account_id where p.id = ${id} and a.disabled_at is null`,
  );
  const accountKey = c ? `sign-in:account:${c.account_id}` : undefined;
  if (accountKey && (await failuresFrom(platform.db, accountKey)) >= MAX_SIGN_IN_ACCOUNT_FAILURES) {
    await platform.audit.append({ actor: `address:${address}`, action: 'identity.sign-in.account-locked', subject: `account:${c!.account_id}`, data: {} });
    throw new TooManyAttemptsError();
  }
  const refused = async () => {
    await platform.db.execute(sql`insert into identity.attempt (key) values (${addressKey})`);
    if (accountKey) await platform.db.execute(sql`insert into identity.attempt (key) values (${accountKey})`);
    return new BadRequestError('the passkey was not accepted', undefined, 'passkey_refused');
  };
  if (!c) throw await refused();
  let result;
  try {
    result = await verifyAuthenticationResponse({
      response: response!,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: { id: c.id, publicKey: new Uint8Array(c.public_key), counter: Number(c.counter), transports: c.transports as never },
      requireUserVerification: true,
    });
  } catch {
    throw await refused();
  }
  if (!result.verified) throw await refused();
  await platform.db.execute(sql`update identity.passkey set counter = ${result.authenticationInfo.newCounter}, last_used_at = now() where id = ${c.id}`);
  return { accountId: c.account_id, passkeyId: c.id, kind: c.kind };
}

export async function renamePasskey(db: Db, accountId: string, id: string, name: string): Promise<void> {
  const clean = name.trim().slice(0, 60);
  if (!clean) throw new BadRequestError('give the passkey a name', { errors: [{ field: 'name', code: 'required' }] }, 'validation_failed');
  const r = await rows(db, sql`update identity.passkey set name = ${clean} where id = ${id} and account_id = ${accountId}::uuid returning 1`);
  if (!r.length) throw new NotFoundError('no such passkey', 'passkey_not_found');
}

/** Removes a passkey of the account; the last one stays (recovery would need a new enrolment code). */
export async function removePasskey(platform: Platform, accountId: string, id: string): Promise<void> {
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const mine = await rows<{ id: string }>(tx, sql`select id from identity.passkey where account_id = ${accountId}::uuid for update`);
    if (!mine.some((p) => p.id === id)) throw new NotFoundError('no such passkey', 'passkey_not_found');
    if (mine.length === 1) throw new ConflictError('this is your only passkey: add another before removing it', 'last_passkey');
    await tx.execute(sql`delete from identity.passkey where id = ${id} and account_id = ${accountId}::uuid`);
    await platform.audit.append({ actor: `account:${accountId}`, action: 'identity.passkey.removed', subject: `account:${accountId}`, data: { passkey: id.slice(0, 16) } }, tx);
  });
}
