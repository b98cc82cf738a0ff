// From people and households to the records of the ten registries. Field names and enum values are
// those of the registry definitions (.work/CONTEXT.md); a missing optional field is left out.
import type { Rng } from '../../../platform/seed.ts';
import { DISABILITY_TYPES, PLATE_HANGUL, TRADE_STEMS, VEHICLES, VETERAN_BENEFIT, YOUNG_DISABILITY_TYPES, type VeteranCategory } from './catalog/life.ts';
import { finances, job, type Coverage, type Job } from './econ.ts';
import type { Household, Person } from './household.ts';
import { addYears, businessNumber, civilFromDays, daysFromCivil, gaussian, isoDay, licenceNumber, picker, plateNumber, yearOf } from './ids.ts';

export const REGISTRY_CODES = ['resident', 'family', 'vehicle', 'licence', 'tax', 'business', 'health-insurance', 'income', 'disability', 'veteran'] as const;
export type RegistryCode = (typeof REGISTRY_CODES)[number];

export interface GenRecord {
  registry: RegistryCode;
  id: string;
  /** the resident the record is about (the resident record's own id for resident records) */
  subjectId: string;
  data: Record<string, unknown>;
  /** the resident registration number in clear (resident records only); the writer encrypts it */
  rrn?: string;
}

export interface RecordGen {
  rng: Rng;
  ref: number;
  newId: () => string;
  rrn: (birthDay: number, sex: 'M' | 'F', region: readonly [number, number]) => string;
}

const disabilityTypes = picker(DISABILITY_TYPES);
const youngDisabilityTypes = picker(YOUNG_DISABILITY_TYPES);
const vehicles = picker(VEHICLES.map((v) => [v, v.weight] as const));
const d = isoDay;

interface Home {
  address: string;
  postalCode: string;
}

function home(g: RecordGen, h: Household, cache: WeakMap<Household, Home>): Home {
  let a = cache.get(h);
  if (a) return a;
  const { rng } = g;
  const roads = h.sigungu.roads ?? h.sido.roads;
  const number = rng.chance(0.8) ? String(rng.int(1, 320)) : `${rng.int(1, 200)}-${rng.int(1, 30)}`;
  const unit = rng.chance(0.6) ? `, ${rng.int(101, 115)}동 ${rng.int(1, 25)}${String(rng.int(1, 8)).padStart(2, '0')}호` : '';
  const sigungu = h.sigungu.name === h.sido.name ? '' : ` ${h.sigungu.name}`;
  // the 시군구's own 3-digit prefix where known, else one of the 시도's 2-digit prefixes chosen by the 시군구
  const p = h.sigungu.postal;
  const [lo, hi] = h.sido.postal;
  const postalCode = p ? String(rng.int(p[0], p[1])).padStart(3, '0') + String(rng.int(0, 99)).padStart(2, '0') : String(lo + (h.sigunguIndex % (hi - lo + 1))).padStart(2, '0') + String(rng.int(0, 999)).padStart(3, '0');
  a = { address: `${h.sido.name}${sigungu} ${rng.pick(roads)} ${number}${unit}`, postalCode };
  cache.set(h, a);
  return a;
}

/** A date after `from` and not after `to`, uniform. */
const between = (rng: Rng, from: number, to: number) => (to <= from ? to : rng.int(from + 1, to));

/** The first of `start + first, + every, + every …` (years) that is not before `notBefore`. */
function nextDue(start: number, first: number, every: number, notBefore: number): number {
  let due = addYears(start, first);
  for (let k = 1; due < notBefore; k++) due = addYears(start, first + k * every);
  return due;
}

