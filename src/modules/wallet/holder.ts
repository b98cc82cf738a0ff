import { SDJwtInstance } from '@sd-jwt/core';
import { DcqlQuery } from 'dcql';

/**
 * The holder's side of OpenID4VCI (pre-authorized code) and OpenID4VP 1.0 (request by reference
 * signed with `x509_hash`, DCQL, `direct_post`), with nothing but `fetch` and WebCrypto: the same
 * code runs in the web wallet (keys are non-extractable CryptoKeys kept in IndexedDB) and in the
 * CLI holder (`hanaro wallet …`, keys in a local file). SD-JWT presentations are made with the
 * `@sd-jwt/core` reference implementation and DCQL queries matched with `dcql`.
 */

export type Fetch = typeof fetch;
export interface Names {
  ko: string;
  en: string;
}

/** A holder key: a P-256 key pair whose private half signs and may never leave its store. */
export interface HolderKey {
  privateKey: CryptoKey;
  publicJwk: JsonWebKey;
}

export interface ClaimLabel {
  path: Array<string | number | null>;
  label: Names;
}

export interface HeldCredential {
  id: string;
  format: 'dc+sd-jwt';
  raw: string;
  issuer: string;
  issuerName: Names;
  configurationId: string;
  vct: string;
  name: Names;
  claimLabels: ClaimLabel[];
  /** Every claim the credential holds (the holder sees all of its own claims). */
  claims: Record<string, unknown>;
  receivedAt: string;
  expiresAt?: string;
}

/**
 * A document the issuer will send later (OpenID4VCI 1.0 §9: an official approves it first): what
 * the wallet needs to ask again, kept with the key the document will be bound to.
 */
export interface PendingCredential {
  id: string;
  issuer: string;
  issuerName: Names;
  configurationId: string;
  name: Names;
  transactionId: string;
  /** Seconds to wait between asks. */
  interval: number;
  deferredEndpoint: string;
  tokenEndpoint: string;
  accessToken: string;
  refreshToken?: string;
  requestedAt: string;
}

export class WalletError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WalletError';
  }
}

const enc = new TextEncoder();
const b64url = (bytes: Uint8Array) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const fromB64url = (text: string) => {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};
const fromB64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const jsonPart = (part: string) => JSON.parse(new TextDecoder().decode(fromB64url(part))) as Record<string, unknown>;

export async function newHolderKey(extractable = false): Promise<HolderKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, extractable, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, publicJwk: { kty, crv, x, y } };
}

async function signJwt(key: CryptoKey, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const input = `${b64url(enc.encode(JSON.stringify({ alg: 'ES256', ...header })))}.${b64url(enc.encode(JSON.stringify(payload)))}`;
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, enc.encode(input)));
  return `${input}.${b64url(sig)}`;
}

const hasher = async (data: string | ArrayBuffer, alg = 'sha-256') => {
  if (alg.toLowerCase() !== 'sha-256') throw new WalletError('unsupported', `hash ${alg} is not supported`);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? enc.encode(data) : data));
};

