import { createHash, randomUUID } from 'node:crypto';
import type { DataAccess } from '../../platform/access-log.ts';
import type { ConsentRefusal } from '../../platform/consent.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { createClientKeyCache, createSignerCache } from './client-keys.ts';
import { createMessageLogWriter, logTime, type MessageLogWriter } from './message-log.ts';
import { PROBLEM_JSON, XRoadError, xroadErrorBody, type XRoadErrorType } from './protocol-errors.ts';
import { createDirectory, type AccessGrant, type Directory, type ServiceInfo } from './protocol-directory.ts';
import { callProvider, ProviderError, type ProviderResponse } from './providers.ts';
import { EXISTS_ITEM } from '../registries/index.ts';
import { replayCacheOf } from './replay-cache.ts';
import { checkContentDigest, verifySignature, XROAD_SIGNED_HEADERS } from './signatures.ts';

/**
 * One mediated exchange, the same for the HTTP route (`/r1/…`) and in-process callers
 * (mediatedCall): parse → resolve the service → verify the signature → check the access right
 * → call the provider → log (entry + access records, group-committed) → answer. Nothing is
 * answered from the provider unless its log entry is committed.
 */
export interface Mediator {
  platform: Platform;
  directory: Directory;
  keys: ReturnType<typeof createClientKeyCache>;
  signers: ReturnType<typeof createSignerCache>;
  log: MessageLogWriter;
  bodyLimit: number;
  publicUrl: URL;
}

const mediators = new WeakMap<Platform, Mediator>();

export function mediator(platform: Platform): Mediator {
  let m = mediators.get(platform);
  if (!m) {
    m = {
      platform,
      directory: createDirectory(platform.db),
      keys: createClientKeyCache(platform.db),
      signers: createSignerCache(platform),
      log: createMessageLogWriter(platform),
      bodyLimit: platform.config.bodyLimit,
      publicUrl: new URL(platform.config.publicUrl),
    };
    mediators.set(platform, m);
  }
  return m;
}

export interface Incoming {
  method: string;
  /** The request-target as received: /r1/…[?query] */
  target: string;
  /** The URL as the client addressed it (origin of the request + target). */
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** How often a header name occurs in the raw request (duplicates are refused for X-Road-Client). */
  occurrences?: (name: string) => number;
  body: Buffer | undefined;
  receivedAt: number;
  t0: number;
  lang: Lang;
  requestId?: string;
}

