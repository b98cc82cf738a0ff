/**
 * Start-up and memory: first `npm start` on a fresh data folder (migrations, keys, demo seed)
 * to a 200 from /readyz (target < 40 s), a later start (target < 8 s), and idle RSS after the
 * later start settles (target < 300 MB). Baseline in the same run: a bare Fastify hello-world
 * started the same way (tsx), so the figures can be read against this machine's speed today.
 * The first start uses an empty TMPDIR so tsx's compile cache is cold, as on a fresh machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fmt, freePort, median, root, rssMb, run, waitFor } from './lib.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const tsx = path.join(root, 'node_modules/.bin/tsx');
const npm = process.env.npm_execpath ? process.execPath : 'npm';
const npmArgs = process.env.npm_execpath ? [process.env.npm_execpath, 'start'] : ['start'];

async function timeStart(env: Record<string, string>, ready: string): Promise<{ ms: number; pid: number; stop: () => Promise<void> }> {
  const t0 = performance.now();
  const p = run(npm, npmArgs, { LOG_LEVEL: 'warn', ...env });
  try {
    await waitFor(ready, 120_000);
  } catch (e) {
    await p.stop();
    throw new Error(`${(e as Error).message}\n${p.output()}`);
  }
  return { ms: performance.now() - t0, pid: p.child.pid!, stop: p.stop };
}

/** npm runs node (through a shell) as a child; the RSS that matters is the node process serving requests. */
async function serverPid(pid: number): Promise<number> {
  const { spawnSync } = await import('node:child_process');
  for (let depth = 0; depth < 4; depth++) {
    const me = spawnSync('ps', ['-o', 'args=', '-p', String(pid)]).stdout.toString();
    if (/^\S*node\S* .*bin\/hanaro\.js start/.test(me.trim())) return pid;
    const kids = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]).stdout.toString().trim().split('\n');
    const next = kids.map((l) => l.trim().split(/\s+/, 2)).find(([, cmd]) => cmd !== undefined && !/esbuild/.test(cmd));
    if (!next) break;
    pid = Number(next[0]);
  }
  return pid;
}

const firsts: number[] = [];
const laters: number[] = [];
const rss: number[] = [];
const bases: number[] = [];
for (let i = 0; i < rounds; i++) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hanaro-bench-data-'));
  const cold = await mkdtemp(path.join(tmpdir(), 'hanaro-bench-tmp-'));
  try {
    const port = await freePort();
    const env = { HANARO_DATA_DIR: dataDir, PORT: String(port) };
    const ready = `http://127.0.0.1:${port}/readyz`;
    const first = await timeStart({ ...env, TMPDIR: cold }, ready);
    firsts.push(first.ms);
    await first.stop();
    const later = await timeStart(env, ready);
    laters.push(later.ms);
    await new Promise((r) => setTimeout(r, 5000));
    rss.push(await rssMb(await serverPid(later.pid)));
    await later.stop();

    const hport = await freePort();
    const t0 = performance.now();
    const hello = run(tsx, ['bench/hello.ts'], { PORT: String(hport) });
    await waitFor(`http://127.0.0.1:${hport}/`, 30_000);
    bases.push(performance.now() - t0);
    await hello.stop();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(cold, { recursive: true, force: true });
  }
}
const base = median(bases);
const f = median(firsts);
const l = median(laters);
const r = median(rss);
console.log(`startup benchmark: ${rounds} rounds, medians (embedded PGlite)`);
console.log(`  baseline bare Fastify start (tsx)   ${fmt(base)} ms`);
console.log(`  first npm start to /readyz 200      ${fmt(f)} ms   ratio ${fmt(f / base, 1)}   (target < 40,000 ms) ${f < 40_000 ? 'PASS' : 'FAIL'}`);
console.log(`  later npm start to /readyz 200      ${fmt(l)} ms   ratio ${fmt(l / base, 1)}   (target < 8,000 ms) ${l < 8000 ? 'PASS' : 'FAIL'}`);
console.log(`  idle RSS 5 s after a later start    ${fmt(r)} MB                 (target < 300 MB) ${r < 300 ? 'PASS' : 'FAIL'}`);
