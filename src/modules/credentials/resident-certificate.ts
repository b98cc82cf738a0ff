import { ageOn, AGE_THRESHOLDS, mediatedRead, type ClaimInfo, type CredentialConfiguration } from './configuration.ts';
import { OAuthError } from './errors.ts';

/** The household view of the resident registry: the household and its active members, each read on their own access log. */
const HOUSEHOLD_SERVICE = 'KR/GOV/MOIS/resident-registry/household';
/** The fields read: nothing else (no sex, nationality or resident registration number). */
const FIELDS = ['name', 'birthDate', 'householdRole', 'moveInDate', 'sido', 'sigungu', 'roadAddress', 'postalCode'];

const denied = (why: string) => new OAuthError(400, 'credential_request_denied', why);

interface Member {
  id: string;
  name?: string;
  birthDate?: string;
  householdRole?: string;
  moveInDate?: string;
}

interface Household {
  id: string;
  head?: string;
  sido?: string;
  sigungu?: string;
  roadAddress?: string;
  postalCode?: string;
  moveInDate?: string;
  members: Member[];
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));

/**
 * 주민등록표 등본 (SD-JWT VC): the holder, the household's address and since when it has lived
 * there, its head and its members (name, relation to the head, date of birth, since when a
 * member), as the resident register shows them. Read in one call of the household view, as the
 * issuing system for "document issuance": every member's read is on that member's access log.
 * No resident registration number, masked or not. Members who died or emigrated are not listed.
 */
export const RESIDENT_REGISTRATION: CredentialConfiguration = {
  id: 'kr.mois.resident-registration.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'resident-registration',
  name: { ko: '주민등록표 등본', en: 'Resident registration certificate' },
  description: {
    ko: '세대의 주소와 전입일, 세대주와 세대원(성명, 세대주와의 관계, 생년월일, 전입일) (주민등록표)',
    en: 'The household\u2019s address and move-in date, its head and members (name, relation to the head, date of birth, member since) from the resident register',
  },
  validityDays: 90,
  claims: [
    { path: ['name'], display: { ko: '성명', en: 'Name' } },
    { path: ['birthdate'], display: { ko: '생년월일', en: 'Date of birth' } },
    ...AGE_THRESHOLDS.map((n): ClaimInfo => ({ path: ['age_equal_or_over', String(n)], display: { ko: `만 ${n}세 이상`, en: `Aged ${n} or over` } })),
    { path: ['address', 'region'], display: { ko: '시도', en: 'Province or metropolitan city' } },
    { path: ['address', 'locality'], display: { ko: '시군구', en: 'City, county or district' } },
    { path: ['address', 'street_address'], display: { ko: '도로명주소', en: 'Road-name address' } },
    { path: ['address', 'postal_code'], display: { ko: '우편번호', en: 'Postal code' } },
    { path: ['address_since'], display: { ko: '전입일', en: 'At this address since' } },
    { path: ['household_head'], display: { ko: '세대주', en: 'Head of household' } },
    { path: ['household_members'], display: { ko: '세대원 (성명, 세대주와의 관계, 생년월일, 전입일)', en: 'Household members (name, relation to the head, date of birth, since)' } },
    { path: ['issuing_authority'], display: { ko: '발급 기관', en: 'Issuing authority' } },
    { path: ['issuing_country'], display: { ko: '발급 국가', en: 'Issuing country' } },
  ],
  async read(platform, citizenId, now) {
    const body = await mediatedRead(platform, HOUSEHOLD_SERVICE, citizenId, `/records?fields=${FIELDS.join(',')}`);
    const [household] = ((body?.records as Household[] | undefined) ?? []);
    // the view answers nothing for a citizen who is not an active member of a household (deceased, emigrated, none)
    const me = household?.members.find((m) => m.id === citizenId);
    if (!household || !me) throw denied('the resident register shows no household this person is an active member of');
    const head = household.members.find((m) => m.id === household.head);
    const age = me.birthDate ? ageOn(me.birthDate, now) : undefined;
    const address = defined({ region: household.sido, locality: household.sigungu, street_address: household.roadAddress, postal_code: household.postalCode });
    return {
      name: me.name,
      birthdate: me.birthDate,
      ...(age === undefined ? {} : { age_equal_or_over: Object.fromEntries(AGE_THRESHOLDS.map((n) => [String(n), age >= n])) }),
      ...(Object.keys(address).length ? { address } : {}),
      address_since: household.moveInDate,
      household_head: head?.name,
      household_members: household.members.map((m) => defined({ name: m.name, relation: m.householdRole, birthdate: m.birthDate, since: m.moveInDate })),
      issuing_authority: '행정안전부 (Ministry of the Interior and Safety)',
      issuing_country: 'KR',
    };
  },
};
