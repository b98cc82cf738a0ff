import type { FastifyInstance } from 'fastify';
import { createRng } from '../../platform/seed.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { browser } from '../identity/test-support.ts';
import { identityModule } from '../identity/index.ts';
import { notifyModule } from '../notify/index.ts';
import { registriesModule } from '../registries/index.ts';
import { MYDATA_HUB } from './consents.ts';
import { mydataModule } from './index.ts';
import { mydataSeeder } from './seed.ts';

export const MYDATA_MODULES = [registriesModule, exchangeModule, identityModule, notifyModule, mydataModule];

/**
 * For MyData's tests: the modules it needs on a fresh database, with the mediator's directory,
 * the demo recipients and agreements (seed.ts), and in-process signing keys for the MyData hub
 * and the agency clients that read under consent.
 */
export async function mydataApp(): Promise<{ app: FastifyInstance; t: TestPlatform; close(): Promise<void> }> {
  const { app, platform: t, close } = await testApp({ modules: MYDATA_MODULES });
  await t.keys.ensureKeys();
  await seedForTests(t);
  await mydataSeeder.run({ platform: t, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  for (const client of [MYDATA_HUB, 'KR/GOV/MOEL/employment-services', 'KR/GOV/MOHW/welfare-services', 'KR/COM/HANBANK/loans']) await createClientKey(t, client, { keepPrivate: true });
  return { app, t, close };
}

/** A signed-in citizen's session cookie (the demo sign-in as a resident). */
export async function citizenSession(app: FastifyInstance, citizenId: string): Promise<string> {
  const { formWithToken, sessionCookie } = browser(app);
  const cookie = sessionCookie(await formWithToken('/sign-in', '/dev/sign-in/resident', { citizen: citizenId }));
  if (!cookie) throw new Error('the citizen could not sign in');
  return cookie;
}
