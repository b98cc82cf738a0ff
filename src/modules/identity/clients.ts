import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { forgetClient } from './oidc-adapter.ts';
import { MANAGEMENT_SCOPES, scopeFor } from './oidc.ts';

/**
 * The OpenID Provider's clients (relying parties), stored where oidc-provider reads them
 * (identity.oidc_payload, model Client). Created from the CLI, by an agency administrator in the
 * console (for their own agency) or through the GovStack client-management API; a disabled client
 * keeps its row (for the record) but the provider no longer finds it, and its grants and tokens
 * are gone.
 */
export interface ClientInput {
  name: string;
  redirectUris: string[];
  /** A public agency's client: public subject ids; others get pairwise ids per sector. */
  publicAgency?: boolean;
  /** Where back-channel logout tokens are POSTed. */
  backchannelLogoutUri?: string;
  /** The agency (member code) whose officials manage the client. */
  agency?: string;
  /** A public agency's legal basis for receiving resident registration numbers (law and article); allows the `rrn` scope. */
  rrnLegalBasis?: string;
  /**
   * A management client: no sign-in flows, only the client-credentials grant for the scopes of the
   * GovStack client-management API (add_oidc_client, update_oidc_client), acting for `agency`.
   */
  management?: boolean;
}

export class ClientInputError extends BadRequestError {
  constructor(field: string, message: string) {
    super(message, { errors: [{ field, code: 'invalid' }] }, 'validation_failed');
  }
}

/** Checks a client's input; throws ClientInputError naming the field. */
export function checkClientInput(platform: Platform, input: ClientInput): void {
  if (!input.name.trim() || input.name.length > 200) throw new ClientInputError('name', 'the service needs a name (at most 200 characters)');
  if (input.management) {
    if (!input.agency) throw new ClientInputError('agency', 'a management client acts for an agency: name it');
    return;
  }
  if (!input.redirectUris.length || input.redirectUris.length > 10) throw new ClientInputError('redirectUris', 'give one to ten redirect URIs');
  const check = (field: string, u: string) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new ClientInputError(field, `not a URL: ${u.slice(0, 100)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ClientInputError(field, `a redirect URI is https (http only in demo mode): ${u.slice(0, 100)}`);
    if (platform.config.mode === 'production' && url.protocol !== 'https:') throw new ClientInputError(field, `must be https in production: ${u.slice(0, 100)}`);
    if (url.hash) throw new ClientInputError(field, `must not have a fragment: ${u.slice(0, 100)}`);
  };
  for (const u of input.redirectUris) check('redirectUris', u);
  if (input.backchannelLogoutUri) check('backchannelLogoutUri', input.backchannelLogoutUri);
  if (input.rrnLegalBasis !== undefined && (!input.publicAgency || !input.rrnLegalBasis.trim() || input.rrnLegalBasis.length > 300)) {
    throw new ClientInputError('rrnLegalBasis', 'only a public agency client can hold a legal basis for RRNs, and it names the law (at most 300 characters)');
  }
}

/** Registers a confidential client; the secret is returned once and stored as oidc-provider keeps it. */
export async function createClient(platform: Platform, input: ClientInput, actor = 'operator:cli'): Promise<{ clientId: string; clientSecret: string }> {
  checkClientInput(platform, input);
  const rrnBasis = input.rrnLegalBasis?.trim();
  const clientId = `hanaro-${randomBytes(9).toString('base64url')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const flows = input.management
    ? { scope: MANAGEMENT_SCOPES.join(' '), redirect_uris: [], grant_types: ['client_credentials'], response_types: [] }
    : { scope: scopeFor(Boolean(rrnBasis)), redirect_uris: input.redirectUris, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] };
  const metadata = {
    client_id: clientId,
    client_secret: clientSecret,
    client_name: input.name.trim(),
    ...flows,
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
    subject_type: input.publicAgency || input.management ? 'public' : 'pairwise',
    ...(input.backchannelLogoutUri ? { backchannel_logout_uri: input.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
    'urn:hanaro:public_agency': Boolean(input.publicAgency),
    ...(input.agency ? { 'urn:hanaro:agency': input.agency } : {}),
    ...(rrnBasis ? { 'urn:hanaro:rrn_legal_basis': rrnBasis } : {}),
  };
  await saveClient(platform, metadata, actor, { management: Boolean(input.management), publicAgency: Boolean(input.publicAgency), rrnLegalBasis: rrnBasis ?? null });
  return { clientId, clientSecret };
}

/** Stores a new client's metadata (409 duplicate_client_id when the id is taken) with an audit entry. */
export async function saveClient(platform: Platform, metadata: Record<string, unknown> & { client_id: string }, actor: string, auditData: Record<string, unknown> = {}): Promise<void> {
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const made = await rows(tx, sql`insert into identity.oidc_payload (model, id, payload) values ('Client', ${metadata.client_id}, ${JSON.stringify(metadata)}::jsonb)
      on conflict (model, id) do nothing returning 1`);
    if (!made.length) throw new ConflictError('a client with this id exists', 'duplicate_client_id');
    // a look-up before it existed may have been remembered as "no such client"
    forgetClient(platform.db, metadata.client_id);
    await platform.audit.append({ actor, action: 'identity.oidc-client.created', subject: `client:${metadata.client_id}`, data: { name: metadata.client_name, redirectUris: metadata.redirect_uris, agency: metadata['urn:hanaro:agency'] ?? null, ...auditData } }, tx);
  });
}

/** Replaces a client's metadata (the GovStack update), keeping what the caller may not change. */
export async function updateClient(platform: Platform, clientId: string, metadata: Record<string, unknown>, actor: string): Promise<void> {
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await rows(tx, sql`update identity.oidc_payload set payload = ${JSON.stringify(metadata)}::jsonb where model = 'Client' and id = ${clientId} returning 1`);
    if (!r.length) throw new NotFoundError('no such client', 'client_not_found');
    if (metadata['urn:hanaro:disabled_at']) await revokeEverything(tx, clientId);
    await platform.audit.append({ actor, action: 'identity.oidc-client.updated', subject: `client:${clientId}`, data: { name: metadata.client_name, redirectUris: metadata.redirect_uris, disabled: Boolean(metadata['urn:hanaro:disabled_at']) } }, tx);
  });
  forgetClient(platform.db, clientId);
}