/** Every record of one family cluster. */
export function clusterRecords(g: RecordGen, people: Person[], households: Household[], out: GenRecord[]): void {
  const { rng, ref } = g;
  const homes = new WeakMap<Household, Home>();
  const jobs = new Map<string, Job>();
  const benefits = new Map<string, number>();
  const veterans = new Map<string, VeteranCategory>();
  for (const p of people) {
    if (p.deathDay !== undefined || p.emigrated || !p.household) continue;
    jobs.set(p.id, job(rng, p, p.household.sigungu.name.endsWith('군')));
    const v = veteran(rng, p);
    if (v) {
      veterans.set(p.id, v);
      const [lo, hi] = VETERAN_BENEFIT[v];
      benefits.set(p.id, Math.round(rng.int(lo, hi) / 1000) * 1000);
    }
  }
  for (const p of people) {
    const h = p.household ?? p.lastHome!;
    const a = home(g, h, homes);
    const rrn = g.rrn(p.birth, p.sex, h.sido.rrnRegion);
    const status = p.deathDay !== undefined ? 'deceased' : p.emigrated ? 'emigrated' : 'active';
    out.push({
      registry: 'resident', id: p.id, subjectId: p.id, rrn,
      data: {
        rrn, name: p.name, sex: p.sex, birthDate: d(p.birth), nationality: 'KR', sido: h.sido.name, sigungu: h.sigungu.name,
        roadAddress: a.address, postalCode: a.postalCode,
        householdId: p.household?.id, householdRole: p.household ? p.role : undefined,
        moveInDate: p.household ? d(Math.max(h.moveIn, p.birth)) : undefined,
        status, deathDate: p.deathDay !== undefined ? d(p.deathDay) : undefined,
      },
    });
    out.push({
      registry: 'family', id: g.newId(), subjectId: p.id,
      data: { father: p.father?.id, mother: p.mother?.id, spouse: p.spouse?.id, children: p.children.map((c) => c.id), maritalStatus: p.marital },
    });
  }
  for (const h of households) {
    const fin = finances(rng, h, jobs, benefits);
    const assessed = d(ref - rng.int(0, 364));
    const size = h.members.filter((m) => !m.emigrated).length;
    for (const p of h.members) {
      const ins = fin.insurance.get(p.id);
      out.push(insurance(g, p, h, ins));
      if (p.emigrated || !ins) continue;
      const j = jobs.get(p.id)!;
      out.push({
        registry: 'income', id: g.newId(), subjectId: p.id,
        data: { householdId: h.id, householdSize: size, monthlyIncome: fin.monthlyIncome, assets: fin.assets, medianIncomePercent: fin.medianIncomePercent, occupation: j.occupation, employmentType: j.type, assessedDate: assessed },
      });
      personal(g, p, j, h, homes, out);
      const v = veterans.get(p.id);
      if (v) {
        out.push({ registry: 'veteran', id: g.newId(), subjectId: p.id, data: { category: v, registeredDate: d(between(rng, Math.max(p.birth, addYears(ref, -40)), ref)), monthlyBenefit: benefits.get(p.id) } });
      }
    }
  }
}

function insurance(g: RecordGen, p: Person, h: Household, ins: Coverage | undefined): GenRecord {
  const { rng, ref } = g;
  const data: Record<string, unknown> = { insuredType: ins?.type ?? 'self-employed', status: p.emigrated ? 'lost' : 'insured' };
  const acquired = between(rng, Math.max(p.birth, addYears(ref, -30)) - 1, Math.max(p.birth, h.moveIn));
  data.acquiredDate = d(acquired);
  // coverage ends when an emigrant leaves the country
  if (p.emigrated) data.lostDate = d(between(rng, acquired, ref - 1));
  data.monthlyPremium = ins?.premium ?? 0;
  if (ins?.dependentOf) data.dependentOf = ins.dependentOf.id;
  if (p.age >= 20 && !p.emigrated) {
    // 일반건강검진 every two years: last one within two years for most, the next due two years after it
    if (rng.chance(0.75)) {
      const last = ref - rng.int(1, 730);
      data.lastCheckupDate = d(last);
      data.nextCheckupDue = d(addYears(last, 2));
    } else data.nextCheckupDue = d(ref + rng.int(-180, 364));
  }
  return { registry: 'health-insurance', id: g.newId(), subjectId: p.id, data };
}

function veteran(rng: Rng, p: Person): VeteranCategory | undefined {
  const a = p.age;
  if (a < 20) return undefined;
  if (a >= 73) {
    if (p.sex === 'M' && rng.chance(0.18)) return rng.chance(0.85) ? 'war-veteran' : rng.pick(['wounded-veteran', 'independence-merit'] as const);
    if (p.sex === 'F' && rng.chance(0.03)) return 'bereaved-family';
    return undefined;
  }
  if (a >= 40) {
    if (p.sex === 'M' && rng.chance(0.02)) return rng.pick(['wounded-veteran', 'wounded-veteran', 'special-mission', 'democracy-merit', 'bereaved-family', 'independence-merit'] as const);
    if (p.sex === 'F' && rng.chance(0.008)) return rng.pick(['bereaved-family', 'bereaved-family', 'democracy-merit', 'independence-merit'] as const);
    return undefined;
  }
  return rng.chance(0.003) ? rng.pick(['wounded-veteran', 'bereaved-family', 'independence-merit'] as const) : undefined;
}

