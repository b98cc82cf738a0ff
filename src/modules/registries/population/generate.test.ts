import { describe, expect, it } from 'vitest';
import { REGISTRY_DEFINITIONS } from '../definitions.ts';
import { checkValue } from '../validation.ts';
import { SIDO } from './catalog/regions.ts';
import { generatePopulation, type PopulationOptions } from './generate.ts';
import { addYears, ageAt, businessCheckDigit, dayOf, genderDigit, isValidBusinessNumber, isValidRrn, isoDay, rrnCheckDigit } from './ids.ts';
import type { GenRecord } from './records.ts';

const AS_OF = '2026-03-15';
const all = (opts: Partial<PopulationOptions> = {}) => [...generatePopulation({ seed: 7, citizens: 2000, asOf: AS_OF, ...opts })].flatMap((c) => c.records);
const byRegistry = (records: GenRecord[]) => {
  const m = new Map<string, GenRecord[]>();
  for (const r of records) m.set(r.registry, [...(m.get(r.registry) ?? []), r]);
  return m;
};

describe('identifiers', () => {
  it('computes RRN check digits as the standard does', () => {
    // weights 2..9,2..5 over the first 12 digits; (11 - sum mod 11) mod 10
    expect(rrnCheckDigit('900101123456')).toBe((11 - ((9 * 2 + 0 * 3 + 0 * 4 + 1 * 5 + 0 * 6 + 1 * 7 + 1 * 8 + 2 * 9 + 3 * 2 + 4 * 3 + 5 * 4 + 6 * 5) % 11)) % 10);
    expect(isValidRrn('900101-1234568')).toBe(rrnCheckDigit('900101123456') === 8);
    expect(genderDigit(1999, 'F')).toBe(2);
    expect(genderDigit(2000, 'M')).toBe(3);
  });

  it('computes business-number check digits as the NTS does', () => {
    // a known valid number: 220-81-62517 (weights 1,3,7,1,3,7,1,3,5 plus ⌊5·d9/10⌋)
    expect(businessCheckDigit('220816251')).toBe(7);
    expect(isValidBusinessNumber('220-81-62517')).toBe(true);
    expect(isValidBusinessNumber('220-81-62518')).toBe(false);
  });

  it('does calendar arithmetic without losing a day', () => {
    for (const iso of ['1925-01-01', '1960-02-29', '1999-12-31', '2000-02-29', '2026-11-25']) expect(isoDay(dayOf(iso))).toBe(iso);
    expect(isoDay(addYears(dayOf('2000-02-29'), 1))).toBe('2001-03-01');
    expect(ageAt(dayOf('2000-03-15'), dayOf('2026-03-14'))).toBe(25);
    expect(ageAt(dayOf('2000-03-15'), dayOf('2026-03-15'))).toBe(26);
    expect(Number.isNaN(dayOf('2026-02-30'))).toBe(true);
  });
});

