import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable Hanaro reads. docs/operations.md has the same table for
 * operators; a test keeps the two in step.
 */
export const ENV_VARS = {
  HANARO_MODE: 'demo (default): embedded PGlite, generated secrets, demo data, /dev pages. production: needs DATABASE_URL and real secrets',
  HANARO_DATA_DIR: 'folder for the embedded database, generated demo secrets and caches (default ./data)',
  DATABASE_URL: 'PostgreSQL connection string; when set the embedded PGlite is not used',
  DATABASE_POOL_MAX: 'connections per process to PostgreSQL (default 25: measured in docs/benchmarks.md; keep processes × pool under the server max_connections)',
  PORT: 'HTTP port (default 3000)',
  HOST: 'address to listen on (default 127.0.0.1; 0.0.0.0 in a container)',
  HANARO_PUBLIC_URL: 'the address citizens use, for links and issuer identifiers (default http://localhost:PORT)',
  HANARO_MASTER_KEY: 'base64 of 32 random bytes; encrypts private keys and personal identifiers at rest (production: required)',
  HANARO_COOKIE_SECRET: 'at least 32 characters; signs cookies and CSRF secrets (production: required)',
  HANARO_METRICS_TOKEN: 'bearer token that /metrics requires; in production mode /metrics is off without it',
  HANARO_TRUST_PROXY: 'true when behind a reverse proxy that sets X-Forwarded-For (default false)',
  HANARO_BODY_LIMIT: 'largest request body in bytes (default 1048576)',
  HANARO_RATE_LIMIT: 'requests per minute per client address on API and form routes (default 600)',
  HANARO_REPLAY_CHECK: 'on (default): a signed exchange request is accepted once; off: replays within the signature window pass (load tests only)',
  HANARO_WORKER_CONCURRENCY: 'jobs one worker process runs at once (default 4)',
  HANARO_WORKER_POLL_MS: 'how often an idle worker looks for jobs, in milliseconds (default 500)',
  HANARO_SHUTDOWN_TIMEOUT_MS: 'how long SIGTERM waits for in-flight requests and jobs (default 10000)',
  HANARO_SEED: 'seed of the deterministic demo data (default 20260101)',
  LOG_LEVEL: 'fatal, error, warn, info (default), debug, trace or silent',
  NOTIFY_SMTP_URL: 'e-mail relay, smtp://user:password@host:587 or smtps://… (demo default: the built-in capture server shown at /dev/mail)',
  NOTIFY_EMAIL_FROM: 'sender of e-mails when a service names none (default Hanaro <no-reply@host of HANARO_PUBLIC_URL>)',
  NOTIFY_SMS_URL: 'base address of the SMS gateway (NHN-Cloud-like HTTP API; demo default: the built-in capture gateway shown at /dev/sms)',
  NOTIFY_SMS_KEY: 'app key and secret of the SMS gateway, as appKey:secretKey',
  NOTIFY_ALIMTALK_URL: 'base address of the KakaoTalk AlimTalk relay (demo default: the built-in capture gateway)',
  NOTIFY_ALIMTALK_KEY: 'app key and secret of the AlimTalk relay, as appKey:secretKey',
  NOTIFY_VAPID_SUBJECT: 'contact of the web-push sender, mailto: or https: (default mailto:no-reply@host of HANARO_PUBLIC_URL); the VAPID key is derived from HANARO_MASTER_KEY',
  NOTIFY_RECEIPT_TOKEN: 'bearer token the SMS and AlimTalk gateways send with delivery receipts (at least 16 characters; demo: derived)',
  NOTIFY_LANE_CONCURRENCY: 'messages one worker has in flight per channel (default 20)',
  ASSISTANT_LLM_URL: 'base URL of an OpenAI-compatible chat API (…/v1) that phrases the assistant\'s answers from the retrieved entries only; off when unset',
  ASSISTANT_LLM_MODEL: 'the model name sent to it (default gpt-4o-mini)',
  ASSISTANT_LLM_KEY: 'bearer token for it, if it needs one',
} as const;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  HANARO_MODE: z.enum(['demo', 'production']).default('demo'),
  HANARO_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(25),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  HANARO_PUBLIC_URL: z.url().optional(),
  HANARO_MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes')
    .optional(),
  HANARO_COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HANARO_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  HANARO_TRUST_PROXY: bool.default(false),
  HANARO_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  HANARO_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  HANARO_REPLAY_CHECK: z.enum(['on', 'off']).default('on'),
  HANARO_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  HANARO_WORKER_POLL_MS: z.coerce.number().int().min(10).default(500),
  HANARO_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  HANARO_SEED: z.coerce.number().int().min(0).default(20260101),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NOTIFY_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  NOTIFY_EMAIL_FROM: z.string().min(3).optional(),
  NOTIFY_SMS_URL: z.url().optional(),
  NOTIFY_SMS_KEY: z.string().regex(/^[^:]+:.+$/, 'must be appKey:secretKey').optional(),
  NOTIFY_ALIMTALK_URL: z.url().optional(),
  NOTIFY_ALIMTALK_KEY: z.string().regex(/^[^:]+:.+$/, 'must be appKey:secretKey').optional(),
  NOTIFY_VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, 'must start with mailto: or https:').optional(),
  NOTIFY_RECEIPT_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  NOTIFY_LANE_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  ASSISTANT_LLM_URL: z.url().optional(),
  ASSISTANT_LLM_MODEL: z.string().min(1).max(200).default('gpt-4o-mini'),
  ASSISTANT_LLM_KEY: z.string().min(1).optional(),
});