async function getJson(f: Fetch, url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await f(url, { ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new WalletError(String(body.error ?? `http_${res.status}`), String(body.error_description ?? body.detail ?? `HTTP ${res.status} from ${new URL(url).host}`));
  return body;
}

// ---- receiving (OpenID4VCI 1.0, pre-authorized code) -------------------------------------------

export interface Offer {
  credential_issuer: string;
  credential_configuration_ids: string[];
  grants?: Record<string, { 'pre-authorized_code'?: string; tx_code?: { length?: number; input_mode?: string; description?: string } }>;
}
const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** Reads a credential offer from `openid-credential-offer://?credential_offer=…` (or `credential_offer_uri=`), or a page URL carrying the same parameters. */
export async function parseOffer(text: string, f: Fetch = fetch): Promise<Offer> {
  let params: URLSearchParams;
  try {
    params = new URL(text.trim()).searchParams;
  } catch {
    throw new WalletError('invalid_offer', 'not a credential offer link');
  }
  let offer: unknown;
  const byValue = params.get('credential_offer');
  const byRef = params.get('credential_offer_uri');
  try {
    if (byValue) offer = JSON.parse(byValue);
    else if (byRef && /^https?:\/\//.test(byRef)) offer = await getJson(f, byRef);
  } catch (e) {
    if (e instanceof WalletError) throw e;
    throw new WalletError('invalid_offer', 'the credential offer is not JSON');
  }
  const o = offer as Offer | undefined;
  if (!o || typeof o.credential_issuer !== 'string' || !Array.isArray(o.credential_configuration_ids) || !o.credential_configuration_ids.length) {
    throw new WalletError('invalid_offer', 'not a credential offer link');
  }
  return o;
}

export const offerTxCode = (o: Offer) => o.grants?.[PRE_AUTH]?.tx_code;

interface IssuerMetadata {
  credential_issuer: string;
  credential_endpoint: string;
  nonce_endpoint?: string;
  notification_endpoint?: string;
  authorization_servers?: string[];
  deferred_credential_endpoint?: string;
  display?: Array<{ name?: string; locale?: string }>;
  credential_configurations_supported: Record<
    string,
    { format: string; vct?: string; credential_metadata?: { display?: Array<{ name?: string; locale?: string }>; claims?: Array<{ path: Array<string | number | null>; display?: Array<{ name?: string; locale?: string }> }> } }
  >;
}

const byLocale = (list: Array<{ name?: string; locale?: string }> | undefined, fallback: string): Names => {
  const pick = (l: string) => list?.find((d) => d.locale?.toLowerCase().startsWith(l))?.name;
  return { ko: pick('ko') ?? pick('en') ?? fallback, en: pick('en') ?? pick('ko') ?? fallback };
};

/** A received SD-JWT VC as the wallet keeps it: its claims (all of them: they are the holder's) and their labels. */
async function held(raw: string, from: { issuer: string; meta: IssuerMetadata; configurationId: string }): Promise<HeldCredential> {
  if (!raw.includes('~')) throw new WalletError('invalid_credential', 'the issuer sent no SD-JWT VC');
  const config = from.meta.credential_configurations_supported[from.configurationId];
  const payload = jsonPart(raw.split('.')[1] ?? '');
  const claims = (await new SDJwtInstance({ hasher }).getClaims(raw)) as Record<string, unknown>;
  return {
    id: crypto.randomUUID(),
    format: 'dc+sd-jwt',
    raw,
    issuer: from.issuer,
    issuerName: byLocale(from.meta.display, new URL(from.issuer).host),
    configurationId: from.configurationId,
    vct: String(payload.vct ?? config?.vct ?? ''),
    name: byLocale(config?.credential_metadata?.display, from.configurationId),
    claimLabels: (config?.credential_metadata?.claims ?? []).map((c) => ({ path: c.path, label: byLocale(c.display, c.path.join('.')) })),
    claims,
    receivedAt: new Date().toISOString(),
    ...(typeof payload.exp === 'number' ? { expiresAt: new Date(payload.exp * 1000).toISOString() } : {}),
  };
}

/**
 * Asks once more for a deferred document: `pending` while the official has not decided (with the
 * tokens to keep: an expired access token is renewed with the refresh token), the document once
 * approved, or a WalletError (`credential_request_denied` when refused).
 */
export async function collect(p: PendingCredential, opts: { fetch?: Fetch } = {}): Promise<{ pending: PendingCredential } | { credential: HeldCredential }> {
  const f = opts.fetch ?? fetch;
  let current = p;
  const ask = (accessToken: string) =>
    f(current.deferredEndpoint, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ transaction_id: current.transactionId }) });
  let res = await ask(current.accessToken);
  if (res.status === 401 && current.refreshToken) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: current.refreshToken });
    const token = await getJson(f, current.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    current = { ...current, accessToken: String(token.access_token), ...(typeof token.refresh_token === 'string' ? { refreshToken: token.refresh_token } : {}) };
    res = await ask(current.accessToken);
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 202) return { pending: { ...current, interval: typeof body.interval === 'number' ? body.interval : current.interval } };
  if (!res.ok) throw new WalletError(String(body.error ?? `http_${res.status}`), String(body.error_description ?? `HTTP ${res.status}`));
  const meta = (await getJson(f, `${current.issuer}/.well-known/openid-credential-issuer`)) as unknown as IssuerMetadata;
  const raw = String((body.credentials as Array<{ credential: string }> | undefined)?.[0]?.credential ?? '');
  return { credential: await held(raw, { issuer: current.issuer, meta, configurationId: current.configurationId }) };
}

