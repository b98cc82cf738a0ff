import type { HanaroModule } from '../platform/module.ts';
import { assistantModule } from './assistant/index.ts';
import { credentialsModule } from './credentials/index.ts';
import { exchangeModule } from './exchange/index.ts';
import { identityModule } from './identity/index.ts';
import { mydataModule } from './mydata/index.ts';
import { notifyModule } from './notify/index.ts';
import { registriesModule } from './registries/index.ts';
import { servicesModule } from './services/index.ts';
import { walletModule } from './wallet/index.ts';

/**
 * Every module, in dependency order (the data spine: registries → exchange → identity → …).
 * A module's entry here is the only place the platform learns of it.
 */
export const modules: HanaroModule[] = [registriesModule, exchangeModule, identityModule, notifyModule, credentialsModule, walletModule, mydataModule, servicesModule, assistantModule];
