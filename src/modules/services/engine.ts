import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { NotFoundError, PlatformError } from '../../platform/errors.ts';
import { koreaDay } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Text } from '../registries/index.ts';
import { calendarDate } from './cel-env.ts';
import { catalogueReady, listServices, type ServiceInfo } from './catalogue.ts';
import { factPaths, type Facts } from './facts.ts';
import { dropSnapshot, gatherFacts } from './facts-source.ts';
import { compileRule, type CompiledRule, type Explanation, type Outcome } from './rules.ts';

/**
 * The eligibility engine: for a citizen, every service of the catalogue with the rule in force
 * on the day, decided on the citizen's facts: eligible, possibly eligible (with the missing
 * facts), or not eligible, each with its explanation (the clauses, the facts they read and their
 * values, the clauses that decided).
 */

export interface RuleInForce {
  serviceId: string;
  version: number;
  effectiveFrom: string;
  rule: CompiledRule;
}

export interface Eligibility {
  service: ServiceInfo;
  ruleVersion: number;
  outcome: Outcome;
  explanation: Explanation;
}

const compiled = new Map<string, CompiledRule>();
function compiledRule(serviceId: string, version: number, source: string): CompiledRule {
  const key = `${serviceId}@${version}`;
  let r = compiled.get(key);
  if (!r) compiled.set(key, (r = compileRule(source)));
  return r;
}

/** Today's date in Korea as a calendar date (cel-env.ts). */
export const seoulDate = (now = new Date()) => calendarDate(koreaDay(now));
export const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** The published rule version in force on `day` for every service that has one (or for `serviceId` only). */
export async function rulesInForce(db: Db, day: Date, serviceId?: string): Promise<RuleInForce[]> {
  const r = await rows<{ service_id: string; version: number; source: string; effective_from: string }>(
    db,
    sql`select distinct on (service_id) service_id, version, source, to_char(effective_from, 'YYYY-MM-DD') as effective_from
          from services.rule_version
         where status = 'published' and effective_from <= ${ymd(day)}::date ${serviceId === undefined ? sql`` : sql`and service_id = ${serviceId}`}
         order by service_id, effective_from desc, version desc`,
  );
  return r.map((x) => ({ serviceId: x.service_id, version: x.version, effectiveFrom: x.effective_from, rule: compiledRule(x.service_id, x.version, x.source) }));
}

/** The published rule version in force on `day` for one service, if it has one. */
export async function ruleInForce(db: Db, serviceId: string, day: Date): Promise<RuleInForce | undefined> {
  return (await rulesInForce(db, day, serviceId))[0];
}

const ORDER: Record<Outcome, number> = { eligible: 0, 'possibly-eligible': 1, 'not-eligible': 2 };

/** Decides every service on the given facts (no reads: the caller has them). */
export async function decideAll(db: Db, facts: Facts, day: Date): Promise<Eligibility[]> {
  const [services, rules] = await Promise.all([listServices(db), rulesInForce(db, day)]);
  const byId = new Map(rules.map((r) => [r.serviceId, r]));
  const out: Eligibility[] = [];
  for (const service of services) {
    const r = byId.get(service.id);
    if (!r) continue;
    const explanation = r.rule.explain(facts, day);
    out.push({ service, ruleVersion: r.version, outcome: explanation.outcome, explanation });
  }
  return out.sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome]);
}

export async function isOptedIn(db: Db, citizenId: string): Promise<boolean> {
  const [r] = await rows(db, sql`select 1 from services.screening where citizen_id = ${citizenId}::uuid and withdrawn_at is null`);
  return !!r;
}

export async function optIn(db: Db, citizenId: string): Promise<void> {
  await db.execute(sql`insert into services.screening (citizen_id) values (${citizenId}::uuid)
                       on conflict (citizen_id) do update set opted_in_at = now(), withdrawn_at = null where services.screening.withdrawn_at is not null`);
}

/** Opts out: nothing more is read, and the snapshot of what was read goes (facts-source.ts). */
export async function optOut(db: Db, citizenId: string): Promise<void> {
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`update services.screening set withdrawn_at = now() where citizen_id = ${citizenId}::uuid and withdrawn_at is null`);
    await dropSnapshot(tx, citizenId);
  });
}

/**
 * A citizen's eligibility for every service, on their facts read through the mediator. Only for
 * a citizen who asked for it (403 `screening_not_requested` otherwise): nothing is read first.
 */
export async function screenCitizen(platform: Platform, citizenId: string, day = seoulDate()): Promise<{ facts: Facts; results: Eligibility[] }> {
  if (!/^[0-9a-f-]{36}$/i.test(citizenId)) throw new NotFoundError('no such citizen', 'citizen_not_found');
  const r = await screenIfOptedIn(platform, citizenId, day);
  if (r === 'not-opted-in') throw new PlatformError('screening_not_requested', 403, 'this citizen has not asked for benefit alerts (혜택 알리미): their data is not read for screening');
  if (!r) throw new NotFoundError('the resident registry has no such citizen', 'citizen_not_found');
  return r;
}

/** The same for the worker: `not-opted-in` (nothing read), undefined for someone the resident registry does not hold. */
export async function screenIfOptedIn(platform: Platform, citizenId: string, day: Date): Promise<{ facts: Facts; results: Eligibility[] } | 'not-opted-in' | undefined> {
  if (!(await isOptedIn(platform.db, citizenId))) return 'not-opted-in';
  await catalogueReady(platform);
  const facts = await gatherFacts(platform, citizenId, day);
  if (!facts.person) return undefined;
  return { facts, results: await decideAll(platform.db, facts, day) };
}

// ---- explanations in words ------------------------------------------------------------------

const LABELS = new Map(factPaths().map((p) => [p.path, p.label]));
export const factLabel = (path: string): Text => LABELS.get(path) ?? { ko: path, en: path };

function formatValue(v: unknown, lang: 'ko' | 'en'): string {
  if (v instanceof Date) return ymd(v);
  if (typeof v === 'boolean') return v ? (lang === 'ko' ? '예' : 'yes') : lang === 'ko' ? '아니오' : 'no';
  if (Array.isArray(v)) return v.length ? v.map((x) => formatValue(x, lang)).join(', ') : lang === 'ko' ? '없음' : 'none';
  if (typeof v === 'number') return v.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB');
  return String(v);
}

const OUTCOME_TEXT: Record<Outcome, Text> = {
  eligible: { ko: '대상', en: 'eligible' },
  'possibly-eligible': { ko: '대상일 수 있음 (확인 필요)', en: 'possibly eligible (facts missing)' },
  'not-eligible': { ko: '대상 아님', en: 'not eligible' },
};
export const outcomeText = (o: Outcome, lang: 'ko' | 'en') => OUTCOME_TEXT[o][lang];

/** The explanation as lines of text: each deciding clause with the facts it read and their values. */
export function explainText(e: Explanation, lang: 'ko' | 'en'): string[] {
  const verdict = { true: lang === 'ko' ? '충족' : 'met', false: lang === 'ko' ? '미충족' : 'not met', unknown: lang === 'ko' ? '확인 필요' : 'unknown' };
  return e.clauses
    .filter((c) => c.deciding)
    .map((c) => {
      const facts = c.facts.map((f) => `${factLabel(f.path)[lang]} = ${'value' in f ? formatValue(f.value, lang) : lang === 'ko' ? '정보 없음' : 'not known'}`);
      return `${verdict[String(c.result) as 'true' | 'false' | 'unknown']}: ${c.text}${facts.length ? ` (${facts.join('; ')})` : ''}`;
    });
}
