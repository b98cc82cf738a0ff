import type { Platform } from '../../platform/platform.ts';
import { koreaDay } from '../../platform/i18n.ts';
import { ageOn, AGE_THRESHOLDS, mediatedRead, type ClaimInfo, type CredentialConfiguration, type Names } from './configuration.ts';
import { OAuthError } from './errors.ts';
import { RESIDENT_REGISTRATION } from './resident-certificate.ts';

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
export { ageOn, AGE_THRESHOLDS, ISSUING_SYSTEM, PURPOSE, type ClaimInfo, type CredentialConfiguration, type Names } from './configuration.ts';

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

/**
 * 소득·재산 확인서 (SD-JWT VC): household income and assets as the social security information
 * system assessed them; valid 30 days. What a bank or landlord asks for, so that a citizen can
 * keep it in their wallet and show only what is needed (MyData's transfer to oneself).
 */
export const INCOME: CredentialConfiguration = {
  id: 'kr.mohw.income.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'income',
  name: text('소득·재산 확인서', 'Income and assets certificate'),
  description: text('가구 소득과 재산, 기준 중위소득 대비 비율 (사회보장정보시스템)', 'Household income and assets, share of the standard median income (social security information system)'),
  validityDays: 30,
  claims: [
    ...PERSON_CLAIMS,
    { path: ['household_size'], display: text('가구원 수', 'Household size') },
    { path: ['monthly_income'], display: text('월 가구 소득(원)', 'Monthly household income (KRW)') },
    { path: ['assets'], display: text('재산(원)', 'Assets (KRW)') },
    { path: ['median_income_percent'], display: text('기준 중위소득 대비(%)', 'Share of standard median income (%)') },
    { path: ['assessed_date'], display: text('조사일', 'Assessed on') },
    ...ISSUED_BY,
  ],
  async read(platform, citizenId, now) {
    const [i] = await registryRecords(platform, 'KR/GOV/MOHW/welfare-registry/income', citizenId, ['householdSize', 'monthlyIncome', 'assets', 'medianIncomePercent', 'assessedDate']);
    if (!i) throw denied('the social security information system holds no income assessment for this person');
    return {
      ...(await person(platform, citizenId, now)).claims,
      household_size: i.householdSize,
      monthly_income: i.monthlyIncome,
      assets: i.assets,
      median_income_percent: i.medianIncomePercent,
      assessed_date: i.assessedDate,
      ...authority('보건복지부', 'Ministry of Health and Welfare'),
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
  // a welfare entitlement a case worker confirms before it is issued (docs/credentials.md, "Deferred issuance")
  approval: { agency: 'MOHW', name: text('보건복지부', 'Ministry of Health and Welfare') },
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
  approval: { agency: 'MPVA', name: text('국가보훈부', 'Ministry of Patriots and Veterans Affairs') },
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

// ---- ISO/IEC 18013-5 mdocs (mdoc.ts signs and verifies them) -------------------------------
// The same registry reads as the SD-JWT VCs above, mapped to mdoc data elements. Every element is
// disclosed on its own (each has its own salted digest in the MSO).

export const MDL_DOCTYPE = 'org.iso.18013.5.1.mDL';
export const MDL_NAMESPACE = 'org.iso.18013.5.1';
/** The mobile resident ID as an mdoc: our own PID-like document type, its one namespace of the same name. */
export const RESIDENT_ID_DOCTYPE = 'kr.go.mois.resident-id.1';

const COMPOUND_SURNAMES = new Set(['남궁', '황보', '제갈', '선우', '독고', '사공', '서문', '동방', '어금', '망절', '을지']);

/**
 * family_name and given_name from the register's one-string name (family name first). A Hangul
 * name of four or more syllables that starts with a compound family name keeps two syllables;
 * otherwise the first syllable is the family name. The register does not record the split, so a
 * three-syllable name with a compound family name (남궁민) comes out as 남 / 궁민; a name that is
 * not all Hangul goes whole into family_name with an empty given_name.
 */
export function splitKoreanName(name: string): { family_name: string; given_name: string } {
  const full = name.trim();
  const chars = [...full];
  if (chars.length < 2 || !/^[가-힣]+$/.test(full)) return { family_name: full, given_name: '' };
  const n = chars.length >= 4 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  return { family_name: chars.slice(0, n).join(''), given_name: chars.slice(n).join('') };
}

const ageOver = (claims: Record<string, unknown>) =>
  Object.fromEntries(Object.entries((claims.age_equal_or_over as Record<string, boolean> | undefined) ?? {}).map(([n, v]) => [`age_over_${n}`, v]));
const nameElements = (claims: Record<string, unknown>) => (typeof claims.name === 'string' ? splitKoreanName(claims.name) : {});
const mdocClaims = (ns: string, list: Array<[string, string, string]>): ClaimInfo[] => list.map(([el, ko, en]) => ({ path: [ns, el], display: text(ko, en) }));
const AGE_ELEMENTS: Array<[string, string, string]> = AGE_THRESHOLDS.map((n) => [`age_over_${n}`, `만 ${n}세 이상`, `Aged ${n} or over`]);

/**
 * 모바일 주민등록증 as an mdoc (doctype and namespace `kr.go.mois.resident-id.1`), shaped like the
 * EU PID (`eu.europa.ec.eudi.pid.1`) where it can be. Its validity is the MSO's validityInfo
 * (no issuance_date/expiry_date elements: they would repeat it and cost the 3 KB budget).
 */
export const RESIDENT_ID_MDOC: CredentialConfiguration = {
  id: 'kr.mois.resident-id.mdoc',
  format: 'mso_mdoc',
  doctype: RESIDENT_ID_DOCTYPE,
  type: 'resident-id',
  name: text('모바일 주민등록증 (ISO mdoc)', 'Mobile resident ID (ISO mdoc)'),
  description: text('모바일 주민등록증의 ISO/IEC 18013-5 mdoc 형식 (mdoc을 받는 지갑용)', 'The mobile resident ID in the ISO/IEC 18013-5 mdoc format (for wallets that take mdocs)'),
  validityDays: 365,
  claims: mdocClaims(RESIDENT_ID_DOCTYPE, [
    ['family_name', '성', 'Family name'],
    ['given_name', '이름', 'Given name'],
    ['birth_date', '생년월일', 'Date of birth'],
    ['nationality', '국적', 'Nationality'],
    ['resident_state', '시도', 'Province or metropolitan city'],
    ['resident_city', '시군구', 'City, county or district'],
    ['resident_street', '도로명주소', 'Road-name address'],
    ['resident_postal_code', '우편번호', 'Postal code'],
    ['resident_country', '거주 국가', 'Country of residence'],
    ...AGE_ELEMENTS,
    ['issuing_authority', '발급 기관', 'Issuing authority'],
    ['issuing_country', '발급 국가', 'Issuing country'],
  ]),
  async read(platform, citizenId, now) {
    const c = await RESIDENT_ID.read(platform, citizenId, now);
    const a = (c.address ?? {}) as Record<string, unknown>;
    return {
      [RESIDENT_ID_DOCTYPE]: {
        ...nameElements(c),
        birth_date: c.birthdate,
        nationality: c.nationality,
        resident_state: a.region,
        resident_city: a.locality,
        resident_street: a.street_address,
        resident_postal_code: a.postal_code,
        resident_country: a.country,
        ...ageOver(c),
        issuing_authority: c.issuing_authority,
        issuing_country: c.issuing_country,
      },
    };
  },
};

/**
 * Korean licence classes as ISO/IEC 18013-5 vehicle categories (ISO/IEC 18013-1 codes), after the
 * categories a Korean international driving permit shows; to be confirmed with the KNPA.
 */
const ISO_CATEGORIES: Record<string, string[]> = {
  'class1-large': ['B', 'C', 'D'], // 1종 대형
  'class1-ordinary': ['B', 'C1'], // 1종 보통
  'class2-ordinary': ['B'], // 2종 보통
  'class2-small': ['A'], // 2종 소형 (motorcycles)
  moped: ['AM'], // 원동기장치자전거
};

/** 모바일 운전면허증 as an ISO/IEC 18013-5 mDL. No portrait: no register we read holds a photo. */
export const DRIVING_LICENCE_MDOC: CredentialConfiguration = {
  id: 'kr.knpa.driving-licence.mdoc',
  format: 'mso_mdoc',
  doctype: MDL_DOCTYPE,
  type: 'driving-licence',
  name: text('모바일 운전면허증 (ISO mDL)', 'Mobile driving licence (ISO mDL)'),
  description: text('모바일 운전면허증의 ISO/IEC 18013-5 mDL 형식 (해외 검증기와 mDL 지갑용)', 'The mobile driving licence as an ISO/IEC 18013-5 mDL (for mDL wallets and readers abroad)'),
  validityDays: 365,
  claims: mdocClaims(MDL_NAMESPACE, [
    ['family_name', '성', 'Family name'],
    ['given_name', '이름', 'Given name'],
    ['birth_date', '생년월일', 'Date of birth'],
    ['issue_date', '발급일', 'Issue date'],
    ['expiry_date', '만료일', 'Expiry date'],
    ['issuing_country', '발급 국가', 'Issuing country'],
    ['issuing_authority', '발급 기관', 'Issuing authority'],
    ['document_number', '면허번호', 'Licence number'],
    ['driving_privileges', '면허 종류', 'Driving privileges'],
    ['un_distinguishing_sign', '국제 식별 기호', 'UN distinguishing sign'],
    ...AGE_ELEMENTS,
  ]),
  async read(platform, citizenId, now) {
    const c = await DRIVING_LICENCE.read(platform, citizenId, now);
    const seen = new Set<string>();
    const privileges = (c.driving_privileges as Array<{ vehicle_category_code: unknown; issue_date: unknown; expiry_date: unknown }>).flatMap((p) =>
      (ISO_CATEGORIES[String(p.vehicle_category_code)] ?? []).filter((code) => !seen.has(code) && seen.add(code)).map((code) => ({
        vehicle_category_code: code,
        ...(typeof p.issue_date === 'string' ? { issue_date: p.issue_date } : {}),
        ...(typeof p.expiry_date === 'string' ? { expiry_date: p.expiry_date } : {}),
      })),
    );
    return {
      [MDL_NAMESPACE]: {
        ...nameElements(c),
        birth_date: c.birthdate,
        issue_date: koreaDay(now),
        expiry_date: koreaDay(new Date(now.getTime() + DRIVING_LICENCE_MDOC.validityDays * 86400_000)),
        issuing_country: 'KR',
        issuing_authority: c.issuing_authority,
        document_number: c.document_number,
        driving_privileges: privileges,
        un_distinguishing_sign: 'ROK',
        ...ageOver(c),
      },
    };
  },
};

export const CONFIGURATIONS: Record<string, CredentialConfiguration> = Object.fromEntries(
  [RESIDENT_ID, DRIVING_LICENCE, FAMILY_RELATION, RESIDENT_REGISTRATION, TAX_PAYMENT, INCOME, HEALTH_INSURANCE, DISABILITY, VETERAN, RESIDENT_ID_MDOC, DRIVING_LICENCE_MDOC].map((c) => [c.id, c]),
);
