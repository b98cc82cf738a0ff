import type { Platform } from '../../platform/platform.ts';
import { mediatedCall } from '../exchange/index.ts';
import { OAuthError } from './errors.ts';

/**
 * The documents Hanaro issues (OpenID4VCI credential configurations). Each one's claims are read
 * from the owning agency's registry through the information mediator, as the issuing system
 * `KR/GOV/MOIS/wallet-issuer` with the purpose "document issuance", so the read is signed,
 * access-checked and logged, and lands in the citizen's access log like any other.
 *
 * Every claim is selectively disclosable; where an age matters the document carries
 * `age_equal_or_over` with one disclosable member per threshold, so a holder can prove "19 or
 * over" without showing a birth date. No document carries the resident registration number.
 */
export const ISSUING_SYSTEM = 'KR/GOV/MOIS/wallet-issuer';
export const PURPOSE = 'document issuance';

export interface Names {
  ko: string;
  en: string;
}

export interface ClaimInfo {
  path: string[];
  display: Names;
}

export interface CredentialConfiguration {
  id: string;
  format: 'dc+sd-jwt';
  /** The type's last path segment: vct is `<issuer>/credentials/types/<type>`. */
  type: string;
  name: Names;
  description: Names;
  /** How long a credential of this kind is valid. */
  validityDays: number;
  claims: ClaimInfo[];
  /** Reads the claims for a citizen; undefined claims are left out. Throws OAuthError when the document cannot be issued. */
  read(platform: Platform, citizenId: string, now: Date): Promise<Record<string, unknown>>;
}

const AGE_THRESHOLDS = [14, 19, 65] as const;

/** Whole years between a birth date (YYYY-MM-DD) and `now`, as Korean law counts age (만 나이). */
export function ageOn(birthDate: string, now: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const seoul = new Date(now.getTime() + 9 * 3600_000);
  let age = seoul.getUTCFullYear() - y;
  if (seoul.getUTCMonth() + 1 < m || (seoul.getUTCMonth() + 1 === m && seoul.getUTCDate() < d)) age--;
  return age;
}

/** One read through the mediator as the issuing system, for this purpose; 404 is the caller's to interpret. */
async function mediatedRead(platform: Platform, service: string, citizenId: string, path: string): Promise<Record<string, unknown> | undefined> {
  const res = await mediatedCall(platform, { client: ISSUING_SYSTEM, service, path, userId: citizenId, issue: PURPOSE });
  if (res.status === 404) return undefined;
  if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) {
    throw new OAuthError(503, 'server_error', `the registry could not be read (${res.status}, X-Road-Id ${res.xRoadId})`);
  }
  return res.body as Record<string, unknown>;
}

/** The citizen's records in a registry whose records are about citizens (one or many per person). */
async function registryRecords(platform: Platform, service: string, citizenId: string, fields: string[]): Promise<Array<Record<string, unknown>>> {
  const body = await mediatedRead(platform, service, citizenId, `/records?fields=${fields.join(',')}`);
  return ((body?.records as Array<Record<string, unknown>> | undefined) ?? []);
}

const RESIDENT_SERVICE = 'KR/GOV/MOIS/resident-registry/resident';

/** Name, birth date and age checks from the resident register, which every document about a person carries. */
async function person(
  platform: Platform,
  citizenId: string,
  now: Date,
  moreFields: string[] = [],
): Promise<{ claims: { name: unknown; birthdate?: string; age_equal_or_over?: Record<string, boolean> }; record: Record<string, unknown> }> {
  const r = await registryRecord(platform, RESIDENT_SERVICE, citizenId, ['name', 'birthDate', 'status', ...moreFields]);
  if (r.status !== 'active') throw new OAuthError(400, 'credential_request_denied', 'the resident register does not show this person as an active resident');
  const birthdate = typeof r.birthDate === 'string' ? r.birthDate : undefined;
  const age = birthdate ? ageOn(birthdate, now) : undefined;
  return { claims: { name: r.name, birthdate, ...(age === undefined ? {} : { age_equal_or_over: Object.fromEntries(AGE_THRESHOLDS.map((n) => [String(n), age >= n])) }) }, record: r };
}

