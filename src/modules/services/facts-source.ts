import { mediatedCall } from '../exchange/index.ts';
import { listRegistries, type RegistryInfo } from '../registries/index.ts';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { calendarDate, monthsBetween } from './cel-env.ts';
import type { Facts } from './facts.ts';

/**
 * A citizen's facts, read from the registries through the information mediator: signed,
 * access-checked and logged like any other agency's read, so each one shows in the citizen's
 * access log (MyData) under the purpose below. Only the fields the rules use are asked for. A
 * registry that refuses or does not answer leaves its facts missing (the services that need
 * them are "possibly eligible"); a registry that answers with no record gives definite facts
 * (no disability record: not registered).
 */

/** The screening system's client subsystem (exchange directory, seeded with its access rights). */
export const SCREENING_CLIENT = 'KR/GOV/MOIS/benefit-screening';
export const SCREENING_PURPOSE = '수혜 자격 확인 (eligibility screening)';

type Rec = Record<string, unknown>;

const FIELDS: Record<string, string> = {
  resident: 'sex,birthDate,nationality,sido,sigungu,householdRole,moveInDate,status',
  family: 'father,mother,spouse,children,maritalStatus',
  income: 'householdSize,monthlyIncome,assets,medianIncomePercent,occupation,employmentType',
  disability: 'disabilityType,severity,nextReviewDue',
  veteran: 'category',
  'health-insurance': 'insuredType,status,monthlyPremium,nextCheckupDue',
  tax: 'arrears,totalPaid',
  licence: 'licenceClass,status,renewalDue',
  vehicle: 'plateNumber,modelYear,nextInspectionDue',
  business: 'status,openingDate',
};

const date = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? calendarDate(v) : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
/** Drops what is missing, so that a missing field reads as unknown. */
const defined = (o: Rec): Rec => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

function ages(birth: Date | undefined, today: Date): Rec {
  if (!birth) return {};
  const months = monthsBetween(birth, today);
  return { birthDate: birth, ageMonths: months, age: Math.floor(months / 12) };
}

/** Builds the facts from what each registry answered (undefined: it did not answer). */
export function factsFrom(answers: Partial<Record<string, Rec[]>>, children: Array<Rec | undefined>, today: Date): Facts {
  const facts: Facts = {};
  const one = (code: string) => answers[code]?.[0];
  const resident = one('resident');
  if (resident) {
    facts.person = defined({
      ...ages(date(resident.birthDate), today),
      sex: str(resident.sex),
      nationality: str(resident.nationality),
      sido: str(resident.sido),
      sigungu: str(resident.sigungu),
      moveInDate: date(resident.moveInDate),
      householdRole: str(resident.householdRole),
      status: str(resident.status),
    });
  }
  if (answers.family) {
    const fam = one('family') ?? {};
    const list = Array.isArray(fam.children) ? fam.children : [];
    const marital = str(fam.maritalStatus);
    const kids = children.map((c) => (c ? ages(date(c.birthDate), today) : {}));
    // birth order by date of birth, the eldest first
    const ordered = kids
      .map((k, i) => ({ k, i }))
      .sort((a, b) => ((a.k.birthDate as Date | undefined)?.getTime() ?? 0) - ((b.k.birthDate as Date | undefined)?.getTime() ?? 0));
    ordered.forEach(({ k }, n) => (k.order = n + 1));
    facts.children = kids.map(defined);
    const minors = kids.filter((k) => typeof k.age === 'number' && (k.age as number) < 18).length;
    facts.family = defined({
      maritalStatus: marital,
      childrenCount: list.length,
      // all children's ages known, or the count stays unknown
      minorChildren: kids.every((k) => typeof k.age === 'number') ? minors : undefined,
      singleParent: marital && list.length ? marital !== 'married' && minors > 0 : marital ? false : undefined,
    });
  }
  const income = one('income');
  if (answers.income) {
    facts.household = income ? defined({ size: num(income.householdSize), monthlyIncome: num(income.monthlyIncome), assets: num(income.assets), medianIncomePercent: num(income.medianIncomePercent) }) : {};
  }
  if (answers.income || answers.business) {
    const active = (answers.business ?? []).filter((b) => b.status === 'active');
    const opened = active.map((b) => date(b.openingDate)).filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0];
    facts.work = defined({
      employmentType: str(income?.employmentType),
      occupation: str(income?.occupation),
      businessOwner: answers.business ? active.length > 0 : undefined,
      businessYears: opened ? Math.floor(monthsBetween(opened, today) / 12) : undefined,
    });
  }
  if (answers.disability) {
    const d = answers.disability.find((x) => x.severity === 'severe') ?? answers.disability[0];
    facts.disability = d ? defined({ registered: true, severity: str(d.severity), type: str(d.disabilityType), nextReviewDue: date(d.nextReviewDue) }) : { registered: false, severity: 'none', type: 'none' };
  }
  if (answers.veteran) {
    const v = one('veteran');
    facts.veteran = v ? defined({ registered: true, category: str(v.category) }) : { registered: false, category: 'none' };
  }
  if (answers['health-insurance']) {
    const h = one('health-insurance');
    facts.insurance = h ? defined({ insuredType: str(h.insuredType), insured: h.status === 'insured', monthlyPremium: num(h.monthlyPremium), nextCheckupDue: date(h.nextCheckupDue) }) : { insured: false, insuredType: 'none' };
  }
  if (answers.tax) {
    const t = one('tax');
    facts.tax = t ? defined({ arrears: num(t.arrears) ?? 0, totalPaid: num(t.totalPaid) }) : { arrears: 0 };
  }
  if (answers.licence) {
    // the licence that matters: a valid one, else the latest due
    const ls = [...answers.licence].sort((a, b) => (a.status === 'valid' ? -1 : 0) - (b.status === 'valid' ? -1 : 0));
    const l = ls[0];
    facts.licence = l ? defined({ holder: true, status: str(l.status), renewalDue: date(l.renewalDue) }) : { holder: false, status: 'none' };
  }
  if (answers.vehicle) facts.vehicles = answers.vehicle.map((v) => defined({ plateNumber: str(v.plateNumber), modelYear: num(v.modelYear), nextInspectionDue: date(v.nextInspectionDue) }));
  return facts;
}

