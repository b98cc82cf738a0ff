/**
 * The registries Hanaro ships with, as code: each owned by its real agency (member code in
 * instance KR) and provided by one of its subsystems. The seeder `registries.definitions` writes
 * them to `registries.registry`; everything else (validation, the GovStack APIs, the mediated
 * services) is generated from these field lists.
 */

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'enum' | 'rrn' | 'ref' | 'refs';

export interface Text {
  ko: string;
  en: string;
}

export interface RegistryField {
  /** JSON key of the field in a record (letters, digits, `_`; not one of the reserved names). */
  name: string;
  label: Text;
  type: FieldType;
  /** True when the value says something about a person (logged when read; MyData shows it). */
  personal: boolean;
  required?: boolean;
  /** Unique within the registry; only `rrn` fields can be (enforced by the blind index). */
  unique?: boolean;
  /** The allowed values of an `enum` field. */
  values?: string[];
  /** Filled in on create when the field is absent. */
  default?: string | number | boolean;
  /** A regular expression a `string` field must match (whole value). */
  pattern?: string;
  /** An extra check beyond the pattern. */
  format?: 'business-number';
  description?: Text;
}

/**
 * Whom a registry's records are about: `self` (the resident registry: a record is the citizen,
 * its id is the citizen id), `citizen` (every record names an existing resident as subjectId),
 * `none` (records about no one; the registry holds no personal data).
 */
export type SubjectKind = 'self' | 'citizen' | 'none';

export interface RegistryDefinition {
  code: string;
  version: string;
  agency: string;
  subsystem: string;
  name: Text;
  description: Text;
  subject: SubjectKind;
  /** `one`: at most one record per subject (family relations, tax, income); `many`: 0..n (vehicles). */
  perSubject: 'one' | 'many';
  fields: RegistryField[];
}

/** The agencies (members of class GOV in instance KR) that own the seeded registries. */
export const AGENCIES: Record<string, Text> = {
  MOIS: { ko: '행정안전부', en: 'Ministry of the Interior and Safety' },
  SCOURT: { ko: '법원행정처', en: 'National Court Administration' },
  MOLIT: { ko: '국토교통부', en: 'Ministry of Land, Infrastructure and Transport' },
  KNPA: { ko: '경찰청', en: 'Korean National Police Agency' },
  NTS: { ko: '국세청', en: 'National Tax Service' },
  NHIS: { ko: '국민건강보험공단', en: 'National Health Insurance Service' },
  MOHW: { ko: '보건복지부', en: 'Ministry of Health and Welfare' },
  MPVA: { ko: '국가보훈부', en: 'Ministry of Patriots and Veterans Affairs' },
};

/** The code of the resident registry, whose record ids are the citizen identifiers everywhere. */
export const RESIDENT = 'resident';
export const FAMILY = 'family';

const t = (ko: string, en: string): Text => ({ ko, en });

// terse builders: personal unless `np`
type Opt = Partial<Omit<RegistryField, 'name' | 'label' | 'type'>> & { np?: boolean };
function f(name: string, ko: string, en: string, type: FieldType, opt: Opt = {}): RegistryField {
  const { np, ...rest } = opt;
  return { name, label: t(ko, en), type, personal: !np, ...rest };
}
const en = (name: string, ko: string, enLabel: string, values: string[], opt: Opt = {}) => f(name, ko, enLabel, 'enum', { values, ...opt });

