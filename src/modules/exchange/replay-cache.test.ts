import { describe, expect, it } from 'vitest';
import { createReplayCache } from './replay-cache.ts';

describe('replay cache', () => {
  it('accepts signed content once until its window closes, then forgets it', () => {
    let now = 1_000_000;
    const c = createReplayCache({ now: () => now });
    expect(c.firstUse('k1', 'base A', now + 600_000)).toBe(true);
    expect(c.firstUse('k1', 'base A', now + 600_000)).toBe(false);
    // another key or other content is another request
    expect(c.firstUse('k2', 'base A', now + 600_000)).toBe(true);
    expect(c.firstUse('k1', 'base B', now + 600_000)).toBe(true);
    now += 600_001;
    // past the window the signature is refused as too old anyway; the entry is swept
    expect(c.firstUse('k9', 'sweep', now + 1)).toBe(true);
    expect(c.size).toBe(1);
  });

  it('stays within its bound, dropping the oldest first', () => {
    const c = createReplayCache({ max: 3, now: () => 0 });
    for (const b of ['a', 'b', 'c', 'd']) expect(c.firstUse('k', b, 1000)).toBe(true);
    expect(c.size).toBe(3);
    expect(c.firstUse('k', 'd', 1000)).toBe(false);
    expect(c.firstUse('k', 'a', 1000)).toBe(true);
  });
});
