import { fileURLToPath } from 'node:url';
import type { HanaroModule } from '../../platform/module.ts';
import { identityCli } from './cli.ts';
import { identityRoutes } from './routes.ts';

export { issueEnrolmentCode, redeemEnrolmentCode } from './enrolment.ts';
export { createClient } from './clients.ts';
export { createOfficial } from './officials.ts';
export { signInWithMobileId } from './mobile-id.ts';
export { citizenAccount } from './accounts.ts';
export { getContacts, isEmailAddress, normalisePhone, parseContacts, ContactError, type Contacts } from './contacts.ts';

/**
 * Identity (docs/identity.md): citizen accounts bound to residents and officials' accounts of an
 * agency, enrolment with one-time codes, passkeys, server-side sessions with step-up; the actor of
 * every request that carries a session; single sign-on for agency and private services (an
 * OpenID Provider, also under the GovStack Identity paths); the officials' console front page
 * and its clients and officials sections.
 */
export const identityModule: HanaroModule = {
  name: 'identity',
  dependsOn: ['registries'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  plugin: identityRoutes,
  cli: identityCli,
};
