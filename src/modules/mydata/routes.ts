import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireCitizen, requireOfficial } from '../../platform/auth.ts';
import { PlatformError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { accessLogPage, AccessFilter, exportAccessLog } from './access.ts';
import { createAgreement, listAgreements, NewAgreement, recipientByKey, type Agreement, type Recipient } from './agreements.ts';
import { consentsOfCitizen, GiveConsent, giveConsent, ownConsent, withdrawConsent, type ConsentRecord } from './consents.ts';
import { Lookup, officialLookup } from './lookup.ts';
import { correctionQueue, correctionsOfCitizen, decideCorrection, NewCorrection, requestCorrection, selfView } from './self.ts';
import { answerRequest, collectRequest, consentsForRecipient, createRequest, NewRequest, pull } from './transfers.ts';

/**
 * MyData's JSON API. Three kinds of caller, each checked on every route:
 * - recipients (agencies' and third parties' systems) with their API key (`Authorization: Bearer hmd_…`):
 *   agreements, consent requests, and pulls with the consent's token (`MyData-Token`);
 * - the signed-in citizen (`/api/mydata/me/…`): their data, consents, access log, corrections;
 * - officials: legal-basis look-ups (information-sharing duty) and their agency's correction queue.
 */

const TAGS = ['mydata'];
const Id = z.object({ id: z.string().max(64) });

export const presentConsent = (c: ConsentRecord) => ({
  id: c.id,
  agreementId: c.agreementId,
  agreementVersion: c.agreementVersion,
  agreementRevisionHash: c.agreementRevisionHash,
  recipient: { id: c.recipient.id, kind: c.recipient.kind, name: c.recipient.name },
  purpose: c.purpose,
  items: c.items,
  mode: c.mode,
  intervalDays: c.intervalDays,
  state: c.state,
  validFrom: c.validFrom,
  validUntil: c.validUntil,
  lastTransferAt: c.lastTransferAt,
  createdAt: c.createdAt,
});

export const presentAgreement = (a: Agreement) => ({
  id: a.id,
  version: a.version,
  recipient: { id: a.recipient.id, kind: a.recipient.kind, name: a.recipient.name },
  policyId: a.policyId,
  purpose: a.purpose,
  description: a.description,
  lawfulBasis: a.lawfulBasis,
  legalReference: a.legalReference,
  items: a.items,
  modes: a.modes,
  maxValidityDays: a.maxValidityDays,
  retentionDays: a.retentionDays,
  active: a.active,
  revisionHash: a.revisionHash,
});

export async function recipientOf(platform: Platform, req: FastifyRequest): Promise<Recipient> {
  const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const r = key ? await recipientByKey(platform.db, key) : undefined;
  if (!r) throw new UnauthorizedError('a MyData recipient API key is required (Authorization: Bearer hmd_…)', 'invalid_api_key');
  return r;
}

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

// who may call is settled before the body is validated: a stranger learns nothing from a 400
const asRecipient = (platform: Platform) => ({ preValidation: async (req: FastifyRequest) => void (await recipientOf(platform, req)) });
const asCitizen = { preValidation: async (req: FastifyRequest) => void (await requireCitizen(req)) };
const asOfficial = { preValidation: async (req: FastifyRequest) => void (await requireOfficial(req)) };

export async function mydataRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const consentUrl = (id: string) => new URL(`/mydata/requests/${id}`, platform.config.publicUrl).href;

  // ---- recipients ------------------------------------------------------------------------------
  app.get('/api/mydata/agreements', { schema: { tags: TAGS, summary: 'The calling recipient\'s data agreements' } }, async (req, reply) => {
    const r = await recipientOf(platform, req);
    return noStore(reply).send({ agreements: (await listAgreements(platform.db, { recipientId: r.id })).map(presentAgreement) });
  });
  app.post('/api/mydata/agreements', { ...asRecipient(platform), schema: { tags: TAGS, summary: 'Declare a data agreement (purpose, items, modes, validity, retention)', body: NewAgreement.omit({ recipientId: true }) } }, async (req, reply) => {
    const r = await recipientOf(platform, req);
    const a = await createAgreement(platform, { ...(req.body as object), recipientId: r.id } as z.input<typeof NewAgreement>, `mydata-recipient:${r.id}`);
    return reply.status(201).header('location', `/api/mydata/agreements/${a.id}`).send(presentAgreement(a));
  });
  app.post('/api/mydata/requests', { ...asRecipient(platform), schema: { tags: TAGS, summary: 'Ask a citizen for consent: returns the link to give them', body: NewRequest } }, async (req, reply) => {
    const r = await recipientOf(platform, req);
    const made = await createRequest(platform, r, req.body as NewRequest);
    return noStore(reply.status(201).header('location', `/api/mydata/requests/${made.id}`)).send({ ...made, consentUrl: consentUrl(made.id) });
  });
  app.get('/api/mydata/requests/:id', { schema: { tags: TAGS, summary: 'A consent request; the first read after consent carries the pull token', params: Id } }, async (req, reply) => {
    const r = await recipientOf(platform, req);
    return noStore(reply).send(await collectRequest(platform, r, (req.params as { id: string }).id));
  });
  app.get('/api/mydata/consents', { schema: { tags: TAGS, summary: 'Consents given to the calling recipient' } }, async (req, reply) => {
    const r = await recipientOf(platform, req);
    return noStore(reply).send({ consents: await consentsForRecipient(platform.db, r) });
  });
  app.get('/api/mydata/consents/:id/data', { schema: { tags: TAGS, summary: 'Pull the agreed data of a consent (MyData-Token header)', params: Id } }, async (req, reply) => {
    const r = await recipientOf(platform, req);
    const token = req.headers['mydata-token'];
    if (typeof token !== 'string' || !token) throw new UnauthorizedError('the consent\'s token is required in the MyData-Token header', 'token_required');
    try {
      return noStore(reply).send(await pull(platform, r, (req.params as { id: string }).id, token));
    } catch (e) {
      if (e instanceof PlatformError && e.status === 429 && typeof e.extra?.retryAfter === 'number') reply.header('retry-after', String(e.extra.retryAfter));
      throw e;
    }
  });

  // ---- the citizen -----------------------------------------------------------------------------
  app.get('/api/mydata/me/data', { schema: { tags: TAGS, summary: 'Everything the registries hold about me, read live (purpose self-view)' } }, async (req, reply) => {
    const me = await requireCitizen(req);
    return noStore(reply).send({ agencies: await selfView(platform, me.id) });
  });
  app.get('/api/mydata/me/export', { schema: { tags: TAGS, summary: 'Download my data as JSON (a transfer to myself)' } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const agencies = await selfView(platform, me.id, 'self-download');
    return noStore(reply)
      .header('content-disposition', 'attachment; filename="hanaro-mydata.json"')
      .type('application/json; charset=utf-8')
      .send({ exportedAt: new Date().toISOString(), citizenId: me.id, agencies });
  });
  app.get('/api/mydata/me/consents', { schema: { tags: TAGS, summary: 'My consents' } }, async (req, reply) => {
    const me = await requireCitizen(req);
    return noStore(reply).send({ consents: (await consentsOfCitizen(platform.db, me.id)).map(presentConsent) });
  });
  app.post('/api/mydata/me/consents', { ...asCitizen, schema: { tags: TAGS, summary: 'Consent to a data agreement (send my data to its recipient)', body: GiveConsent } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const { record } = await giveConsent(platform, me.id, req.body as GiveConsent);
    return reply.status(201).header('location', `/api/mydata/me/consents/${record.id}`).send(presentConsent(record));
  });
  app.get('/api/mydata/me/consents/:id', { schema: { tags: TAGS, summary: 'One of my consents', params: Id } }, async (req, reply) => {
    const me = await requireCitizen(req);
    return noStore(reply).send(presentConsent(await ownConsent(platform.db, me.id, (req.params as { id: string }).id)));
  });
  app.post('/api/mydata/me/consents/:id/withdraw', { schema: { tags: TAGS, summary: 'Withdraw a consent: the next request under it is refused', params: Id } }, async (req, reply) => {
    const me = await requireCitizen(req);
    return reply.send(presentConsent(await withdrawConsent(platform, me.id, (req.params as { id: string }).id)));
  });
  app.post('/api/mydata/requests/:id/answer', { ...asCitizen, schema: { tags: TAGS, summary: 'Answer a consent request (the citizen)', params: Id, body: z.object({ agree: z.boolean() }) } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const answered = await answerRequest(platform, me.id, (req.params as { id: string }).id, (req.body as { agree: boolean }).agree);
    return reply.send({ id: answered.id, status: answered.status, consentId: answered.consentId, returnUrl: answered.returnUrl });
  });
  app.get('/api/mydata/me/access-log', { ...asCitizen, schema: { tags: TAGS, summary: 'Who read my data: filter, page, or export (format=csv|json)', querystring: AccessFilter } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const q = req.query as z.infer<typeof AccessFilter>;
    noStore(reply);
    if (q.format) return exportAccessLog(platform, me.id, q, reply);
    return reply.send(await accessLogPage(platform, me.id, q));
  });
  app.get('/api/mydata/me/corrections', { schema: { tags: TAGS, summary: 'My correction requests and their outcomes' } }, async (req, reply) => {
    const me = await requireCitizen(req);
    return noStore(reply).send({ corrections: await correctionsOfCitizen(platform.db, me.id) });
  });
  app.post('/api/mydata/me/corrections', { ...asCitizen, schema: { tags: TAGS, summary: 'Ask the owning agency to correct an item', body: NewCorrection } }, async (req, reply) => {
    const me = await requireCitizen(req);
    const c = await requestCorrection(platform, me.id, req.body as NewCorrection);
    return reply.status(201).send(c);
  });

  // ---- officials -------------------------------------------------------------------------------
  app.post('/api/mydata/lookups', { ...asOfficial, schema: { tags: TAGS, summary: 'Legal-basis look-up without consent (information-sharing duty; logged)', body: Lookup } }, async (req, reply) => {
    const official = await requireOfficial(req);
    return noStore(reply).send(await officialLookup(platform, official, req.body as Lookup));
  });
  app.get('/api/mydata/corrections', { schema: { tags: TAGS, summary: 'The official\'s agency\'s correction queue' } }, async (req, reply) => {
    const official = await requireOfficial(req, { roles: ['case-worker', 'agency-admin'] });
    return noStore(reply).send({ corrections: await correctionQueue(platform.db, official.agency) });
  });
  app.post('/api/mydata/corrections/:id/decision', { ...asOfficial, schema: { tags: TAGS, summary: 'Accept or reject a correction request', params: Id, body: z.object({ accept: z.boolean(), note: z.string().max(1000).optional() }) } }, async (req, reply) => {
    const official = await requireOfficial(req, { roles: ['case-worker', 'agency-admin'] });
    return reply.send(await decideCorrection(platform, official, (req.params as { id: string }).id, req.body as { accept: boolean; note?: string }));
  });
}
