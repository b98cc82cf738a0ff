import { fileURLToPath } from 'node:url';
import type { HanaroModule } from '../../platform/module.ts';
import { identityCli } from './cli.ts';
import { identityRoutes } from './routes.ts';

export { issueEnrolmentCode, redeemEnrolmentCode } from './enrolment.ts';

/**
 * Identity (docs/identity.md): citizen accounts bound to residents, enrolment with a one-time
 * code, passkeys, server-side sessions; the actor of every request that carries a session.
 * Single sign-on for agency services (OpenID Provider) comes next.
 */
export const identityModule: HanaroModule = {
  name: 'identity',
  dependsOn: ['registries'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  plugin: identityRoutes,
  cli: identityCli,
};