export interface Outgoing {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const IDENTIFIER = /^[A-Za-z0-9'()+,\-.=?]{1,255}$/;
const VISIBLE = /^[\x20-\x7e]{1,200}$/;
// user ids and issues are free text for people, so any character but controls
const FREE_TEXT = /^[^\p{Cc}]{1,500}$/u;
const EMPTY_SHA256 = createHash('sha256').digest('hex');
const MAX_TARGET = 4096;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

function decodeIdentifiers(parts: string[], what: string): string[] {
  return parts.map((p) => {
    let d: string;
    try {
      d = decodeURIComponent(p);
    } catch {
      throw new XRoadError('Client.InvalidRequest', `${what}: bad percent-encoding`);
    }
    if (!IDENTIFIER.test(d)) throw new XRoadError('Client.InvalidRequest', `${what}: identifiers are 1-255 of A-Z a-z 0-9 ' ( ) + , - . = ?`);
    return d;
  });
}

/**
 * HTTP header values are ASCII in practice, so text such as a Korean case title travels
 * percent-encoded as UTF-8 (encodeURIComponent). A value with a valid %XX sequence is decoded for
 * the log and the access record; anything else is taken as it is. The signature covers the value
 * as sent.
 */
function headerText(v: string | undefined): string | undefined {
  if (v === undefined || !/%[0-9A-Fa-f]{2}/.test(v)) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

interface Exchange {
  xRoadId: string;
  clientId: string | undefined;
  serviceId: string | undefined;
  userId: string | undefined;
  issue: string | undefined;
  service?: ServiceInfo;
  grant?: AccessGrant;
  /** The consent the request was served under (X-Hanaro-Consent), as the consent gate confirmed it. */
  actor?: string;
  consent?: { id: string; items: string[]; reader?: { reader: string; institution: string; application: string } };
  rest: string;
}

/** The consent record a request is made under (a Hanaro extension header, signed with the others). */
export const CONSENT_HEADER = 'x-hanaro-consent';
/** Tells an HTTP provider which items the consent covers (comma separated); it must return no others. */
export const CONSENT_ITEMS_HEADER = 'x-hanaro-consent-items';
/** The person at the client who made the request (`official:42`), vouched for by the client's signature; it names the reader in the access log. */
export const ACTOR_HEADER = 'x-hanaro-actor';
const ACTOR = /^[a-z-]{1,20}:[A-Za-z0-9._-]{1,64}$/;
const CONSENT_ID = /^[A-Za-z0-9-]{1,64}$/;

const REFUSALS: Record<ConsentRefusal, XRoadErrorType> = {
  consent_not_found: 'Client.ConsentNotFound',
  consent_withdrawn: 'Client.ConsentWithdrawn',
  consent_expired: 'Client.ConsentExpired',
  consent_used: 'Client.ConsentUsed',
  consent_other_citizen: 'Client.ConsentOtherCitizen',
  consent_other_recipient: 'Client.ConsentOtherRecipient',
  consent_service_not_covered: 'Client.ConsentServiceNotCovered',
  consent_unavailable: 'Server.ServerProxy.ConsentUnavailable',
};

function parseRequest(inc: Incoming, x: Exchange): string[] {
  if (inc.target.length > MAX_TARGET) throw new XRoadError('Client.InvalidRequest', `the request URI is longer than ${MAX_TARGET} characters`);
  const q = inc.target.indexOf('?');
  const rawPath = q < 0 ? inc.target : inc.target.slice(0, q);
  // what is signed is the normalised URL: the raw path must already be it (no dot segments,
  // nothing left to encode), so the service routed to is the service signed for
  if (inc.url.pathname !== rawPath) throw new XRoadError('Client.InvalidRequest', 'the path must be in normal form (no . or .. segments, percent-encoded)');
  const segments = rawPath.split('/').slice(2);
  if (segments.length < 5 || segments.slice(0, 5).some((s) => !s)) {
    throw new XRoadError('Client.InvalidRequest', 'the service id must be /r1/{instance}/{class}/{member}/{subsystem}/{service}');
  }
  const parts = decodeIdentifiers(segments.slice(0, 5), 'service id');
  x.serviceId = parts.join('/');
  x.rest = segments.length > 5 ? `/${segments.slice(5).join('/')}` : '';

  const client = one(inc.headers['x-road-client']);
  if (!client) throw new XRoadError('Client.InvalidRequest', 'the X-Road-Client header is required');
  if ((inc.occurrences?.('x-road-client') ?? 1) > 1) throw new XRoadError('Client.InvalidRequest', 'send one X-Road-Client header');
  const clientParts = client.split('/');
  if (clientParts.length !== 4) throw new XRoadError('Client.InvalidRequest', 'X-Road-Client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM');
  x.clientId = decodeIdentifiers(clientParts, 'X-Road-Client').join('/');

  const userId = headerText(one(inc.headers['x-road-userid']));
  if (userId !== undefined && !FREE_TEXT.test(userId)) throw new XRoadError('Client.InvalidRequest', 'X-Road-UserId must be 1-500 characters without controls');
  x.userId = userId;
  const issue = headerText(one(inc.headers['x-road-issue']));
  if (issue !== undefined && !FREE_TEXT.test(issue)) throw new XRoadError('Client.InvalidRequest', 'X-Road-Issue must be 1-500 characters without controls');
  x.issue = issue;
  const actor = one(inc.headers[ACTOR_HEADER]);
  if (actor !== undefined && !ACTOR.test(actor)) throw new XRoadError('Client.InvalidRequest', 'X-Hanaro-Actor must be kind:id, e.g. official:42');
  x.actor = actor;
  return parts;
}

async function checkSignature(m: Mediator, inc: Incoming, x: Exchange): Promise<void> {
  const hasBody = Boolean(inc.body?.length);
  if (hasBody) {
    const problem = checkContentDigest(one(inc.headers['content-digest']), inc.body!);
    if (problem) throw new XRoadError('Client.InvalidSignatureValue', problem);
  }
  const required = ['@method', 'x-road-client'];
  for (const h of XROAD_SIGNED_HEADERS.slice(1)) if (inc.headers[h] !== undefined) required.push(h);
  if (hasBody) required.push('content-digest');
  const result = await verifySignature(
    { method: inc.method, url: inc.url, headers: inc.headers },
    {
      required,
      requireOneOf: [['@target-uri'], ['@path', '@query']],
      keyLookup: async (kid) => {
        const key = await m.keys.lookup(kid);
        // a key signs only for its own client subsystem
        return key && key.clientId === x.clientId ? key : undefined;
      },
      alternativeUrl: inc.url.origin === m.publicUrl.origin ? undefined : new URL(inc.target, m.publicUrl),
      replay: replayCacheOf(m.platform),
    },
  );
  if (!result.ok) throw new XRoadError('Client.InvalidSignatureValue', result.reason);
}

// hop-by-hop and headers that would leak or misstate the mediator's own connection (PR-REST §4.3)
const NOT_FORWARDED = new Set(['host', 'user-agent', 'server', 'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te',
  'trailer', 'transfer-encoding', 'upgrade', 'content-length', 'expect', 'accept-encoding']);

function forwardHeaders(inc: Incoming, x: Exchange): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inc.headers)) if (v !== undefined && !NOT_FORWARDED.has(k)) out[k] = one(v)!;
  out['x-road-id'] = x.xRoadId;
  out['x-road-service'] = x.serviceId!;
  delete out[CONSENT_ITEMS_HEADER];
  if (x.consent) out[CONSENT_ITEMS_HEADER] = x.consent.items.join(',');
  out.accept ??= 'application/json';
  return out;
}

