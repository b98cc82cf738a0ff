import { createHash, createPrivateKey, KeyObject, randomBytes, randomUUID, sign as nodeSign, webcrypto, type JsonWebKey as NodeJsonWebKey } from 'node:crypto';
// @peculiar/x509 2.x needs the reflect-metadata polyfill (tsyringe) and does not load it itself
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { DcqlPresentationResult, DcqlQuery } from 'dcql';
import { sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import { rows } from '../../platform/db.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { CONFIGURATIONS, type Names } from './documents.ts';
import { vctOf } from './issuer.ts';
import { issuerOf } from './offers.ts';
import { statusListToken } from './status.ts';
import { verifyPresentation, VerificationError, type VerificationCode } from './verify.ts';

/**
 * The verifier (OpenID4VP 1.0 with DCQL). A registered relying party (a bank, an employer, a
 * landlord, an agency's counter) asks for claims; the holder's wallet fetches the signed request
 * object by reference, shows who asks, why and which claims go, and posts the presentation back
 * (`direct_post`). The verifier checks it offline against the issuers it trusts (signature,
 * disclosures, expiry, key binding with this request's nonce and the relying party's client_id,
 * status from the status list, that the DCQL query is met and the types are the ones asked for)
 * and keeps the disclosed claims for the relying party to read, for an hour at most.
 *
 * Each relying party has a P-256 key and a self-signed certificate; its client_id is
 * `x509_hash:<base64url SHA-256 of the certificate>` (OpenID4VP 1.0 §5.9.3, HAIP's choice), and
 * the request object carries the certificate in `x5c`. Wallets learn that a client_id belongs to a
 * relying party registered here from the published register (`/credentials/verifiers`).
 */
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const REQUEST_TTL_MS = 10 * 60_000;
export const RESULT_RETENTION_MS = 60 * 60_000;
const API_KEY_CONTEXT = 'credentials.relying_party.api_key';
const PRIVATE_KEY_CONTEXT = 'credentials.relying_party.private_key';

export interface RelyingParty {
  id: string;
  name: Names;
  kind: 'private' | 'agency';
  purpose: Names;
  clientId: string;
  certificate: string;
  createdAt: string;
  disabled: boolean;
}

interface RpRow {
  id: string;
  name_ko: string;
  name_en: string;
  kind: 'private' | 'agency';
  purpose_ko: string;
  purpose_en: string;
  client_id: string;
  certificate: string;
  created_at: Date | string;
  disabled_at: Date | string | null;
}
const RP_COLUMNS = sql`id, name_ko, name_en, kind, purpose_ko, purpose_en, client_id, certificate, created_at, disabled_at`;
const toRp = (r: RpRow): RelyingParty => ({
  id: r.id,
  name: { ko: r.name_ko, en: r.name_en },
  kind: r.kind,
  purpose: { ko: r.purpose_ko, en: r.purpose_en },
  clientId: r.client_id,
  certificate: r.certificate,
  createdAt: new Date(r.created_at).toISOString(),
  disabled: r.disabled_at !== null,
});

const dnValue = (s: string) => s.replace(/[^A-Za-z0-9 .()&'-]/g, ' ').trim().slice(0, 64) || 'Relying party';

/** A P-256 key and a self-signed certificate naming the relying party (3 years). */
async function newCertificate(nameEn: string): Promise<{ der: Buffer; privateJwk: JsonWebKey }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${dnValue(nameEn)}, O=Hanaro relying party, C=KR`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 3 * 365 * 86400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { der: Buffer.from(cert.rawData), privateJwk: (await webcrypto.subtle.exportKey('jwk', keys.privateKey)) as JsonWebKey };
}

export const x509HashClientId = (der: Buffer) => `x509_hash:${createHash('sha256').update(der).digest('base64url')}`;

export interface NewRelyingParty {
  id: string;
  name: Names;
  kind: 'private' | 'agency';
  purpose: Names;
  /** Give it an API key (shown once) for POST /api/verifier/requests. */
  apiKey: boolean;
}

/** Registers a relying party; returns it and its API key (shown once; stored only as a keyed hash). */
export async function createRelyingParty(platform: Platform, input: NewRelyingParty, createdBy: string): Promise<{ rp: RelyingParty; apiKey?: string }> {
  if (!/^[a-z0-9][a-z0-9:/._-]{1,79}$/i.test(input.id)) throw new BadRequestError('a relying party id is 2-80 letters, digits and : / . _ -', undefined, 'invalid_relying_party');
  const { der, privateJwk } = await newCertificate(input.name.en);
  const apiKey = input.apiKey ? `hrp_${randomBytes(24).toString('base64url')}` : undefined;
  const clientId = x509HashClientId(der);
  const inserted = await rows<RpRow>(
    platform.db,
    sql`insert into credentials.relying_party (id, name_ko, name_en, kind, purpose_ko, purpose_en, api_key_hash, certificate, client_id, private_key, created_by)
      values (${input.id}, ${input.name.ko}, ${input.name.en}, ${input.kind}, ${input.purpose.ko}, ${input.purpose.en},
        ${apiKey ? platform.crypto.blindIndex(apiKey, API_KEY_CONTEXT) : null}, ${der.toString('base64')}, ${clientId},
        ${platform.crypto.encrypt(JSON.stringify(privateJwk), `${PRIVATE_KEY_CONTEXT}:${input.id}`)}, ${createdBy})
      on conflict (id) do nothing returning ${RP_COLUMNS}`,
  );
  if (!inserted[0]) throw new ConflictError(`relying party ${input.id} exists already`, 'relying_party_exists');
  await platform.audit.append({ actor: createdBy, action: 'credentials.relying-party-registered', subject: `relying-party:${input.id}`, data: { kind: input.kind, clientId } });
  return { rp: toRp(inserted[0]), apiKey };
}

/** The relying party an API key belongs to (undefined: unknown or disabled). */
export async function relyingPartyByApiKey(platform: Platform, apiKey: string): Promise<RelyingParty | undefined> {
  if (!/^hrp_[A-Za-z0-9_-]{32}$/.test(apiKey)) return undefined;
  const [r] = await rows<RpRow>(platform.db, sql`select ${RP_COLUMNS} from credentials.relying_party where api_key_hash = ${platform.crypto.blindIndex(apiKey, API_KEY_CONTEXT)} and disabled_at is null`);
  return r ? toRp(r) : undefined;
}

export async function relyingParty(platform: Platform, id: string): Promise<RelyingParty | undefined> {
  const [r] = await rows<RpRow>(platform.db, sql`select ${RP_COLUMNS} from credentials.relying_party where id = ${id}`);
  return r ? toRp(r) : undefined;
}

export async function listRelyingParties(platform: Platform): Promise<RelyingParty[]> {
  return (await rows<RpRow>(platform.db, sql`select ${RP_COLUMNS} from credentials.relying_party order by kind, id`)).map(toRp);
}

/** A relying party of the platform's own (an agency's counter, Hanaro's sign-up), registered on first use. */
async function ensureRelyingParty(platform: Platform, input: Omit<NewRelyingParty, 'apiKey'>, createdBy: string): Promise<RelyingParty> {
  const found = await relyingParty(platform, input.id);
  if (found) return found;
  try {
    return (await createRelyingParty(platform, { ...input, apiKey: false }, createdBy)).rp;
  } catch (e) {
    // two at once: the other one registered it
    if (e instanceof ConflictError) return (await relyingParty(platform, input.id))!;
    throw e;
  }
}

/** An agency's counter verifies as the agency. */
export function agencyRelyingParty(platform: Platform, agency: string, name: Names, createdBy: string): Promise<RelyingParty> {
  return ensureRelyingParty(platform, { id: `agency:${agency}`, name, kind: 'agency', purpose: { ko: '창구 본인·자격 확인', en: 'Identity and eligibility checks at the counter' } }, createdBy);
}

/** Hanaro itself, when a resident signs up or in with their mobile ID. */
export function enrolmentRelyingParty(platform: Platform): Promise<RelyingParty> {
  return ensureRelyingParty(
    platform,
    {
      id: 'hanaro:sign-in',
      name: { ko: '하나로 (행정안전부)', en: 'Hanaro (Ministry of the Interior and Safety)' },
      kind: 'agency',
      purpose: { ko: '모바일 신분증으로 하나로에 가입하거나 로그인합니다', en: 'Sign up for or sign in to Hanaro with your mobile ID' },
    },
    'platform',
  );
}

/** The resident a credential Hanaro issued belongs to, found by its status-list entry (valid ones only). */
export async function citizenOfCredential(platform: Platform, ref: { uri: string; idx: number }, configurationId: string): Promise<string | undefined> {
  const prefix = `${issuerOf(platform)}/credentials/status/`;
  if (!ref.uri.startsWith(prefix)) return undefined;
  const [r] = await rows<{ citizen_id: string }>(
    platform.db,
    sql`select citizen_id::text as citizen_id from credentials.credential
        where list_id = ${ref.uri.slice(prefix.length)} and idx = ${ref.idx} and configuration_id = ${configurationId} and status = 0 and expires_at > now()`,
  );
  return r?.citizen_id;
}

export async function disableRelyingParty(platform: Platform, id: string, actor: string): Promise<boolean> {
  const r = await rows(platform.db, sql`update credentials.relying_party set disabled_at = now() where id = ${id} and disabled_at is null returning 1`);
  if (r.length) await platform.audit.append({ actor, action: 'credentials.relying-party-disabled', subject: `relying-party:${id}`, data: {} });
  return r.length > 0;
}

/** The relying party's request signer (a node KeyObject, opened once per process). */
const signers = new Map<string, KeyObject>();
async function signerOf(platform: Platform, rpId: string): Promise<KeyObject> {
  let key = signers.get(rpId);
  if (!key) {
    const [r] = await rows<{ private_key: string }>(platform.db, sql`select private_key from credentials.relying_party where id = ${rpId}`);
    if (!r) throw new NotFoundError('no such relying party', 'relying_party_not_found');
    key = createPrivateKey({ key: JSON.parse(platform.crypto.decrypt(r.private_key, `${PRIVATE_KEY_CONTEXT}:${rpId}`)) as NodeJsonWebKey, format: 'jwk' });
    signers.set(rpId, key);
  }
  return key;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function signJwt(key: KeyObject, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64({ alg: 'ES256', ...header })}.${b64(payload)}`;
  return `${input}.${nodeSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

// ---- what a relying party may ask ------------------------------------------------------------------

/** The counter page's ready-made checks, as DCQL queries over the documents Hanaro issues. */
export const CHECKS = {
  'age-over-19': {
    name: { ko: '만 19세 이상 확인', en: 'Aged 19 or over' },
    types: ['kr.mois.resident-id.sd-jwt', 'kr.knpa.driving-licence.sd-jwt'],
    claims: [['age_equal_or_over', '19']],
  },
  identity: {
    name: { ko: '본인 확인 (성명, 생년월일)', en: 'Identity (name, date of birth)' },
    types: ['kr.mois.resident-id.sd-jwt', 'kr.knpa.driving-licence.sd-jwt'],
    claims: [['name'], ['birthdate']],
  },
  address: {
    name: { ko: '주소 확인', en: 'Address' },
    types: ['kr.mois.resident-id.sd-jwt'],
    claims: [['name'], ['address', 'region'], ['address', 'locality'], ['address', 'street_address']],
  },
  'driving-licence': {
    name: { ko: '운전면허 확인', en: 'Driving licence' },
    types: ['kr.knpa.driving-licence.sd-jwt'],
    claims: [['name'], ['document_number'], ['driving_privileges']],
  },
  'no-tax-arrears': {
    name: { ko: '체납 없음 확인', en: 'No tax arrears' },
    types: ['kr.nts.tax-payment.sd-jwt'],
    claims: [['name'], ['no_arrears'], ['tax_year']],
  },
} as const satisfies Record<string, { name: Names; types: string[]; claims: string[][] }>;
export type CheckId = keyof typeof CHECKS;
export const isCheck = (v: unknown): v is CheckId => typeof v === 'string' && Object.hasOwn(CHECKS, v);

/** A ready-made check as a DCQL query (one credential query `doc`, any of the check's types). */
export function dcqlOfCheck(platform: Platform, check: CheckId): Record<string, unknown> {
  const c = CHECKS[check];
  return {
    credentials: [{ id: 'doc', format: 'dc+sd-jwt', meta: { vct_values: c.types.map((t) => vctOf(platform, CONFIGURATIONS[t]!)) }, claims: c.claims.map((path) => ({ path })) }],
  };
}

/** Parses and checks a DCQL query a relying party sent: well-formed, SD-JWT VCs of known types, at most 10 credentials. */
export function parseDcql(platform: Platform, input: unknown): DcqlQuery {
  let q: DcqlQuery;
  try {
    q = DcqlQuery.parse(input as DcqlQuery.Input);
    DcqlQuery.validate(q);
  } catch (e) {
    throw new BadRequestError(`dcql_query is not a valid DCQL query: ${(e instanceof Error ? e.message : String(e)).slice(0, 300)}`, undefined, 'invalid_dcql_query');
  }
  if (q.credentials.length > 10) throw new BadRequestError('dcql_query asks for more than 10 credentials', undefined, 'invalid_dcql_query');
  const known = new Set(Object.values(CONFIGURATIONS).map((c) => vctOf(platform, c)));
  for (const c of q.credentials) {
    if (c.format !== 'dc+sd-jwt') throw new BadRequestError(`credential query ${c.id}: only dc+sd-jwt is verified here (format ${c.format})`, undefined, 'invalid_dcql_query');
    const vcts = (c.meta as { vct_values?: string[] } | undefined)?.vct_values;
    if (!vcts?.length) throw new BadRequestError(`credential query ${c.id}: meta.vct_values must name the document types`, undefined, 'invalid_dcql_query');
    const unknown = vcts.filter((v) => !known.has(v));
    if (unknown.length) throw new BadRequestError(`credential query ${c.id}: no trusted issuer issues ${unknown.join(', ').slice(0, 200)}`, undefined, 'invalid_dcql_query');
  }
  return q;
}

// ---- requests -----------------------------------------------------------------------------------

export interface PresentationRequest {
  id: string;
  relyingPartyId: string;
  clientId: string;
  status: 'pending' | 'verified' | 'failed' | 'expired';
  purpose: Names;
  dcql: DcqlQuery.Input;
  result?: VerifiedResult;
  error?: string;
  createdAt: string;
  expiresAt: string;
  answeredAt?: string;
  /** Same-device requests only: the code the wallet brought back, which releases the result (null until answered). */
  responseCode?: string | null;
}

export interface VerifiedCredential {
  issuer: string;
  vct: string | undefined;
  type: string | undefined;
  name: Names | undefined;
  /** The disclosed claims (and the always-visible ones), without the issuer's bookkeeping. */
  claims: Record<string, unknown>;
  status: 'valid' | 'not-listed';
  /** Where its status is listed (what identifies the credential to its issuer, and no one else). */
  statusRef?: { uri: string; idx: number };
}
export interface VerifiedResult {
  credentials: Record<string, VerifiedCredential[]>;
}

const base = (platform: Platform) => issuerOf(platform);
export const requestUriOf = (platform: Platform, id: string) => `${base(platform)}/verifier/requests/${id}/request.jwt`;
export const responseUriOf = (platform: Platform) => `${base(platform)}/verifier/response`;

export interface CreatedRequest {
  id: string;
  clientId: string;
  requestUri: string;
  /** `openid4vp://?client_id=…&request_uri=…` for any wallet (the QR code's content). */
  uri: string;
  /** The same request for Hanaro's web wallet (an https link, for a phone's camera or a same-device button). */
  walletUrl: string;
  expiresAt: string;
}

const query = (clientId: string, requestUri: string) => `client_id=${encodeURIComponent(clientId)}&request_uri=${encodeURIComponent(requestUri)}`;

/** A request's links: its request URI, the `openid4vp://` link any wallet opens, and the same for Hanaro's web wallet. */
export function requestLinks(platform: Platform, clientId: string, id: string): { requestUri: string; uri: string; walletUrl: string } {
  const requestUri = requestUriOf(platform, id);
  return { requestUri, uri: `openid4vp://?${query(clientId, requestUri)}`, walletUrl: `${base(platform)}/wallet?${query(clientId, requestUri)}` };
}

export async function createRequest(
  platform: Platform,
  rp: RelyingParty,
  input: { dcql: DcqlQuery; purpose?: Names; redirectUri?: string },
  createdBy: string,
): Promise<CreatedRequest> {
  if (rp.disabled) throw new BadRequestError('this relying party is disabled', undefined, 'relying_party_disabled');
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + REQUEST_TTL_MS);
  const purpose = input.purpose ?? rp.purpose;
  await platform.db.execute(sql`insert into credentials.presentation_request (id, relying_party_id, nonce, state, dcql, purpose_ko, purpose_en, redirect_uri, created_by, expires_at)
    values (${id}::uuid, ${rp.id}, ${randomBytes(24).toString('base64url')}, ${randomBytes(24).toString('base64url')}, ${JSON.stringify(input.dcql)}::jsonb,
      ${purpose.ko}, ${purpose.en}, ${input.redirectUri ?? null}, ${createdBy}, ${expiresAt.toISOString()})`);
  // disclosed claims are not kept longer than needed
  if (Math.random() < 0.05) {
    await platform.db.execute(sql`update credentials.presentation_request set result = null where result is not null and answered_at < ${new Date(Date.now() - RESULT_RETENTION_MS).toISOString()}`);
  }
  return { id, clientId: rp.clientId, ...requestLinks(platform, rp.clientId, id), expiresAt: expiresAt.toISOString() };
}

interface RequestRow {
  id: string;
  relying_party_id: string;
  client_id: string;
  name_ko: string;
  name_en: string;
  nonce: string;
  state: string;
  dcql: DcqlQuery.Input | string;
  purpose_ko: string;
  purpose_en: string;
  redirect_uri: string | null;
  response_code: string | null;
  status: 'pending' | 'verified' | 'failed';
  result: VerifiedResult | string | null;
  error: string | null;
  created_at: Date | string;
  expires_at: Date | string;
  answered_at: Date | string | null;
}
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

async function requestRow(platform: Platform, where: { id: string } | { state: string }): Promise<RequestRow | undefined> {
  const cond = 'id' in where ? sql`r.id = ${where.id}::uuid` : sql`r.state = ${where.state}`;
  const [r] = await rows<RequestRow>(
    platform.db,
    sql`select r.id::text as id, r.relying_party_id, p.client_id, p.name_ko, p.name_en, r.nonce, r.state, r.dcql, r.purpose_ko, r.purpose_en, r.redirect_uri,
      r.response_code, r.status, r.result, r.error, r.created_at, r.expires_at, r.answered_at
      from credentials.presentation_request r join credentials.relying_party p on p.id = r.relying_party_id where ${cond}`,
  );
  return r;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const expired = (r: RequestRow) => new Date(r.expires_at).getTime() <= Date.now();

/** A request as its relying party sees it (undefined: no such request of this relying party). */
export async function requestOf(platform: Platform, rpId: string, id: string): Promise<PresentationRequest | undefined> {
  if (!UUID.test(id)) return undefined;
  const r = await requestRow(platform, { id });
  if (!r || r.relying_party_id !== rpId) return undefined;
  return {
    id: r.id,
    relyingPartyId: r.relying_party_id,
    clientId: r.client_id,
    status: r.status === 'pending' && expired(r) ? 'expired' : r.status,
    purpose: { ko: r.purpose_ko, en: r.purpose_en },
    dcql: json(r.dcql),
    result: r.result ? json(r.result) : undefined,
    error: r.error ?? undefined,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : undefined,
    responseCode: r.redirect_uri === null ? undefined : r.response_code,
  };
}

/** Forgets a verified request's result once it has been used (it then reads as failed, "consumed"). */
export async function consumeResult(platform: Platform, id: string): Promise<void> {
  await platform.db.execute(sql`update credentials.presentation_request set result = null, status = 'failed', error = 'consumed: the result was used' where id = ${id}::uuid`);
}

/**
 * The signed request object (JAR, `typ` oauth-authz-req+jwt) a wallet fetches from the request
 * URI. Undefined when there is no such request; a request answered or expired is not served.
 */
export async function requestObject(platform: Platform, id: string): Promise<string | undefined> {
  if (!UUID.test(id)) return undefined;
  const r = await requestRow(platform, { id });
  if (!r || r.status !== 'pending' || expired(r)) return undefined;
  const [rp] = await rows<{ certificate: string }>(platform.db, sql`select certificate from credentials.relying_party where id = ${r.relying_party_id} and disabled_at is null`);
  if (!rp) return undefined;
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    await signerOf(platform, r.relying_party_id),
    { typ: 'oauth-authz-req+jwt', x5c: [rp.certificate] },
    {
      aud: 'https://self-issued.me/v2',
      iat: now,
      exp: Math.floor(new Date(r.expires_at).getTime() / 1000),
      response_type: 'vp_token',
      response_mode: 'direct_post',
      client_id: r.client_id,
      response_uri: responseUriOf(platform),
      nonce: r.nonce,
      state: r.state,
      dcql_query: json(r.dcql),
      client_metadata: {
        client_name: r.name_ko,
        'client_name#ko': r.name_ko,
        'client_name#en': r.name_en,
        vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] } },
      },
      // not an OpenID4VP parameter: why the relying party asks, for the wallet to show (Hanaro's wallet does)
      purpose: { ko: r.purpose_ko, en: r.purpose_en },
    },
  );
}

