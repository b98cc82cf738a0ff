// The synthetic population (issue 3, part 3): `populationSeeder` fills the ten registries with a
// deterministic population (`hanaro seed --citizens N --seed S [--as-of YYYY-MM-DD]`), and
// `populationCli` adds `hanaro registries sample-citizen`.
import { BadRequestError, ForbiddenError } from '../../../platform/errors.ts';
import type { Seeder } from '../../../platform/seed.ts';
import { dayOf } from './ids.ts';
import { koreaDay } from '../../../platform/i18n.ts';
import { writePopulation } from './write.ts';

export { populationCli } from './cli.ts';
export { sampleCitizen, residentIdSample, WITH_KINDS, type SampleFilters, type SampledCitizen, type WithKind } from './sample.ts';
export { generatePopulation, type PopulationOptions } from './generate.ts';
export { writePopulation } from './write.ts';

export const DEFAULT_CITIZENS = 10_000;

/**
 * Citizens from `--citizens` (default 10,000). The reference date from `--as-of`, by default today
 * in Korea: ages, and due dates spread over the coming year, are then right for a demo on the day it
 * is seeded. Everything is deterministic for (seed, reference date), and citizen ids, names and
 * families for the seed alone.
 */
export const populationSeeder: Seeder = {
  name: 'registries.population',
  dependsOn: ['registries.definitions'],
  options: ['citizens', 'as-of'],
  async run(ctx) {
    const { platform, options } = ctx;
    if (platform.config.mode === 'production') {
      // a production `hanaro seed` sets up the registries; synthetic people have no place there
      if (options.citizens === undefined) {
        platform.log.info('registries.population: no synthetic population in production mode');
        return;
      }
      throw new ForbiddenError('합성 인구는 운영 모드에서 만들 수 없습니다 / a synthetic population is not made in production mode', 'population_in_production');
    }
    const raw = options.citizens ?? String(DEFAULT_CITIZENS);
    const citizens = Number(raw);
    if (typeof raw !== 'string' || !Number.isInteger(citizens) || citizens < 0 || citizens > 50_000_000) {
      throw new BadRequestError('--citizens는 0 이상의 정수여야 합니다 / --citizens takes a whole number (0 to 50,000,000)');
    }
    const asOf = options['as-of'] ?? koreaDay();
    if (typeof asOf !== 'string' || Number.isNaN(dayOf(asOf))) throw new BadRequestError('--as-of는 YYYY-MM-DD 날짜입니다 / --as-of takes a date, YYYY-MM-DD');
    const t0 = performance.now();
    ctx.progress.start(citizens, 'synthetic citizens');
    const r = await writePopulation(platform, { seed: ctx.seed, citizens, asOf, progress: (n) => ctx.progress.increment(n) });
    ctx.progress.stop();
    const seconds = (performance.now() - t0) / 1000;
    await platform.audit.append({ actor: 'system:seed', action: 'registries.population-seeded', data: { citizens: r.citizens, records: r.records, seed: ctx.seed, asOf } });
    platform.log.info({ citizens: r.citizens, records: r.records, seed: ctx.seed, asOf, seconds: Math.round(seconds) }, 'synthetic population seeded');
  },
};
