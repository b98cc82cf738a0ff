import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import {
  createAgreement,
  deleteAgreement,
  findAgreement,
  findRecipient,
  ItemGroup,
  LAWFUL_BASES,
  listAgreements,
  MODES,
  updateAgreement,
  type Agreement,
  type NewAgreement,
} from './agreements.ts';
import { configCaller, mustControl, type ConfigCaller } from './govstack-auth.ts';
import { GOVSTACK_CONSENT as P, Page, presenter, presentIndividual, presentPolicy, presentRevision, presentWebhook } from './govstack-present.ts';
import {
  createIndividual,
  createWebhook,
  deleteWebhook,
  getIndividual,
  getWebhook,
  latestSigned,
  listIndividuals,
  listWebhooks,
  NewIndividual,
  NewWebhook,
  updateWebhook,
} from './govstack-store.ts';
import { createPolicy, deletePolicy, findPolicy, getPolicy, latestPolicyRevision, listPolicies, NewPolicy, policyAt, policyRevisions, updatePolicy } from './policies.ts';

/** The config/* paths: policies, data agreements, individuals and webhooks of the data controllers. */

const TAGS = ['govstack-consent'];
const PolicyId = z.object({ policyId: z.string().max(200) });
const AgreementId = z.object({ dataAgreementId: z.string().max(200) });
const IndividualId = z.object({ individualId: z.string().max(200) });
const WebhookId = z.object({ webhookId: z.string().max(200) });
const RevisionQuery = z.object({ revisionId: z.string().max(200).optional() });

const Ref = z.object({ id: z.string().max(200) });
const SpecIds = { id: z.string().max(200).optional().describe('Ignored: the server names objects'), version: z.string().max(50).optional().describe('Ignored: the server counts versions') };

const PolicyInput = NewPolicy.extend({ ...SpecIds, controller: z.string().max(64).optional().describe('Hanaro extension: a recipient id or "platform" (platform-admin only)') });
const PolicyUpdate = PolicyInput.partial();

const Localized = z.object({ ko: z.string().min(1).max(200), en: z.string().min(1).max(200) });
const Lifecycle = z
  .object({ id: z.string().max(20).optional(), name: z.string().max(20).optional() })
  .refine((l) => ['draft', 'complete'].includes((l.id ?? l.name ?? '').toLowerCase()), 'Draft or Complete');
const AgreementInput = z.object({
  ...SpecIds,
  controller: Ref.optional().describe('The recipient (data controller); a recipient\'s key implies itself'),
  policy: Ref.optional(),
  purpose: z.union([z.string().min(1).max(200), Localized]).describe('A string, or (Hanaro extension) { ko, en }'),
  lawfulBasis: z.enum(LAWFUL_BASES),
  dataUse: z.enum(['data_source', 'data_using_service']).nullable().optional(),
  dpia: z.string().max(2000).optional(),
  active: z.boolean().optional(),
  forgettable: z.boolean().optional(),
  lifecycle: Lifecycle.optional(),
  // Hanaro extensions
  description: z.object({ ko: z.string().max(2000), en: z.string().max(2000) }).optional(),
  legalReference: z.string().max(300).optional(),
  items: z.array(ItemGroup).min(1).max(20).describe('Hanaro extension: the registry fields the recipient gets'),
  modes: z.array(z.enum(MODES)).min(1).max(2).optional(),
  maxValidityDays: z.number().int().min(1).max(3650).optional(),
  retentionDays: z.number().int().min(0).max(36500).optional().describe('Default: the policy\'s dataRetentionPeriodDays'),
});
type AgreementInput = z.infer<typeof AgreementInput>;
const AgreementUpdate = AgreementInput.partial();

const IndividualInput = NewIndividual.extend({ id: SpecIds.id });
const MASK = '********';
const WebhookInput = NewWebhook.extend({
  id: SpecIds.id,
  secretKey: z.union([z.literal(MASK), z.string().min(16).max(200)]).optional(),
  recipientId: z.string().max(64).optional().describe('Hanaro extension: whose webhook (platform-admin only; a key implies itself)'),
});

