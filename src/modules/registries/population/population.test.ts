import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rows } from '../../../platform/db.ts';
import { runSeeders } from '../../../platform/seed.ts';
import { testPlatform, type TestPlatform } from '../../../platform/testing.ts';
import { handleMediatedRequest, registriesModule } from '../index.ts';
import { rrnContext, rrnIndex } from '../record-codec.ts';
import { ageAt, dayOf } from './ids.ts';
import { generatePopulation, populationCli, populationSeeder, sampleCitizen, writePopulation, type WithKind } from './index.ts';

const AS_OF = '2026-03-15';
const options = (citizens: number) => ({ citizens: String(citizens), 'as-of': AS_OF });
const count = async (p: TestPlatform, code?: string) =>
  Number(
    (await rows<{ n: number }>(p.db, code
      ? sql`select count(*)::int as n from registries.record r join registries.registry g on g.id = r.registry_id where g.code = ${code}`
      : sql`select count(*)::int as n from registries.record`))[0]!.n,
  );

describe('population seeder', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await testPlatform({ modules: [registriesModule] });
    expect(await runSeeders(platform, [registriesModule], { seed: 7, options: options(1000) })).toEqual(['registries.definitions', 'registries.population']);
  });
  afterAll(() => platform?.dispose());

  it('writes every registry, with one resident record per citizen', async () => {
    expect(await count(platform, 'resident')).toBe(1000);
    expect(await count(platform, 'family')).toBe(1000);
    for (const code of ['vehicle', 'licence', 'tax', 'business', 'health-insurance', 'income', 'disability', 'veteran']) {
      expect(await count(platform, code), code).toBeGreaterThan(0);
    }
    const [seeded] = await rows<{ n: number }>(platform.db, sql`select count(*)::int as n from platform.audit_log where action = 'registries.population-seeded'`);
    expect(seeded!.n).toBe(1);
    // the load drops the secondary indexes and builds them again: all are back
    const indexes = (await rows<{ indexname: string }>(platform.db, sql`select indexname from pg_indexes where schemaname = 'registries' and tablename = 'record'`)).map((r) => r.indexname);
    expect(indexes).toEqual(expect.arrayContaining(['record_pkey', 'record_subject', 'record_rrn']));
  });

  it('stores RRNs only encrypted, found by their blind index', async () => {
    const generated = [...generatePopulation({ seed: 7, citizens: 1000, asOf: AS_OF })].flatMap((c) => c.records).filter((r) => r.rrn);
    expect(generated).toHaveLength(1000);
    const text = (await rows<{ t: string }>(platform.db, sql`select string_agg(data::text || coalesce(rrn_index, ''), ' ') as t from registries.record`))[0]!.t;
    for (const r of generated) {
      expect(text.includes(r.rrn!)).toBe(false);
      expect(text.includes(r.rrn!.replace('-', ''))).toBe(false);
    }
    for (const r of generated.slice(0, 20)) {
      const [hit] = await rows<{ id: string; data: { rrn: string; name: string } }>(platform.db, sql`select id, data from registries.record where rrn_index = ${rrnIndex(platform.crypto, r.rrn!)}`);
      expect(hit?.id).toBe(r.id);
      expect(hit!.data.name).toBe(r.data.name);
      expect(platform.crypto.decrypt(hit!.data.rrn, rrnContext('resident', r.id, 'rrn'))).toBe(r.rrn!.replace('-', ''));
    }
  });

  it('is read back by the registry service, the RRN decrypted and masked', async () => {
    const c = (await sampleCitizen(platform, { today: AS_OF }))!;
    const generated = [...generatePopulation({ seed: 7, citizens: 1000, asOf: AS_OF })].flatMap((x) => x.records).find((r) => r.id === c.id)!;
    const res = await handleMediatedRequest(platform, { code: 'resident', method: 'GET', path: '/records', query: {}, userId: c.id, client: 'KR/GOV/MOHW/test' });
    expect(res.status).toBe(200);
    const [record] = (res.body as { records: Array<Record<string, unknown>> }).records;
    expect(record!.id).toBe(c.id);
    expect(record!.rrn).toBe(`${generated.rrn!.slice(0, 8)}******`);
    expect(record!.name).toBe(generated.data.name);
  });

  it('does not run again for the same seed and options, and replaces the population when they change', async () => {
    expect(await runSeeders(platform, [registriesModule], { seed: 7, options: options(1000) })).toEqual([]);
    const [first] = await rows<{ id: string }>(platform.db, sql`select id from registries.record order by id limit 1`);
    // a record of another registry survives a re-seed
    await platform.db.execute(sql`insert into registries.registry (code, version, agency, subsystem, name_ko, name_en, fields) values ('other', '1.0', 'MOIS', 'x', '기타', 'Other', '[]')`);
    await platform.db.execute(sql`insert into registries.record (registry_id, id, data, changed_by) select id, gen_random_uuid(), '{}', 'test' from registries.registry where code = 'other'`);
    expect(await runSeeders(platform, [registriesModule], { seed: 7, options: options(600) })).toContain('registries.population');
    expect(await count(platform, 'resident')).toBe(600);
    expect(await count(platform, 'other')).toBe(1);
    await platform.db.execute(sql`delete from registries.record where registry_id = (select id from registries.registry where code = 'other')`);
    // another seed: different people, and the old ones are gone
    expect(await runSeeders(platform, [registriesModule], { seed: 8, options: options(600) })).toContain('registries.population');
    expect(await count(platform, 'resident')).toBe(600);
    expect((await rows(platform.db, sql`select 1 from registries.record where id = ${first!.id}`)).length).toBe(0);
    // back to the first population for the sample tests below
    expect(await runSeeders(platform, [registriesModule], { seed: 7, options: options(1000) })).toContain('registries.population');
    expect(await count(platform, 'resident')).toBe(1000);
  });

  it('leaves the old population in place when a load fails half-way', async () => {
    const before = await count(platform);
    // the generator throws on its first chunk, after the tables were emptied inside the transaction
    await expect(writePopulation(platform, { seed: 7, citizens: 10, asOf: 'not-a-date' })).rejects.toThrow(/not a date/);
    expect(await count(platform)).toBe(before);
    const indexes = (await rows<{ indexname: string }>(platform.db, sql`select indexname from pg_indexes where schemaname = 'registries' and tablename = 'record'`)).map((r) => r.indexname);
    expect(indexes).toEqual(expect.arrayContaining(['record_subject', 'record_rrn']));
  });

  it('refuses a population in production mode', async () => {
    const prod = { ...platform, config: { ...platform.config, mode: 'production' as const } };
    const ctx = { platform: prod, seed: 7, rng: undefined as never, progress: { start() {}, increment() {}, stop() {} } };
    await expect(populationSeeder.run({ ...ctx, options: { citizens: '10' } })).rejects.toMatchObject({ status: 403 });
    await populationSeeder.run({ ...ctx, options: {} }); // `hanaro seed` in production: skipped, nothing written
    expect(await count(platform, 'resident')).toBe(1000);
  });

  it('rejects a bad --citizens or --as-of', async () => {
    const ctx = { platform, seed: 7, rng: undefined as never, progress: { start() {}, increment() {}, stop() {} } };
    await expect(populationSeeder.run({ ...ctx, options: { citizens: 'many' } })).rejects.toMatchObject({ status: 400 });
    await expect(populationSeeder.run({ ...ctx, options: { citizens: '10', 'as-of': '2026-13-01' } })).rejects.toMatchObject({ status: 400 });
  });

  describe('sample-citizen', () => {
    const today = AS_OF;
    const related = async (id: string, code: string) =>
      rows<{ data: Record<string, unknown> }>(platform.db, sql`select r.data from registries.record r join registries.registry g on g.id = r.registry_id where g.code = ${code} and r.subject_id = ${id}`);

    it('respects the age bounds', async () => {
      for (const [minAge, maxAge] of [[0, 5], [30, 40], [80, 120], [45, 45]] as const) {
        const c = await sampleCitizen(platform, { minAge, maxAge, today });
        expect(c, `${minAge}–${maxAge}`).toBeDefined();
        const [res] = await related(c!.id, 'resident');
        const age = ageAt(dayOf(res!.data.birthDate as string), dayOf(today));
        expect(age).toBe(c!.age);
        expect(age >= minAge && age <= maxAge).toBe(true);
        expect(res!.data.status).toBe('active');
      }
      expect(await sampleCitizen(platform, { minAge: 130, today })).toBeUndefined();
    });

    it('finds someone with each kind of record, and with several at once', async () => {
      const check = async (id: string, kind: WithKind) => {
        if (kind === 'child') expect(((await related(id, 'family'))[0]!.data.children as string[]).length).toBeGreaterThan(0);
        else expect((await related(id, kind)).length).toBeGreaterThan(0);
      };
      for (const kind of ['vehicle', 'licence', 'child', 'disability'] as const) {
        const c = await sampleCitizen(platform, { with: [kind], today });
        expect(c, kind).toBeDefined();
        await check(c!.id, kind);
        expect(c!.matched.join(' ')).toContain(kind === 'child' ? 'children' : kind);
      }
      const both = await sampleCitizen(platform, { with: ['vehicle', 'child'], minAge: 30, maxAge: 60, today });
      await check(both!.id, 'vehicle');
      await check(both!.id, 'child');
      const random = await sampleCitizen(platform, { with: ['licence'], random: true, today });
      await check(random!.id, 'licence');
      // a disabled child under ten is rare; none at all under one with a vehicle
      expect(await sampleCitizen(platform, { maxAge: 1, with: ['vehicle'], today })).toBeUndefined();
    });

    it('prints a description and the citizen id as the last line, or exits 1', async () => {
      const out: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
      const err = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const run = async (...args: string[]) => {
          const cmd = new Command('registries').exitOverride().configureOutput({ writeErr: () => {} });
          populationCli(cmd, (fn) => fn(platform));
          await cmd.parseAsync(['sample-citizen', ...args], { from: 'user' });
        };
        await run('--min-age', '30', '--with', 'vehicle,child', '--with', 'licence');
        const id = out[out.length - 1]!;
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        const expected = await sampleCitizen(platform, { minAge: 30, with: ['vehicle', 'child', 'licence'] });
        expect(id).toBe(expected!.id);
        expect(out[0]).toContain('*'); // the name is masked
        expect(out.join('\n')).toMatch(/vehicle: .+\n.*children: \d+\n.*licence: /);
        await run('--min-age', '140');
        expect(process.exitCode).toBe(1);
        expect(err.mock.calls.flat().join(' ')).toContain('No synthetic resident matches');
        await expect(run('--with', 'boat')).rejects.toThrow();
      } finally {
        process.exitCode = 0;
        log.mockRestore();
        err.mockRestore();
      }
    });
  });
});
