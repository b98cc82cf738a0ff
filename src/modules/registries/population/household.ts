// Households and family links. People are made in family clusters: one household, and for an
// older couple or widow(er) sometimes the households of grown-up children living elsewhere, so
// parents, children and spouses refer to each other across households as they do in the 가족관계
// register. Every link is set on both sides here, in one place.
import type { Rng } from '../../../platform/seed.ts';
import { GIVEN_NAMES, SURNAMES } from './catalog/names.ts';
import { SIDO, type Sido, type Sigungu } from './catalog/regions.ts';
import { addYears, picker } from './ids.ts';

export type Sex = 'M' | 'F';
export type Role = 'head' | 'spouse' | 'child' | 'parent' | 'sibling' | 'grandchild' | 'other';
export type Marital = 'single' | 'married' | 'divorced' | 'widowed';

export interface Person {
  id: string;
  name: string;
  surname: string;
  sex: Sex;
  /** day number of birth */
  birth: number;
  /** age on the reference date */
  age: number;
  deathDay?: number;
  emigrated?: boolean;
  household?: Household;
  /** where a deceased person last lived (the surviving spouse's household) */
  lastHome?: Household;
  role?: Role;
  father?: Person;
  mother?: Person;
  spouse?: Person;
  children: Person[];
  marital: Marital;
}

export interface Household {
  id: string;
  members: Person[];
  sido: Sido;
  sigungu: Sigungu;
  /** 0-based index of the 시군구 within its 시도 (for stable postal prefixes) */
  sigunguIndex: number;
  moveIn: number;
}

export interface Gen {
  rng: Rng;
  ref: number;
  newId: () => string;
}

const surnames = picker(SURNAMES);

/**
 * The birth year that picks names and customs (mothers' ages at birth): counted from the age on a
 * fixed year rather than from the birth date, so that names and families stay the same for a seed
 * whatever the reference date (a December birth would otherwise move to another cohort).
 */
const cohortYear = (age: number) => 2026 - age;
const places = picker(SIDO.flatMap((sido) => sido.sigungu.map((s, i) => [{ sido, sigungu: s, index: i }, s.pop] as const)));

export function newPerson(g: Gen, sex: Sex, age: number, surname?: string): Person {
  const { rng, ref } = g;
  const upper = addYears(ref, -age);
  const birth = upper - rng.int(0, upper - addYears(ref, -age - 1) - 1);
  const year = cohortYear(age);
  let cohort = GIVEN_NAMES[0]!;
  for (const c of GIVEN_NAMES) if (c.from <= year) cohort = c;
  const sn = surname ?? surnames.pick(rng);
  return { id: g.newId(), name: sn + rng.pick(cohort[sex]), surname: sn, sex, birth, age, children: [], marital: 'single' };
}

function marry(a: Person, b: Person): void {
  a.spouse = b;
  b.spouse = a;
  a.marital = b.marital = 'married';
}

function link(child: Person, ...parents: Array<Person | undefined>): void {
  for (const p of parents) {
    if (!p) continue;
    if (p.sex === 'M') child.father = p;
    else child.mother = p;
    p.children.push(child);
  }
}

/** Mothers' ages at birth moved later over the decades (about 25 for the 1950s, 33 today). */
function ageAtBirth(g: Gen, motherBirthYear: number): number {
  if (motherBirthYear < 1960) return g.rng.int(21, 31);
  if (motherBirthYear < 1980) return g.rng.int(24, 34);
  return g.rng.int(28, 39);
}

/** Up to n children of a mother (and father), eldest first; none born after the reference date. */
function bear(g: Gen, n: number, mother: Person, father: Person | undefined, maxAge = 45): Person[] {
  const kids: Person[] = [];
  let age = mother.age - ageAtBirth(g, cohortYear(mother.age));
  for (let i = 0; i < n && age >= 0; i++) {
    if (age <= maxAge) {
      const surname = father?.surname ?? (g.rng.chance(0.2) ? mother.surname : undefined);
      const kid = newPerson(g, g.rng.chance(0.512) ? 'M' : 'F', age, surname);
      link(kid, mother, father);
      kids.push(kid);
    }
    age -= g.rng.int(1, 5);
  }
  return kids;
}

function household(g: Gen, members: Array<[Person, Role]>): Household {
  const { rng, ref } = g;
  const place = places.pick(rng);
  const youngest = Math.max(...members.map(([p]) => p.birth));
  const moveIn = Math.max(youngest, ref - rng.int(30, 15 * 365));
  const h: Household = { id: g.newId(), members: [], sido: place.sido, sigungu: place.sigungu, sigunguIndex: place.index, moveIn };
  for (const [p, role] of members) {
    p.household = h;
    p.role = role;
    h.members.push(p);
  }
  return h;
}

