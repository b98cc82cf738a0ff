import { createPublicKey } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { PlatformError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { checkClientInput, clientMetadata, saveClient, updateClient } from './clients.ts';

/**
 * The GovStack Identity building block's paths (specs/govstack/identity/Identity-Provider.yaml)
 * where they overlap with what Hanaro's OpenID Provider does, under /govstack/identity:
 *
 * - GET /authorize, POST /oauth/token, GET /oidc/userinfo, GET /.well-known/jwks.json and
 *   GET /.well-known/openid-configuration are the provider's own endpoints (/oidc/auth, /token,
 *   /me, /jwks, discovery) under the building block's names: same behaviour, same issuer.
 * - POST /client-mgmt/oidc-client and PUT /client-mgmt/oidc-client/{client_id} register and
 *   update relying parties as the building block describes them: private_key_jwt clients with
 *   the caller's public JWK, the claims they may ask for, and the ACRs. The caller authenticates
 *   with a bearer token that a management client (`hanaro identity client create --management
 *   --agency X`) got from the token endpoint with the client-credentials grant and the scope
 *   add_oidc_client or update_oidc_client; the clients it makes belong to its agency.
 *
 * The linked-authorization and wallet-binding paths (eSignet's wallet flows) are not offered:
 * Hanaro's wallet binds credentials through OpenID4VCI instead (docs/identity.md).
 */
export const GOVSTACK_IDENTITY = '/govstack/identity';

/** Building-block path → the provider's own path. */
const ALIASES: Array<{ method: 'GET' | 'POST'; path: string; to: string }> = [
  { method: 'GET', path: '/authorize', to: '/auth' },
  { method: 'POST', path: '/oauth/token', to: '/token' },
  { method: 'GET', path: '/oidc/userinfo', to: '/me' },
  { method: 'POST', path: '/oidc/userinfo', to: '/me' },
  { method: 'GET', path: '/.well-known/jwks.json', to: '/jwks' },
  { method: 'GET', path: '/.well-known/openid-configuration', to: '/.well-known/openid-configuration' },
];

/** Registers the aliases inside the provider's scope (no body parsing); `handle` runs the provider on a path. */
export function govstackAliases(scope: FastifyInstance, handle: (req: FastifyRequest, reply: FastifyReply, providerPath: string) => Promise<void>): void {
  for (const a of ALIASES) {
    scope.route({
      method: a.method,
      url: `${GOVSTACK_IDENTITY}${a.path}`,
      schema: { hide: true },
      config: { public: true },
      handler: async (req, reply) => {
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        await handle(req, reply, `${a.to}${query}`);
      },
    });
  }
}

// ---- client management ------------------------------------------------------------------------

const ACRS = ['idbb:acr:static-code', 'idbb:acr:generated-code', 'idbb:acr:linked-wallet', 'idbb:acr:biometrics', 'idbb:acr:biometrics-generated-code', 'idbb:acr:linked-wallet-static-code'] as const;
/** Claims the building block lets a client ask for → the scope that carries each here; others are not offered. */
const CLAIM_SCOPES: Record<string, string | undefined> = {
  name: 'profile',
  birthdate: 'profile',
  address: 'address',
  email: 'email',
  email_verified: 'email',
  phone_number: 'phone',
  phone_number_verified: 'phone',
};
const USER_CLAIMS = ['name', 'given_name', 'family_name', 'middle_name', 'preferred_username', 'nickname', 'gender', 'birthdate', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'picture', 'address', 'locale', 'zoneinfo'] as const;

const Common = {
  clientName: z.string().min(1).max(256),
  logoUri: z.string().min(1).max(1024),
  redirectUris: z.array(z.string().min(1).max(1024)).min(1).max(10),
  userClaims: z.array(z.enum(USER_CLAIMS)).min(1),
  authContextRefs: z.array(z.enum(ACRS)).min(1),
  grantTypes: z.array(z.literal('authorization_code')).min(1),
  clientAuthMethods: z.array(z.literal('private_key_jwt')).min(1),
};
const CreateBody = z.object({
  requestTime: z.string().max(64),
  request: z.object({
    clientId: z.string().min(1).max(50).regex(/^[A-Za-z0-9._~-]+$/),
    relyingPartyId: z.string().min(1).max(50),
    publicKey: z.record(z.string(), z.unknown()),
    ...Common,
  }),
});
const UpdateBody = z.object({ requestTime: z.string().max(64), request: z.object({ status: z.enum(['active', 'inactive']), ...Common }) });

/** An error in the building block's shape (errors[].errorCode) inside problem+json. */
class IdbbError extends PlatformError {
  constructor(status: number, errorCode: string, errorMessage: string) {
    super(errorCode, status, errorMessage, { responseTime: new Date().toISOString(), response: null, errors: [{ errorCode, errorMessage }] });
  }
}

/** The management client behind a bearer token, if the token is live and carries `scope`. */
async function managementCaller(provider: Provider, req: FastifyRequest, scope: string): Promise<{ clientId: string; agency: string; publicAgency: boolean }> {
  const header = req.headers.authorization ?? '';
  const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header)?.[1];
  if (!token) throw new UnauthorizedError('a bearer token from the client-credentials grant is required', 'invalid_token');
  const found = await provider.ClientCredentials.find(token);
  const client = found?.clientId ? await provider.Client.find(found.clientId) : undefined;
  if (!found || !client) throw new UnauthorizedError('the token is not valid', 'invalid_token');
  if (!String(found.scope ?? '').split(' ').includes(scope)) throw new PlatformError('insufficient_scope', 403, `the token lacks the ${scope} scope`);
  const agency = client['urn:hanaro:agency'];
  if (typeof agency !== 'string') throw new PlatformError('insufficient_scope', 403, 'the management client acts for no agency');
  return { clientId: client.clientId, agency, publicAgency: client['urn:hanaro:public_agency'] === true };
}

