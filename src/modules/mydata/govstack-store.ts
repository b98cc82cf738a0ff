import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, textArray, type Db } from '../../platform/db.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { checkWebhookUrl, webhookSecretContext } from './webhooks.ts';
import { appendRevision, hashText, revisionsOf, signatureOf, toSignature, type Revision, type Signature, type SignatureRow } from './revisions.ts';

/**
 * What only the GovStack Consent API needs stored: Individuals as objects of their own, webhooks,
 * the individual's own signatures over a consent record's revision, and the right to be forgotten
 * (deleting the consent records of forgettable agreements that no longer count).
 */

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const iso = (v: string | Date) => new Date(v).toISOString();

// ---- individuals --------------------------------------------------------------------------------

export interface Individual {
  id: string;
  externalId: string | null;
  externalIdType: string | null;
  identityProviderId: string | null;
  createdAt: string;
}

interface IndividualRow {
  id: string;
  external_id: string | null;
  external_id_type: string | null;
  identity_provider_id: string | null;
  created_at: string;
}

const toIndividual = (r: IndividualRow): Individual => ({
  id: r.id,
  externalId: r.external_id,
  externalIdType: r.external_id_type,
  identityProviderId: r.identity_provider_id,
  createdAt: iso(r.created_at),
});

const INDIVIDUAL_SELECT = sql`select i.id::text as id, i.external_id, i.external_id_type, i.identity_provider_id, i.created_at from mydata.individual i`;

export const NewIndividual = z.object({
  externalId: z.string().min(1).max(200).optional(),
  externalIdType: z.string().min(1).max(64).optional(),
  identityProviderId: z.string().min(1).max(200).optional(),
});
export type NewIndividual = z.infer<typeof NewIndividual>;

export async function findIndividual(db: Db, id: string): Promise<Individual | undefined> {
  if (!isUuid(id)) return undefined;
  const [r] = await rows<IndividualRow>(db, sql`${INDIVIDUAL_SELECT} where i.id = ${id.toLowerCase()}::uuid`);
  return r && toIndividual(r);
}

export async function getIndividual(db: Db, id: string): Promise<Individual> {
  const found = await findIndividual(db, id);
  if (!found) throw new NotFoundError(`no individual ${id}`, 'individual_not_found');
  return found;
}

/** Creates an Individual; 409 when one with the same external id and type exists. */
export async function createIndividual(platform: Platform, input: NewIndividual, actor: string): Promise<Individual> {
  const id = randomUUID();
  const made = await rows<{ id: string }>(
    platform.db,
    sql`insert into mydata.individual (id, external_id, external_id_type, identity_provider_id)
        values (${id}, ${input.externalId ?? null}, ${input.externalIdType ?? null}, ${input.identityProviderId ?? null})
        on conflict do nothing returning id::text as id`,
  );
  if (!made[0]) throw new ConflictError('an individual with this external id and type exists already', 'individual_exists');
  await platform.audit.append({ actor, action: 'mydata.individual.created', subject: `mydata.individual:${id}`, data: { externalIdType: input.externalIdType ?? null } });
  return getIndividual(platform.db, id);
}

/** Only the identity provider can change: the external id ties the Individual to a citizen. */
export async function updateIndividual(platform: Platform, id: string, identityProviderId: string | null, actor: string): Promise<Individual> {
  await platform.db.execute(sql`update mydata.individual set identity_provider_id = ${identityProviderId} where id = ${id.toLowerCase()}::uuid`);
  await platform.audit.append({ actor, action: 'mydata.individual.updated', subject: `mydata.individual:${id.toLowerCase()}` });
  return getIndividual(platform.db, id);
}

/** Individuals, all or those who gave a consent to `recipientId`'s agreements. */
export async function listIndividuals(db: Db, opts: { recipientId?: string; offset?: number; limit?: number } = {}): Promise<Individual[]> {
  const where = opts.recipientId
    ? sql`where exists (select 1 from mydata.consent_record c where c.individual_id = i.id and c.recipient_id = ${opts.recipientId})`
    : sql``;
  const found = await rows<IndividualRow>(db, sql`${INDIVIDUAL_SELECT} ${where} order by i.created_at, i.id offset ${opts.offset ?? 0} limit ${Math.min(opts.limit ?? 100, 500)}`);
  return found.map(toIndividual);
}

