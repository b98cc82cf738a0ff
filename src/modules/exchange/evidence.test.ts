import { createHash, createPrivateKey } from 'node:crypto';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../platform/audit.ts';
import { rows } from '../../platform/db.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import type { ClientKey } from './client-keys.ts';
import { exchangeCli, mediatedCall } from './protocol.ts';
import { addClient, addService, grant, protocolTestModule } from './protocol-testkit.ts';
import { setRegistryHandler } from './providers.ts';
import { signRequest } from './signatures.ts';

const CLIENT = 'KR/GOV/MOHW/welfare-services';
const STRANGER = 'KR/GOV/MPVA/veterans-services';
const PROVIDER = 'KR/GOV/MOIS/resident-registry';
const SVC = `${PROVIDER}/resident`;
const CITIZEN = '5d0f7b8e-2c1a-4e55-8f0e-6a3b9c1d2e4f';
const TOKEN = 'operators-token-0123456789';

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
const keys: Record<string, ClientKey> = {};

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [protocolTestModule], env: { HANARO_METRICS_TOKEN: TOKEN } }));
  setRegistryHandler(async (_p, req) => ({ status: 200, body: { records: [] }, citizenId: req.userId, items: ['name'] }));
  await addService(t, { id: SVC, provider: 'registry:resident/1.0' });
  for (const c of [CLIENT, STRANGER, PROVIDER]) keys[c] = await addClient(t, c);
  await grant(t, SVC, CLIENT);
});
afterAll(async () => {
  setRegistryHandler(undefined);
  await close();
});

async function signedGet(path: string, as: string) {
  const k = keys[as]!;
  const headers = await signRequest(
    { kid: k.kid, alg: k.alg, privateKey: createPrivateKey({ key: k.privateJwk as never, format: 'jwk' }) },
    { method: 'GET', url: `http://localhost${path}`, headers: { 'x-road-client': as } },
  );
  return app.inject({ method: 'GET', url: path, headers });
}

describe('evidence of an exchange', () => {
  it('goes to its client and its provider (signed), to operators (bearer), and to nobody else', async () => {
    const res = await mediatedCall(t, { client: CLIENT, service: SVC, path: '/records', userId: CITIZEN, issue: 'evidence test' });
    const path = `/api/exchange/evidence/${res.xRoadId}`;
    for (const who of [CLIENT, PROVIDER]) {
      const ev = await signedGet(path, who);
      expect(ev.statusCode, who).toBe(200);
      const body = ev.json();
      expect(body.entries).toHaveLength(1);
      const e = body.entries[0];
      expect(e.checks).toEqual({ hash: true, signature: 'ok', previousLink: true, nextLink: true });
      // anyone can recompute the hash from the record as given
      const { hash, kid, signature, ...hashed } = e.record;
      expect(createHash('sha256').update(canonicalJson(hashed)).digest('hex')).toBe(hash);
      expect(body.jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([kid]);
      expect(signature.split('.')).toHaveLength(3);
    }
    expect((await signedGet(path, STRANGER)).statusCode).toBe(404);
    expect((await app.inject({ url: path, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: path, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await app.inject({ url: path })).statusCode).toBe(401);
    expect((await app.inject({ url: path, headers: { 'x-road-client': CLIENT } })).json()).toMatchObject({ status: 401, code: 'invalid_signature' });
  });
});

describe('hanaro exchange …', () => {
  let out: string[];
  let err: string[];
  const run = async (...args: string[]) => {
    out = [];
    err = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    try {
      const cmd = new Command('exchange').exitOverride();
      exchangeCli(cmd, (fn) => fn(t));
      await cmd.parseAsync(args, { from: 'user' });
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    const code = process.exitCode;
    process.exitCode = undefined;
    return code ?? 0;
  };
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('call prints the answer and its X-Road-Id; a refused call exits 1', async () => {
    expect(await run('call', '--client', CLIENT, '--service', SVC, '--path', '/records', '--user', CITIZEN, '--purpose', '상담')).toBe(0);
    expect(JSON.parse(out.slice(0, -1).join('\n'))).toEqual({ records: [] });
    const id = /^X-Road-Id: (.+)$/.exec(out.at(-1)!)![1]!;
    const [row] = await rows<{ issue: string }>(t.db, sql`select issue from exchange.message_log where x_road_id = ${id}`);
    expect(row!.issue).toBe('상담');
    expect(await run('call', '--client', STRANGER, '--service', SVC, '--user', CITIZEN, '--purpose', 'x')).toBe(1);
    expect(err.join()).toContain('Client.AccessDenied');
  });

  it('verify-log exits 0 on a sound log and 2 naming the seq of a changed entry', async () => {
    expect(await run('verify-log')).toBe(0);
    expect(out[0]).toMatch(/^message log ok: \d+ entries; head \d+ [0-9a-f]{64}$/);
    await t.database.rawTransaction((tx) =>
      tx.exec(`alter table exchange.message_log disable trigger user; update exchange.message_log set user_id = 'someone else' where seq = 2;
        alter table exchange.message_log enable trigger user;`),
    );
    expect(await run('verify-log', '--batch', '1')).toBe(2);
    expect(out[0]).toMatch(/^message log problem at seq 2: tampered/);
  });

  it('evidence prints the JSON evidence; an unknown id exits 1', async () => {
    const [row] = await rows<{ x_road_id: string }>(t.db, sql`select x_road_id from exchange.message_log order by seq limit 1`);
    expect(await run('evidence', row!.x_road_id)).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ xRoadId: row!.x_road_id, entries: [{ record: { seq: 1 } }] });
    expect(await run('evidence', 'no-such-id')).toBe(1);
  });

  it('client-key create prints the private key once and stores only the public half; list and revoke', async () => {
    expect(await run('client-key', 'create', '--client', STRANGER, '--alg', 'ecdsa-p256-sha256')).toBe(0);
    const jwk = JSON.parse(out[0]!) as { kid: string; d: string; crv: string };
    expect(jwk).toMatchObject({ crv: 'P-256', d: expect.any(String) });
    const [stored] = await rows<{ jwk: string; private_kept: boolean }>(
      t.db,
      sql`select public_jwk::text as jwk, exists (select 1 from exchange.client_key_private p where p.kid = k.kid) as private_kept
          from exchange.client_key k where kid = ${jwk.kid}`,
    );
    expect(JSON.parse(stored!.jwk).d).toBeUndefined();
    expect(stored!.private_kept).toBe(false);
    expect(await run('client-key', 'list', '--client', STRANGER)).toBe(0);
    expect(out.join('\n')).toContain(jwk.kid);
    // a thumbprint may begin with "-": `--` ends the options, as an operator would type it
    expect(await run('client-key', 'revoke', '--', jwk.kid)).toBe(0);
    expect(await run('client-key', 'revoke', '--', jwk.kid)).toBe(1);
    await expect(run('client-key', 'create', '--client', 'KR/GOV/NOPE/none')).rejects.toThrow(/not in the directory/);
  });
});
