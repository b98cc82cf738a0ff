/**
 * Group commit: callers add items and wait until the batch holding theirs is durably written.
 * While one flush runs, new items queue up and go together in the next, so under load many
 * items share one transaction (and one fsync) and with no load an item is written at once,
 * with no timer to wait for. Used where every request must be recorded before it is answered
 * (the exchange message log, the personal-data access log).
 */
export interface GroupCommit<T> {
  /** Resolves once the item is committed; rejects if its batch failed. */
  add(item: T): Promise<void>;
  /** Waits for everything added so far. */
  drain(): Promise<void>;
}

export function createGroupCommit<T>(flush: (items: T[]) => Promise<void>, opts: GroupOptions = {}): GroupCommit<T> {
  let pending = 0;
  let idle: Promise<void> = Promise.resolve();
  let settle: (() => void) | undefined;
  const group = createGroupCall<T, void>(async (items) => {
    await flush(items);
    return items.map(() => undefined);
  }, opts);
  return {
    add(item) {
      if (pending++ === 0) idle = new Promise<void>((r) => (settle = r));
      return group.call(item).finally(() => {
        if (--pending === 0) settle?.();
      });
    },
    drain: () => idle,
  };
}

/**
 * The same batching for work that answers each caller (a batch of look-ups or inserts that
 * return something per item): `flush` gets the queued items and returns one result per item, in
 * order. Under load many callers share one statement and one commit.
 */
export interface GroupCall<T, R> {
  call(item: T): Promise<R>;
}

export interface GroupOptions {
  /** The most items in one flush (default 500). */
  maxBatch?: number;
  /**
   * How many flushes may run at once (default 1). With 2, an item that arrives while a batch is
   * being written starts its own at once instead of waiting a whole flush for the next: lower
   * latency for a little less batching. Only for items whose order across batches does not matter.
   */
  concurrency?: number;
}

export function createGroupCall<T, R>(flush: (items: T[]) => Promise<R[]>, opts: GroupOptions = {}): GroupCall<T, R> {
  const maxBatch = opts.maxBatch ?? 500;
  const concurrency = opts.concurrency ?? 1;
  let queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let running = 0;
  const run = async () => {
    running++;
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await flush(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    running--;
  };
  return {
    call(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (running < concurrency) void run();
      });
    },
  };
}