const HASHED_HEADERS = ['x-road-client', 'x-road-id', 'x-road-userid', 'x-road-issue', 'content-type', 'content-digest', 'signature-input', 'signature'];

/**
 * X-Road-Request-Hash (PR-REST §4.3): base64 SHA-512(SHA-512(headers) ‖ SHA-512(body)), or
 * base64 SHA-512(headers) without a body, where "headers" is the UTF-8 text
 * `METHOD request-target` followed by one `name: value` line per header of HASHED_HEADERS
 * present (in that order, X-Road-Id as answered), joined with \n.
 */
export function requestHash(inc: Pick<Incoming, 'method' | 'target' | 'headers' | 'body'>, xRoadId: string): string {
  const lines = [`${inc.method} ${inc.target}`];
  for (const h of HASHED_HEADERS) {
    const v = h === 'x-road-id' ? xRoadId : one(inc.headers[h]);
    if (v !== undefined) lines.push(`${h}: ${v}`);
  }
  const head = createHash('sha512').update(lines.join('\n'), 'utf8').digest();
  if (!inc.body?.length) return head.toString('base64');
  const body = createHash('sha512').update(inc.body).digest();
  return createHash('sha512').update(head).update(body).digest('base64');
}

const sha256 = (b: Buffer | undefined) => (b?.length ? createHash('sha256').update(b).digest('hex') : EMPTY_SHA256);
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** A body as log text: UTF-8 when it is, else base64 with a `base64:` prefix. */
function bodyText(b: Buffer | undefined): string | null {
  if (!b?.length) return null;
  try {
    const s = utf8.decode(b);
    if (!s.includes('\0')) return s;
  } catch {
    // not UTF-8
  }
  return `base64:${b.toString('base64')}`;
}

/**
 * A request under consent: the named consent must cover this citizen, this client and this
 * service now; an access right granted on the basis of consent is served only with one.
 */
