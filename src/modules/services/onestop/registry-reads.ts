import type { Platform } from '../../../platform/platform.ts';
import { mediatedCall } from '../../exchange/index.ts';
import { listRegistries } from '../../registries/index.ts';

/**
 * What a one-stop application reads from the registries, through the information mediator as
 * 정부24 (`KR/GOV/MOIS/gov24`, under 전자정부법 제36조), so that every read is signed, logged and
 * in the citizen's access log:
 * - the form's prefill, only when the applicant asks for it (their consent, given on the form);
 * - the checks of a submission (the other parent is the applicant's spouse; the deceased is in
 *   the applicant's family; which registries hold records the address should follow);
 * - the 안심상속 inquiries, answered to the heir who applied.
 */

export const ONESTOP_CLIENT = 'KR/GOV/MOIS/gov24';
export const ONESTOP_PURPOSE = '원스톱 민원 신청 (one-stop application)';

type Rec = Record<string, unknown>;

/** Every record a registry holds about the citizen (undefined when it does not answer). */
export async function mediatedRecords(platform: Platform, code: string, citizenId: string, issue = ONESTOP_PURPOSE, fields?: string): Promise<Rec[] | undefined> {
  const info = (await listRegistries(platform)).find((r) => r.code === code && !r.disabled);
  if (!info) return undefined;
  const res = await mediatedCall(platform, { client: ONESTOP_CLIENT, service: info.serviceId, path: `/records${fields ? `?fields=${fields}` : ''}`, userId: citizenId, issue }).catch(() => undefined);
  if (!res || res.status !== 200) return undefined;
  return (res.body as { records?: Rec[] }).records ?? [];
}

export interface Person {
  id: string;
  name: string;
  relation: 'self' | 'spouse' | 'father' | 'mother' | 'child';
  status: string;
  birthDate?: string;
}

export interface Prefill {
  /** Whether the resident and family registries answered (when not, nothing can be checked). */
  answered: boolean;
  me?: { name: string; sex: string; birthDate: string; sido: string; sigungu: string; roadAddress: string; postalCode: string; status: string };
  /** The applicant's spouse, parents and children (names from the resident registry). */
  family: Person[];
  /** Whether the applicant has records the address of a move should follow. */
  holds: { licence: boolean; vehicle: boolean; 'health-insurance': boolean };
}

const s = (v: unknown) => (typeof v === 'string' ? v : '');

/** The applicant's own data and family as the registries hold them. */
export async function readPrefill(platform: Platform, citizenId: string): Promise<Prefill> {
  const [resident, family, licence, vehicle, insurance] = await Promise.all([
    mediatedRecords(platform, 'resident', citizenId, ONESTOP_PURPOSE, 'name,sex,birthDate,sido,sigungu,roadAddress,postalCode,status'),
    mediatedRecords(platform, 'family', citizenId),
    mediatedRecords(platform, 'licence', citizenId, ONESTOP_PURPOSE, 'status'),
    mediatedRecords(platform, 'vehicle', citizenId, ONESTOP_PURPOSE, 'plateNumber'),
    mediatedRecords(platform, 'health-insurance', citizenId, ONESTOP_PURPOSE, 'status'),
  ]);
  const r = resident?.[0];
  const f = family?.[0];
  const relations: Array<[string, Person['relation']]> = [];
  if (f) {
    for (const rel of ['spouse', 'father', 'mother'] as const) if (typeof f[rel] === 'string') relations.push([f[rel] as string, rel]);
    for (const c of Array.isArray(f.children) ? f.children : []) if (typeof c === 'string') relations.push([c, 'child']);
  }
  const people = await Promise.all(
    relations.map(async ([id, relation]) => {
      const p = (await mediatedRecords(platform, 'resident', id, ONESTOP_PURPOSE, 'name,status,birthDate'))?.[0];
      return p ? ({ id, name: s(p.name), relation, status: s(p.status), ...(s(p.birthDate) ? { birthDate: s(p.birthDate) } : {}) } as Person) : undefined;
    }),
  );
  return {
    answered: resident !== undefined && family !== undefined,
    me: r ? { name: s(r.name), sex: s(r.sex), birthDate: s(r.birthDate), sido: s(r.sido), sigungu: s(r.sigungu), roadAddress: s(r.roadAddress), postalCode: s(r.postalCode), status: s(r.status) } : undefined,
    family: people.filter((p): p is Person => p !== undefined),
    holds: { licence: !!licence?.length, vehicle: !!vehicle?.length, 'health-insurance': !!insurance?.length },
  };
}
