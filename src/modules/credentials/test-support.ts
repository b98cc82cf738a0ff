import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { buildApp } from '../../app.ts';
import type { HanaroModule } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { freePort, testPlatform, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { registriesModule } from '../registries/index.ts';
import { ISSUING_SYSTEM } from './documents.ts';
import { credentialsModule } from './index.ts';
import { createOffer } from './offers.ts';

/** Issues a credential over the endpoints as a wallet would (offer without a transaction code, token, nonce, proof). */
export async function issueCredential(
  app: FastifyInstance,
  platform: Platform,
  citizenId: string,
  configurationId: string,
): Promise<{ status: number; body: any; holder: { privateKey: CryptoKey; publicJwk: JWK } }> {
  const offer = await createOffer(platform, { citizenId, configurationIds: [configurationId], txCode: false }, 'official:test');
  const code = (offer.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
  const tok = await app.inject({
    method: 'POST',
    url: '/credentials/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString(),
  });
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const nonce = (await app.inject({ method: 'POST', url: '/credentials/nonce' })).json().c_nonce;
  const proof = await new SignJWT({ nonce })
    .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: await exportJWK(publicKey) })
    .setAudience(platform.config.publicUrl.replace(/\/$/, ''))
    .setIssuedAt()
    .sign(privateKey);
  const res = await app.inject({ method: 'POST', url: '/credentials/credential', headers: { authorization: `Bearer ${tok.json().access_token}` }, payload: { credential_configuration_id: configurationId, proofs: { jwt: [proof] } } });
  return { status: res.statusCode, body: res.json(), holder: { privateKey: privateKey as CryptoKey, publicJwk: await exportJWK(publicKey) } };
}

/**
 * The issuer's modules (or `modules`) on a fresh database, listening at http://localhost:<port>,
 * the public URL that wallets and verifiers fetch: with the mediator's directory and the issuing
 * system's signing key (what `hanaro seed` makes), and the @openid4vc libraries told that plain
 * http on localhost is fine.
 */
export async function listeningIssuer(modules?: HanaroModule[]): Promise<{ app: FastifyInstance; t: TestPlatform; base: string }> {
  const mods = modules ?? [registriesModule, exchangeModule, identityModule, credentialsModule];
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const t = await testPlatform({ modules: mods, env: { HANARO_PUBLIC_URL: base } });
  await t.keys.ensureKeys();
  const app = await buildApp(t, { modules: mods });
  await app.listen({ port, host: 'localhost' });
  await seedForTests(t);
  await createClientKey(t, ISSUING_SYSTEM, { keepPrivate: true });
  setGlobalConfig({ allowInsecureUrls: true });
  return { app, t, base };
}
