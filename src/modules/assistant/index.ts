import { fileURLToPath } from 'node:url';
import type { HanaroModule } from '../../platform/module.ts';
import { assistantCli } from './cli.ts';
import { assistantRoutes } from './routes.ts';
import { purgeOld } from './sessions.ts';

export { maskIdentifiers } from './sessions.ts';

/**
 * The virtual assistant (docs/assistant.md): a Korean and English conversational front door over
 * the services catalogue, eligibility, applications and documents, on the web, a messenger and
 * the terminal. Understanding is trained at start from our own utterances; nothing is downloaded.
 */
export const assistantModule: HanaroModule = {
  name: 'assistant',
  dependsOn: ['services'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  async plugin(app, opts) {
    await app.register(assistantRoutes, opts);
  },
  // conversations are kept 30 days
  periodic: [{ name: 'assistant.retention', everyMs: 3_600_000, run: (p) => purgeOld(p.db) }],
  cli: assistantCli,
};
