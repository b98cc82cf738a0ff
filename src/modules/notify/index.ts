import { fileURLToPath } from 'node:url';
import type { HanaroModule } from '../../platform/module.ts';
import { notifyCli } from './cli.ts';
import { govstackMessagingRoutes } from './govstack.ts';
import { notifyPages } from './pages.ts';
import { notifyRoutes } from './routes.ts';
import { ensurePlatformTemplates, notifySeeder } from './seed.ts';
import { startNotifyWorker } from './worker.ts';
import { expireSending } from './upkeep.ts';

export { notifyCitizen, type CitizenNotice, type CitizenSendResult } from './citizens.ts';
export { ensurePlatformTemplates, PLATFORM_TEMPLATES } from './seed.ts';

/**
 * Notifications (docs/notify.md): agencies' sending services with GOV.UK-Notify-style API keys
 * and the v2 API, templates in ko and en with versions, e-mail over SMTP, SMS/LMS and AlimTalk
 * through HTTP gateways, web push, the portal inbox; citizens' channel preferences, quiet hours
 * and opt-outs; delivery through lanes on the platform outbox with receipts and signed callbacks.
 * The GovStack Messaging API is under /govstack/messaging/v1/.
 */
export const notifyModule: HanaroModule = {
  name: 'notify',
  dependsOn: ['registries', 'identity'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  async plugin(app, opts) {
    await ensurePlatformTemplates(opts.platform);
    await app.register(notifyRoutes, opts);
    await app.register(govstackMessagingRoutes, opts);
    await app.register(notifyPages, opts);
  },
  seeders: [notifySeeder],
  // the lanes claim their own topics in batches, and a worker of its own runs the callbacks (worker.ts)
  background: (platform) => startNotifyWorker(platform),
  backgroundTopics: ['notify.email', 'notify.sms', 'notify.alimtalk', 'notify.push', 'notify.simulated', 'notify.callback'],
  periodic: [{ name: 'notify.upkeep', everyMs: 15 * 60_000, run: (p) => expireSending(p) }],
  cli: notifyCli,
};
