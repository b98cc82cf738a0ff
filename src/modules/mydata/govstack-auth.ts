import type { FastifyRequest } from 'fastify';
import { requireCitizen, requireOfficial, type Official } from '../../platform/auth.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Recipient } from './agreements.ts';
import { individualOf } from './consents.ts';
import { consentedTo } from './govstack-store.ts';
import { recipientOf } from './routes.ts';

/**
 * Who may call the GovStack Consent API (docs/mydata.md, "GovStack Consent API"):
 * - config/*: an official with the platform-admin role, or a recipient's system with its API key
 *   (Authorization: Bearer hmd_…) acting on its own policies, agreements and webhooks;
 * - service/*: the signed-in citizen acting on their own Individual, or a recipient's system for
 *   the Individuals who consented to its agreements;
 * - audit/*: an official with the auditor or platform-admin role.
 * No credentials: 401. Credentials that may not do this: 403.
 */

export type ConfigCaller = { kind: 'admin'; official: Official; actor: string } | { kind: 'recipient'; recipient: Recipient; actor: string };
export type ServiceCaller = { kind: 'citizen'; citizenId: string; individualId: string; actor: string } | { kind: 'recipient'; recipient: Recipient; actor: string };

/** An Authorization header means an API key; anything else is a person's session. */
const hasKey = (req: FastifyRequest) => typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0;

const asRecipient = (recipient: Recipient) => ({ kind: 'recipient' as const, recipient, actor: `mydata-recipient:${recipient.id}` });

export async function configCaller(platform: Platform, req: FastifyRequest): Promise<ConfigCaller> {
  if (hasKey(req)) return asRecipient(await recipientOf(platform, req));
  const official = await requireOfficial(req, { roles: ['platform-admin'] });
  return { kind: 'admin', official, actor: `official:${official.id}` };
}

export async function serviceCaller(platform: Platform, req: FastifyRequest): Promise<ServiceCaller> {
  if (hasKey(req)) return asRecipient(await recipientOf(platform, req));
  const citizen = await requireCitizen(req);
  return { kind: 'citizen', citizenId: citizen.id, individualId: await individualOf(platform.db, citizen.id), actor: `citizen:${citizen.id}` };
}

export async function auditCaller(req: FastifyRequest): Promise<Official> {
  return requireOfficial(req, { roles: ['auditor', 'platform-admin'] });
}

/** 403 unless the recipient caller controls the object (a recipient id or 'platform'); admins control all. */
export function mustControl(caller: ConfigCaller, controller: string | null): void {
  if (caller.kind === 'recipient' && controller !== caller.recipient.id) throw new ForbiddenError('this belongs to another controller', 'not_controller');
}

/** 403 unless the service caller may act on the Individual: it is the citizen's own, or consented to the recipient. */
export async function mustReachIndividual(platform: Platform, caller: ServiceCaller, individualId: string): Promise<void> {
  if (caller.kind === 'citizen') {
    if (individualId.toLowerCase() !== caller.individualId) throw new ForbiddenError('a citizen acts on their own Individual only', 'not_your_individual');
    return;
  }
  if (!(await consentedTo(platform.db, individualId, caller.recipient.id))) throw new ForbiddenError('the Individual has not consented to this recipient', 'not_your_individual');
}

/** 403 for a recipient's system: only the citizen themself may do this (give, change, sign, delete consent). */
export function mustBeCitizen(caller: ServiceCaller): asserts caller is Extract<ServiceCaller, { kind: 'citizen' }> {
  if (caller.kind !== 'citizen') throw new ForbiddenError('only the citizen themself may do this', 'citizens_only');
}
