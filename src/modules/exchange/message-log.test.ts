import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../platform/audit.ts';
import { rows } from '../../platform/db.ts';
import { createLogger } from '../../platform/log.ts';
import { createKeyStore } from '../../platform/keys.ts';
import { createPlatform } from '../../platform/platform.ts';
import { testConfig, testPlatform, type TestPlatform } from '../../platform/testing.ts';
import { createMessageLogWriter, logTime, type LogEntryInput, type MessageLogWriter } from './message-log.ts';
import { readEntries, verifyMessageLog } from './message-log-verify.ts';
import { protocolTestModule } from './protocol-testkit.ts';

let t: TestPlatform;
let log: MessageLogWriter;
beforeAll(async () => {
  t = await testPlatform({ modules: [protocolTestModule] });
  log = createMessageLogWriter(t);
});
afterAll(() => t.dispose());

/** What someone with the database's owner rights would do: switch the append-only triggers off. */
const asDba = (statement: string) =>
  t.database.rawTransaction((tx) =>
    tx.exec(`alter table exchange.message_log disable trigger user; ${statement}; alter table exchange.message_log enable trigger user;`),
  );

beforeEach(() => asDba('delete from exchange.message_log'));

let n = 0;
const entry = (over: Partial<LogEntryInput> = {}): LogEntryInput => ({
  xRoadId: `x-${++n}`,
  at: logTime(Date.now()),
  clientId: 'KR/GOV/MOHW/welfare-services',
  serviceId: 'KR/GOV/MOIS/resident-registry/resident',
  userId: '0b7c7c5e-6c55-4b1e-9a49-3f1f5e7c2d11',
  issue: '복지 신청 2026-17',
  method: 'GET',
  path: '/r1/KR/GOV/MOIS/resident-registry/resident/records',
  status: 200,
  error: null,
  requestHash: createHash('sha256').digest('hex'),
  responseHash: createHash('sha256').update('{}').digest('hex'),
  requestSignature: null,
  requestBody: null,
  responseBody: null,
  durationMs: 3.14159,
  ...over,
});

const writeMany = (k: number, over: Partial<LogEntryInput> = {}) => Promise.all(Array.from({ length: k }, () => log.write({ entry: entry(over), access: [] })));

