// A notify e-mail lane in a process of its own, for the crash test (reliability.test.ts): it
// sends through the SMTP server given and is killed with SIGKILL in the middle of a batch.
// Arguments come in the environment: HANARO_TEST_DATABASE_URL, HANARO_TEST_SMTP_URL and the
// platform's secrets (HANARO_MASTER_KEY, HANARO_COOKIE_SECRET).
import { loadConfig } from '../../../platform/config.ts';
import { createLogger } from '../../../platform/log.ts';
import { createPlatform } from '../../../platform/platform.ts';
import { identityModule } from '../../identity/index.ts';
import { notifyModule } from '../index.ts';
import { startLane } from '../lanes.ts';
import { emailProvider } from '../providers.ts';

const config = await loadConfig({ ...process.env, DATABASE_URL: process.env.HANARO_TEST_DATABASE_URL, LOG_LEVEL: 'silent' });
const platform = await createPlatform(config, { modules: [identityModule, notifyModule], migrate: false, logger: createLogger('silent') });
startLane(platform, {
  topic: 'notify.email',
  provider: emailProvider({ url: process.env.HANARO_TEST_SMTP_URL!, defaultFrom: 'Hanaro <no-reply@hanaro.test>', host: 'hanaro.test', connections: 5 }),
  concurrency: 10,
  leaseMs: 1500,
  pollMs: 20,
});
process.stdout.write('ready\n');