function checkPublicKey(jwk: Record<string, unknown>): void {
  if ('d' in jwk || 'p' in jwk || 'k' in jwk) throw new IdbbError(400, 'invalid_public_key', 'publicKey must be a public JWK (no private or symmetric parts)');
  try {
    createPublicKey({ key: jwk as never, format: 'jwk' });
  } catch {
    throw new IdbbError(400, 'invalid_public_key', 'publicKey is not a valid public JWK');
  }
}

function scopeOf(userClaims: readonly string[]): string {
  const unsupported = userClaims.filter((c) => !CLAIM_SCOPES[c]);
  if (unsupported.length) throw new IdbbError(400, 'invalid_claim', `Hanaro does not release ${unsupported.join(', ')}; it offers name, birthdate, address, email and phone_number`);
  return ['openid', ...new Set(userClaims.map((c) => CLAIM_SCOPES[c]!))].join(' ');
}

const ok = (clientId: string) => ({ responseTime: new Date().toISOString(), response: { clientId }, errors: [] });

export async function govstackClientManagement(app: FastifyInstance, opts: { platform: Platform; provider: Provider }): Promise<void> {
  const { platform, provider } = opts;

  // the platform's own validation answers 400 problem+json; here the building block's error codes are added
  const parse = <T extends z.ZodType>(schema: T, body: unknown): z.output<T> => {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issue = r.error.issues[0]!;
    const field = String(issue.path[1] ?? issue.path[0] ?? '');
    const code: Record<string, string> = { clientId: 'invalid_client_id', clientName: 'invalid_client_name', relyingPartyId: 'invalid_rp_id', userClaims: 'invalid_claim', authContextRefs: 'invalid_acr', logoUri: 'invalid_uri', redirectUris: 'invalid_redirect_uri', grantTypes: 'invalid_grant_type', clientAuthMethods: 'invalid_client_auth', publicKey: 'invalid_public_key' };
    throw new IdbbError(400, code[field] ?? 'invalid_request', `${issue.path.join('.')}: ${issue.message}`);
  };
  const checkUris = (name: string, redirectUris: string[], logoUri: string) => {
    try {
      checkClientInput(platform, { name, redirectUris });
    } catch (e) {
      throw new IdbbError(400, 'invalid_redirect_uri', e instanceof Error ? e.message : 'invalid redirect URI');
    }
    if (!URL.canParse(logoUri) || !/^https?:$/.test(new URL(logoUri).protocol)) throw new IdbbError(400, 'invalid_uri', 'logoUri must be an http(s) URL');
  };

  app.post(`${GOVSTACK_IDENTITY}/client-mgmt/oidc-client`, { schema: { hide: true } }, async (req) => {
    const caller = await managementCaller(provider, req, 'add_oidc_client');
    const { request: r } = parse(CreateBody, req.body);
    checkPublicKey(r.publicKey);
    checkUris(r.clientName, r.redirectUris, r.logoUri);
    const metadata = {
      client_id: r.clientId,
      client_name: r.clientName,
      logo_uri: r.logoUri,
      redirect_uris: r.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [r.publicKey] },
      id_token_signed_response_alg: 'ES256',
      // the building block answers userinfo as a JWT; signed here (not also encrypted: docs/identity.md)
      userinfo_signed_response_alg: 'ES256',
      scope: scopeOf(r.userClaims),
      subject_type: caller.publicAgency ? 'public' : 'pairwise',
      'urn:hanaro:public_agency': caller.publicAgency,
      'urn:hanaro:agency': caller.agency,
      'urn:hanaro:govstack': { relyingPartyId: r.relyingPartyId, authContextRefs: r.authContextRefs, userClaims: r.userClaims, managedBy: caller.clientId },
    };
    try {
      await saveClient(platform, metadata, `client:${caller.clientId}`, { via: 'govstack' });
    } catch (e) {
      if (e instanceof PlatformError && e.code === 'duplicate_client_id') throw new IdbbError(409, 'duplicate_client_id', 'a client with this clientId exists');
      throw e;
    }
    return ok(r.clientId);
  });

  app.put(`${GOVSTACK_IDENTITY}/client-mgmt/oidc-client/:client_id`, { schema: { hide: true } }, async (req) => {
    const caller = await managementCaller(provider, req, 'update_oidc_client');
    const clientId = String((req.params as { client_id: string }).client_id).slice(0, 100);
    const { request: r } = parse(UpdateBody, req.body);
    const current = await clientMetadata(platform.db, clientId);
    // only clients of the caller's agency; another agency's is as good as absent
    if (!current || current['urn:hanaro:agency'] !== caller.agency) throw new IdbbError(404, 'invalid_client_id', 'no such client');
    checkUris(r.clientName, r.redirectUris, r.logoUri);
    const { 'urn:hanaro:disabled_at': wasDisabled, ...rest } = current;
    const govstack = { ...(current['urn:hanaro:govstack'] as Record<string, unknown> | undefined), authContextRefs: r.authContextRefs, userClaims: r.userClaims };
    const next = {
      ...rest,
      client_name: r.clientName,
      logo_uri: r.logoUri,
      redirect_uris: r.redirectUris,
      scope: scopeOf(r.userClaims),
      'urn:hanaro:govstack': govstack,
      ...(r.status === 'inactive' ? { 'urn:hanaro:disabled_at': wasDisabled ?? new Date().toISOString() } : {}),
    };
    await updateClient(platform, clientId, next, `client:${caller.clientId}`);
    return ok(clientId);
  });
}

