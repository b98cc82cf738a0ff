import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Text } from '../registries/index.ts';
import { checkRule, type RuleProblem } from './cel-env.ts';
import { seoulDate, ymd } from './engine.ts';
import { personas } from './personas.ts';
import { compileRule, type Explanation, type Outcome } from './rules.ts';

/**
 * A rule's versions as officials author them: one open draft per service, saved only when it
 * checks (syntax, names, types: 400 `rule_invalid` with the line and column); tried against the
 * sample residents (personas.ts) before publishing; published with an effective date from today
 * on, after which it never changes. The version in force on a day is the published one with the
 * latest effective date on or before it (engine.ts).
 */

export interface RuleVersion {
  version: number;
  source: string;
  status: 'draft' | 'published';
  effectiveFrom: string | null;
  note: string | null;
  createdBy: string;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

/** A rule that does not check: 400 with the problem's place. */
export class RuleInvalidError extends PlatformError {
  constructor(readonly problem: RuleProblem) {
    super('rule_invalid', 400, `the rule does not check: ${problem.message} (line ${problem.line}, column ${problem.column})`, { problem });
    this.titles = { ko: '규칙에 오류가 있습니다', en: 'The rule has an error' };
  }
}

export async function ruleVersions(db: Db, serviceId: string): Promise<RuleVersion[]> {
  const r = await rows<{ version: number; source: string; status: 'draft' | 'published'; effective_from: string | null; note: string | null; created_by: string; created_at: Date; published_by: string | null; published_at: Date | null }>(
    db,
    sql`select version, source, status, to_char(effective_from, 'YYYY-MM-DD') as effective_from, note, created_by, created_at, published_by, published_at
          from services.rule_version where service_id = ${serviceId} order by version desc`,
  );
  return r.map((x) => ({
    version: x.version,
    source: x.source,
    status: x.status,
    effectiveFrom: x.effective_from,
    note: x.note,
    createdBy: x.created_by,
    createdAt: new Date(x.created_at).toISOString(),
    publishedBy: x.published_by,
    publishedAt: x.published_at ? new Date(x.published_at).toISOString() : null,
  }));
}

/** Saves the service's draft (replacing the open one, or as the next version); refuses a rule that does not check. */
export async function saveDraft(db: Db, serviceId: string, source: string, actor: string, note?: string): Promise<RuleVersion> {
  const problem = checkRule(source);
  if (problem) throw new RuleInvalidError(problem);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [svc] = await rows(tx, sql`select 1 from services.service where id = ${serviceId} for update`);
    if (!svc) throw new NotFoundError('no such service', 'service_not_found');
    const [draft] = await rows<{ version: number }>(tx, sql`select version from services.rule_version where service_id = ${serviceId} and status = 'draft'`);
    if (draft) {
      await tx.execute(sql`update services.rule_version set source = ${source}, note = ${note ?? null}, created_by = ${actor}, created_at = now() where service_id = ${serviceId} and version = ${draft.version}`);
    } else {
      await tx.execute(
        sql`insert into services.rule_version (service_id, version, source, status, note, created_by)
            select ${serviceId}, coalesce(max(version), 0) + 1, ${source}, 'draft', ${note ?? null}, ${actor} from services.rule_version where service_id = ${serviceId}`,
      );
    }
    return (await ruleVersions(tx, serviceId)).find((v) => v.status === 'draft')!;
  });
}

/** Publishes the draft `version` from `effectiveFrom` (today or later, in Korea). */
export async function publishVersion(db: Db, serviceId: string, version: number, effectiveFrom: string, actor: string, today = seoulDate()): Promise<RuleVersion> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom) || Number.isNaN(Date.parse(`${effectiveFrom}T00:00:00Z`))) throw new BadRequestError('effectiveFrom must be a date, YYYY-MM-DD', undefined, 'invalid_date');
  if (effectiveFrom < ymd(today)) throw new BadRequestError(`a rule cannot take effect in the past (today is ${ymd(today)}): decisions already made would change`, undefined, 'effective_date_past');
  const r = await rows(
    db,
    sql`update services.rule_version set status = 'published', effective_from = ${effectiveFrom}::date, published_by = ${actor}, published_at = now()
         where service_id = ${serviceId} and version = ${version} and status = 'draft' returning version`,
  );
  if (!r.length) throw new NotFoundError('no such draft: only a draft is published, once', 'draft_not_found');
  return (await ruleVersions(db, serviceId)).find((v) => v.version === version)!;
}

export interface Trial {
  persona: { id: string; label: Text };
  outcome: Outcome;
  explanation: Explanation;
}

/** Tries a rule on the sample residents; throws {@link RuleInvalidError} when it does not check. */
export function tryRule(source: string, today = seoulDate()): Trial[] {
  const problem = checkRule(source);
  if (problem) throw new RuleInvalidError(problem);
  const rule = compileRule(source);
  return personas(today).map((p) => {
    const explanation = rule.explain(p.facts, today);
    return { persona: { id: p.id, label: p.label }, outcome: explanation.outcome, explanation };
  });
}
