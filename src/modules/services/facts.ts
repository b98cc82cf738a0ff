import type { Text } from '../registries/index.ts';

/**
 * The facts eligibility rules are written against: what the registries say about a citizen,
 * shaped for rules (ages and months worked out, a household's children listed) rather than as
 * the registries store it. A fact the registries could not give (no access right, a registry
 * that did not answer, a field left empty) is absent, and a rule clause that needs it is
 * "unknown": the service is then "possibly eligible" with that fact named as missing.
 *
 * A registry that answers with no record gives definite facts: not registered as disabled
 * (`disability.registered` false, `severity` and `type` "none"), no veteran (`category` "none"),
 * no licence (`holder` false, `status` "none"), no health insurance (`insured` false,
 * `insuredType` "none"), no tax record (`arrears` 0), so that a rule about them is decided.
 *
 * Types are CEL's: `double` for every number (ages, months, amounts and percentages alike, so
 * rules compare with plain literals: `person.age >= 65`), `string`, `bool`, `timestamp` for
 * dates (calendar dates in Korea, as midnight UTC of the date: cel-env.ts), and lists of objects for children and vehicles.
 */

export type FactType = 'double' | 'string' | 'bool' | 'timestamp';

export interface FactField {
  type: FactType;
  label: Text;
  /** Allowed values of a string fact. */
  values?: readonly string[];
}

export interface FactGroup {
  label: Text;
  /** The registries the group is read from (codes). */
  registries: readonly string[];
  fields: Record<string, FactField>;
  /** A list of objects (children, vehicles) rather than one object. */
  list?: boolean;
}

const f = (type: FactType, ko: string, en: string, values?: readonly string[]): FactField => ({ type, label: { ko, en }, ...(values ? { values } : {}) });

export const SIDO = [
  '서울특별시', '부산광역시', '대구광역시', '인천광역시', '광주광역시', '대전광역시', '울산광역시', '세종특별자치시',
  '경기도', '강원특별자치도', '충청북도', '충청남도', '전북특별자치도', '전라남도', '경상북도', '경상남도', '제주특별자치도',
] as const;

