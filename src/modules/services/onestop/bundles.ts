import { z } from 'zod';
import type { Text } from '../../registries/index.ts';

/**
 * The one-stop life events (docs/services.md, "One-stop applications"): 행복출산 (a birth, its
 * registration and benefits), 전입 (a move, with the address changes of the licence, vehicle and
 * health-insurance registries) and 안심상속 (a death, its registration and the inheritance
 * inquiries). Each is a GovStack Registration "service" with one e-form; one application fans
 * out to a part (task) per agency. The first part registers the event; the others follow it (a
 * birth: the family register first, then the resident register, then insurance and benefits).
 */

export type BundleCode = 'birth' | 'move' | 'death';
export const BUNDLE_CODES: readonly BundleCode[] = ['birth', 'move', 'death'];

/** A part of a bundle: what an agency does about one application. */
export interface PartSpec {
  kind: string;
  agency: string;
  title: Text;
  /** Hours the agency has to decide (the SLA); escalated past it. */
  slaHours: number;
  /** The part this one waits for (its approval opens this one; its rejection cancels it). */
  after?: string;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'bad_date' }).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: 'bad_date' });
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: 'bad_id' });
const text = (max: number) => z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(max, { error: 'too_long' });

/** Benefits a birth application may ask for (catalogue ids). */
export const BIRTH_BENEFITS = ['first-meeting-voucher', 'parental-benefit', 'child-allowance'] as const;
/** Registries whose address follows a move. */
export const ADDRESS_TARGETS = ['licence', 'vehicle', 'health-insurance'] as const;
/** 안심상속 inquiries. */
export const INHERITANCE_INQUIRIES = ['tax', 'vehicle', 'health-insurance'] as const;

const checks = <T extends string>(values: readonly [T, ...T[]]) => z.array(z.enum(values, { error: 'bad_choice' })).max(values.length).transform((v) => [...new Set(v)]);

export const BirthForm = z.object({
  childName: text(40),
  childSex: z.enum(['M', 'F'], { error: 'required' }),
  birthDate: day,
  birthPlace: z.string().trim().max(100, { error: 'too_long' }).optional(),
  /** The other parent as the family registry names them (the applicant's spouse), when they are one. */
  otherParentId: uuid.optional(),
  benefits: checks(BIRTH_BENEFITS).default([...BIRTH_BENEFITS]),
});
export type BirthForm = z.infer<typeof BirthForm>;

export const MoveForm = z.object({
  sido: text(20),
  sigungu: text(20),
  roadAddress: text(200),
  postalCode: z.string({ error: 'required' }).regex(/^\d{5}$/, { error: 'bad_postal_code' }),
  moveInDate: day,
  addressChanges: checks(ADDRESS_TARGETS).default([]),
});
export type MoveForm = z.infer<typeof MoveForm>;

export const DeathForm = z.object({
  deceasedId: uuid,
  deathDate: day,
  deathPlace: z.string().trim().max(100, { error: 'too_long' }).optional(),
  inquiries: checks(INHERITANCE_INQUIRIES).default([...INHERITANCE_INQUIRIES]),
});
export type DeathForm = z.infer<typeof DeathForm>;

export type FormOf<B extends BundleCode> = B extends 'birth' ? BirthForm : B extends 'move' ? MoveForm : DeathForm;

export interface Bundle {
  code: BundleCode;
  /** GovStack serviceId. */
  serviceId: string;
  eFormId: string;
  version: string;
  /** The catalogue entry this bundle applies for (services/<id>). */
  catalogueId: string;
  name: Text;
  description: Text;
  form: z.ZodType;
  /** The parts an application with this form fans out to. */
  parts(form: never): PartSpec[];
}

const t = (ko: string, en: string): Text => ({ ko, en });

const BENEFIT_TITLES: Record<(typeof BIRTH_BENEFITS)[number], Text> = {
  'first-meeting-voucher': t('첫만남이용권 신청', 'First Meeting Voucher'),
  'parental-benefit': t('부모급여 신청', 'Parental Benefit'),
  'child-allowance': t('아동수당 신청', 'Child Allowance'),
};

