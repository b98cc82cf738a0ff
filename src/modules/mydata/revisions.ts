import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { queueWebhooks } from './webhooks.ts';

/**
 * Revisions and signatures as the GovStack Consent building block models them: every change of a
 * consent record, data agreement or policy is stored as a serialized snapshot with its hash, and
 * the platform signs each revision (a JWS with its ES256 key) over the revision's hash and its
 * predecessor's hash, so the revisions of one object form a signed hash chain. Both tables are
 * append-only (database triggers). `verifyChain` re-checks an object's chain end to end.
 */

export type SchemaName = 'consentRecord' | 'dataAgreement' | 'policy';

export interface Revision {
  id: string;
  schemaName: SchemaName;
  objectId: string;
  signedWithoutObjectId: boolean;
  serializedSnapshot: string;
  serializedHash: string;
  timestamp: string;
  authorizedByIndividual?: string;
  authorizedByOther?: string;
  successor?: string;
  predecessorHash?: string;
  predecessorSignature?: string;
}

export interface Signature {
  id: string;
  payload: string;
  signature: string;
  verificationMethod: string;
  verificationPayload: string;
  verificationPayloadHash: string;
  verificationSignedBy: string;
  verificationSignedAs?: string;
  verificationJwsHeader?: string;
  timestamp: string;
  signedWithoutObjectReference: boolean;
  /** `revision`: the platform's signature of a revision; `signature`: an individual's countersignature of that one. */
  objectType: 'revision' | 'signature';
  objectReference: string;
  verificationArtifact?: string;
}

export const hashText = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64url');
const METHOD = 'JWS ES256 with the platform key (kid in verificationSignedBy, /.well-known/jwks.json)';
const JWS_TYP = 'consent-revision+jwt';

interface RevisionRow {
  id: string;
  schema_name: SchemaName;
  object_id: string;
  seq: number;
  signed_without_object_id: boolean;
  serialized_snapshot: string;
  serialized_hash: string;
  timestamp: string;
  authorized_by_individual: string | null;
  authorized_by_other: string | null;
  predecessor_hash: string | null;
  predecessor_signature: string | null;
  successor: string | null;
}

export interface SignatureRow {
  id: string;
  payload: string;
  signature: string;
  verification_method: string;
  verification_payload: string;
  verification_payload_hash: string;
  verification_signed_by: string;
  verification_signed_as: string | null;
  verification_jws_header: string | null;
  timestamp: string;
  signed_without_object_reference: boolean;
  object_type: 'revision' | 'signature';
  object_reference: string;
}

const iso = (v: string | Date) => new Date(v).toISOString();

interface Signer {
  kid: string;
  privateKey: CryptoKey;
  until: number;
}
const signers = new WeakMap<Platform, Signer>();
const SIGNER_TTL_MS = 60_000;

/**
 * Fetches the platform's signing key for revisions. Call it before opening the transaction that
 * appends revisions: on PGlite a transaction holds the only connection, so the key store cannot be
 * read from inside it. A key rotated meanwhile still verifies (retired keys stay published).
 */
export async function prepareSigning(platform: Platform): Promise<void> {
  const s = signers.get(platform);
  if (s && s.until > Date.now() + 10_000) return;
  const k = await platform.keys.activeKey('ES256');
  signers.set(platform, { kid: k.kid, privateKey: k.privateKey, until: Date.now() + SIGNER_TTL_MS });
}

function signerOf(platform: Platform): Signer {
  const s = signers.get(platform);
  if (!s || s.until <= Date.now()) throw new Error('prepareSigning(platform) must be called before the transaction that appends revisions');
  return s;
}

const toRevision = (r: RevisionRow): Revision => ({
  id: r.id,
  schemaName: r.schema_name,
  objectId: r.object_id,
  signedWithoutObjectId: r.signed_without_object_id,
  serializedSnapshot: r.serialized_snapshot,
  serializedHash: r.serialized_hash,
  timestamp: iso(r.timestamp),
  ...(r.authorized_by_individual ? { authorizedByIndividual: r.authorized_by_individual } : {}),
  ...(r.authorized_by_other ? { authorizedByOther: r.authorized_by_other } : {}),
  ...(r.successor ? { successor: r.successor } : {}),
  ...(r.predecessor_hash ? { predecessorHash: r.predecessor_hash } : {}),
  ...(r.predecessor_signature ? { predecessorSignature: r.predecessor_signature } : {}),
});

const artifactOf = (payload: string) => (JSON.parse(payload) as { verificationArtifact?: string }).verificationArtifact;

export const toSignature = (r: SignatureRow): Signature => ({
  ...(artifactOf(r.payload) ? { verificationArtifact: artifactOf(r.payload)! } : {}),
  id: r.id,
  payload: r.payload,
  signature: r.signature,
  verificationMethod: r.verification_method,
  verificationPayload: r.verification_payload,
  verificationPayloadHash: r.verification_payload_hash,
  verificationSignedBy: r.verification_signed_by,
  ...(r.verification_signed_as ? { verificationSignedAs: r.verification_signed_as } : {}),
  ...(r.verification_jws_header ? { verificationJwsHeader: r.verification_jws_header } : {}),
  timestamp: iso(r.timestamp),
  signedWithoutObjectReference: r.signed_without_object_reference,
  objectType: r.object_type,
  objectReference: r.object_reference,
});