const PERSON_CLAIMS: ClaimInfo[] = [
  { path: ['name'], display: { ko: '성명', en: 'Name' } },
  { path: ['birthdate'], display: { ko: '생년월일', en: 'Date of birth' } },
  ...AGE_THRESHOLDS.map((n) => ({ path: ['age_equal_or_over', String(n)], display: { ko: `만 ${n}세 이상`, en: `Aged ${n} or over` } })),
];
const ISSUED_BY: ClaimInfo[] = [
  { path: ['issuing_authority'], display: { ko: '발급 기관', en: 'Issuing authority' } },
  { path: ['issuing_country'], display: { ko: '발급 국가', en: 'Issuing country' } },
];
const authority = (ko: string, en: string) => ({ issuing_authority: `${ko} (${en})`, issuing_country: 'KR' });

async function registryRecord(platform: Platform, service: string, citizenId: string, fields: string[]): Promise<Record<string, unknown>> {
  const body = await mediatedRead(platform, service, citizenId, `/records/${citizenId}?fields=${fields.join(',')}`);
  if (!body) throw new OAuthError(400, 'credential_request_denied', 'the registry holds no record for this person');
  return body;
}

const text = (ko: string, en: string): Names => ({ ko, en });

export const RESIDENT_ID: CredentialConfiguration = {
  id: 'kr.mois.resident-id.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'resident-id',
  name: text('모바일 주민등록증', 'Mobile resident ID'),
  description: text('주민등록 정보에 따른 본인 확인용 신분증 (이름, 생년월일, 국적, 주소, 나이 확인)', 'Identity document from the resident register (name, date of birth, nationality, address, age checks)'),
  validityDays: 365,
  claims: [
    { path: ['name'], display: text('성명', 'Name') },
    { path: ['birthdate'], display: text('생년월일', 'Date of birth') },
    { path: ['nationality'], display: text('국적', 'Nationality') },
    { path: ['address', 'region'], display: text('시도', 'Province or metropolitan city') },
    { path: ['address', 'locality'], display: text('시군구', 'City, county or district') },
    { path: ['address', 'street_address'], display: text('도로명주소', 'Road-name address') },
    { path: ['address', 'postal_code'], display: text('우편번호', 'Postal code') },
    ...AGE_THRESHOLDS.map((n) => ({ path: ['age_equal_or_over', String(n)], display: text(`만 ${n}세 이상`, `Aged ${n} or over`) })),
    { path: ['issuing_authority'], display: text('발급 기관', 'Issuing authority') },
    { path: ['issuing_country'], display: text('발급 국가', 'Issuing country') },
  ],
  async read(platform, citizenId, now) {
    const { claims, record: r } = await person(platform, citizenId, now, ['nationality', 'sido', 'sigungu', 'roadAddress', 'postalCode']);
    const address = Object.fromEntries(
      Object.entries({ region: r.sido, locality: r.sigungu, street_address: r.roadAddress, postal_code: r.postalCode, country: 'KR' }).filter(([, v]) => typeof v === 'string' && v),
    );
    return { ...claims, nationality: r.nationality ?? 'KR', address, ...authority('행정안전부', 'Ministry of the Interior and Safety') };
  },
};

const denied = (why: string) => new OAuthError(400, 'credential_request_denied', why);

/** 모바일 운전면허증 (SD-JWT VC): the valid licences from the police's licence register. */
export const DRIVING_LICENCE: CredentialConfiguration = {
  id: 'kr.knpa.driving-licence.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'driving-licence',
  name: text('모바일 운전면허증', 'Mobile driving licence'),
  description: text('운전면허 정보시스템의 유효한 면허 (면허번호, 종류, 발급일, 갱신 기한)', 'Valid licences from the driver licence register (number, class, issue date, renewal due)'),
  validityDays: 365,
  claims: [
    ...PERSON_CLAIMS,
    { path: ['document_number'], display: text('면허번호', 'Licence number') },
    { path: ['driving_privileges'], display: text('면허 종류', 'Driving privileges') },
    ...ISSUED_BY,
  ],
  async read(platform, citizenId, now) {
    const licences = (await registryRecords(platform, 'KR/GOV/KNPA/licence-registry/licence', citizenId, ['licenceNumber', 'licenceClass', 'issueDate', 'renewalDue', 'status'])).filter((l) => l.status === 'valid');
    if (!licences.length) throw denied('the licence register holds no valid licence for this person');
    return {
      ...(await person(platform, citizenId, now)).claims,
      document_number: licences[0]!.licenceNumber,
      driving_privileges: licences.map((l) => ({ vehicle_category_code: l.licenceClass, issue_date: l.issueDate, expiry_date: l.renewalDue })),
      ...authority('경찰청', 'Korean National Police Agency'),
    };
  },
};

