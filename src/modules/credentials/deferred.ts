import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import { rows, type Db } from '../../platform/db.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { CONFIGURATIONS } from './documents.ts';
import { OAuthError } from './errors.ts';
import { issueSdJwt } from './issuer.ts';
import { issueMdoc } from './mdoc.ts';
import type { Grant } from './tokens.ts';

/**
 * Deferred issuance (OpenID4VCI 1.0 §9) for documents an official must approve first (a
 * configuration's `approval`): the credential endpoint checks the key proofs, keeps the request
 * and answers 202 with a transaction id; the approving agency's case workers decide in the
 * console; on approval the credentials are issued at once through the usual path (claims read
 * from the registries then) and kept, sealed, until the wallet's next poll of the deferred
 * credential endpoint, which delivers them once.
 */
export const DEFERRED_TTL_MS = 30 * 86400_000;
/** Seconds a wallet should wait between polls. */
export const DEFERRED_INTERVAL_S = 600;
/** Requests one citizen may have waiting for the same document. */
export const MAX_PENDING = 3;
const TRANSACTION_CONTEXT = 'credentials.deferred-transaction';
const SEAL_CONTEXT = 'credentials.deferred-credentials';

export type DeferredStatus = 'pending' | 'issuing' | 'approved' | 'refused' | 'delivered';