const LICENCE_RATE: Array<[number, number, number]> = [
  // [from age, men, women]
  [18, 0.22, 0.18], [20, 0.66, 0.52], [30, 0.9, 0.68], [60, 0.84, 0.4], [70, 0.68, 0.18], [80, 0.36, 0.05],
];
const OWNER_RATE: Array<[number, number]> = [[20, 0.5], [30, 0.82], [40, 0.86], [60, 0.78], [70, 0.62], [80, 0.35]];
const rate = <T extends unknown[]>(rows: Array<[number, ...T]>, age: number) => rows.reduce<T | undefined>((acc, [from, ...v]) => (age >= from ? (v as T) : acc), undefined);

/** Licence, vehicles, tax, business and disability of one living resident. */
function personal(g: RecordGen, p: Person, j: Job, h: Household, homes: WeakMap<Household, Home>, out: GenRecord[]): void {
  const { rng, ref } = g;
  const refYear = yearOf(ref);
  const lr = rate(LICENCE_RATE, p.age);
  let licenceIssue: number | undefined;
  let canDrive = false;
  if (lr && rng.chance(p.sex === 'M' ? lr[0] : lr[1])) {
    licenceIssue = between(rng, addYears(p.birth, 18), Math.min(ref, addYears(p.birth, 18 + rng.int(0, 12))));
    const cls = p.sex === 'M'
      ? rng.pick(['class1-ordinary', 'class1-ordinary', 'class1-ordinary', 'class1-ordinary', 'class1-ordinary', 'class1-ordinary', 'class2-ordinary', 'class2-ordinary', 'class2-ordinary', 'class1-large'] as const)
      : rng.pick(['class2-ordinary', 'class2-ordinary', 'class2-ordinary', 'class1-ordinary', 'class1-ordinary', 'class2-ordinary'] as const);
    const cycle = p.age >= 75 ? 3 : p.age >= 65 ? 5 : 10;
    const s = rng.next();
    const status = s < 0.955 ? 'valid' : s < 0.97 ? 'suspended' : s < 0.98 ? 'revoked' : 'expired';
    const renewal = status === 'expired' ? ref - rng.int(30, 1500) : nextDue(licenceIssue, cycle, cycle, ref - 60);
    canDrive = status === 'valid' || status === 'suspended';
    out.push({
      registry: 'licence', id: g.newId(), subjectId: p.id,
      data: { licenceNumber: licenceNumber(rng, h.sido.licenceRegion, yearOf(licenceIssue)), licenceClass: rng.chance(0.02) ? 'moped' : cls, issueDate: d(licenceIssue), renewalDue: d(renewal), status },
    });
  }
  const or = rate(OWNER_RATE, p.age);
  if (canDrive && or && rng.chance(or[0] * (p.sex === 'F' ? 0.7 : 1))) {
    for (let n = rng.chance(0.12) ? 2 : 1; n > 0; n--) {
      const m = vehicles.pick(rng);
      const age = Math.min(refYear - m.since, Math.floor(Math.abs(gaussian(rng)) * 8));
      const modelYear = refYear - Math.max(0, age);
      const firstReg = Math.min(ref, daysFromCivil(modelYear, 1, 1) + rng.int(0, 364));
      // bought used by a third of owners: registered to them later than the first registration
      const reg = Math.max(licenceIssue!, rng.chance(0.33) ? between(rng, firstReg, ref) : firstReg);
      const fuels = m.fuels.filter((f) => f !== 'electric' || modelYear >= 2019);
      out.push({
        registry: 'vehicle', id: g.newId(), subjectId: p.id,
        data: { plateNumber: plateNumber(rng, rng.pick(PLATE_HANGUL), yearOf(reg)), model: m.model, fuel: rng.pick(fuels.length ? fuels : m.fuels), modelYear, registrationDate: d(Math.min(reg, ref)), nextInspectionDue: d(nextDue(firstReg, 4, 2, ref - 30)) },
      });
    }
  }
  const taxable = j.type === 'employee' || j.type === 'self-employed' || (j.type === 'retired' && j.monthly >= 1_500_000);
  if (taxable) out.push(tax(g, p, j));
  if (j.business && (!j.business.rural || rng.chance(0.4))) {
    const b = j.business;
    const stem = rng.pick(TRADE_STEMS);
    const sgName = h.sigungu.name.replace(/(특별자치시|시|군|구)$/, '');
    const s = rng.next();
    const biz = home(g, h, homes).address.split(' ').slice(0, h.sigungu.name === h.sido.name ? 1 : 2).join(' ');
    const roads = h.sigungu.roads ?? h.sido.roads;
    out.push({
      registry: 'business', id: g.newId(), subjectId: p.id,
      data: {
        businessNumber: businessNumber(rng), tradeName: rng.pick(b.tradeNames).replace('{x}', stem).replace('{place}', sgName), businessType: b.businessType, industry: b.industry,
        openingDate: d(between(rng, Math.max(addYears(p.birth, 20), addYears(ref, -30)), ref - 1)), status: s < 0.9 ? 'active' : s < 0.95 ? 'suspended' : 'closed',
        address: `${biz} ${rng.pick(roads)} ${rng.int(1, 300)}, ${rng.int(1, 3)}층`,
      },
    });
  }
  const dr = p.age < 20 ? 0.015 : p.age < 40 ? 0.02 : p.age < 60 ? 0.04 : p.age < 70 ? 0.075 : p.age < 80 ? 0.12 : 0.18;
  if (rng.chance(dr)) {
    const type = p.age < 20 ? youngDisabilityTypes.pick(rng) : disabilityTypes.pick(rng);
    const severe = type === 'intellectual' || type === 'autism' || rng.chance(0.3);
    const from = addYears(p.birth, type === 'intellectual' || type === 'autism' ? 2 : Math.min(p.age, Math.max(1, p.age - rng.int(0, 30))));
    const data: Record<string, unknown> = { disabilityType: type, severity: severe ? 'severe' : 'mild', registeredDate: d(between(rng, Math.min(from, ref - 1), ref)) };
    if (rng.chance(0.25)) data.nextReviewDue = d(ref + rng.int(-30, 730));
    out.push({ registry: 'disability', id: g.newId(), subjectId: p.id, data });
  }
}

