import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'hanaro-config-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const PRODUCTION = {
  HANARO_MODE: 'production',
  DATABASE_URL: 'postgres://hanaro@db.internal:5432/hanaro',
  HANARO_MASTER_KEY: randomBytes(32).toString('base64'),
  HANARO_COOKIE_SECRET: 'c'.repeat(40),
  HANARO_PUBLIC_URL: 'https://www.hanaro.go.kr/',
};

async function configError(env: Record<string, string>): Promise<ConfigError> {
  const e = await loadConfig(env).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('config', () => {
  it('has demo defaults and generates secrets once, readable only by the owner', async () => {
    const dir = await tempDir();
    const c = await loadConfig({ HANARO_DATA_DIR: dir });
    expect(c).toMatchObject({
      mode: 'demo',
      dataDir: dir,
      databaseUrl: undefined,
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      trustProxy: false,
      logLevel: 'info',
      databasePoolMax: 25,
    });
    expect(c.masterKey).toHaveLength(32);
    expect(c.cookieSecret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'secrets.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await loadConfig({ HANARO_DATA_DIR: dir, PORT: '8080' });
    expect(again.masterKey.equals(c.masterKey)).toBe(true);
    expect(again.cookieSecret).toBe(c.cookieSecret);
    expect(again.publicUrl).toBe('http://localhost:8080');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ masterKey: c.masterKey.toString('base64'), cookieSecret: c.cookieSecret });
  });

  it('generates the same secrets file for processes starting together', async () => {
    const dir = await tempDir();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => loadConfig({ HANARO_DATA_DIR: dir })));
    expect(b!.masterKey.equals(a!.masterKey)).toBe(true);
    expect(c!.masterKey.equals(a!.masterKey)).toBe(true);
  });

  it('keeps memory:// demo secrets in memory', async () => {
    const c = await loadConfig({ HANARO_DATA_DIR: 'memory://' });
    expect(c.masterKey).toHaveLength(32);
  });

  it('names every missing production setting at once', async () => {
    const e = await configError({ HANARO_MODE: 'production' });
    const text = e.message;
    for (const v of ['DATABASE_URL', 'HANARO_MASTER_KEY', 'HANARO_COOKIE_SECRET', 'HANARO_PUBLIC_URL']) expect(text).toContain(v);
    expect(e.problems).toHaveLength(4);
    const one = await configError({ ...PRODUCTION, HANARO_COOKIE_SECRET: '' });
    expect(one.problems).toHaveLength(1);
    expect(one.message).toContain('HANARO_COOKIE_SECRET');
  });

  it('names the variable of a bad value', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PORT: 'abc' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ HANARO_MASTER_KEY: 'dG9vIHNob3J0', HANARO_COOKIE_SECRET: 'c'.repeat(40) }, 'HANARO_MASTER_KEY'],
      [{ HANARO_COOKIE_SECRET: 'short' }, 'HANARO_COOKIE_SECRET'],
      [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
      [{ HANARO_MODE: 'staging' }, 'HANARO_MODE'],
      [{ HANARO_TRUST_PROXY: 'maybe' }, 'HANARO_TRUST_PROXY'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ];
    for (const [env, name] of cases) {
      const e = await configError({ HANARO_DATA_DIR: 'memory://', ...env });
      expect(e.problems.join('\n'), name).toContain(name);
      expect(e.message).toContain(name);
    }
    // several bad values are reported together
    const both = await configError({ HANARO_DATA_DIR: 'memory://', PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(both.problems).toHaveLength(2);
  });

  it('starts in production mode when everything is set', async () => {
    const c = await loadConfig({ ...PRODUCTION, PORT: '8443', HANARO_TRUST_PROXY: 'true', HOST: '0.0.0.0' });
    expect(c).toMatchObject({
      mode: 'production',
      databaseUrl: PRODUCTION.DATABASE_URL,
      publicUrl: 'https://www.hanaro.go.kr',
      cookieSecret: PRODUCTION.HANARO_COOKIE_SECRET,
      port: 8443,
      host: '0.0.0.0',
      trustProxy: true,
    });
    expect(c.masterKey.equals(Buffer.from(PRODUCTION.HANARO_MASTER_KEY, 'base64'))).toBe(true);
  });

  it('treats empty variables as unset', async () => {
    const c = await loadConfig({ HANARO_DATA_DIR: 'memory://', PORT: '', DATABASE_URL: '' });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
  });
});
