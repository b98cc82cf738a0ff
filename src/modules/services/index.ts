import { fileURLToPath } from 'node:url';
import type { HanaroModule } from '../../platform/module.ts';
import { catalogueReady } from './catalogue.ts';
import { servicesCli } from './cli.ts';
import { lifeEventHandlers, noticeJobs } from './notices.ts';
import { servicesRoutes } from './routes.ts';
import { servicesConsoleRoutes } from './console-routes.ts';
import { screeningSeeder } from './seed.ts';
import { govstackRegistrationRoutes } from './onestop/govstack.ts';
import { onestopRoutes } from './onestop/routes.ts';
import { onestopSeeder } from './onestop/seed.ts';
import { govstackWorkflowRoutes } from './onestop/workflow.ts';
import { escalateOverdue } from './onestop/tasks.ts';

export { screenCitizen, decideAll, rulesInForce, ruleInForce, isOptedIn, optIn, optOut, explainText, factLabel, seoulDate, type Eligibility, type RuleInForce } from './engine.ts';
export { FACTS, type FactField } from './facts.ts';
export type { Outcome } from './rules.ts';
export { applicationsOf } from './onestop/applications.ts';
export { BUNDLES } from './onestop/bundles.ts';
export { listServices, findService, catalogueReady, type ServiceInfo } from './catalogue.ts';
export type { Facts } from './facts.ts';

/**
 * Public services (docs/services.md): the catalogue of national and regional programmes in ko and
 * en, eligibility rules in CEL with versions, and the engine that decides a citizen's eligibility
 * for every service on their registry facts, read through the mediator for citizens who asked.
 */
export const servicesModule: HanaroModule = {
  name: 'services',
  dependsOn: ['registries', 'exchange', 'notify'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  async plugin(app, opts) {
    await catalogueReady(opts.platform);
    await app.register(servicesRoutes, opts);
    await app.register(servicesConsoleRoutes, opts);
    await app.register(govstackRegistrationRoutes, opts);
    await app.register(onestopRoutes, opts);
    await app.register(govstackWorkflowRoutes, opts);
  },
  seeders: [screeningSeeder, onestopSeeder],
  // a birth, a move or a death tells those concerned about what they can now receive (notices.ts)
  subscribes: lifeEventHandlers,
  // the scan's notices, sent by the worker through notify (notices.ts)
  jobs: noticeJobs,
  // parts past their SLA are escalated (onestop/tasks.ts)
  periodic: [{ name: 'services.sla', everyMs: 300_000, run: (p) => escalateOverdue(p) }],
  cli: servicesCli,
};
