import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';

/**
 * A citizen's contact details for single sign-on: an e-mail address and a mobile number they
 * give on their account page, encrypted at rest, released only under the `email` and `phone`
 * scopes after consent. No registry holds them and nothing has verified them yet, so they are
 * released as unverified (`email_verified`, `phone_number_verified` false); the notifications
 * module will verify them with a code.
 */
export interface Contacts {
  email: string | null;
  /** E.164, e.g. +821012345678 */
  phone: string | null;
}

const EMAIL = /^[^\s@<>()",;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** Whether a string is an e-mail address Hanaro can send to (ASCII domain, at most 254 characters). */
export const isEmailAddress = (s: string): boolean => s.length <= 254 && EMAIL.test(s);

const context = (accountId: string, field: 'email' | 'phone') => `identity.account:${accountId}:${field}`;

/** A Korean mobile number in any usual spelling (010-1234-5678, 01012345678, +82 10 1234 5678) as E.164; undefined if it is not one. */
export function normalisePhone(text: string): string | undefined {
  const digits = text.replace(/[\s().-]/g, '');
  const national = digits.startsWith('+82') ? `0${digits.slice(3)}` : digits;
  if (!/^01[016789]\d{7,8}$/.test(national)) return undefined;
  return `+82${national.slice(1)}`;
}

export class ContactError extends BadRequestError {
  constructor(readonly field: 'email' | 'phone') {
    super(field === 'email' ? 'not an e-mail address' : 'not a Korean mobile number', { errors: [{ field, code: 'invalid' }] }, 'validation_failed');
  }
}

/** Checks and normalises what a form sent (empty clears a field); throws ContactError naming the first bad field. */
export function parseContacts(input: { email?: string; phone?: string }): Contacts {
  const email = (input.email ?? '').trim();
  const phone = (input.phone ?? '').trim();
  if (email && (email.length > 254 || !EMAIL.test(email))) throw new ContactError('email');
  const e164 = phone ? normalisePhone(phone) : null;
  if (phone && !e164) throw new ContactError('phone');
  return { email: email || null, phone: e164 ?? null };
}

/** `db`: the caller's transaction, when it has one open (on PGlite another connection would wait for it). */
export async function getContacts(platform: Platform, accountId: string, db: Db = platform.db): Promise<Contacts> {
  const [r] = await rows<{ email_enc: string | null; phone_enc: string | null }>(db, sql`select email_enc, phone_enc from identity.account where id = ${accountId}::uuid`);
  const open = (v: string | null | undefined, field: 'email' | 'phone') => {
    if (!v) return null;
    try {
      return platform.crypto.decrypt(v, context(accountId, field));
    } catch {
      return null;
    }
  };
  return { email: open(r?.email_enc, 'email'), phone: open(r?.phone_enc, 'phone') };
}

export async function setContacts(platform: Platform, accountId: string, c: Contacts): Promise<void> {
  const seal = (v: string | null, field: 'email' | 'phone') => (v ? platform.crypto.encrypt(v, context(accountId, field)) : null);
  await platform.db.transaction(async (tx) => {
    await tx.execute(sql`update identity.account set email_enc = ${seal(c.email, 'email')}, phone_enc = ${seal(c.phone, 'phone')}, contacts_updated_at = now() where id = ${accountId}::uuid`);
    // which fields are set, never their values
    await platform.audit.append({ actor: `account:${accountId}`, action: 'identity.contacts.updated', subject: `account:${accountId}`, data: { email: Boolean(c.email), phone: Boolean(c.phone) } }, tx as never);
  });
}
