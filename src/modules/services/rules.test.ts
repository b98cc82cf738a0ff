import { describe, expect, it } from 'vitest';
import { calendarDate as d, checkRule, ruleEnvironment } from './cel-env.ts';
import type { Facts } from './facts.ts';
import { compileRule, RuleError } from './rules.ts';

const today = d('2026-12-06');

describe('rules: checked when authored, with the position of the error', () => {
  it('accepts a bool rule over the facts and refuses syntax, type and name errors at their place', () => {
    expect(checkRule('person.age >= 65 && household.medianIncomePercent <= 50')).toBeNull();
    expect(checkRule('children.exists(c, c.ageMonths < 24)')).toBeNull();
    expect(checkRule('person.agee >= 65')).toMatchObject({ start: 7, end: 11, line: 1, column: 8, message: expect.stringContaining('agee') });
    expect(checkRule('person.age >= "65"')).toMatchObject({ start: 0, message: expect.stringContaining('no such overload') });
    expect(checkRule('person.age >= 65 &&\n  (household.size > 2')).toMatchObject({ line: 2 });
    expect(checkRule('person.age')?.message).toMatch(/bool/);
    expect(checkRule('salary > 3')?.message).toMatch(/salary/);
    expect(checkRule('   ')?.message).toBe('empty rule');
    expect(() => compileRule('person.age >=')).toThrow(RuleError);
  });
});