async function checkConsent(m: Mediator, inc: Incoming, x: Exchange, grant: AccessGrant): Promise<void> {
  const consentId = one(inc.headers[CONSENT_HEADER]);
  if (consentId === undefined) {
    if (grant.requiresConsent) throw new XRoadError('Client.ConsentRequired', `${x.clientId}'s right to ${x.service!.id} is based on consent: name the consent in X-Hanaro-Consent`);
    return;
  }
  if (!CONSENT_ID.test(consentId)) throw new XRoadError('Client.InvalidRequest', 'X-Hanaro-Consent must be a consent record id');
  if (!x.userId) throw new XRoadError('Client.InvalidRequest', 'a request under consent names the citizen in X-Road-UserId');
  const d = await m.platform.consents.check({ consentId, citizenId: x.userId, client: x.clientId!, service: x.service!.id, at: new Date(inc.receivedAt) });
  if (!d.ok) throw new XRoadError(REFUSALS[d.refusal], d.detail);
  x.consent = { id: consentId, items: d.items, ...(d.reader ? { reader: d.reader } : {}) };
}

/** Nothing leaves beyond the consent: an answer with other items, or about other citizens, is not served. */
function withinConsent(p: ProviderResponse, items: string[], userId: string | undefined): void {
  if (p.status < 200 || p.status >= 300) return;
  const allowed = new Set([...items, EXISTS_ITEM]);
  const reads = p.reads ?? [{ citizenId: p.citizenId ?? userId ?? '', items: p.items }];
  for (const r of reads) {
    if ((r.items.length && r.citizenId.toLowerCase() !== userId?.toLowerCase()) || r.items.some((i) => !allowed.has(i))) {
      throw new XRoadError('Server.ServerProxy.ServiceFailed', 'the provider answered with data the consent does not cover, so the answer was not served');
    }
  }
}

function fromProviderError(e: ProviderError): XRoadError {
  if (e.kind === 'timeout') return new XRoadError('Server.ServerProxy.ServiceTimeout', e.message);
  if (e.kind === 'unreachable') return new XRoadError('Server.ServerProxy.NetworkError', e.message);
  return new XRoadError('Server.ServerProxy.ServiceFailed', e.message);
}

