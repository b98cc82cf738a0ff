import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { buildApp } from '../app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db.ts';
import { createLogger } from './log.ts';
import type { HanaroModule } from './module.ts';
import { createPlatform, type Platform } from './platform.ts';

/**
 * A fresh, empty database for one test file: in-memory PGlite by default, or, when
 * DATABASE_URL is set, a new database on that PostgreSQL server (dropped again by `close`).
 * The same tests therefore run on both engines.
 */
export async function testDatabase(): Promise<Database & { url?: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
  const name = `hanaro_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), dataDir: 'memory://', poolMax: 5 });
  return {
    ...database,
    url: u.toString(),
    async close() {
      await database.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export async function testConfig(env: Record<string, string> = {}): Promise<Config> {
  return loadConfig({ HANARO_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...env });
}

export interface TestPlatform extends Platform {
  /** Closes the platform and drops the test database. */
  dispose(): Promise<void>;
}

export async function testPlatform(opts: { modules?: HanaroModule[]; env?: Record<string, string>; logger?: Logger } = {}): Promise<TestPlatform> {
  const config = await testConfig(opts.env);
  const database = await testDatabase();
  const platform = await createPlatform(config, {
    modules: opts.modules ?? [],
    database,
    logger: opts.logger ?? createLogger('silent'),
  });
  return Object.assign(platform, {
    async dispose() {
      await platform.close();
      await database.close();
    },
  });
}

/** A platform and its app, ready for `app.inject()`. */
export async function testApp(opts: Parameters<typeof testPlatform>[0] = {}): Promise<{ app: FastifyInstance; platform: TestPlatform; close(): Promise<void> }> {
  const platform = await testPlatform(opts);
  const app = await buildApp(platform, { modules: opts.modules ?? [] });
  await app.ready();
  return {
    app,
    platform,
    async close() {
      await app.close();
      await platform.dispose();
    },
  };
}

/** A TCP port that was free a moment ago, for servers a test or benchmark starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Polls `url` until it answers 200; returns how long that took in milliseconds. */
export async function waitFor(url: string, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    try {
      if ((await fetch(url)).status === 200) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}
