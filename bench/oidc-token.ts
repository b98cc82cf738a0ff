/**
 * The token endpoint (issue 4: ≥ 800 req/s): POST /oidc/token with `grant_type=refresh_token`
 * and client_secret_basic, on real PostgreSQL, the server in this process on a free port. Each
 * refresh token is single use (rotation), so the script first mints BENCH_TOKENS of them through
 * the provider's own models for one account, grant and client (as a completed sign-in leaves
 * them), then sends each once with autocannon. Baseline in the same run: /healthz.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { createClient } from '../src/modules/identity/clients.ts';
import { createProvider } from '../src/modules/identity/oidc.ts';
import { benchServer, fmt } from './lib.ts';

type Options = Parameters<typeof autocannon>[0];
const TOKENS = Number(process.env.BENCH_TOKENS ?? 12000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

const { platform, app, url, close } = await benchServer('oidc');
try {
  const { clientId, clientSecret } = await createClient(platform, { name: 'bench', redirectUris: ['https://rp.example/cb'], publicAgency: true });
  const accountId = randomUUID();
  await platform.db.execute(sql`insert into identity.account (id, kind, citizen_id) values (${accountId}::uuid, 'citizen', ${randomUUID()}::uuid)`);

  // a second provider instance on the same storage mints what a completed sign-in would have left
  const provider = await createProvider(platform);
  const client = await provider.Client.find(clientId);
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope('openid');
  const grantId = await grant.save();
  const tokens: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < TOKENS; i++) {
    const rt = new provider.RefreshToken({ accountId, client: client!, grantId, gty: 'authorization_code', scope: 'openid', rotations: 0, authTime: Math.floor(Date.now() / 1000) } as never);
    tokens.push(await rt.save());
  }
  console.log(`minted ${fmt(TOKENS)} refresh tokens in ${fmt((performance.now() - t0) / 1000, 1)} s`);

  const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  const requests = tokens.map((t) => ({
    method: 'POST',
    path: '/oidc/token',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t }).toString(),
  }));
  // one check first: a real answer, not a count
  const first = requests.shift()!;
  const res = await fetch(`${url}${first.path}`, { method: 'POST', headers: first.headers, body: first.body });
  if (!res.ok) throw new Error(`token endpoint: ${res.status} ${await res.text()}`);

  const health = await autocannon({ url, connections, duration: 5, requests: [{ method: 'GET', path: '/healthz' }] } as unknown as Options);
  // each token once: autocannon's request list repeats per connection, so one request template
  // takes the next token from the shared pool as it is sent
  let next = 0;
  const template = {
    method: 'POST',
    path: '/oidc/token',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    setupRequest: (req: Record<string, unknown>) => ({ ...req, body: requests[next++ % requests.length]!.body }),
  };
  // timed from the first request to the last response: autocannon ends a fixed amount only at its
  // next one-second tick, which would round the time up
  const started = performance.now();
  let lastResponse = started;
  const run = autocannon({ url, connections, amount: requests.length, requests: [template] } as unknown as Options) as unknown as Promise<Awaited<ReturnType<typeof autocannon>>> & {
    on(event: 'response', listener: () => void): void;
  };
  run.on('response', () => void (lastResponse = performance.now()));
  const r = await run;
  const seconds = (lastResponse - started) / 1000;
  const ok = (r as unknown as Record<string, number>)['2xx'] ?? 0;
  // a fixed amount: the rate is what was sent over how long it took, measured here (autocannon's
  // per-second average counts the last, partial second as a whole one)
  const rate = r.requests.total / seconds;
  console.log(`token endpoint benchmark: real PostgreSQL, ${connections} connections, ${fmt(requests.length)} refresh-token requests`);
  console.log(`  /healthz (for scale)                    ${fmt(health.requests.average)} req/s   p99 ${fmt(health.latency.p99)} ms`);
  console.log(`  POST /oidc/token (refresh, rotated)     ${fmt(rate)} req/s   p50 ${fmt(r.latency.p50)} ms   p99 ${fmt(r.latency.p99)} ms   (${fmt(ok)} ok, ${fmt(r.non2xx)} not, ${fmt(seconds, 1)} s)`);
  console.log(`    target >= 800 req/s                   ${rate >= 800 && !r.non2xx ? 'PASS' : 'FAIL'}`);
} finally {
  await close();
}
