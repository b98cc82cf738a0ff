/**
 * The population scan (issue 7's speed target), on real PostgreSQL: N opted-in citizens (default
 * 1,000,000), each with a snapshot of what the registries answered (encrypted like the real
 * ones), scanned by `scanPopulation` against every service of the catalogue. Target: 1,000,000
 * citizens within 5 minutes. Printed beside it, measured in the same run: the floor, reading and
 * decrypting every snapshot and building the facts without deciding anything.
 *
 * Two scans: the first finds everyone's benefits for the first time and records and queues their
 * notices; the second is the daily steady state (everything decided again, nothing new to tell),
 * after a VACUUM ANALYZE standing for the day between them (autovacuum's work on the first scan's
 * ten million notices would otherwise run during the second).
 *
 *   npx tsx bench/services-scan.ts [--citizens 1000000]
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { exchangeModule } from '../src/modules/exchange/index.ts';
import { identityModule } from '../src/modules/identity/index.ts';
import { notifyModule } from '../src/modules/notify/index.ts';
import { registriesModule } from '../src/modules/registries/index.ts';
import { catalogueReady } from '../src/modules/services/catalogue.ts';
import { seoulDate } from '../src/modules/services/engine.ts';
import { factsFrom, openSnapshot } from '../src/modules/services/facts-source.ts';
import { servicesModule } from '../src/modules/services/index.ts';
import { scanPopulation } from '../src/modules/services/notices.ts';
import { loadConfig } from '../src/platform/config.ts';
import { arrayLiteral, rows } from '../src/platform/db.ts';
import { createLogger } from '../src/platform/log.ts';
import { createPlatform } from '../src/platform/platform.ts';
import { fmt, scratchDatabase } from './lib.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg('citizens') ?? 1_000_000);

let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
const SIDO = ['서울특별시', '부산광역시', '대구광역시', '인천광역시', '광주광역시', '대전광역시', '경기도', '강원특별자치도', '충청남도', '전라남도', '경상북도', '경상남도', '제주특별자치도'];
const SIGUNGU: Record<string, string[]> = { 서울특별시: ['강남구', '마포구', '노원구'], 부산광역시: ['해운대구', '부산진구'], 경기도: ['수원시', '성남시', '고양시'], 전라남도: ['해남군', '순천시'], 제주특별자치도: ['제주시', '서귀포시'] };
const iso = (d: Date) => d.toISOString().slice(0, 10);
const today = seoulDate();
const daysFrom = (n: number) => iso(new Date(today.getTime() + n * 86_400_000));

/** What the registries would answer about one synthetic citizen (the shape facts-source.ts keeps). */
function answersOf(): { answers: Record<string, unknown[]>; children: unknown[] } {
  const age = Math.floor(rnd() * 90);
  const sido = pick(SIDO);
  const married = age > 25 && rnd() < 0.6;
  const kids = age >= 24 && age < 65 ? Math.floor(rnd() * 4) : 0;
  const children = Array.from({ length: kids }, () => ({ birthDate: daysFrom(-Math.floor(rnd() * 18 * 365)) }));
  const answers: Record<string, unknown[]> = {
    resident: [{ sex: pick(['M', 'F']), birthDate: daysFrom(-age * 365 - Math.floor(rnd() * 365)), nationality: 'KR', sido, sigungu: pick(SIGUNGU[sido] ?? ['중구']), householdRole: 'head', moveInDate: daysFrom(-Math.floor(rnd() * 3000)), status: 'active' }],
    family: [{ children: children.map(() => randomUUID()), maritalStatus: married ? 'married' : pick(['single', 'divorced', 'widowed']) }],
    income: [{ householdSize: 1 + kids + (married ? 1 : 0), monthlyIncome: Math.floor(rnd() * 9_000_000), assets: Math.floor(rnd() * 400_000_000), medianIncomePercent: Math.floor(rnd() * 200), occupation: '회사원', employmentType: pick(['employee', 'self-employed', 'unemployed', 'retired', 'student', 'homemaker']) }],
    disability: rnd() < 0.05 ? [{ disabilityType: 'physical', severity: pick(['severe', 'mild']) }] : [],
    veteran: rnd() < 0.02 ? [{ category: 'war-veteran' }] : [],
    'health-insurance': [{ insuredType: pick(['employee', 'self-employed', 'dependent']), status: 'insured', monthlyPremium: Math.floor(rnd() * 300_000), nextCheckupDue: daysFrom(Math.floor(rnd() * 700) - 30) }],
    tax: [{ arrears: rnd() < 0.05 ? 1_000_000 : 0, totalPaid: Math.floor(rnd() * 5_000_000) }],
    licence: age >= 18 && rnd() < 0.6 ? [{ licenceClass: 'class2-ordinary', status: 'valid', renewalDue: daysFrom(Math.floor(rnd() * 3650) - 30) }] : [],
    vehicle: age >= 18 && rnd() < 0.4 ? [{ plateNumber: '12가3456', modelYear: 2015, nextInspectionDue: daysFrom(Math.floor(rnd() * 730) - 30) }] : [],
    business: rnd() < 0.08 ? [{ status: 'active', openingDate: daysFrom(-Math.floor(rnd() * 4000)) }] : [],
  };
  return { answers, children };
}

