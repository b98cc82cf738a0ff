import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import type { Lang } from '../../platform/i18n.ts';
import { findAgreement, type Agreement } from './agreements.ts';
import type { ConsentRecord } from './consents.ts';
import { findIndividual, individualSignatureOf, latestSigned, type Individual, type StoredSignature, type Webhook } from './govstack-store.ts';
import { findPolicy, type Policy } from './policies.ts';
import { findRevision, revisionsOf, signatureOf, type Revision, type Signature } from './revisions.ts';

/**
 * Presenters for the GovStack Consent API: our objects in the building block's shapes
 * (specs/govstack/consent/consent-openapi.yaml, components.schemas), plus Hanaro's own fields
 * where the building block has none (marked "Hanaro extension" in docs/mydata.md). The
 * building block's foreign keys ($ref to another schema) are embedded objects. Optional fields
 * without a value are left out, never null (the schemas type them as plain strings).
 */

export const GOVSTACK_CONSENT = '/govstack/consent';

export const Page = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type Page = z.infer<typeof Page>;

const opt = <K extends string, V>(k: K, v: V | null | undefined): Partial<Record<K, V>> => (v === null || v === undefined ? {} : ({ [k]: v } as Record<K, V>));

export function presentPolicy(p: Policy) {
  return {
    id: p.id,
    name: p.name,
    version: String(p.version),
    url: p.url,
    jurisdiction: p.jurisdiction,
    ...opt('industrySector', p.industrySector),
    dataRetentionPeriodDays: p.dataRetentionPeriodDays,
    ...opt('geographicRestriction', p.geographicRestriction),
    ...opt('storageLocation', p.storageLocation),
    // Hanaro extensions
    thirdPartyDataSharing: p.thirdPartyDataSharing,
    controller: p.controller,
    ...(p.deleted ? { deleted: true } : {}),
  };
}

function revisionFields(r: Revision) {
  return {
    id: r.id,
    schemaName: r.schemaName,
    objectId: r.objectId,
    signedWithoutObjectId: r.signedWithoutObjectId,
    serializedSnapshot: r.serializedSnapshot,
    serializedHash: r.serializedHash,
    timestamp: r.timestamp,
    ...(r.authorizedByIndividual ? { authorizedByIndividual: { id: r.authorizedByIndividual } } : {}),
    ...opt('authorizedByOther', r.authorizedByOther),
    ...opt('predecessorHash', r.predecessorHash),
    ...opt('predecessorSignature', r.predecessorSignature),
  };
}

/** A revision; its successor (when there is one) is embedded one level deep, without the successor's own successor. */
export function presentRevision(r: Revision, successor?: Revision) {
  return { ...revisionFields(r), ...(successor ? { successor: revisionFields(successor) } : {}) };
}

export function presentSignature(s: Signature | StoredSignature) {
  return { ...s };
}

export type View = Record<string, unknown>;

export function presentIndividual(i: Individual, full: boolean) {
  if (!full) return { id: i.id };
  return { id: i.id, ...opt('externalId', i.externalId), ...opt('externalIdType', i.externalIdType), ...opt('identityProviderId', i.identityProviderId) };
}

/** A webhook; its secret key only when `secret` (just set), otherwise masked. */
export function presentWebhook(w: Webhook, secret = false) {
  return {
    id: w.id,
    payloadUrl: w.payloadUrl,
    contentType: w.contentType,
    disabled: w.disabled,
    secretKey: secret ? w.secretKey : '********',
    // Hanaro extensions
    events: w.events,
    ...opt('recipientId', w.recipientId),
    createdAt: w.createdAt,
  };
}

const LIFECYCLE = { draft: { id: 'draft', name: 'Draft' }, complete: { id: 'complete', name: 'Complete' } } as const;

/**
 * Presents within one request, remembering what it looked up (policies, agreements, their
 * revisions) so that lists do not ask again for what several items share.
 */
