import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rows } from '../../platform/db.ts';
import { createRng } from '../../platform/seed.ts';
import { testPlatform, type TestPlatform } from '../../platform/testing.ts';
import { authenticate } from './auth.ts';
import { definitionsSeeder, findRegistry, listRegistries, setRegistryFields } from './catalog.ts';
import { registriesCli } from './cli.ts';
import { registriesModule } from './index.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform({ modules: [registriesModule] });
});
afterAll(() => p.dispose());

const seed = () => definitionsSeeder.run({ platform: p, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
const modified = () => rows<{ code: string; at: string }>(p.db, sql`select code, modified_at::text as at from registries.registry order by code`);

describe('registries.definitions seeder', () => {
  it('writes the ten registries with their owners, and changes nothing when run again', async () => {
    await seed();
    const list = await listRegistries(p);
    expect(list.map((r) => `${r.code}:${r.agency}/${r.subsystem}`).sort()).toEqual([
      'business:NTS/business-registry',
      'disability:MOHW/welfare-registry',
      'family:SCOURT/family-registry',
      'health-insurance:NHIS/insurance-registry',
      'income:MOHW/welfare-registry',
      'licence:KNPA/licence-registry',
      'resident:MOIS/resident-registry',
      'tax:NTS/tax-registry',
      'vehicle:MOLIT/vehicle-registry',
      'veteran:MPVA/veterans-registry',
    ]);
    const res = (await findRegistry(p, 'resident'))!;
    expect(res.serviceId).toBe('KR/GOV/MOIS/resident-registry/resident');
    expect(res.fields.find((f) => f.name === 'status')).toMatchObject({ personal: false, required: true, values: ['active', 'deceased', 'emigrated'] });
    const before = await modified();
    await seed();
    expect(await modified()).toEqual(before);
  });

  it('keeps fields added later through the Database API when it runs again', async () => {
    const vehicle = (await findRegistry(p, 'vehicle'))!;
    await setRegistryFields(p.db, vehicle.id, [...vehicle.fields, { name: 'colour', label: { ko: '색상', en: 'Colour' }, type: 'string', personal: false }], 'test');
    await seed();
    const [row] = await rows<{ names: string[] }>(p.db, sql`select array(select jsonb_array_elements(fields)->>'name') as names from registries.registry where id = ${vehicle.id}`);
    expect(row!.names.at(-1)).toBe('colour');
    expect(row!.names).toHaveLength(vehicle.fields.length + 1);
  });
});

describe('hanaro registries api-key', () => {
  async function run(...args: string[]): Promise<string[]> {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      const cmd = new Command('registries').exitOverride();
      registriesCli(cmd, (fn) => fn(p));
      await cmd.parseAsync(args, { from: 'user' });
    } finally {
      log.mockRestore();
    }
    return out;
  }

  it('creates a key that authenticates its client, lists and revokes it', async () => {
    const out = await run('api-key', 'create', '--client', 'KR/GOV/MOIS/resident-registry', '--label', 'batch');
    const key = out.at(-1)!;
    expect(key).toMatch(/^hnr_rk_[A-Za-z0-9_-]{43}$/);
    const stored = await rows<{ text: string }>(p.db, sql`select row_to_json(k)::text as text from registries.api_key k`);
    expect(stored.map((s) => s.text).join()).not.toContain(key.slice(7));
    const headers = { authorization: key, 'information-mediator-client': 'KR/GOV/MOIS/resident-registry' };
    expect(await authenticate(p, headers)).toMatchObject({ client: 'KR/GOV/MOIS/resident-registry', agency: 'MOIS' });
    expect((await run('api-key', 'list')).join('\n')).toMatch(/KR\/GOV\/MOIS\/resident-registry\tbatch\t.*\tactive/);
    expect(await run('api-key', 'revoke', '--key', key)).toEqual(['1 key(s) revoked']);
    await expect(authenticate(p, headers)).rejects.toMatchObject({ status: 401 });
    await expect(run('api-key', 'create', '--client', 'MOIS')).rejects.toMatchObject({ status: 400 });
  });
});