/** Whether the individual gave any consent to one of the recipient's agreements. */
export async function consentedTo(db: Db, individualId: string, recipientId: string): Promise<boolean> {
  if (!isUuid(individualId)) return false;
  const [r] = await rows(db, sql`select 1 from mydata.consent_record where individual_id = ${individualId.toLowerCase()}::uuid and recipient_id = ${recipientId} limit 1`);
  return Boolean(r);
}

// ---- webhooks -----------------------------------------------------------------------------------

export const WEBHOOK_EVENTS = [
  'consent.given',
  'consent.withdrawn',
  'consent.expired',
  'consent.fulfilled',
  'consent.deleted',
  'dataAgreement.created',
  'dataAgreement.updated',
  'dataAgreement.deleted',
  'policy.created',
  'policy.updated',
  'policy.deleted',
] as const;

export interface Webhook {
  id: string;
  recipientId: string | null;
  payloadUrl: string;
  contentType: string;
  secretKey: string;
  events: string[];
  disabled: boolean;
  createdAt: string;
}

export const NewWebhook = z.object({
  payloadUrl: z
    .string()
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u), 'an http(s) URL'),
  contentType: z.literal('application/json').default('application/json'),
  secretKey: z.string().min(16).max(200).optional().describe('Made up when left out; shown in full only when set'),
  disabled: z.boolean().default(false),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional().describe('Hanaro extension: the events to be told of (default all)'),
});
export type NewWebhook = z.input<typeof NewWebhook>;

interface WebhookRow {
  id: string;
  recipient_id: string | null;
  payload_url: string;
  content_type: string;
  secret_key: string;
  events: string[] | string;
  disabled: boolean;
  created_at: string;
}

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  recipientId: r.recipient_id,
  payloadUrl: r.payload_url,
  contentType: r.content_type,
  secretKey: r.secret_key,
  events: textArray(r.events),
  disabled: r.disabled,
  createdAt: iso(r.created_at),
});
const WEBHOOK_SELECT = sql`select w.*, w.id::text as id from mydata.webhook w`;
const eventsLiteral = (events: readonly string[]) => `{${events.join(',')}}`;

export async function findWebhook(db: Db, id: string): Promise<Webhook | undefined> {
  if (!isUuid(id)) return undefined;
  const [r] = await rows<WebhookRow>(db, sql`${WEBHOOK_SELECT} where w.id = ${id.toLowerCase()}::uuid`);
  return r && toWebhook(r);
}

export async function getWebhook(db: Db, id: string): Promise<Webhook> {
  const w = await findWebhook(db, id);
  if (!w) throw new NotFoundError(`no webhook ${id}`, 'webhook_not_found');
  return w;
}

async function refusePrivate(platform: Platform, url: string): Promise<void> {
  const problem = await checkWebhookUrl(url, platform.config.mode === 'production');
  if (problem) throw new BadRequestError(problem, { errors: [{ field: 'payloadUrl', detail: problem }] }, 'webhook_url_refused');
}

export async function createWebhook(platform: Platform, input: NewWebhook, recipientId: string | null, actor: string): Promise<Webhook> {
  const w = NewWebhook.parse(input);
  await refusePrivate(platform, w.payloadUrl);
  const id = randomUUID();
  const secret = w.secretKey ?? `whsec_${randomBytes(32).toString('base64url')}`;
  await platform.db.execute(sql`insert into mydata.webhook (id, recipient_id, payload_url, content_type, secret_key, events, disabled)
    values (${id}, ${recipientId}, ${w.payloadUrl}, ${w.contentType}, ${platform.crypto.encrypt(secret, webhookSecretContext(id))},
      ${eventsLiteral(w.events ?? WEBHOOK_EVENTS)}::text[], ${w.disabled})`);
  await platform.audit.append({ actor, action: 'mydata.webhook.created', subject: `mydata.webhook:${id}`, data: { recipientId } });
  // the secret in clear this once, for the answer that set it
  return { ...(await getWebhook(platform.db, id)), secretKey: secret };
}

