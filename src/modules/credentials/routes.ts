import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireCitizen } from '../../platform/auth.ts';
import { PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { pageContext, requireForm, sendPrivatePage } from '../../web/context.ts';
import { qrDataUri } from '../../web/qr.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { residentSummary } from '../registries/index.ts';
import { authorizationServerMetadata } from './authorization-routes.ts';
import { collectDeferred, DEFERRED_INTERVAL_S, deferredOf, requestDeferred } from './deferred.ts';
import { CONFIGURATIONS, type CredentialConfiguration } from './documents.ts';
import { OAuthError } from './errors.ts';
import { checkProof, issueSdJwt, newNonce, vctOf } from './issuer.ts';
import { iacaCrl, issueMdoc, publishedIacas } from './mdoc.ts';
import { recordNotification } from './notifications.ts';
import { createOffer, issuerOf } from './offers.ts';
import { documentText, renderDocuments, renderOffer } from './pages.tsx';
import { credentialsOf, statusListToken, suspendAll, TTL_S } from './status.ts';
import { accessTokens } from './tokens.ts';

/**
 * The credential issuer's HTTP surface (OpenID4VCI 1.0): metadata, the nonce, credential,
 * deferred credential and notification endpoints, the status lists, the issuer's keys (SD-JWT VC
 * issuer metadata) and the credential types' metadata. The issuer is its own authorization
 * server (authorization-routes.ts). Errors are OAuth-shaped (`{ error, error_description }`).
 */
const locales = (n: { ko: string; en: string }) => [
  { name: n.ko, locale: 'ko-KR' },
  { name: n.en, locale: 'en-US' },
];

function configurationMetadata(platform: Platform, c: CredentialConfiguration) {
  return {
    format: c.format,
    scope: c.id,
    // mso_mdoc (OpenID4VCI 1.0 A.2): COSE algorithm numbers, -7 ES256 and -9 its fully specified ESP256
    ...(c.format === 'mso_mdoc'
      ? { doctype: c.doctype, cryptographic_binding_methods_supported: ['cose_key'], credential_signing_alg_values_supported: [-7, -9] }
      : { vct: vctOf(platform, c), cryptographic_binding_methods_supported: ['jwk'], credential_signing_alg_values_supported: ['ES256'] }),
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
    credential_metadata: {
      display: locales(c.name).map((d) => ({ ...d, background_color: '#0b50d0', text_color: '#ffffff' })),
      claims: c.claims.map((cl) => ({ path: cl.path, display: locales(cl.display) })),
    },
  };
}

const CredentialBody = z.object({
  credential_configuration_id: z.string().max(200).optional(),
  credential_identifier: z.string().max(200).optional(),
  proofs: z.object({ jwt: z.array(z.string().max(8000)).min(1).max(10) }).optional(),
  // the drafts' single proof, still sent by some wallets
  proof: z.object({ proof_type: z.literal('jwt'), jwt: z.string().max(8000) }).optional(),
});
const DeferredBody = z.object({ transaction_id: z.string().min(1).max(200) }).passthrough();
const NotificationBody = z.object({ notification_id: z.string().max(200), event: z.enum(['credential_accepted', 'credential_failure', 'credential_deleted']), event_description: z.string().max(500).optional() });

export async function credentialRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const issuer = issuerOf(platform);

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof OAuthError) return reply.status(err.status).header('cache-control', 'no-store').send({ error: err.error, error_description: err.description });
    throw err;
  });

  // access tokens from the token endpoint (authorization-routes.ts, tokens.ts)
  const grantOf = accessTokens(platform);
  const parse = <T extends z.ZodType>(schema: T, body: unknown, error: string): z.output<T> => {
    const r = schema.safeParse(body ?? {});
    if (!r.success) throw new OAuthError(400, error, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ').slice(0, 300));
    return r.data;
  };
  const json = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  // ---- metadata ---------------------------------------------------------------------------------
  app.get('/.well-known/openid-credential-issuer', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    const { issuer: _as, ...authorizationServer } = authorizationServerMetadata(platform);
    return {
      credential_issuer: issuer,
      authorization_servers: [issuer],
      credential_endpoint: `${issuer}/credentials/credential`,
      nonce_endpoint: `${issuer}/credentials/nonce`,
      deferred_credential_endpoint: `${issuer}/credentials/deferred`,
      notification_endpoint: `${issuer}/credentials/notification`,
      // the authorization server's own metadata repeated, for wallets that look for it here
      ...authorizationServer,
      display: [
        { name: '하나로 전자증명서', locale: 'ko-KR' },
        { name: 'Hanaro digital documents', locale: 'en-US' },
      ],
      credential_configurations_supported: Object.fromEntries(Object.values(CONFIGURATIONS).map((c) => [c.id, configurationMetadata(platform, c)])),
    };
  });
  // SD-JWT VC issuer metadata: the keys credentials are signed with (retired ones stay for their retention)
  app.get('/.well-known/jwt-vc-issuer', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    const set = await platform.keys.jwks();
    return { issuer, jwks: { keys: set.keys.filter((k) => k.alg === 'ES256') } };
  });
  // the trust list: every issuer this platform vouches for, with its keys and documents, as JSON
  // and as a JWT signed with the platform's key (for verifiers that cache it offline)
  const trustList = async () => {
    const keys = (await platform.keys.jwks()).keys.filter((k) => k.alg === 'ES256');
    return {
      issuers: [
        {
          iss: issuer,
          name: { ko: '하나로 전자증명서 (행정안전부)', en: 'Hanaro digital documents (Ministry of the Interior and Safety)' },
          jwks: { keys },
          // the IACA roots mdocs chain to (PEM, as @auth0/mdl's Verifier takes them); status lists are signed with jwks
          iaca: await publishedIacas(platform),
          credential_configurations: Object.values(CONFIGURATIONS).map((c) => ({ id: c.id, format: c.format, ...(c.doctype ? { doctype: c.doctype } : { vct: vctOf(platform, c) }), name: c.name })),
        },
      ],
    };
  };
  app.get('/credentials/trust-list', { schema: { hide: true } }, async (req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    const list = await trustList();
    if (/application\/jwt/.test(req.headers.accept ?? '')) {
      const jwt = await platform.keys.sign('ES256', list, { typ: 'trust-list+jwt', issuer, expiresIn: 24 * 3600 });
      return reply.type('application/jwt').send(jwt);
    }
    return { ...list, issued_at: new Date().toISOString() };
  });

  // the IACA roots for mdoc verifiers (PEM; a rotation shows within the cache time), and each one's CRL
  app.get('/credentials/iaca.pem', { schema: { hide: true } }, async (req, reply) => {
    const pem = (await publishedIacas(platform)).join('');
    const etag = `"${createHash('sha256').update(pem).digest('base64url').slice(0, 27)}"`;
    reply.header('cache-control', 'public, max-age=300').header('etag', etag);
    if (req.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type('application/x-pem-file').send(pem);
  });
  app.get('/credentials/mdoc-crl/:serial', { schema: { hide: true, params: z.object({ serial: z.string().regex(/^[0-9a-fA-F]{1,40}$/) }) } }, async (req, reply) => {
    const crl = await iacaCrl(platform, (req.params as { serial: string }).serial);
    if (!crl) throw new PlatformError('not_found', 404, 'no such IACA');
    return reply.type('application/pkix-crl').header('cache-control', 'public, max-age=3600').send(crl);
  });

  app.get('/credentials/types/:type', { schema: { hide: true, params: z.object({ type: z.string().max(100) }) } }, async (req, reply) => {
    const c = Object.values(CONFIGURATIONS).find((x) => x.format === 'dc+sd-jwt' && x.type === (req.params as { type: string }).type);
    if (!c) throw new PlatformError('not_found', 404, 'no such credential type');
    reply.header('cache-control', 'public, max-age=300');
    // SD-JWT VC type metadata
    return {
      vct: vctOf(platform, c),
      name: c.name.en,
      description: c.description.en,
      display: [
        { locale: 'ko-KR', name: c.name.ko, description: c.description.ko },
        { locale: 'en-US', name: c.name.en, description: c.description.en },
      ],
      claims: c.claims.map((cl) => ({ path: cl.path, display: [{ locale: 'ko-KR', label: cl.display.ko }, { locale: 'en-US', label: cl.display.en }], sd: 'always' })),
    };
  });

  // ---- nonce ------------------------------------------------------------------------------------
  app.post('/credentials/nonce', { schema: { hide: true }, config: { public: true } }, async (_req, reply) => json(reply).send({ c_nonce: await newNonce(platform) }));

  // ---- credential -------------------------------------------------------------------------------
  app.post('/credentials/credential', { schema: { hide: true } }, async (req, reply) => {
    const grant = await grantOf(req);
    const body = parse(CredentialBody, req.body, 'invalid_credential_request');
    const configurationId = body.credential_configuration_id ?? body.credential_identifier;
    if (!configurationId) throw new OAuthError(400, 'invalid_credential_request', 'name the credential_configuration_id');
    if (!CONFIGURATIONS[configurationId]) throw new OAuthError(400, 'unknown_credential_configuration', `no credential configuration ${configurationId.slice(0, 100)}`);
    if (!grant.configurationIds.includes(configurationId)) throw new OAuthError(403, 'insufficient_scope', 'the access token was not granted this credential');
    const proofs = body.proofs?.jwt ?? (body.proof ? [body.proof.jwt] : []);
    if (!proofs.length) throw new OAuthError(400, 'invalid_proof', 'a key proof (proofs.jwt) is required');
    // every proof checked first (a batch, one credential per key proof, OpenID4VCI 1.0 §8.2)
    const holders = await Promise.all(proofs.map((proof) => checkProof(platform, proof)));
    const config = CONFIGURATIONS[configurationId]!;
    if (config.approval) {
      // an official decides first (deferred.ts): the keys are checked now, the credentials issued on approval
      const transactionId = await requestDeferred(platform, { citizenId: grant.citizenId, configurationId, holders });
      return json(reply).status(202).send({ transaction_id: transactionId, interval: DEFERRED_INTERVAL_S });
    }
    // the registries read once for the batch, the credentials signed and recorded together
    const opts = { now: new Date(), notificationId: randomBytes(16).toString('base64url') };
    const claims = await config.read(platform, grant.citizenId, opts.now);
    const issue = config.format === 'mso_mdoc' ? issueMdoc : issueSdJwt;
    const issued = await Promise.all(holders.map((holder) => issue(platform, grant.citizenId, configurationId, holder, { ...opts, claims })));
    const credentials = issued.map((i) => ({ credential: i.credential }));
    const notificationId = opts.notificationId;
    return json(reply).send({ credentials, notification_id: notificationId });
  });

  // ---- deferred credential (OpenID4VCI 1.0 §9) ----------------------------------------------------
  app.post('/credentials/deferred', { schema: { hide: true } }, async (req, reply) => {
    const grant = await grantOf(req);
    const body = parse(DeferredBody, req.body, 'invalid_credential_request');
    const r = await collectDeferred(platform, body.transaction_id, grant);
    if (r.pending) return json(reply).status(202).send({ transaction_id: body.transaction_id, interval: DEFERRED_INTERVAL_S });
    // no notification_id: @openid4vc/openid4vci 0.4 refuses one next to credentials here (docs/credentials.md)
    return json(reply).send({ credentials: r.credentials.map((credential) => ({ credential })) });
  });

  // ---- notification -----------------------------------------------------------------------------
  app.post('/credentials/notification', { schema: { hide: true } }, async (req, reply) => {
    const grant = await grantOf(req);
    const body = parse(NotificationBody, req.body, 'invalid_notification_request');
    if (!(await recordNotification(platform, grant.citizenId, body.notification_id, body.event))) throw new OAuthError(400, 'invalid_notification_id', 'no such notification_id for this access token');
    return reply.status(204).send();
  });

  // ---- the citizen's own credentials ------------------------------------------------------------
  app.get('/api/credentials/mine', { schema: { hide: true } }, async (req) => {
    const me = await requireCitizen(req);
    return { credentials: await credentialsOf(platform, me.id) };
  });
  // a lost or stolen device: every valid credential suspended at once (reinstatement is at a counter for now)
  app.post('/api/credentials/lost-device', { schema: { hide: true } }, async (req) => {
    const me = await requireCitizen(req);
    return { suspended: await suspendAll(platform, me.id, 'lost device (reported by the citizen)', `citizen:${me.id}`) };
  });

  // ---- 내 전자증명서: the citizen's own page --------------------------------------------------
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const demo = platform.config.mode === 'demo';
  const citizenPage = async (req: FastifyRequest, reply: FastifyReply) => {
    const actor = await req.actor();
    if (actor.kind === 'anonymous') {
      void reply.redirect(`/sign-in?next=${encodeURIComponent('/documents')}`, 303);
      return undefined;
    }
    const me = await requireCitizen(req);
    const name = (await residentSummary(platform, me.id))?.name ?? '';
    return { me, ctx: pageContext(req, { assets, demo, form: reply, signedIn: { name, official: false } }) };
  };
  const Done = z.looseObject({ done: z.string().regex(/^suspended-[0-9]{1,4}$/).optional() });
  app.get('/documents', { schema: { hide: true, querystring: Done } }, async (req, reply) => {
    const page = await citizenPage(req, reply);
    if (!page) return reply;
    const done = (req.query as { done?: string }).done;
    const html = renderDocuments(page.ctx, {
      configurations: Object.values(CONFIGURATIONS),
      credentials: await credentialsOf(platform, page.me.id),
      requests: await deferredOf(platform, page.me.id),
      done: done ? documentText(page.ctx.lang, 'done_suspended', { count: done.split('-')[1]! }) : undefined,
    });
    return sendPrivatePage(reply, page.ctx.lang, html);
  });
  const OfferForm = z.object({ configuration: z.string().max(200), _csrf: z.string().optional() });
  app.post('/documents/offer', { schema: { hide: true, body: OfferForm } }, async (req, reply) => {
    requireForm(req);
    const page = await citizenPage(req, reply);
    if (!page) return reply;
    const config = CONFIGURATIONS[(req.body as { configuration: string }).configuration];
    if (!config) throw new PlatformError('not_found', 404, 'no such document');
    const offer = await createOffer(platform, { citizenId: page.me.id, configurationIds: [config.id] }, `citizen:${page.me.id}`);
    // Hanaro's web wallet holds SD-JWT VCs only; the QR code (for a phone) opens it, or else any wallet app
    const webWalletUrl = config.format === 'dc+sd-jwt' ? `${issuer}/wallet?credential_offer=${encodeURIComponent(JSON.stringify(offer.offer))}` : undefined;
    return sendPrivatePage(reply, page.ctx.lang, renderOffer(page.ctx, { name: config.name[page.ctx.lang], uri: offer.uri, webWalletUrl, qr: await qrDataUri(webWalletUrl ?? offer.uri, 'L'), txCode: offer.txCode }));
  });
  app.post('/documents/lost-device', { schema: { hide: true, body: z.object({ _csrf: z.string().optional() }) } }, async (req, reply) => {
    requireForm(req);
    const me = await requireCitizen(req);
    const n = await suspendAll(platform, me.id, 'lost device (reported by the citizen)', `citizen:${me.id}`);
    return reply.redirect(`/documents?done=suspended-${Math.min(n, 9999)}#issued`, 303);
  });

  // ---- status lists -----------------------------------------------------------------------------
  app.get('/credentials/status/:list', { schema: { hide: true, params: z.object({ list: z.string().regex(/^[0-9]{1,9}$/) }) } }, async (req, reply) => {
    const token = await statusListToken(platform, (req.params as { list: string }).list);
    return reply.type('application/statuslist+jwt').header('cache-control', `public, max-age=${TTL_S}`).send(token);
  });
}
