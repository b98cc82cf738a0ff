import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { runSeeders } from '../../platform/seed.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { exchangeModule } from '../exchange/index.ts';
import { identityModule } from '../identity/index.ts';
import { notifyModule } from '../notify/index.ts';
import { registriesModule } from '../registries/index.ts';
import { servicesModule } from './index.ts';

// The demo's one-stop applications: every agency of the three life events has work in its queue
// when the demo starts, from residents whose records fit (a mother with a spouse, an heir with an
// elderly parent), one part of it past its SLA; seeding again adds nothing.

const modules = [registriesModule, exchangeModule, identityModule, notifyModule, servicesModule];
let t: TestPlatform;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ platform: t, close } = await testApp({ modules }));
  await runSeeders(t, modules, { seed: 20260101, options: { citizens: '1500' } });
}, 300_000);
afterAll(async () => close?.());

describe('demo applications', () => {
  it('gives every life event and every agency work, one part overdue; a second run adds nothing', async () => {
    const apps = await rows<{ bundle: string; n: number }>(t.db, sql`select bundle, count(*)::int as n from services.application group by bundle order by bundle`);
    expect(apps).toEqual([{ bundle: 'birth', n: 2 }, { bundle: 'death', n: 1 }, { bundle: 'move', n: 2 }]);
    const open = await rows<{ agency: string }>(t.db, sql`select distinct agency from services.task where status = 'open' order by agency`);
    expect(open.map((r) => r.agency)).toEqual(expect.arrayContaining(['SCOURT', 'MOIS', 'NHIS', 'MOHW']));
    expect((await rows(t.db, sql`select 1 from services.task where status = 'open' and due_at < now()`)).length).toBeGreaterThanOrEqual(1);
    // the registered birth wrote its child to the resident registry (through the registries' own writes)
    const [approved] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from services.task where kind = 'birth.register' and status = 'approved'`);
    expect(approved!.n).toBe(1);
    await runSeeders(t, modules, { seed: 20260101, options: { citizens: '1500' }, force: true });
    expect((await rows(t.db, sql`select 1 from services.application`)).length).toBe(5);
  });
});
