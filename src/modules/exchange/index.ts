import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { HanaroModule } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { consolePlugin } from './console.tsx';
import { clientKeySeeder, exchangeCli, protocolPlugin } from './protocol.ts';
import { directorySeeder, lifeEventSubscriptions, managementPlugin, pubsubJobs, registrySubscriptions } from './management.ts';

export { mediatedCall, type MediatedCall, type MediatedResponse } from './protocol.ts';
export { findAgency } from './console-store.ts';
export { listAccessRights, type AccessRight } from './directory.ts';

/**
 * The information mediator (X-Road style): the directory of members, subsystems and services,
 * access rights, signed requests over the X-Road message protocol for REST at `/r1/…`, the signed
 * hash-chained message log, and GovStack Information Mediator directory and pub/sub APIs.
 */
export const exchangeModule: HanaroModule = {
  name: 'exchange',
  dependsOn: ['registries'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  async plugin(app: FastifyInstance, opts: { platform: Platform }) {
    await app.register(protocolPlugin, opts);
    await app.register(managementPlugin, opts);
    await app.register(consolePlugin, opts);
  },
  seeders: [directorySeeder, clientKeySeeder],
  jobs: pubsubJobs,
  // life events become pub/sub events; registries made through the Database API become services
  subscribes: { ...lifeEventSubscriptions, ...registrySubscriptions },
  cli: exchangeCli,
};
