import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { rows, type Database, type Db } from './db.ts';

/** A folder of `NNNN_name.sql` files owned by one module (or the platform). */
export interface MigrationSource {
  owner: string;
  dir: string;
}

interface MigrationFile {
  owner: string;
  id: string;
  sql: string;
  checksum: string;
}

export const PLATFORM_MIGRATIONS: MigrationSource = {
  owner: 'platform',
  dir: path.join(import.meta.dirname, 'migrations'),
};

// checked-in files do not change while a process runs; /readyz asks often
const cache = new Map<string, Promise<MigrationFile[]>>();

function readSource(src: MigrationSource): Promise<MigrationFile[]> {
  let files = cache.get(src.dir);
  if (!files) cache.set(src.dir, (files = readFiles(src)));
  return files;
}

async function readFiles(src: MigrationSource): Promise<MigrationFile[]> {
  const names = (await readdir(src.dir)).filter((n) => /^\d{4}_[\w-]+\.sql$/.test(n)).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(src.dir, name), 'utf8');
      return {
        owner: src.owner,
        id: name.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    }),
  );
}

// one number for pg_advisory_xact_lock so that api and worker processes starting together
// do not apply the same migration twice
const MIGRATION_LOCK = 4_621_202_601;

const BOOTSTRAP = `create schema if not exists platform;
create table if not exists platform.schema_migrations (
  owner text not null, id text not null, checksum text not null,
  applied_at timestamptz not null default now(), primary key (owner, id));`;

/**
 * Applies every pending migration, each in its own transaction, in the order of `sources`
 * (the platform first, then modules in dependency order). Each module's SQL creates its own
 * Postgres schema. A checked-in migration whose text changed after it was applied stops the run.
 */
export async function migrate(database: Database, sources: MigrationSource[]): Promise<string[]> {
  await database.rawTransaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(BOOTSTRAP);
  });
  const applied: string[] = [];
  for (const src of sources) {
    for (const m of await readSource(src)) {
      await database.rawTransaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        const [done] = await tx.query<{ checksum: string }>(
          'select checksum from platform.schema_migrations where owner = $1 and id = $2',
          [m.owner, m.id],
        );
        if (done) {
          if (done.checksum !== m.checksum) {
            throw new Error(`migration ${m.owner}/${m.id} was changed after it was applied; add a new migration instead`);
          }
          return;
        }
        await tx.exec(`create schema if not exists "${m.owner}"`);
        await tx.exec(m.sql);
        await tx.query('insert into platform.schema_migrations (owner, id, checksum) values ($1, $2, $3)', [m.owner, m.id, m.checksum]);
        applied.push(`${m.owner}/${m.id}`);
      });
    }
  }
  return applied;
}

/** Which checked-in migrations the database has not applied yet (for /readyz). */
export async function pendingMigrations(db: Db, sources: MigrationSource[]): Promise<string[]> {
  let done: Array<{ owner: string; id: string }>;
  try {
    done = await rows(db, sql`select owner, id from platform.schema_migrations`);
  } catch {
    done = [];
  }
  const have = new Set(done.map((d) => `${d.owner}/${d.id}`));
  const pending: string[] = [];
  for (const src of sources) {
    for (const m of await readSource(src)) if (!have.has(`${m.owner}/${m.id}`)) pending.push(`${m.owner}/${m.id}`);
  }
  return pending;
}
