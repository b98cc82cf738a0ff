import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { rows } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { residentClaims } from '../registries/index.ts';
import { postgresAdapter } from './oidc-adapter.ts';

/**
 * Single sign-on: an OpenID Provider built on oidc-provider (a certified implementation), issuer
 * `<public URL>/oidc`. Authorization code flow only, PKCE (S256) required, ID tokens signed
 * with the platform's ES256 key, refresh tokens rotated, pairwise subjects for private relying
 * parties (one per sector), back-channel logout. Logins come from the identity module's own
 * sessions (passkeys); the consent page lists exactly the claims the client will receive.
 *
 * The provider reads its signing keys at start: after `hanaro keys rotate`, restart the API
 * processes (the retired key stays in the JWKS, so tokens already issued still verify).
 */
export const OIDC_PREFIX = '/oidc';
export const SCOPES = ['openid', 'profile', 'address', 'offline_access'] as const;
/** Scope → claims, also what the consent page lists. */
export const CLAIMS: Record<string, string[]> = { openid: ['sub'], profile: ['name', 'birthdate'], address: ['address'] };
export const ACR = { passkey: 'urn:hanaro:loa:passkey', enrolment: 'urn:hanaro:loa:enrolment', demo: 'urn:hanaro:loa:demo' } as const;

export interface ClientInput {
  name: string;
  redirectUris: string[];
  /** A public agency's client: public subject ids; others get pairwise ids per sector. */
  publicAgency?: boolean;
  /** Where back-channel logout tokens are POSTed. */
  backchannelLogoutUri?: string;
  /** The agency (member code) whose officials manage the client. */
  agency?: string;
}

/** Registers a confidential client; the secret is returned once and stored as oidc-provider keeps it. */
export async function createClient(platform: Platform, input: ClientInput, actor = 'operator:cli'): Promise<{ clientId: string; clientSecret: string }> {
  for (const u of input.redirectUris) {
    const url = new URL(u);
    if (platform.config.mode === 'production' && url.protocol !== 'https:') throw new Error(`redirect URI must be https in production: ${u}`);
    if (url.hash) throw new Error(`redirect URI must not have a fragment: ${u}`);
  }
  const clientId = `hanaro-${randomBytes(9).toString('base64url')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const metadata = {
    client_id: clientId,
    client_secret: clientSecret,
    client_name: input.name,
    redirect_uris: input.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
    subject_type: input.publicAgency ? 'public' : 'pairwise',
    ...(input.backchannelLogoutUri ? { backchannel_logout_uri: input.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
    'urn:hanaro:public_agency': Boolean(input.publicAgency),
    ...(input.agency ? { 'urn:hanaro:agency': input.agency } : {}),
  };
  await platform.db.execute(sql`insert into identity.oidc_payload (model, id, payload) values ('Client', ${clientId}, ${JSON.stringify(metadata)}::jsonb)`);
  await platform.audit.append({ actor, action: 'identity.oidc-client.created', subject: `client:${clientId}`, data: { name: input.name, redirectUris: input.redirectUris, publicAgency: Boolean(input.publicAgency) } });
  return { clientId, clientSecret };
}

export async function createProvider(platform: Platform): Promise<Provider> {
  const issuer = `${platform.config.publicUrl.replace(/\/$/, '')}${OIDC_PREFIX}`;
  const pairwiseKey = createHmac('sha256', platform.config.masterKey).update('identity.oidc.pairwise').digest();
  // the provider takes its keys at start; a first start makes them here if nothing else has yet
  await platform.keys.ensureKeys();
  const keys = (await platform.keys.privateJwks()).filter((k) => k.alg === 'ES256' || k.alg === 'EdDSA');

  const configuration: Configuration = {
    adapter: postgresAdapter(platform.db),
    jwks: { keys: keys as never },
    cookies: { keys: [platform.config.cookieSecret] },
    scopes: [...SCOPES],
    // the protocol claims oidc-provider expects besides the scopes' (replacing its defaults drops
    // them); every ID token says how and when the person signed in (acr, auth_time)
    claims: { acr: null, sid: null, auth_time: null, iss: null, ...CLAIMS, openid: ['sub', 'acr', 'auth_time'] },
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'client_secret_basic' },
    enabledJWA: { idTokenSigningAlgValues: ['ES256', 'EdDSA'], userinfoSigningAlgValues: ['ES256', 'EdDSA'] } as never,
    extraClientMetadata: { properties: ['urn:hanaro:public_agency', 'urn:hanaro:agency'] },
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      createHmac('sha256', pairwiseKey).update(`${client.sectorIdentifier}\n${accountId}`).digest('base64url'),
    responseTypes: ['code'],
    pkce: { required: () => true },
    acrValues: Object.values(ACR),
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    // Outgoing calls (back-channel logout) refuse loopback and private addresses against SSRF; a
    // demo's relying parties run on this machine, so demo mode lets them through
    ...(platform.config.mode === 'demo'
      ? {
          fetch: (url: string | URL | Request, options?: RequestInit) => {
            const { dispatcher: _ignored, ...rest } = (options ?? {}) as RequestInit & { dispatcher?: unknown };
            return fetch(url, rest);
          },
        }
      : {}),
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 12 * 3600, Grant: 12 * 3600, RefreshToken: 24 * 3600 },
    interactions: { url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}` },
    findAccount: async (ctx: KoaContextWithOIDC, id: string) => {
      const [a] = await rows<{ citizen_id: string | null }>(platform.db, sql`select citizen_id::text as citizen_id from identity.account where id::text = ${id} and disabled_at is null`);
      if (!a?.citizen_id) return undefined;
      const citizenId = a.citizen_id;
      return {
        accountId: id,
        async claims(_use, scope) {
          const granted = new Set(String(scope ?? '').split(' '));
          const r = await residentClaims(platform, citizenId);
          const out: Record<string, unknown> = { sub: id };
          if (r && granted.has('profile')) Object.assign(out, { name: r.name, ...(r.birthDate ? { birthdate: r.birthDate } : {}) });
          if (r && granted.has('address')) {
            out.address = { country: 'KR', region: r.sido ?? undefined, locality: r.sigungu ?? undefined, street_address: r.roadAddress ?? undefined, formatted: [r.sido, r.sigungu, r.roadAddress].filter(Boolean).join(' ') };
          }
          const items = Object.keys(out).filter((k) => k !== 'sub');
          const client = ctx.oidc?.client;
          if (items.length && client) {
            // released to a relying party: a read of the citizen's data, on their access log
            await platform.accessLog.record([{ citizenId, reader: `oidc:${client.clientId}`, institution: String(client['urn:hanaro:agency'] ?? client.clientName ?? client.clientId), application: client.clientName ?? undefined, service: 'identity.oidc', items, purpose: 'sign-in (single sign-on)', channel: 'oidc' }]);
          }
          return out as { sub: string };
        },
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      ctx.body = `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>로그인 오류 / Sign-in error</title></head><body><main><h1>로그인 오류 / Sign-in error</h1><p><code>${esc(out.error)}</code>: ${esc(out.error_description)}</p><p><a href="/">하나로 / Hanaro</a></p></main></body></html>`;
    },
  };
  // loaded only where the provider runs: on import it warns about Node 20 (it works; NOTES.md),
  // which CLI commands need not print
  const { default: OidcProvider } = await import('oidc-provider');
  const provider = new OidcProvider(issuer, configuration);
  provider.proxy = platform.config.trustProxy;
  return provider;
}
