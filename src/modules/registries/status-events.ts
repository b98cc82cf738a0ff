import type { Db } from '../../platform/db.ts';
import { publish } from '../../platform/events.ts';
import type { RegistryInfo } from './catalog.ts';
import type { StoredRecord } from './store.ts';

/**
 * `registries.record-status-changed`: a record about a citizen whose `status` field changed (a
 * licence suspended or revoked, health insurance lost, a business closed). It names the registry,
 * the record, the citizen and the old and new status, nothing else; other modules react (the
 * credentials module suspends or revokes the documents made from that record). Published in the
 * write's transaction, once per record version.
 */
export const RECORD_STATUS_CHANGED = 'registries.record-status-changed';

export interface RecordStatusChanged {
  registry: string;
  recordId: string;
  citizenId: string;
  from: string | null;
  to: string | null;
}

export async function publishStatusChange(tx: Db, info: RegistryInfo, before: StoredRecord, after: StoredRecord): Promise<void> {
  if (!info.fields.some((f) => f.name === 'status')) return;
  const from = typeof before.data.status === 'string' ? before.data.status : null;
  const to = typeof after.data.status === 'string' ? after.data.status : null;
  if (from === to) return;
  const citizenId = info.subject === 'self' ? after.id : after.subjectId;
  if (!citizenId) return;
  const event: RecordStatusChanged = { registry: info.code, recordId: after.id, citizenId, from, to };
  await publish(tx, RECORD_STATUS_CHANGED, event, { idempotencyKey: `${RECORD_STATUS_CHANGED}:${info.id}:${after.id}:${after.version}` });
}