/** Replaces a webhook's settings; the secret stays unless a new one is given. */
export async function updateWebhook(platform: Platform, id: string, input: NewWebhook, actor: string): Promise<Webhook> {
  const w = NewWebhook.parse(input);
  const cur = await getWebhook(platform.db, id);
  await refusePrivate(platform, w.payloadUrl);
  await platform.db.execute(sql`update mydata.webhook set payload_url = ${w.payloadUrl}, content_type = ${w.contentType},
      secret_key = ${w.secretKey ? platform.crypto.encrypt(w.secretKey, webhookSecretContext(cur.id)) : cur.secretKey}, events = ${eventsLiteral(w.events ?? cur.events)}::text[], disabled = ${w.disabled}
    where id = ${cur.id}::uuid`);
  await platform.audit.append({ actor, action: 'mydata.webhook.updated', subject: `mydata.webhook:${cur.id}` });
  const updated = await getWebhook(platform.db, id);
  return w.secretKey ? { ...updated, secretKey: w.secretKey } : updated;
}

export async function deleteWebhook(platform: Platform, id: string, actor: string): Promise<void> {
  const cur = await getWebhook(platform.db, id);
  await platform.db.execute(sql`delete from mydata.webhook where id = ${cur.id}::uuid`);
  await platform.audit.append({ actor, action: 'mydata.webhook.deleted', subject: `mydata.webhook:${cur.id}` });
}

export async function listWebhooks(db: Db, opts: { recipientId?: string; offset?: number; limit?: number } = {}): Promise<Webhook[]> {
  const found = await rows<WebhookRow>(
    db,
    sql`${WEBHOOK_SELECT} ${opts.recipientId ? sql`where w.recipient_id = ${opts.recipientId}` : sql``}
        order by w.created_at, w.id offset ${opts.offset ?? 0} limit ${Math.min(opts.limit ?? 100, 500)}`,
  );
  return found.map(toWebhook);
}

// ---- the individual's signatures ----------------------------------------------------------------

/**
 * The individual's signature is chained to the platform's signature of a consent record revision
 * (objectType 'signature', as the building block allows): `revision` rows keep exactly one
 * signature each, the platform's, which the hash chain of revisions.ts relies on.
 */
export interface IndividualSigning {
  signature: string;
  verificationMethod: string;
  verificationSignedBy: string;
  verificationSignedAs: 'individual' | 'delegate';
  verificationArtifact?: string;
  verificationJwsHeader?: string;
}

const SIG_COLUMNS = sql`s.*, s.id::text as id`;
type SigRow = SignatureRow;
export type StoredSignature = Signature;
const toStored = toSignature;

/** The payload the individual signs over a platform signature: it names the signature and its revision's hash. */
export function countersignPayload(platformSignature: Signature): { verificationPayload: string; verificationPayloadHash: string } {
  const verificationPayload = JSON.stringify({
    objectType: 'signature',
    objectReference: platformSignature.id,
    signedPayloadHash: platformSignature.verificationPayloadHash,
  });
  return { verificationPayload, verificationPayloadHash: hashText(verificationPayload) };
}

/** The payload as the building block serializes it (the fields of the signature, without id and signature). */
export function signaturePayload(s: Omit<StoredSignature, 'id' | 'payload' | 'signature'>): string {
  return JSON.stringify({
    verificationPayload: s.verificationPayload,
    verificationPayloadHash: s.verificationPayloadHash,
    verificationMethod: s.verificationMethod,
    verificationArtifact: s.verificationArtifact ?? null,
    verificationSignedBy: s.verificationSignedBy,
    verificationJwsHeader: s.verificationJwsHeader ?? null,
    timestamp: s.timestamp,
    signedWithoutObjectReference: s.signedWithoutObjectReference,
    objectType: s.objectType,
    objectReference: s.objectReference,
  });
}

