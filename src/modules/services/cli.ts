import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { calendarDate } from './cel-env.ts';
import { catalogueReady, listServices } from './catalogue.ts';
import { terminalProgress } from '../../platform/seed.ts';
import { explainText, optIn, optOut, outcomeText, screenCitizen, seoulDate } from './engine.ts';
import { scanPopulation } from './notices.ts';

const json = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);

function parseDay(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(calendarDate(text).getTime())) throw new InvalidArgumentError('expected a date, YYYY-MM-DD');
  return calendarDate(text);
}

/** `hanaro services …`: the catalogue, a citizen's eligibility, screening opt-in. */
export function servicesCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  cmd
    .command('list')
    .description('the catalogue: id, agency, kind and name')
    .option('--lang <ko|en>', 'language', 'ko')
    .option('--json', 'as JSON')
    .action(async (o: { lang: 'ko' | 'en'; json?: boolean }) => {
      const list = await open(async (p) => (await catalogueReady(p), listServices(p.db)));
      if (o.json) return json(list);
      for (const s of list) process.stdout.write(`${s.id}\t${s.agency}\t${s.kind}\t${s.name[o.lang]}\n`);
      process.stdout.write(`${list.length} services\n`);
    });

  cmd
    .command('eligibility')
    .description("a citizen's eligibility for every service, with the facts and clauses that decided (the citizen must have asked for benefit alerts)")
    .requiredOption('--citizen <id>', 'the citizen identifier')
    .option('--date <YYYY-MM-DD>', 'decide as on this day (default: today in Korea)', parseDay)
    .option('--lang <ko|en>', 'language', 'ko')
    .option('--all', 'also list the services the citizen is not eligible for')
    .option('--json', 'as JSON')
    .action(async (o: { citizen: string; date?: Date; lang: 'ko' | 'en'; all?: boolean; json?: boolean }) => {
      const { results } = await open((p) => screenCitizen(p, o.citizen, o.date ?? seoulDate()));
      const shown = o.all ? results : results.filter((r) => r.outcome !== 'not-eligible');
      if (o.json) return json(shown.map((r) => ({ id: r.service.id, name: r.service.name, outcome: r.outcome, ruleVersion: r.ruleVersion, explanation: r.explanation })));
      for (const r of shown) {
        process.stdout.write(`[${outcomeText(r.outcome, o.lang)}] ${r.service.name[o.lang]} (${r.service.id}, rule v${r.ruleVersion})\n`);
        for (const line of explainText(r.explanation, o.lang)) process.stdout.write(`    ${line}\n`);
      }
      const count = (k: string) => results.filter((r) => r.outcome === k).length;
      process.stdout.write(o.lang === 'ko'
        ? `대상 ${count('eligible')}, 확인 필요 ${count('possibly-eligible')}, 대상 아님 ${count('not-eligible')} (서비스 ${results.length}개)\n`
        : `eligible ${count('eligible')}, possibly eligible ${count('possibly-eligible')}, not eligible ${count('not-eligible')} (${results.length} services)\n`);
    });

  cmd
    .command('scan')
    .description('screen every citizen who asked for benefit alerts and tell each about the services they are newly eligible for')
    .option('--date <YYYY-MM-DD>', 'decide as on this day (default: today in Korea)', parseDay)
    .option('--limit <n>', 'at most this many citizens', (v) => Number.parseInt(v, 10))
    .option('--concurrency <n>', 'mediated reads at once, for citizens without a fresh snapshot', (v) => Number.parseInt(v, 10), 8)
    .option('--refresh-days <n>', 'read a citizen again through the mediator when their snapshot is older', (v) => Number.parseInt(v, 10), 7)
    .action(async (o: { date?: Date; limit?: number; concurrency: number; refreshDays: number }) => {
      const progress = await terminalProgress(process.stdout.isTTY ?? false);
      let started = false;
      let shown = 0;
      const t0 = performance.now();
      const r = await open((p) =>
        scanPopulation(p, {
          day: o.date,
          limit: o.limit,
          concurrency: o.concurrency,
          refreshDays: o.refreshDays,
          onProgress(done, total) {
            if (!started) progress.start(total, 'screening');
            started = true;
            progress.increment(done - shown);
            shown = done;
          },
        }),
      );
      progress.stop();
      process.stdout.write(`screened ${r.screened} citizens (${r.read} read through the mediator, the rest from their snapshots) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${r.rulesDecided} rules decided, ${r.notices} new notices queued for the worker\n`);
    });

  const screening = cmd.command('screening').description("a citizen's request for benefit alerts (혜택 알리미)");
  screening
    .command('opt-in')
    .requiredOption('--citizen <id>', 'the citizen identifier')
    .action(async (o: { citizen: string }) => {
      await open((p) => optIn(p.db, o.citizen));
      process.stdout.write('opted in\n');
    });
  screening
    .command('opt-out')
    .requiredOption('--citizen <id>', 'the citizen identifier')
    .action(async (o: { citizen: string }) => {
      await open((p) => optOut(p.db, o.citizen));
      process.stdout.write('opted out\n');
    });
}
