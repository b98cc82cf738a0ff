import { userInfo } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { mdocCertificates, rotateMdocKeys } from './modules/credentials/index.ts';
import { modules } from './modules/index.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { createPlatform, type Platform } from './platform/platform.ts';
import { pendingMigrations } from './platform/migrate.ts';
import { DatabaseBusyError } from './platform/db.ts';
import { runSeeders } from './platform/seed.ts';
import { moduleHandlers, startWorker, workerMetrics, type Worker } from './platform/worker.ts';
import { periodicHandlers, periodicTasks, schedulePeriodic } from './platform/periodic.ts';
import { outboxStats, releaseOrphanedLeases, retryDead } from './platform/outbox.ts';

export type Role = 'api' | 'worker' | 'all';


const intArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
};

async function withPlatform<T>(fn: (p: Platform) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const config = await loadConfig();
  const platform = await createPlatform(config, { modules, migrate: opts.migrate });
  try {
    return await fn(platform);
  } finally {
    await platform.close();
  }
}

export interface Running {
  app?: FastifyInstance;
  worker?: Worker;
  platform: Platform;
  /** Graceful stop: no new requests or jobs; in-flight ones finish; then the database closes. */
  stop(): Promise<void>;
}

/** Starts the platform in one role. Exported for tests and benchmarks that run a real server. */
export async function start(config: Config, role: Role): Promise<Running> {
  const platform = await createPlatform(config, { modules });
  await platform.keys.ensureKeys();
  if (config.mode === 'demo' && role !== 'worker') {
    const ran = await runSeeders(platform, modules, { seed: config.seed, onlyNew: true, progress: process.stdout.isTTY, log: (l) => platform.log.info(l) });
    if (ran.length) platform.log.info({ seeders: ran }, 'demo data seeded');
  }
  let app: FastifyInstance | undefined;
  let worker: Worker | undefined;
  const background: Array<{ stop(): Promise<void> }> = [];
  if (role !== 'worker') {
    app = await buildApp(platform, { modules });
    await app.listen({ port: config.port, host: config.host });
  }
  if (role !== 'api') {
    if (platform.database.engine === 'pglite') {
      // PGlite belongs to this one process: anything still running was cut off by a crash
      const freed = await releaseOrphanedLeases(platform.db);
      if (freed) platform.log.warn({ jobs: freed }, 'jobs cut off by the last stop run again now');
    }
    const tasks = periodicTasks(modules);
    await schedulePeriodic(platform, tasks);
    worker = startWorker(platform, { ...moduleHandlers(modules, platform), ...periodicHandlers(platform, tasks) }, {
      concurrency: config.workerConcurrency,
      pollMs: config.workerPollMs,
      metrics: app ? workerMetrics(app.metrics) : undefined,
      handledElsewhere: modules.flatMap((m) => m.backgroundTopics ?? []),
    });
    for (const m of modules) if (m.background) background.push(await m.background(platform));
  }
  let stopping: Promise<void> | undefined;
  return {
    app,
    worker,
    platform,
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all([app?.close(), worker?.stop(), ...background.map((b) => b.stop())]);
        await platform.close();
      })()),
  };
}