export const REGISTRY_DEFINITIONS: RegistryDefinition[] = [
  {
    code: RESIDENT,
    version: '1.0',
    agency: 'MOIS',
    subsystem: 'resident-registry',
    name: t('주민등록', 'Resident registration'),
    description: t('주민등록번호, 성명, 주소와 세대 등 주민등록 사항', 'Resident registration numbers, names, addresses and households'),
    subject: 'self',
    perSubject: 'one',
    fields: [
      f('rrn', '주민등록번호', 'Resident registration number', 'rrn', { required: true, unique: true }),
      f('name', '성명', 'Name', 'string', { required: true }),
      en('sex', '성별', 'Sex', ['M', 'F'], { required: true }),
      f('birthDate', '생년월일', 'Date of birth', 'date', { required: true }),
      f('nationality', '국적', 'Nationality', 'string', { np: true, default: 'KR', pattern: '^[A-Z]{2}$' }),
      f('sido', '시도', 'Province or metropolitan city', 'string'),
      f('sigungu', '시군구', 'City, county or district', 'string'),
      f('roadAddress', '도로명주소', 'Road-name address', 'string'),
      f('postalCode', '우편번호', 'Postal code', 'string', { pattern: '^[0-9]{5}$' }),
      f('householdId', '세대번호', 'Household number', 'string'),
      en('householdRole', '세대주와의 관계', 'Relation to the household head', ['head', 'spouse', 'child', 'parent', 'sibling', 'grandchild', 'other']),
      f('moveInDate', '전입일', 'Move-in date', 'date'),
      en('status', '상태', 'Status', ['active', 'deceased', 'emigrated'], { required: true, np: true }),
      f('deathDate', '사망일', 'Date of death', 'date'),
    ],
  },
  {
    code: FAMILY,
    version: '1.0',
    agency: 'SCOURT',
    subsystem: 'family-registry',
    name: t('가족관계', 'Family relations'),
    description: t('부모, 배우자, 자녀와 혼인 상태 (가족관계등록부)', 'Parents, spouse, children and marital status (family relations register)'),
    subject: 'citizen',
    perSubject: 'one',
    fields: [
      f('father', '부', 'Father', 'ref'),
      f('mother', '모', 'Mother', 'ref'),
      f('spouse', '배우자', 'Spouse', 'ref'),
      f('children', '자녀', 'Children', 'refs'),
      en('maritalStatus', '혼인 상태', 'Marital status', ['single', 'married', 'divorced', 'widowed']),
    ],
  },
  {
    code: 'vehicle',
    version: '1.0',
    agency: 'MOLIT',
    subsystem: 'vehicle-registry',
    name: t('자동차 등록', 'Vehicle registration'),
    description: t('자동차 등록번호, 차종, 등록일과 정기검사 기한 (소유자별)', 'Plate numbers, models, registration dates and inspection due dates, by owner'),
    subject: 'citizen',
    perSubject: 'many',
    fields: [
      f('plateNumber', '자동차 등록번호', 'Plate number', 'string', { required: true, pattern: '^[0-9]{2,3}[가-힣][0-9]{4}$' }),
      f('model', '차명', 'Model', 'string', { required: true }),
      en('fuel', '연료', 'Fuel', ['gasoline', 'diesel', 'lpg', 'hybrid', 'electric'], { np: true }),
      f('modelYear', '연식', 'Model year', 'integer', { np: true }),
      f('registrationDate', '최초 등록일', 'Registration date', 'date'),
      f('nextInspectionDue', '다음 정기검사 기한', 'Next inspection due', 'date'),
      // changed with the owner's 전입신고 (주소변경 일괄 신청)
      f('baseAddress', '사용본거지', 'Principal place of use', 'string'),
    ],
  },
  {
    code: 'licence',
    version: '1.0',
    agency: 'KNPA',
    subsystem: 'licence-registry',
    name: t('운전면허', 'Driver licences'),
    description: t('운전면허 번호, 종류, 발급일, 갱신 기한과 상태', 'Licence numbers, classes, issue dates, renewal due dates and status'),
    subject: 'citizen',
    perSubject: 'many',
    fields: [
      f('licenceNumber', '면허번호', 'Licence number', 'string', { required: true, pattern: '^[0-9]{2}-[0-9]{2}-[0-9]{6}-[0-9]{2}$' }),
      en('licenceClass', '면허 종류', 'Licence class', ['class1-large', 'class1-ordinary', 'class2-ordinary', 'class2-small', 'moped'], { required: true }),
      f('issueDate', '발급일', 'Issue date', 'date'),
      f('renewalDue', '갱신 기한', 'Renewal due', 'date'),
      en('status', '상태', 'Status', ['valid', 'suspended', 'revoked', 'expired'], { required: true }),
      f('address', '주소', 'Address', 'string'),
    ],
  },
  {
    code: 'tax',
    version: '1.0',
    agency: 'NTS',
    subsystem: 'tax-registry',
    name: t('국세 납세', 'Tax payments'),
    description: t('과세연도의 납부 세액, 체납액과 최근 납부일', 'Tax paid in the tax year, arrears and the last payment date'),
    subject: 'citizen',
    perSubject: 'one',
    fields: [
      f('taxYear', '과세연도', 'Tax year', 'integer', { required: true }),
      f('totalPaid', '납부 세액(원)', 'Total paid (KRW)', 'integer'),
      f('arrears', '체납액(원)', 'Arrears (KRW)', 'integer'),
      f('arrearsSince', '체납 시작일', 'In arrears since', 'date'),
      f('lastPaymentDate', '최근 납부일', 'Last payment date', 'date'),
    ],
  },
  {
    code: 'business',
    version: '1.0',
    agency: 'NTS',
    subsystem: 'business-registry',
    name: t('사업자 등록', 'Business registration'),
    description: t('사업자등록번호, 상호, 업태와 종목, 개업일과 상태 (대표자별)', 'Business numbers, trade names, types, opening dates and status, by owner'),
    subject: 'citizen',
    perSubject: 'many',
    fields: [
      f('businessNumber', '사업자등록번호', 'Business registration number', 'string', {
        required: true, pattern: '^[0-9]{3}-[0-9]{2}-[0-9]{5}$', format: 'business-number',
      }),
      f('tradeName', '상호', 'Trade name', 'string', { required: true }),
      f('businessType', '업태', 'Business type', 'string'),
      f('industry', '종목', 'Industry', 'string'),
      f('openingDate', '개업일', 'Opening date', 'date'),
      en('status', '상태', 'Status', ['active', 'suspended', 'closed'], { required: true }),
      f('address', '사업장 소재지', 'Business address', 'string'),
    ],
  },
  {
    code: 'health-insurance',
    version: '1.0',
    agency: 'NHIS',
    subsystem: 'insurance-registry',
    name: t('건강보험 자격', 'Health insurance'),
    description: t('건강보험 가입자 구분, 자격 취득·상실, 보험료와 건강검진 기한', 'Insured type, coverage dates, premium and health check-up due dates'),
    subject: 'citizen',
    perSubject: 'one',
    fields: [
      en('insuredType', '가입자 구분', 'Insured type', ['employee', 'self-employed', 'dependent', 'medical-aid'], { required: true }),
      en('status', '자격 상태', 'Status', ['insured', 'lost'], { required: true }),
      f('acquiredDate', '자격 취득일', 'Coverage acquired', 'date'),
      f('lostDate', '자격 상실일', 'Coverage lost', 'date'),
      f('monthlyPremium', '월 보험료(원)', 'Monthly premium (KRW)', 'integer'),
      f('dependentOf', '피부양 관계의 직장가입자', 'Dependent of', 'ref'),
      f('lastCheckupDate', '최근 건강검진일', 'Last health check-up', 'date'),
      f('nextCheckupDue', '다음 건강검진 기한', 'Next health check-up due', 'date'),
      f('address', '주소', 'Address', 'string'),
    ],
  },
  {
    code: 'income',
    version: '1.0',
    agency: 'MOHW',
    subsystem: 'welfare-registry',
    name: t('소득·재산', 'Income and assets'),
    description: t('가구 소득과 재산, 기준 중위소득 대비 비율, 직업 (사회보장정보)', 'Household income and assets, share of the standard median income, occupation'),
    subject: 'citizen',
    perSubject: 'one',
    fields: [
      f('householdId', '세대번호', 'Household number', 'string'),
      f('householdSize', '가구원 수', 'Household size', 'integer'),
      f('monthlyIncome', '월 가구 소득(원)', 'Monthly household income (KRW)', 'integer'),
      f('assets', '재산(원)', 'Assets (KRW)', 'integer'),
      f('medianIncomePercent', '기준 중위소득 대비(%)', 'Share of standard median income (%)', 'integer'),
      f('occupation', '직업', 'Occupation', 'string'),
      en('employmentType', '고용 형태', 'Employment type', ['employee', 'self-employed', 'unemployed', 'retired', 'student', 'child', 'homemaker']),
      f('assessedDate', '조사일', 'Assessed on', 'date'),
    ],
  },
  {
    code: 'disability',
    version: '1.0',
    agency: 'MOHW',
    subsystem: 'welfare-registry',
    name: t('장애인 등록', 'Disability registration'),
    description: t('장애 유형과 정도, 등록일과 재판정 기한', 'Disability type and severity, registration and review dates'),
    subject: 'citizen',
    perSubject: 'many',
    fields: [
      en('disabilityType', '장애 유형', 'Disability type', [
        'physical', 'brain-lesion', 'visual', 'hearing', 'speech', 'intellectual', 'autism', 'mental',
        'kidney', 'heart', 'respiratory', 'liver', 'facial', 'ostomy', 'epilepsy',
      ], { required: true }),
      en('severity', '장애 정도', 'Severity', ['severe', 'mild'], { required: true }),
      f('registeredDate', '등록일', 'Registered on', 'date'),
      f('nextReviewDue', '재판정 기한', 'Next review due', 'date'),
    ],
  },
  {
    code: 'veteran',
    version: '1.0',
    agency: 'MPVA',
    subsystem: 'veterans-registry',
    name: t('국가보훈', 'Veterans'),
    description: t('국가보훈대상자 구분, 등록일과 보훈급여', 'Category of person of national merit, registration date and monthly benefit'),
    subject: 'citizen',
    perSubject: 'one',
    fields: [
      en('category', '대상 구분', 'Category', [
        'independence-merit', 'war-veteran', 'wounded-veteran', 'bereaved-family', 'democracy-merit', 'special-mission',
      ], { required: true }),
      f('registeredDate', '등록일', 'Registered on', 'date'),
      f('monthlyBenefit', '월 보훈급여(원)', 'Monthly benefit (KRW)', 'integer'),
    ],
  },
];