/** The issuers this verifier trusts: Hanaro's own, with its published keys. */
async function trustedIssuers(platform: Platform) {
  return [{ iss: issuerOf(platform), keys: (await platform.keys.jwks()).keys.filter((k) => k.alg === 'ES256') as JWK[] }];
}

/** Status lists are the issuer's own here: read locally (a verifier elsewhere caches the published tokens). */
async function localStatusList(platform: Platform, uri: string): Promise<string | undefined> {
  const prefix = `${issuerOf(platform)}/credentials/status/`;
  if (!uri.startsWith(prefix)) return undefined;
  try {
    return await statusListToken(platform, uri.slice(prefix.length));
  } catch {
    return undefined;
  }
}

export class ResponseError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/** One answered request, marked once: false when another response got there first. */
async function settle(platform: Platform, r: RequestRow, outcome: { status: 'verified'; result: VerifiedResult; responseCode: string | null } | { status: 'failed'; error: string; responseCode: string | null }) {
  const done = await rows(
    platform.db,
    sql`update credentials.presentation_request set status = ${outcome.status}, answered_at = now(), response_code = ${outcome.responseCode},
      result = ${outcome.status === 'verified' ? JSON.stringify(outcome.result) : null}::jsonb, error = ${outcome.status === 'failed' ? outcome.error : null}
      where id = ${r.id}::uuid and status = 'pending' returning 1`,
  );
  if (!done.length) throw new ResponseError(400, 'invalid_request', 'this request was answered already');
  await platform.audit.append({
    actor: `relying-party:${r.relying_party_id}`,
    action: outcome.status === 'verified' ? 'credentials.presentation-verified' : 'credentials.presentation-failed',
    subject: `presentation-request:${r.id}`,
    // never the claims: which documents and which claim names only
    data: outcome.status === 'verified' ? { credentials: Object.fromEntries(Object.entries(outcome.result.credentials).map(([k, v]) => [k, v.map((c) => ({ type: c.type, claims: Object.keys(c.claims) }))])) } : { error: outcome.error },
  });
}

