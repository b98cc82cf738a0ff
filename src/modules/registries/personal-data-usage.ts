import { z } from 'zod';
import { BadRequestError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { requireOwner, type ApiCaller } from './auth.ts';
import { findRegistry, getRegistry } from './catalog.ts';
import { AGENCIES, RESIDENT } from './definitions.ts';
import { UUID_RE, validRrn } from './identifiers.ts';
import { rrnIndex } from './record-codec.ts';
import { findRecords } from './store.ts';

/**
 * GovStack myPersonalDataUsage: who read a citizen's personal data in one registry, from the
 * platform's access log (mediated reads by other agencies and the owner's own direct reads).
 */

export const PersonalDataUsage = z.object({
  id: z.string().describe('Access record id'),
  readerId: z.string().describe('The reading client subsystem (KR/GOV/MOHW/welfare-services)'),
  readerInitials: z.string().optional(),
  readerInstitutionId: z.string().describe('Member code of the reader (MOHW)'),
  readerInstitutionName: z.string().optional(),
  readerApplicationName: z.string().optional(),
  searchDateTime: z.string().describe('When (UTC, ISO 8601)'),
  refrences: z.array(z.object({ ReferenceID: z.string() })).describe('The citizen\'s record (spelling as in the GovStack schema)'),
  items: z.array(z.string()).describe('Personal fields read'),
  purpose: z.string(),
  legalBasis: z.string().optional(),
  consentId: z.string().optional(),
  xRoadId: z.string().optional(),
  channel: z.string().describe('exchange (through the mediator) or registry-api (the owner\'s direct read)'),
});
export type PersonalDataUsage = z.infer<typeof PersonalDataUsage>;

/** At most this many reads are listed, newest first. */
const LIMIT = 500;

/** The citizen id of `userId`: a resident record id, or an RRN found through the blind index. */
async function citizenOf(platform: Platform, userId: string): Promise<string> {
  if (UUID_RE.test(userId)) return userId.toLowerCase();
  const resident = await findRegistry(platform, RESIDENT);
  if (resident && validRrn(userId)) {
    const [rec] = await findRecords(platform.db, resident, [{ kind: 'rrn', index: rrnIndex(platform.crypto, userId)! }], { limit: 1 });
    if (rec) return rec.id;
    return userId; // no such resident: no reads either
  }
  throw new BadRequestError('userId must be a citizen identifier (UUID) or a resident registration number', { errors: [{ field: 'userId', detail: 'invalid' }] }, 'validation_failed');
}

export async function personalDataUsage(platform: Platform, caller: ApiCaller, userId: string, databaseId: string, lang: Lang): Promise<PersonalDataUsage[]> {
  const info = await getRegistry(platform, databaseId);
  requireOwner(caller, info.agency);
  const citizenId = await citizenOf(platform, userId);
  const page = await platform.accessLog.forCitizen(citizenId, { limit: LIMIT, service: info.serviceId });
  return page.map((a) => ({
    id: String(a.id),
    readerId: a.reader,
    readerInstitutionId: a.institution,
    ...(AGENCIES[a.institution] ? { readerInstitutionName: AGENCIES[a.institution]![lang] } : {}),
    readerApplicationName: a.application ?? a.reader,
    searchDateTime: a.at,
    refrences: [{ ReferenceID: citizenId }],
    items: a.items,
    purpose: a.purpose,
    ...(a.legalBasis ? { legalBasis: a.legalBasis } : {}),
    ...(a.consentId ? { consentId: a.consentId } : {}),
    ...(a.xRoadId ? { xRoadId: a.xRoadId } : {}),
    channel: a.channel,
  }));
}