export interface Config {
  mode: 'demo' | 'production';
  dataDir: string;
  /** Undefined means the embedded PGlite in `dataDir/pgdata` (or in memory when dataDir is `memory://`). */
  databaseUrl: string | undefined;
  databasePoolMax: number;
  port: number;
  host: string;
  publicUrl: string;
  masterKey: Buffer;
  cookieSecret: string;
  /** Undefined: /metrics is open in demo mode and absent in production mode. */
  metricsToken: string | undefined;
  trustProxy: boolean;
  bodyLimit: number;
  rateLimit: number;
  /** Refuse a signed exchange request seen before (off only for load tests that replay requests). */
  replayCheck: boolean;
  workerConcurrency: number;
  workerPollMs: number;
  shutdownTimeoutMs: number;
  seed: number;
  logLevel: string;
  notify: NotifyConfig;
  /** The assistant's optional LLM (docs/assistant.md): undefined url means off. */
  assistant: { llmUrl?: string; llmModel: string; llmKey?: string };
}

/** Where the notifications module sends (docs/notify.md). Undefined provider addresses: the demo capture servers in demo mode, the channel off in production. */
export interface NotifyConfig {
  smtpUrl?: string;
  emailFrom: string;
  smsUrl?: string;
  smsKey?: string;
  alimtalkUrl?: string;
  alimtalkKey?: string;
  vapidSubject: string;
  receiptToken?: string;
  laneConcurrency: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Hanaro cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

interface DemoSecrets {
  masterKey: string;
  cookieSecret: string;
}

/** Demo mode keeps generated secrets beside the embedded database so restarts can read their own data. */
async function demoSecrets(dataDir: string): Promise<DemoSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DemoSecrets;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secrets: DemoSecrets = {
    masterKey: randomBytes(32).toString('base64'),
    cookieSecret: randomBytes(32).toString('base64url'),
  };
  await mkdir(dataDir, { recursive: true });
  // write a private temporary file, then link it into place: the link either appears whole or
  // fails because another process (a worker starting alongside) got there first, so nobody
  // ever reads a half-written file
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await unlink(tmp);
  }
  return JSON.parse(await readFile(file, 'utf8')) as DemoSecrets;
}

/**
 * Parses the environment once at boot. Production mode refuses to start without a real
 * database and real secrets, and names every missing setting at once.
 */
export async function loadConfig(env: Record<string, string | undefined> = process.env): Promise<Config> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.HANARO_MODE === 'production') {
    const missing: string[] = [];
    if (!e.DATABASE_URL) missing.push('DATABASE_URL is required in production mode (the embedded PGlite is for demos)');
    if (!e.HANARO_MASTER_KEY) missing.push('HANARO_MASTER_KEY is required in production mode (base64 of 32 random bytes: `openssl rand -base64 32`)');
    if (!e.HANARO_COOKIE_SECRET) missing.push('HANARO_COOKIE_SECRET is required in production mode (at least 32 random characters)');
    if (!e.HANARO_PUBLIC_URL) missing.push('HANARO_PUBLIC_URL is required in production mode (the https address citizens use)');
    if (missing.length) throw new ConfigError(missing);
  }
  const secrets =
    e.HANARO_MASTER_KEY && e.HANARO_COOKIE_SECRET
      ? { masterKey: e.HANARO_MASTER_KEY, cookieSecret: e.HANARO_COOKIE_SECRET }
      : e.HANARO_DATA_DIR === 'memory://'
        ? { masterKey: randomBytes(32).toString('base64'), cookieSecret: randomBytes(32).toString('base64url') }
        : await demoSecrets(e.HANARO_DATA_DIR);
  const publicUrl = (e.HANARO_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const publicHost = new URL(publicUrl).hostname;
  return {
    mode: e.HANARO_MODE,
    dataDir: e.HANARO_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    masterKey: Buffer.from(e.HANARO_MASTER_KEY ?? secrets.masterKey, 'base64'),
    cookieSecret: e.HANARO_COOKIE_SECRET ?? secrets.cookieSecret,
    metricsToken: e.HANARO_METRICS_TOKEN,
    trustProxy: e.HANARO_TRUST_PROXY,
    bodyLimit: e.HANARO_BODY_LIMIT,
    rateLimit: e.HANARO_RATE_LIMIT,
    replayCheck: e.HANARO_REPLAY_CHECK === 'on',
    workerConcurrency: e.HANARO_WORKER_CONCURRENCY,
    workerPollMs: e.HANARO_WORKER_POLL_MS,
    shutdownTimeoutMs: e.HANARO_SHUTDOWN_TIMEOUT_MS,
    seed: e.HANARO_SEED,
    logLevel: e.LOG_LEVEL,
    notify: {
      smtpUrl: e.NOTIFY_SMTP_URL,
      emailFrom: e.NOTIFY_EMAIL_FROM ?? `Hanaro <no-reply@${publicHost}>`,
      smsUrl: e.NOTIFY_SMS_URL,
      smsKey: e.NOTIFY_SMS_KEY,
      alimtalkUrl: e.NOTIFY_ALIMTALK_URL,
      alimtalkKey: e.NOTIFY_ALIMTALK_KEY,
      vapidSubject: e.NOTIFY_VAPID_SUBJECT ?? `mailto:no-reply@${publicHost}`,
      receiptToken: e.NOTIFY_RECEIPT_TOKEN,
      laneConcurrency: e.NOTIFY_LANE_CONCURRENCY,
    },
    assistant: { llmUrl: e.ASSISTANT_LLM_URL, llmModel: e.ASSISTANT_LLM_MODEL, llmKey: e.ASSISTANT_LLM_KEY },
  };
}
