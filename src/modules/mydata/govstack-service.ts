import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { findAgreement, listAgreements } from './agreements.ts';
import { findConsent, listConsents, type ConsentRecord } from './consents.ts';
import { mustBeCitizen, mustReachIndividual, serviceCaller, type ServiceCaller } from './govstack-auth.ts';
import { GOVSTACK_CONSENT as P, Page, presenter, presentIndividual, presentPolicy } from './govstack-present.ts';
import { getIndividual, listIndividuals, NewIndividual, updateIndividual } from './govstack-store.ts';
import { getPolicy, latestPolicyRevision, policyAt } from './policies.ts';

/**
 * The service/* paths about Individuals, what they consent to (agreements and policies), and the
 * verification reads a recipient's system makes before it processes data. The consent record
 * paths (service/individual/record/…) are in govstack-records.ts.
 */

const TAGS = ['govstack-consent'];
const IndividualId = z.object({ individualId: z.string().max(200) });
const AgreementId = z.object({ dataAgreementId: z.string().max(200) });
const PolicyId = z.object({ policyId: z.string().max(200) });
const RecordId = z.object({ consentRecordId: z.string().max(200) });
const IndividualInput = NewIndividual.extend({ id: z.string().max(200).optional() });

/** A presenter for the caller: recipients see an Individual's id only, never the citizen behind it. */
export const presenterFor = (platform: Platform, req: FastifyRequest, caller: ServiceCaller) =>
  presenter(platform.db, { lang: req.lang, fullIndividuals: caller.kind === 'citizen' });

/** 403 unless the record is the citizen's own, or was given to the recipient. */
export function mustReachRecord(caller: ServiceCaller, c: ConsentRecord): void {
  const ok = caller.kind === 'citizen' ? c.citizenId === caller.citizenId : c.recipient.id === caller.recipient.id;
  if (!ok) throw new ForbiddenError('this consent record is another\'s', 'not_your_consent');
}

