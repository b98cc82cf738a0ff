import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { rows } from '../../platform/db.ts';
import { problemType } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { residentClaims, residentRrn } from '../registries/index.ts';
import { getContacts } from './contacts.ts';
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
export const SCOPES = ['openid', 'profile', 'address', 'email', 'phone', 'rrn', 'offline_access'] as const;
/**
 * Scope → claims, also what the consent page lists. `rrn` (the resident registration number, a
 * private claim) is allowed only to a public agency's client registered with the legal basis
 * that lets it process RRNs (`urn:hanaro:rrn_legal_basis`); other clients asking for it get
 * invalid_scope.
 */
export const CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  profile: ['name', 'birthdate'],
  address: ['address'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  rrn: ['rrn'],
};
/** Scopes of the GovStack client-management API, granted to management clients (client credentials). */
export const MANAGEMENT_SCOPES = ['add_oidc_client', 'update_oidc_client'] as const;
export const scopeFor = (rrn: boolean) => SCOPES.filter((s) => rrn || s !== 'rrn').join(' ');
export const ACR = { passkey: 'urn:hanaro:loa:passkey', enrolment: 'urn:hanaro:loa:enrolment', 'mobile-id': 'urn:hanaro:loa:mobile-id', demo: 'urn:hanaro:loa:demo' } as const;

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The provider's own few pages (errors, logout): plain, readable without JavaScript or styles, ko and en. */
function plainPage(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
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
    scopes: [...SCOPES, ...MANAGEMENT_SCOPES],
    // the protocol claims oidc-provider expects besides the scopes' (replacing its defaults drops
    // them); every ID token says how and when the person signed in (acr, auth_time)
    claims: { acr: null, sid: null, auth_time: null, iss: null, ...CLAIMS, openid: ['sub', 'acr', 'auth_time'] },
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'client_secret_basic' },
    enabledJWA: { idTokenSigningAlgValues: ['ES256', 'EdDSA'], userinfoSigningAlgValues: ['ES256', 'EdDSA'] } as never,
    extraClientMetadata: { properties: ['urn:hanaro:public_agency', 'urn:hanaro:agency', 'urn:hanaro:rrn_legal_basis', 'urn:hanaro:govstack'] },
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      createHmac('sha256', pairwiseKey).update(`${client.sectorIdentifier}\n${accountId}`).digest('base64url'),
    responseTypes: ['code'],
    pkce: { required: () => true },
    // the demo sign-in's level exists only in demo mode
    acrValues: platform.config.mode === 'demo' ? Object.values(ACR) : [ACR.passkey, ACR.enrolment, ACR['mobile-id']],
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      // management clients (GovStack client-management API) get tokens for themselves
      clientCredentials: { enabled: true },
      // userinfo as a signed JWT for clients that ask (the GovStack building block's clients do)
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // the provider's own logout pages, in Korean and English (its form carries the xsrf token)
        logoutSource: async (ctx, form) => {
          ctx.body = plainPage(
            '로그아웃 / Sign out',
            `<p>하나로 계정에서 로그아웃할까요? <span lang="en">Sign out of your Hanaro account?</span></p>${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>예, 로그아웃 <span lang="en">Yes, sign out</span></button>
<button type="submit" form="op.logoutForm">아니요 <span lang="en">No</span></button></p>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = plainPage('로그아웃했습니다 / Signed out', '<p>로그아웃했습니다. <span lang="en">You are signed out.</span></p><p><a href="/">하나로 <span lang="en">Hanaro</span></a></p>');
        },
      },
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
    ttl: { AccessToken: 600, ClientCredentials: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 12 * 3600, Grant: 12 * 3600, RefreshToken: 24 * 3600 },
    interactions: { url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}` },
    findAccount: async (ctx: KoaContextWithOIDC, id: string) => {
      const [a] = await rows<{ citizen_id: string | null }>(platform.db, sql`select citizen_id::text as citizen_id from identity.account where id::text = ${id} and disabled_at is null`);
      if (!a?.citizen_id) return undefined;
      const citizenId = a.citizen_id;
      return {
        accountId: id,
        async claims(use, scope) {
          const out: Record<string, unknown> = { sub: id };
          // an ID token carries no scope claims here (code flow: they come from userinfo), so
          // nothing is read from the registry and nothing is released
          if (use === 'id_token') return out as { sub: string };
          const granted = new Set(String(scope ?? '').split(' '));
          const r = granted.has('profile') || granted.has('address') ? await residentClaims(platform, citizenId) : undefined;
          if (r && granted.has('profile')) Object.assign(out, { name: r.name, ...(r.birthDate ? { birthdate: r.birthDate } : {}) });
          if (r && granted.has('address')) {
            out.address = { country: 'KR', region: r.sido ?? undefined, locality: r.sigungu ?? undefined, street_address: r.roadAddress ?? undefined, formatted: [r.sido, r.sigungu, r.roadAddress].filter(Boolean).join(' ') };
          }
          const client = ctx.oidc?.client;
          // the RRN only under the client's registered legal basis (its scope allows `rrn` then alone)
          if (granted.has('email') || granted.has('phone')) {
            // given by the citizen on their account page, not verified yet (contacts.ts)
            const c = await getContacts(platform, id);
            if (c.email && granted.has('email')) Object.assign(out, { email: c.email, email_verified: false });
            if (c.phone && granted.has('phone')) Object.assign(out, { phone_number: c.phone, phone_number_verified: false });
          }
          const legalBasis = client && client['urn:hanaro:public_agency'] === true ? (client['urn:hanaro:rrn_legal_basis'] as string | undefined) : undefined;
          if (granted.has('rrn') && legalBasis) {
            const rrn = await residentRrn(platform, citizenId);
            if (rrn) out.rrn = rrn;
          }
          const items = Object.keys(out).filter((k) => k !== 'sub' && !k.endsWith('_verified'));
          if (items.length && client) {
            // released to a relying party: a read of the citizen's data, on their access log
            await platform.accessLog.record([{ citizenId, reader: `oidc:${client.clientId}`, institution: String(client['urn:hanaro:agency'] ?? client.clientName ?? client.clientId), application: client.clientName ?? undefined, service: 'identity.oidc', items, purpose: 'sign-in (single sign-on)', legalBasis: out.rrn ? legalBasis : undefined, channel: 'oidc' }]);
          }
          return out as { sub: string };
        },
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = plainPage('로그인 오류 / Sign-in error', `<p><code>${esc(out.error)}</code>: ${esc(out.error_description)}</p><p><a href="/">하나로 <span lang="en">Hanaro</span></a></p>`);
    },
  };
  // loaded only where the provider runs: on import it warns about Node 20 (it works; NOTES.md),
  // which CLI commands need not print
  const { default: OidcProvider } = await import('oidc-provider');
  const provider = new OidcProvider(issuer, configuration);
  provider.proxy = platform.config.trustProxy;
  // a path the provider does not serve: the platform's problem+json, not Koa's plain "Not Found"
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && (ctx.body === undefined || ctx.body === null || ctx.body === 'Not Found')) {
      ctx.status = 404;
      ctx.type = 'application/problem+json; charset=utf-8';
      ctx.body = JSON.stringify({ type: problemType('not_found'), title: 'Not Found', status: 404, code: 'not_found', instance: (ctx.req as { originalUrl?: string }).originalUrl?.split('?')[0] ?? ctx.path });
    }
  });
  return provider;
}