const REVISION_COLUMNS = sql`r.id::text as id, r.schema_name, r.object_id, r.seq, r.signed_without_object_id, r.serialized_snapshot,
  r.serialized_hash, r.timestamp, r.authorized_by_individual::text as authorized_by_individual, r.authorized_by_other,
  r.predecessor_hash, r.predecessor_signature,
  (select s.id::text from mydata.revision s where s.schema_name = r.schema_name and s.object_id = r.object_id and s.seq = r.seq + 1) as successor`;

/**
 * Appends a revision of `objectId` holding `objectData`, signed, chained to the last one. Call it
 * in the transaction that changes the object (after {@link prepareSigning}), after locking the object's row (so two changes of
 * one object cannot take the same place in the chain; the unique (schema, object, seq) stops it
 * anyway).
 */
export async function appendRevision(
  platform: Platform,
  tx: Db,
  schemaName: SchemaName,
  objectId: string,
  objectData: Record<string, unknown>,
  by: { individual?: string; other?: string },
  at = new Date(),
): Promise<{ revision: Revision; signature: Signature }> {
  const [prev] = await rows<{ seq: number; serialized_hash: string; signature: string | null }>(
    tx,
    sql`select r.seq, r.serialized_hash,
          (select s.signature from mydata.signature s where s.object_type = 'revision' and s.object_reference = r.id::text limit 1) as signature
        from mydata.revision r where r.schema_name = ${schemaName} and r.object_id = ${objectId} order by r.seq desc limit 1`,
  );
  const id = randomUUID();
  const timestamp = at.toISOString();
  const snapshot = JSON.stringify({
    objectData,
    schemaName,
    objectId,
    signedWithoutObjectId: false,
    timestamp,
    authorizedByIndividual: by.individual ?? null,
    authorizedByOther: by.other ?? null,
  });
  const serializedHash = hashText(snapshot);
  const seq = prev ? Number(prev.seq) + 1 : 1;
  const predecessorHash = prev?.serialized_hash ?? null;
  const predecessorSignature = prev?.signature ?? null;
  await tx.execute(sql`insert into mydata.revision (id, schema_name, object_id, seq, serialized_snapshot, serialized_hash, timestamp,
      authorized_by_individual, authorized_by_other, predecessor_hash, predecessor_signature)
    values (${id}, ${schemaName}, ${objectId}, ${seq}, ${snapshot}, ${serializedHash}, ${timestamp}, ${by.individual ?? null},
      ${by.other ?? null}, ${predecessorHash}, ${predecessorSignature})`);

  // what is signed: this revision's hash and its predecessor's, so the chain cannot be cut or reordered
  const verificationPayload = JSON.stringify({ objectType: 'revision', objectReference: id, serializedHash, predecessorHash, seq });
  const verificationPayloadHash = hashText(verificationPayload);
  const signer = signerOf(platform);
  const jws = await new SignJWT({ sch: schemaName, obj: objectId, rev: id, seq, hash: serializedHash, prev: predecessorHash, vph: verificationPayloadHash })
    .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: JWS_TYP })
    .setSubject(objectId)
    .setIssuedAt(Math.floor(at.getTime() / 1000))
    .sign(signer.privateKey);
  const header = { kid: signer.kid };
  const sigId = randomUUID();
  const payload = JSON.stringify({
    verificationPayload,
    verificationPayloadHash,
    verificationMethod: METHOD,
    verificationSignedBy: header.kid,
    verificationJwsHeader: jws.split('.')[0],
    timestamp,
    signedWithoutObjectReference: false,
    objectType: 'revision',
    objectReference: id,
  });
  await tx.execute(sql`insert into mydata.signature (id, payload, signature, verification_method, verification_payload, verification_payload_hash,
      verification_signed_by, verification_signed_as, verification_jws_header, timestamp, object_type, object_reference)
    values (${sigId}, ${payload}, ${jws}, ${METHOD}, ${verificationPayload}, ${verificationPayloadHash}, ${header.kid},
      ${by.individual ? 'individual' : 'platform'}, ${jws.split('.')[0]}, ${timestamp}, 'revision', ${id})`);
  // every change is also an event for the webhooks that asked for it, queued in this transaction
  await queueWebhooks(tx, platform.crypto, await recipientOfChange(tx, schemaName, objectId, objectData), eventType(schemaName, seq, objectData), {
    objectType: schemaName,
    objectId,
    revisionId: id,
    serializedHash,
    ...(typeof objectData.state === 'string' ? { state: objectData.state } : {}),
    ...(typeof objectData.agreementId === 'string' ? { agreementId: objectData.agreementId } : {}),
  }, at);
  const [revRow] = await rows<RevisionRow>(tx, sql`select ${REVISION_COLUMNS} from mydata.revision r where r.id = ${id}`);
  const [sigRow] = await rows<SignatureRow>(tx, sql`select * , id::text as id from mydata.signature where id = ${sigId}`);
  return { revision: toRevision(revRow!), signature: toSignature(sigRow!) };
}

