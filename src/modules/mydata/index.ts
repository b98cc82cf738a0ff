import { fileURLToPath } from 'node:url';
import type { HanaroModule } from '../../platform/module.ts';
import { mydataCli } from './cli.ts';
import { scanNewRecipients } from './access.ts';
import { consentGate, expireConsents } from './consents.ts';
import { govstackConsentRoutes } from './govstack.ts';
import { mydataPages } from './pages.ts';
import { mydataRoutes } from './routes.ts';
import { mydataSeeder } from './seed.ts';
import { webhookJobs } from './webhooks.ts';

export { MYDATA_HUB } from './consents.ts';

/**
 * MyData (docs/mydata.md): citizens see what the registries hold about them, consent to data
 * agreements and withdraw, send their data to themselves, an agency or a registered third party,
 * and follow every read of their data; agencies ask once and read under consent through the
 * mediator (this module answers the mediator's consent questions); officials look data up under
 * a legal basis, logged the same way. The GovStack Consent API is under /govstack/consent/.
 */
export const mydataModule: HanaroModule = {
  name: 'mydata',
  dependsOn: ['registries', 'exchange', 'identity', 'notify'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  async plugin(app, opts) {
    await app.register(mydataRoutes, opts);
    await app.register(mydataPages, opts);
    await app.register(govstackConsentRoutes, opts);
  },
  seeders: [mydataSeeder],
  // GovStack Consent webhooks: consent, agreement and policy changes told to the recipients that registered one
  jobs: webhookJobs,
  // consents whose end passed get their `expired` revision; citizens who asked hear of new readers
  periodic: [{ name: 'mydata.sweep', everyMs: 5 * 60_000, run: async (p) => ({ expired: await expireConsents(p), alerts: await scanNewRecipients(p) }) }],
  consentGate,
  cli: mydataCli,
};
