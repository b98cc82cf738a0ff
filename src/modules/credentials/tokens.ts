import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { rows, textArray, textArrayLiteral } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { CONFIGURATIONS } from './documents.ts';
import { OAuthError } from './errors.ts';
import { issuerOf } from './offers.ts';

/**
 * The issuer's tokens: access tokens (short ES256 JWTs, `typ: at+jwt`, for this issuer only,
 * naming the citizen and the configurations granted) and, when a granted document needs an
 * official's approval, a refresh token so that the wallet can keep asking for it while it waits
 * (deferred issuance). Refresh tokens are opaque, stored as keyed hashes, rotated at each use; a
 * used one presented again revokes its family.
 */
export const ACCESS_TOKEN_TTL_S = 600;
export const REFRESH_TOKEN_TTL_MS = 30 * 86400_000;
const REFRESH_CONTEXT = 'credentials.refresh-token';

export interface Grant {
  citizenId: string;
  configurationIds: string[];
  /** The wallet client of an authorization code grant (none for a pre-authorized code). */
  clientId?: string;
}

const needsApproval = (ids: string[]) => ids.some((id) => CONFIGURATIONS[id]?.approval);

/**
 * The token response (RFC 6749 §5.1 with OpenID4VCI's authorization_details) for a grant. A
 * refresh token comes with it when a granted document needs approval, or when `refresh.rotating`
 * (the grant was itself a refresh token): `refresh.family` names the family (the authorization's
 * id for an authorization code, so that a code presented twice can revoke what it gave).
 */
export async function tokenResponse(platform: Platform, grant: Grant, refresh?: { family: string; expiresAt?: Date; rotating?: boolean }): Promise<Record<string, unknown>> {
  const issuer = issuerOf(platform);
  const accessToken = await platform.keys.sign(
    'ES256',
    { cid: grant.citizenId, credential_configuration_ids: grant.configurationIds, ...(grant.clientId ? { client_id: grant.clientId } : {}) },
    { typ: 'at+jwt', issuer, audience: issuer, expiresIn: ACCESS_TOKEN_TTL_S, jti: randomUUID() },
  );
  let refreshToken: string | undefined;
  if (refresh?.rotating || needsApproval(grant.configurationIds)) {
    refreshToken = randomBytes(32).toString('base64url');
    const family = refresh?.family ?? randomUUID();
    const expiresAt = refresh?.expiresAt ?? new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
    await platform.db.execute(sql`insert into credentials.refresh_token (token_hash, family, citizen_id, configuration_ids, client_id, expires_at)
      values (${platform.crypto.blindIndex(refreshToken, REFRESH_CONTEXT)}, ${family}::uuid, ${grant.citizenId}::uuid, ${textArrayLiteral(grant.configurationIds)}::text[],
        ${grant.clientId ?? null}, ${expiresAt.toISOString()})`);
    if (Math.random() < 0.01) await platform.db.execute(sql`delete from credentials.refresh_token where expires_at < now() - interval '1 day'`);
  }
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_S,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    authorization_details: grant.configurationIds.map((id) => ({ type: 'openid_credential', credential_configuration_id: id, credential_identifiers: [id] })),
  };
}

/**
 * Redeems a refresh token (once): the grant it carries and its family, for the next one. A token
 * used before revokes every token of its family (someone else holds a copy); a token of a wallet
 * client needs that client's `client_id`.
 */
export async function redeemRefreshToken(platform: Platform, token: string, clientId: string | undefined): Promise<{ grant: Grant; family: string; expiresAt: Date }> {
  const hash = platform.crypto.blindIndex(token, REFRESH_CONTEXT);
  const [r] = await rows<{ family: string; citizen_id: string; configuration_ids: string[] | string; client_id: string | null; expires_at: string | Date }>(
    platform.db,
    sql`update credentials.refresh_token set used_at = now()
        where token_hash = ${hash} and used_at is null and revoked_at is null and expires_at > now()
        returning family::text as family, citizen_id::text as citizen_id, configuration_ids, client_id, expires_at`,
  );
  if (!r) {
    const revoked = await rows<{ citizen_id: string }>(
      platform.db,
      sql`update credentials.refresh_token set revoked_at = now() where revoked_at is null
          and family = (select family from credentials.refresh_token where token_hash = ${hash} and used_at is not null) returning citizen_id::text as citizen_id`,
    );
    if (revoked.length) await platform.audit.append({ actor: 'wallet', action: 'credentials.refresh-token.reused', subject: `citizen:${revoked[0]!.citizen_id}`, data: { revoked: revoked.length } });
    throw new OAuthError(400, 'invalid_grant', 'the refresh token is unknown, used, revoked or expired');
  }
  if (r.client_id && r.client_id !== clientId) throw new OAuthError(400, 'invalid_grant', 'the refresh token was issued to another client');
  return {
    grant: { citizenId: r.citizen_id, configurationIds: textArray(r.configuration_ids), ...(r.client_id ? { clientId: r.client_id } : {}) },
    family: r.family,
    expiresAt: new Date(r.expires_at),
  };
}

/** Revokes a family of refresh tokens (e.g. those issued from an authorization code presented twice). */
export async function revokeRefreshFamily(platform: Platform, family: string): Promise<number> {
  const r = await rows(platform.db, sql`update credentials.refresh_token set revoked_at = now() where family = ${family}::uuid and revoked_at is null returning 1`);
  return r.length;
}

/**
 * A verifier of this issuer's access tokens (`Authorization: Bearer …`): the grant, or
 * `invalid_token` (401). A key rotated in another process signs tokens this one has not seen
 * yet: it looks once more.
 */
export function accessTokens(platform: Platform): (req: FastifyRequest) => Promise<Grant> {
  const issuer = issuerOf(platform);
  let jwks: { at: number; set: ReturnType<typeof createLocalJWKSet> } | undefined;
  const localJwks = async (fresh = false) => {
    if (fresh || !jwks || Date.now() - jwks.at > 5000) jwks = { at: Date.now(), set: createLocalJWKSet((await platform.keys.jwks()) as JSONWebKeySet) };
    return jwks.set;
  };
  const verifyToken = async (token: string) => {
    const opts = { issuer, audience: issuer, typ: 'at+jwt' };
    try {
      return await jwtVerify(token, await localJwks(), opts);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw e;
      return jwtVerify(token, await localJwks(true), opts);
    }
  };
  return async (req) => {
    const token = /^(?:Bearer|DPoP) ([A-Za-z0-9._~+/-]+=*)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new OAuthError(401, 'invalid_token', 'an access token from the token endpoint is required');
    try {
      const { payload } = await verifyToken(token);
      const ids = payload.credential_configuration_ids;
      if (typeof payload.cid !== 'string' || !Array.isArray(ids)) throw new Error('claims');
      return { citizenId: payload.cid, configurationIds: ids as string[], ...(typeof payload.client_id === 'string' ? { clientId: payload.client_id } : {}) };
    } catch {
      throw new OAuthError(401, 'invalid_token', 'the access token is not valid');
    }
  };
}
