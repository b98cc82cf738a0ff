/**
 * Identity speed targets (issue 4), each next to a baseline measured in the same run:
 *
 * - passkey assertion verification ≥ 1,000/s: `verifyAuthenticationResponse` (the library the
 *   sign-in endpoint uses) on ES256 assertions made here with a software authenticator, next to
 *   the bare ECDSA verification of the same signatures (node:crypto);
 * - a session look-up adds < 1 ms at p50 to a page request: GET /sign-in over HTTP (it reads the
 *   session to name the person in the header) with an official's session cookie, next to the same
 *   page without one, requests alternating, one at a time; and `SessionStore.find` alone (what
 *   the actor resolver runs) next to `select 1` on the same pool.
 *
 * The token endpoint is bench/oidc-token.ts. Real PostgreSQL: BENCH_DATABASE_URL, DATABASE_URL or
 * the local server; a fresh database, dropped afterwards.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/platform/config.ts';
import { createPlatform, type Platform } from '../src/platform/platform.ts';
import { modules } from '../src/modules/index.ts';
import { buildApp } from '../src/app.ts';
import { cookieSettings, createSessionStore } from '../src/modules/identity/sessions.ts';
import { fmt, freePort, median, scratchDatabase } from './lib.ts';

const N = Number(process.env.BENCH_N ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ORIGIN = 'https://hanaro.example';
const RP_ID = 'hanaro.example';
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

// ---- passkey assertions -----------------------------------------------------------------------
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x, 'base64url')], [-3, Buffer.from(jwk.y, 'base64url')]]));
const credentialId = b64u(randomBytes(32));
const rpIdHash = createHash('sha256').update(RP_ID).digest();

function assertion(counter: number) {
  const challenge = b64u(randomBytes(32));
  const flags = Buffer.from([0x05]); // user present, user verified
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  const authData = Buffer.concat([rpIdHash, flags, count]);
  const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: ORIGIN, crossOrigin: false }));
  const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
  const signature = sign('sha256', signed, privateKey);
  return {
    challenge,
    signed,
    signature,
    response: {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: { authenticatorData: b64u(authData), clientDataJSON: b64u(clientData), signature: b64u(signature) },
    },
  };
}

/**
 * The library verifies through WebCrypto (importKey, digest, verify: each a hop to libuv's thread
 * pool), so one at a time mostly waits; a server verifies many sign-ins at once. CONCURRENCY
 * assertions are in flight, as concurrent sign-in requests would be.
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function passkeys(): Promise<{ lib: number; raw: number }> {
  const items = Array.from({ length: N }, (_, i) => assertion(i + 1));
  let t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const i = next++;
        const a = items[i]!;
        const r = await verifyAuthenticationResponse({
          response: a.response,
          expectedChallenge: a.challenge,
          expectedOrigin: ORIGIN,
          expectedRPID: RP_ID,
          credential: { id: credentialId, publicKey: cose, counter: i },
          requireUserVerification: true,
        });
        if (!r.verified) throw new Error('an assertion did not verify');
      }
    }),
  );
  const lib = N / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  for (const a of items) if (!verify('sha256', a.signed, publicKey, a.signature)) throw new Error('bad signature');
  const raw = N / ((performance.now() - t0) / 1000);
  return { lib, raw };
}

// ---- session look-ups -------------------------------------------------------------------------
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function sessions(p: Platform): Promise<{ find: number; select1: number; p99: number }> {
  const store = createSessionStore(p);
  const accounts = Array.from({ length: 200 }, () => randomUUID());
  for (const id of accounts) {
    await p.db.execute(sql`insert into identity.account (id, kind, citizen_id) values (${id}::uuid, 'citizen', ${randomUUID()}::uuid)`);
  }
  const tokens: string[] = [];
  // a table that is not empty: 20,000 sessions, some ended
  for (let i = 0; i < 100; i++) {
    const batch = await Promise.all(accounts.map((a) => store.start(a, 'passkey')));
    tokens.push(...batch);
  }
  await p.db.execute(sql`analyze identity.session`);
  const finds: number[] = [];
  const selects: number[] = [];
  for (let i = 0; i < N; i++) {
    const token = tokens[(i * 7919) % tokens.length]!;
    let t = performance.now();
    if (!(await store.find(token))) throw new Error('a live session was not found');
    finds.push(performance.now() - t);
    t = performance.now();
    await p.db.execute(sql`select 1`);
    selects.push(performance.now() - t);
  }
  return { find: median(finds), select1: median(selects), p99: percentile(finds, 99) };
}

/** p50 of GET /sign-in with and without a session cookie, alternating, one request at a time. */
async function pageWithSession(p: Platform, url: string): Promise<{ with: number; without: number }> {
  const accountId = randomUUID();
  await p.db.execute(sql`insert into identity.account (id, kind, display_name, agency, roles) values (${accountId}::uuid, 'official', '벤치', 'MOIS', '{case-worker}')`);
  const token = await createSessionStore(p).start(accountId, 'passkey');
  const cookie = `${cookieSettings(p.config.publicUrl).name}=${token}`;
  const get = async (headers: Record<string, string>) => {
    const t = performance.now();
    const res = await fetch(`${url}/sign-in`, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET /sign-in: ${res.status}`);
    return { ms: performance.now() - t, body };
  };
  // the session is really read: the page names the person
  if (!(await get({ cookie })).body.includes('벤치')) throw new Error('the page did not see the session');
  const withs: number[] = [];
  const withouts: number[] = [];
  for (let i = 0; i < N; i++) {
    withs.push((await get({ cookie })).ms);
    withouts.push((await get({})).ms);
  }
  return { with: median(withs), without: median(withouts) };
}

const scratch = await scratchDatabase();
let platform: Platform | undefined;
let app: Awaited<ReturnType<typeof buildApp>> | undefined;
try {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env = {
    DATABASE_URL: scratch.url,
    HANARO_DATA_DIR: '/tmp/hanaro-bench-identity',
    HANARO_MASTER_KEY: randomBytes(32).toString('base64'),
    HANARO_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    HANARO_PUBLIC_URL: url,
    HANARO_RATE_LIMIT: '100000000',
    LOG_LEVEL: 'warn',
  };
  platform = await createPlatform(await loadConfig(env), { modules });
  app = await buildApp(platform, { modules });
  await app.listen({ port, host: 'localhost' });
  const pages: Array<{ with: number; without: number }> = [];
  const pk: Array<{ lib: number; raw: number }> = [];
  const se: Array<{ find: number; select1: number; p99: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    pk.push(await passkeys());
    se.push(await sessions(platform));
    pages.push(await pageWithSession(platform, url));
  }
  const pageWith = median(pages.map((x) => x.with));
  const pageWithout = median(pages.map((x) => x.without));
  const lib = median(pk.map((x) => x.lib));
  const raw = median(pk.map((x) => x.raw));
  const find = median(se.map((x) => x.find));
  const select1 = median(se.map((x) => x.select1));
  console.log(`identity benchmark: ${ROUNDS} rounds of ${N}, medians; sessions on real PostgreSQL`);
  console.log(`  passkey assertion verification (simplewebauthn, ${CONCURRENCY} at once)  ${fmt(lib)}/s   bare ECDSA verify ${fmt(raw)}/s (ratio ${fmt(lib / raw, 2)})`);
  console.log(`    target >= 1,000/s                              ${lib >= 1000 ? 'PASS' : 'FAIL'}`);
  console.log(`  session look-up p50                              ${fmt(find, 3)} ms (p99 ${fmt(median(se.map((x) => x.p99)), 3)} ms)   select 1 p50 ${fmt(select1, 3)} ms`);
  console.log(`  GET /sign-in p50 with a session                  ${fmt(pageWith, 3)} ms   without ${fmt(pageWithout, 3)} ms (ratio ${fmt(pageWith / pageWithout, 2)}, added ${fmt(pageWith - pageWithout, 3)} ms)`);
  console.log(`    target < 1 ms added at p50                     ${pageWith - pageWithout < 1 && find < 1 ? 'PASS' : 'FAIL'}`);
} finally {
  await app?.close();
  await platform?.close();
  await scratch.drop();
}