/** `consent.given`, `dataAgreement.updated`, `policy.deleted` …: the webhook event a revision stands for. */
function eventType(schemaName: SchemaName, seq: number, data: Record<string, unknown>): string {
  const object = schemaName === 'consentRecord' ? 'consent' : schemaName;
  if (schemaName === 'consentRecord' && typeof data.event === 'string') return `consent.${data.event}`;
  if (data.deleted === true || data.deletedAt) return `${object}.deleted`;
  return `${object}.${seq === 1 ? 'created' : 'updated'}`;
}

/** The recipient whose webhooks hear of a change: the consent's or agreement's recipient, a policy's controller. */
async function recipientOfChange(tx: Db, schemaName: SchemaName, objectId: string, data: Record<string, unknown>): Promise<string | null> {
  if (typeof data.recipientId === 'string') return data.recipientId;
  if (schemaName === 'policy') return typeof data.controller === 'string' && data.controller !== 'platform' ? data.controller : null;
  const [r] = await rows<{ recipient_id: string }>(
    tx,
    schemaName === 'consentRecord'
      ? sql`select recipient_id from mydata.consent_record where id::text = ${objectId}`
      : sql`select recipient_id from mydata.data_agreement where id::text = ${objectId}`,
  );
  return r?.recipient_id ?? null;
}

/** The revisions of one object, oldest first. */
export async function revisionsOf(db: Db, schemaName: SchemaName, objectId: string): Promise<Revision[]> {
  const found = await rows<RevisionRow>(db, sql`select ${REVISION_COLUMNS} from mydata.revision r where r.schema_name = ${schemaName} and r.object_id = ${objectId} order by r.seq`);
  return found.map(toRevision);
}

export async function findRevision(db: Db, id: string): Promise<Revision | undefined> {
  const [r] = await rows<RevisionRow>(db, sql`select ${REVISION_COLUMNS} from mydata.revision r where r.id::text = ${id}`);
  return r && toRevision(r);
}

/** The platform's signature of a revision. */
export async function signatureOf(db: Db, revisionId: string): Promise<Signature | undefined> {
  const [r] = await rows<SignatureRow>(db, sql`select *, id::text as id from mydata.signature where object_type = 'revision' and object_reference = ${revisionId}`);
  return r && toSignature(r);
}

export interface ChainCheck {
  valid: boolean;
  revisions: number;
  /** The first thing wrong, when not valid. */
  problem?: string;
}

/**
 * Re-checks an object's chain: each snapshot hashes to its serializedHash, each predecessorHash is
 * the previous revision's hash, and each signature verifies with the platform's published keys
 * and names this revision, its hash and its predecessor's hash.
 */
export async function verifyChain(platform: Platform, schemaName: SchemaName, objectId: string): Promise<ChainCheck> {
  const revs = await rows<RevisionRow & { signature: string | null }>(
    platform.db,
    sql`select ${REVISION_COLUMNS},
          (select s.signature from mydata.signature s where s.object_type = 'revision' and s.object_reference = r.id::text limit 1) as signature
        from mydata.revision r where r.schema_name = ${schemaName} and r.object_id = ${objectId} order by r.seq`,
  );
  if (!revs.length) return { valid: false, revisions: 0, problem: 'no revisions' };
  const keys = createLocalJWKSet(await platform.keys.jwks());
  let prevHash: string | null = null;
  let prevSig: string | null = null;
  for (const [i, r] of revs.entries()) {
    const n = i + 1;
    if (Number(r.seq) !== n) return { valid: false, revisions: revs.length, problem: `revision ${n} is missing` };
    if (hashText(r.serialized_snapshot) !== r.serialized_hash) return { valid: false, revisions: revs.length, problem: `revision ${n}: the snapshot does not match its hash` };
    if ((r.predecessor_hash ?? null) !== prevHash) return { valid: false, revisions: revs.length, problem: `revision ${n}: the predecessor hash does not match revision ${n - 1}` };
    if ((r.predecessor_signature ?? null) !== prevSig) return { valid: false, revisions: revs.length, problem: `revision ${n}: the predecessor signature does not match revision ${n - 1}` };
    if (!r.signature) return { valid: false, revisions: revs.length, problem: `revision ${n} is not signed` };
    try {
      const { payload } = await jwtVerify(r.signature, keys, { typ: JWS_TYP });
      if (payload.rev !== r.id || payload.hash !== r.serialized_hash || (payload.prev ?? null) !== prevHash || payload.obj !== objectId || payload.seq !== n) {
        return { valid: false, revisions: revs.length, problem: `revision ${n}: the signature is for other contents` };
      }
    } catch {
      return { valid: false, revisions: revs.length, problem: `revision ${n}: the signature does not verify` };
    }
    prevHash = r.serialized_hash;
    prevSig = r.signature;
  }
  return { valid: true, revisions: revs.length };
}
