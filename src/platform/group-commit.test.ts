import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('group commit', () => {
  it('writes one item at once when idle, and batches what arrives during a flush', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    let first = true;
    const gc = createGroupCommit<number>(async (items) => {
      batches.push(items);
      if (first) {
        first = false;
        await gate.promise;
      }
    });
    const a = gc.add(1);
    const rest = [gc.add(2), gc.add(3), gc.add(4)];
    gate.resolve();
    await Promise.all([a, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('with concurrency 2, starts a second flush at once while the first is written, and queues the rest', async () => {
    const batches: number[][] = [];
    const gates = [deferred(), deferred()];
    let running = 0;
    let most = 0;
    const gc = createGroupCommit<number>(
      async (items) => {
        const n = batches.push(items) - 1;
        most = Math.max(most, ++running);
        if (n < 2) await gates[n]!.promise;
        running--;
      },
      { concurrency: 2 },
    );
    const all = [gc.add(1), gc.add(2), gc.add(3), gc.add(4)];
    await new Promise((r) => setTimeout(r, 5));
    expect(batches).toEqual([[1], [2]]);
    gates[1]!.resolve();
    gates[0]!.resolve();
    await Promise.all(all);
    expect(batches).toEqual([[1], [2], [3, 4]]);
    expect(most).toBe(2);
  });

  it('splits at maxBatch and resolves each caller only after its own batch', async () => {
    const batches: number[][] = [];
    const gc = createGroupCommit<number>(async (items) => void batches.push(items), { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => gc.add(n)));
    // the first add flushes alone; the four that queued behind it go two by two
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('rejects every caller of a failed batch and keeps going with the next', async () => {
    let calls = 0;
    const gc = createGroupCommit<string>(async (items) => {
      calls++;
      if (items.includes('bad')) throw new Error('disk full');
    });
    const results = await Promise.allSettled([gc.add('ok'), gc.add('bad'), gc.add('also')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    await expect(gc.add('later')).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });

  it('drain waits for everything added so far', async () => {
    const done: number[] = [];
    const gc = createGroupCommit<number>(async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      done.push(...items);
    });
    void gc.add(1);
    void gc.add(2);
    await gc.drain();
    expect(done).toEqual([1, 2]);
  });
});
