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

export function createGroupCommit<T>(flush: (items: T[]) => Promise<void>, opts: { maxBatch?: number } = {}): GroupCommit<T> {
  const maxBatch = opts.maxBatch ?? 500;
  let queue: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let running: Promise<void> | undefined;

  const run = async () => {
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        await flush(batch.map((b) => b.item));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    running = undefined;
  };

  return {
    add(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        running ??= run();
      });
    },
    async drain() {
      while (running) await running;
    },
  };
}