const lifecycleOf = (l: { id?: string; name?: string } | undefined) => (l ? ((l.id ?? l.name)!.toLowerCase() as 'draft' | 'complete') : undefined);

function mustBeAdmin(caller: ConfigCaller): void {
  if (caller.kind !== 'admin') throw new ForbiddenError('only a platform administrator may do this', 'platform_admin_only');
}

/** Turns the building block's DataAgreement (merged over the current one for an update) into ours. */
async function agreementInput(platform: Platform, caller: ConfigCaller, body: Partial<AgreementInput>, current?: Agreement): Promise<NewAgreement> {
  const recipientId = current?.recipient.id ?? (caller.kind === 'recipient' ? caller.recipient.id : body.controller?.id);
  if (!recipientId) throw new BadRequestError('name the recipient in controller.id', { errors: [{ field: 'dataAgreement/controller/id', detail: 'required' }] }, 'validation_failed');
  if (caller.kind === 'recipient' && body.controller && body.controller.id !== caller.recipient.id) throw new ForbiddenError('a recipient declares its own agreements only', 'not_controller');
  const policyId = body.policy ? body.policy.id : (current?.policyId ?? undefined);
  const policy = policyId ? await findPolicy(platform.db, policyId) : undefined;
  if (policyId && (!policy || policy.deleted)) throw new BadRequestError(`no policy ${policyId}`, { errors: [{ field: 'dataAgreement/policy/id', detail: 'unknown' }] }, 'policy_not_found');
  if (policy && caller.kind === 'recipient' && ![caller.recipient.id, 'platform'].includes(policy.controller)) throw new ForbiddenError('the policy belongs to another controller', 'not_controller');
  const retentionDays = body.retentionDays ?? current?.retentionDays ?? policy?.dataRetentionPeriodDays;
  if (retentionDays === undefined) throw new BadRequestError('give retentionDays or a policy', { errors: [{ field: 'dataAgreement/retentionDays', detail: 'required without a policy' }] }, 'validation_failed');
  const purpose = body.purpose === undefined ? current!.purpose : typeof body.purpose === 'string' ? { ko: body.purpose, en: body.purpose } : body.purpose;
  const dataUse = body.dataUse === undefined ? current?.dataUse : body.dataUse;
  const legalReference = body.legalReference ?? current?.legalReference;
  return {
    recipientId,
    ...(policy ? { policyId: policy.id } : {}),
    purpose,
    description: body.description ?? current?.description,
    lawfulBasis: body.lawfulBasis ?? current!.lawfulBasis,
    ...(legalReference ? { legalReference } : {}),
    ...(dataUse ? { dataUse: dataUse as 'data_source' | 'data_using_service' } : {}),
    dpia: body.dpia ?? current?.dpia ?? '',
    items: body.items ?? current!.items,
    modes: body.modes ?? current?.modes ?? ['once'],
    maxValidityDays: body.maxValidityDays ?? current?.maxValidityDays ?? 365,
    retentionDays,
    forgettable: body.forgettable ?? current?.forgettable ?? false,
    lifecycle: lifecycleOf(body.lifecycle) ?? current?.lifecycle ?? 'complete',
    active: body.active ?? current?.active ?? true,
  };
}