describe('rules: three-valued evaluation', () => {
  const r = compileRule('person.age >= 65 && household.medianIncomePercent <= 50 && !veteran.registered');

  it('is eligible, not eligible, or possibly eligible when a fact that could change the answer is missing', () => {
    expect(r.compiled).toBe(true);
    expect(r.facts).toEqual(['person.age', 'household.medianIncomePercent', 'veteran.registered']);
    expect(r.decide({ person: { age: 70 }, household: { medianIncomePercent: 40 }, veteran: { registered: false } }, today)).toBe('eligible');
    expect(r.decide({ person: { age: 70 }, household: { medianIncomePercent: 60 }, veteran: { registered: false } }, today)).toBe('not-eligible');
    expect(r.decide({ person: { age: 70 }, veteran: { registered: false } }, today)).toBe('possibly-eligible');
    // a false clause decides whatever is missing
    expect(r.decide({ person: { age: 60 } }, today)).toBe('not-eligible');
    expect(r.decide({}, today)).toBe('possibly-eligible');
  });

  it('explains: every clause with its facts and values, which clauses decided, and what is missing', () => {
    const e = r.explain({ person: { age: 70 }, veteran: { registered: false } }, today);
    expect(e.outcome).toBe('possibly-eligible');
    expect(e.missing).toEqual(['household.medianIncomePercent']);
    expect(e.clauses).toEqual([
      { text: 'person.age >= 65', start: 0, end: 16, result: true, facts: [{ path: 'person.age', value: 70 }], deciding: false },
      { text: 'household.medianIncomePercent <= 50', start: 20, end: 55, result: 'unknown', facts: [{ path: 'household.medianIncomePercent' }], deciding: true },
      { text: 'veteran.registered', start: 60, end: 78, result: false, facts: [{ path: 'veteran.registered', value: false }], deciding: false },
    ]);
    const no = r.explain({ person: { age: 60 }, household: { medianIncomePercent: 80 }, veteran: { registered: false } }, today);
    expect(no.outcome).toBe('not-eligible');
    expect(no.clauses.filter((c) => c.deciding).map((c) => c.text)).toEqual(['person.age >= 65', 'household.medianIncomePercent <= 50']);
    expect(no.missing).toEqual([]);
    const yes = r.explain({ person: { age: 66 }, household: { medianIncomePercent: 20 }, veteran: { registered: false } }, today);
    expect(yes.clauses.every((c) => c.deciding)).toBe(true);
  });

  it('handles lists, dates and the date helpers; an element lacking the fact leaves the clause open', () => {
    const birth = compileRule('children.exists(c, c.ageMonths < 24) && size(children) >= 1');
    expect(birth.decide({ children: [{ ageMonths: 40 }, { ageMonths: 2 }] }, today)).toBe('eligible');
    expect(birth.decide({ children: [] }, today)).toBe('not-eligible');
    expect(birth.decide({ children: [{ ageMonths: 40 }, {}] }, today)).toBe('possibly-eligible');
    expect(birth.explain({ children: [{ ageMonths: 40 }, {}] }, today).missing).toEqual(['children.ageMonths']);
    const due = compileRule('vehicles.exists(v, daysBetween(today, v.nextInspectionDue) >= 0 && daysBetween(today, v.nextInspectionDue) <= 31)');
    expect(due.decide({ vehicles: [{ nextInspectionDue: d('2027-01-06') }] }, today)).toBe('eligible');
    expect(due.decide({ vehicles: [{ nextInspectionDue: d('2027-01-07') }] }, today)).toBe('not-eligible');
    const months = compileRule('monthsBetween(person.birthDate, today) >= 24 && today.getMonth() == 11 && today.getDate() == 6');
    expect(months.decide({ person: { birthDate: d('2024-12-06') } }, today)).toBe('eligible');
    expect(months.decide({ person: { birthDate: d('2024-12-07') } }, today)).toBe('not-eligible');
    const since = compileRule('person.birthDate >= timestamp("2022-01-01T00:00:00Z") && person.sido in ["서울특별시", "부산광역시"]');
    expect(since.decide({ person: { birthDate: d('2022-01-01'), sido: '부산광역시' } }, today)).toBe('eligible');
    expect(since.decide({ person: { birthDate: d('2021-12-31'), sido: '부산광역시' } }, today)).toBe('not-eligible');
    expect(since.decide({ person: { birthDate: d('2023-05-01'), sido: '대구광역시' } }, today)).toBe('not-eligible');
  });

  it('gives the same answers as the cel-js interpreter on random facts (the translation is checked, not trusted)', () => {
    const rules = [
      'person.age >= 65 && household.medianIncomePercent <= 50 && !veteran.registered',
      'person.age < 19 || (person.age >= 65 && disability.registered)',
      '(family.singleParent || family.minorChildren >= 2) && household.medianIncomePercent <= 63',
      'children.exists(c, c.ageMonths < 12 && c.order >= 2) || size(children) >= 3',
      'children.all(c, c.age < 18) && person.sido == "서울특별시"',
      'person.age > 30 ? household.size >= 2 : household.size == 1.0',
      'person.age + 5.0 >= 70.0 && household.monthlyIncome / household.size < 1000000.0',
      'vehicles.exists(v, daysBetween(today, v.nextInspectionDue) <= 31) && !(licence.status == "valid")',
      'person.birthDate < timestamp("1961-12-31T00:00:00Z") != disability.registered',
      'size(vehicles) / 2 == 0 && today.getMonth() >= 9',
      'person.birthDate.getFullYear("Asia/Seoul") <= 1961 || today.getMonth("Asia/Seoul") < 11',
    ];
    const env = ruleEnvironment();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const maybe = <T>(v: T): T | undefined => (rnd() < 0.2 ? undefined : v);
    const obj = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    const randomFacts = (): Facts =>
      obj({
        person: maybe(obj({ age: maybe(Math.floor(rnd() * 90)), sido: maybe(rnd() < 0.5 ? '서울특별시' : '부산광역시'), birthDate: maybe(d(`19${40 + Math.floor(rnd() * 50)}-06-15`)) })),
        household: maybe(obj({ medianIncomePercent: maybe(Math.floor(rnd() * 150)), size: maybe(1 + Math.floor(rnd() * 5)), monthlyIncome: maybe(Math.floor(rnd() * 8e6)) })),
        veteran: maybe({ registered: rnd() < 0.2 }),
        disability: maybe(obj({ registered: maybe(rnd() < 0.3) })),
        family: maybe(obj({ singleParent: maybe(rnd() < 0.2), minorChildren: maybe(Math.floor(rnd() * 4)) })),
        children: maybe(Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => obj({ ageMonths: maybe(Math.floor(rnd() * 240)), age: maybe(Math.floor(rnd() * 20)), order: i + 1 }))),
        vehicles: maybe(Array.from({ length: Math.floor(rnd() * 3) }, () => ({ nextInspectionDue: d(`2027-0${1 + Math.floor(rnd() * 9)}-01`) }))),
        licence: maybe(obj({ status: maybe(rnd() < 0.7 ? 'valid' : 'expired') })),
      }) as Facts;
    let compared = 0;
    for (const source of rules) {
      const rule = compileRule(source);
      expect(rule.compiled, source).toBe(true);
      const program = env.parse(source);
      for (let i = 0; i < 400; i++) {
        const facts = randomFacts();
        let reference: 'eligible' | 'not-eligible' | 'possibly-eligible';
        try {
          reference = program({ ...facts, today } as Record<string, unknown>) ? 'eligible' : 'not-eligible';
        } catch {
          reference = 'possibly-eligible'; // the interpreter raises on a missing fact it could not absorb
        }
        expect(`${source} on ${JSON.stringify(facts)}: ${rule.decide(facts, today)}`).toBe(`${source} on ${JSON.stringify(facts)}: ${reference}`);
        compared++;
      }
    }
    expect(compared).toBe(rules.length * 400);
  });
});
