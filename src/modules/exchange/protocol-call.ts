import { randomUUID } from 'node:crypto';
import type { Platform } from '../../platform/platform.ts';
import { mediate, mediator, type Outgoing } from './protocol-pipeline.ts';
import { signRequest } from './signatures.ts';

export interface MediatedCall {
  /** Client subsystem, e.g. KR/GOV/MOHW/welfare-services; it must have an in-process key. */
  client: string;
  /** Service id, e.g. KR/GOV/MOIS/resident-registry/resident. */
  service: string;
  method?: string;
  /** Path (and query) below the service, e.g. `/records?fields=name`. */
  path?: string;
  /** X-Road-UserId: the citizen the request is about. */
  userId?: string;
  /** X-Road-Issue: the case or purpose. */
  issue?: string;
  /** X-Hanaro-Actor: the person at the client making the call (`official:42`), for the access log. */
  actor?: string;
  /** X-Hanaro-Consent: the citizen's consent record the call is made under. */
  consent?: string;
  /** JSON-serialised unless a string or bytes. */
  body?: unknown;
}
export interface MediatedResponse {
  status: number;
  xRoadId: string;
  headers: Record<string, string>;
  /** Parsed JSON when the answer is JSON, else text. */
  body: unknown;
}

/** Drops the cached directory entries and client keys, e.g. right after a grant or revocation. */
export function invalidateDirectoryCache(platform: Platform): void {
  const m = mediator(platform);
  m.directory.clear();
  m.keys.clear();
}

const headerSafe = (v: string) => (/^[\x20-\x7e]*$/.test(v) && !/%[0-9A-Fa-f]{2}/.test(v) ? v : encodeURIComponent(v));

function parseBody(out: Outgoing): unknown {
  if (!out.body.length) return undefined;
  const text = out.body.toString('utf8');
  if (/[/+]json\b/.test(out.headers['content-type'] ?? '')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * A mediated call made in-process (later modules, the CLI): signed with the client's stored key
 * and run through the same pipeline as `/r1/…`, so it is verified, access-checked and logged
 * the same way.
 */
export async function mediatedCall(platform: Platform, call: MediatedCall): Promise<MediatedResponse> {
  const m = mediator(platform);
  const method = (call.method ?? 'GET').toUpperCase();
  const path = call.path ? (call.path.startsWith('/') || call.path.startsWith('?') ? call.path : `/${call.path}`) : '';
  const target = `/r1/${call.service.split('/').map(encodeURIComponent).join('/')}${path}`;
  const url = new URL(target, m.publicUrl);
  let body: Buffer | undefined;
  const headers: Record<string, string> = { 'x-road-client': call.client, 'x-road-id': randomUUID(), accept: 'application/json' };
  // as an HTTP client must send them: non-ASCII text percent-encoded (the pipeline decodes it)
  if (call.userId !== undefined) headers['x-road-userid'] = headerSafe(call.userId);
  if (call.issue !== undefined) headers['x-road-issue'] = headerSafe(call.issue);
  if (call.consent !== undefined) headers['x-hanaro-consent'] = call.consent;
  if (call.actor !== undefined) headers['x-hanaro-actor'] = call.actor;
  if (call.body !== undefined) {
    body = Buffer.isBuffer(call.body) ? call.body : Buffer.from(typeof call.body === 'string' ? call.body : JSON.stringify(call.body));
    headers['content-type'] = typeof call.body === 'string' || Buffer.isBuffer(call.body) ? 'text/plain; charset=utf-8' : 'application/json';
  }
  const signed = await signRequest(await m.signers.signer(call.client), { method, url: url.href, headers, body });
  const out = await mediate(m, {
    method,
    target: url.pathname + url.search,
    url,
    headers: Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v])),
    body,
    receivedAt: Date.now(),
    t0: performance.now(),
    lang: 'en',
  });
  return { status: out.status, xRoadId: out.headers['x-road-id']!, headers: out.headers, body: parseBody(out) };
}
