import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from './db.ts';
import type { HanaroModule } from './module.ts';
import { createRng, orderSeeders, runSeeders, type Seeder } from './seed.ts';
import { testPlatform, type TestPlatform } from './testing.ts';

const noop = async () => {};

describe('deterministic random source', () => {
  it('gives the same sequence for the same seed and stream, another for another', () => {
    const take = (seed: number, stream: string) => Array.from({ length: 5 }, createRng(seed, stream).next);
    expect(take(42, 'a')).toEqual(take(42, 'a'));
    expect(take(42, 'a')).not.toEqual(take(43, 'a'));
    expect(take(42, 'a')).not.toEqual(take(42, 'b'));
  });

  it('stays in range and covers it', () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(1, 6);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect(seen.size).toBe(6);
  });
});

describe('seeder order', () => {
  it('puts dependencies first', () => {
    const s = (name: string, dependsOn?: string[]): Seeder => ({ name, dependsOn, run: noop });
    const order = orderSeeders([s('services', ['registries', 'identity']), s('identity', ['registries']), s('registries')]).map((x) => x.name);
    expect(order).toEqual(['registries', 'identity', 'services']);
  });

  it('rejects cycles and unknown names', () => {
    expect(() => orderSeeders([{ name: 'a', dependsOn: ['b'], run: noop }, { name: 'b', dependsOn: ['a'], run: noop }])).toThrow(/cycle: a → b → a/);
    expect(() => orderSeeders([{ name: 'a', dependsOn: ['zzz'], run: noop }])).toThrow(/unknown seeder zzz/);
  });
});

describe('runSeeders', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await testPlatform();
    await platform.db.execute(sql`create table public.seeded (n double precision)`);
  });
  afterAll(() => platform.dispose());

  const mod: HanaroModule = {
    name: 'sample',
    seeders: [
      {
        name: 'sample.numbers',
        async run(ctx) {
          for (let i = 0; i < 3; i++) await ctx.platform.db.execute(sql`insert into public.seeded values (${ctx.rng.next()})`);
        },
      },
    ],
  };

  it('runs once, records the seed, and runs again only when forced, with the same data', async () => {
    expect(await runSeeders(platform, [mod], { seed: 99 })).toEqual(['sample.numbers']);
    expect(await runSeeders(platform, [mod], { seed: 99 })).toEqual([]);
    const [run] = await rows<{ seed: string | number }>(platform.db, sql`select seed from platform.seed_runs where seeder = 'sample.numbers'`);
    expect(Number(run?.seed)).toBe(99);
    expect(await runSeeders(platform, [mod], { seed: 99, force: true })).toEqual(['sample.numbers']);
    const values = (await rows<{ n: number }>(platform.db, sql`select n from public.seeded`)).map((r) => r.n);
    expect(values).toHaveLength(6);
    expect(values.slice(0, 3)).toEqual(values.slice(3));
  });

  it('runs again without force when the seed or an option the seeder reads is given anew; a left-out option keeps its value', async () => {
    const runs: Array<{ seed: number; size: unknown }> = [];
    const sized: HanaroModule = {
      name: 'sized',
      seeders: [{ name: 'sized.things', options: ['size'], async run(ctx) { runs.push({ seed: ctx.seed, size: ctx.options.size }); } }],
    };
    const seed = (s: number, options: Record<string, string | boolean>, more: { seedGiven?: boolean; onlyNew?: boolean } = {}) =>
      runSeeders(platform, [sized], { seed: s, options, ...more });
    expect(await seed(5, {})).toEqual(['sized.things']);
    expect(await seed(5, {})).toEqual([]);
    expect(await seed(5, { other: '1' })).toEqual([]);
    expect(await seed(5, { size: '100' })).toEqual(['sized.things']);
    expect(await seed(5, { size: '100', other: '2' })).toEqual([]);
    // a plain run (no size) keeps the population of size 100
    expect(await seed(5, {})).toEqual([]);
    // a demo start never replaces it, whatever its default seed
    expect(await seed(1, {}, { onlyNew: true })).toEqual([]);
    expect(await seed(6, { size: '100' })).toEqual(['sized.things']);
    expect(await seed(6, { size: true })).toEqual(['sized.things']);
    // another seed alone runs again with the recorded size
    expect(await seed(7, {})).toEqual(['sized.things']);
    // a default seed (not asked for) keeps the recorded one
    expect(await seed(1, { size: '3' }, { seedGiven: false })).toEqual(['sized.things']);
    expect(runs).toEqual([
      { seed: 5, size: undefined },
      { seed: 5, size: '100' },
      { seed: 6, size: '100' },
      { seed: 6, size: true },
      { seed: 7, size: true },
      { seed: 7, size: '3' },
    ]);
    // a seeder that declares no options still runs again for another seed
    expect(await runSeeders(platform, [mod], { seed: 99 })).toEqual([]);
    expect(await runSeeders(platform, [mod], { seed: 100 })).toEqual(['sample.numbers']);
  });
});
