// The notify worker of bench/notify.ts in a process of its own: one e-mail lane sending to the
// sink, reporting how far it got and its resident memory to the parent over IPC.
import { identityModule } from '../src/modules/identity/index.ts';
import { notifyModule } from '../src/modules/notify/index.ts';
import { startLane } from '../src/modules/notify/lanes.ts';
import { emailProvider } from '../src/modules/notify/providers.ts';
import { connectionsFor } from '../src/modules/notify/worker.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { createPlatform } from '../src/platform/platform.ts';

const env = process.env;
const config = await loadConfig({ ...env, LOG_LEVEL: 'silent' });
const platform = await createPlatform(config, { modules: [identityModule, notifyModule], migrate: false, logger: createLogger('warn') });
// as the worker role builds it (worker.ts), from NOTIFY_LANE_CONCURRENCY
const concurrency = config.notify.laneConcurrency;
const provider = emailProvider({ url: env.BENCH_SMTP_URL!, defaultFrom: 'Hanaro <no-reply@hanaro.bench>', host: 'hanaro.bench', connections: connectionsFor(concurrency) });
const lane = startLane(platform, { topic: 'notify.email', provider, concurrency });
let maxRss = 0;
setInterval(() => {
  const rss = process.memoryUsage().rss;
  maxRss = Math.max(maxRss, rss);
  const s = lane.stats();
  const c = process.cpuUsage();
  process.send!({ delivered: s.outcomes.delivered ?? 0, other: s.sent - (s.outcomes.delivered ?? 0), rssMb: rss / 1048576, maxRssMb: maxRss / 1048576, cpuMs: (c.user + c.system) / 1000 });
}, 250);
process.on('message', async (m: string) => {
  if (m === 'stop') {
    await lane.stop();
    await provider.close();
    await platform.close();
    process.exit(0);
  }
});
