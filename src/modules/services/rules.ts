import { FACTS, type FactGroup, type Facts } from './facts.ts';
import { checkRule, daysBetween, monthsBetween, ruleEnvironment, yearsBetween, type RuleProblem } from './cel-env.ts';

/**
 * Eligibility rules, compiled. A rule is CEL (cel-env.ts checks it); it is evaluated here with
 * three values: true, false, or unknown when a fact it needs is missing. `&&`, `||`, `!`, `?:`
 * and the list macros follow Kleene's logic, which is also CEL's own error absorption
 * (`missing && false` is false, `missing || true` is true), so a missing fact only makes the
 * answer unknown when it could change it.
 *
 * For speed, the checked syntax tree is translated to a JavaScript function (the population scan
 * evaluates hundreds of millions of rules): only the operators below, with every literal
 * serialised by JSON.stringify and every fact read through a helper, so no text of the rule ever
 * becomes code. A rule using anything else is run by cel-js's interpreter instead. The tests
 * compare the two on random facts.
 */

const U = Symbol('unknown');
type V = unknown;

// ---- the runtime the generated functions call ----------------------------------------------

const missing = (x: V) => x === U || x === undefined || x === null;
const rt = {
  U,
  g: (x: V, k: string): V => (missing(x) ? U : ((x as Record<string, V>)[k] ?? U)),
  eq: (a: V, b: V): V => (a === U || b === U ? U : a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b),
  ne: (a: V, b: V): V => (a === U || b === U ? U : a instanceof Date && b instanceof Date ? a.getTime() !== b.getTime() : a !== b),
  and: (x: V, y: V): V => (x === false || y === false ? false : x === U || y === U ? U : true),
  or: (x: V, y: V): V => (x === true || y === true ? true : x === U || y === U ? U : false),
  not: (x: V): V => (x === U ? U : !x),
  neg: (x: V): V => (x === U ? U : -(x as number)),
  add: (a: V, b: V): V => (a === U || b === U ? U : (a as number) + (b as number)),
  sub: (a: V, b: V): V => (a === U || b === U ? U : (a as number) - (b as number)),
  mul: (a: V, b: V): V => (a === U || b === U ? U : (a as number) * (b as number)),
  div: (a: V, b: V, int: boolean): V => (a === U || b === U ? U : int ? Math.trunc((a as number) / (b as number)) : (a as number) / (b as number)),
  mod: (a: V, b: V): V => (a === U || b === U ? U : (a as number) % (b as number)),
  inList: (a: V, list: V): V => {
    if (a === U || list === U) return U;
    let unknown = false;
    for (const e of list as V[]) {
      const r = rt.eq(a, e);
      if (r === true) return true;
      if (r === U) unknown = true;
    }
    return unknown ? U : false;
  },
  size: (x: V): V => (missing(x) ? U : (x as { length: number }).length),
  exists: (list: V, f: (x: V) => V): V => {
    if (missing(list)) return U;
    let unknown = false;
    for (const x of list as V[]) {
      const r = f(x);
      if (r === true) return true;
      if (r === U) unknown = true;
    }
    return unknown ? U : false;
  },
  all: (list: V, f: (x: V) => V): V => {
    if (missing(list)) return U;
    let unknown = false;
    for (const x of list as V[]) {
      const r = f(x);
      if (r === false) return false;
      if (r === U) unknown = true;
    }
    return unknown ? U : true;
  },
  fn: (f: (...a: never[]) => V, ...args: V[]): V => (args.some((a) => a === U) ? U : f(...(args as never[]))),
  daysBetween,
  monthsBetween,
  yearsBetween,
  // dates are calendar dates at midnight UTC, so CEL's default (UTC) accessors give the calendar's values
  getFullYear: (d: Date) => d.getUTCFullYear(),
  getMonth: (d: Date) => d.getUTCMonth(),
  getDayOfMonth: (d: Date) => d.getUTCDate() - 1,
  getDate: (d: Date) => d.getUTCDate(),
  getDayOfWeek: (d: Date) => d.getUTCDay(),
};

// ---- translation ----------------------------------------------------------------------------

interface Node {
  op: string;
  args: unknown;
  start: number;
  end: number;
}

class Unsupported extends Error {}

const GROUPS = new Set(Object.keys(FACTS));
const METHODS = new Set(['getFullYear', 'getMonth', 'getDayOfMonth', 'getDate', 'getDayOfWeek']);
const FUNCTIONS = new Set(['daysBetween', 'monthsBetween', 'yearsBetween']);
const CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);
const ARITH: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '%': 'mod' };