describe('message log', () => {
  it('hashes each entry as documented and signs the hash with the platform key (a compact JWS)', async () => {
    const e = entry({ xRoadId: 'doc-1', at: '2026-03-01T09:00:00.123000Z', durationMs: 12.5 });
    expect(await log.write({ entry: e, access: [] })).toBe(1);
    const [stored] = await readEntries(t.db, sql`where seq = 1`);
    const text =
      `{"at":"2026-03-01T09:00:00.123000Z","client_id":"${e.clientId}","duration_ms":12.5,"error":null,"issue":"${e.issue}",` +
      `"method":"GET","path":"${e.path}","prev_hash":"${GENESIS_HASH}","request_body":null,"request_hash":"${e.requestHash}",` +
      `"request_signature":null,"response_body":null,"response_hash":"${e.responseHash}","seq":1,"service_id":"${e.serviceId}",` +
      `"status":200,"user_id":"${e.userId}","x_road_id":"doc-1"}`;
    expect(stored!.hash).toBe(createHash('sha256').update(text).digest('hex'));
    const { payload, protectedHeader } = await compactVerify(stored!.signature, createLocalJWKSet(await t.keys.jwks()));
    expect(new TextDecoder().decode(payload)).toBe(stored!.hash);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: stored!.kid });
    expect(await verifyMessageLog(t)).toEqual({ ok: true, count: 1, head: { seq: 1, hash: stored!.hash } });
  });

  it('still verifies after the key that signed it was rotated out and pruned from the JWKS', async () => {
    // a key store that keeps retired keys for a millisecond only
    const shortLived = { ...t, keys: createKeyStore(t.db, t.crypto, { retiredRetentionMs: 1, activeKidTtlMs: 1 }) };
    await shortLived.keys.rotate('EdDSA');
    await createMessageLogWriter(shortLived).write({ entry: entry(), access: [] });
    const [first] = await rows<{ kid: string }>(t.db, sql`select kid from exchange.message_log order by seq desc limit 1`);
    await shortLived.keys.rotate('EdDSA');
    await new Promise((r) => setTimeout(r, 5));
    expect(await shortLived.keys.prune()).toContain(first!.kid);
    expect((await t.keys.jwks()).keys.map((k) => k.kid)).not.toContain(first!.kid);
    await createMessageLogWriter(shortLived).write({ entry: entry(), access: [] });
    expect(await verifyMessageLog(t)).toMatchObject({ ok: true });
    // and a forged key row is no way around it: the signature is checked against the stored key
    await t.db.execute(sql`update exchange.log_key set public_jwk = (select public_jwk from exchange.log_key where kid <> ${first!.kid} limit 1) where kid = ${first!.kid}`);
    expect(await verifyMessageLog(t)).toMatchObject({ ok: false });
  });

  it('takes the lock the migration names (one lock for every writer)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { MESSAGE_LOG_LOCK } = await import('./message-log.ts');
    const text = await readFile(new URL('./migrations/0004_message_log_append.sql', import.meta.url), 'utf8');
    expect(text).toContain(`pg_advisory_xact_lock(${MESSAGE_LOG_LOCK})`);
  });

  it('is append-only for ordinary writers', async () => {
    await writeMany(1);
    await expect(t.db.execute(sql`update exchange.message_log set status = 500`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from exchange.message_log`)).rejects.toThrow();
  });

  it('finds a row changed by hand, with its seq', async () => {
    await writeMany(12);
    await asDba(`update exchange.message_log set status = 403 where seq = 7`);
    expect(await verifyMessageLog(t, { batchSize: 5 })).toMatchObject({ ok: false, problem: 'tampered', seq: 7, checked: 6 });
  });

  it('finds a removed entry, a relinked entry and a re-hashed entry it cannot re-sign', async () => {
    await writeMany(6);
    await asDba(`delete from exchange.message_log where seq = 3`);
    expect(await verifyMessageLog(t)).toMatchObject({ ok: false, problem: 'missing', seq: 3 });
    await asDba('delete from exchange.message_log');
    await writeMany(6);
    await asDba(`update exchange.message_log set prev_hash = repeat('1', 64) where seq = 4`);
    expect(await verifyMessageLog(t)).toMatchObject({ ok: false, problem: 'broken-link', seq: 4 });
    await asDba('delete from exchange.message_log');
    await writeMany(6);
    // a forger who rewrites the last entry and its hash consistently still lacks the platform key
    const [last] = await readEntries(t.db, sql`where seq = 6`);
    const { entryHash } = await import('./message-log.ts');
    const forged = { ...last!, status: 404 };
    await asDba(`update exchange.message_log set status = 404, hash = '${entryHash(forged)}' where seq = 6`);
    expect(await verifyMessageLog(t)).toMatchObject({ ok: false, problem: 'bad-signature', seq: 6 });
  });

  it('writers in two processes (two platforms on one database) keep one gap-free chain', async () => {
    const other = await createPlatform(await testConfig(), { modules: [protocolTestModule], database: t.database, logger: createLogger('silent') });
    // the same master key is not needed to write: each platform signs with the shared key store's active key
    const otherLog = createMessageLogWriter(Object.assign(other, { keys: t.keys, crypto: t.crypto }));
    await Promise.all([writeMany(100), Promise.all(Array.from({ length: 100 }, () => otherLog.write({ entry: entry(), access: [] })))]);
    const v = await verifyMessageLog(t, { batchSize: 64 });
    expect(v).toMatchObject({ ok: true, count: 200, head: { seq: 200 } });
    const [{ n: distinct }] = (await rows<{ n: number }>(t.db, sql`select count(distinct seq)::int as n from exchange.message_log`)) as [{ n: number }];
    expect(distinct).toBe(200);
  });

  it('a writer whose idea of the head is stale retries under the lock, writing its access records once', async () => {
    const a = createMessageLogWriter(t);
    const b = createMessageLogWriter(t);
    await a.write({ entry: entry(), access: [] }); // a learns the head (locked path)
    await a.write({ entry: entry(), access: [] }); // a's fast path
    await b.write({ entry: entry(), access: [] }); // b moves the head behind a's back
    const access = [{ citizenId: 'stale-1', reader: 'KR/GOV/MOHW/welfare-services', institution: 'MOHW', service: 'svc', items: ['name'], purpose: 'p', channel: 'exchange', xRoadId: 'stale-write' }];
    expect(await a.write({ entry: entry({ xRoadId: 'stale-write' }), access })).toBe(4); // fast path misses, locked path writes
    expect(await a.write({ entry: entry(), access: [] })).toBe(5); // and the fast path is right again
    expect(await t.accessLog.forCitizen('stale-1')).toHaveLength(1);
    expect(await verifyMessageLog(t)).toMatchObject({ ok: true, count: 5 });
  });

  it('an entry the database refuses fails alone; the rest of its batch is written', async () => {
    await t.database.rawTransaction((tx) =>
      tx.exec(`create function exchange.test_poison() returns trigger language plpgsql as $$
          begin if new.x_road_id = 'poison' then raise exception 'refused'; end if; return new; end $$;
        create trigger test_poison before insert on exchange.message_log for each row execute function exchange.test_poison();`),
    );
    try {
      const results = await Promise.allSettled([...Array.from({ length: 9 }, () => log.write({ entry: entry(), access: [] })), log.write({ entry: entry({ xRoadId: 'poison' }), access: [] })]);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(results[9]!.status).toBe('rejected');
      expect(await verifyMessageLog(t)).toMatchObject({ ok: true, count: 9 });
    } finally {
      await t.database.rawTransaction((tx) => tx.exec('drop trigger test_poison on exchange.message_log; drop function exchange.test_poison();'));
    }
  });

  it('commits the entry and its access records together or not at all', async () => {
    const access = [{ citizenId: 'c-1', reader: 'KR/GOV/MOHW/welfare-services', institution: 'MOHW', service: 'svc', items: ['name'], purpose: 'p', channel: 'exchange' }];
    await log.write({ entry: entry({ xRoadId: 'with-access' }), access });
    expect(await t.accessLog.forCitizen('c-1')).toHaveLength(1);
    await t.database.rawTransaction((tx) =>
      tx.exec(`create function platform.test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$;
        create trigger test_refuse before insert on platform.data_access for each row execute function platform.test_refuse();`),
    );
    try {
      await expect(log.write({ entry: entry({ xRoadId: 'access-refused' }), access })).rejects.toThrow();
      expect(await readEntries(t.db, sql`where x_road_id = 'access-refused'`)).toEqual([]);
    } finally {
      await t.database.rawTransaction((tx) => tx.exec('drop trigger test_refuse on platform.data_access; drop function platform.test_refuse();'));
    }
    expect(await verifyMessageLog(t)).toMatchObject({ ok: true, count: 1 });
  });

  it('keeps text PostgreSQL cannot store from breaking the write (NUL, lone surrogates)', async () => {
    await log.write({ entry: entry({ issue: 'a\0b\uD800c' }), access: [] });
    const [e] = await readEntries(t.db, sql`where seq = 1`);
    expect(e!.issue).toBe('a\uFFFDb\uFFFDc');
    expect(await verifyMessageLog(t)).toMatchObject({ ok: true, count: 1 });
  });
});
