import { Environment } from '@marcbachmann/cel-js';
import { FACTS, type FactGroup, type FactType } from './facts.ts';

/**
 * The CEL environment eligibility rules are checked in: one variable per fact group (facts.ts),
 * `today` (the evaluation date; rules never read a clock, so a decision can be replayed), and
 * date helpers. CEL (cel-js) is the language because it is standard, readable by officials,
 * type-checked before a rule is saved with the position of each error, and not Turing complete
 * (docs/research/rules-language.md compares it with json-logic, jexl and others).
 */

const CEL_TYPE: Record<FactType, string> = { double: 'double', string: 'string', bool: 'bool', timestamp: 'google.protobuf.Timestamp' };

const DAY = 86_400_000;
/**
 * Dates (birth dates, due dates, `today`) are calendar dates in Korea, given as midnight UTC of
 * that date (`2026-12-06T00:00:00Z`): then day counts are exact and CEL's accessors, which use
 * UTC unless told a zone, give the calendar's year, month and day.
 */
export const calendarDate = (ymd: string) => new Date(`${ymd}T00:00:00Z`);
/** Whole days from a to b (negative when b is earlier). */
export const daysBetween = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / DAY);
/** Whole calendar months from a to b, counted as a person's age is (the day of the month decides). */
export function monthsBetween(a: Date, b: Date): number {
  const sign = b < a ? -1 : 1;
  const [s, e] = sign > 0 ? [a, b] : [b, a];
  let m = (e.getUTCFullYear() - s.getUTCFullYear()) * 12 + (e.getUTCMonth() - s.getUTCMonth());
  if (e.getUTCDate() < s.getUTCDate()) m--;
  return sign * m;
}

/** Whole years from a to b. */
export const yearsBetween = (a: Date, b: Date) => Math.trunc(monthsBetween(a, b) / 12);

export const RULE_FUNCTIONS = {
  'daysBetween(google.protobuf.Timestamp, google.protobuf.Timestamp): double': daysBetween,
  'monthsBetween(google.protobuf.Timestamp, google.protobuf.Timestamp): double': monthsBetween,
  'yearsBetween(google.protobuf.Timestamp, google.protobuf.Timestamp): double': yearsBetween,
} as const;

let shared: Environment | undefined;

/** The environment (built once: building one is the costly part). */
export function ruleEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment({ limits: { maxAstNodes: 2000, maxDepth: 64, maxListElements: 200, maxMapEntries: 50, maxCallArguments: 8 } });
  for (const [name, group] of Object.entries(FACTS) as Array<[string, FactGroup]>) {
    const schema = Object.fromEntries(Object.entries(group.fields).map(([k, v]) => [k, CEL_TYPE[v.type]]));
    const typeName = `hanaro.${name}`;
    env.registerType({ name: typeName, schema });
    env.registerVariable(name, group.list ? `list<${typeName}>` : typeName);
  }
  env.registerVariable('today', 'google.protobuf.Timestamp');
  for (const [signature, handler] of Object.entries(RULE_FUNCTIONS)) env.registerFunction(signature, handler as (...args: unknown[]) => unknown);
  shared = env;
  return env;
}

export interface RuleProblem {
  message: string;
  /** 0-based character offsets into the rule. */
  start: number;
  end: number;
  line: number;
  column: number;
}

/** Checks a rule's syntax and types; a rule must be a bool. Null when it is fine. */
export function checkRule(source: string): RuleProblem | null {
  const env = ruleEnvironment();
  const at = (start: number, end: number, message: string): RuleProblem => {
    const before = source.slice(0, start);
    const line = before.split('\n').length;
    return { message, start, end, line, column: start - before.lastIndexOf('\n') };
  };
  if (!source.trim()) return at(0, 0, 'empty rule');
  try {
    const r = env.check(source) as { valid: boolean; type?: string; error?: { message?: string; range?: { start: number; end: number } } };
    if (!r.valid) {
      const range = r.error?.range ?? { start: 0, end: source.length };
      return at(range.start, range.end, firstLine(r.error?.message ?? 'type error'));
    }
    if (r.type !== 'bool') return at(0, source.length, `a rule must be true or false (bool), not ${r.type}`);
    return null;
  } catch (e) {
    const err = e as { message?: string; range?: { start: number; end: number } };
    const range = err.range ?? { start: 0, end: source.length };
    return at(range.start, range.end, firstLine(err.message ?? String(e)));
  }
}

const firstLine = (m: string) => m.split('\n')[0]!.trim();
