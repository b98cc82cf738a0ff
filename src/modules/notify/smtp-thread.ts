import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createSmtpPool, SmtpError, type SmtpOptions } from './smtp-client.ts';

/**
 * The SMTP pool on a thread of its own. Sending e-mail is socket work (a write per message, the
 * server's replies to read), and in one thread it shares a core with everything else the lane
 * does (claims, decryption, composing, recording outcomes): measured, it was a third of the
 * worker's CPU (docs/benchmarks.md). On its own thread it runs on the second core. The API is the
 * pool's: `send` answers when the server has taken the message; messages cross in batches (one
 * postMessage per event-loop turn each way). If the thread dies, what it held fails with
 * `ECONNECTION` (the lane gives such jobs back and sends them again under the same Message-ID)
 * and the next send starts a new thread.
 */

interface Outgoing {
  n: number;
  from: string;
  to: string[];
  raw: string;
}

type Result = { n: number; response: string; rejected: string[] } | { n: number; error: { code: string; message: string; responseCode?: number } };

type SmtpPool = ReturnType<typeof createSmtpPool>;

const THREAD_FLAG = 'hanaro.smtp-thread';

// ---- the thread's side ----------------------------------------------------------------------

if (!isMainThread && (workerData as { flag?: string } | undefined)?.flag === THREAD_FLAG) {
  const pool = createSmtpPool((workerData as { options: SmtpOptions }).options);
  const port = parentPort!;
  let results: Result[] = [];
  const flush = () => {
    const out = results;
    results = [];
    port.postMessage({ results: out });
  };
  const settle = (r: Result) => {
    if (results.push(r) === 1) setImmediate(flush);
  };
  port.on('message', (m: { send?: Outgoing[]; close?: boolean }) => {
    if (m.close) {
      void pool.close().then(() => port.postMessage({ closed: true }));
      return;
    }
    for (const o of m.send ?? []) {
      pool.send(o).then(
        (r) => settle({ n: o.n, response: r.response, rejected: r.rejected }),
        (e: unknown) => {
          const err = e instanceof SmtpError ? e : new SmtpError('ECONNECTION', (e as Error)?.message ?? String(e));
          settle({ n: o.n, error: { code: err.code, message: err.message, responseCode: err.responseCode } });
        },
      );
    }
  });
}

// ---- the caller's side ----------------------------------------------------------------------

/** The thread runs this module under tsx, as the process does (bin/hanaro.js). */
const BOOT = `import('tsx/esm/api').then(({ register }) => { register(); return import(require('node:worker_threads').workerData.url); })`;

export function createThreadedSmtpPool(o: SmtpOptions): SmtpPool {
  const waiting = new Map<number, { resolve(r: { response: string; rejected: string[] }): void; reject(e: Error): void }>();
  let next = 0;
  let outbox: Outgoing[] = [];
  let thread: Worker | undefined;
  let closed = false;

  const lost = (why: string) => {
    const e = new SmtpError('ECONNECTION', why);
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };

  function start(): Worker {
    const t = new Worker(BOOT, { eval: true, workerData: { flag: THREAD_FLAG, url: import.meta.url, options: o } });
    t.on('message', (m: { results?: Result[] }) => {
      for (const r of m.results ?? []) {
        const w = waiting.get(r.n);
        if (!w) continue;
        waiting.delete(r.n);
        if ('error' in r) w.reject(new SmtpError(r.error.code, r.error.message, r.error.responseCode));
        else w.resolve({ response: r.response, rejected: r.rejected });
      }
      // an idle thread does not keep the process alive
      if (waiting.size === 0) t.unref();
    });
    t.on('error', (e) => lost(`the SMTP thread failed (${e.message})`));
    t.on('exit', () => {
      if (thread === t) thread = undefined;
      lost('the SMTP thread stopped');
    });
    return t;
  }

  const post = () => {
    const batch = outbox;
    outbox = [];
    if (!batch.length) return;
    thread ??= start();
    thread.ref();
    thread.postMessage({ send: batch });
  };

  return {
    send(m) {
      if (closed) return Promise.reject(new SmtpError('ECONNECTION', 'the SMTP pool is closed'));
      return new Promise((resolve, reject) => {
        const n = ++next;
        waiting.set(n, { resolve, reject });
        if (outbox.push({ n, from: m.from, to: m.to, raw: m.raw }) === 1) setImmediate(post);
      });
    },
    async close() {
      closed = true;
      const t = thread;
      thread = undefined;
      for (const j of outbox.splice(0)) waiting.get(j.n)?.reject(new SmtpError('ECONNECTION', 'the SMTP pool is closed'));
      if (!t) return;
      t.ref();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => void t.terminate().then(() => resolve()), 5000);
        t.on('message', (m: { closed?: boolean }) => {
          if (!m.closed) return;
          clearTimeout(timer);
          void t.terminate().then(() => resolve());
        });
        t.postMessage({ close: true });
      });
      lost('the SMTP pool is closed');
    },
  };
}