export function presenter(db: Db, opts: { lang: Lang; fullIndividuals: boolean }) {
  const policies = new Map<string, Promise<Policy | undefined>>();
  const agreementRevisions = new Map<string, Promise<Revision[]>>();
  const agreements = new Map<string, Promise<Agreement | undefined>>();

  const policyOf = (id: string) => {
    let p = policies.get(id);
    if (!p) policies.set(id, (p = findPolicy(db, id)));
    return p;
  };
  const agreementRevisionsOf = (id: string) => {
    let r = agreementRevisions.get(id);
    if (!r) agreementRevisions.set(id, (r = revisionsOf(db, 'dataAgreement', id)));
    return r;
  };

  /** A revision with its successor looked up. */
  async function revision(r: Revision) {
    return presentRevision(r, r.successor ? await findRevision(db, r.successor) : undefined);
  }

  async function agreement(a: Agreement): Promise<View> {
    const policy = a.policyId ? await policyOf(a.policyId) : undefined;
    const revs = await agreementRevisionsOf(a.id);
    const latest = revs.at(-1);
    const signature = latest ? await signatureOf(db, latest.id) : undefined;
    const r = a.recipient;
    return {
      id: a.id,
      version: String(a.version),
      controller: { id: r.id, name: r.name[opts.lang], url: r.url ?? '' },
      ...(policy ? { policy: presentPolicy(policy) } : {}),
      purpose: a.purpose[opts.lang],
      lawfulBasis: a.lawfulBasis,
      ...opt('dataUse', a.dataUse),
      dpia: a.dpia,
      active: a.active,
      forgettable: a.forgettable,
      lifecycle: LIFECYCLE[a.lifecycle],
      ...(signature ? { signature: presentSignature(signature) } : {}),
      // Hanaro extensions
      purposeLocalized: a.purpose,
      description: a.description,
      ...opt('legalReference', a.legalReference),
      items: a.items,
      modes: a.modes,
      maxValidityDays: a.maxValidityDays,
      retentionDays: a.retentionDays,
      revisionHash: a.revisionHash,
    };
  }

  /** An agreement and its latest revision, as the config and service reads answer. */
  async function agreementWithRevision(a: Agreement): Promise<{ dataAgreement: View; revision?: View }> {
    const latest = (await agreementRevisionsOf(a.id)).at(-1);
    return { dataAgreement: await agreement(a), ...(latest ? { revision: await revision(latest) } : {}) };
  }

  async function agreementById(id: string): Promise<View | undefined> {
    let a = agreements.get(id);
    if (!a) agreements.set(id, (a = findAgreement(db, id)));
    const found = await a;
    return found && agreement(found);
  }

  async function record(c: ConsentRecord): Promise<View> {
    const agreementRevision = (await agreementRevisionsOf(c.agreementId)).find((r) => r.serializedHash === c.agreementRevisionHash);
    const individual = await findIndividual(db, c.individualId);
    const signed = await latestSigned(db, 'consentRecord', c.id);
    const own = await individualSignatureOf(db, c.id);
    const dataAgreement = await agreementById(c.agreementId);
    return {
      id: c.id,
      ...(dataAgreement ? { dataAgreement } : {}),
      ...(agreementRevision ? { dataAgreementRevision: presentRevision(agreementRevision) } : {}),
      dataAgreementRevisionHash: c.agreementRevisionHash,
      individual: individual ? presentIndividual(individual, opts.fullIndividuals) : { id: c.individualId },
      optIn: c.optIn,
      state: c.state,
      ...(signed ? { signature: presentSignature(signed.signature) } : {}),
      // Hanaro extensions
      dataAgreementId: c.agreementId,
      dataAgreementVersion: c.agreementVersion,
      recipientId: c.recipient.id,
      items: c.items,
      mode: c.mode,
      ...opt('intervalDays', c.intervalDays),
      validFrom: c.validFrom,
      validUntil: c.validUntil,
      ...opt('lastTransferAt', c.lastTransferAt),
      ...(own ? { individualSignature: presentSignature(own) } : {}),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  /** A record and its latest revision. */
  async function recordWithRevision(c: ConsentRecord): Promise<{ consentRecord: View; revision?: View }> {
    const latest = (await revisionsOf(db, 'consentRecord', c.id)).at(-1);
    return { consentRecord: await record(c), ...(latest ? { revision: await revision(latest) } : {}) };
  }

  return { revision, agreement, agreementWithRevision, record, recordWithRevision, agreementRevisionsOf };
}
export type Presenter = ReturnType<typeof presenter>;