/** Receives every credential of an offer, each bound to a new holder key from `newKey`. */
export async function receive(
  offerText: string,
  opts: { txCode?: string; newKey: () => Promise<HolderKey>; fetch?: Fetch },
): Promise<Array<{ credential: HeldCredential; key: HolderKey } | { pending: PendingCredential; key: HolderKey }>> {
  const f = opts.fetch ?? fetch;
  const offer = await parseOffer(offerText, f);
  const issuer = offer.credential_issuer.replace(/\/$/, '');
  const grant = offer.grants?.[PRE_AUTH];
  if (!grant?.['pre-authorized_code']) throw new WalletError('unsupported', 'this wallet takes offers with a pre-authorized code');
  if (grant.tx_code && !opts.txCode) throw new WalletError('tx_code_required', 'the offer needs its transaction code');
  const meta = (await getJson(f, `${issuer}/.well-known/openid-credential-issuer`)) as unknown as IssuerMetadata;
  const as = (meta.authorization_servers?.[0] ?? issuer).replace(/\/$/, '');
  const asMeta = await getJson(f, `${as}/.well-known/oauth-authorization-server`);
  const form = new URLSearchParams({ grant_type: PRE_AUTH, 'pre-authorized_code': grant['pre-authorized_code'] });
  if (grant.tx_code && opts.txCode) form.set('tx_code', opts.txCode);
  const token = await getJson(f, String(asMeta.token_endpoint), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const auth = { authorization: `Bearer ${String(token.access_token)}`, 'content-type': 'application/json' };
  const out: Array<{ credential: HeldCredential; key: HolderKey } | { pending: PendingCredential; key: HolderKey }> = [];
  for (const configurationId of offer.credential_configuration_ids) {
    const config = meta.credential_configurations_supported[configurationId];
    if (!config) throw new WalletError('unsupported', `the issuer does not describe ${configurationId}`);
    if (config.format !== 'dc+sd-jwt') throw new WalletError('unsupported_format', `this wallet holds SD-JWT VCs; ${configurationId} is ${config.format}`);
    const nonce = meta.nonce_endpoint ? String((await getJson(f, meta.nonce_endpoint, { method: 'POST' })).c_nonce) : undefined;
    const key = await opts.newKey();
    const proof = await signJwt(key.privateKey, { typ: 'openid4vci-proof+jwt', jwk: key.publicJwk }, { aud: meta.credential_issuer, iat: Math.floor(Date.now() / 1000), ...(nonce ? { nonce } : {}) });
    const res = await getJson(f, meta.credential_endpoint, { method: 'POST', headers: auth, body: JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } }) });
    if (typeof res.transaction_id === 'string') {
      // an official decides first: ask again later at the deferred endpoint
      if (!meta.deferred_credential_endpoint) throw new WalletError('invalid_credential', 'the issuer deferred the document but names no deferred endpoint');
      out.push({
        key,
        pending: {
          id: crypto.randomUUID(),
          issuer,
          issuerName: byLocale(meta.display, new URL(issuer).host),
          configurationId,
          name: byLocale(config.credential_metadata?.display, configurationId),
          transactionId: res.transaction_id,
          interval: typeof res.interval === 'number' ? res.interval : 60,
          deferredEndpoint: meta.deferred_credential_endpoint,
          tokenEndpoint: String(asMeta.token_endpoint),
          accessToken: String(token.access_token),
          ...(typeof token.refresh_token === 'string' ? { refreshToken: token.refresh_token } : {}),
          requestedAt: new Date().toISOString(),
        },
      });
      continue;
    }
    const raw = String((res.credentials as Array<{ credential: string }> | undefined)?.[0]?.credential ?? '');
    out.push({ key, credential: await held(raw, { issuer, meta, configurationId }) });
    if (meta.notification_endpoint && typeof res.notification_id === 'string') {
      // best effort: the credential is ours whether or not the issuer hears back
      await f(meta.notification_endpoint, { method: 'POST', headers: auth, body: JSON.stringify({ notification_id: res.notification_id, event: 'credential_accepted' }) }).catch(() => undefined);
    }
  }
  return out;
}

// ---- presenting (OpenID4VP 1.0) -----------------------------------------------------------------

/** The subjectPublicKeyInfo of a DER certificate (Certificate → tbsCertificate → its 7th field, after an optional version). */
function spkiOf(der: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const tlv = (at: number) => {
    let len = der[at + 1]!;
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i]!;
      head = 2 + n;
    }
    if (at + head + len > der.length) throw new WalletError('invalid_request', 'the certificate is malformed');
    return { tag: der[at]!, start: at + head, end: at + head + len };
  };
  const tbs = tlv(tlv(0).start);
  let at = tbs.start;
  if (tlv(at).tag === 0xa0) at = tlv(at).end;
  for (let i = 0; i < 5; i++) at = tlv(at).end; // serial, signature algorithm, issuer, validity, subject
  return der.slice(at, tlv(at).end);
}

