/**
 * MyData's consent check on the mediated hot path, against real PostgreSQL. The same client
 * (KR/GOV/MOHW/welfare-services) reads the same fields of the same citizens' income records
 * through the mediator (signed, access-checked, logged, with access records), once without a
 * consent and once naming the citizen's consent (X-Hanaro-Consent), which makes the mediator ask
 * the consent gate (one group-called query per batch, read fresh every time so that a withdrawal
 * counts on the next request). Target: throughput with the check at least 0.8x without it.
 *
 * In-process (mediatedCall, BENCH_CONCURRENCY callers, default 50): both sides pay the client's
 * signature too, which an HTTP client would pay on its own machine, so the ratio is if anything
 * pessimistic. BENCH_ROUNDS rounds (default 5) of BENCH_SECONDS (default 8) alternate the two;
 * medians are printed. BENCH_CITIZENS (default 3,000) are seeded.
 */
import { sql } from 'drizzle-orm';
import { rows } from '../src/platform/db.ts';
import { runSeeders } from '../src/platform/seed.ts';
import { modules } from '../src/modules/index.ts';
import { createClientKey } from '../src/modules/exchange/client-keys.ts';
import { mediatedCall } from '../src/modules/exchange/index.ts';
import { createAgreement, createRecipient } from '../src/modules/mydata/agreements.ts';
import { giveConsent } from '../src/modules/mydata/consents.ts';
import { benchServer, fmt, median } from './lib.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const citizens = process.env.BENCH_CITIZENS ?? '3000';
const CLIENT = 'KR/GOV/MOHW/welfare-services';
const SERVICE = 'KR/GOV/MOHW/welfare-registry/income';
const FIELDS = ['householdSize', 'monthlyIncome', 'medianIncomePercent'];

const server = await benchServer('mydata');
const p = server.platform;
try {
  const t0 = performance.now();
  await runSeeders(p, modules, { seed: 20260101, options: { citizens } });
  console.log(`seeded ${citizens} citizens in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  await createClientKey(p, CLIENT, { keepPrivate: true });
  const ids = (
    await rows<{ subject_id: string }>(
      p.db,
      sql`select r.subject_id from registries.record r join registries.registry g on g.id = r.registry_id where g.code = 'income' order by r.id limit 1000`,
    )
  ).map((r) => r.subject_id);
  if (ids.length < 100) throw new Error(`only ${ids.length} income records were seeded`);
  await createRecipient(p, { id: 'bench-welfare', kind: 'agency', name: { ko: '복지 서비스', en: 'Welfare services' }, clientId: CLIENT }, 'bench');
  const agreement = await createAgreement(
    p,
    { recipientId: 'bench-welfare', purpose: { ko: '벤치마크', en: 'Benchmark' }, lawfulBasis: 'consent', items: [{ service: SERVICE, items: FIELDS }], modes: ['periodic'], maxValidityDays: 30, retentionDays: 0 },
    'bench',
  );
  const consents = new Map<string, string>();
  for (const id of ids) consents.set(id, (await giveConsent(p, id, { agreementId: agreement.id, mode: 'periodic', intervalDays: 1 })).record.id);
  const path = `/records?fields=${FIELDS.join(',')}`;

  async function round(withConsent: boolean): Promise<{ rps: number; p95: number }> {
    const until = performance.now() + seconds * 1000;
    const lat: number[] = [];
    let n = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        for (let i = w; performance.now() < until; i += concurrency) {
          const id = ids[i % ids.length]!;
          const s = performance.now();
          const res = await mediatedCall(p, { client: CLIENT, service: SERVICE, path, userId: id, issue: 'bench: 기초연금 심사', ...(withConsent ? { consent: consents.get(id)! } : {}) });
          if (res.status !== 200) throw new Error(`${withConsent ? 'with' : 'without'} consent: ${res.status} ${JSON.stringify(res.body)}`);
          lat.push(performance.now() - s);
          n++;
        }
      }),
    );
    lat.sort((a, b) => a - b);
    return { rps: n / seconds, p95: lat[Math.floor(lat.length * 0.95)] ?? Number.NaN };
  }

  // warm-up of both
  await round(false);
  await round(true);
  const without: Array<{ rps: number; p95: number }> = [];
  const withC: Array<{ rps: number; p95: number }> = [];
  for (let i = 0; i < rounds; i++) {
    without.push(await round(false));
    withC.push(await round(true));
  }
  const a = median(without.map((r) => r.rps));
  const b = median(withC.map((r) => r.rps));
  console.log(`mydata consent-check benchmark: real PostgreSQL, in-process mediated reads, ${concurrency} concurrent, ${rounds} rounds of ${seconds} s, medians`);
  console.log(`  mediated read without consent   ${fmt(a)} req/s   p95 ${fmt(median(without.map((r) => r.p95)), 1)} ms`);
  console.log(`  mediated read under consent     ${fmt(b)} req/s   p95 ${fmt(median(withC.map((r) => r.p95)), 1)} ms`);
  console.log(`    ratio ${fmt(b / a, 2)} (target >= 0.80) ${b / a >= 0.8 ? 'PASS' : 'FAIL'}`);
  const [logged] = await rows<{ n: number }>(p.db, sql`select count(*)::int as n from platform.data_access where consent_id is not null`);
  console.log(`  access records naming a consent: ${fmt(Number(logged!.n))}`);
} finally {
  await server.close();
}
