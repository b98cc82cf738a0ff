import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import type { Platform } from '../src/platform/platform.ts';
export { freePort, waitFor } from '../src/platform/testing.ts';

export const root = path.resolve(import.meta.dirname, '..');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Proc {
  child: ChildProcess;
  stop(): Promise<void>;
  output(): string;
}

export function run(cmd: string, args: string[], env: Record<string, string> = {}): Proc {
  // its own process group, so that stopping `npm start` also stops the node process npm started
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout?.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr?.on('data', (d) => (out = (out + d).slice(-20_000)));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
      }
      await exited;
      // npm may exit before the server it started has finished stopping
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(-child.pid!, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** Resident set size of a process in MB, from /proc. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? NaN);
  return kb / 1024;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * A fresh database on the PostgreSQL server of BENCH_DATABASE_URL, DATABASE_URL or the local one,
 * for one benchmark run: `url` to connect, `drop()` when done.
 */
export async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const { randomBytes } = await import('node:crypto');
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hanaro_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  return {
    url: Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString(),
    drop: () => admin(`drop database if exists ${name} with (force)`).catch(() => {}),
  };
}

/**
 * A whole Hanaro (every module) on a scratch database of the real PostgreSQL server, listening on
 * a free localhost port, for the benchmarks that call it over HTTP; `close()` stops it and drops
 * the database.
 */
export async function benchServer(name: string): Promise<{ platform: Platform; app: FastifyInstance; url: string; close(): Promise<void> }> {
  const { randomBytes } = await import('node:crypto');
  const { buildApp } = await import('../src/app.ts');
  const { modules } = await import('../src/modules/index.ts');
  const { loadConfig } = await import('../src/platform/config.ts');
  const { createPlatform } = await import('../src/platform/platform.ts');
  const { freePort } = await import('../src/platform/testing.ts');
  const scratch = await scratchDatabase();
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env = {
    DATABASE_URL: scratch.url,
    HANARO_DATA_DIR: `/tmp/hanaro-bench-${name}`,
    HANARO_MASTER_KEY: randomBytes(32).toString('base64'),
    HANARO_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    HANARO_PUBLIC_URL: url,
    HANARO_RATE_LIMIT: '100000000',
    LOG_LEVEL: 'warn',
  };
  let platform: Platform | undefined;
  try {
    platform = await createPlatform(await loadConfig(env), { modules });
    await platform.keys.ensureKeys();
    const app = await buildApp(platform, { modules });
    await app.listen({ port, host: 'localhost' });
    const p = platform;
    return {
      platform: p,
      app,
      url,
      async close() {
        await app.close();
        await p.close();
        await scratch.drop();
      },
    };
  } catch (e) {
    await platform?.close();
    await scratch.drop();
    throw e;
  }
}