function fail(e: unknown): never {
  if (e instanceof ConfigError || e instanceof DatabaseBusyError) {
    console.error(e.message);
  } else {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
  process.exit(1);
}

export function program(): Command {
  const cli = new Command('hanaro')
    .description('Hanaro (하나로): digital government platform')
    .showHelpAfterError();

  cli
    .command('start')
    .description('migrate, seed demo data on first start (demo mode), and serve')
    .addOption(new Option('--role <role>', 'api: HTTP only; worker: jobs only; all: both').choices(['api', 'worker', 'all']).default('all'))
    .action(async (o: { role: Role }) => {
      const config = await loadConfig();
      const running = await start(config, o.role);
      if (running.app) running.platform.log.info(`Hanaro (${config.mode}) is ready at ${config.publicUrl}`);
      const shutdown = (signal: string) => {
        running.platform.log.info({ signal }, 'shutting down');
        const timer = setTimeout(() => {
          running.platform.log.error('shutdown timed out; exiting');
          process.exit(1);
        }, config.shutdownTimeoutMs);
        timer.unref();
        running.stop().then(
          () => process.exit(0),
          (e) => fail(e),
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    });

  cli
    .command('worker')
    .description('run only the job worker (same as start --role worker)')
    .action(async () => {
      await cli.parseAsync(['start', '--role', 'worker'], { from: 'user' });
    });

  cli
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      await withPlatform(async (p) => {
        const pending = await pendingMigrations(p.db, p.migrations);
        console.log(pending.length ? `pending: ${pending.join(', ')}` : 'database is up to date');
      });
    });

  cli
    .command('seed')
    .description('run every module\'s seeder in dependency order (deterministic for a seed)')
    .option('--seed <n>', 'seed of the pseudo-random generator', intArg)
    .option('--force', 'run seeders again even if they ran before')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(async (o: { seed?: number; force?: boolean }, cmd: Command) => {
      // module-specific options (e.g. --citizens 1000000) pass through to the seeders
      const extra: Record<string, string | boolean> = {};
      const args = cmd.args;
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (!a.startsWith('--')) continue;
        const next = args[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          extra[a.slice(2)] = next;
          i++;
        } else extra[a.slice(2)] = true;
      }
      await withPlatform(async (p) => {
        const ran = await runSeeders(p, modules, {
          seed: o.seed ?? p.config.seed,
          seedGiven: o.seed !== undefined,
          force: o.force,
          options: extra,
          progress: process.stdout.isTTY,
          log: (l) => console.log(l),
        });
        console.log(ran.length ? `seeded: ${ran.join(', ')}` : 'nothing to seed (use --force to seed again)');
      });
    });

  auditAndKeyCommands(cli);
  jobCommands(cli);
  for (const m of modules) {
    if (m.cli) m.cli(cli.command(m.name).description(`${m.name} module`), (fn) => withPlatform(fn));
  }

  return cli;
}

// ── audit log and signing keys (platform/audit.ts, platform/keys.ts) ──

/** Who ran a CLI command, for the audit log. */
const operator = () => {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    // a container user without a passwd entry
    return `operator:uid-${process.getuid?.() ?? 'unknown'}`;
  }
};