/** 납세증명서 (SD-JWT VC): tax paid in the year and whether anything is in arrears; valid 30 days, like the paper one. */
export const TAX_PAYMENT: CredentialConfiguration = {
  id: 'kr.nts.tax-payment.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'tax-payment',
  name: text('납세증명서', 'Tax payment certificate'),
  description: text('과세연도의 납부 세액과 체납 여부 (국세청)', 'Tax paid in the tax year and whether any is in arrears (National Tax Service)'),
  validityDays: 30,
  claims: [
    ...PERSON_CLAIMS,
    { path: ['tax_year'], display: text('과세연도', 'Tax year') },
    { path: ['total_paid'], display: text('납부 세액(원)', 'Tax paid (KRW)') },
    { path: ['no_arrears'], display: text('체납 없음', 'No arrears') },
    { path: ['last_payment_date'], display: text('최근 납부일', 'Last payment') },
    ...ISSUED_BY,
  ],
  async read(platform, citizenId, now) {
    const [t] = await registryRecords(platform, 'KR/GOV/NTS/tax-registry/tax', citizenId, ['taxYear', 'totalPaid', 'arrears', 'lastPaymentDate']);
    if (!t) throw denied('the tax register holds no record for this person');
    return {
      ...(await person(platform, citizenId, now)).claims,
      tax_year: t.taxYear,
      total_paid: t.totalPaid,
      no_arrears: !(typeof t.arrears === 'number' && t.arrears > 0),
      last_payment_date: t.lastPaymentDate,
      ...authority('국세청', 'National Tax Service'),
    };
  },
};

/** 건강보험 자격득실확인서 (SD-JWT VC). */
export const HEALTH_INSURANCE: CredentialConfiguration = {
  id: 'kr.nhis.health-insurance.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'health-insurance',
  name: text('건강보험 자격득실확인서', 'Health insurance status certificate'),
  description: text('건강보험 가입자 구분과 자격 취득·상실일 (국민건강보험공단)', 'Insured type and coverage dates (National Health Insurance Service)'),
  validityDays: 90,
  claims: [
    ...PERSON_CLAIMS,
    { path: ['insured_type'], display: text('가입자 구분', 'Insured type') },
    { path: ['insurance_status'], display: text('자격 상태', 'Coverage status') },
    { path: ['acquired_date'], display: text('자격 취득일', 'Coverage acquired') },
    { path: ['lost_date'], display: text('자격 상실일', 'Coverage lost') },
    ...ISSUED_BY,
  ],
  async read(platform, citizenId, now) {
    const [h] = await registryRecords(platform, 'KR/GOV/NHIS/insurance-registry/health-insurance', citizenId, ['insuredType', 'status', 'acquiredDate', 'lostDate']);
    if (!h) throw denied('the health insurance register holds no record for this person');
    return {
      ...(await person(platform, citizenId, now)).claims,
      insured_type: h.insuredType,
      insurance_status: h.status,
      acquired_date: h.acquiredDate,
      lost_date: h.lostDate,
      ...authority('국민건강보험공단', 'National Health Insurance Service'),
    };
  },
};

