import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ForbiddenError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { allowFormRedirectTo, pageContext, requireForm, sendPrivatePage, type PageContext } from '../../web/context.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { residentSummary } from '../registries/index.ts';
import { renderAuthorizeError, renderConsent } from './authorization-pages.tsx';
import {
  AuthorizeError,
  checkAuthorizationRequest,
  decideAuthorization,
  errorUri,
  parseAuthorizationDetails,
  pendingAuthorization,
  redeemAuthorizationCode,
  responseUri,
  storeAuthorization,
  type PendingAuthorization,
} from './authorization.ts';
import { CONFIGURATIONS } from './documents.ts';
import { OAuthError } from './errors.ts';
import { issuerOf, redeemOffer } from './offers.ts';
import { redeemRefreshToken, tokenResponse, type Grant } from './tokens.ts';

/**
 * The issuer as its own OAuth authorization server: its metadata (RFC 8414), the authorization
 * endpoint with the consent page (the citizen signs in through Hanaro's single sign-on, i.e. the
 * portal session), and the token endpoint for the pre-authorized code, the authorization code
 * (PKCE S256, public wallet clients) and refresh tokens.
 */
export const PRE_AUTH_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** What the authorization server offers (also repeated in the credential issuer metadata). */
export function authorizationServerMetadata(platform: Platform) {
  const issuer = issuerOf(platform);
  return {
    issuer,
    authorization_endpoint: `${issuer}/credentials/authorize`,
    token_endpoint: `${issuer}/credentials/token`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', PRE_AUTH_GRANT, 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    authorization_details_types_supported: ['openid_credential'],
    scopes_supported: Object.keys(CONFIGURATIONS),
    authorization_response_iss_parameter_supported: true,
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}

const TokenBody = z
  .object({
    grant_type: z.string().max(200),
    'pre-authorized_code': z.string().max(200).optional(),
    tx_code: z.string().max(20).optional(),
    code: z.string().max(200).optional(),
    redirect_uri: z.string().max(600).optional(),
    code_verifier: z.string().max(200).optional(),
    client_id: z.string().max(200).optional(),
    refresh_token: z.string().max(200).optional(),
    authorization_details: z.string().max(10_000).optional(),
  })
  .passthrough();

/** The CSP source a consent form may end at: the redirect URI's origin, or an app's scheme. */
export async function authorizationRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const issuer = issuerOf(platform);
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const demo = platform.config.mode === 'demo';

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof OAuthError) return reply.status(err.status).header('cache-control', 'no-store').send({ error: err.error, error_description: err.description });
    throw err;
  });

  app.get('/.well-known/oauth-authorization-server', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return authorizationServerMetadata(platform);
  });

  // ---- authorization endpoint -------------------------------------------------------------------
  const errorPage = async (req: FastifyRequest, reply: FastifyReply, e: { error: string; description?: string; expired?: boolean }, status = 400) => {
    const actor = await req.actor();
    const signedIn = actor.kind === 'citizen' ? { name: (await residentSummary(platform, actor.id))?.name ?? '', official: false } : undefined;
    const ctx = pageContext(req, { assets, demo, signedIn });
    return sendPrivatePage(reply, ctx.lang, renderAuthorizeError(ctx, e), status);
  };
  const back = (reply: FastifyReply, uri: string) => reply.header('cache-control', 'no-store').redirect(uri, 303);

  // the request is checked and kept, and the browser goes on to the consent page (signing in first)
  app.get('/credentials/authorize', { schema: { hide: true } }, async (req, reply) => {
    try {
      const checked = await checkAuthorizationRequest(platform, (req.query ?? {}) as Record<string, unknown>);
      const id = await storeAuthorization(platform, checked);
      return back(reply, `/credentials/authorize/${id}`);
    } catch (e) {
      if (!(e instanceof AuthorizeError)) throw e;
      if (e.redirect) return back(reply, errorUri(platform, e));
      return errorPage(req, reply, { error: e.error, description: e.description });
    }
  });

  /** The pending authorization and the citizen deciding it; undefined when the reply was already sent. */
  const deciding = async (req: FastifyRequest, reply: FastifyReply, form = false): Promise<{ a: PendingAuthorization; citizenId: string; ctx: PageContext } | undefined> => {
    const id = (req.params as { id: string }).id;
    const a = await pendingAuthorization(platform, id);
    if (!a) {
      await errorPage(req, reply, { error: 'invalid_request', expired: true }, 404);
      return undefined;
    }
    const actor = await req.actor();
    if (actor.kind === 'anonymous') {
      // Hanaro's single sign-on: the portal's sign-in, then back here
      void reply.redirect(`/sign-in?next=${encodeURIComponent(`/credentials/authorize/${id}`)}`, 303);
      return undefined;
    }
    if (actor.kind !== 'citizen') throw new ForbiddenError('documents are issued to residents: sign in as a resident', 'citizens_only');
    // an offer made for someone else is not this person's to accept
    if (a.offerCitizenId && a.offerCitizenId !== actor.id) {
      void back(reply, responseUri(platform, a.redirectUri, { error: 'access_denied', error_description: 'the credential offer was made for another person', state: a.state }));
      return undefined;
    }
    const name = (await residentSummary(platform, actor.id))?.name ?? '';
    if (form) allowFormRedirectTo(reply, a.redirectUri);
    return { a, citizenId: actor.id, ctx: pageContext(req, { assets, demo, form: form ? reply : undefined, signedIn: { name, official: false } }) };
  };

  const Params = z.object({ id: z.string().max(40) });
  app.get('/credentials/authorize/:id', { schema: { hide: true, params: Params } }, async (req, reply) => {
    const d = await deciding(req, reply, true);
    if (!d) return reply;
    const html = renderConsent(d.ctx, {
      id: d.a.id,
      client: d.a.client,
      redirectUri: d.a.redirectUri,
      configurations: d.a.configurationIds.map((id) => CONFIGURATIONS[id]!).filter(Boolean),
      fromOffer: Boolean(d.a.offerId),
    });
    return sendPrivatePage(reply, d.ctx.lang, html);
  });

  const Decision = z.object({ decision: z.enum(['allow', 'deny']), _csrf: z.string().optional() });
  app.post('/credentials/authorize/:id', { schema: { hide: true, params: Params, body: Decision } }, async (req, reply) => {
    requireForm(req);
    const d = await deciding(req, reply);
    if (!d) return reply;
    try {
      const to = await decideAuthorization(platform, d.a, d.citizenId, (req.body as z.infer<typeof Decision>).decision === 'allow');
      if (!to) return errorPage(req, reply, { error: 'invalid_request', expired: true }, 409);
      return back(reply, to);
    } catch (e) {
      if (e instanceof AuthorizeError && e.redirect) return back(reply, errorUri(platform, e));
      throw e;
    }
  });

  // ---- token endpoint ---------------------------------------------------------------------------
  const parseBody = (body: unknown) => {
    const r = TokenBody.safeParse(body ?? {});
    if (!r.success) throw new OAuthError(400, 'invalid_request', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ').slice(0, 300));
    return r.data;
  };
  /** A token request's authorization_details may narrow the grant (RFC 9396 §6.1), never widen it. */
  const narrowed = (grant: Grant, raw: string | undefined): Grant => {
    if (raw === undefined) return grant;
    const ids = parseAuthorizationDetails(issuer, raw, (error, description) => new OAuthError(400, error, description));
    if (ids.some((id) => !grant.configurationIds.includes(id))) throw new OAuthError(400, 'invalid_authorization_details', 'authorization_details asks for more than was granted');
    return { ...grant, configurationIds: ids };
  };

  app.post('/credentials/token', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    const body = parseBody(req.body);
    reply.header('cache-control', 'no-store');
    switch (body.grant_type) {
      case PRE_AUTH_GRANT: {
        if (!body['pre-authorized_code']) throw new OAuthError(400, 'invalid_request', 'pre-authorized_code is missing');
        const grant = await redeemOffer(platform, body['pre-authorized_code'], body.tx_code);
        return tokenResponse(platform, narrowed(grant, body.authorization_details));
      }
      case 'authorization_code': {
        if (!body.code) throw new OAuthError(400, 'invalid_request', 'code is missing');
        if (!body.client_id) throw new OAuthError(400, 'invalid_request', 'client_id is missing (wallets are public clients: send it in the body)');
        if (!body.code_verifier) throw new OAuthError(400, 'invalid_request', 'code_verifier is missing (PKCE is required)');
        const { grant, family } = await redeemAuthorizationCode(platform, { code: body.code, clientId: body.client_id, redirectUri: body.redirect_uri, codeVerifier: body.code_verifier });
        return tokenResponse(platform, narrowed(grant, body.authorization_details), { family });
      }
      case 'refresh_token': {
        if (!body.refresh_token) throw new OAuthError(400, 'invalid_request', 'refresh_token is missing');
        const { grant, family, expiresAt } = await redeemRefreshToken(platform, body.refresh_token, body.client_id);
        return tokenResponse(platform, narrowed(grant, body.authorization_details), { family, expiresAt, rotating: true });
      }
      default:
        throw new OAuthError(400, 'unsupported_grant_type', `this token endpoint serves authorization_code, ${PRE_AUTH_GRANT} and refresh_token`);
    }
  });
}