/** Every fact a rule may name, by group: `person.age`, `household.medianIncomePercent`, `children` (a list), … */
export const FACTS = {
  person: {
    label: { ko: '본인', en: 'The person' },
    registries: ['resident'],
    fields: {
      age: f('double', '만 나이', 'age in years'),
      ageMonths: f('double', '개월 수', 'age in months'),
      birthDate: f('timestamp', '생년월일', 'date of birth'),
      sex: f('string', '성별', 'sex', ['M', 'F']),
      nationality: f('string', '국적', 'nationality'),
      sido: f('string', '시도', 'province or metropolitan city', SIDO),
      sigungu: f('string', '시군구', 'city, county or district'),
      moveInDate: f('timestamp', '전입일', 'moved in on'),
      householdRole: f('string', '세대 내 관계', 'role in the household', ['head', 'spouse', 'child', 'parent', 'sibling', 'grandchild', 'other']),
      status: f('string', '주민등록 상태', 'registration status', ['active', 'deceased', 'emigrated']),
    },
  },
  family: {
    label: { ko: '가족관계', en: 'Family' },
    registries: ['family'],
    fields: {
      maritalStatus: f('string', '혼인 상태', 'marital status', ['single', 'married', 'divorced', 'widowed']),
      childrenCount: f('double', '자녀 수', 'number of children'),
      minorChildren: f('double', '18세 미만 자녀 수', 'children under 18'),
      singleParent: f('bool', '한부모 여부', 'single parent'),
    },
  },
  children: {
    label: { ko: '자녀', en: 'Children' },
    registries: ['family', 'resident'],
    list: true,
    fields: {
      age: f('double', '만 나이', 'age in years'),
      ageMonths: f('double', '개월 수', 'age in months'),
      birthDate: f('timestamp', '생년월일', 'date of birth'),
      order: f('double', '출생 순위', 'birth order'),
    },
  },
  household: {
    label: { ko: '가구 소득·재산', en: 'Household income and assets' },
    registries: ['income'],
    fields: {
      size: f('double', '가구원 수', 'household size'),
      monthlyIncome: f('double', '월 소득(원)', 'monthly income (KRW)'),
      assets: f('double', '재산(원)', 'assets (KRW)'),
      medianIncomePercent: f('double', '기준 중위소득 대비(%)', 'percent of the standard median income'),
    },
  },
  work: {
    label: { ko: '일자리', en: 'Work' },
    registries: ['income', 'business'],
    fields: {
      employmentType: f('string', '고용 형태', 'employment', ['employee', 'self-employed', 'unemployed', 'retired', 'student', 'child', 'homemaker']),
      occupation: f('string', '직업', 'occupation'),
      businessOwner: f('bool', '사업자 여부', 'runs a business'),
      businessYears: f('double', '사업 운영 기간(년)', 'years in business'),
    },
  },
  disability: {
    label: { ko: '장애', en: 'Disability' },
    registries: ['disability'],
    fields: {
      registered: f('bool', '등록 장애인', 'registered as disabled'),
      severity: f('string', '장애 정도', 'severity', ['severe', 'mild', 'none']),
      type: f('string', '장애 유형', 'type of disability (none when not registered)'),
      nextReviewDue: f('timestamp', '재판정 기한', 'next review due'),
    },
  },
  veteran: {
    label: { ko: '국가보훈', en: 'Veterans' },
    registries: ['veteran'],
    fields: {
      registered: f('bool', '국가보훈대상자', 'registered with veterans affairs'),
      category: f('string', '대상 구분', 'category', ['independence-merit', 'war-veteran', 'wounded-veteran', 'bereaved-family', 'democracy-merit', 'special-mission', 'none']),
    },
  },
  insurance: {
    label: { ko: '건강보험', en: 'Health insurance' },
    registries: ['health-insurance'],
    fields: {
      insuredType: f('string', '가입 유형', 'insured as', ['employee', 'self-employed', 'dependent', 'medical-aid', 'none']),
      insured: f('bool', '자격 유지', 'insured now'),
      monthlyPremium: f('double', '월 보험료(원)', 'monthly premium (KRW)'),
      nextCheckupDue: f('timestamp', '건강검진 기한', 'health check-up due'),
    },
  },
  tax: {
    label: { ko: '국세', en: 'National tax' },
    registries: ['tax'],
    fields: {
      arrears: f('double', '체납액(원)', 'arrears (KRW)'),
      totalPaid: f('double', '납부액(원)', 'tax paid (KRW)'),
    },
  },
  licence: {
    label: { ko: '운전면허', en: 'Driving licence' },
    registries: ['licence'],
    fields: {
      holder: f('bool', '면허 보유', 'holds a licence'),
      status: f('string', '면허 상태', 'licence status', ['valid', 'suspended', 'revoked', 'expired', 'none']),
      renewalDue: f('timestamp', '갱신 기한', 'renewal due'),
    },
  },
  vehicles: {
    label: { ko: '자동차', en: 'Vehicles' },
    registries: ['vehicle'],
    list: true,
    fields: {
      plateNumber: f('string', '차량번호', 'plate number'),
      modelYear: f('double', '연식', 'model year'),
      nextInspectionDue: f('timestamp', '정기검사 기한', 'inspection due'),
    },
  },
} as const satisfies Record<string, FactGroup>;

export type FactGroupName = keyof typeof FACTS;

/**
 * A citizen's facts as rules see them. Groups and fields are optional: absent means unknown.
 * Timestamps are Dates; lists are arrays of objects with the group's fields.
 */
export type Facts = {
  [G in FactGroupName]?: (typeof FACTS)[G] extends { list: true } ? Array<Record<string, unknown>> : Record<string, unknown>;
};

/** Every fact path (`person.age`, `children`, `children.ageMonths`) with its type and label. */
export function factPaths(): Array<{ path: string; type: FactType | 'list'; label: Text }> {
  const out: Array<{ path: string; type: FactType | 'list'; label: Text }> = [];
  for (const [g, group] of Object.entries(FACTS) as Array<[string, FactGroup]>) {
    if (group.list) out.push({ path: g, type: 'list', label: group.label });
    for (const [name, field] of Object.entries(group.fields)) out.push({ path: `${g}.${name}`, type: field.type, label: field.label });
  }
  return out;
}
