import { PlatformError, problemType } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { handleMediatedRequest } from '../registries/index.ts';

/**
 * Calling a service's provider: `registry:<code>/<version>` (or `…/<view>`) in-process through the registries
 * module's handleMediatedRequest, or an http(s) base URL with fetch. Either way the call is
 * bounded by the service's timeout_ms; what happens after that is the provider's business, the
 * client has its 504 by then.
 */
export interface ProviderRequest {
  method: string;
  /** The path below the service id, e.g. `/records/1` ('' for none), as the client sent it. */
  path: string;
  /** The raw query string with its `?`, or ''. */
  search: string;
  /** Headers to forward (already filtered, X-Road headers set). */
  headers: Record<string, string>;
  body: Buffer | undefined;
  clientId: string;
  userId: string | undefined;
  issue: string | undefined;
  timeoutMs: number;
  /** Under a citizen's consent: the only items the provider may return. */
  consentItems?: string[];
}

export interface ProviderResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The citizen whose data was returned, when the provider says. */
  citizenId?: string;
  /** Personal-data items returned (field names), for the access log. */
  items: string[];
  /** The items returned about each citizen, when the answer is about several (a household). */
  reads?: Array<{ citizenId: string; items: string[] }>;
}

export type ProviderFailure = 'timeout' | 'unreachable' | 'failed';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** HTTP providers may name the personal-data items they returned in this header (comma separated). */
export const ITEMS_HEADER = 'x-hanaro-data-items';
const MAX_RESPONSE = 16 * 1024 * 1024;

// hop-by-hop and length/encoding headers that fetch re-makes; X-Road headers are the mediator's
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding',
  'upgrade', 'server', 'content-length', 'content-encoding', 'date', ITEMS_HEADER]);

export type RegistryHandler = typeof handleMediatedRequest;

let registryHandler: RegistryHandler = handleMediatedRequest;

/** For tests and benchmarks: stands in for the registries module's handler (undefined: the real one again). */
export function setRegistryHandler(handler: RegistryHandler | undefined): void {
  registryHandler = handler ?? handleMediatedRequest;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderError('timeout', `the provider did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const JSON_TYPE = 'application/json; charset=utf-8';

async function callRegistry(platform: Platform, target: string, req: ProviderRequest): Promise<ProviderResponse> {
  // registry:<code>[/<version>[/<view>]], e.g. registry:resident/1.0/household
  const m = /^registry:([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(target);
  if (!m) throw new ProviderError('failed', `malformed registry provider ${target}`);
  let body: unknown;
  if (req.body?.length) {
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      // the provider's own problem, as the registry API would answer it (category 1, no X-Road-Error)
      return problemResponse(400, 'malformed_json', 'the body is not JSON');
    }
  }
  try {
    const out = await withTimeout(
      registryHandler(platform, {
        code: m[1]!,
        version: m[2],
        method: req.method,
        path: req.path || '/',
        query: Object.fromEntries(new URLSearchParams(req.search)),
        body,
        userId: req.userId,
        client: req.clientId,
        issue: req.issue,
        ...(m[3] ? { view: m[3] } : {}),
        ...(req.consentItems ? { consentItems: req.consentItems } : {}),
      }),
      req.timeoutMs,
    );
    const text = out.body === undefined ? '' : JSON.stringify(out.body);
    return { status: out.status, headers: text ? { 'content-type': JSON_TYPE } : {}, body: Buffer.from(text), citizenId: out.citizenId, items: out.items ?? [], ...(out.reads ? { reads: out.reads } : {}) };
  } catch (e) {
    if (e instanceof ProviderError) throw e;
    if (e instanceof PlatformError && e.status < 500) return problemResponse(e.status, e.code, e.detail, e.extra);
    throw new ProviderError('failed', 'the registry failed to answer');
  }
}

function problemResponse(status: number, code: string, detail?: string, extra?: Record<string, unknown>): ProviderResponse {
  const body = { type: problemType(code), title: code, status, code, ...(detail ? { detail } : {}), ...extra };
  return { status, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, body: Buffer.from(JSON.stringify(body)), items: [] };
}

async function callHttp(base: string, req: ProviderRequest): Promise<ProviderResponse> {
  const url = base.replace(/\/+$/, '') + req.path + req.search;
  let res: Response;
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    res = await fetch(url, {
      method: req.method,
      headers: req.headers,
      body: req.body?.length && req.method !== 'GET' && req.method !== 'HEAD' ? new Uint8Array(req.body) : undefined,
      // X-Road does not follow redirects: the client gets them as they are
      redirect: 'manual',
      signal,
    });
  } catch (e) {
    throw classify(e, req.timeoutMs);
  }
  let body: Buffer;
  try {
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_RESPONSE) throw new ProviderError('failed', 'the provider answer is too large');
    body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_RESPONSE) throw new ProviderError('failed', 'the provider answer is too large');
  } catch (e) {
    throw e instanceof ProviderError ? e : classify(e, req.timeoutMs);
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!DROP_RESPONSE.has(k) && !k.startsWith('x-road-')) headers[k] = v;
  });
  const items = res.headers.get(ITEMS_HEADER);
  return {
    status: res.status,
    headers,
    body,
    items: items === null ? ['*'] : items.split(',').map((s) => s.trim()).filter(Boolean),
  };
}

function classify(e: unknown, timeoutMs: number): ProviderError {
  const name = (e as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new ProviderError('timeout', `the provider did not answer within ${timeoutMs} ms`);
  return new ProviderError('unreachable', 'the provider could not be reached');
}

export function callProvider(platform: Platform, provider: string, req: ProviderRequest): Promise<ProviderResponse> {
  if (provider.startsWith('registry:')) return callRegistry(platform, provider, req);
  if (/^https?:\/\//.test(provider)) return callHttp(provider, req);
  return Promise.reject(new ProviderError('failed', 'the service has no usable provider'));
}
