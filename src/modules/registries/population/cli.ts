import { InvalidArgumentError, type Command } from 'commander';
import type { Platform } from '../../../platform/platform.ts';
import { sampleCitizen, WITH_KINDS, type SampleFilters, type WithKind } from './sample.ts';

const age = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 150) throw new InvalidArgumentError('expected an age in whole years (0–150)');
  return n;
};

/** `--with vehicle --with child` and `--with vehicle,child` both collect [vehicle, child]. */
const kinds = (v: string, prev: WithKind[] = []) => {
  const out = [...prev];
  for (const k of v.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(WITH_KINDS as readonly string[]).includes(k)) throw new InvalidArgumentError(`expected ${WITH_KINDS.join(', ')}`);
    out.push(k as WithKind);
  }
  return out;
};

/** Adds `sample-citizen` under `hanaro registries`. */
export function populationCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  cmd
    .command('sample-citizen')
    .description('print a synthetic resident matching the filters; the last line is the citizen id (for --citizen, X-Road-UserId)')
    .option('--min-age <n>', 'at least this old', age)
    .option('--max-age <n>', 'at most this old', age)
    .option('--with <kind>', `has each of these: ${WITH_KINDS.join(', ')} (repeatable, or a comma list)`, kinds)
    .option('--random', 'a random match instead of the first')
    .action(async (o: { minAge?: number; maxAge?: number; with?: WithKind[]; random?: boolean }) => {
      const filters: SampleFilters = { minAge: o.minAge, maxAge: o.maxAge, with: o.with, random: o.random };
      if (o.minAge !== undefined && o.maxAge !== undefined && o.minAge > o.maxAge) {
        throw new InvalidArgumentError('--min-age is above --max-age');
      }
      await open(async (p) => {
        const c = await sampleCitizen(p, filters);
        if (!c) {
          const asked = [o.minAge !== undefined && `age ≥ ${o.minAge}`, o.maxAge !== undefined && `age ≤ ${o.maxAge}`, o.with?.length && `with ${o.with.join(', ')}`].filter(Boolean).join('; ');
          console.error(`조건에 맞는 주민이 없습니다 / No synthetic resident matches${asked ? `: ${asked}` : ''}.`);
          console.error('(hanaro seed --citizens 10000 makes a population)');
          process.exitCode = 1;
          return;
        }
        console.log(`${c.name} (${c.sex === 'M' ? '남' : '여'}, ${c.age}세 / ${c.age} years) ${c.sido}${c.sigungu && c.sigungu !== c.sido ? ` ${c.sigungu}` : ''}`);
        for (const m of c.matched) console.log(`  ${m}`);
        console.log(c.id);
      });
    });
}
