import type { Db } from './db.ts';

// STUB: filled in by the audit-log work.

export interface AuditEntry {
  actor: string;
  action: string;
  subject?: string;
  data?: Record<string, unknown>;
}

export interface AuditLog {
  /** Appends one entry in the caller's transaction (or its own). */
  append(entry: AuditEntry, tx?: Db): Promise<{ seq: number; hash: string }>;
}

export function createAuditLog(db: Db): AuditLog {
  void db;
  return {
    async append() {
      throw new Error('not implemented');
    },
  };
}