export async function govstackConfigRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const present = (req: { lang: 'ko' | 'en' }) => presenter(platform.db, { lang: req.lang, fullIndividuals: true });

  /** The policy the caller may act on (404 when absent or deleted, 403 when another controller's). */
  const ownPolicy = async (caller: ConfigCaller, id: string) => {
    const p = await getPolicy(platform.db, id);
    mustControl(caller, p.controller);
    return p;
  };
  const ownAgreement = async (caller: ConfigCaller, id: string) => {
    const a = await findAgreement(platform.db, id);
    if (!a) throw new NotFoundError(`no data agreement ${id}`, 'agreement_not_found');
    mustControl(caller, a.recipient.id);
    return a;
  };
  const ownWebhook = async (caller: ConfigCaller, id: string) => {
    const w = await getWebhook(platform.db, id);
    mustControl(caller, w.recipientId);
    return w;
  };
  const latestAgreementRevision = async (id: string) => (await latestSigned(platform.db, 'dataAgreement', id))?.revision;

  // ---- policies ----------------------------------------------------------------------------------
  r.post(`${P}/config/policy/`, { schema: { tags: TAGS, summary: 'Create a Policy (and its first Revision)', body: z.object({ policy: PolicyInput }) } }, async (req) => {
    const caller = await configCaller(platform, req);
    const { controller, ...input } = req.body.policy;
    const owner = caller.kind === 'recipient' ? caller.recipient.id : (controller ?? 'platform');
    if (caller.kind === 'recipient' && controller !== undefined && controller !== owner) throw new ForbiddenError('a recipient makes its own policies only', 'not_controller');
    if (caller.kind === 'admin' && owner !== 'platform' && !(await findRecipient(platform.db, owner))) {
      throw new BadRequestError(`no recipient ${owner}`, { errors: [{ field: 'policy/controller', detail: 'unknown' }] }, 'recipient_not_found');
    }
    const { policy, revision } = await createPolicy(platform, input, owner, caller.actor);
    return { policy: presentPolicy(policy), revision: presentRevision(revision) };
  });
  r.get(`${P}/config/policy/:policyId/`, { schema: { tags: TAGS, summary: 'A Policy and its latest Revision (or as of revisionId)', params: PolicyId, querystring: RevisionQuery } }, async (req) => {
    const caller = await configCaller(platform, req);
    const p = await ownPolicy(caller, req.params.policyId);
    if (req.query.revisionId) {
      const at = await policyAt(platform.db, p.id, req.query.revisionId);
      if (!at) throw new NotFoundError(`policy ${p.id} has no revision ${req.query.revisionId}`, 'revision_not_found');
      return { policy: presentPolicy(at.policy), revision: await present(req).revision(at.revision) };
    }
    const latest = await latestPolicyRevision(platform.db, p.id);
    return { policy: presentPolicy(p), ...(latest ? { revision: await present(req).revision(latest) } : {}) };
  });
  r.put(`${P}/config/policy/:policyId/`, { schema: { tags: TAGS, summary: 'Update a Policy: a new version and Revision', params: PolicyId, body: z.object({ policy: PolicyUpdate }) } }, async (req) => {
    const caller = await configCaller(platform, req);
    const cur = await ownPolicy(caller, req.params.policyId);
    const { controller, id: _id, version: _v, ...changes } = req.body.policy;
    if (controller !== undefined && controller !== cur.controller) throw new BadRequestError('a policy keeps its controller', { errors: [{ field: 'policy/controller', detail: 'immutable' }] }, 'controller_immutable');
    const merged = {
      name: changes.name ?? cur.name,
      url: changes.url ?? cur.url,
      jurisdiction: changes.jurisdiction ?? cur.jurisdiction,
      industrySector: changes.industrySector ?? cur.industrySector ?? undefined,
      dataRetentionPeriodDays: changes.dataRetentionPeriodDays ?? cur.dataRetentionPeriodDays,
      geographicRestriction: changes.geographicRestriction ?? cur.geographicRestriction ?? undefined,
      storageLocation: changes.storageLocation ?? cur.storageLocation ?? undefined,
      thirdPartyDataSharing: changes.thirdPartyDataSharing ?? cur.thirdPartyDataSharing,
    };
    const { policy, revision } = await updatePolicy(platform, cur.id, merged, caller.actor);
    return { policy: presentPolicy(policy), revision: presentRevision(revision) };
  });
  r.delete(`${P}/config/policy/:policyId/`, { schema: { tags: TAGS, summary: 'Delete a Policy (refused while an active agreement uses it)', params: PolicyId } }, async (req) => {
    const caller = await configCaller(platform, req);
    const cur = await ownPolicy(caller, req.params.policyId);
    const { revision } = await deletePolicy(platform, cur.id, caller.actor);
    return { revision: presentRevision(revision) };
  });
  r.get(`${P}/config/policy/:policyId/revisions/`, { schema: { tags: TAGS, summary: 'A Policy and (Hanaro extension) its Revisions, oldest first', params: PolicyId, querystring: Page } }, async (req) => {
    const caller = await configCaller(platform, req);
    const p = await findPolicy(platform.db, req.params.policyId);
    if (!p) throw new NotFoundError(`no policy ${req.params.policyId}`, 'policy_not_found');
    mustControl(caller, p.controller);
    const all = await policyRevisions(platform.db, p.id);
    const byId = new Map(all.map((x) => [x.id, x]));
    const offset = req.query.offset ?? 0;
    const page = all.slice(offset, offset + (req.query.limit ?? 100));
    return { policy: presentPolicy(p), revisions: page.map((x) => presentRevision(x, x.successor ? byId.get(x.successor) : undefined)) };
  });
  r.get(`${P}/config/policies/`, { schema: { tags: TAGS, summary: 'The Policies the caller controls', querystring: Page.extend(RevisionQuery.shape) } }, async (req) => {
    const caller = await configCaller(platform, req);
    const found = await listPolicies(platform.db, { ...(caller.kind === 'recipient' ? { controllers: [caller.recipient.id] } : {}), offset: req.query.offset, limit: req.query.limit });
    return { policies: found.map(presentPolicy) };
  });

  // ---- data agreements ---------------------------------------------------------------------------
  r.post(`${P}/config/data-agreement/`, { schema: { tags: TAGS, summary: 'Create a DataAgreement (and its first Revision)', body: z.object({ dataAgreement: AgreementInput }) } }, async (req) => {
    const caller = await configCaller(platform, req);
    const input = await agreementInput(platform, caller, req.body.dataAgreement);
    const a = await createAgreement(platform, input, caller.actor);
    return present(req).agreementWithRevision(a);
  });
  r.get(`${P}/config/data-agreement/:dataAgreementId/`, { schema: { tags: TAGS, summary: 'The latest version of a DataAgreement and its Revision', params: AgreementId } }, async (req) => {
    const caller = await configCaller(platform, req);
    return present(req).agreementWithRevision(await ownAgreement(caller, req.params.dataAgreementId));
  });
  r.put(`${P}/config/data-agreement/:dataAgreementId/`, { schema: { tags: TAGS, summary: 'Update a DataAgreement: a new version and Revision', params: AgreementId, body: z.object({ dataAgreement: AgreementUpdate }) } }, async (req) => {
    const caller = await configCaller(platform, req);
    const cur = await ownAgreement(caller, req.params.dataAgreementId);
    if (req.body.dataAgreement.controller && req.body.dataAgreement.controller.id !== cur.recipient.id) {
      throw new BadRequestError('an agreement keeps its controller', { errors: [{ field: 'dataAgreement/controller/id', detail: 'immutable' }] }, 'recipient_immutable');
    }
    const a = await updateAgreement(platform, cur.id, await agreementInput(platform, caller, req.body.dataAgreement, cur), caller.actor);
    return present(req).agreementWithRevision(a);
  });
  r.delete(`${P}/config/data-agreement/:dataAgreementId/`, { schema: { tags: TAGS, summary: 'Delete a DataAgreement (consents given stay, with their revisions)', params: AgreementId } }, async (req) => {
    const caller = await configCaller(platform, req);
    const cur = await ownAgreement(caller, req.params.dataAgreementId);
    await deleteAgreement(platform, cur.id, caller.actor);
    const revision = await latestAgreementRevision(cur.id);
    return revision ? { revision: presentRevision(revision) } : {};
  });
  r.get(`${P}/config/data-agreements/`, { schema: { tags: TAGS, summary: 'The DataAgreements the caller controls', querystring: Page } }, async (req) => {
    const caller = await configCaller(platform, req);
    const found = await listAgreements(platform.db, { ...(caller.kind === 'recipient' ? { recipientId: caller.recipient.id } : {}), offset: req.query.offset, limit: req.query.limit });
    const p = present(req);
    // the building block names this list `dataAgreement` (singular), unlike the service and audit lists
    return { dataAgreement: await Promise.all(found.map((a) => p.agreement(a))) };
  });

  // ---- individuals (platform administrators) -------------------------------------------------------
  r.post(`${P}/config/individual/`, { schema: { tags: TAGS, summary: 'Create an Individual', body: z.object({ individual: IndividualInput }) } }, async (req) => {
    const caller = await configCaller(platform, req);
    mustBeAdmin(caller);
    const { id: _id, ...input } = req.body.individual;
    return { individual: presentIndividual(await createIndividual(platform, input, caller.actor), true) };
  });
  r.get(`${P}/config/individual/:individualId/`, { schema: { tags: TAGS, summary: 'An Individual', params: IndividualId } }, async (req) => {
    mustBeAdmin(await configCaller(platform, req));
    return { individual: presentIndividual(await getIndividual(platform.db, req.params.individualId), true) };
  });
  r.get(`${P}/config/individuals/`, { schema: { tags: TAGS, summary: 'The Individuals', querystring: Page } }, async (req) => {
    mustBeAdmin(await configCaller(platform, req));
    return { individuals: (await listIndividuals(platform.db, req.query)).map((i) => presentIndividual(i, true)) };
  });

  // ---- webhooks ----------------------------------------------------------------------------------
  r.post(`${P}/config/webhook/`, { schema: { tags: TAGS, summary: 'Create a Webhook (its secret key is shown in this answer only)', body: z.object({ webhook: WebhookInput }) } }, async (req) => {
    const caller = await configCaller(platform, req);
    const { id: _id, recipientId, secretKey, ...input } = req.body.webhook;
    if (caller.kind === 'recipient' && recipientId !== undefined && recipientId !== caller.recipient.id) throw new ForbiddenError('a recipient makes its own webhooks only', 'not_controller');
    const owner = caller.kind === 'recipient' ? caller.recipient.id : (recipientId ?? null);
    if (owner && caller.kind === 'admin' && !(await findRecipient(platform.db, owner))) {
      throw new BadRequestError(`no recipient ${owner}`, { errors: [{ field: 'webhook/recipientId', detail: 'unknown' }] }, 'recipient_not_found');
    }
    const w = await createWebhook(platform, { ...input, ...(secretKey && secretKey !== MASK ? { secretKey } : {}) }, owner, caller.actor);
    return { webhook: presentWebhook(w, true) };
  });
  r.get(`${P}/config/webhook/:webhookId/`, { schema: { tags: TAGS, summary: 'A Webhook (secret key masked)', params: WebhookId, querystring: RevisionQuery } }, async (req) => {
    const caller = await configCaller(platform, req);
    return { webhook: presentWebhook(await ownWebhook(caller, req.params.webhookId)) };
  });
  r.put(`${P}/config/webhook/:webhookId/`, { schema: { tags: TAGS, summary: 'Update a Webhook (the secret key stays unless a new one is given)', params: WebhookId, body: z.object({ webhook: WebhookInput }) } }, async (req) => {
    const caller = await configCaller(platform, req);
    const cur = await ownWebhook(caller, req.params.webhookId);
    const { id: _id, recipientId, secretKey, ...input } = req.body.webhook;
    if (recipientId !== undefined && recipientId !== cur.recipientId) throw new BadRequestError('a webhook keeps its recipient', { errors: [{ field: 'webhook/recipientId', detail: 'immutable' }] }, 'recipient_immutable');
    const fresh = secretKey !== undefined && secretKey !== MASK;
    const w = await updateWebhook(platform, cur.id, { ...input, ...(fresh ? { secretKey } : {}) }, caller.actor);
    return { webhook: presentWebhook(w, fresh) };
  });
  r.delete(`${P}/config/webhook/:webhookId/`, { schema: { tags: TAGS, summary: 'Delete a Webhook', params: WebhookId } }, async (req, reply) => {
    const caller = await configCaller(platform, req);
    const cur = await ownWebhook(caller, req.params.webhookId);
    await deleteWebhook(platform, cur.id, caller.actor);
    return reply.status(200).send();
  });
  r.get(`${P}/config/webhooks/`, { schema: { tags: TAGS, summary: 'The Webhooks the caller controls (secret keys masked)', querystring: Page.extend(RevisionQuery.shape) } }, async (req) => {
    const caller = await configCaller(platform, req);
    const found = await listWebhooks(platform.db, { ...(caller.kind === 'recipient' ? { recipientId: caller.recipient.id } : {}), offset: req.query.offset, limit: req.query.limit });
    return { webhooks: found.map((w) => presentWebhook(w)) };
  });
}
