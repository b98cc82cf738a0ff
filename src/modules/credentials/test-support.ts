import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Platform } from '../../platform/platform.ts';
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