async function main() {
  const db = await scratchDatabase();
  const config = await loadConfig({ DATABASE_URL: db.url, HANARO_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const platform = await createPlatform(config, { modules: [registriesModule, exchangeModule, identityModule, notifyModule, servicesModule], logger: createLogger('silent') });
  try {
    await catalogueReady(platform);
    const t0 = performance.now();
    for (let i = 0; i < N; i += 5000) {
      const ids = Array.from({ length: Math.min(5000, N - i) }, () => randomUUID());
      const enc = ids.map((id) => platform.crypto.encrypt(JSON.stringify(answersOf()), `services.facts:${id}`));
      await platform.db.transaction(async (tx) => {
        await tx.execute(sql`insert into services.screening (citizen_id) select unnest(${arrayLiteral(ids)}::uuid[])`);
        await tx.execute(sql`insert into services.facts_snapshot (citizen_id, answers_enc) select * from unnest(${arrayLiteral(ids)}::uuid[], ${arrayLiteral(enc)}::text[])`);
      });
      if ((i / 5000) % 20 === 0) process.stdout.write(`  citizens written: ${fmt(i)} / ${fmt(N)}\n`);
    }
    await platform.db.execute(sql`analyze services.screening`);
    await platform.db.execute(sql`analyze services.facts_snapshot`);
    console.log(`${fmt(N)} opted-in citizens with encrypted snapshots written in ${fmt((performance.now() - t0) / 1000, 1)} s`);

    // ---- the floor: read, decrypt and build the facts, decide nothing ----
    const tf = performance.now();
    let last = '00000000-0000-0000-0000-000000000000';
    let seen = 0;
    for (;;) {
      const page = await rows<{ id: string; answers_enc: string }>(platform.db, sql`select citizen_id::text as id, answers_enc from services.facts_snapshot where citizen_id > ${last}::uuid order by citizen_id limit 2000`);
      if (!page.length) break;
      last = page[page.length - 1]!.id;
      for (const r of page) {
        const a = openSnapshot(platform, r.id, r.answers_enc);
        factsFrom(a.answers, a.children, today);
      }
      seen += page.length;
    }
    const floor = (performance.now() - tf) / 1000;
    console.log(`floor (read, decrypt, build facts; no rules): ${fmt(seen)} citizens in ${fmt(floor, 1)} s`);

    for (const label of ['first scan (everyone told for the first time)', 'second scan (daily steady state)']) {
      if (label.startsWith('second')) {
        // the day between two scans: the server's autovacuum has long since processed the first
        // scan's ten million notices (measured separately, not part of the scan)
        const tv = performance.now();
        await platform.db.execute(sql`vacuum (analyze) services.notice`);
        await platform.db.execute(sql`vacuum (analyze) platform.outbox`);
        console.log(`  (vacuum analyze of the notices and the outbox between the scans: ${fmt((performance.now() - tv) / 1000, 1)} s)`);
      }
      const ts = performance.now();
      let mark = 0;
      const r = await scanPopulation(platform, {
        onProgress(done, total) {
          if (done - mark >= total / 10 || done === total) {
            mark = done;
            process.stdout.write(`  ${label}: ${fmt(done)} / ${fmt(total)} (${fmt((performance.now() - ts) / 1000, 0)} s)\n`);
          }
        },
      });
      const s = (performance.now() - ts) / 1000;
      const at1m = (s * 1_000_000) / r.screened;
      console.log(`${label}: ${fmt(r.screened)} citizens, ${fmt(r.rulesDecided)} rules decided, ${fmt(r.notices)} notices recorded and queued, in ${fmt(s, 1)} s (${fmt(r.screened / s)} citizens/s; floor ${fmt(floor, 1)} s, ratio ${fmt(s / floor, 1)})`);
      console.log(`  at 1,000,000 citizens: ${fmt(at1m)} s; target < 300 s: ${at1m < 300 ? 'PASS' : 'FAIL'}`);
    }
  } finally {
    await platform.close();
    await db.drop();
  }
}

await main();
