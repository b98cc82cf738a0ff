import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, textArray, textArrayLiteral, type Db } from '../../platform/db.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { residentSummary } from '../registries/index.ts';
import { CONFIGURATIONS } from './documents.ts';
import { OAuthError } from './errors.ts';

/**
 * Credential offers (OpenID4VCI 1.0 §4). An official or the citizen's own portal session makes an
 * offer for a citizen; the wallet redeems its pre-authorized code at the token endpoint, with the
 * transaction code (6 digits, shown to the citizen on another channel) when one was set, or
 * brings its issuer_state to the authorization endpoint (authorization code grant). Codes and
 * states are stored as keyed hashes; an offer is redeemed once, within OFFER_TTL_MS;
 * MAX_TX_FAILURES wrong transaction codes revoke it.
 */
export const OFFER_TTL_MS = 15 * 60_000;
export const MAX_TX_FAILURES = 5;
const CODE_CONTEXT = 'credentials.pre-authorized-code';
const TX_CONTEXT = 'credentials.tx-code';
const STATE_CONTEXT = 'credentials.issuer-state';

export interface Offer {
  /** openid-credential-offer://?credential_offer=… (by value) */
  uri: string;
  offer: { credential_issuer: string; credential_configuration_ids: string[]; grants: Record<string, unknown> };
  txCode?: string;
  expiresAt: Date;
}

export type OfferGrant = 'pre-authorized_code' | 'authorization_code';

/**
 * Makes an offer for a citizen. `grants` (default: the pre-authorized code alone) may add, or be
 * only, the authorization code grant: the offer then carries an `issuer_state` the wallet sends
 * back in its authorization request, which ties the authorization to this offer and citizen.
 */
