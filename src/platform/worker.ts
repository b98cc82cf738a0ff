import type { JobHandler } from './outbox.ts';
import type { Platform } from './platform.ts';

// STUB: filled in by the outbox worker work.

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
}

export interface Worker {
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

export function startWorker(platform: Platform, handlers: Record<string, JobHandler>, opts: WorkerOptions = {}): Worker {
  void platform;
  void handlers;
  void opts;
  return { async stop() {} };
}