export interface PresentationRequest {
  clientId: string;
  requestUri: string;
  responseUri: string;
  nonce: string;
  state: string;
  dcql: DcqlQuery;
  clientName: string;
  purpose?: Names;
  /** What the wallet's home register says of the client_id (undefined: not registered there). */
  registered?: { name: Names; purpose: Names; kind: string };
}

/** Fetches and checks a request by reference: signed by the certificate in `x5c`, whose SHA-256 is the `x509_hash` client_id. */
export async function resolveRequest(text: string, opts: { fetch?: Fetch; register?: string } = {}): Promise<PresentationRequest> {
  const f = opts.fetch ?? fetch;
  let params: URLSearchParams;
  try {
    params = new URL(text.trim()).searchParams;
  } catch {
    throw new WalletError('invalid_request', 'not a presentation request link');
  }
  const clientId = params.get('client_id') ?? '';
  const requestUri = params.get('request_uri') ?? '';
  if (!clientId.startsWith('x509_hash:') || !/^https?:\/\//.test(requestUri)) {
    throw new WalletError('invalid_request', 'this wallet takes requests by reference from an x509_hash client');
  }
  const post = params.get('request_uri_method') === 'post';
  const res = await f(requestUri, post ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' } : {});
  if (!res.ok) throw new WalletError('invalid_request_uri', `the request could not be fetched (HTTP ${res.status}): it may have expired or been answered`);
  const jwt = (await res.text()).trim();
  const [h, p, s] = jwt.split('.');
  if (!h || !p || !s) throw new WalletError('invalid_request_object', 'the request object is not a signed JWT');
  const header = jsonPart(h);
  const payload = jsonPart(p);
  if (header.typ !== 'oauth-authz-req+jwt' || header.alg !== 'ES256' || !Array.isArray(header.x5c) || typeof header.x5c[0] !== 'string') {
    throw new WalletError('invalid_request_object', 'the request object must be an ES256 oauth-authz-req+jwt with x5c');
  }
  const der = fromB64(header.x5c[0]);
  const hash = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', der)));
  if (`x509_hash:${hash}` !== clientId || payload.client_id !== clientId) throw new WalletError('invalid_client', 'the request is not signed by the certificate its client_id names');
  const key = await crypto.subtle.importKey('spki', spkiOf(der), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  if (!(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, fromB64url(s), enc.encode(`${h}.${p}`)))) {
    throw new WalletError('invalid_request_object', 'the request object’s signature does not verify');
  }
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) throw new WalletError('invalid_request_object', 'the request has expired');
  if (payload.response_type !== 'vp_token' || payload.response_mode !== 'direct_post' || typeof payload.response_uri !== 'string') {
    throw new WalletError('invalid_request_object', 'this wallet answers vp_token requests with response_mode direct_post');
  }
  if (typeof payload.nonce !== 'string' || typeof payload.state !== 'string') throw new WalletError('invalid_request_object', 'the request carries no nonce or state');
  let dcql: DcqlQuery;
  try {
    dcql = DcqlQuery.parse(payload.dcql_query as DcqlQuery.Input);
    DcqlQuery.validate(dcql);
  } catch {
    throw new WalletError('invalid_request_object', 'the request carries no valid DCQL query');
  }
  const meta = (payload.client_metadata ?? {}) as Record<string, unknown>;
  const purpose = payload.purpose as Names | undefined;
  const req: PresentationRequest = {
    clientId,
    requestUri,
    responseUri: payload.response_uri,
    nonce: payload.nonce,
    state: payload.state,
    dcql,
    clientName: String(meta.client_name ?? new URL(payload.response_uri).host),
    ...(purpose && typeof purpose.ko === 'string' && typeof purpose.en === 'string' ? { purpose } : {}),
  };
  if (opts.register) {
    const found = await getJson(f, `${opts.register}?client_id=${encodeURIComponent(clientId)}`).catch(() => undefined);
    const rp = (found?.relying_parties as Array<{ name: Names; purpose: Names; kind: string }> | undefined)?.[0];
    if (rp) req.registered = { name: rp.name, purpose: rp.purpose, kind: rp.kind };
  }
  return req;
}

