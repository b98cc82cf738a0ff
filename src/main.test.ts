import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import type { HanaroModule } from './platform/module.ts';
import { freePort, testPlatform, waitFor, type TestPlatform } from './platform/testing.ts';

const root = path.resolve(import.meta.dirname, '..');

function hanaro(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(root, 'bin/hanaro.js'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('hanaro start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'hanaro-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('starts on a fresh data folder, keeps its secrets private, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const p = hanaro(['start'], { HANARO_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' });
    try {
      await waitFor(`http://127.0.0.1:${port}/readyz`, 60_000);
      const home = await fetch(`http://127.0.0.1:${port}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('lang="ko"');
      expect((await stat(path.join(dataDir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('shutting down');
  }, 90_000);

  it('refuses to start in production mode without real settings, naming each one', async () => {
    const p = hanaro(['start'], { HANARO_MODE: 'production' });
    expect(await p.exited).toBe(1);
    for (const name of ['DATABASE_URL', 'HANARO_MASTER_KEY', 'HANARO_COOKIE_SECRET', 'HANARO_PUBLIC_URL']) {
      expect(p.output()).toContain(name);
    }
  }, 30_000);
});

describe('graceful shutdown', () => {
  let platform: TestPlatform;
  let app: FastifyInstance;
  let release: () => void = () => {};
  let markStarted: () => void = () => {};
  const started = new Promise<void>((r) => (markStarted = r));
  const slow: HanaroModule = {
    name: 'slow',
    async plugin(a) {
      a.get('/api/slow', async () => {
        markStarted();
        await new Promise<void>((r) => (release = r));
        return { finished: true };
      });
    },
  };
  beforeAll(async () => {
    platform = await testPlatform();
    app = await buildApp(platform, { modules: [slow] });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => platform.dispose());

  it('finishes the request in flight and refuses new connections', async () => {
    const { port } = app.server.address() as { port: number };
    const inflight = fetch(`http://127.0.0.1:${port}/api/slow`);
    await started;
    const closing = app.close();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    release();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    await closing;
  });
});