function auditAndKeyCommands(cli: Command): void {
  const audit = cli.command('audit').description('the hash-chained audit log');

  audit
    .command('verify')
    .description('check the whole hash chain; exit code 2 when an entry was changed, removed or unlinked')
    .option('--batch <n>', 'entries read per query', intArg, 2000)
    .action(async (o: { batch: number }) => {
      // read-only: no migrations are applied to the database being examined
      await withPlatform(
        async (p) => {
          const r = await p.audit.verify({ batchSize: o.batch });
          if (r.ok) {
            console.log(r.head ? `audit log ok: ${r.count} entries; head ${r.head.seq} ${r.head.hash}` : 'audit log ok: no entries');
          } else {
            console.log(`audit log problem at seq ${r.seq}: ${r.problem} (${r.detail}); the ${r.checked} entries before it are intact`);
            process.exitCode = 2;
          }
        },
        { migrate: false },
      );
    });

  audit
    .command('tail')
    .description('print the last entries, oldest first')
    .option('--n <n>', 'how many entries', intArg, 20)
    .action(async (o: { n: number }) => {
      await withPlatform(
        async (p) => {
          for (const e of await p.audit.tail(o.n)) {
            console.log(`${e.seq}\t${e.at}\t${e.actor}\t${e.action}\t${e.subject ?? '-'}\t${JSON.stringify(e.data)}`);
          }
        },
        { migrate: false },
      );
    });

  const keys = cli.command('keys').description('signing keys published as the platform JWKS');
  const printKeys = (list: Awaited<ReturnType<Platform['keys']['list']>>) => {
    if (!list.length) console.log('no keys yet (the first start makes them)');
    for (const k of list) {
      const retired = k.retiredAt ? `  retired ${k.retiredAt}${k.published ? '' : ' (no longer published)'}` : '';
      console.log(`${k.kid}  ${k.alg.padEnd(5)}  ${k.status.padEnd(7)}  created ${k.createdAt}${retired}`);
    }
  };

  keys
    .command('list')
    .description('every key, newest first; then the mdoc certificates (IACA roots and document signers)')
    .action(async () => {
      await withPlatform(async (p) => {
        printKeys(await p.keys.list());
        for (const c of await mdocCertificates(p)) console.log(`${c.id}  mdoc-${c.kind.padEnd(4)}  ${c.status.padEnd(7)}  ${c.subject}  valid ${c.notBefore} to ${c.notAfter}`);
      });
    });

  keys
    .command('rotate')
    .description('make a new active key (--alg) or mdoc certificate (--mdoc); the old one is retired and stays published for what it signed')
    .addOption(new Option('--alg <alg>', 'a JWS signing key of this algorithm').choices(['ES256', 'EdDSA']).conflicts('mdoc'))
    .addOption(new Option('--mdoc <which>', 'ds: a new mdoc document signer under the same IACA root; iaca: a new IACA root and a document signer under it').choices(['ds', 'iaca']))
    .action(async (o: { alg?: 'ES256' | 'EdDSA'; mdoc?: 'ds' | 'iaca' }) => {
      if (!o.alg && !o.mdoc) throw new InvalidArgumentError('name --alg ES256|EdDSA or --mdoc ds|iaca');
      await withPlatform(async (p) => {
        if (o.mdoc) {
          // audited by rotateMdocKeys, in its transaction
          const made = await rotateMdocKeys(p, { iaca: o.mdoc === 'iaca', actor: operator() });
          for (const c of [made.iaca, made.ds]) if (c) console.log(`new active mdoc ${c.kind} ${c.id}  ${c.subject}`);
          return;
        }
        const k = await p.keys.rotate(o.alg!);
        await p.audit.append({ actor: operator(), action: 'keys.rotated', subject: `key:${k.kid}`, data: { alg: k.alg } });
        console.log(`new active ${k.alg} key ${k.kid}`);
      });
    });

  keys
    .command('jwks')
    .description('print the public JWKS (active and retained retired keys)')
    .action(async () => {
      await withPlatform(async (p) => console.log(JSON.stringify(await p.keys.jwks(), null, 2)));
    });

  keys
    .command('prune')
    .description('delete retired keys whose retention has passed')
    .option('--older-than-days <n>', 'retired at least this many days ago (default: the retention)', intArg)
    .action(async (o: { olderThanDays?: number }) => {
      await withPlatform(async (p) => {
        const gone = await p.keys.prune(o.olderThanDays === undefined ? undefined : o.olderThanDays * 86_400_000);
        if (gone.length) await p.audit.append({ actor: operator(), action: 'keys.pruned', data: { kids: gone } });
        console.log(gone.length ? `deleted: ${gone.join(', ')}` : 'nothing to delete');
      });
    });
}

// ── jobs in the outbox (platform/outbox.ts) ──

function jobCommands(cli: Command): void {
  const jobs = cli.command('jobs').description('the job queue (transactional outbox)');
  jobs
    .command('stats')
    .description('pending, running and dead jobs per topic')
    .action(async () => {
      await withPlatform(async (p) => {
        const stats = await outboxStats(p.db);
        if (!stats.length) console.log('no unfinished or dead jobs');
        for (const s of stats) console.log(`${s.topic}\t${s.status}\t${s.count}\toldest ${s.oldestRunAt.toISOString()}`);
      });
    });
  jobs
    .command('retry-dead')
    .description('queue dead letters again with fresh attempts, after the cause was fixed')
    .option('--topic <topic>', 'every dead job of this topic')
    .option('--id <ids...>', 'these job ids', (v: string, prev: number[] = []) => [...prev, intArg(v)])
    .action(async (o: { topic?: string; id?: number[] }) => {
      if (!o.topic && !o.id?.length) throw new InvalidArgumentError('name a --topic or one or more --id');
      await withPlatform(async (p) => {
        const n = await retryDead(p.db, { topic: o.topic, ids: o.id });
        await p.audit.append({ actor: operator(), action: 'jobs.retried', data: { topic: o.topic ?? null, ids: o.id ?? null, count: n } });
        console.log(`${n} dead job(s) queued again`);
      });
    });
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    fail(e);
  }
}
