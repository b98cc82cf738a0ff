import { NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { RegistryInfo } from './catalog.ts';
import type { MediatedRequest, MediatedResult } from './mediated.ts';
import { personalItems, presentValues } from './record-codec.ts';
import * as store from './store.ts';
import { RecordValidationError } from './validation.ts';

/**
 * The household view of the resident registry (what a 주민등록표 등본 shows), published by the
 * exchange module as its own mediated service `KR/GOV/MOIS/resident-registry/household` with its
 * own access rights: a right to read a resident's record is not a right to read their household.
 *
 * `GET /records` about the citizen named by X-Road-UserId answers the household they are an
 * active member of: its id, its address and move-in date (from the head's record), and its active
 * members (head first) with their relation to the head. A citizen who is not an active resident
 * or belongs to no household gets no records. The view never shows a resident registration
 * number. Every member's data is read about that member: the result names each member's items,
 * and the mediator writes an access record for each of them, not only for the citizen named.
 */

export const HOUSEHOLD_VIEW = 'household';

/** What the view may show of each member, and of the household (from the head's record). */
export const MEMBER_FIELDS = ['name', 'sex', 'birthDate', 'nationality', 'householdRole', 'moveInDate'] as const;
export const HOUSEHOLD_FIELDS = ['sido', 'sigungu', 'roadAddress', 'postalCode', 'moveInDate'] as const;
const SHOWN = new Set<string>([...MEMBER_FIELDS, ...HOUSEHOLD_FIELDS]);
/** Far more than any household; bounds the answer. */
const MAX_MEMBERS = 100;

function fieldsOf(fields: string | undefined): ReadonlySet<string> {
  if (!fields) return SHOWN;
  const names = fields.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !SHOWN.has(n));
  if (unknown.length) throw new RecordValidationError(unknown.map((field) => ({ field, code: 'unknown_field' as const })), 'en', 'querystring/fields');
  return new Set(names);
}

const pick = (only: ReadonlySet<string>, names: readonly string[]) => new Set(names.filter((n) => only.has(n)));

/** Serves the household view (`info` is the resident registry); the caller checked X-Road-UserId. */
export async function householdView(platform: Platform, info: RegistryInfo, req: MediatedRequest, citizenId: string): Promise<MediatedResult> {
  const segs = req.path.split('/').filter(Boolean);
  if (segs.length !== 1 || segs[0] !== 'records') throw new NotFoundError(`no such path ${req.path}`);
  if (req.method.toUpperCase() !== 'GET') throw new PlatformError('method_not_allowed', 405, `use GET for ${req.path}`);
  const only = fieldsOf(req.query.fields);
  const answer = (records: unknown[], reads: Array<{ citizenId: string; items: string[] }> = []): MediatedResult => ({
    status: 200,
    body: { registry: info.code, version: info.version, view: HOUSEHOLD_VIEW, subject: citizenId, records },
    citizenId,
    items: reads.find((r) => r.citizenId === citizenId)?.items ?? [],
    reads,
  });

  const [self] = await store.findRecords(platform.db, info, [{ kind: 'id', value: citizenId }], { limit: 1 });
  const householdId = self?.data.householdId;
  if (!self || self.data.status !== 'active' || typeof householdId !== 'string' || !householdId) return answer([]);

  const roleOrder = (r: store.StoredRecord) => (r.data.householdRole === 'head' ? 0 : 1);
  const text = (r: store.StoredRecord, f: string) => (typeof r.data[f] === 'string' ? (r.data[f] as string) : '');
  const members = (await store.recordsOfHousehold(platform.db, info, householdId, MAX_MEMBERS))
    .filter((r) => r.data.status === 'active')
    .sort((a, b) => roleOrder(a) - roleOrder(b) || text(a, 'moveInDate').localeCompare(text(b, 'moveInDate')) || text(a, 'birthDate').localeCompare(text(b, 'birthDate')));
  // the household's address is where its head is registered (the citizen's own when it has no active head)
  const head = members.find((r) => r.data.householdRole === 'head');
  const addressOf = head ?? self;

  const items = new Map<string, Set<string>>();
  const memberOnly = pick(only, MEMBER_FIELDS);
  const shownMembers = members.map((r) => {
    const v = presentValues(platform.crypto, info, r.id, r.data, memberOnly);
    // the household's id is the member's householdId: shown about every member
    items.set(r.id, personalItems(info, { ...v, householdId }));
    return { id: r.id, ...v };
  });
  const address = presentValues(platform.crypto, info, addressOf.id, addressOf.data, pick(only, HOUSEHOLD_FIELDS));
  const addressItems = items.get(addressOf.id) ?? new Set<string>();
  items.set(addressOf.id, personalItems(info, address, addressItems));

  const household = { id: householdId, ...(head ? { head: head.id } : {}), ...address, members: shownMembers };
  return answer([household], [...items].map(([id, set]) => ({ citizenId: id, items: [...set] })));
}

