import type { HanaroModule } from '../../platform/module.ts';
import { walletCli } from './cli.ts';
import { walletRoutes } from './routes.ts';

export { matchRequest, newHolderKey, receive, resolveRequest, respond, type HeldCredential } from './holder.ts';

/**
 * The wallet (docs/wallet.md): the web wallet at /wallet (an installable app whose documents and
 * non-extractable keys stay in the browser) and the CLI holder `hanaro wallet …`, both on the
 * same holder code (OpenID4VCI pre-authorized code, OpenID4VP 1.0 with DCQL).
 */
export const walletModule: HanaroModule = {
  name: 'wallet',
  dependsOn: ['credentials'],
  plugin: walletRoutes,
  cli: walletCli,
};
