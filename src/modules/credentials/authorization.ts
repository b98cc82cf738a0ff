import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, textArray, textArrayLiteral, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { CONFIGURATIONS } from './documents.ts';
import { OAuthError } from './errors.ts';
import { issuerOf, offerOfIssuerState, spendOffer } from './offers.ts';
import { revokeRefreshFamily, type Grant } from './tokens.ts';
import { findWalletClient, type WalletClient } from './wallet-clients.ts';

/**
 * The authorization code flow (OpenID4VCI 1.0 §5, RFC 6749 §4.1 with PKCE S256 required): a
 * registered wallet client sends the citizen's browser to the authorization endpoint naming the
 * documents (`authorization_details` of type `openid_credential`, or their configuration ids as
 * `scope`); the request is checked and kept; the citizen signs in with Hanaro's single sign-on
 * (their portal session) and agrees or declines on a consent page; the wallet gets a one-time
 * code (a keyed hash is stored, 10 minutes) bound to its client id, redirect URI, PKCE challenge,
 * the citizen and the documents, and redeems it at the token endpoint.
 */
export const AUTHORIZATION_TTL_MS = 30 * 60_000;
export const CODE_TTL_MS = 10 * 60_000;
const CODE_CONTEXT = 'credentials.authorization-code';
const MAX_CONFIGURATIONS = 20;

/**
 * An error at the authorization endpoint. With `redirect` it goes back to the wallet (RFC 6749
 * §4.1.2.1); without (an unknown client, a redirect URI not registered) it is shown to the person.
 */
export class AuthorizeError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly redirect?: { uri: string; state?: string },
  ) {
    super(description);
  }
}

/** The redirect URI with the response parameters (and `iss`, RFC 9207) added to its query. */
export function responseUri(platform: Platform, redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  url.searchParams.set('iss', issuerOf(platform));
  return url.toString();
}

export function errorUri(platform: Platform, e: AuthorizeError): string {
  return responseUri(platform, e.redirect!.uri, { error: e.error, error_description: e.description, state: e.redirect!.state });
}

/**
 * The configuration ids an `authorization_details` value (JSON, RFC 9396) asks for. Every entry
 * must be of type `openid_credential`, name a configuration we issue, and, when it names
 * `locations`, include this issuer.
 */