const range = (g: Gen, spans: ReadonlyArray<readonly [number, number, number]>): number => {
  const total = spans.reduce((s, x) => s + x[2], 0);
  let x = g.rng.next() * total;
  for (const [lo, hi, w] of spans) {
    if ((x -= w) < 0) return g.rng.int(lo, hi);
  }
  return spans[0]![0];
};

const partnerAge = (g: Gen, age: number, partnerSex: Sex) => Math.max(19, age + (partnerSex === 'F' ? -g.rng.int(0, 4) : g.rng.int(0, 4)));

/**
 * Sometimes the late husband or wife of a widow(er) is kept as a deceased resident, so that the
 * children's other parent is on record. Links them to the children the widow(er) has so far.
 */
function lateSpouse(g: Gen, widow: Person, out: Person[]): Person | undefined {
  if (widow.age < 45 || !g.rng.chance(0.15)) return undefined;
  // not before the youngest child was born (adult children made later are 19 or older)
  const most = Math.min(18, widow.age - 40, ...widow.children.map((c) => c.age));
  if (most < 1) return undefined;
  const yearsAgo = g.rng.int(1, most);
  const sex: Sex = widow.sex === 'M' ? 'F' : 'M';
  const fatherless = widow.children.find((c) => !c.father);
  const d = newPerson(g, sex, partnerAge(g, widow.age, sex), sex === 'M' ? fatherless?.surname : undefined);
  d.deathDay = g.ref - g.rng.int(yearsAgo * 365 - 364, yearsAgo * 365);
  d.marital = 'married';
  d.lastHome = widow.household;
  for (const c of widow.children) link(c, d);
  out.push(d);
  return d;
}

type Kind = 'single' | 'couple' | 'family' | 'single-parent' | 'three-generation' | 'siblings' | 'grandparent';
const kinds = picker<Kind>([['single', 31], ['couple', 19], ['family', 26], ['single-parent', 8], ['three-generation', 4], ['siblings', 2.5], ['grandparent', 1]]);

/**
 * One family cluster: a household of a drawn kind and, for older parents, sometimes the households of
 * adult children. Returns every person made (deceased spouses included) and the households.
 * `singleOnly` makes one person living alone (to end a population at exactly the size asked for).
 */