async function read(platform: Platform, info: RegistryInfo, citizenId: string): Promise<Rec[] | undefined> {
  const fields = FIELDS[info.code];
  const res = await mediatedCall(platform, { client: SCREENING_CLIENT, service: info.serviceId, path: `/records${fields ? `?fields=${fields}` : ''}`, userId: citizenId, issue: SCREENING_PURPOSE }).catch(() => undefined);
  if (!res || res.status !== 200) return undefined;
  return ((res.body as { records?: Rec[] }).records ?? []);
}

/** What the registries answered about a citizen (and their children's resident records): facts are made from it. */
export interface Answers {
  answers: Partial<Record<string, Rec[]>>;
  children: Array<Rec | undefined>;
}

const snapshotContext = (citizenId: string) => `services.facts:${citizenId}`;

/** Reads what the registries say about a citizen through the mediator (in parallel, then their children's birth dates) and keeps it as the citizen's snapshot. */
export async function readAnswers(platform: Platform, citizenId: string): Promise<Answers> {
  const registries = (await listRegistries(platform)).filter((r) => FIELDS[r.code] && !r.disabled);
  const answers: Partial<Record<string, Rec[]>> = {};
  await Promise.all(
    registries.map(async (info) => {
      const got = await read(platform, info, citizenId);
      if (got) answers[info.code] = got;
    }),
  );
  const ids = ((answers.family?.[0]?.children as unknown[]) ?? []).filter((x): x is string => typeof x === 'string');
  const resident = registries.find((r) => r.code === 'resident');
  const children = resident ? await Promise.all(ids.map(async (id) => (await read(platform, resident, id))?.[0])) : [];
  const got = { answers, children };
  if (answers.resident?.length) await saveSnapshot(platform, citizenId, got);
  return got;
}

/** Reads a citizen's facts through the mediator (and keeps the answers as their snapshot). */
export async function gatherFacts(platform: Platform, citizenId: string, today: Date): Promise<Facts> {
  const { answers, children } = await readAnswers(platform, citizenId);
  return factsFrom(answers, children, today);
}

export async function saveSnapshot(platform: Platform, citizenId: string, a: Answers): Promise<void> {
  const enc = platform.crypto.encrypt(JSON.stringify(a), snapshotContext(citizenId));
  await platform.db.execute(sql`insert into services.facts_snapshot (citizen_id, answers_enc, read_at) values (${citizenId}::uuid, ${enc}, now())
                                on conflict (citizen_id) do update set answers_enc = excluded.answers_enc, read_at = excluded.read_at`);
}

/** Opens a snapshot row (throws if it was tampered with or moved to another citizen). */
export function openSnapshot(platform: Platform, citizenId: string, answersEnc: string): Answers {
  return JSON.parse(platform.crypto.decrypt(answersEnc, snapshotContext(citizenId))) as Answers;
}

export async function dropSnapshot(db: Db, citizenId: string): Promise<void> {
  await db.execute(sql`delete from services.facts_snapshot where citizen_id = ${citizenId}::uuid`);
}


/** A citizen's spouse, parents and children, from the family registry through the mediator (none when it does not answer). */
export async function familyIds(platform: Platform, citizenId: string): Promise<string[]> {
  const family = (await listRegistries(platform)).find((r) => r.code === 'family' && !r.disabled);
  if (!family) return [];
  const rec = (await read(platform, family, citizenId))?.[0];
  if (!rec) return [];
  const ids = [rec.spouse, rec.father, rec.mother, ...(Array.isArray(rec.children) ? rec.children : [])];
  return [...new Set(ids.filter((x): x is string => typeof x === 'string'))];
}