/** The OpenAPI 3.0 document of the household view as a mediated service. */
export function householdServiceOpenApi(info: RegistryInfo): Record<string, unknown> {
  const schemaOf = (name: string) => {
    const f = info.fields.find((x) => x.name === name);
    const type = f?.type === 'date' ? { type: 'string', format: 'date' } : f?.type === 'enum' ? { type: 'string', enum: f.values } : { type: 'string' };
    return { ...type, description: f ? `${f.label.en} (${f.label.ko})` : name, ...(f?.personal ? { 'x-personal': true } : {}) };
  };
  const props = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, schemaOf(n)]));
  const id = { type: 'string', format: 'uuid' };
  const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
  return {
    openapi: '3.0.3',
    info: {
      title: 'Household (세대) — resident registration',
      version: info.version,
      description:
        'The household the citizen named by X-Road-UserId is an active member of: its address and move-in date (the head\'s) and its active members with their relation to the head, ' +
        'as a 주민등록표 등본 shows them; never a resident registration number. Each member read is on that member\'s access log. ' +
        `주민등록표 등본의 세대 정보. Owner: ${info.agency}; provider ${info.providerId}.`,
      'x-service-id': `${info.providerId}/${HOUSEHOLD_VIEW}`,
    },
    paths: {
      '/records': {
        get: {
          operationId: 'household',
          summary: "The citizen's household (none when not an active member of one)",
          parameters: [
            { name: 'X-Road-UserId', in: 'header', required: true, description: 'The citizen (resident record id)', schema: id },
            { name: 'fields', in: 'query', required: false, description: `Comma-separated fields to return (default: all): ${[...SHOWN].join(', ')}`, schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'The household (0 or 1)', content: { 'application/json': { schema: { $ref: '#/components/schemas/HouseholdList' } } } },
            '400': problem('Bad input (unknown field, missing X-Road-UserId)'),
          },
        },
      },
    },
    components: {
      schemas: {
        Member: { type: 'object', required: ['id'], properties: { id, ...props(MEMBER_FIELDS) } },
        Household: {
          type: 'object',
          required: ['id', 'members'],
          properties: {
            id: { type: 'string', description: 'Household number (세대번호)' },
            head: { ...id, description: 'The member who is the head of the household (세대주)' },
            ...props(HOUSEHOLD_FIELDS),
            members: { type: 'array', items: { $ref: '#/components/schemas/Member' } },
          },
        },
        HouseholdList: {
          type: 'object',
          required: ['registry', 'version', 'view', 'subject', 'records'],
          properties: {
            registry: { type: 'string' },
            version: { type: 'string' },
            view: { type: 'string', enum: [HOUSEHOLD_VIEW] },
            subject: id,
            records: { type: 'array', maxItems: 1, items: { $ref: '#/components/schemas/Household' } },
          },
        },
        Problem: { type: 'object', properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' } } },
      },
    },
  };
}