export async function createOffer(
  platform: Platform,
  input: { citizenId: string; configurationIds: string[]; txCode?: boolean; grants?: OfferGrant[] },
  createdBy: string,
): Promise<Offer> {
  for (const id of input.configurationIds) if (!CONFIGURATIONS[id]) throw new NotFoundError(`no credential configuration ${id}`, 'unsupported_credential_type');
  if (!(await residentSummary(platform, input.citizenId))) throw new NotFoundError(`no resident ${input.citizenId}`, 'resident_not_found');
  const grants = input.grants?.length ? input.grants : (['pre-authorized_code'] as OfferGrant[]);
  const preAuthorized = grants.includes('pre-authorized_code');
  const code = preAuthorized ? randomBytes(32).toString('base64url') : undefined;
  const issuerState = grants.includes('authorization_code') ? randomBytes(32).toString('base64url') : undefined;
  const txCode = input.txCode === false || !preAuthorized ? undefined : String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(Date.now() + OFFER_TTL_MS);
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`insert into credentials.offer (id, code_hash, issuer_state_hash, citizen_id, configuration_ids, tx_code_hash, created_by, expires_at)
      values (${randomUUID()}::uuid, ${code ? platform.crypto.blindIndex(code, CODE_CONTEXT) : null}, ${issuerState ? platform.crypto.blindIndex(issuerState, STATE_CONTEXT) : null},
        ${input.citizenId}::uuid, ${textArrayLiteral(input.configurationIds)}::text[],
        ${txCode ? platform.crypto.blindIndex(txCode, TX_CONTEXT) : null}, ${createdBy}, ${expiresAt.toISOString()})`);
    await platform.audit.append({ actor: createdBy, action: 'credentials.offer.created', subject: `citizen:${input.citizenId}`, data: { configurations: input.configurationIds, txCode: Boolean(txCode), grants } }, tx);
  });
  const issuer = issuerOf(platform);
  const offerGrants: Record<string, unknown> = {};
  if (code) {
    const grant: Record<string, unknown> = { 'pre-authorized_code': code };
    if (txCode) grant.tx_code = { input_mode: 'numeric', length: 6, description: '하나로에서 받은 6자리 확인 번호 / the 6-digit code Hanaro showed you' };
    offerGrants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] = grant;
  }
  if (issuerState) offerGrants.authorization_code = { issuer_state: issuerState };
  const offer = { credential_issuer: issuer, credential_configuration_ids: input.configurationIds, grants: offerGrants };
  return { uri: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`, offer, txCode, expiresAt };
}

/** The live offer an authorization request's `issuer_state` names (unknown, used, revoked or expired: undefined). */
export async function offerOfIssuerState(platform: Platform, issuerState: string): Promise<{ id: string; citizenId: string; configurationIds: string[] } | undefined> {
  const [o] = await rows<{ id: string; citizen_id: string; configuration_ids: string[] | string }>(
    platform.db,
    sql`select id::text as id, citizen_id::text as citizen_id, configuration_ids from credentials.offer
        where issuer_state_hash = ${platform.crypto.blindIndex(issuerState, STATE_CONTEXT)} and redeemed_at is null and revoked_at is null and expires_at > now()`,
  );
  return o && { id: o.id, citizenId: o.citizen_id, configurationIds: textArray(o.configuration_ids) };
}

/** Spends an offer (its authorization was granted); false when it was used, revoked or expired meanwhile. */
export async function spendOffer(db: Db, offerId: string): Promise<boolean> {
  const r = await rows(db, sql`update credentials.offer set redeemed_at = now() where id = ${offerId}::uuid and redeemed_at is null and revoked_at is null and expires_at > now() returning 1`);
  return r.length > 0;
}

export const issuerOf = (platform: Platform) => platform.config.publicUrl.replace(/\/$/, '');

/**
 * Redeems a pre-authorized code (with its transaction code when the offer has one). Errors are
 * the token endpoint's: `invalid_grant` for an unknown, used or expired code or a wrong
 * transaction code (the offer is revoked after MAX_TX_FAILURES), `invalid_request` when a
 * needed transaction code is missing.
 */
export async function redeemOffer(platform: Platform, code: string, txCode: string | undefined): Promise<{ citizenId: string; configurationIds: string[] }> {
  const [o] = await rows<{ id: string; citizen_id: string; configuration_ids: string[] | string; tx_code_hash: string | null }>(
    platform.db,
    sql`select id::text as id, citizen_id::text as citizen_id, configuration_ids, tx_code_hash from credentials.offer
        where code_hash = ${platform.crypto.blindIndex(code, CODE_CONTEXT)} and redeemed_at is null and revoked_at is null and expires_at > now()`,
  );
  if (!o) throw new OAuthError(400, 'invalid_grant', 'the pre-authorized code is unknown, used or expired');
  if (o.tx_code_hash) {
    if (!txCode) throw new OAuthError(400, 'invalid_request', 'this offer needs its transaction code (tx_code)');
    if (platform.crypto.blindIndex(txCode, TX_CONTEXT) !== o.tx_code_hash) {
      const [f] = await rows<{ tx_failures: number }>(
        platform.db,
        sql`update credentials.offer set tx_failures = tx_failures + 1, revoked_at = case when tx_failures + 1 >= ${MAX_TX_FAILURES} then now() end
            where id = ${o.id}::uuid returning tx_failures`,
      );
      if (f && f.tx_failures >= MAX_TX_FAILURES) {
        await platform.audit.append({ actor: 'wallet', action: 'credentials.offer.locked', subject: `citizen:${o.citizen_id}`, data: { failures: f.tx_failures } });
      }
      throw new OAuthError(400, 'invalid_grant', 'the transaction code is not right');
    }
  }
  // once, whatever two wallets do at once
  const spent = await rows(platform.db, sql`update credentials.offer set redeemed_at = now() where id = ${o.id}::uuid and redeemed_at is null and revoked_at is null returning 1`);
  if (!spent.length) throw new OAuthError(400, 'invalid_grant', 'the pre-authorized code is unknown, used or expired');
  return { citizenId: o.citizen_id, configurationIds: textArray(o.configuration_ids) };
}
