import { sql } from 'drizzle-orm';
import type { Seeder } from '../../platform/seed.ts';
import { arrayLiteral } from '../../platform/db.ts';
import { residentIdSample } from '../registries/index.ts';

/** Share of the demo population that has asked for benefit alerts (혜택 알리미). */
export const DEMO_SCREENING_SHARE = 0.6;

/** Demo data: a stable 60% of the residents have opted in to eligibility screening. */
export const screeningSeeder: Seeder = {
  name: 'services.screening',
  dependsOn: ['registries.population'],
  async run({ platform }) {
    const ids = await residentIdSample(platform, DEMO_SCREENING_SHARE);
    for (let i = 0; i < ids.length; i += 5000) {
      await platform.db.execute(sql`insert into services.screening (citizen_id) select unnest(${arrayLiteral(ids.slice(i, i + 5000))}::uuid[]) on conflict do nothing`);
    }
  },
};