const SD_JWT_BOOKKEEPING = new Set(['iss', 'vct', 'iat', 'nbf', 'exp', 'cnf', 'status', '_sd_alg']);

/**
 * The response endpoint (`direct_post`): verifies the wallet's answer to the request named by
 * `state`. Returns the JSON body for the wallet (with `redirect_uri` for a same-device flow).
 * A failed check settles the request as failed (one answer per request) and answers 400.
 */
export async function acceptResponse(platform: Platform, form: Record<string, unknown>): Promise<{ redirect_uri?: string }> {
  const state = typeof form.state === 'string' ? form.state : undefined;
  if (!state || state.length > 100) throw new ResponseError(400, 'invalid_request', 'state is missing');
  const r = await requestRow(platform, { state });
  if (!r) throw new ResponseError(400, 'invalid_request', 'no request has this state');
  if (r.status !== 'pending') throw new ResponseError(400, 'invalid_request', 'this request was answered already');
  const responseCode = r.redirect_uri ? randomBytes(24).toString('base64url') : null;
  const back = () => (r.redirect_uri ? { redirect_uri: `${r.redirect_uri}#response_code=${responseCode}` } : {});
  const fail = async (error: string, status = 400, code = 'invalid_request'): Promise<never> => {
    await settle(platform, r, { status: 'failed', error, responseCode });
    throw new ResponseError(status, code, error);
  };
  if (expired(r)) return fail('expired: the request is no longer valid');
  if (typeof form.error === 'string') {
    // the wallet's refusal is an answer too: the relying party sees it
    await settle(platform, r, { status: 'failed', error: `wallet: ${form.error.slice(0, 60)}`, responseCode });
    return back();
  }
  if (typeof form.vp_token !== 'string' || form.vp_token.length > 200_000) return fail('malformed: vp_token is missing');
  let token: Record<string, unknown>;
  try {
    token = JSON.parse(form.vp_token) as Record<string, unknown>;
    if (!token || typeof token !== 'object' || Array.isArray(token)) throw new Error('not an object');
  } catch {
    return fail('malformed: vp_token is not a JSON object of presentations');
  }
  const dcql = DcqlQuery.parse(json(r.dcql));
  const trusted = await trustedIssuers(platform);
  const credentials: Record<string, VerifiedCredential[]> = {};
  const forDcql: Record<string, Array<{ credential_format: 'dc+sd-jwt'; vct: string; claims: Record<string, never>; cryptographic_holder_binding: true }>> = {};
  for (const [queryId, value] of Object.entries(token)) {
    const q = dcql.credentials.find((c) => c.id === queryId);
    if (!q) return fail(`malformed: the request asked for no credential ${queryId.slice(0, 40)}`);
    const list = Array.isArray(value) ? value : [value];
    if (!list.length || list.length > 5 || (!q.multiple && list.length > 1)) return fail(`malformed: ${queryId} must carry ${q.multiple ? 'one to five presentations' : 'one presentation'}`);
    credentials[queryId] = [];
    forDcql[queryId] = [];
    for (const p of list) {
      let v;
      try {
        v = await verifyPresentation(String(p), { trusted, nonce: r.nonce, audience: r.client_id, statusList: (uri) => localStatusList(platform, uri) });
      } catch (e) {
        if (e instanceof VerificationError) return fail(`${e.code}: ${e.message.slice(0, 200)}`);
        throw e;
      }
      const vcts = (q.meta as { vct_values?: string[] } | undefined)?.vct_values;
      if (vcts && (!v.vct || !vcts.includes(v.vct))) return fail(`wrong_type: ${queryId} asked for ${vcts.join(', ')}`);
      const config = Object.values(CONFIGURATIONS).find((c) => vctOf(platform, c) === v.vct);
      const claims = Object.fromEntries(Object.entries(v.claims).filter(([k]) => !SD_JWT_BOOKKEEPING.has(k)));
      const ref = (JSON.parse(Buffer.from(String(p).split('.')[1]!, 'base64url').toString()) as { status?: { status_list?: { uri: string; idx: number } } }).status?.status_list;
      credentials[queryId].push({ issuer: v.iss, vct: v.vct, type: config?.id, name: config?.name, claims, status: v.status, ...(ref ? { statusRef: { uri: ref.uri, idx: ref.idx } } : {}) });
      forDcql[queryId].push({ credential_format: 'dc+sd-jwt', vct: v.vct ?? '', claims: claims as Record<string, never>, cryptographic_holder_binding: true });
    }
  }
  // the presentations together must meet the query: every required credential, every asked claim
  let met = false;
  try {
    met = DcqlPresentationResult.fromDcqlPresentation(forDcql as never, { dcqlQuery: dcql }).can_be_satisfied;
  } catch {
    met = false;
  }
  if (!met) return fail('incomplete: the presentations do not carry every claim the request asked for');
  await settle(platform, r, { status: 'verified', result: { credentials }, responseCode });
  return back();
}

export type ResponseFailure = VerificationCode | 'malformed' | 'expired' | 'incomplete' | 'wrong_type' | 'wallet';
