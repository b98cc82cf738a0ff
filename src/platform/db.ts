import path from 'node:path';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** A drizzle database on either engine; module stores take this (or a transaction of it). */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** The driver underneath drizzle, for what drizzle cannot do (multi-statement migration scripts). */
export interface RawTx {
  /** Runs one or more statements with the simple query protocol. */
  exec(text: string): Promise<void>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Bulk load: `copy <target> from stdin` (text format) fed with batches of whole lines. On
   * PostgreSQL the batches stream over the connection (pg-copy-streams) while `source` makes the
   * next ones; on PGlite each batch is one `copy … from '/dev/blob'`. `freeze` writes the rows
   * frozen (the table must have been created or truncated in this transaction).
   */
  copyFrom?(target: string, source: AsyncIterable<string>, opts?: { freeze?: boolean }): Promise<void>;
}

export interface Database {
  db: Db;
  /** Runs `fn` in one transaction on one connection of the underlying driver. */
  rawTransaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T>;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  poolMax?: number;
}

/** Rows of a raw query on either driver (both return `{ rows }`). */
/**
 * A text[] value read back: node-postgres parses it into an array, PGlite may hand over the
 * literal (`{a,b}`). Elements here are plain words (roles, ids), never quoted.
 */
export function textArray(v: string[] | string | null | undefined): string[] {
  if (v === null || v === undefined) return [];
  return typeof v === 'string' ? v.replace(/^\{|\}$/g, '').split(',').filter(Boolean) : v;
}

/** A text[] literal for a parameter (drizzle would expand a JS array into a parameter list); plain words only. */
export function textArrayLiteral(values: readonly string[]): string {
  if (values.some((v) => !/^[A-Za-z0-9._:-]+$/.test(v))) throw new Error('text[] literal: plain words only');
  return `{${values.join(',')}}`;
}

/**
 * An array literal for one parameter (`$1::text[]`, `::uuid[]`, `::int[]`) of any strings, quoted
 * and escaped, with nulls: a batch statement then sends one parameter per column instead of one
 * per row and column (`unnest(...)`, `= any(...)`), which is cheaper to build, send and parse.
 */
export function arrayLiteral(values: ReadonlyArray<string | number | null>): string {
  return `{${values.map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

export async function rows<T = Record<string, unknown>>(db: Db, q: SQL): Promise<T[]> {
  const res = (await db.execute(q)) as unknown as { rows: T[] };
  return res.rows;
}

/**
 * Opens PostgreSQL: the real server when `databaseUrl` is set, otherwise embedded PGlite with
 * its files in `dataDir/pgdata` (`memory://` keeps it in memory, for tests).
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    // loaded only for a real server: the embedded demo does not carry the driver in memory
    const [{ default: pg }, { drizzle: drizzlePg }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')]);
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax ?? 10 });
    // a dropped connection must not crash the process; the next query gets a fresh one
    pool.on('error', () => {});
    const db = drizzlePg({ client: pool }) as unknown as Db;
    return {
      db,
      async rawTransaction(fn) {
        const c = await pool.connect();
        try {
          await c.query('begin');
          const out = await fn({
            exec: async (text) => void (await c.query(text)),
            query: async (text, params) => (await c.query(text, params)).rows,
            async copyFrom(target, source, o = {}) {
              const [{ from }, { pipeline }, { Readable }] = await Promise.all([import('pg-copy-streams'), import('node:stream/promises'), import('node:stream')]);
              await pipeline(Readable.from(source), c.query(from(`copy ${target} from stdin${o.freeze ? ' with (freeze)' : ''}`)));
            },
          });
          await c.query('commit');
          return out;
        } catch (e) {
          await c.query('rollback').catch(() => {});
          throw e;
        } finally {
          c.release();
        }
      },
      engine: 'postgres',
      close: () => pool.end(),
    };
  }
  let client: PGlite;
  let unlock = () => {};
  // PGlite's default shared_buffers (128 MB) alone put an idle demo over 300 MB resident; pages it
  // does not keep are read back through the operating system's file cache (docs/benchmarks.md)
  const options = { postgresqlconf: ['shared_buffers=16MB'] };
  if (opts.dataDir === 'memory://') {
    client = new PGlite(options);
  } else {
    const dir = path.resolve(opts.dataDir, 'pgdata');
    await mkdir(dir, { recursive: true });
    unlock = lockDataDir(opts.dataDir);
    client = new PGlite(dir, options);
  }
  try {
    await client.waitReady;
  } catch (e) {
    unlock();
    throw e;
  }
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    db,
    rawTransaction: (fn) =>
      client.transaction((tx) =>
        fn({
          exec: async (text) => void (await tx.exec(text)),
          query: async <T,>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows,
          async copyFrom(target, source, o = {}) {
            for await (const batch of source) {
              await tx.query(`copy ${target} from '/dev/blob'${o.freeze ? ' with (freeze)' : ''}`, [], { blob: new Blob([batch]) });
            }
          },
        }),
      ),
    engine: 'pglite',
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

/** Another live process has the embedded database open. */
export class DatabaseBusyError extends Error {}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite is one process's database: a second process opening the same files (a CLI command while
 * `npm start` runs) would corrupt them. A lock file with the owner's pid keeps the second one out;
 * a lock left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = path.resolve(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new DatabaseBusyError(
          `the embedded database in ${path.resolve(dataDir)} is in use by process ${owner} (a running hanaro start?). ` +
            'Stop it first, or run against PostgreSQL with DATABASE_URL. / 내장 데이터베이스를 다른 프로세스가 쓰고 있습니다. 먼저 그 프로세스를 멈추세요.',
        );
      }
      unlinkSync(file);
    }
  }
  throw new DatabaseBusyError(`could not lock ${file}`);
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
