// Work, earnings, household income and health-insurance status. Shares follow Korean statistics
// roughly (employment by age and sex, wages by age, 기초연금, 의료급여 for the poorest households),
// so that income as a per cent of the median income comes out with a realistic spread.
import type { Rng } from '../../../platform/seed.ts';
import { BUSINESSES, EMPLOYEE_JOBS, SENIOR_JOBS, medianIncome, type BusinessKind } from './catalog/life.ts';
import type { Household, Person } from './household.ts';
import { gaussian, picker } from './ids.ts';

export type EmploymentType = 'employee' | 'self-employed' | 'unemployed' | 'retired' | 'student' | 'child' | 'homemaker';
export type InsuredType = 'employee' | 'self-employed' | 'dependent' | 'medical-aid';

export interface Job {
  type: EmploymentType;
  occupation: string;
  /** own monthly income in KRW (wage, business income or pensions) */
  monthly: number;
  business?: BusinessKind;
}

/** How one person is covered by health insurance. */
export interface Coverage {
  type: InsuredType;
  /** the employee a dependant is insured through */
  dependentOf?: Person;
  premium: number;
}

export interface Finances {
  monthlyIncome: number;
  assets: number;
  medianIncomePercent: number;
  /** per member, by person id */
  insurance: Map<string, Coverage>;
}

const employeeJobs = picker(EMPLOYEE_JOBS);
const seniorJobs = picker(SENIOR_JOBS);
const cityBusiness = picker(BUSINESSES.map((b) => [b, b.weight] as const));
const ruralBusiness = picker(BUSINESSES.map((b) => [b, b.rural ? b.weight * 8 : b.weight] as const));

type Shares = ReadonlyArray<readonly [EmploymentType, number]>;
const table = (s: Shares) => picker(s);
const WORK = {
  young: table([['student', 50], ['employee', 32], ['unemployed', 12], ['self-employed', 2], ['homemaker', 4]]),
  twenties: table([['employee', 68], ['unemployed', 11], ['student', 6], ['self-employed', 5], ['homemaker', 6]]),
  primeM: table([['employee', 70], ['self-employed', 21], ['unemployed', 6], ['homemaker', 3]]),
  primeF: table([['employee', 55], ['self-employed', 11], ['unemployed', 4], ['homemaker', 30]]),
  sixties: table([['employee', 38], ['self-employed', 20], ['unemployed', 7], ['retired', 25], ['homemaker', 10]]),
  senior: table([['employee', 20], ['self-employed', 14], ['retired', 56], ['homemaker', 10]]),
  old: table([['retired', 86], ['self-employed', 7], ['employee', 4], ['homemaker', 3]]),
};

const JOB_PAY: Record<string, number> = { 의사: 3, 약사: 1.8, 연구원: 1.3, '소프트웨어 개발자': 1.3, 은행원: 1.3, 공무원: 1.1, '매장 판매원': 0.75, '조리 보조원': 0.7, 청소원: 0.6, 경비원: 0.65, 요양보호사: 0.6, '공공근로 참여자': 0.35 };
const BASIC_PENSION = 349_700; // 기초연금 for a single older person, 2026

function wageMedian(age: number): number {
  if (age < 25) return 2_200_000;
  if (age < 30) return 2_900_000;
  if (age < 35) return 3_500_000;
  if (age < 40) return 4_000_000;
  if (age < 50) return 4_500_000;
  if (age < 60) return 4_300_000;
  if (age < 65) return 3_000_000;
  return 2_200_000;
}

const round = (n: number, to: number) => Math.round(n / to) * to;

/** What grown-up children give an older parent with little income (사적 이전소득), for some. */
const support = (rng: Rng, age: number, income: number) => (age >= 65 && income < 1_000_000 && rng.chance(0.4) ? rng.int(20, 60) * 10_000 : 0);