/** Stores the individual's signature over `payload` chained to the platform's signature `over`. */
export async function storeIndividualSignature(
  db: Db,
  over: Signature,
  payload: { verificationPayload: string; verificationPayloadHash: string; signedWithoutObjectReference?: boolean },
  s: IndividualSigning,
  at = new Date(),
): Promise<StoredSignature> {
  const id = randomUUID();
  const fields = {
    ...payload,
    verificationMethod: s.verificationMethod,
    verificationSignedBy: s.verificationSignedBy,
    verificationSignedAs: s.verificationSignedAs,
    ...(s.verificationArtifact ? { verificationArtifact: s.verificationArtifact } : {}),
    ...(s.verificationJwsHeader ? { verificationJwsHeader: s.verificationJwsHeader } : {}),
    timestamp: at.toISOString(),
    signedWithoutObjectReference: payload.signedWithoutObjectReference ?? false,
    objectType: 'signature' as const,
    objectReference: over.id,
  };
  await db.execute(sql`insert into mydata.signature (id, payload, signature, verification_method, verification_payload, verification_payload_hash,
      verification_signed_by, verification_signed_as, verification_jws_header, timestamp, signed_without_object_reference, object_type, object_reference)
    values (${id}, ${signaturePayload(fields)}, ${s.signature}, ${fields.verificationMethod}, ${fields.verificationPayload}, ${fields.verificationPayloadHash},
      ${fields.verificationSignedBy}, ${fields.verificationSignedAs}, ${s.verificationJwsHeader ?? null}, ${fields.timestamp},
      ${fields.signedWithoutObjectReference}, 'signature', ${over.id})`);
  const [r] = await rows<SigRow>(db, sql`select ${SIG_COLUMNS} from mydata.signature s where s.id = ${id}::uuid`);
  return toStored(r!);
}

/** The individual's latest signature over any revision of a consent record. */
export async function individualSignatureOf(db: Db, consentRecordId: string): Promise<StoredSignature | undefined> {
  const [r] = await rows<SigRow>(
    db,
    sql`select ${SIG_COLUMNS} from mydata.signature s
        where s.object_type = 'signature' and s.object_reference in (
          select p.id::text from mydata.signature p join mydata.revision r on p.object_type = 'revision' and p.object_reference = r.id::text
          where r.schema_name = 'consentRecord' and r.object_id = ${consentRecordId})
        order by s.timestamp desc, s.id limit 1`,
  );
  return r && toStored(r);
}

/** The latest revision of an object and the platform's signature of it. */
export async function latestSigned(db: Db, schema: 'consentRecord' | 'dataAgreement' | 'policy', objectId: string): Promise<{ revision: Revision; signature: Signature } | undefined> {
  const revision = (await revisionsOf(db, schema, objectId)).at(-1);
  if (!revision) return undefined;
  const signature = await signatureOf(db, revision.id);
  return signature && { revision, signature };
}

// ---- right to be forgotten ------------------------------------------------------------------------

/**
 * Deletes a citizen's consent records that no longer count (withdrawn, expired, fulfilled) and
 * whose agreement is forgettable. Each deletion is recorded first as a last revision of the record
 * (the revisions and signatures are append-only evidence and stay; they hold the Individual's id,
 * not the citizen's). Returns the ids deleted.
 */
export async function forgetConsents(platform: Platform, citizenId: string, individualId: string, now = new Date()): Promise<string[]> {
  return platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    const due = await rows<{ id: string; agreement_id: string; state: string }>(
      t,
      sql`select c.id::text as id, c.agreement_id::text as agreement_id, c.state from mydata.consent_record c
          join mydata.data_agreement a on a.id = c.agreement_id
          where c.citizen_id = ${citizenId} and a.forgettable
            and (c.state in ('withdrawn', 'expired', 'fulfilled', 'unsigned') or (c.state = 'given' and c.valid_until <= ${now.toISOString()}))
          order by c.created_at for update of c`,
    );
    for (const d of due) {
      await appendRevision(platform, t, 'consentRecord', d.id, { event: 'deleted', id: d.id, agreementId: d.agreement_id, individualId, state: 'deleted' }, { individual: individualId }, now);
      await t.execute(sql`delete from mydata.consent_record where id = ${d.id}::uuid`);
      await platform.audit.append({ actor: `citizen:${citizenId}`, action: 'mydata.consent.deleted', subject: `mydata.consent_record:${d.id}` }, t);
    }
    return due.map((d) => d.id);
  });
}