export const BUNDLES: Record<BundleCode, Bundle> = {
  birth: {
    code: 'birth',
    serviceId: '6f1c8a52-4b1e-4f0a-9a7e-2d3c1b5e8f01',
    eFormId: '6f1c8a52-4b1e-4f0a-9a7e-2d3c1b5e8f11',
    version: '1',
    catalogueId: 'birth-registration',
    name: t('행복출산 원스톱 서비스 (출생신고와 출산 지원 통합 신청)', 'Happy Birth one-stop service (birth registration and birth benefits)'),
    description: t(
      '출생신고 한 번으로 주민등록, 건강보험 피부양자 등록, 첫만남이용권·부모급여·아동수당 신청까지 함께 처리합니다.',
      'One birth registration also enrols the child in health insurance and applies for the First Meeting Voucher, Parental Benefit and Child Allowance.',
    ),
    form: BirthForm,
    parts: (f: BirthForm) => [
      { kind: 'birth.family', agency: 'SCOURT', title: t('출생신고 (가족관계등록부 기록)', 'Birth registration (family relations register)'), slaHours: 24 },
      { kind: 'birth.register', agency: 'MOIS', title: t('주민등록 (주민등록번호 부여)', 'Resident registration (resident registration number)'), slaHours: 24, after: 'birth.family' },
      { kind: 'birth.insurance', agency: 'NHIS', title: t('건강보험 피부양자 등록', 'Health insurance: child as dependant'), slaHours: 72, after: 'birth.register' },
      ...f.benefits.map((b) => ({ kind: `birth.benefit.${b}`, agency: 'MOHW', title: BENEFIT_TITLES[b], slaHours: 120, after: 'birth.register' })),
    ],
  },
  move: {
    code: 'move',
    serviceId: '6f1c8a52-4b1e-4f0a-9a7e-2d3c1b5e8f02',
    eFormId: '6f1c8a52-4b1e-4f0a-9a7e-2d3c1b5e8f12',
    version: '1',
    catalogueId: 'moving-in-report',
    name: t('전입신고와 주소변경 일괄 신청', 'Moving-in report with address changes'),
    description: t(
      '전입신고와 함께 운전면허, 자동차 등록(사용본거지), 건강보험의 주소를 한 번에 바꿉니다.',
      'Report your move once, and the address on your driving licence, vehicle registration and health insurance changes with it.',
    ),
    form: MoveForm,
    parts: (f: MoveForm) => [
      { kind: 'move.register', agency: 'MOIS', title: t('전입신고 (주민등록 주소 변경)', 'Moving-in report (resident address)'), slaHours: 24 },
      ...f.addressChanges.map((r) => ADDRESS_PARTS[r]),
    ],
  },
  death: {
    code: 'death',
    serviceId: '6f1c8a52-4b1e-4f0a-9a7e-2d3c1b5e8f03',
    eFormId: '6f1c8a52-4b1e-4f0a-9a7e-2d3c1b5e8f13',
    version: '1',
    catalogueId: 'safe-inheritance-one-stop',
    name: t('사망신고와 안심상속 원스톱 서비스', 'Death registration with the Safe Inheritance one-stop service'),
    description: t(
      '사망신고와 함께 건강보험 자격 상실을 처리하고, 돌아가신 분의 국세·자동차·건강보험 정보를 한 번에 조회합니다.',
      'Register a death once: health insurance coverage ends, and the deceased’s taxes, vehicles and health insurance are looked up for the heirs in one go.',
    ),
    form: DeathForm,
    parts: (f: DeathForm) => [
      { kind: 'death.register', agency: 'MOIS', title: t('사망신고 (주민등록 말소)', 'Death registration (resident register)'), slaHours: 24 },
      ...f.inquiries.map((i) => INHERITANCE_PARTS[i]),
    ],
  },
};

const ADDRESS_PARTS: Record<(typeof ADDRESS_TARGETS)[number], PartSpec> = {
  licence: { kind: 'move.licence', agency: 'KNPA', title: t('운전면허 주소 변경', 'Driving licence address'), slaHours: 72, after: 'move.register' },
  vehicle: { kind: 'move.vehicle', agency: 'MOLIT', title: t('자동차 사용본거지 변경', 'Vehicle registration address'), slaHours: 72, after: 'move.register' },
  'health-insurance': { kind: 'move.insurance', agency: 'NHIS', title: t('건강보험 주소 변경', 'Health insurance address'), slaHours: 72, after: 'move.register' },
};

const INHERITANCE_PARTS: Record<(typeof INHERITANCE_INQUIRIES)[number], PartSpec> = {
  tax: { kind: 'death.tax', agency: 'NTS', title: t('국세 조회 (체납액·납부 내역)', 'Tax inquiry (arrears and payments)'), slaHours: 168, after: 'death.register' },
  vehicle: { kind: 'death.vehicle', agency: 'MOLIT', title: t('자동차 소유 조회', 'Vehicle ownership inquiry'), slaHours: 168, after: 'death.register' },
  'health-insurance': { kind: 'death.insurance', agency: 'NHIS', title: t('건강보험 자격 상실', 'Health insurance: coverage ends'), slaHours: 72, after: 'death.register' },
};

export function bundleByServiceId(id: string): Bundle | undefined {
  return Object.values(BUNDLES).find((b) => b.serviceId === id.toLowerCase());
}
export function bundleByEFormId(id: string): Bundle | undefined {
  return Object.values(BUNDLES).find((b) => b.eFormId === id.toLowerCase());
}

/** Every part a bundle can have (every benefit, address change and inquiry ticked). */
export function allParts(b: Bundle): PartSpec[] {
  return b.parts({ benefits: [...BIRTH_BENEFITS], addressChanges: [...ADDRESS_TARGETS], inquiries: [...INHERITANCE_INQUIRIES] } as never);
}

const PART_TITLES = new Map(Object.values(BUNDLES).flatMap((b) => allParts(b).map((p) => [p.kind, p.title] as const)));

/** The part's title, for a kind an application holds. */
export function partTitle(kind: string): Text {
  return PART_TITLES.get(kind) ?? { ko: kind, en: kind };
}

/** The e-form's JSON Schema (GovStack `EForm.schema`), from the same zod schema that checks submissions. */
export function eFormSchema(b: Bundle): Record<string, unknown> {
  return z.toJSONSchema(b.form, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** A field problem: the field's name and a code the pages and the API explain. */
export interface FieldProblem {
  field: string;
  code: string;
}

/** Checks form data against the bundle's form: the parsed form, or every problem with its field. */
export function parseForm<B extends BundleCode>(code: B, data: unknown): { form: FormOf<B> } | { problems: FieldProblem[] } {
  const r = BUNDLES[code].form.safeParse(data ?? {});
  if (r.success) return { form: r.data as FormOf<B> };
  const problems: FieldProblem[] = [];
  for (const i of r.error.issues) {
    const field = String(i.path[0] ?? '(form)');
    if (problems.some((p) => p.field === field)) continue;
    const code = i.code === 'invalid_type' && i.input === undefined ? 'required' : i.code === 'unrecognized_keys' ? 'unknown_field' : /^[a-z_]+$/.test(i.message) ? i.message : 'invalid';
    problems.push({ field, code });
  }
  return { problems };
}