/** What a living person does for a living, and what they earn themselves. */
export function job(rng: Rng, p: Person, rural: boolean): Job {
  const a = p.age;
  if (a < 7) return { type: 'child', occupation: '미취학 아동', monthly: 0 };
  if (a < 19) return { type: 'student', occupation: a < 13 ? '초등학생' : a < 16 ? '중학생' : '고등학생', monthly: 0 };
  let type = (a < 25 ? WORK.young : a < 30 ? WORK.twenties : a < 60 ? (p.sex === 'M' ? WORK.primeM : WORK.primeF) : a < 65 ? WORK.sixties : a < 75 ? WORK.senior : WORK.old).pick(rng);
  if (type === 'homemaker' && p.sex === 'M' && rng.chance(0.7)) type = a >= 60 ? 'retired' : 'unemployed';
  if (rural && type === 'employee' && rng.chance(0.25)) type = 'self-employed';
  switch (type) {
    case 'employee': {
      const occupation = a >= 60 ? seniorJobs.pick(rng) : employeeJobs.pick(rng);
      const pay = wageMedian(a) * (p.sex === 'F' ? 0.72 : 1) * (JOB_PAY[occupation] ?? 1) * Math.exp(0.4 * gaussian(rng));
      return { type, occupation, monthly: round(Math.max(pay, 1_000_000), 10_000) };
    }
    case 'self-employed': {
      const business = (rural ? ruralBusiness : cityBusiness).pick(rng);
      const pay = 2_800_000 * (business.rural ? 0.7 : 1) * Math.exp(0.75 * gaussian(rng));
      return { type, occupation: business.occupation, monthly: round(Math.max(pay, 300_000), 10_000), business };
    }
    case 'retired': {
      // public-service pension, national pension, or none; 기초연금 for most people over 65
      const r = rng.next();
      let pension = r < 0.12 ? rng.int(2_000_000, 3_600_000) : r < 0.7 ? 550_000 * Math.exp(0.55 * gaussian(rng)) : 0;
      if (a >= 65 && pension < 1_500_000) pension += BASIC_PENSION;
      return { type, occupation: '은퇴', monthly: round(pension + support(rng, a, pension), 1000) };
    }
    case 'student':
      return { type, occupation: '대학생', monthly: 0 };
    case 'homemaker':
      return { type, occupation: '가사', monthly: a >= 65 ? BASIC_PENSION + support(rng, a, 0) : 0 };
    default:
      return { type: 'unemployed', occupation: '무직', monthly: a >= 65 ? BASIC_PENSION + support(rng, a, 0) : 0 };
  }
}

function assetMedian(headAge: number): number {
  if (headAge < 30) return 40_000_000;
  if (headAge < 40) return 250_000_000;
  if (headAge < 50) return 420_000_000;
  if (headAge < 65) return 480_000_000;
  return 330_000_000;
}

/**
 * Household income and assets, and who is insured how: employees in their own right, members
 * without income of their own as an employee's dependants (spouse, parent or child), everyone else
 * as 지역가입자 with the head paying; the poorest households mostly on 의료급여 (medical aid).
 */
export function finances(rng: Rng, h: Household, jobs: Map<string, Job>, extra: Map<string, number>): Finances {
  const living = h.members.filter((m) => !m.emigrated);
  const own = (p: Person) => (jobs.get(p.id)?.monthly ?? 0) + (extra.get(p.id) ?? 0);
  const monthlyIncome = living.reduce((s, p) => s + own(p), 0);
  const median = medianIncome(living.length);
  const medianIncomePercent = Math.round((100 * monthlyIncome) / median);
  const head = living[0] ?? h.members[0]!;
  const wealth = Math.sqrt(Math.max(monthlyIncome, 200_000) / median);
  let assets = assetMedian(head.age) * wealth * Math.exp(1.0 * gaussian(rng));
  if (rng.chance(0.12)) assets *= 0.05; // renters with little saved
  assets = round(assets, 100_000);
  const insurance = new Map<string, Coverage>();
  const medicalAid = medianIncomePercent <= 40 && assets < 200_000_000 && rng.chance(0.3);
  const employees = living.filter((p) => jobs.get(p.id)?.type === 'employee');
  let payer: Person | undefined;
  for (const p of living) {
    const j = jobs.get(p.id);
    if (medicalAid) {
      insurance.set(p.id, { type: 'medical-aid', premium: 0 });
    } else if (j?.type === 'employee') {
      insurance.set(p.id, { type: 'employee', premium: round(j.monthly * 0.03595, 10) });
    } else {
      // a dependant has little income of their own and no business (피부양자 인정기준)
      const supporter = own(p) < 1_700_000 && j?.type !== 'self-employed' ? (employees.find((e) => e === p.spouse) ?? employees.find((e) => e === p.father || e === p.mother) ?? employees.find((e) => p.children.includes(e)) ?? employees[0]) : undefined;
      if (supporter) insurance.set(p.id, { type: 'dependent', dependentOf: supporter, premium: 0 });
      else {
        payer ??= p;
        insurance.set(p.id, { type: 'self-employed', premium: 0 });
      }
    }
  }
  if (payer) {
    // 지역가입자: one premium for the household, from the non-employee members' income and assets
    const regional = living.filter((p) => insurance.get(p.id)?.type === 'self-employed').reduce((s, p) => s + own(p), 0);
    insurance.get(payer.id)!.premium = Math.max(19_780, round(regional * 0.0719 + assets * 0.000012, 10));
  }
  return { monthlyIncome, assets, medianIncomePercent, insurance };
}