/** Whether a node's value is a CEL int (facts are doubles; int literals, sizes and date parts are ints). */
function isInt(n: Node): boolean {
  if (n.op === 'value') return typeof n.args === 'bigint';
  if (n.op === 'call') return (n.args as [string])[0] === 'size';
  if (n.op === 'rcall') return METHODS.has((n.args as [string])[0]);
  if (n.op in ARITH || n.op === '/') return (n.args as Node[]).every(isInt);
  if (n.op === '-_') return isInt(n.args as Node);
  return false;
}

function translate(root: Node): { body: string; constants: unknown[] } {
  const constants: unknown[] = [];
  let temps = 0;
  const konst = (v: unknown) => `C[${constants.push(v) - 1}]`;
  const temp = () => `t${temps++}`;
  const literal = (n: Node) => n.op === 'value' && (typeof n.args === 'bigint' || typeof n.args === 'number' || typeof n.args === 'string' || typeof n.args === 'boolean');
  // inline where it is hot (fact reads, comparisons, && and ||): no calls, so V8 compiles a rule
  // to about what a hand-written predicate is; helpers for the rest
  const gen = (n: Node, scope: Map<string, string>): string => {
    const a = n.args as Node[];
    switch (n.op) {
      case 'value': {
        const v = n.args;
        if (typeof v === 'bigint') return String(Number(v));
        if (typeof v === 'number') return Number.isFinite(v) ? String(v) : konst(v);
        if (typeof v === 'string' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
        throw new Unsupported('literal');
      }
      case 'id': {
        const name = n.args as string;
        const bound = scope.get(name);
        if (bound) return bound;
        if (name === 'today') return 'T';
        if (GROUPS.has(name)) {
          const t = temp();
          return `((${t} = F[${JSON.stringify(name)}]) == null ? U : ${t})`;
        }
        throw new Unsupported(`variable ${name}`);
      }
      case '.': {
        const t = temp();
        return `((${t} = ${gen(a[0]!, scope)}) === U || (${t} = ${t}[${JSON.stringify(a[1] as unknown as string)}]) == null ? U : ${t})`;
      }
      case '&&':
      case '||': {
        const [x, y] = [temp(), temp()];
        const [short, other] = n.op === '&&' ? ['false', 'true'] : ['true', 'false'];
        return `((${x} = ${gen(a[0]!, scope)}) === ${short} || (${y} = ${gen(a[1]!, scope)}) === ${short} ? ${short} : ${x} === U || ${y} === U ? U : ${other})`;
      }
      case '!_':
        return `r.not(${gen(n.args as Node, scope)})`;
      case '-_':
        return `r.neg(${gen(n.args as Node, scope)})`;
      case '?:': {
        const t = temp();
        return `((${t} = ${gen(a[0]!, scope)}) === U ? U : ${t} ? ${gen(a[1]!, scope)} : ${gen(a[2]!, scope)})`;
      }
      case 'in':
        return `r.inList(${gen(a[0]!, scope)}, ${gen(a[1]!, scope)})`;
      case 'list':
        return `[${a.map((x) => gen(x, scope)).join(', ')}]`;
      case '/':
        return `r.div(${gen(a[0]!, scope)}, ${gen(a[1]!, scope)}, ${isInt(a[0]!) && isInt(a[1]!)})`;
      case 'call': {
        const [name, args] = n.args as [string, Node[]];
        if (name === 'size' && args.length === 1) return `r.size(${gen(args[0]!, scope)})`;
        if (name === 'timestamp' && args.length === 1 && args[0]!.op === 'value' && typeof args[0]!.args === 'string') {
          const d = new Date(args[0]!.args);
          if (Number.isNaN(d.getTime())) throw new Unsupported('timestamp');
          return konst(d);
        }
        if (name === 'double' && args.length === 1) return `r.fn(Number, ${gen(args[0]!, scope)})`;
        if (FUNCTIONS.has(name)) return `r.fn(r.${name}, ${args.map((x) => gen(x, scope)).join(', ')})`;
        throw new Unsupported(`function ${name}`);
      }
      case 'rcall': {
        const [name, target, rest] = n.args as [string, Node, Node[]];
        if ((name === 'exists' || name === 'all') && rest.length === 2 && rest[0]!.op === 'id') {
          const v = `v${temps++}`;
          const inner = new Map(scope).set(rest[0]!.args as string, v);
          return `r.${name}(${gen(target, scope)}, (${v}) => ${gen(rest[1]!, inner)})`;
        }
        // dates are calendar dates at midnight UTC: in Seoul (UTC+9) the same day, so the same year, month and day
        const zone = rest.length === 1 && rest[0]!.op === 'value' && (rest[0]!.args === 'Asia/Seoul' || rest[0]!.args === 'UTC');
        if (METHODS.has(name) && (rest.length === 0 || zone)) return `r.fn(r.${name}, ${gen(target, scope)})`;
        throw new Unsupported(`method ${name}`);
      }
      default:
        if (CMP.has(n.op)) {
          const [l, rgt] = a as [Node, Node];
          // against a literal (most clauses): one check, the native operator; dates (==, !=) need the helper
          const native = n.op === '==' ? '===' : n.op === '!=' ? '!==' : n.op;
          if (literal(rgt)) {
            const t = temp();
            return `((${t} = ${gen(l, scope)}) === U ? U : ${t} ${native} ${gen(rgt, scope)})`;
          }
          if (n.op !== '==' && n.op !== '!=') {
            const [x, y] = [temp(), temp()];
            return `((${x} = ${gen(l, scope)}) === U || (${y} = ${gen(rgt, scope)}) === U ? U : ${x} ${native} ${y})`;
          }
          return `r.${n.op === '==' ? 'eq' : 'ne'}(${gen(l, scope)}, ${gen(rgt, scope)})`;
        }
        if (n.op in ARITH) return `r.${ARITH[n.op]}(${gen(a[0]!, scope)}, ${gen(a[1]!, scope)})`;
        throw new Unsupported(n.op);
    }
  };
  const expr = gen(root, new Map());
  const decl = temps ? `let ${Array.from({ length: temps }, (_, i) => `t${i}`).join(', ')};` : '';
  return { body: `${decl} return ${expr};`, constants };
}

type Evaluate = (facts: Facts, today: Date) => V;

function compileNode(source: string, node: Node): { run: Evaluate; decide: (facts: Facts, today: Date) => Outcome; compiled: boolean } {
  try {
    const { body, constants } = translate(node);
    // two functions of the same body: the value (for explanations) and the outcome (one call per
    // decision, no wrapper: the population scan makes hundreds of millions)
    const outcome = body.replace(/ return (.*);$/s, " const v = $1; return v === true ? 'eligible' : v === false ? 'not-eligible' : 'possibly-eligible';");
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the checked syntax tree only (see above)
    const make = new Function('r', 'C', 'U', `return [function rule(F, T) { ${body} }, function decide(F, T) { ${outcome} }];`) as (
      r: typeof rt,
      C: unknown[],
      u: typeof U,
    ) => [Evaluate, (facts: Facts, today: Date) => Outcome];
    const [run, decide] = make(rt, constants, U);
    return { run, decide, compiled: true };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    const program = ruleEnvironment().parse(source.slice(node.start, node.end));
    const run: Evaluate = (facts, today) => {
      try {
        return program({ ...facts, today } as Record<string, unknown>);
      } catch {
        return U;
      }
    };
    return { run, decide: (facts, today) => outcomeOf(run(facts, today)), compiled: false };
  }
}

// ---- rules ----------------------------------------------------------------------------------

export type Outcome = 'eligible' | 'possibly-eligible' | 'not-eligible';
export type ClauseResult = true | false | 'unknown';

export interface FactValue {
  path: string;
  /** Absent when the fact is missing. A list group's field gives one value per element. */
  value?: unknown;
}

export interface Clause {
  /** The clause as written in the rule. */
  text: string;
  start: number;
  end: number;
  result: ClauseResult;
  facts: FactValue[];
  /** This clause's value decided the outcome. */
  deciding: boolean;
}

export interface Explanation {
  outcome: Outcome;
  clauses: Clause[];
  /** Facts a deciding clause needed and did not have (possibly eligible). */
  missing: string[];
}

export interface CompiledRule {
  source: string;
  /** Translated to JavaScript (false: run by the cel-js interpreter). */
  compiled: boolean;
  /** Every fact path the rule reads (`person.age`, `children.ageMonths`). */
  facts: string[];
  decide(facts: Facts, today: Date): Outcome;
  explain(facts: Facts, today: Date): Explanation;
}

export class RuleError extends Error {
  constructor(readonly problem: RuleProblem) {
    super(`${problem.message} (line ${problem.line}, column ${problem.column})`);
    this.name = 'RuleError';
  }
}

const outcomeOf = (v: V): Outcome => (v === true ? 'eligible' : v === false ? 'not-eligible' : 'possibly-eligible');

/** The fact paths a node reads, resolving macro variables to their list (`c.ageMonths` → `children.ageMonths`). */
function factsOf(n: Node, scope = new Map<string, string>(), out = new Set<string>()): Set<string> {
  if (n.op === '.') {
    const [obj, field] = n.args as [Node, string];
    if (obj.op === 'id') {
      const name = obj.args as string;
      const base = scope.get(name) ?? (GROUPS.has(name) ? name : undefined);
      if (base) {
        out.add(`${base}.${field}`);
        return out;
      }
    }
  }
  if (n.op === 'id') {
    const name = n.args as string;
    if (!scope.has(name) && GROUPS.has(name) && (FACTS as Record<string, FactGroup>)[name]!.list) out.add(name);
    return out;
  }
  if (n.op === 'rcall') {
    const [, target, rest] = n.args as [string, Node, Node[]];
    factsOf(target, scope, out);
    if (rest.length === 2 && rest[0]!.op === 'id' && target.op === 'id') {
      const inner = new Map(scope).set(rest[0]!.args as string, scope.get(target.args as string) ?? (target.args as string));
      factsOf(rest[1]!, inner, out);
    } else for (const r of rest) factsOf(r, scope, out);
    return out;
  }
  const visit = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x && typeof x === 'object' && 'op' in x) factsOf(x as Node, scope, out);
  };
  visit(n.args);
  return out;
}

