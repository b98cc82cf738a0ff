import { Command, InvalidArgumentError, Option } from 'commander';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { modules } from './modules/index.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { createPlatform, type Platform } from './platform/platform.ts';
import { pendingMigrations } from './platform/migrate.ts';
import { runSeeders } from './platform/seed.ts';
import { startWorker, type Worker } from './platform/worker.ts';
import type { JobHandler } from './platform/outbox.ts';

export type Role = 'api' | 'worker' | 'all';

function jobHandlers(): Record<string, JobHandler> {
  return Object.assign({}, ...modules.map((m) => m.jobs ?? {}));
}

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
    const ran = await runSeeders(platform, modules, { seed: config.seed, progress: process.stdout.isTTY, log: (l) => platform.log.info(l) });
    if (ran.length) platform.log.info({ seeders: ran }, 'demo data seeded');
  }
  let app: FastifyInstance | undefined;
  let worker: Worker | undefined;
  if (role !== 'worker') {
    app = await buildApp(platform, { modules });
    await app.listen({ port: config.port, host: config.host });
  }
  if (role !== 'api') {
    worker = startWorker(platform, jobHandlers(), { concurrency: config.workerConcurrency, pollMs: config.workerPollMs });
  }
  let stopping: Promise<void> | undefined;
  return {
    app,
    worker,
    platform,
    stop: () =>
      (stopping ??= (async () => {
        await Promise.all([app?.close(), worker?.stop()]);
        await platform.close();
      })()),
  };
}

function fail(e: unknown): never {
  if (e instanceof ConfigError) {
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
          force: o.force,
          options: extra,
          progress: process.stdout.isTTY,
          log: (l) => console.log(l),
        });
        console.log(ran.length ? `seeded: ${ran.join(', ')}` : 'nothing to seed (use --force to seed again)');
      });
    });

  return cli;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    fail(e);
  }
}
