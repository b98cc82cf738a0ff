/**
 * Eligibility rules (issue 7's speed targets), in one process, no database:
 *
 * - per citizen: every rule of the shipped catalogue decided and explained for one citizen's
 *   facts, for N synthetic citizens; p50/p99 per citizen. Target: p99 < 5 ms. Baseline: the same
 *   citizens decided only (no explanation).
 * - throughput: twelve of the catalogue's rules (read from it, so they are the rules in force)
 *   evaluated by the engine, against the same twelve hand-written as JavaScript predicates, on the
 *   same facts, in the same run; both must agree on every citizen. Target: the engine >= 0.3x.
 *
 *   npx tsx bench/services.ts [--citizens 5000] [--rounds 5]
 */
import { calendarDate } from '../src/modules/services/cel-env.ts';
import { SHIPPED_SERVICES } from '../src/modules/services/catalogue.ts';
import type { Facts } from '../src/modules/services/facts.ts';
import { compileRule } from '../src/modules/services/rules.ts';
import { fmt, median } from './lib.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const CITIZENS = Number(arg('citizens') ?? 5000);
const ROUNDS = Number(arg('rounds') ?? 5);
// passes over the population per timed round, so that a round takes long enough to time
const PASSES = 20;
const today = calendarDate('2026-12-06');

// a deterministic synthetic population with every fact known (the hand-written predicates assume it)
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
const SIDO = ['서울특별시', '부산광역시', '경기도', '전라남도', '제주특별자치도'];
function citizen(): Facts {
  const age = Math.floor(rnd() * 90);
  const kids = age >= 22 && age < 60 ? Math.floor(rnd() * 4) : 0;
  const children = Array.from({ length: kids }, (_, i) => {
    const ageMonths = Math.floor(rnd() * 216);
    return { ageMonths, age: Math.floor(ageMonths / 12), birthDate: new Date(today.getTime() - ageMonths * 30.4 * 86_400_000), order: i + 1 };
  });
  const married = rnd() < 0.6;
  return {
    person: { age, ageMonths: age * 12, sex: pick(['M', 'F']), sido: pick(SIDO), sigungu: '중구', birthDate: new Date(today.getTime() - age * 365.25 * 86_400_000), moveInDate: new Date(today.getTime() - rnd() * 3000 * 86_400_000), nationality: 'KR', status: 'active', householdRole: 'head' },
    family: { maritalStatus: married ? 'married' : pick(['single', 'divorced', 'widowed']), childrenCount: kids, minorChildren: children.filter((c) => c.age < 18).length, singleParent: !married && children.some((c) => c.age < 18) },
    children,
    household: { size: 1 + kids + (married ? 1 : 0), monthlyIncome: Math.floor(rnd() * 9_000_000), assets: Math.floor(rnd() * 400_000_000), medianIncomePercent: Math.floor(rnd() * 200) },
    work: { employmentType: pick(['employee', 'self-employed', 'unemployed', 'retired', 'student', 'homemaker']), occupation: 'x', businessOwner: rnd() < 0.1, businessYears: Math.floor(rnd() * 10) },
    disability: rnd() < 0.06 ? { registered: true, severity: pick(['severe', 'mild']), type: 'physical' } : { registered: false, severity: 'none', type: 'none' },
    veteran: rnd() < 0.02 ? { registered: true, category: 'war-veteran' } : { registered: false, category: 'none' },
    insurance: { insuredType: pick(['employee', 'self-employed', 'dependent', 'medical-aid']), insured: rnd() < 0.97, monthlyPremium: Math.floor(rnd() * 300_000), nextCheckupDue: new Date(today.getTime() + (rnd() * 400 - 30) * 86_400_000) },
    tax: { arrears: rnd() < 0.05 ? 1_000_000 : 0, totalPaid: Math.floor(rnd() * 10_000_000) },
    licence: rnd() < 0.6 ? { holder: true, status: 'valid', renewalDue: new Date(today.getTime() + (rnd() * 3000 - 30) * 86_400_000) } : { holder: false, status: 'none' },
    vehicles: rnd() < 0.4 ? [{ plateNumber: '12가3456', modelYear: 2015, nextInspectionDue: new Date(today.getTime() + (rnd() * 700 - 30) * 86_400_000) }] : [],
  } as Facts;
}

