/**
 * The assistant (issue 9's speed targets), without an LLM:
 *
 * - memory: the heap the models take (the service index, the intent model, the FAQ), built in
 *   this process with the garbage collector run before and after. Target: < 300 MB.
 * - latency and throughput over HTTP: a whole Hanaro on the real PostgreSQL server, 20
 *   conversations at once, each message a new conversation of three turns (so sessions are
 *   written and read as in use), for DURATION seconds; p50/p95 per reply and replies/s. Targets:
 *   p95 < 50 ms, >= 500 replies/s. Baseline in the same run and the same loop: GET /healthz.
 *
 *   NODE_OPTIONS=--expose-gc npx tsx bench/assistant.ts [--duration 15]
 */
import { SHIPPED_SERVICES } from '../src/modules/services/catalogue.ts';
import { Assistant } from '../src/modules/assistant/respond.ts';
import { benchServer, fmt } from './lib.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const DURATION = Number(arg('duration') ?? 15);
const CONCURRENCY = 20;

const QUESTIONS = [
  '아이가 태어났는데 뭐 받을 수 있어요?', 'I just moved to Busan, what should I do?', '부모급여 얼마예요', '기초연금 받을수있나요', 'when is my car inspection due?',
  '실직했어요 ㅠ', '청년 월세 지원 있나요?', '여권 발급 서류', 'hi', '오늘 날씨 어때', '근로장려금 신청 기한', 'my street light is broken',
];

// ---- the load, in a process of its own (so that the client does not take the server's event loop) ----
async function load(url: string, kind: 'baseline' | 'chat'): Promise<{ perSecond: number; p50: number; p95: number; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      let i = w;
      let session: string | undefined;
      while (Date.now() < end) {
        const s = performance.now();
        try {
          if (kind === 'baseline') {
            const r = await fetch(`${url}/healthz`);
            await r.arrayBuffer();
            if (!r.ok) throw new Error(String(r.status));
          } else {
            // a conversation of three turns, then a new one
            const r = await fetch(`${url}/api/assistant/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: QUESTIONS[i % QUESTIONS.length], ...(i % 3 !== 0 && session ? { sessionId: session } : {}) }) });
            const body = (await r.json()) as { sessionId?: string };
            if (!r.ok) throw new Error(String(r.status));
            session = body.sessionId;
          }
        } catch {
          errors++;
        }
        latencies.push(performance.now() - s);
        i += CONCURRENCY;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / DURATION, p50: latencies[Math.floor(latencies.length * 0.5)]!, p95: latencies[Math.floor(latencies.length * 0.95)]!, errors };
}

if (process.argv.includes('--client')) {
  const url = arg('url')!;
  process.stdout.write(`${JSON.stringify(await load(url, arg('kind') as 'baseline' | 'chat'))}\n`);
  process.exit(0);
}

// ---- memory ----
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.warn('run with NODE_OPTIONS=--expose-gc for the memory figure');
gc?.();
const before = process.memoryUsage().heapUsed;
const t0 = performance.now();
const assistant = Assistant.build(SHIPPED_SERVICES as never);
const buildMs = performance.now() - t0;
gc?.();
const modelMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
console.log(`models: ${fmt(modelMb, 1)} MB of heap (target < 300 MB); built in ${fmt(buildMs)} ms; ${assistant.model.size} intent features, ${assistant.index.size} services`);

// ---- HTTP ----
const server = await benchServer('assistant');
try {
  // warm up: the model trains on the first message
  await fetch(`${server.url}/api/assistant/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '안녕하세요' }) });

  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  // the server keeps serving in this process while the client runs in another (not spawnSync: that would stop this one)
  const remote = async (kind: 'baseline' | 'chat') => {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/assistant.ts', '--client', '--url', server.url, '--kind', kind, '--duration', String(DURATION)], { encoding: 'utf8' });
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { perSecond: number; p50: number; p95: number; errors: number };
  };
  const baseline = await remote('baseline');
  const chat = await remote('chat');
  console.log(`baseline GET /healthz: ${fmt(baseline.perSecond)}/s, p50 ${fmt(baseline.p50, 1)} ms, p95 ${fmt(baseline.p95, 1)} ms`);
  console.log(`assistant replies (${CONCURRENCY} conversations): ${fmt(chat.perSecond)}/s (target >= 500), p50 ${fmt(chat.p50, 1)} ms, p95 ${fmt(chat.p95, 1)} ms (target < 50 ms), errors ${chat.errors}`);
  console.log(`ratio to baseline: ${fmt(chat.perSecond / baseline.perSecond, 2)} of its throughput`);
} finally {
  await server.close();
}
