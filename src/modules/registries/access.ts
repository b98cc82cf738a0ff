import type { DataAccess } from '../../platform/access-log.ts';
import { createGroupCommit, type GroupCommit } from '../../platform/group-commit.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ApiCaller } from './auth.ts';
import type { RegistryInfo } from './catalog.ts';

/**
 * Access records for direct reads through the Data API: an owner agency reading personal data
 * from its own registry is still a read the citizen may see (MyData, myPersonalDataUsage).
 * Written before the answer leaves, in group commits so that busy readers share transactions.
 */

export const REGISTRY_API_CHANNEL = 'registry-api';
export const DEFAULT_PURPOSE = 'registry administration';

const commits = new WeakMap<Platform, GroupCommit<DataAccess[]>>();

/** Writes the entries (durably) before resolving. */
export function recordReads(platform: Platform, entries: DataAccess[]): Promise<void> {
  if (!entries.length) return Promise.resolve();
  let gc = commits.get(platform);
  if (!gc) commits.set(platform, (gc = createGroupCommit((batches) => platform.accessLog.record(batches.flat()))));
  return gc.add(entries);
}

/** One access record per citizen whose personal fields were returned. */
export function readEntries(info: RegistryInfo, caller: ApiCaller, issue: string | undefined, reads: Array<{ citizenId: string | null; items: Iterable<string> }>): DataAccess[] {
  const byCitizen = new Map<string, Set<string>>();
  for (const r of reads) {
    if (!r.citizenId) continue;
    const items = [...r.items];
    if (!items.length) continue;
    const set = byCitizen.get(r.citizenId) ?? new Set<string>();
    for (const i of items) set.add(i);
    byCitizen.set(r.citizenId, set);
  }
  return [...byCitizen].map(([citizenId, items]) => ({
    citizenId,
    reader: caller.client,
    institution: caller.agency,
    application: caller.client,
    service: info.serviceId,
    items: [...items],
    purpose: issue || DEFAULT_PURPOSE,
    channel: REGISTRY_API_CHANNEL,
  }));
}