type Path = Array<string | number | null>;
function valueAt(claims: unknown, path: Path): unknown {
  let v: unknown = claims;
  for (const el of path) {
    if (el === null) return Array.isArray(v) && v.length ? v : undefined;
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(el)];
  }
  return v;
}

export interface ClaimChoice {
  path: Path;
  label: Names;
  required: boolean;
}
export interface Match {
  queryId: string;
  /** The held credentials that can answer this query. */
  candidates: HeldCredential[];
  /** The claims that would go: the required ones, and optional ones the holder may add. */
  claims: (c: HeldCredential) => ClaimChoice[];
}

/** Which held credentials answer each credential query; throws when the request cannot be met. */
export function matchRequest(req: PresentationRequest, held: HeldCredential[]): Match[] {
  const input = held.map((c) => ({ credential_format: 'dc+sd-jwt' as const, vct: c.vct, claims: c.claims as Record<string, never>, cryptographic_holder_binding: true }));
  const result = DcqlQuery.query(req.dcql, input);
  if (!result.can_be_satisfied) throw new WalletError('no_match', 'this wallet holds no document with what the request asks for');
  const matches: Match[] = [];
  for (const q of req.dcql.credentials) {
    const m = result.credential_matches[q.id];
    if (!m?.success) continue;
    const candidates = m.valid_credentials.map((v) => held[v.input_credential_index]!);
    const queryClaims = (q.claims ?? []) as Array<{ id?: string; path: Path }>;
    const claims = (c: HeldCredential): ClaimChoice[] => {
      const label = (path: Path) => c.claimLabels.find((l) => JSON.stringify(l.path) === JSON.stringify(path))?.label ?? { ko: path.join('.'), en: path.join('.') };
      const sets = (q as { claim_sets?: string[][] }).claim_sets;
      // with claim sets, the first one this credential meets is required, the other asked claims optional
      const required = sets
        ? new Set(sets.find((set) => set.every((id) => valueAt(c.claims, queryClaims.find((x) => x.id === id)?.path ?? []) !== undefined)) ?? [])
        : undefined;
      return queryClaims
        .filter((x) => valueAt(c.claims, x.path) !== undefined)
        .map((x) => ({ path: x.path, label: label(x.path), required: !required || (x.id !== undefined && required.has(x.id)) }));
    };
    matches.push({ queryId: q.id, candidates, claims });
  }
  return matches;
}

/** The disclosure frame for the chosen claim paths (`['address','region']` → `{ address: { region: true } }`). */
export function frameOf(paths: Path[]): Record<string, unknown> {
  const frame: Record<string, unknown> = {};
  for (const path of paths) {
    let at = frame;
    path.forEach((el, i) => {
      if (el === null) return;
      const k = String(el);
      const last = i === path.length - 1 || path[i + 1] === null;
      if (last) at[k] = true;
      else at = (at[k] = typeof at[k] === 'object' ? at[k] : {}) as Record<string, unknown>;
    });
  }
  return frame;
}

export interface Answer {
  queryId: string;
  credential: HeldCredential;
  key: CryptoKey;
  paths: Path[];
}

/** Presents the chosen claims (key binding with the request's nonce and client_id) and posts them to the response URI. */
export async function respond(req: PresentationRequest, answers: Answer[], opts: { fetch?: Fetch } = {}): Promise<{ redirectUri?: string }> {
  const f = opts.fetch ?? fetch;
  const vpToken: Record<string, string[]> = {};
  for (const a of answers) {
    const sdjwt = new SDJwtInstance({
      hasher,
      kbSignAlg: 'ES256',
      kbSigner: async (data: string) => b64url(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, a.key, enc.encode(data)))),
    });
    const vp = await sdjwt.present(a.credential.raw, frameOf(a.paths) as never, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: req.clientId, nonce: req.nonce } } });
    (vpToken[a.queryId] ??= []).push(vp);
  }
  const body = await getJson(f, req.responseUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ vp_token: JSON.stringify(vpToken), state: req.state }).toString(),
  });
  return typeof body.redirect_uri === 'string' ? { redirectUri: body.redirect_uri } : {};
}

/** Tells the verifier the holder declined. */
export async function decline(req: PresentationRequest, opts: { fetch?: Fetch } = {}): Promise<{ redirectUri?: string }> {
  const body = await getJson(opts.fetch ?? fetch, req.responseUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ error: 'access_denied', error_description: 'the holder declined', state: req.state }).toString(),
  });
  return typeof body.redirect_uri === 'string' ? { redirectUri: body.redirect_uri } : {};
}
