import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditHash, canonicalJson, createAuditLog, GENESIS_HASH, type AuditLog } from './audit.ts';
import { loadConfig } from './config.ts';
import { openDatabase, rows, type Database } from './db.ts';
import { createLogger } from './log.ts';
import { createPlatform } from './platform.ts';
import { testPlatform, type TestPlatform } from './testing.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);
let t: TestPlatform;
beforeAll(async () => {
  t = await testPlatform();
});
afterAll(() => t.dispose());

/** What a DBA would do: switch the append-only triggers off around a statement. */
async function asDba(database: Database, statement: string): Promise<void> {
  await database.rawTransaction((tx) =>
    tx.exec(`alter table platform.audit_log disable trigger user; ${statement}; alter table platform.audit_log enable trigger user;`),
  );
}

async function appendMany(log: AuditLog, n: number, actor = 'official:1'): Promise<void> {
  for (let i = 0; i < n; i++) await log.append({ actor, action: 'residents.read', subject: `resident:${i}`, data: { i, purpose: 'welfare' } });
}

beforeEach(async () => {
  await asDba(t.database, 'delete from platform.audit_log');
});

describe('canonical JSON', () => {
  it('sorts members, drops undefined and writes numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x', undefined], c: { z: 1e21, y: 0.5, x: undefined }, 'é': -0 })).toBe(
      '{"a":[true,null,"x",null],"b":1,"c":{"y":0.5,"z":1e+21},"é":0}',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('audit log', () => {
  it('appends a chain that verifies, hashed as documented', async () => {
    const first = await t.audit.append({ actor: 'official:7', action: 'consent.granted', subject: 'citizen:42', data: { b: [1, 2], a: 'x' } });
    expect(first.seq).toBe(1);
    expect(first.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await appendMany(t.audit, 4);
    const [entry] = await t.audit.tail(5);
    // the definition, written out by hand
    const text = `{"action":"consent.granted","actor":"official:7","at":"${first.at}","data":{"a":"x","b":[1,2]},"prev_hash":"${GENESIS_HASH}","seq":1,"subject":"citizen:42"}`;
    expect(entry!.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(entry).toMatchObject({ seq: 1, at: first.at, prevHash: GENESIS_HASH, hash: first.hash, data: { a: 'x', b: [1, 2] } });
    const tail = await t.audit.tail(2);
    expect(tail.map((e) => e.seq)).toEqual([4, 5]);
    expect(tail[1]!.prevHash).toBe(tail[0]!.hash);
    expect(await t.audit.verify()).toEqual({ ok: true, count: 5, head: { seq: 5, hash: tail[1]!.hash } });
  });

  it('verifies an empty log', async () => {
    expect(await t.audit.verify()).toEqual({ ok: true, count: 0, head: undefined });
  });

  it('walks the chain in batches', async () => {
    await appendMany(t.audit, 23);
    const progress: number[] = [];
    expect(await t.audit.verify({ batchSize: 5, onProgress: (n) => progress.push(n) })).toMatchObject({ ok: true, count: 23 });
    expect(progress).toEqual([5, 10, 15, 20, 23]);
  });

  it('keeps raw resident registration numbers out', async () => {
    await t.audit.append({
      actor: 'official:1',
      action: 'residents.read',
      subject: 'rrn 900101-1234567',
      data: { note: 'looked up 9001011234567', masked: '900101-1******', nested: { list: ['900101-2345678'] }, when: new Date(0) },
    });
    const [e] = await t.audit.tail(1);
    expect(JSON.stringify(e)).not.toMatch(/1234567|2345678/);
    expect(e).toMatchObject({ subject: 'rrn [RRN]', data: { note: 'looked up [RRN]', masked: '900101-1******', when: '1970-01-01T00:00:00.000Z' } });
    expect(await t.audit.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('reports the seq of an entry whose data was changed', async () => {
    await appendMany(t.audit, 5);
    await asDba(t.database, `update platform.audit_log set data = '{"i": 2, "purpose": "curiosity"}' where seq = 3`);
    expect(await t.audit.verify({ batchSize: 2 })).toMatchObject({ ok: false, problem: 'tampered', seq: 3, checked: 2 });
  });

  it('notices a timestamp moved by one microsecond', async () => {
    await appendMany(t.audit, 3);
    await asDba(t.database, `update platform.audit_log set at = at + interval '1 microsecond' where seq = 2`);
    expect(await t.audit.verify()).toMatchObject({ ok: false, problem: 'tampered', seq: 2 });
  });

  it('reports a deleted entry as missing', async () => {
    await appendMany(t.audit, 5);
    await asDba(t.database, 'delete from platform.audit_log where seq = 3');
    expect(await t.audit.verify()).toMatchObject({ ok: false, problem: 'missing', seq: 3, checked: 2 });
    await asDba(t.database, 'delete from platform.audit_log where seq in (1, 2)');
    expect(await t.audit.verify()).toMatchObject({ ok: false, problem: 'missing', seq: 1, checked: 0, detail: 'entries 1 to 3 are missing' });
  });

  it('reports a broken link when an entry was rewritten with a fresh hash', async () => {
    await appendMany(t.audit, 4);
    const [two] = (await t.audit.tail(4)).slice(1, 2);
    const forged = { ...two!, data: { i: 99 } };
    const hash = auditHash(forged);
    await asDba(t.database, `update platform.audit_log set data = '{"i": 99}', hash = '${hash}' where seq = 2`);
    expect(await t.audit.verify()).toMatchObject({ ok: false, problem: 'broken-link', seq: 3 });
  });

  it('reports a forged entry numbered below 1', async () => {
    await appendMany(t.audit, 2);
    await asDba(t.database, `insert into platform.audit_log (seq, at, actor, action, data, prev_hash, hash) values (0, now(), 'x', 'y', '{}', '', '')`);
    expect(await t.audit.verify()).toMatchObject({ ok: false, problem: 'tampered', seq: 0 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE while the triggers are on', async () => {
    await appendMany(t.audit, 2);
    for (const statement of [
      sql`update platform.audit_log set actor = 'someone else' where seq = 1`,
      sql`delete from platform.audit_log where seq = 2`,
      sql`truncate platform.audit_log`,
    ]) {
      // drizzle wraps the driver's error; the trigger's message is its cause
      const err = await t.db.execute(statement).then(() => undefined, (e: Error) => e);
      expect(String((err?.cause as Error | undefined)?.message ?? err?.message)).toMatch(/append-only/);
    }
    expect(await t.audit.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('appends in the caller\'s transaction and leaves no gap when it rolls back', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await t.audit.append({ actor: 'official:1', action: 'doomed' }, tx);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const kept = await t.db.transaction((tx) => t.audit.append({ actor: 'official:1', action: 'kept' }, tx));
    expect(kept.seq).toBe(1);
    // the plain database as `tx` still gets a transaction of its own
    expect((await t.audit.append({ actor: 'official:1', action: 'plain' }, t.db)).seq).toBe(2);
    expect(await t.audit.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('keeps one chain under 50 concurrent appends', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => t.audit.append({ actor: `official:${i}`, action: 'race', data: { i } })));
    expect(new Set(results.map((r) => r.seq)).size).toBe(50);
    expect(Math.max(...results.map((r) => r.seq))).toBe(50);
    expect(await t.audit.verify()).toMatchObject({ ok: true, count: 50 });
  });

  it.runIf(onPostgres)('keeps one chain when two connection pools append at once', async () => {
    const url = (t.database as Database & { url?: string }).url!;
    const other = await openDatabase({ databaseUrl: url, dataDir: 'memory://', poolMax: 5 });
    try {
      const logs = [t.audit, createAuditLog(other.db)];
      await Promise.all(logs.flatMap((log, p) => Array.from({ length: 40 }, (_, i) => log.append({ actor: `pool:${p}`, action: 'race', data: { i } }))));
      expect(await t.audit.verify()).toMatchObject({ ok: true, count: 80 });
      const actors = await rows<{ actor: string; n: string }>(t.db, sql`select actor, count(*)::text as n from platform.audit_log group by actor order by actor`);
      expect(actors).toEqual([
        { actor: 'pool:0', n: '40' },
        { actor: 'pool:1', n: '40' },
      ]);
    } finally {
      await other.close();
    }
  });
});

/** Runs the real CLI (`bin/hanaro.js`) in a child process. */
function cli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/hanaro.js', ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DATABASE_URL: undefined, LOG_LEVEL: 'silent', HANARO_MODE: 'demo', ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('hanaro audit verify', () => {
  it('exits 0 on an intact chain and 2 with the seq after tampering', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hanaro-audit-cli-'));
    try {
      let env: Record<string, string | undefined>;
      let tamper: (statement: string) => Promise<void>;
      if (onPostgres) {
        env = { DATABASE_URL: (t.database as Database & { url?: string }).url, HANARO_DATA_DIR: dir };
        await appendMany(t.audit, 3);
        tamper = (statement) => asDba(t.database, statement);
      } else {
        // the CLI opens the embedded database files itself, so this process closes them first
        env = { HANARO_DATA_DIR: dir };
        const config = await loadConfig({ HANARO_DATA_DIR: dir, LOG_LEVEL: 'silent' });
        const open = () => createPlatform(config, { modules: [], logger: createLogger('silent') });
        const p = await open();
        await appendMany(p.audit, 3);
        await p.close();
        tamper = async (statement) => {
          const q = await open();
          await asDba(q.database, statement);
          await q.close();
        };
      }
      const ok = await cli(['audit', 'verify'], env);
      expect(ok.out).toMatch(/audit log ok: 3 entries; head 3 [0-9a-f]{64}/);
      expect(ok.code).toBe(0);
      const tail = await cli(['audit', 'tail', '--n', '2'], env);
      expect(tail.out.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['2', '3']);

      await tamper(`update platform.audit_log set actor = 'official:2' where seq = 2`);
      const bad = await cli(['audit', 'verify'], env);
      expect(bad.out).toContain('audit log problem at seq 2: tampered');
      expect(bad.code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