export function parseAuthorizationDetails(issuer: string, raw: string, fail: (error: string, description: string) => Error): string[] {
  let details: unknown;
  try {
    details = JSON.parse(raw);
  } catch {
    throw fail('invalid_request', 'authorization_details is not JSON');
  }
  if (!Array.isArray(details) || !details.length || details.length > MAX_CONFIGURATIONS) throw fail('invalid_request', 'authorization_details must be a non-empty JSON array');
  const ids: string[] = [];
  for (const d of details as Array<Record<string, unknown>>) {
    if (!d || typeof d !== 'object' || d.type !== 'openid_credential') throw fail('invalid_authorization_details', 'only authorization details of type openid_credential are supported');
    const id = d.credential_configuration_id;
    if (typeof id !== 'string' || !CONFIGURATIONS[id]) throw fail('invalid_authorization_details', `unknown credential_configuration_id ${String(id).slice(0, 100)}`);
    if (d.locations !== undefined && (!Array.isArray(d.locations) || !d.locations.includes(issuer))) throw fail('invalid_authorization_details', 'locations must name this credential issuer');
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

export interface CheckedRequest {
  client: WalletClient;
  redirectUri: string;
  state?: string;
  codeChallenge: string;
  configurationIds: string[];
  offerId?: string;
}

const one = (q: Record<string, unknown>, name: string): string | undefined => {
  const v = q[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** Checks an authorization request's parameters (RFC 6749 §4.1.1, RFC 7636, RFC 9396, OpenID4VCI §5.1). */
export async function checkAuthorizationRequest(platform: Platform, q: Record<string, unknown>): Promise<CheckedRequest> {
  const issuer = issuerOf(platform);
  // first what decides whether an error may go back to the wallet at all
  if (Array.isArray(q.client_id) || Array.isArray(q.redirect_uri)) throw new AuthorizeError('invalid_request', 'client_id and redirect_uri may be given once only');
  const clientId = one(q, 'client_id');
  if (!clientId) throw new AuthorizeError('invalid_request', 'client_id is missing');
  const client = clientId.length <= 100 ? await findWalletClient(platform.db, clientId) : undefined;
  if (!client || client.disabled) throw new AuthorizeError('invalid_client', 'this wallet is not registered with the issuer');
  const redirectUri = one(q, 'redirect_uri');
  if (!redirectUri) throw new AuthorizeError('invalid_request', 'redirect_uri is missing');
  if (!client.redirectUris.includes(redirectUri)) throw new AuthorizeError('invalid_request', 'redirect_uri is not one the wallet registered');

  const rawState = typeof q.state === 'string' ? q.state : undefined;
  const state = rawState && rawState.length <= 500 ? rawState : undefined;
  const fail = (error: string, description: string) => new AuthorizeError(error, description, { uri: redirectUri, state });
  for (const [k, v] of Object.entries(q)) if (Array.isArray(v)) throw fail('invalid_request', `${k.slice(0, 40)} is given more than once`);
  if (rawState !== undefined && !state) throw fail('invalid_request', 'state is longer than 500 characters');
  const responseType = one(q, 'response_type');
  if (!responseType) throw fail('invalid_request', 'response_type is missing');
  if (responseType !== 'code') throw fail('unsupported_response_type', 'only response_type=code is supported');
  if (q.request !== undefined) throw fail('request_not_supported', 'request objects are not supported');
  if (q.request_uri !== undefined) throw fail('request_uri_not_supported', 'request_uri is not supported');
  const codeChallenge = one(q, 'code_challenge');
  if (!codeChallenge || one(q, 'code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) throw fail('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256');
  const resource = one(q, 'resource');
  if (resource !== undefined && resource !== issuer) throw fail('invalid_target', 'resource must be this credential issuer');

  const ids: string[] = [];
  const details = one(q, 'authorization_details');
  if (details !== undefined) {
    if (details.length > 10_000) throw fail('invalid_request', 'authorization_details is too long');
    ids.push(...parseAuthorizationDetails(issuer, details, fail));
  }
  // unknown scope values are ignored (OpenID4VCI §5.1.2)
  for (const s of (one(q, 'scope') ?? '').split(' ')) if (CONFIGURATIONS[s] && !ids.includes(s)) ids.push(s);
  let offerId: string | undefined;
  const issuerState = one(q, 'issuer_state');
  if (issuerState !== undefined) {
    const offer = issuerState.length <= 200 ? await offerOfIssuerState(platform, issuerState) : undefined;
    if (!offer) throw fail('invalid_request', 'issuer_state names no live credential offer (unknown, used or expired)');
    offerId = offer.id;
    // an offer's wallet may name nothing more: the offer's documents then
    if (!ids.length) ids.push(...offer.configurationIds);
  }
  if (!ids.length) throw fail('invalid_scope', 'name at least one credential configuration, in authorization_details or scope');
  if (ids.length > MAX_CONFIGURATIONS) throw fail('invalid_request', 'too many credential configurations');
  return { client, redirectUri, state, codeChallenge, configurationIds: ids, offerId };
}

/** Keeps a checked request until the citizen decides; its id is the consent page's address. */
export async function storeAuthorization(platform: Platform, r: CheckedRequest): Promise<string> {
  const id = randomUUID();
  await platform.db.execute(sql`insert into credentials.authorization (id, client_id, redirect_uri, state, code_challenge, configuration_ids, offer_id, expires_at)
    values (${id}::uuid, ${r.client.id}, ${r.redirectUri}, ${r.state ?? null}, ${r.codeChallenge}, ${textArrayLiteral(r.configurationIds)}::text[], ${r.offerId ?? null}::uuid,
      ${new Date(Date.now() + AUTHORIZATION_TTL_MS).toISOString()})`);
  if (Math.random() < 0.01) await platform.db.execute(sql`delete from credentials.authorization where expires_at < now() - interval '1 day' and (code_expires_at is null or code_expires_at < now() - interval '1 day')`);
  return id;
}

export interface PendingAuthorization {
  id: string;
  client: WalletClient;
  redirectUri: string;
  state?: string;
  configurationIds: string[];
  offerId?: string;
  /** The citizen the offer named by issuer_state was made for. */
  offerCitizenId?: string;
}

/** An authorization waiting for the citizen's decision (undefined: unknown, decided or expired). */
export async function pendingAuthorization(platform: Platform, id: string): Promise<PendingAuthorization | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const [r] = await rows<{ client_id: string; redirect_uri: string; state: string | null; configuration_ids: string[] | string; offer_id: string | null; offer_citizen: string | null }>(
    platform.db,
    sql`select a.client_id, a.redirect_uri, a.state, a.configuration_ids, a.offer_id::text as offer_id, o.citizen_id::text as offer_citizen
        from credentials.authorization a left join credentials.offer o on o.id = a.offer_id
        where a.id = ${id}::uuid and a.decision is null and a.expires_at > now()`,
  );
  if (!r) return undefined;
  const client = await findWalletClient(platform.db, r.client_id);
  if (!client || client.disabled) return undefined;
  return {
    id,
    client,
    redirectUri: r.redirect_uri,
    state: r.state ?? undefined,
    configurationIds: textArray(r.configuration_ids),
    offerId: r.offer_id ?? undefined,
    offerCitizenId: r.offer_citizen ?? undefined,
  };
}

/**
 * The citizen's decision: a code for the wallet (allowed) or `access_denied`; either way the URI
 * to send the browser back to. Spends the offer named by issuer_state. Undefined when the
 * authorization was decided meanwhile (a second submit) or has expired.
 */
export async function decideAuthorization(platform: Platform, a: PendingAuthorization, citizenId: string, allow: boolean): Promise<string | undefined> {
  const code = allow ? randomBytes(32).toString('base64url') : undefined;
  const decided = await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await rows(tx, sql`update credentials.authorization set citizen_id = ${citizenId}::uuid, decision = ${allow ? 'allowed' : 'denied'}, decided_at = now(),
        code_hash = ${code ? platform.crypto.blindIndex(code, CODE_CONTEXT) : null}, code_expires_at = ${code ? new Date(Date.now() + CODE_TTL_MS).toISOString() : null}
      where id = ${a.id}::uuid and decision is null and expires_at > now() returning 1`);
    if (!r.length) return false;
    if (allow && a.offerId && !(await spendOffer(tx, a.offerId))) throw new AuthorizeError('invalid_request', 'the credential offer was used or has expired meanwhile', { uri: a.redirectUri, state: a.state });
    await platform.audit.append(
      { actor: `citizen:${citizenId}`, action: allow ? 'credentials.authorization.granted' : 'credentials.authorization.denied', subject: `wallet-client:${a.client.id}`, data: { configurations: a.configurationIds } },
      tx,
    );
    return true;
  });
  if (!decided) return undefined;
  return code
    ? responseUri(platform, a.redirectUri, { code, state: a.state })
    : responseUri(platform, a.redirectUri, { error: 'access_denied', error_description: 'the person declined', state: a.state });
}

/**
 * Redeems an authorization code at the token endpoint (once, within CODE_TTL_MS), checking the
 * client, the redirect URI and the PKCE verifier; any mismatch spends the code. A code presented
 * again revokes the refresh tokens it gave. Returns the grant and the family for refresh tokens.
 */
export async function redeemAuthorizationCode(
  platform: Platform,
  input: { code: string; clientId: string; redirectUri: string | undefined; codeVerifier: string | undefined },
): Promise<{ grant: Grant; family: string }> {
  const hash = platform.crypto.blindIndex(input.code, CODE_CONTEXT);
  const [r] = await rows<{ id: string; client_id: string; redirect_uri: string; code_challenge: string; citizen_id: string; configuration_ids: string[] | string }>(
    platform.db,
    sql`update credentials.authorization set redeemed_at = now() where code_hash = ${hash} and redeemed_at is null and code_expires_at > now()
        returning id::text as id, client_id, redirect_uri, code_challenge, citizen_id::text as citizen_id, configuration_ids`,
  );
  if (!r) {
    const [used] = await rows<{ id: string; citizen_id: string }>(platform.db, sql`select id::text as id, citizen_id::text as citizen_id from credentials.authorization where code_hash = ${hash} and redeemed_at is not null`);
    if (used) {
      const revoked = await revokeRefreshFamily(platform, used.id);
      await platform.audit.append({ actor: 'wallet', action: 'credentials.authorization-code.reused', subject: `citizen:${used.citizen_id}`, data: { authorization: used.id, refreshTokensRevoked: revoked } });
    }
    throw new OAuthError(400, 'invalid_grant', 'the authorization code is unknown, used or expired');
  }
  if (r.client_id !== input.clientId) throw new OAuthError(400, 'invalid_grant', 'the authorization code was issued to another client');
  const client = await findWalletClient(platform.db, input.clientId);
  if (!client || client.disabled) throw new OAuthError(401, 'invalid_client', 'this wallet is not registered with the issuer');
  if (input.redirectUri !== r.redirect_uri) throw new OAuthError(400, 'invalid_grant', 'redirect_uri differs from the authorization request\u2019s');
  if (!input.codeVerifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(input.codeVerifier)) throw new OAuthError(400, 'invalid_grant', 'a PKCE code_verifier (43 to 128 characters) is required');
  if (createHash('sha256').update(input.codeVerifier).digest('base64url') !== r.code_challenge) throw new OAuthError(400, 'invalid_grant', 'the code_verifier does not match the code_challenge');
  return { grant: { citizenId: r.citizen_id, configurationIds: textArray(r.configuration_ids), clientId: r.client_id }, family: r.id };
}