export function cluster(g: Gen, singleOnly = false): { people: Person[]; households: Household[] } {
  const people: Person[] = [];
  const households: Household[] = [];
  const { rng } = g;
  const add = (h: Household) => {
    households.push(h);
    for (const p of h.members) people.push(p);
    return h;
  };
  const kind = singleOnly ? 'single' : kinds.pick(rng);
  let elders: Person[] = [];
  if (kind === 'single') {
    const age = range(g, [[19, 29, 14], [30, 39, 12], [40, 49, 11], [50, 59, 15], [60, 69, 19], [70, 79, 18], [80, 89, 9], [90, 99, 2]]);
    const p = newPerson(g, rng.chance(age >= 65 ? 0.3 : 0.56) ? 'M' : 'F', age);
    if (age >= 40) p.marital = age >= 65 ? (rng.chance(0.75) ? 'widowed' : 'divorced') : rng.pick(['single', 'divorced', 'divorced', 'widowed'] as const);
    if (age >= 25 && age < 60 && rng.chance(0.01)) p.emigrated = true;
    add(household(g, [[p, 'head']]));
    if (p.marital === 'widowed' || p.marital === 'divorced') {
      // they had children, who live elsewhere (or are not in this population)
      elders = [p];
    }
  } else if (kind === 'couple') {
    const age = range(g, [[25, 34, 9], [35, 54, 12], [55, 64, 31], [65, 74, 30], [75, 92, 18]]);
    const h = newPerson(g, 'M', age);
    const w = newPerson(g, 'F', partnerAge(g, age, 'F'));
    marry(h, w);
    add(household(g, [[h, 'head'], [w, 'spouse']]));
    if (age >= 50) elders = [h, w];
  } else if (kind === 'family' || kind === 'three-generation') {
    const age = kind === 'family' ? range(g, [[28, 39, 12], [40, 49, 36], [50, 62, 52]]) : rng.int(40, 60);
    const h = newPerson(g, 'M', age);
    const w = newPerson(g, 'F', partnerAge(g, age, 'F'));
    marry(h, w);
    const kids = bear(g, rng.pick([1, 1, 1, 2, 2, 2, 3] as const), w, h, 34);
    const members: Array<[Person, Role]> = [[h, 'head'], [w, 'spouse'], ...kids.map((k) => [k, 'child'] as [Person, Role])];
    if (kind === 'three-generation') {
      const gm = newPerson(g, 'F', Math.min(99, age + rng.int(22, 32)));
      link(h, gm);
      members.push([gm, 'parent']);
      if (rng.chance(0.35) && gm.age < 90) {
        const gf = newPerson(g, 'M', Math.min(99, gm.age + rng.int(0, 4)), h.surname);
        marry(gf, gm);
        link(h, gf);
        members.push([gf, 'parent']);
      } else gm.marital = 'widowed';
      add(household(g, members));
      if (gm.marital === 'widowed') lateSpouse(g, gm, people);
    } else add(household(g, members));
  } else if (kind === 'single-parent') {
    const sex: Sex = rng.chance(0.75) ? 'F' : 'M';
    const p = newPerson(g, sex, range(g, [[28, 39, 30], [40, 49, 40], [50, 65, 30]]));
    p.marital = rng.pick(['divorced', 'divorced', 'divorced', 'widowed', 'single'] as const);
    const kids = sex === 'F' ? bear(g, rng.int(1, 2), p, undefined, 34) : bearForFather(g, p);
    add(household(g, [[p, 'head'], ...kids.map((k) => [k, 'child'] as [Person, Role])]));
    if (p.marital === 'widowed') lateSpouse(g, p, people);
  } else if (kind === 'siblings') {
    const age = rng.int(20, 40);
    const a = newPerson(g, rng.chance(0.5) ? 'M' : 'F', age);
    const b = newPerson(g, rng.chance(0.5) ? 'M' : 'F', Math.max(19, age - rng.int(1, 5)), a.surname);
    add(household(g, [[a, 'head'], [b, 'sibling']]));
  } else {
    const gp = newPerson(g, rng.chance(0.7) ? 'F' : 'M', rng.int(60, 82));
    gp.marital = 'widowed';
    const n = rng.int(1, 2);
    const kids = Array.from({ length: n }, () => newPerson(g, rng.chance(0.5) ? 'M' : 'F', rng.int(4, 17), gp.sex === 'M' ? gp.surname : undefined));
    add(household(g, [[gp, 'head'], ...kids.map((k) => [k, 'grandchild'] as [Person, Role])]));
  }
  if (elders.length && !singleOnly && rng.chance(0.35)) adultChildren(g, elders, add, people);
  return { people, households };
}

/** A single father's children: the mother is absent, the children carry his surname. */
function bearForFather(g: Gen, father: Person): Person[] {
  const kids: Person[] = [];
  let age = father.age - g.rng.int(27, 38);
  for (let i = 0, n = g.rng.int(1, 2); i < n && age >= 0; i++, age -= g.rng.int(1, 5)) {
    const kid = newPerson(g, g.rng.chance(0.512) ? 'M' : 'F', age, father.surname);
    link(kid, father);
    kids.push(kid);
  }
  return kids;
}

/** Grown-up children of elderly parents, each heading (or married into) a household of their own. */
function adultChildren(g: Gen, elders: Person[], add: (h: Household) => Household, people: Person[]): void {
  const { rng } = g;
  const mother = elders.find((p) => p.sex === 'F');
  const father = elders.find((p) => p.sex === 'M');
  const older = mother ?? father!;
  const late = older.marital === 'widowed' && elders.length === 1 ? lateSpouse(g, older, people) : undefined;
  let age = older.age - (mother ? ageAtBirth(g, cohortYear(mother.age)) : rng.int(27, 38));
  for (let i = 0, n = rng.int(1, 2); i < n && age >= 19; i++, age -= rng.int(2, 5)) {
    const sex: Sex = rng.chance(0.5) ? 'M' : 'F';
    const child = newPerson(g, sex, age, father?.surname ?? late?.surname);
    link(child, mother, father, late);
    const form = age < 30 ? (rng.chance(0.7) ? 'single' : 'couple') : rng.pick(['single', 'couple', 'family', 'family', 'family'] as const);
    if (form === 'single') {
      child.marital = age >= 35 && rng.chance(0.4) ? 'divorced' : 'single';
      add(household(g, [[child, 'head']]));
      continue;
    }
    const partner = newPerson(g, sex === 'M' ? 'F' : 'M', partnerAge(g, age, sex === 'M' ? 'F' : 'M'));
    marry(child, partner);
    const [h, w] = sex === 'M' ? [child, partner] : [partner, child];
    const kids = form === 'family' ? bear(g, rng.pick([1, 2, 2] as const), w, h, 30) : [];
    add(household(g, [[h, 'head'], [w, 'spouse'], ...kids.map((k) => [k, 'child'] as [Person, Role])]));
  }
}
