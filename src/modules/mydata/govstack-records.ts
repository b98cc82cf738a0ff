import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { BadRequestError, ConflictError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { findAgreement, ItemGroup, MODES, type Agreement } from './agreements.ts';
import { getConsent, giveConsent, listConsents, withdrawConsent } from './consents.ts';
import { mustBeCitizen, mustControl, serviceCaller, type ServiceCaller } from './govstack-auth.ts';
import { GOVSTACK_CONSENT as P, Page, presentSignature } from './govstack-present.ts';
import { getRecord, individualParam, mustReachRecord, presenterFor } from './govstack-service.ts';
import { countersignPayload, forgetConsents, latestSigned, signaturePayload, storeIndividualSignature, type IndividualSigning } from './govstack-store.ts';
import { hashText } from './revisions.ts';

/**
 * The service/individual/record/… paths: a citizen consents (directly, or from a draft with their
 * own signature), reads, withdraws (optIn false), countersigns and forgets their consent
 * records; a recipient's system reads the records given to its agreements. Every consent goes
 * through giveConsent and every withdrawal through withdrawConsent (consents.ts), so the terms
 * checks, the revisions and the consent gate are the same as for Hanaro's own API.
 */

const TAGS = ['govstack-consent'];
const AgreementId = z.object({ dataAgreementId: z.string().max(200) });
const RecordId = z.object({ consentRecordId: z.string().max(200) });
/** How the individual signs when their client sends nothing else: the signed-in session confirmed it. */
const SESSION_METHOD = 'session';

/** Hanaro extension: which of the agreement's items, how, and for how long (all optional). */
const Terms = z.object({
  items: z.array(ItemGroup).min(1).max(20).optional(),
  mode: z.enum(MODES).optional(),
  intervalDays: z.number().int().min(1).max(366).optional(),
  validityDays: z.number().int().min(1).max(3650).optional(),
});
type Terms = z.infer<typeof Terms>;
const SigningInput = z.object({
  id: z.string().max(200).optional(),
  signature: z.string().max(20_000).optional(),
  verificationMethod: z.string().min(1).max(200).optional(),
  verificationSignedBy: z.string().min(1).max(500).optional(),
  verificationSignedAs: z.enum(['individual', 'delegate']).optional(),
  verificationArtifact: z.string().max(100_000).optional(),
  verificationJwsHeader: z.string().max(2000).optional(),
  verificationPayloadHash: z.string().max(200).optional(),
  objectReference: z.string().max(200).optional(),
});
type SigningInput = z.infer<typeof SigningInput>;
const RecordInput = Terms.extend({
  id: z.string().max(200).optional(),
  dataAgreement: z.object({ id: z.string().max(200) }).optional(),
  dataAgreementId: z.string().max(200).optional().describe('Hanaro extension: instead of dataAgreement.id'),
  dataAgreementRevisionHash: z.string().max(200).optional().describe('When given, the agreement must not have changed since'),
  individual: z.object({ id: z.string().max(200) }).optional(),
  optIn: z.boolean().optional(),
});

/** The terms with the defaults giveConsent would apply, made explicit so that what is signed is what is stored. */
function settle(a: Agreement, t: Terms) {
  const mode = t.mode ?? (a.modes.includes('once') ? 'once' : a.modes[0]!);
  return {
    items: t.items ?? a.items,
    mode,
    ...(mode === 'periodic' ? { intervalDays: t.intervalDays ?? 30 } : t.intervalDays !== undefined ? { intervalDays: t.intervalDays } : {}),
    validityDays: t.validityDays ?? a.maxValidityDays,
  };
}

/** What an individual signs before the record exists: the terms, bound to the agreement's revision hash. */
function termsPayload(a: Agreement, individualId: string, t: ReturnType<typeof settle>) {
  const verificationPayload = JSON.stringify({
    dataAgreementId: a.id,
    dataAgreementRevisionHash: a.revisionHash,
    individualId,
    optIn: true,
    // key order fixed: jsonb and zod give the same groups with their keys in different orders
    items: t.items.map((g) => ({ service: g.service, items: g.items })),
    mode: t.mode,
    intervalDays: t.intervalDays ?? null,
    validityDays: t.validityDays,
  });
  return { verificationPayload, verificationPayloadHash: hashText(verificationPayload) };
}

const signing = (s: SigningInput, individualId: string): IndividualSigning => ({
  signature: s.signature!,
  verificationMethod: s.verificationMethod ?? SESSION_METHOD,
  verificationSignedBy: s.verificationSignedBy ?? `individual:${individualId}`,
  verificationSignedAs: s.verificationSignedAs ?? 'individual',
  ...(s.verificationArtifact ? { verificationArtifact: s.verificationArtifact } : {}),
  ...(s.verificationJwsHeader ? { verificationJwsHeader: s.verificationJwsHeader } : {}),
});

/** An unsaved Signature (id '') for the individual to sign. */
function draftSignature(payload: { verificationPayload: string; verificationPayloadHash: string }, s: SigningInput, individualId: string, objectReference: string) {
  const fields = {
    ...payload,
    verificationMethod: s.verificationMethod ?? SESSION_METHOD,
    verificationSignedBy: s.verificationSignedBy ?? `individual:${individualId}`,
    verificationSignedAs: s.verificationSignedAs ?? ('individual' as const),
    timestamp: new Date().toISOString(),
    signedWithoutObjectReference: objectReference === '',
    objectType: 'signature' as const,
    objectReference,
  };
  return { id: '', payload: signaturePayload(fields), signature: '', ...fields };
}

export async function govstackRecordRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  const agreementOr404 = async (id: string) => {
    const a = await findAgreement(platform.db, id);
    if (!a) throw new NotFoundError(`no data agreement ${id}`, 'agreement_not_found');
    return a;
  };
  const latestAgreementRevisionId = async (a: Agreement) => (await latestSigned(platform.db, 'dataAgreement', a.id))?.revision.id;
  const mustBeCurrent = async (a: Agreement, revisionId?: string, revisionHash?: string) => {
    if (revisionHash !== undefined && revisionHash !== a.revisionHash) throw new ConflictError('the agreement has changed since', 'revision_not_current');
    if (revisionId !== undefined && revisionId.toLowerCase() !== (await latestAgreementRevisionId(a))) throw new ConflictError('not the current revision of the agreement', 'revision_not_current');
  };
  /** The citizen's own record (404 absent, 403 another's). */
  const ownRecord = async (caller: ServiceCaller, id: string) => {
    const c = await getRecord(platform, id);
    mustReachRecord(caller, c);
    return c;
  };
  const platformSignatureOf = async (id: string, db: Db = platform.db) => {
    const s = await latestSigned(db, 'consentRecord', id);
    if (!s) throw new PlatformError('internal_error', 500, 'a consent record without a signed revision');
    return s;
  };

  // ---- giving consent ----------------------------------------------------------------------------
  r.post(
    `${P}/service/individual/record/data-agreement/:dataAgreementId/`,
    {
      schema: {
        tags: TAGS,
        summary: 'The citizen consents to the current revision of a DataAgreement',
        params: AgreementId,
        querystring: z.object({ individualId: z.string().max(200), revisionId: z.string().max(200).optional() }),
        body: Terms.nullish(),
      },
    },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      mustBeCitizen(caller);
      individualParam(req, caller, req.query.individualId);
      const a = await agreementOr404(req.params.dataAgreementId);
      await mustBeCurrent(a, req.query.revisionId);
      const { record } = await giveConsent(platform, caller.citizenId, { agreementId: a.id, ...settle(a, req.body ?? {}) });
      return presenterFor(platform, req, caller).recordWithRevision(record);
    },
  );
  r.get(
    `${P}/service/individual/record/data-agreement/:dataAgreementId/`,
    { schema: { tags: TAGS, summary: 'The Individual\'s current ConsentRecord for a DataAgreement (individualId or X-Individual-Id)', params: AgreementId, querystring: z.object({ individualId: z.string().max(200).optional() }) } },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      const a = await agreementOr404(req.params.dataAgreementId);
      if (caller.kind === 'recipient') mustControl(caller, a.recipient.id);
      const individualId = individualParam(req, caller, req.query.individualId);
      if (!individualId) throw new BadRequestError('name the Individual (individualId or X-Individual-Id)', { errors: [{ field: 'individualId', detail: 'required' }] }, 'individual_required');
      const found = await listConsents(platform.db, { agreementId: a.id, individualId, limit: 500 });
      const latest = found.at(-1);
      if (!latest) throw new NotFoundError('no consent record for this Individual and agreement', 'consent_not_found');
      return { consentRecord: await presenterFor(platform, req, caller).record(latest) };
    },
  );
  r.post(
    `${P}/service/individual/record/consent-record/draft/`,
    {
      schema: {
        tags: TAGS,
        summary: 'An unsaved ConsentRecord and Signature (id "") for the citizen to sign',
        querystring: z.object({ individualId: z.string().max(200), dataAgreementId: z.string().max(200), revisionId: z.string().max(200).optional() }),
        body: Terms.nullish(),
      },
    },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      mustBeCitizen(caller);
      individualParam(req, caller, req.query.individualId);
      const a = await agreementOr404(req.query.dataAgreementId);
      await mustBeCurrent(a, req.query.revisionId);
      if (!a.active || a.lifecycle !== 'complete') throw new BadRequestError('the agreement does not take new consents', undefined, 'agreement_inactive');
      const terms = settle(a, req.body ?? {});
      const present = presenterFor(platform, req, caller);
      const { dataAgreement, revision } = await present.agreementWithRevision(a);
      return {
        consentRecord: {
          id: '',
          dataAgreement,
          ...(revision ? { dataAgreementRevision: revision } : {}),
          dataAgreementRevisionHash: a.revisionHash,
          individual: { id: caller.individualId },
          optIn: true,
          state: 'unsigned',
          ...terms,
        },
        signature: draftSignature(termsPayload(a, caller.individualId, terms), {}, caller.individualId, ''),
      };
    },
  );
  r.post(
    `${P}/service/individual/record/consent-record/`,
    {
      schema: {
        tags: TAGS,
        summary: 'Store a ConsentRecord with the citizen\'s Signature (from a draft)',
        body: z.object({ consentRecord: RecordInput, signature: SigningInput }),
      },
    },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      mustBeCitizen(caller);
      const { consentRecord: input, signature: sig } = req.body;
      const agreementId = input.dataAgreement?.id ?? input.dataAgreementId;
      if (!agreementId) throw new BadRequestError('name the agreement in consentRecord.dataAgreement.id', { errors: [{ field: 'consentRecord/dataAgreement/id', detail: 'required' }] }, 'validation_failed');
      if (input.individual) individualParam(req, caller, input.individual.id);
      if (input.optIn === false) throw new BadRequestError('a refusal is not recorded: give no consent, or withdraw one', undefined, 'opt_out_not_recorded');
      const a = await agreementOr404(agreementId);
      await mustBeCurrent(a, undefined, input.dataAgreementRevisionHash);
      const terms = settle(a, input);
      const payload = termsPayload(a, caller.individualId, terms);
      if (sig.verificationPayloadHash !== undefined && sig.verificationPayloadHash !== payload.verificationPayloadHash) {
        throw new BadRequestError('the signature is over other terms than these', { errors: [{ field: 'signature/verificationPayloadHash', detail: 'does not match the terms' }] }, 'signature_payload_mismatch');
      }
      const { id, own } = await platform.db.transaction(async (tt) => {
        const t = tt as unknown as Db;
        const { record } = await giveConsent(platform, caller.citizenId, { agreementId: a.id, ...terms }, t);
        if (!sig.signature) return { id: record.id, own: undefined };
        const over = await platformSignatureOf(record.id, t);
        const stored = await storeIndividualSignature(t, over.signature, { ...payload, signedWithoutObjectReference: true }, signing(sig, caller.individualId));
        await platform.audit.append({ actor: caller.actor, action: 'mydata.consent.signed', subject: `mydata.consent_record:${record.id}` }, t);
        return { id: record.id, own: stored };
      });
      const present = presenterFor(platform, req, caller);
      const { consentRecord, revision } = await present.recordWithRevision(await getConsent(platform.db, id));
      return { consentRecord, ...(revision ? { revision } : {}), signature: presentSignature(own ?? (await platformSignatureOf(id)).signature) };
    },
  );

  // ---- reading, withdrawing, signing -------------------------------------------------------------
  r.get(
    `${P}/service/individual/record/consent-record/`,
    { schema: { tags: TAGS, summary: 'The Individual\'s ConsentRecords (a recipient\'s: those given to it; individualId or X-Individual-Id)', querystring: Page.extend({ individualId: z.string().max(200).optional() }) } },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      const individualId = individualParam(req, caller, req.query.individualId);
      const found = await listConsents(platform.db, {
        ...(caller.kind === 'recipient' ? { recipientId: caller.recipient.id } : {}),
        ...(individualId ? { individualId } : {}),
        offset: req.query.offset,
        limit: req.query.limit,
      });
      const present = presenterFor(platform, req, caller);
      return { consentRecords: await Promise.all(found.map((c) => present.record(c))) };
    },
  );
  r.put(
    `${P}/service/individual/record/consent-record/:consentRecordId/`,
    { schema: { tags: TAGS, summary: 'Withdraw a ConsentRecord (optIn false): a new Revision', params: RecordId, body: z.object({ consentRecord: z.object({ optIn: z.boolean() }) }) } },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      mustBeCitizen(caller);
      const c = await ownRecord(caller, req.params.consentRecordId);
      let record = c;
      if (!req.body.consentRecord.optIn) record = await withdrawConsent(platform, caller.citizenId, c.id);
      else if (c.state !== 'given') throw new PlatformError('consent_not_active', 409, `the consent is ${c.state}: give a new one instead`);
      return presenterFor(platform, req, caller).recordWithRevision(record);
    },
  );
  r.post(
    `${P}/service/individual/record/consent-record/:consentRecordId/signature/`,
    { schema: { tags: TAGS, summary: 'An unsaved Signature (id "") over the record\'s latest signed Revision, for the citizen to sign', params: RecordId, body: z.object({ signature: SigningInput }) } },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      mustBeCitizen(caller);
      const c = await ownRecord(caller, req.params.consentRecordId);
      const { signature: over } = await platformSignatureOf(c.id);
      return { signature: draftSignature(countersignPayload(over), req.body.signature, caller.individualId, over.id) };
    },
  );
  r.put(
    `${P}/service/individual/record/consent-record/:consentRecordId/signature/`,
    {
      schema: {
        tags: TAGS,
        summary: 'Store the citizen\'s signature over the record\'s latest signed Revision',
        params: RecordId,
        body: z.object({ signature: SigningInput.extend({ signature: z.string().min(1).max(20_000) }) }),
      },
    },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      mustBeCitizen(caller);
      const c = await ownRecord(caller, req.params.consentRecordId);
      const sig = req.body.signature;
      const stored = await platform.db.transaction(async (tt) => {
        const t = tt as unknown as Db;
        const { signature: over } = await platformSignatureOf(c.id, t);
        if (sig.objectReference !== undefined && sig.objectReference !== over.id) throw new ConflictError('the record has changed since: sign its latest revision', 'revision_not_current');
        const payload = countersignPayload(over);
        if (sig.verificationPayloadHash !== undefined && sig.verificationPayloadHash !== payload.verificationPayloadHash) {
          throw new BadRequestError('the signature is over another payload', { errors: [{ field: 'signature/verificationPayloadHash', detail: 'does not match' }] }, 'signature_payload_mismatch');
        }
        const s = await storeIndividualSignature(t, over, payload, signing(sig, caller.individualId));
        await platform.audit.append({ actor: caller.actor, action: 'mydata.consent.signed', subject: `mydata.consent_record:${c.id}` }, t);
        return s;
      });
      return { signature: presentSignature(stored) };
    },
  );
  r.get(
    `${P}/service/individual/record/data-agreement/:dataAgreementId/all/`,
    { schema: { tags: TAGS, summary: 'ConsentRecords given to a DataAgreement: the citizen\'s own, or all for the recipient\'s agreement', params: AgreementId, querystring: Page } },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      const a = await agreementOr404(req.params.dataAgreementId);
      if (caller.kind === 'recipient') mustControl(caller, a.recipient.id);
      const found = await listConsents(platform.db, { agreementId: a.id, ...(caller.kind === 'citizen' ? { individualId: caller.individualId } : {}), offset: req.query.offset, limit: req.query.limit });
      const present = presenterFor(platform, req, caller);
      return { consentRecords: await Promise.all(found.map((c) => present.record(c))) };
    },
  );
  r.delete(`${P}/service/individual/record/`, { schema: { tags: TAGS, summary: 'Right to be forgotten: delete the citizen\'s ended consent records of forgettable agreements' } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    mustBeCitizen(caller);
    return { deleted: await forgetConsents(platform, caller.citizenId, caller.individualId) };
  });
}