function factValue(facts: Facts, path: string): FactValue {
  const [group, field] = path.split('.') as [string, string | undefined];
  const g = (facts as Record<string, unknown>)[group];
  if (g === undefined || g === null) return { path };
  if (!field) return { path, value: (g as unknown[]).length };
  if (Array.isArray(g)) {
    const values = g.map((x) => (x as Record<string, unknown>)[field]);
    // one element without it is enough to leave a clause about the list undecided
    return values.some((v) => v === undefined || v === null) ? { path } : { path, value: values };
  }
  const v = (g as Record<string, unknown>)[field];
  return v === undefined || v === null ? { path } : { path, value: v };
}

interface Part {
  node: Node;
  run: Evaluate;
  facts: string[];
}

/** Compiles a rule that passed {@link checkRule}; throws {@link RuleError} otherwise. */
export function compileRule(source: string): CompiledRule {
  const problem = checkRule(source);
  if (problem) throw new RuleError(problem);
  const root = (ruleEnvironment().parse(source) as unknown as { ast: Node }).ast;
  const whole = compileNode(source, root);
  // the boolean structure's leaves, each compiled on its own for the explanation (on first use)
  let parts: Map<Node, Part> | undefined;
  const leaves = (): Map<Node, Part> => {
    if (parts) return parts;
    parts = new Map();
    const walk = (n: Node) => {
      if (n.op === '&&' || n.op === '||') (n.args as Node[]).forEach(walk);
      else if (n.op === '!_') walk(n.args as Node);
      else parts!.set(n, { node: n, run: compileNode(source, n).run, facts: [...factsOf(n)] });
    };
    walk(root);
    return parts;
  };
  return {
    source,
    compiled: whole.compiled,
    facts: [...factsOf(root)],
    decide: whole.decide,
    explain(facts, today) {
      const ps = leaves();
      const values = new Map<Node, V>();
      for (const [n, p] of ps) values.set(n, p.run(facts, today));
      const deciding = new Set<Node>();
      // Kleene over the tree, marking the leaves that decided each connective's value
      const value = (n: Node): V => {
        if (n.op === '!_') return rt.not(value(n.args as Node));
        if (n.op !== '&&' && n.op !== '||') return values.get(n)!;
        return rt[n.op === '&&' ? 'and' : 'or'](value((n.args as Node[])[0]!), value((n.args as Node[])[1]!));
      };
      const mark = (n: Node, v: V) => {
        if (n.op === '!_') return mark(n.args as Node, rt.not(v));
        if (n.op !== '&&' && n.op !== '||') return void deciding.add(n);
        const [l, r] = n.args as [Node, Node];
        const short = n.op === '&&' ? false : true;
        // a short-circuiting value is decided by the sides that have it; otherwise by every side with the result
        const sides = v === short ? [l, r].filter((s) => value(s) === short) : v === U ? [l, r].filter((s) => value(s) === U) : [l, r];
        for (const s of sides) mark(s, value(s));
      };
      const result = value(root);
      mark(root, result);
      const clauses: Clause[] = [...ps.values()].map((p) => {
        const v = values.get(p.node);
        return {
          text: source.slice(p.node.start, p.node.end),
          start: p.node.start,
          end: p.node.end,
          result: v === true ? true : v === false ? false : 'unknown',
          facts: p.facts.map((path) => factValue(facts, path)),
          deciding: deciding.has(p.node),
        };
      });
      const missing = [...new Set(clauses.filter((c) => c.deciding && c.result === 'unknown').flatMap((c) => c.facts.filter((f) => !('value' in f)).map((f) => f.path)))];
      return { outcome: outcomeOf(result), clauses, missing };
    },
  };
}