/** A client's stored metadata as oidc-provider reads it (disabled or not). */
export async function clientMetadata(db: Db, clientId: string): Promise<Record<string, unknown> | undefined> {
  const [r] = await rows<{ payload: unknown }>(db, sql`select payload from identity.oidc_payload where model = 'Client' and id = ${clientId}`);
  return r ? parse(r.payload) : undefined;
}


export interface ClientView {
  clientId: string;
  name: string;
  redirectUris: string[];
  backchannelLogoutUri: string | null;
  publicAgency: boolean;
  agency: string | null;
  rrnLegalBasis: string | null;
  authMethod: string;
  disabledAt: string | null;
}

type Metadata = Record<string, unknown> & { client_id: string; client_name?: string; redirect_uris?: string[] };

function view(m: Metadata): ClientView {
  return {
    clientId: m.client_id,
    name: m.client_name ?? m.client_id,
    redirectUris: m.redirect_uris ?? [],
    backchannelLogoutUri: (m.backchannel_logout_uri as string | undefined) ?? null,
    publicAgency: m['urn:hanaro:public_agency'] === true,
    agency: (m['urn:hanaro:agency'] as string | undefined) ?? null,
    rrnLegalBasis: (m['urn:hanaro:rrn_legal_basis'] as string | undefined) ?? null,
    authMethod: String(m.token_endpoint_auth_method ?? 'client_secret_basic'),
    disabledAt: (m['urn:hanaro:disabled_at'] as string | undefined) ?? null,
  };
}

const parse = (p: unknown) => (typeof p === 'string' ? JSON.parse(p) : p) as Metadata;

/** The clients an agency's officials manage (every client when `agency` is undefined). */
export async function listClients(db: Db, agency?: string): Promise<ClientView[]> {
  const found = await rows<{ payload: unknown }>(
    db,
    agency === undefined
      ? sql`select payload from identity.oidc_payload where model = 'Client' order by payload ->> 'client_name', id`
      : sql`select payload from identity.oidc_payload where model = 'Client' and payload ->> 'urn:hanaro:agency' = ${agency} order by payload ->> 'client_name', id`,
  );
  return found.map((r) => view(parse(r.payload)));
}

export async function findClient(db: Db, clientId: string): Promise<ClientView | undefined> {
  const [r] = await rows<{ payload: unknown }>(db, sql`select payload from identity.oidc_payload where model = 'Client' and id = ${clientId}`);
  return r ? view(parse(r.payload)) : undefined;
}

/** The client, if `agency` manages it (undefined: any agency, for platform administrators); 404 otherwise. */
export async function clientOf(db: Db, clientId: string, agency: string | undefined): Promise<ClientView> {
  const c = await findClient(db, clientId);
  if (!c || (agency !== undefined && c.agency !== agency)) throw new NotFoundError('no such client', 'client_not_found');
  return c;
}

/** Ends every grant, code and token of a client (after a new secret or when disabled). */
async function revokeEverything(tx: Db, clientId: string): Promise<void> {
  await tx.execute(sql`delete from identity.oidc_payload where model <> 'Client' and payload ->> 'clientId' = ${clientId}`);
}

/** A new secret for a client, returned once; the old one stops working at once. */
export async function rotateClientSecret(platform: Platform, clientId: string, actor: string): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await rows(tx, sql`update identity.oidc_payload set payload = jsonb_set(payload, '{client_secret}', to_jsonb(${secret}::text))
      where model = 'Client' and id = ${clientId} and not (payload ? 'urn:hanaro:disabled_at') returning 1`);
    if (!r.length) throw new NotFoundError('no such client', 'client_not_found');
    await platform.audit.append({ actor, action: 'identity.oidc-client.secret-rotated', subject: `client:${clientId}` }, tx);
  });
  forgetClient(platform.db, clientId);
  return secret;
}

/** Disables a client: the provider no longer finds it and its grants and tokens are revoked. */
export async function disableClient(platform: Platform, clientId: string, actor: string): Promise<void> {
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await rows(tx, sql`update identity.oidc_payload set payload = payload || jsonb_build_object('urn:hanaro:disabled_at', ${new Date().toISOString()}::text)
      where model = 'Client' and id = ${clientId} and not (payload ? 'urn:hanaro:disabled_at') returning 1`);
    if (!r.length) throw new NotFoundError('no such client', 'client_not_found');
    await revokeEverything(tx, clientId);
    await platform.audit.append({ actor, action: 'identity.oidc-client.disabled', subject: `client:${clientId}` }, tx);
  });
  forgetClient(platform.db, clientId);
}
