import { isIP } from 'node:net';
import { PermanentJobError } from './outbox.ts';

/**
 * What every module that calls a subscriber back (MyData's GovStack webhooks, the notify
 * delivery callbacks) shares: the production rule for where a callback may point, and one POST
 * with the outbox's retry classification.
 */

const PRIVATE_V4 = [/^10\./, /^127\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^0\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];
const PRIVATE_V6 = [/^::1$/, /^::$/, /^f[cd]/i, /^fe[89ab]/i];

/** Whether an address is loopback, private, link-local or otherwise not on the public internet (an IPv4-mapped IPv6 address by its IPv4 part). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  return address.includes(':') ? PRIVATE_V6.some((r) => r.test(address)) : PRIVATE_V4.some((r) => r.test(address));
}

/**
 * In production a callback must use https and point at the public internet: a subscriber must not
 * make the platform post into its own network (SSRF). Every address the host resolves to is
 * checked; demo mode allows local receivers for trying things out. Undefined when acceptable.
 */
export async function callbackUrlProblem(url: string, production: boolean): Promise<string | undefined> {
  if (!production) return undefined;
  const u = new URL(url);
  if (u.protocol !== 'https:') return 'must use https in production';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      const { lookup } = await import('node:dns/promises');
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch {
      return `the host ${host} does not resolve`;
    }
  }
  return addresses.some(isPrivateAddress) ? `the host ${host} is not on the public internet` : undefined;
}

/**
 * POSTs one callback. A 2xx ends it; a 4xx other than 408 and 429 is given up at once
 * ({@link PermanentJobError}: dead letter with the reason); anything else throws for the outbox to
 * retry. No address appears in an error (dead letters are shown to operators and agencies).
 */
export async function postCallback(url: string, o: { headers: Record<string, string>; body: string; signal: AbortSignal; timeoutMs?: number; receiver?: string }): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', redirect: 'manual', signal: AbortSignal.any([o.signal, AbortSignal.timeout(timeoutMs)]), headers: o.headers, body: o.body });
  } catch (e) {
    if (o.signal.aborted) throw e;
    throw new Error((e as Error).name === 'TimeoutError' ? `timeout after ${timeoutMs} ms` : 'network error');
  }
  await res.body?.cancel().catch(() => {});
  if (res.status >= 200 && res.status < 300) return;
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentJobError(`refused by ${o.receiver ?? 'the receiver'}: HTTP ${res.status}`);
  throw new Error(`HTTP ${res.status}`);
}