describe('synthetic population', () => {
  const records = all();
  const reg = byRegistry(records);
  const residents = reg.get('resident')!;
  const byId = new Map(residents.map((r) => [r.id, r]));
  const family = new Map(reg.get('family')!.map((r) => [r.subjectId, r.data as { father?: string; mother?: string; spouse?: string; children: string[]; maritalStatus: string }]));

  it('is the same for the same seed and date, different for another seed', () => {
    expect(all()).toEqual(records);
    const other = all({ seed: 8 });
    expect(other.slice(0, 50)).not.toEqual(records.slice(0, 50));
    // the chunk size does not change the data
    expect(all({ chunkSize: 137 })).toEqual(records);
  });

  it('keeps citizen ids, names and families for a seed when only the date moves', () => {
    const later = byRegistry(all({ asOf: '2026-09-01' })).get('resident')!;
    expect(later.map((r) => [r.id, r.data.name, r.data.householdId])).toEqual(residents.map((r) => [r.id, r.data.name, r.data.householdId]));
  });

  it('makes exactly the number of citizens asked for', () => {
    expect(residents).toHaveLength(2000);
    expect(new Set(residents.map((r) => r.id)).size).toBe(2000);
    expect(byRegistry(all({ citizens: 3 })).get('resident')).toHaveLength(3);
    expect(all({ citizens: 0 })).toEqual([]);
  });

  it('gives unique RRNs with valid check digits and the gender and century digit of the birth date and sex', () => {
    const rrns = residents.map((r) => r.rrn!);
    expect(new Set(rrns).size).toBe(rrns.length);
    for (const r of residents) {
      const rrn = r.rrn!;
      expect(r.data.rrn).toBe(rrn);
      expect(isValidRrn(rrn), rrn).toBe(true);
      const birth = r.data.birthDate as string;
      expect(rrn.slice(0, 6)).toBe(birth.slice(2, 4) + birth.slice(5, 7) + birth.slice(8, 10));
      expect(Number(rrn[7])).toBe(genderDigit(Number(birth.slice(0, 4)), r.data.sex as 'M' | 'F'));
    }
  });

  it('links families both ways and agrees on households', () => {
    for (const [id, f] of family) {
      for (const c of f.children) {
        const cf = family.get(c)!;
        expect(cf.father === id || cf.mother === id, `child ${c} of ${id}`).toBe(true);
      }
      if (f.father) {
        expect(family.get(f.father)!.children).toContain(id);
        expect(byId.get(f.father)!.data.sex).toBe('M');
      }
      if (f.mother) {
        expect(family.get(f.mother)!.children).toContain(id);
        expect(byId.get(f.mother)!.data.sex).toBe('F');
        expect((byId.get(f.mother)!.data.birthDate as string) < (byId.get(id)!.data.birthDate as string)).toBe(true);
      }
      if (f.spouse) {
        expect(family.get(f.spouse)!.spouse).toBe(id);
        expect(f.maritalStatus).toBe('married');
      }
    }
    // a household has one head; the income registry names the same household and its size
    const households = new Map<string, GenRecord[]>();
    for (const r of residents) if (r.data.householdId) households.set(r.data.householdId as string, [...(households.get(r.data.householdId as string) ?? []), r]);
    for (const members of households.values()) expect(members.filter((m) => m.data.householdRole === 'head')).toHaveLength(1);
    for (const inc of reg.get('income')!) {
      const res = byId.get(inc.subjectId)!;
      expect(inc.data.householdId).toBe(res.data.householdId);
      expect(inc.data.householdSize).toBe(households.get(res.data.householdId as string)!.filter((m) => m.data.status !== 'emigrated').length);
    }
    // a dependant is insured through someone in their household
    for (const hi of reg.get('health-insurance')!) {
      if (hi.data.insuredType !== 'dependent') continue;
      const supporter = byId.get(hi.data.dependentOf as string)!;
      expect(supporter.data.householdId).toBe(byId.get(hi.subjectId)!.data.householdId);
    }
    // spouses and children live somewhere: every reference names a resident of this population
    for (const f of family.values()) for (const ref of [f.father, f.mother, f.spouse, ...f.children]) if (ref) expect(byId.has(ref)).toBe(true);
  });

  it('insures, taxes and registers people as their work and income say', () => {
    const income = new Map(reg.get('income')!.map((r) => [r.subjectId, r.data as { employmentType: string; medianIncomePercent: number }]));
    for (const hi of reg.get('health-insurance')!) {
      const inc = income.get(hi.subjectId);
      if (!inc) {
        expect(hi.data.status).toBe('lost'); // emigrated
        continue;
      }
      if (hi.data.insuredType === 'medical-aid') expect(inc.medianIncomePercent).toBeLessThanOrEqual(40);
      else if (inc.employmentType === 'employee') expect(hi.data.insuredType).toBe('employee');
      if (hi.data.insuredType === 'employee') expect(inc.employmentType).toBe('employee');
      if (hi.data.insuredType === 'dependent') expect(['employee', 'self-employed']).not.toContain(inc.employmentType);
    }
    const drivers = new Set(reg.get('licence')!.map((r) => r.subjectId));
    for (const v of reg.get('vehicle')!) expect(drivers.has(v.subjectId)).toBe(true);
    for (const b of reg.get('business')!) expect(income.get(b.subjectId)!.employmentType).toBe('self-employed');
    for (const t of reg.get('tax')!) expect((t.data.arrears as number) > 0).toBe(t.data.arrearsSince !== undefined);
  });

  it('spans every generation, with a few deceased residents', () => {
    const ages = residents.map((r) => ageAt(dayOf(r.data.birthDate as string), dayOf(AS_OF)));
    expect(Math.min(...ages)).toBe(0);
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(90);
    for (let decade = 0; decade < 90; decade += 10) expect(ages.filter((a) => a >= decade && a < decade + 10).length, `aged ${decade}s`).toBeGreaterThan(40);
    const deceased = residents.filter((r) => r.data.status === 'deceased');
    expect(deceased.length).toBeGreaterThan(0);
    expect(deceased.length).toBeLessThan(residents.length * 0.03);
    for (const d of deceased) expect((d.data.deathDate as string) <= AS_OF && (d.data.deathDate as string) > (d.data.birthDate as string)).toBe(true);
  });

  it('passes the registry definitions’ field checks, with every required field', () => {
    for (const def of REGISTRY_DEFINITIONS) {
      const recs = reg.get(def.code) ?? [];
      expect(recs.length, def.code).toBeGreaterThan(0);
      for (const r of recs) {
        for (const f of def.fields) {
          const v = r.data[f.name];
          if (v === undefined) {
            expect(f.required ?? false, `${def.code}.${f.name} missing`).toBe(false);
            continue;
          }
          expect(checkValue(f, v), `${def.code}.${f.name} = ${JSON.stringify(v)}`).toBeUndefined();
        }
        expect(Object.keys(r.data).every((k) => def.fields.some((f) => f.name === k)), `${def.code} has only its fields`).toBe(true);
      }
    }
  });

  it('has realistic shares: licences, vehicles, disability, veterans, arrears', () => {
    const big = byRegistry(all({ citizens: 10_000 }));
    const people = big.get('resident')!.filter((r) => r.data.status === 'active');
    const adults = (age: number) => people.filter((r) => ageAt(dayOf(r.data.birthDate as string), dayOf(AS_OF)) >= age).length;
    const share = (code: string, of: number) => (big.get(code)?.length ?? 0) / of;
    expect(share('licence', adults(18))).toBeGreaterThan(0.55);
    expect(share('licence', adults(18))).toBeLessThan(0.75);
    expect(share('vehicle', adults(20))).toBeGreaterThan(0.4);
    expect(share('vehicle', adults(20))).toBeLessThan(0.6);
    expect(share('disability', people.length)).toBeGreaterThan(0.03);
    expect(share('disability', people.length)).toBeLessThan(0.07);
    expect(share('veteran', people.length)).toBeGreaterThan(0.008);
    expect(share('veteran', people.length)).toBeLessThan(0.025);
    const tax = big.get('tax')!;
    expect(tax.filter((t) => (t.data.arrears as number) > 0).length / tax.length).toBeGreaterThan(0.015);
    expect(tax.filter((t) => (t.data.arrears as number) > 0).length / tax.length).toBeLessThan(0.05);
    for (const b of big.get('business')!) expect(isValidBusinessNumber(b.data.businessNumber as string)).toBe(true);
    // every one of the 17 시도, each postal code starting with its 시도's digits
    const sidos = new Set(big.get('resident')!.map((r) => r.data.sido));
    expect([...sidos].sort()).toEqual(SIDO.map((s) => s.name).sort());
    for (const r of big.get('resident')!) {
      const s = SIDO.find((x) => x.name === r.data.sido)!;
      const two = Number((r.data.postalCode as string).slice(0, 2));
      expect(two >= s.postal[0] && two <= s.postal[1], `${r.data.sido} ${r.data.postalCode}`).toBe(true);
      expect(s.sigungu.some((g) => g.name === r.data.sigungu)).toBe(true);
    }
    // due dates in the year after the reference date fall in every one of its 12 months
    const dues = [
      ...big.get('vehicle')!.map((r) => r.data.nextInspectionDue),
      ...big.get('licence')!.map((r) => r.data.renewalDue),
      ...big.get('health-insurance')!.map((r) => r.data.nextCheckupDue),
    ] as Array<string | undefined>;
    const end = isoDay(addYears(dayOf(AS_OF), 1));
    for (const [name, list] of [['all', dues], ['licence', big.get('licence')!.map((r) => r.data.renewalDue as string)]] as const) {
      const months = new Map<string, number>();
      for (const d of list) if (d && d >= AS_OF && d < end) months.set(d.slice(0, 7), (months.get(d.slice(0, 7)) ?? 0) + 1);
      const full = [...months.values()].filter((n) => n >= 5);
      expect(full.length, `${name}: ${JSON.stringify([...months])}`).toBeGreaterThanOrEqual(12);
    }
  });
});
