import { createHash } from 'node:crypto';
import type { Platform } from '../../platform/platform.ts';

/**
 * Replay protection for RFC 9421 signed requests. A signature is accepted for a few minutes
 * around its `created` time (signatures.ts), so a request captured on the way could be sent
 * again within that window. The cache remembers every accepted signature until its window
 * closes and refuses a second use (RFC 9421 §7.2.2).
 *
 * What is remembered is a hash of the key id and the signature base (what was signed), not the
 * signature bytes: an ECDSA signature can be rewritten into another valid one (s → n − s), so
 * bytes would let a replay through. Two identical requests signed in the same second therefore
 * count as one: a client sends an X-Road-Id (covered by the signature) or a `nonce` parameter
 * to keep them apart.
 *
 * Per process, in memory: a replay sent to another API process of the same installation is not
 * caught (a shared cache would cost a database round trip per request; see docs/security.md).
 * Bounded: past `max` entries the oldest are dropped first.
 */
export interface ReplayCache {
  /** True the first time this signed content is seen within its window, false for a replay. */
  firstUse(keyid: string, base: string, windowEndsMs: number): boolean;
  readonly size: number;
}

export function createReplayCache(opts: { max?: number; now?: () => number } = {}): ReplayCache {
  const max = opts.max ?? 500_000;
  const now = opts.now ?? Date.now;
  const seen = new Map<string, number>();
  let sweepAt = 0;
  return {
    firstUse(keyid, base, windowEndsMs) {
      const t = now();
      if (t >= sweepAt) {
        for (const [k, until] of seen) if (until <= t) seen.delete(k);
        sweepAt = t + 10_000;
      }
      const key = createHash('sha256').update(keyid).update('\n').update(base).digest('base64');
      const until = seen.get(key);
      if (until !== undefined && until > t) return false;
      if (seen.size >= max) seen.delete(seen.keys().next().value!);
      seen.set(key, windowEndsMs);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}

const caches = new WeakMap<Platform, ReplayCache | undefined>();

/** The process's replay cache for `platform`, or undefined when HANARO_REPLAY_CHECK is off. */
export function replayCacheOf(platform: Platform): ReplayCache | undefined {
  if (!caches.has(platform)) caches.set(platform, platform.config.replayCheck ? createReplayCache() : undefined);
  return caches.get(platform);
}