/** Keeps a credential request for the approving agency; returns the wallet's transaction id. */
export async function requestDeferred(platform: Platform, input: { citizenId: string; configurationId: string; holders: JWK[] }): Promise<string> {
  const agency = CONFIGURATIONS[input.configurationId]?.approval?.agency;
  if (!agency) throw new Error(`${input.configurationId} needs no approval`);
  const transactionId = randomBytes(32).toString('base64url');
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [{ n }] = (await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from credentials.deferred_request where citizen_id = ${input.citizenId}::uuid and configuration_id = ${input.configurationId}
          and status in ('pending', 'issuing') and expires_at > now()`,
    )) as [{ n: number }];
    if (n >= MAX_PENDING) throw new OAuthError(400, 'credential_request_denied', `${MAX_PENDING} requests for this document are already waiting for a decision`);
    await tx.execute(sql`insert into credentials.deferred_request (id, transaction_hash, citizen_id, configuration_id, agency, holder_keys, expires_at)
      values (${randomUUID()}::uuid, ${platform.crypto.blindIndex(transactionId, TRANSACTION_CONTEXT)}, ${input.citizenId}::uuid, ${input.configurationId}, ${agency},
        ${JSON.stringify(input.holders)}::jsonb, ${new Date(Date.now() + DEFERRED_TTL_MS).toISOString()})`);
    await platform.audit.append({ actor: `citizen:${input.citizenId}`, action: 'credentials.deferred.requested', subject: `citizen:${input.citizenId}`, data: { configuration: input.configurationId, agency, keys: input.holders.length } }, tx);
  });
  return transactionId;
}

/**
 * The wallet's poll (deferred credential endpoint): the credentials once approved (delivered once,
 * then dropped), `pending` while the agency decides, `credential_request_denied` after a refusal,
 * `invalid_transaction_id` for an unknown, delivered or expired transaction or another citizen's.
 */
export async function collectDeferred(platform: Platform, transactionId: string, grant: Grant): Promise<{ pending: true } | { pending: false; credentials: string[] }> {
  const hash = platform.crypto.blindIndex(transactionId, TRANSACTION_CONTEXT);
  const [r] = await rows<{ id: string; citizen_id: string; configuration_id: string; status: DeferredStatus }>(
    platform.db,
    sql`select id::text as id, citizen_id::text as citizen_id, configuration_id, status from credentials.deferred_request
        where transaction_hash = ${hash} and expires_at > now() and status <> 'delivered'`,
  );
  if (!r || r.citizen_id !== grant.citizenId) throw new OAuthError(400, 'invalid_transaction_id', 'the transaction_id is unknown, expired or was already collected');
  if (!grant.configurationIds.includes(r.configuration_id)) throw new OAuthError(403, 'insufficient_scope', 'the access token was not granted this credential');
  if (r.status === 'refused') throw new OAuthError(400, 'credential_request_denied', 'the approving agency refused the request');
  if (r.status !== 'approved') return { pending: true };
  // once, whatever two polls do at once
  const [d] = await rows<{ credentials: string }>(
    platform.db,
    sql`with taken as (select id, credentials from credentials.deferred_request where id = ${r.id}::uuid and status = 'approved' for update)
        update credentials.deferred_request d set status = 'delivered', delivered_at = now(), credentials = null
        from taken where d.id = taken.id returning taken.credentials as credentials`,
  );
  if (!d) throw new OAuthError(400, 'invalid_transaction_id', 'the transaction_id is unknown, expired or was already collected');
  await platform.audit.append({ actor: 'wallet', action: 'credentials.deferred.delivered', subject: `citizen:${r.citizen_id}`, data: { request: r.id, configuration: r.configuration_id } });
  return { pending: false, credentials: JSON.parse(platform.crypto.decrypt(d.credentials, SEAL_CONTEXT)) as string[] };
}

export interface DeferredRequest {
  id: string;
  citizenId: string;
  configurationId: string;
  status: DeferredStatus;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
}

type Row = { id: string; citizen_id: string; configuration_id: string; status: DeferredStatus; created_at: string | Date; decided_at: string | Date | null; decided_by: string | null; reason: string | null };
const view = (r: Row): DeferredRequest => ({
  id: r.id,
  citizenId: r.citizen_id,
  configurationId: r.configuration_id,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  ...(r.decided_at ? { decidedAt: new Date(r.decided_at).toISOString() } : {}),
  ...(r.decided_by ? { decidedBy: r.decided_by } : {}),
  ...(r.reason ? { reason: r.reason } : {}),
});
const COLUMNS = sql`id::text as id, citizen_id::text as citizen_id, configuration_id, status, created_at, decided_at, decided_by, reason`;

/** An agency's queue (oldest first) and its latest decisions. */
export async function agencyQueue(platform: Platform, agency: string): Promise<{ pending: DeferredRequest[]; decided: DeferredRequest[] }> {
  const pending = await rows<Row>(platform.db, sql`select ${COLUMNS} from credentials.deferred_request where agency = ${agency} and status = 'pending' and expires_at > now() order by created_at limit 100`);
  const decided = await rows<Row>(
    platform.db,
    sql`select ${COLUMNS} from credentials.deferred_request where agency = ${agency} and decided_at is not null order by decided_at desc limit 20`,
  );
  return { pending: pending.map(view), decided: decided.map(view) };
}

/** A citizen's requests that are not yet in the wallet (waiting, approved but not collected, refused), newest first. */
export async function deferredOf(platform: Platform, citizenId: string): Promise<DeferredRequest[]> {
  const r = await rows<Row>(
    platform.db,
    sql`select ${COLUMNS} from credentials.deferred_request where citizen_id = ${citizenId}::uuid and status <> 'delivered' and expires_at > now() order by created_at desc limit 50`,
  );
  return r.map(view);
}

/**
 * An official's decision on a request of their agency. Approval issues the credentials now (the
 * claims read from the registries as for any issuance) and keeps them sealed for the wallet; a
 * registry that holds nothing for the person turns the approval into a refusal. Returns what
 * happened; 404 for another agency's or an unknown request, 409 for one already decided.
 */
export async function decideDeferred(platform: Platform, input: { id: string; agency: string; approve: boolean; reason?: string }, actor: string): Promise<'approved' | 'refused' | 'denied'> {
  const claim = await rows<{ citizen_id: string; configuration_id: string; holder_keys: unknown }>(
    platform.db,
    input.approve
      ? sql`update credentials.deferred_request set status = 'issuing' where id = ${input.id}::uuid and agency = ${input.agency} and status = 'pending' and expires_at > now()
            returning citizen_id::text as citizen_id, configuration_id, holder_keys`
      : sql`update credentials.deferred_request set status = 'refused', decided_by = ${actor}, decided_at = now(), reason = ${input.reason?.trim().slice(0, 300) || null}
            where id = ${input.id}::uuid and agency = ${input.agency} and status = 'pending' and expires_at > now() returning citizen_id::text as citizen_id, configuration_id, holder_keys`,
  );
  const r = claim[0];
  if (!r) {
    const [exists] = await rows(platform.db, sql`select 1 from credentials.deferred_request where id = ${input.id}::uuid and agency = ${input.agency}`);
    if (exists) throw new ConflictError('this request was already decided or has expired', 'already_decided');
    throw new NotFoundError('no such request for this agency', 'request_not_found');
  }
  const subject = `citizen:${r.citizen_id}`;
  if (!input.approve) {
    await platform.audit.append({ actor, action: 'credentials.deferred.refused', subject, data: { request: input.id, configuration: r.configuration_id, reason: input.reason?.trim() || null } });
    return 'refused';
  }
  const holders = (typeof r.holder_keys === 'string' ? JSON.parse(r.holder_keys) : r.holder_keys) as JWK[];
  const issue = CONFIGURATIONS[r.configuration_id]!.format === 'mso_mdoc' ? issueMdoc : issueSdJwt;
  const credentials: string[] = [];
  try {
    for (const holder of holders) credentials.push((await issue(platform, r.citizen_id, r.configuration_id, holder)).credential);
  } catch (e) {
    if (e instanceof OAuthError && e.error === 'credential_request_denied') {
      await platform.db.execute(sql`update credentials.deferred_request set status = 'refused', decided_by = ${actor}, decided_at = now(), reason = ${e.description.slice(0, 300)} where id = ${input.id}::uuid`);
      await platform.audit.append({ actor, action: 'credentials.deferred.refused', subject, data: { request: input.id, configuration: r.configuration_id, reason: e.description } });
      return 'denied';
    }
    // nothing decided: back in the queue
    await platform.db.execute(sql`update credentials.deferred_request set status = 'pending' where id = ${input.id}::uuid and status = 'issuing'`);
    throw e;
  }
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`update credentials.deferred_request set status = 'approved', decided_by = ${actor}, decided_at = now(),
      credentials = ${platform.crypto.encrypt(JSON.stringify(credentials), SEAL_CONTEXT)} where id = ${input.id}::uuid`);
    await platform.audit.append({ actor, action: 'credentials.deferred.approved', subject, data: { request: input.id, configuration: r.configuration_id, issued: credentials.length } }, tx);
  });
  return 'approved';
}