/** Runs one exchange; `early` is an error found before the body was read (e.g. too large). */
export async function mediate(m: Mediator, inc: Incoming, early?: XRoadError): Promise<Outgoing> {
  const givenId = one(inc.headers['x-road-id']);
  const idOk = givenId !== undefined && VISIBLE.test(givenId);
  const x: Exchange = { actor: undefined, xRoadId: idOk ? givenId : randomUUID(), clientId: undefined, serviceId: undefined, userId: undefined, issue: undefined, rest: '' };
  let provided: ProviderResponse | undefined;
  let error: XRoadError | undefined;
  try {
    if (givenId !== undefined && !idOk) throw new XRoadError('Client.InvalidRequest', 'X-Road-Id must be 1-200 visible ASCII characters');
    const parts = parseRequest(inc, x);
    if (early) throw early;
    if (inc.body && inc.body.length > m.bodyLimit) throw new XRoadError('Client.PayloadTooLarge', `the body is larger than ${m.bodyLimit} bytes`);
    const service = await m.directory.service(parts);
    if (!service) throw new XRoadError('Server.ServerProxy.UnknownService', `no service ${x.serviceId} in the directory`);
    x.service = service;
    await checkSignature(m, inc, x);
    if (service.disabled) throw new XRoadError('Server.ServerProxy.ServiceDisabled', `${service.id} is disabled`);
    const grant = await m.directory.right(service.id, x.clientId!);
    if (!grant) throw new XRoadError('Client.AccessDenied', `${x.clientId} has no access right to ${service.id}`);
    x.grant = grant;
    await checkConsent(m, inc, x, grant);
    provided = await callProvider(m.platform, service.provider, {
      method: inc.method,
      path: x.rest,
      search: inc.url.search,
      headers: forwardHeaders(inc, x),
      body: inc.body,
      clientId: x.clientId!,
      userId: x.userId,
      issue: x.issue,
      timeoutMs: service.timeoutMs,
      ...(x.consent ? { consentItems: x.consent.items } : {}),
    });
    if (x.consent) withinConsent(provided, x.consent.items, x.userId);
  } catch (e) {
    if (e instanceof XRoadError) error = e;
    else if (e instanceof ProviderError) error = fromProviderError(e);
    else {
      m.platform.log.error({ err: e, xRoadId: x.xRoadId }, 'mediation failed');
      error = new XRoadError('Server.ServerProxy.InternalError', 'the mediator failed while handling the request');
    }
  }

  const hash = requestHash(inc, x.xRoadId);
  const instance = inc.url.pathname;
  const headers: Record<string, string> = { ...(error ? {} : provided!.headers), 'x-road-id': x.xRoadId, 'x-road-request-hash': hash };
  if (inc.requestId) headers['x-road-request-id'] = inc.requestId;
  if (x.clientId) headers['x-road-client'] = x.clientId;
  if (x.serviceId) headers['x-road-service'] = x.serviceId;
  let status: number;
  let body: Buffer;
  if (error) {
    status = error.status;
    body = xroadErrorBody(error, { lang: inc.lang, instance, xRoadId: x.xRoadId, requestId: inc.requestId });
    headers['content-type'] = PROBLEM_JSON;
    headers['x-road-error'] = error.type;
    if (error.status === 401) headers['accept-signature'] = 'sig=("@method" "@target-uri" "x-road-client");created;keyid;alg';
  } else {
    status = provided!.status;
    body = provided!.body;
  }

  const access: DataAccess[] = [];
  const citizenId = provided?.citizenId ?? x.userId;
  if (!error && status >= 200 && status < 300 && x.service?.personalData) {
    const service = x.service.id;
    // one access record per citizen whose data left: the one named, or each one the provider names (a household)
    const reads = provided!.reads ?? (citizenId ? [{ citizenId, items: provided!.items }] : []);
    for (const read of reads) {
      if (!read.items.length) continue;
      const on = x.consent?.reader;
      access.push({
        citizenId: read.citizenId,
        reader: on?.reader ?? x.clientId!,
        institution: on?.institution ?? x.clientId!.split('/')[2]!,
        ...(on ? { application: on.application } : x.actor ? { application: x.actor } : {}),
        ...(x.consent ? { consentId: x.consent.id } : {}),
        service,
        items: read.items,
        purpose: x.issue ?? 'unspecified',
        legalBasis: x.grant?.legalBasis ?? undefined,
        xRoadId: x.xRoadId,
        channel: 'exchange',
        at: new Date(inc.receivedAt),
      });
    }
  }
  const sigInput = one(inc.headers['signature-input']);
  const sig = one(inc.headers.signature);
  const logBodies = Boolean(x.service?.logBodies);
  try {
    await m.log.write({
      entry: {
        xRoadId: x.xRoadId,
        at: logTime(inc.receivedAt),
        clientId: x.clientId ?? one(inc.headers['x-road-client'])?.slice(0, 255) ?? '',
        serviceId: x.serviceId ?? '',
        userId: x.userId ?? null,
        issue: x.issue ?? null,
        method: inc.method,
        path: inc.target.slice(0, MAX_TARGET),
        status,
        error: error?.type ?? null,
        requestHash: sha256(inc.body),
        responseHash: sha256(body),
        requestSignature: sigInput || sig ? JSON.stringify({ 'signature-input': sigInput ?? null, signature: sig ?? null }) : null,
        requestBody: logBodies ? bodyText(inc.body) : null,
        responseBody: logBodies ? bodyText(body) : null,
        durationMs: performance.now() - inc.t0,
      },
      access,
    });
  } catch (e) {
    // a request is never served if it cannot be logged: the provider's answer is dropped
    m.platform.log.error({ err: e, xRoadId: x.xRoadId }, 'message log write failed; the exchange was not served');
    const failure = new XRoadError('Server.ServerProxy.DatabaseError', 'the exchange could not be written to the message log, so it was not served');
    return {
      status: failure.status,
      headers: { 'x-road-id': x.xRoadId, 'x-road-request-hash': hash, 'x-road-error': failure.type, 'content-type': PROBLEM_JSON, 'retry-after': '5' },
      body: xroadErrorBody(failure, { lang: inc.lang, instance, xRoadId: x.xRoadId, requestId: inc.requestId }),
    };
  }
  return { status, headers, body };
}
