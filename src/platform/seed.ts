import { sql } from 'drizzle-orm';
import { rows } from './db.ts';
import type { HanaroModule } from './module.ts';
import type { Platform } from './platform.ts';

/** A deterministic pseudo-random source: the same seed gives the same demo data on every machine. */
export interface Rng {
  /** [0, 1) */
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** An independent stream for a named part, so adding one seeder does not shift another's data. */
  fork(name: string): Rng;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** sfc32, a small fast PRNG with a 128-bit state; good enough for synthetic data, not for secrets. */
export function createRng(seed: number, stream = ''): Rng {
  let a = seed >>> 0;
  let b = hashString(stream);
  let c = 0x9e3779b9;
  let d = (seed / 0x100000000) >>> 0;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (p) => next() < p,
    fork: (name) => createRng(seed, `${stream}/${name}`),
  };
  return rng;
}

export interface Progress {
  start(total: number, label?: string): void;
  increment(by?: number): void;
  stop(): void;
}

export interface SeedContext {
  platform: Platform;
  seed: number;
  rng: Rng;
  /** Module-specific options from the command line (`--citizens 1000000` arrives as `{ citizens: '1000000' }`). */
  options: Record<string, string | boolean>;
  progress: Progress;
}

export interface Seeder {
  /** Unique across modules, e.g. `registries.population`. */
  name: string;
  /** Other seeders that must run first. */
  dependsOn?: string[];
  /**
   * The command-line options this seeder reads (e.g. `citizens`). It runs again, without
   * `--force`, when one of these or the seed differs from its recorded run; other options do not matter.
   */
  options?: string[];
  run(ctx: SeedContext): Promise<void>;
}

/** Orders seeders so that each runs after what it depends on; a cycle or an unknown name is an error. */
export function orderSeeders(seeders: Seeder[]): Seeder[] {
  const byName = new Map(seeders.map((s) => [s.name, s]));
  const out: Seeder[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: Seeder, trail: string[]) => {
    if (state.get(s.name) === 'done') return;
    if (state.get(s.name) === 'visiting') throw new Error(`seeders depend on each other in a cycle: ${[...trail, s.name].join(' → ')}`);
    state.set(s.name, 'visiting');
    for (const dep of s.dependsOn ?? []) {
      const d = byName.get(dep);
      if (!d) throw new Error(`seeder ${s.name} depends on unknown seeder ${dep}`);
      visit(d, [...trail, s.name]);
    }
    state.set(s.name, 'done');
    out.push(s);
  };
  for (const s of seeders) visit(s, []);
  return out;
}

/** A progress bar on the terminal (cli-progress), or nothing when disabled. */
export async function terminalProgress(enabled: boolean): Promise<Progress> {
  if (!enabled) return { start() {}, increment() {}, stop() {} };
  const { SingleBar, Presets } = await import('cli-progress');
  let bar: InstanceType<typeof SingleBar> | undefined;
  return {
    start(total, label = '') {
      bar = new SingleBar({ format: `${label.padEnd(28)} {bar} {percentage}% | {value}/{total} | {eta_formatted}`, hideCursor: true }, Presets.shades_classic);
      bar.start(total, 0);
    },
    increment(by = 1) {
      bar?.increment(by);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

export interface SeedOptions {
  seed: number;
  /** Run seeders again even if they ran before with this seed. */
  force?: boolean;
  /**
   * false when the seed is a default rather than asked for: a seeder that ran before then keeps
   * its recorded seed (`hanaro seed --citizens 2000` after `--seed 7` stays with seed 7).
   */
  seedGiven?: boolean;
  /** Only seeders that never ran (a demo start: never replace what `hanaro seed` made). */
  onlyNew?: boolean;
  options?: Record<string, string | boolean>;
  progress?: boolean;
  log?: (line: string) => void;
}

/**
 * Runs every module's seeders in dependency order. A seeder that already ran (recorded in
 * `platform.seed_runs`) is skipped unless `force` is set, or the seed or one of the options it
 * reads is given with another value than in its recorded run. An option left out keeps its
 * recorded value, so a plain `hanaro seed` never undoes `hanaro seed --citizens 1000000`, while
 * `--citizens 2000` after it seeds again. A demo start (`onlyNew`) runs only seeders that never ran.
 */
export async function runSeeders(platform: Platform, modules: HanaroModule[], opts: SeedOptions): Promise<string[]> {
  const ordered = orderSeeders(modules.flatMap((m) => m.seeders ?? []));
  const recorded = new Map(
    (await rows<{ seeder: string; seed: string | number; options: Record<string, string | boolean> | null }>(platform.db, sql`select seeder, seed, options from platform.seed_runs`)).map((r) => [r.seeder, r]),
  );
  const given = opts.options ?? {};
  const seedGiven = opts.seedGiven ?? true;
  const ran: string[] = [];
  const progress = await terminalProgress(opts.progress ?? false);
  for (const s of ordered) {
    const r = recorded.get(s.name);
    const declared = s.options ?? [];
    // the recorded values of this seeder's options, overridden by those given now
    const kept = Object.fromEntries(declared.filter((o) => r?.options?.[o] !== undefined).map((o) => [o, r!.options![o]!]));
    const options = { ...given, ...kept, ...Object.fromEntries(declared.filter((o) => given[o] !== undefined).map((o) => [o, given[o]!])) };
    const seed = r && !seedGiven ? Number(r.seed) : opts.seed;
    // JSON, so that `true` (a bare flag) and a string value differ
    const changed = !r || Number(r.seed) !== seed || declared.some((o) => given[o] !== undefined && JSON.stringify(r.options?.[o] ?? null) !== JSON.stringify(given[o]));
    if (r && (opts.onlyNew || (!changed && !opts.force))) continue;
    opts.log?.(`seeding ${s.name}`);
    await s.run({ platform, seed, rng: createRng(seed, s.name), options, progress });
    progress.stop();
    await platform.db.execute(sql`insert into platform.seed_runs (seeder, seed, options) values (${s.name}, ${seed}, ${JSON.stringify(options)}::jsonb)
      on conflict (seeder) do update set seed = excluded.seed, options = excluded.options, done_at = now()`);
    ran.push(s.name);
  }
  return ran;
}
