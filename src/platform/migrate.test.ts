import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { openDatabase, rows, type Database } from './db.ts';
import { migrate, pendingMigrations, PLATFORM_MIGRATIONS, type MigrationSource } from './migrate.ts';
import { testDatabase, testPlatform } from './testing.ts';

let database: Database;
let dir: string;
let source: MigrationSource;

beforeAll(async () => {
  database = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'hanaro-mig-'));
  source = { owner: 'sample', dir };
  await writeFile(path.join(dir, '0001_init.sql'), 'create table sample.things (id int primary key, name text not null);\ninsert into sample.things values (1, $$하나$$);');
});
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('applies each module\'s migrations into its own schema, once', async () => {
    const first = await migrate(database, [PLATFORM_MIGRATIONS, source]);
    expect(first).toEqual(expect.arrayContaining(['platform/0001_platform', 'sample/0001_init']));
    expect(await migrate(database, [PLATFORM_MIGRATIONS, source])).toEqual([]);
    const [thing] = await rows<{ name: string }>(database.db, sql`select name from sample.things where id = 1`);
    expect(thing?.name).toBe('하나');
    expect(await pendingMigrations(database.db, [PLATFORM_MIGRATIONS, source])).toEqual([]);
  });

  it('reports a new file as pending until applied', async () => {
    const later = await mkdtemp(path.join(tmpdir(), 'hanaro-mig-'));
    try {
      await writeFile(path.join(later, '0001_init.sql'), 'create table later.x (id int);');
      const src = { owner: 'later', dir: later };
      expect(await pendingMigrations(database.db, [src])).toEqual(['later/0001_init']);
      await migrate(database, [src]);
      expect(await pendingMigrations(database.db, [src])).toEqual([]);
    } finally {
      await rm(later, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration completely and keeps it pending', async () => {
    const bad = await mkdtemp(path.join(tmpdir(), 'hanaro-mig-'));
    try {
      await writeFile(path.join(bad, '0001_half.sql'), 'create table bad.a (id int);\ncreate table bad.a (id int);');
      const src = { owner: 'bad', dir: bad };
      await expect(migrate(database, [src])).rejects.toThrow();
      const tables = await rows(database.db, sql`select 1 from information_schema.tables where table_schema = 'bad'`);
      expect(tables).toEqual([]);
      expect(await pendingMigrations(database.db, [src])).toEqual(['bad/0001_half']);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it('refuses to run when an applied migration was edited', async () => {
    const edited = await mkdtemp(path.join(tmpdir(), 'hanaro-mig-'));
    try {
      const src = { owner: 'edited', dir: edited };
      await writeFile(path.join(edited, '0001_a.sql'), 'create table edited.a (id int);');
      await migrate(database, [src]);
      // a new process reads the changed file (the cache is per folder, so use a copy of the folder name)
      const copy = `${edited}/`;
      await writeFile(path.join(edited, '0001_a.sql'), 'create table edited.a (id bigint);');
      await expect(migrate(database, [{ owner: 'edited', dir: copy }])).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await rm(edited, { recursive: true, force: true });
    }
  });
});

describe('concurrent start-up', () => {
  it('two processes migrating at once apply each migration once', async () => {
    const fresh = await testDatabase();
    // a second handle: on PostgreSQL a second pool (like a second process); on PGlite the same engine
    const other = fresh.url ? await openDatabase({ databaseUrl: fresh.url, dataDir: 'memory://', poolMax: 2 }) : fresh;
    try {
      const all = await pendingMigrations(fresh.db, [PLATFORM_MIGRATIONS, source]);
      expect(all).toContain('sample/0001_init');
      const [a, b] = await Promise.all([migrate(fresh, [PLATFORM_MIGRATIONS, source]), migrate(other, [PLATFORM_MIGRATIONS, source])]);
      // every migration applied by exactly one of the two
      expect([...a, ...b].sort()).toEqual([...all].sort());
      expect(await pendingMigrations(fresh.db, [PLATFORM_MIGRATIONS, source])).toEqual([]);
    } finally {
      if (other !== fresh) await other.close();
      await fresh.close();
    }
  });
});

describe('readiness', () => {
  it('/readyz is 503 while a migration is pending', async () => {
    const platform = await testPlatform();
    const extra = await mkdtemp(path.join(tmpdir(), 'hanaro-mig-'));
    await writeFile(path.join(extra, '0001_x.sql'), 'create table extra.x (id int);');
    platform.migrations.push({ owner: 'extra', dir: extra });
    const app = await buildApp(platform, { modules: [] });
    try {
      const res = await app.inject('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not_ready', checks: { migrations: 'pending' }, pending: ['extra/0001_x'] });
    } finally {
      await app.close();
      await platform.dispose();
      await rm(extra, { recursive: true, force: true });
    }
  });
});
