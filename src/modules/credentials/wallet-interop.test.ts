import { createHash, randomBytes } from 'node:crypto';
import { clientAuthenticationAnonymous, Oauth2ClientErrorResponseError } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlatform } from '../../platform/testing.ts';
import { seedResidents } from '../registries/test-support.ts';
import { RESIDENT_ID } from './documents.ts';
import { createOffer } from './offers.ts';
import { listeningIssuer } from './test-support.ts';

// An independent wallet: @openid4vc/openid4vci (not our code) resolves the offer and the issuer's
// metadata, redeems the pre-authorized code with the transaction code, fetches a nonce, makes the
// key proof and receives the credential, over real HTTP.

let app: FastifyInstance;
let t: TestPlatform;
let citizenId: string;

beforeAll(async () => {
  ({ app, t } = await listeningIssuer());
  [{ id: citizenId }] = (await seedResidents(app, t, [{ serial: 1, name: '최지우' }])) as [{ id: string; rrn: string }];
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

async function wallet() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = await exportJWK(publicKey);
  const client = new Openid4vciClient({
    callbacks: {
      fetch,
      hash: (data: Uint8Array, alg: string) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
      generateRandom: (n: number) => new Uint8Array(randomBytes(n)),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (signer: { publicJwk?: unknown }, { header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> }) => ({
        jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey),
        signerJwk: signer.publicJwk,
      }),
    } as never,
  });
  return { client, publicJwk };
}

describe('an independent OpenID4VCI wallet (@openid4vc/openid4vci)', () => {
  it('receives a mobile resident ID through the pre-authorized code flow with a transaction code', async () => {
    const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID.id] }, 'official:test');
    const { client, publicJwk } = await wallet();
    const credentialOffer = await client.resolveCredentialOffer(offer.uri);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    expect(issuerMetadata.originalDraftVersion).toBe('V1');
    // a wrong transaction code is invalid_grant
    await expect(client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.txCode === '000000' ? '111111' : '000000' })).rejects.toBeInstanceOf(
      Oauth2ClientErrorResponseError,
    );
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.txCode });
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: RESIDENT_ID.id, nonce: c_nonce, signer: { method: 'jwk', alg: 'ES256', publicJwk } as never });
    const { credentialResponse } = await client.retrieveCredentials({ issuerMetadata, credentialConfigurationId: RESIDENT_ID.id, proofs: { jwt: [jwt] }, accessToken: accessTokenResponse.access_token });
    const credential = (credentialResponse.credentials![0] as { credential: string }).credential;
    expect(credential.split('~').length).toBeGreaterThan(5);
    const payload = JSON.parse(Buffer.from(credential.split('.')[1]!, 'base64url').toString());
    expect(payload.cnf.jwk).toMatchObject({ x: publicJwk.x, y: publicJwk.y });
    // the same nonce again is refused
    const again = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: RESIDENT_ID.id, nonce: c_nonce, signer: { method: 'jwk', alg: 'ES256', publicJwk } as never });
    await expect(client.retrieveCredentials({ issuerMetadata, credentialConfigurationId: RESIDENT_ID.id, proofs: { jwt: [again.jwt] }, accessToken: accessTokenResponse.access_token })).rejects.toThrow();
  });
});
