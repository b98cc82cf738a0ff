import type { FastifyReply } from 'fastify';
import type { Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { ensureCitizenAccount } from './accounts.ts';
import { cookieSettings, createSessionStore, setSessionCookie } from './sessions.ts';

/**
 * Enrolment (or recovery) with a mobile ID: the credentials module has verified a presentation
 * of the resident's own mobile resident ID (issuer signature, status, and key binding to the
 * device that holds it) and found the resident it was issued to. This makes the account on
 * first use, records it, and starts a session whose method says how the person proved who they
 * are; the account page then asks them to add a passkey.
 */
export async function signInWithMobileId(platform: Platform, reply: FastifyReply, citizenId: string, evidence: { presentationRequest: string }): Promise<{ accountId: string; created: boolean }> {
  const store = createSessionStore(platform);
  const cookie = cookieSettings(platform.config.publicUrl);
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const account = await ensureCitizenAccount(tx, citizenId);
    await platform.audit.append(
      { actor: `citizen:${citizenId}`, action: 'identity.enrolled', subject: `account:${account.id}`, data: { newAccount: account.created, method: 'mobile-id', presentationRequest: evidence.presentationRequest } },
      tx,
    );
    setSessionCookie(reply, cookie, await store.start(account.id, 'mobile-id', tx));
    return { accountId: account.id, created: account.created };
  });
}
