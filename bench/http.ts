/**
 * Throughput of /healthz against a bare Fastify hello-world (target: at least half), and of the
 * home page (target: 2,000 req/s), as Chromium asks for it (brotli), gzip only and uncompressed. Servers run in their own processes; autocannon here with one
 * connection per core. Each figure is the median of several rounds that alternate the servers,
 * so a noisy neighbour hits both alike.
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import { fmt, freePort, median, root, run, waitFor } from './lib.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const duration = Number(process.env.BENCH_SECONDS ?? 8);
const connections = cpus().length;

async function rps(url: string, headers: Record<string, string> = {}): Promise<number> {
  const r = await autocannon({ url, connections, duration, headers });
  if (r.errors || r.non2xx) throw new Error(`${url}: ${r.errors} errors, ${r.non2xx} non-2xx answers`);
  return r.requests.average;
}

const tsx = path.join(root, 'node_modules/.bin/tsx');
const dataDir = await mkdtemp(path.join(tmpdir(), 'hanaro-bench-'));
const helloPort = await freePort();
const hanaroPort = await freePort();
const hello = run(tsx, ['bench/hello.ts'], { PORT: String(helloPort) });
// the rate limit is a per-client guard; a load test from one address would trip it
// through `npm start`, so the figures are those of the command people run (with its node flags)
const npm = process.env.npm_execpath ? process.execPath : 'npm';
const npmArgs = process.env.npm_execpath ? [process.env.npm_execpath, 'start'] : ['start'];
const hanaro = run(npm, [...npmArgs, '--', '--role', 'api'], {
  PORT: String(hanaroPort),
  HANARO_DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  HANARO_RATE_LIMIT: '100000000',
});
try {
  await waitFor(`http://127.0.0.1:${helloPort}/`, 30_000);
  await waitFor(`http://127.0.0.1:${hanaroPort}/readyz`, 120_000);
  // warm up both (JIT, caches)
  await autocannon({ url: `http://127.0.0.1:${helloPort}/`, connections, duration: 2 });
  await autocannon({ url: `http://127.0.0.1:${hanaroPort}/healthz`, connections, duration: 2 });
  await autocannon({ url: `http://127.0.0.1:${hanaroPort}/`, connections, duration: 2 });
  const base: number[] = [];
  const health: number[] = [];
  const home: number[] = [];
  const homePlain: number[] = [];
  const homeGzip: number[] = [];
  for (let i = 0; i < rounds; i++) {
    base.push(await rps(`http://127.0.0.1:${helloPort}/`));
    health.push(await rps(`http://127.0.0.1:${hanaroPort}/healthz`));
    // what Chromium sends; Hanaro answers kept pages with brotli (made once, quality 11)
    home.push(await rps(`http://127.0.0.1:${hanaroPort}/`, { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br, zstd' }));
    homePlain.push(await rps(`http://127.0.0.1:${hanaroPort}/`, { accept: 'text/html' }));
    // a client that takes gzip only
    homeGzip.push(await rps(`http://127.0.0.1:${hanaroPort}/`, { accept: 'text/html', 'accept-encoding': 'gzip' }));
  }
  const b = median(base);
  const h = median(health);
  const p = median(home);
  const pp = median(homePlain);
  const pg = median(homeGzip);
  console.log(`http benchmark: ${connections} connections, ${rounds} rounds of ${duration} s, medians`);
  console.log(`  baseline bare Fastify hello-world   ${fmt(b)} req/s`);
  console.log(`  Hanaro /healthz                     ${fmt(h)} req/s   ratio ${fmt(h / b, 2)} (target >= 0.50) ${h / b >= 0.5 ? 'PASS' : 'FAIL'}`);
  console.log(`  Hanaro home page (ko, as Chromium)  ${fmt(p)} req/s   ratio ${fmt(p / b, 2)} (target >= 2,000 req/s) ${p >= 2000 ? 'PASS' : 'FAIL'}`);
  console.log(`  Hanaro home page (ko, gzip only)    ${fmt(pg)} req/s   ratio ${fmt(pg / b, 2)} (target >= 2,000 req/s) ${pg >= 2000 ? 'PASS' : 'FAIL'}`);
  console.log(`  Hanaro home page (ko, uncompressed) ${fmt(pp)} req/s   ratio ${fmt(pp / b, 2)} (target >= 2,000 req/s) ${pp >= 2000 ? 'PASS' : 'FAIL'}`);
} finally {
  await Promise.all([hello.stop(), hanaro.stop()]);
  await rm(dataDir, { recursive: true, force: true });
}