/** 장애인 증명서 (SD-JWT VC): valid until the next review is due, at most a year. */
export const DISABILITY: CredentialConfiguration = {
  id: 'kr.mohw.disability.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'disability',
  name: text('장애인 증명서', 'Disability certificate'),
  description: text('장애 유형과 정도, 등록일 (보건복지부)', 'Disability type, severity and registration date (Ministry of Health and Welfare)'),
  validityDays: 365,
  claims: [
    ...PERSON_CLAIMS,
    { path: ['disability_type'], display: text('장애 유형', 'Disability type') },
    { path: ['severity'], display: text('장애 정도', 'Severity') },
    { path: ['registered_date'], display: text('등록일', 'Registered on') },
    ...ISSUED_BY,
  ],
  async read(platform, citizenId, now) {
    const [d] = await registryRecords(platform, 'KR/GOV/MOHW/welfare-registry/disability', citizenId, ['disabilityType', 'severity', 'registeredDate', 'nextReviewDue']);
    if (!d) throw denied('the disability register holds no record for this person');
    return {
      ...(await person(platform, citizenId, now)).claims,
      disability_type: d.disabilityType,
      severity: d.severity,
      registered_date: d.registeredDate,
      ...authority('보건복지부', 'Ministry of Health and Welfare'),
    };
  },
};

/** 국가유공자증 (SD-JWT VC). */
export const VETERAN: CredentialConfiguration = {
  id: 'kr.mpva.veteran.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'veteran',
  name: text('국가유공자증', 'Person of national merit certificate'),
  description: text('국가보훈대상자 구분과 등록일 (국가보훈부)', 'Category and registration date (Ministry of Patriots and Veterans Affairs)'),
  validityDays: 365,
  claims: [
    ...PERSON_CLAIMS,
    { path: ['category'], display: text('대상 구분', 'Category') },
    { path: ['registered_date'], display: text('등록일', 'Registered on') },
    ...ISSUED_BY,
  ],
  async read(platform, citizenId, now) {
    const [v] = await registryRecords(platform, 'KR/GOV/MPVA/veterans-registry/veteran', citizenId, ['category', 'registeredDate']);
    if (!v) throw denied('the veterans register holds no record for this person');
    return { ...(await person(platform, citizenId, now)).claims, category: v.category, registered_date: v.registeredDate, ...authority('국가보훈부', 'Ministry of Patriots and Veterans Affairs') };
  },
};

/** 가족관계증명서 (SD-JWT VC): parents, spouse and children with their names and birth dates, each read for this purpose. */
export const FAMILY_RELATION: CredentialConfiguration = {
  id: 'kr.scourt.family-relation.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'family-relation',
  name: text('가족관계증명서', 'Family relation certificate'),
  description: text('부모, 배우자, 자녀의 성명과 생년월일, 혼인 상태 (가족관계등록부)', 'Parents, spouse and children (names, dates of birth) and marital status (family relations register)'),
  validityDays: 90,
  claims: [
    ...PERSON_CLAIMS,
    { path: ['marital_status'], display: text('혼인 상태', 'Marital status') },
    { path: ['father'], display: text('부', 'Father') },
    { path: ['mother'], display: text('모', 'Mother') },
    { path: ['spouse'], display: text('배우자', 'Spouse') },
    { path: ['children'], display: text('자녀', 'Children') },
    ...ISSUED_BY,
  ],
  async read(platform, citizenId, now) {
    const [f] = await registryRecords(platform, 'KR/GOV/SCOURT/family-registry/family', citizenId, ['father', 'mother', 'spouse', 'children', 'maritalStatus']);
    if (!f) throw denied('the family relations register holds no record for this person');
    // each relative's name and birth date, read about that relative (on their access log too)
    const relative = async (id: unknown) => {
      if (typeof id !== 'string') return undefined;
      // a relative with no record is left out; a registry that cannot answer fails the issuance
      const r = await mediatedRead(platform, RESIDENT_SERVICE, id, `/records/${id}?fields=name,birthDate`);
      return r ? { name: r.name, birthdate: r.birthDate } : undefined;
    };
    const children = Array.isArray(f.children) ? (await Promise.all(f.children.map(relative))).filter(Boolean) : [];
    return {
      ...(await person(platform, citizenId, now)).claims,
      marital_status: f.maritalStatus,
      father: await relative(f.father),
      mother: await relative(f.mother),
      spouse: await relative(f.spouse),
      ...(children.length ? { children } : {}),
      ...authority('법원행정처', 'National Court Administration'),
    };
  },
};

export const CONFIGURATIONS: Record<string, CredentialConfiguration> = Object.fromEntries(
  [RESIDENT_ID, DRIVING_LICENCE, FAMILY_RELATION, TAX_PAYMENT, HEALTH_INSURANCE, DISABILITY, VETERAN].map((c) => [c.id, c]),
);