export async function getRecord(platform: Platform, id: string): Promise<ConsentRecord> {
  const c = await findConsent(platform.db, id);
  if (!c) throw new NotFoundError('no such consent record', 'consent_not_found');
  return c;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The Individual a call is about: `individualId` (query) or the X-Individual-Id header; a
 * citizen's own by default. Lower-cased; a recipient's malformed one becomes an id nobody has.
 */
export function individualParam(req: FastifyRequest, caller: ServiceCaller, explicit?: string): string | undefined {
  const header = req.headers['x-individual-id'];
  const given = (explicit ?? (typeof header === 'string' && header ? header : undefined))?.toLowerCase();
  if (caller.kind === 'citizen') {
    if (given !== undefined && given !== caller.individualId) throw new ForbiddenError('a citizen acts on their own Individual only', 'not_your_individual');
    return caller.individualId;
  }
  return given === undefined || UUID.test(given) ? given : NOBODY;
}
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** A filter value that is no uuid matches nothing (and never reaches the database as text it cannot take). */
export const uuidFilter = (v: string | undefined) => (v === undefined ? undefined : UUID.test(v.toLowerCase()) ? v.toLowerCase() : NOBODY);

export async function govstackServiceRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  // ---- individuals -------------------------------------------------------------------------------
  r.post(`${P}/service/individual/`, { schema: { tags: TAGS, summary: 'The signed-in citizen\'s Individual (made on first use)', body: z.object({ individual: IndividualInput }) } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    mustBeCitizen(caller);
    const { externalId, externalIdType, identityProviderId } = req.body.individual;
    if ((externalId !== undefined && externalId !== caller.citizenId) || (externalIdType !== undefined && externalIdType !== 'citizen')) {
      throw new ForbiddenError('a citizen\'s Individual stands for the citizen themself', 'not_your_individual');
    }
    const cur = await getIndividual(platform.db, caller.individualId);
    const individual = identityProviderId && identityProviderId !== cur.identityProviderId ? await updateIndividual(platform, cur.id, identityProviderId, caller.actor) : cur;
    return { individual: presentIndividual(individual, true) };
  });
  r.get(`${P}/service/individual/:individualId/`, { schema: { tags: TAGS, summary: 'An Individual: the citizen\'s own, or one who consented to the recipient', params: IndividualId } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    const individual = await getIndividual(platform.db, req.params.individualId);
    await mustReachIndividual(platform, caller, individual.id);
    return { individual: presentIndividual(individual, caller.kind === 'citizen') };
  });
  r.put(`${P}/service/individual/:individualId/`, { schema: { tags: TAGS, summary: 'Update the citizen\'s own Individual (identityProviderId only)', params: IndividualId, body: z.object({ individual: IndividualInput }) } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    mustBeCitizen(caller);
    const cur = await getIndividual(platform.db, req.params.individualId);
    await mustReachIndividual(platform, caller, cur.id);
    const { externalId, externalIdType, identityProviderId } = req.body.individual;
    const errors = [
      ...(externalId !== undefined && externalId !== cur.externalId ? [{ field: 'individual/externalId', detail: 'immutable' }] : []),
      ...(externalIdType !== undefined && externalIdType !== cur.externalIdType ? [{ field: 'individual/externalIdType', detail: 'immutable' }] : []),
    ];
    if (errors.length) throw new BadRequestError('the external id ties the Individual to the citizen', { errors }, 'individual_immutable');
    const individual = identityProviderId !== undefined ? await updateIndividual(platform, cur.id, identityProviderId, caller.actor) : cur;
    return { individual: presentIndividual(individual, true) };
  });
  r.get(`${P}/service/individuals/`, { schema: { tags: TAGS, summary: 'The citizen\'s own Individual, or those who consented to the recipient', querystring: Page } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    if (caller.kind === 'citizen') return { individuals: [presentIndividual(await getIndividual(platform.db, caller.individualId), true)] };
    return { individuals: (await listIndividuals(platform.db, { recipientId: caller.recipient.id, ...req.query })).map((i) => presentIndividual(i, false)) };
  });

  // ---- what is consented to ----------------------------------------------------------------------
  r.get(`${P}/service/data-agreement/:dataAgreementId/`, { schema: { tags: TAGS, summary: 'The latest version of a DataAgreement and its Revision', params: AgreementId } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    const a = await findAgreement(platform.db, req.params.dataAgreementId);
    if (!a) throw new NotFoundError(`no data agreement ${req.params.dataAgreementId}`, 'agreement_not_found');
    if (caller.kind === 'recipient' && a.recipient.id !== caller.recipient.id) throw new ForbiddenError('this agreement is another recipient\'s', 'not_controller');
    return presenterFor(platform, req, caller).agreementWithRevision(a);
  });
  r.get(`${P}/service/policy/:policyId/`, { schema: { tags: TAGS, summary: 'A Policy and its latest Revision (or as of revisionId)', params: PolicyId, querystring: z.object({ revisionId: z.string().max(200).optional() }) } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    const p = await getPolicy(platform.db, req.params.policyId);
    const present = presenterFor(platform, req, caller);
    if (req.query.revisionId) {
      const at = await policyAt(platform.db, p.id, req.query.revisionId);
      if (!at) throw new NotFoundError(`policy ${p.id} has no revision ${req.query.revisionId}`, 'revision_not_found');
      return { policy: presentPolicy(at.policy), revision: await present.revision(at.revision) };
    }
    const latest = await latestPolicyRevision(platform.db, p.id);
    return { policy: presentPolicy(p), ...(latest ? { revision: await present.revision(latest) } : {}) };
  });

  // ---- verification ------------------------------------------------------------------------------
  r.get(`${P}/service/verification/data-agreements/`, { schema: { tags: TAGS, summary: 'DataAgreements: the recipient\'s own, or for a citizen all that are offered', querystring: Page } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    const found = await listAgreements(platform.db, { ...(caller.kind === 'recipient' ? { recipientId: caller.recipient.id } : {}), ...req.query });
    const present = presenterFor(platform, req, caller);
    return { dataAgreements: await Promise.all(found.map((a) => present.agreement(a))) };
  });
  r.get(
    `${P}/service/verification/consent-records/`,
    {
      schema: {
        tags: TAGS,
        summary: 'ConsentRecords (current state): the citizen\'s own, or those given to the recipient; filter by individualId and dataAgreementId (Hanaro extension)',
        querystring: Page.extend({ individualId: z.string().max(200).optional(), dataAgreementId: z.string().max(200).optional() }),
      },
    },
    async (req) => {
      const caller = await serviceCaller(platform, req);
      const individualId = individualParam(req, caller, req.query.individualId);
      const found = await listConsents(platform.db, {
        ...(caller.kind === 'recipient' ? { recipientId: caller.recipient.id } : {}),
        ...(individualId ? { individualId } : {}),
        ...(req.query.dataAgreementId ? { agreementId: uuidFilter(req.query.dataAgreementId) } : {}),
        offset: req.query.offset,
        limit: req.query.limit,
      });
      const present = presenterFor(platform, req, caller);
      return { consentRecords: await Promise.all(found.map((c) => present.record(c))) };
    },
  );
  r.get(`${P}/service/verification/consent-record/:consentRecordId/`, { schema: { tags: TAGS, summary: 'A ConsentRecord and its latest Revision', params: RecordId } }, async (req) => {
    const caller = await serviceCaller(platform, req);
    const c = await getRecord(platform, req.params.consentRecordId);
    mustReachRecord(caller, c);
    return presenterFor(platform, req, caller).recordWithRevision(c);
  });
}