const TAX_BANDS: Array<[number, number]> = [[15e6, 0], [30e6, 0.01], [50e6, 0.03], [80e6, 0.06], [120e6, 0.1], [200e6, 0.15], [Infinity, 0.22]];

/** Income tax paid for last year; about 3 in 100 taxpayers are in arrears (the self-employed most). */
function tax(g: RecordGen, p: Person, j: Job): GenRecord {
  const { rng, ref } = g;
  const annual = j.monthly * 12;
  const rateFor = TAX_BANDS.find(([upTo]) => annual < upTo)![1];
  const totalPaid = Math.round((annual * rateFor * (0.8 + 0.4 * rng.next())) / 1000) * 1000;
  const arrearsShare = j.type === 'self-employed' ? 0.12 : 0.008;
  const data: Record<string, unknown> = { taxYear: yearOf(ref) - 1, totalPaid, arrears: 0 };
  let lastPayment: number;
  if (j.type === 'self-employed') {
    // 종합소득세 is due on 31 May, the interim payment on 30 November
    const y = yearOf(ref);
    const dates = [daysFromCivil(y - 1, 11, 30), daysFromCivil(y, 5, 31), daysFromCivil(y, 11, 30)].filter((t) => t <= ref);
    lastPayment = dates[dates.length - 1]! - rng.int(0, 20);
  } else {
    // withheld by the employer (or pension fund) and paid on the 10th of the next month
    const [y, m, day] = civilFromDays(ref);
    lastPayment = day >= 10 ? daysFromCivil(y, m, 10) : m > 1 ? daysFromCivil(y, m - 1, 10) : daysFromCivil(y - 1, 12, 10);
  }
  if (rng.chance(arrearsShare)) {
    const since = ref - rng.int(20, 1800);
    data.arrears = Math.max(10_000, Math.round((2_500_000 * Math.exp(1.2 * gaussian(rng))) / 1000) * 1000);
    data.arrearsSince = d(since);
    lastPayment = Math.min(lastPayment, since - rng.int(1, 200));
  }
  data.lastPaymentDate = d(lastPayment);
  return { registry: 'tax', id: g.newId(), subjectId: p.id, data };
}
