import { z } from 'zod';
import type { Official } from '../../platform/auth.ts';
import { BadRequestError, ForbiddenError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { listAccessRights, mediatedCall } from '../exchange/index.ts';

/**
 * 행정정보 공동이용: an official looks a citizen's data up under the legal basis of one of their
 * agency's access rights, without the citizen's consent. Only officials with the
 * `information-sharing` duty may; the read goes through the mediator as the agency's client
 * subsystem that holds the right, with the official named (X-Hanaro-Actor) and the case as the
 * purpose, so it lands in the citizen's access log like every other read.
 */

export const Lookup = z.object({
  citizenId: z.string().uuid(),
  service: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+){4}$/),
  /** The case the look-up serves (X-Road-Issue), e.g. "기초연금 신청 2026-0042". */
  purpose: z.string().trim().min(3).max(200),
  fields: z.array(z.string().min(1).max(64)).max(64).optional(),
});
export type Lookup = z.input<typeof Lookup>;

export interface LookupResult {
  client: string;
  legalBasis: string;
  xRoadId: string;
  records: unknown[];
}

export async function officialLookup(platform: Platform, official: Official, input: Lookup): Promise<LookupResult> {
  if (!official.roles.includes('information-sharing')) throw new ForbiddenError('only officials with the information-sharing duty may look data up without consent', 'duty_required');
  const l = Lookup.parse(input);
  // the agency's own client subsystems holding a right to the service on a legal basis (not on consent)
  const member = `KR/GOV/${official.agency}`;
  const rights = (await listAccessRights(platform.db, { serviceId: l.service })).filter((r) => r.clientId.startsWith(`${member}/`) && !r.requiresConsent && r.legalBasis);
  const right = rights[0];
  if (!right) throw new ForbiddenError(`${official.agency} holds no legal basis for ${l.service}`, 'no_legal_basis');
  const fields = l.fields?.length ? `?fields=${l.fields.map(encodeURIComponent).join(',')}` : '';
  const res = await mediatedCall(platform, { client: right.clientId, service: l.service, path: `/records${fields}`, userId: l.citizenId, issue: l.purpose, actor: `official:${official.id}` });
  if (res.status === 400) throw new BadRequestError(String((res.body as { detail?: string })?.detail ?? 'bad request'), undefined, 'lookup_invalid');
  if (res.status !== 200) throw new PlatformError('source_unavailable', 503, `${l.service} could not be read (${res.status}, X-Road-Id ${res.xRoadId})`);
  return { client: right.clientId, legalBasis: right.legalBasis!, xRoadId: res.xRoadId, records: (res.body as { records?: unknown[] }).records ?? [] };
}
