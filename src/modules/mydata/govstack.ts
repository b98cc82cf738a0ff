import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { findAgreement, listAgreements } from './agreements.ts';
import { findConsent, listConsents } from './consents.ts';
import { auditCaller } from './govstack-auth.ts';
import { govstackConfigRoutes } from './govstack-config.ts';
import { GOVSTACK_CONSENT as P, Page, presenter, presentRevision } from './govstack-present.ts';
import { govstackRecordRoutes } from './govstack-records.ts';
import { govstackServiceRoutes } from './govstack-service.ts';
import { revisionsOf, verifyChain, type Revision, type SchemaName } from './revisions.ts';

/**
 * The GovStack Consent building block API under /govstack/consent/ (specs/govstack/consent/
 * consent-openapi.yaml; docs/mydata.md, "GovStack Consent API"): config/* for data controllers
 * (govstack-config.ts), service/* for citizens and recipients' systems (govstack-service.ts,
 * govstack-records.ts), and audit/* here, for auditors. Same objects as Hanaro's own MyData API:
 * an agreement, a consent or a withdrawal made here is the one the mediator's consent gate checks.
 */

const TAGS = ['govstack-consent'];

/** Hanaro extension for auditors: an object's whole revision chain, and whether it verifies. */
async function trail(platform: Platform, schema: SchemaName, id: string) {
  const revisions = await revisionsOf(platform.db, schema, id);
  const byId = new Map<string, Revision>(revisions.map((r) => [r.id, r]));
  return {
    revisions: revisions.map((r) => presentRevision(r, r.successor ? byId.get(r.successor) : undefined)),
    chain: await verifyChain(platform, schema, id),
  };
}

export async function govstackConsentRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  await app.register(govstackConfigRoutes, opts);
  await app.register(govstackServiceRoutes, opts);
  await app.register(govstackRecordRoutes, opts);

  const r = app.withTypeProvider<ZodTypeProvider>();
  const present = (lang: 'ko' | 'en') => presenter(platform.db, { lang, fullIndividuals: true });

  r.get(`${P}/audit/consent-records/`, { schema: { tags: TAGS, summary: 'All ConsentRecords (auditors)', querystring: Page } }, async (req) => {
    await auditCaller(req);
    const p = present(req.lang);
    return { consentRecords: await Promise.all((await listConsents(platform.db, req.query)).map((c) => p.record(c))) };
  });
  r.get(
    `${P}/audit/consent-record/:consentRecordId/`,
    { schema: { tags: TAGS, summary: 'A ConsentRecord with (Hanaro extension) its revisions and chain check (auditors)', params: z.object({ consentRecordId: z.string().max(200) }) } },
    async (req) => {
      await auditCaller(req);
      const c = await findConsent(platform.db, req.params.consentRecordId);
      if (!c) throw new NotFoundError('no such consent record', 'consent_not_found');
      return { consentRecord: await present(req.lang).record(c), ...(await trail(platform, 'consentRecord', c.id)) };
    },
  );
  r.get(`${P}/audit/data-agreements/`, { schema: { tags: TAGS, summary: 'All DataAgreements (auditors)', querystring: Page } }, async (req) => {
    await auditCaller(req);
    const p = present(req.lang);
    return { dataAgreements: await Promise.all((await listAgreements(platform.db, req.query)).map((a) => p.agreement(a))) };
  });
  r.get(
    `${P}/audit/data-agreement/:dataAgreementId/`,
    { schema: { tags: TAGS, summary: 'A DataAgreement with (Hanaro extension) its revisions and chain check (auditors)', params: z.object({ dataAgreementId: z.string().max(200) }) } },
    async (req) => {
      await auditCaller(req);
      const a = await findAgreement(platform.db, req.params.dataAgreementId);
      if (!a) throw new NotFoundError(`no data agreement ${req.params.dataAgreementId}`, 'agreement_not_found');
      return { dataAgreement: await present(req.lang).agreement(a), ...(await trail(platform, 'dataAgreement', a.id)) };
    },
  );
}