type F = Required<{ [K in keyof Facts]: any }>;
// the same rules as JavaScript, written by hand from the rule text (checked against the catalogue below)
const HAND: Record<string, { rule: string; js: (f: F) => boolean }> = {
  'basic-pension': { rule: 'person.age >= 65 && household.monthlyIncome <= (family.maritalStatus == "married" ? 3952000 : 2470000)', js: (f) => f.person.age >= 65 && f.household.monthlyIncome <= (f.family.maritalStatus === 'married' ? 3952000 : 2470000) },
  'child-allowance': { rule: 'children.exists(c, c.ageMonths < 108)', js: (f) => f.children.some((c: any) => c.ageMonths < 108) },
  'parental-benefit': { rule: 'children.exists(c, c.ageMonths < 24)', js: (f) => f.children.some((c: any) => c.ageMonths < 24) },
  'home-childcare-allowance': { rule: 'children.exists(c, c.ageMonths >= 24 && c.ageMonths < 86)', js: (f) => f.children.some((c: any) => c.ageMonths >= 24 && c.ageMonths < 86) },
  'single-parent-child-support': { rule: 'family.singleParent && household.medianIncomePercent <= 63 && children.exists(c, c.age < 18)', js: (f) => f.family.singleParent && f.household.medianIncomePercent <= 63 && f.children.some((c: any) => c.age < 18) },
  'disability-allowance': { rule: 'disability.severity == "mild" && person.age >= 18 && household.medianIncomePercent <= 50', js: (f) => f.disability.severity === 'mild' && f.person.age >= 18 && f.household.medianIncomePercent <= 50 },
  'livelihood-benefit': { rule: 'household.medianIncomePercent <= 32', js: (f) => f.household.medianIncomePercent <= 32 },
  'education-benefit': { rule: 'household.medianIncomePercent <= 50 && children.exists(c, c.age >= 6 && c.age <= 18)', js: (f) => f.household.medianIncomePercent <= 50 && f.children.some((c: any) => c.age >= 6 && c.age <= 18) },
  'youth-rent-support': { rule: 'person.age >= 19 && person.age <= 34 && household.medianIncomePercent <= 60', js: (f) => f.person.age >= 19 && f.person.age <= 34 && f.household.medianIncomePercent <= 60 },
  'energy-voucher': { rule: 'household.medianIncomePercent <= 50 && (person.age >= 65 || disability.registered || family.singleParent || children.exists(c, c.age < 7))', js: (f) => f.household.medianIncomePercent <= 50 && (f.person.age >= 65 || f.disability.registered || f.family.singleParent || f.children.some((c: any) => c.age < 7)) },
  'large-family-electricity-discount': { rule: 'size(children) >= 3', js: (f) => f.children.length >= 3 },
  'small-business-policy-loans': { rule: 'work.businessOwner && tax.arrears == 0.0', js: (f) => f.work.businessOwner && f.tax.arrears === 0 },
};

function main() {
  const population = Array.from({ length: CITIZENS }, citizen);
  const rules = SHIPPED_SERVICES.map((s) => ({ id: s.id, rule: compileRule(s.rule) }));
  const interpreted = rules.filter((r) => !r.rule.compiled).map((r) => r.id);
  console.log(`${rules.length} rules in the catalogue; ${rules.length - interpreted.length} translated to JavaScript, ${interpreted.length} run by the cel-js interpreter${interpreted.length ? ` (${interpreted.slice(0, 8).join(', ')}${interpreted.length > 8 ? ', …' : ''})` : ''}`);

  // ---- all rules for one citizen ----
  const perCitizen = (explain: boolean) => {
    const times: number[] = [];
    for (const f of population) {
      const t0 = performance.now();
      for (const r of rules) explain ? r.rule.explain(f, today) : r.rule.decide(f, today);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(times.length * 0.5)]!, p99: times[Math.floor(times.length * 0.99)]! };
  };
  perCitizen(true); // warm-up
  const explained = perCitizen(true);
  const decided = perCitizen(false);
  console.log(`every rule for one citizen, decided and explained: p50 ${fmt(explained.p50, 3)} ms, p99 ${fmt(explained.p99, 3)} ms (decided only: p50 ${fmt(decided.p50, 3)} ms, p99 ${fmt(decided.p99, 3)} ms), ${fmt(CITIZENS)} citizens`);
  console.log(`  target p99 < 5 ms: ${explained.p99 < 5 ? 'PASS' : 'FAIL'}`);

  // ---- throughput against hand-written predicates ----
  const byId = new Map(SHIPPED_SERVICES.map((s) => [s.id, s]));
  const same = Object.entries(HAND).filter(([id, h]) => byId.get(id)?.rule === h.rule);
  const stale = Object.keys(HAND).filter((id) => !same.some(([x]) => x === id));
  if (stale.length) console.log(`  (not compared, the catalogue's rule differs from the hand-written copy: ${stale.join(', ')})`);
  const engine = same.map(([id]) => rules.find((r) => r.id === id)!.rule);
  const js = same.map(([, h]) => h.js);
  for (const f of population) {
    engine.forEach((r, i) => {
      const want = js[i]!(f as F) ? 'eligible' : 'not-eligible';
      if (r.decide(f, today) !== want) throw new Error(`${same[i]![0]}: the engine and the hand-written predicate disagree`);
    });
  }
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let a = 0;
    let t0 = performance.now();
    for (let pass = 0; pass < PASSES; pass++) for (const f of population) for (const r of engine) if (r.decide(f, today) === 'eligible') a++;
    const tEngine = performance.now() - t0;
    let b = 0;
    t0 = performance.now();
    for (let pass = 0; pass < PASSES; pass++) for (const f of population) for (const p of js) if (p(f as F)) b++;
    const tJs = performance.now() - t0;
    if (a !== b) throw new Error('different counts');
    const evals = PASSES * population.length * engine.length;
    ratios.push(tJs / tEngine);
    console.log(`  round ${round + 1}: engine ${fmt(evals / tEngine / 1000, 1)} M rules/s, hand-written ${fmt(evals / tJs / 1000, 1)} M/s, ratio ${fmt(tJs / tEngine, 2)}`);
  }
  const ratio = median(ratios);
  console.log(`rule evaluation, ${engine.length} catalogue rules × ${fmt(CITIZENS)} citizens: median ratio to hand-written JavaScript ${fmt(ratio, 2)}`);
  console.log(`  target >= 0.3: ${ratio >= 0.3 ? 'PASS' : 'FAIL'}`);
}

main();
