// A worker process for the kill -9 test (worker.test.ts): runs `kill.effect` jobs until it is
// killed. Each handler writes one effect row, reports it on stdout and lingers a little inside
// its transaction; one run hangs there, and the parent kills the process when it reports that.
//   KILL_DATABASE_URL  PostgreSQL to use, or
//   KILL_DATA_DIR      folder of a file-backed PGlite (the parent must not have it open)
//   KILL_LEASE_MS      lease of claimed jobs
//   KILL_HANG_AT       the run (1, 2, …) of this process that stops inside its transaction
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../db.ts';
import { createLogger } from '../log.ts';
import type { JobHandler } from '../outbox.ts';
import { startWorker } from '../worker.ts';
import { insertEffect, sleep } from './outbox-helpers.ts';

/**
 * The handler under test. `report` hears of each run after its effect is written and before its
 * transaction commits. Run number `hangAt` of this process never finishes: the kill then
 * certainly lands inside an open transaction, while the other runs are wherever they are.
 */
export function killHandlers(report: (line: string) => void, hangAt = Infinity): Record<string, JobHandler> {
  let runs = 0;
  return {
    'kill.effect': async (job, tx) => {
      await insertEffect(tx, job.id, 'kill', 'kill_effects');
      if (++runs === hangAt) {
        report(`hang ${job.id}`);
        await new Promise(() => {});
      }
      report(`ran ${job.id}`);
      await sleep(5);
    },
  };
}

async function main(): Promise<void> {
  const database = await openDatabase({
    databaseUrl: process.env.KILL_DATABASE_URL || undefined,
    dataDir: process.env.KILL_DATA_DIR ?? 'memory://',
    poolMax: 6,
  });
  const report = (line: string) => void process.stdout.write(`${line}\n`);
  startWorker({ db: database.db, log: createLogger('silent') }, killHandlers(report, Number(process.env.KILL_HANG_AT)), {
    concurrency: 4,
    pollMs: 20,
    leaseMs: Number(process.env.KILL_LEASE_MS ?? 2000),
  });
  process.stdout.write('started\n');
}

// run only as a script: the test imports this file for `killHandlers`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
