import { fileURLToPath } from 'node:url';
import type { HanaroModule } from '../../platform/module.ts';
import { approvalRoutes } from './approvals.tsx';
import { authorizationRoutes } from './authorization-routes.ts';
import { credentialsCli } from './cli.ts';
import { credentialSubscriptions } from './events.ts';
import { credentialRoutes } from './routes.ts';
import { enrolRoutes } from './enrol-routes.ts';
import { verifierRoutes } from './verifier-routes.ts';

export { createOffer, type OfferGrant } from './offers.ts';
export { createWalletClient, type WalletClient } from './wallet-clients.ts';
export { CONFIGURATIONS, RESIDENT_ID } from './documents.ts';
export { createRelyingParty, type RelyingParty } from './verifier.ts';
export {
  mdocCertificates,
  mdocFromIssuerSigned,
  openId4VpSessionTranscript,
  publishedIacas,
  rotateMdocKeys,
  verifyMdocPresentation,
  type MdocCertificate,
  type MdocVerifiedDocument,
  type MdocVerifyOptions,
  type OpenId4VpTranscript,
} from './mdoc.ts';
export { decodeStatusList, verifyPresentation, VerificationError, type TrustedIssuer, type VerifyOptions, type Verified } from './verify.ts';

/**
 * Digital documents (docs/credentials.md): an OpenID4VCI 1.0 credential issuer (pre-authorized
 * code and authorization code flows, nonce and credential endpoints with JWT key proofs, deferred
 * issuance after an official's approval, notifications), SD-JWT VCs read from the registries
 * through the mediator, and IETF Token Status Lists for revocation.
 */
export const credentialsModule: HanaroModule = {
  name: 'credentials',
  dependsOn: ['registries', 'exchange', 'identity'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  async plugin(app, opts) {
    await app.register(credentialRoutes, opts);
    await app.register(authorizationRoutes, opts);
    await app.register(approvalRoutes, opts);
    await app.register(verifierRoutes, opts);
    await app.register(enrolRoutes, opts);
  },
  cli: credentialsCli,
  // registry changes that suspend or revoke documents already issued
  subscribes: credentialSubscriptions,
};
