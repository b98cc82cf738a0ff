import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { directoryRoutes } from './directory-routes.ts';
import { keepRawJsonBodies } from './management-auth.ts';
import { localizeErrors } from './management-messages.ts';
import { pubsubRoutes } from './pubsub-routes.ts';

// The management side of the information mediator: the directory (members, subsystems, services,
// access rights) and its GovStack directory API, and GovStack pub/sub with the life events.
// index.ts wires what is exported here into the exchange module.

export { directorySeeder, registrySubscriptions } from './directory-seed.ts';
export { lifeEventSubscriptions } from './pubsub-life-events.ts';
export { pubsubJobs } from './pubsub-push.ts';
export { authenticateClient } from './management-auth.ts';

/** The GovStack Information Mediator directory and pub/sub APIs under /govstack/information-mediator. */
export async function managementPlugin(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  localizeErrors(app);
  keepRawJsonBodies(app);
  await app.register(directoryRoutes, opts);
  await app.register(pubsubRoutes, opts);
}
