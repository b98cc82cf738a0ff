import type { Logger } from 'pino';
import { createAccessLog, ensureAccessLogPartitions, type AccessLog } from './access-log.ts';
import { createAuditLog, type AuditLog } from './audit.ts';
import type { Config } from './config.ts';
import { NO_CONSENT_GATE, type ConsentGate } from './consent.ts';
import { createFieldCrypto, type FieldCrypto } from './crypto.ts';
import { openDatabase, type Database, type Db } from './db.ts';
import { createKeyStore, type KeyStore } from './keys.ts';
import { createLogger } from './log.ts';
import { migrate, PLATFORM_MIGRATIONS, type MigrationSource } from './migrate.ts';
import type { HanaroModule } from './module.ts';

/** The shared services a module's plugin, service and seeders receive. */
export interface Platform {
  config: Config;
  database: Database;
  db: Db;
  log: Logger;
  crypto: FieldCrypto;
  keys: KeyStore;
  audit: AuditLog;
  /** Every read of a citizen's personal data (MyData's access log). */
  accessLog: AccessLog;
  /** Answers whether a citizen's consent covers a mediated request (the MyData module's, else a refusal). */
  consents: ConsentGate;
  migrations: MigrationSource[];
  close(): Promise<void>;
}

export function migrationSources(modules: HanaroModule[]): MigrationSource[] {
  return [PLATFORM_MIGRATIONS, ...modules.filter((m) => m.migrations).map((m) => ({ owner: m.name, dir: m.migrations! }))];
}

export interface PlatformOptions {
  modules: HanaroModule[];
  logger?: Logger;
  /** Apply pending migrations while opening (start does; `hanaro migrate` does it explicitly). */
  migrate?: boolean;
  /** An already open database (tests share one per file). */
  database?: Database;
}

/** Opens the database, applies migrations and creates the platform services. */
export async function createPlatform(config: Config, opts: PlatformOptions): Promise<Platform> {
  const log = opts.logger ?? createLogger(config.logLevel);
  const database =
    opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.databasePoolMax }));
  const migrations = migrationSources(opts.modules);
  if (opts.migrate !== false) {
    const applied = await migrate(database, migrations);
    if (applied.length) log.info({ applied }, 'migrations applied');
    // this month's and the next months' access-log partitions (one catalogue query when present)
    const parts = await ensureAccessLogPartitions(database.db);
    if (parts.created.length) log.info(parts, 'access-log partitions created');
  }
  const crypto = createFieldCrypto(config.masterKey);
  const platform: Platform = {
    config,
    database,
    db: database.db,
    log,
    crypto,
    keys: createKeyStore(database.db, crypto),
    audit: createAuditLog(database.db),
    accessLog: createAccessLog(database.db),
    consents: NO_CONSENT_GATE,
    migrations,
    close: () => (opts.database ? Promise.resolve() : database.close()),
  };
  const gates = opts.modules.filter((m) => m.consentGate);
  if (gates.length > 1) throw new Error(`only one module may keep consents, not ${gates.map((m) => m.name).join(' and ')}`);
  if (gates[0]) platform.consents = gates[0].consentGate!(platform);
  return platform;
}
