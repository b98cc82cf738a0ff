import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../../platform/db.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { appendRevision, findRevision, revisionsOf, type Revision } from './revisions.ts';

/**
 * GovStack Policies: the rules of a data controller (a recipient, or 'platform' for Hanaro's own)
 * that data agreements are governed by: where the policy is published, the jurisdiction, how long
 * data is kept, where it is stored. Every change is a new version with a signed revision
 * (revisions.ts); deleting is a soft delete, refused while an active agreement refers to the policy.
 */

export interface Policy {
  id: string;
  version: number;
  name: string;
  url: string;
  jurisdiction: string;
  industrySector: string | null;
  dataRetentionPeriodDays: number;
  geographicRestriction: string | null;
  storageLocation: string | null;
  thirdPartyDataSharing: boolean;
  /** The recipient id whose policy this is, or 'platform'. */
  controller: string;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
}

export const NewPolicy = z.object({
  name: z.string().min(1).max(200),
  url: z
    .string()
    .url()
    .max(500)
    .refine((u) => /^https?:\/\//i.test(u), 'an http(s) URL')
    .describe('Where this version of the policy can be read'),
  jurisdiction: z.string().min(1).max(100).default('KR'),
  industrySector: z.string().max(200).optional(),
  dataRetentionPeriodDays: z.number().int().min(0).max(36500),
  geographicRestriction: z.string().max(200).optional(),
  storageLocation: z.string().max(200).optional(),
  thirdPartyDataSharing: z.boolean().default(false),
});
export type NewPolicy = z.input<typeof NewPolicy>;

interface PolicyRow {
  id: string;
  version: number;
  name: string;
  url: string;
  jurisdiction: string;
  industry_sector: string | null;
  data_retention_period_days: number;
  geographic_restriction: string | null;
  storage_location: string | null;
  third_party_data_sharing: boolean;
  controller: string;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

const SELECT = sql`select p.*, p.id::text as id from mydata.policy p`;
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

const toPolicy = (r: PolicyRow): Policy => ({
  id: r.id,
  version: Number(r.version),
  name: r.name,
  url: r.url,
  jurisdiction: r.jurisdiction,
  industrySector: r.industry_sector,
  dataRetentionPeriodDays: Number(r.data_retention_period_days),
  geographicRestriction: r.geographic_restriction,
  storageLocation: r.storage_location,
  thirdPartyDataSharing: r.third_party_data_sharing,
  controller: r.controller,
  deleted: r.deleted_at !== null,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** What a revision of a policy holds. */
function snapshot(p: Policy): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...rest } = p;
  return rest;
}

/** A policy (deleted ones too, marked), or undefined; a malformed id is simply not found. */
export async function findPolicy(db: Db, id: string): Promise<Policy | undefined> {
  if (!isUuid(id)) return undefined;
  const [r] = await rows<PolicyRow>(db, sql`${SELECT} where p.id = ${id.toLowerCase()}::uuid`);
  return r && toPolicy(r);
}

/** A policy that is not deleted; 404 otherwise. */
export async function getPolicy(db: Db, id: string): Promise<Policy> {
  const p = await findPolicy(db, id);
  if (!p || p.deleted) throw new NotFoundError(`no policy ${id}`, 'policy_not_found');
  return p;
}

export async function listPolicies(db: Db, opts: { controllers?: string[]; offset?: number; limit?: number } = {}): Promise<Policy[]> {
  const found = await rows<PolicyRow>(
    db,
    sql`${SELECT} where p.deleted_at is null
        ${opts.controllers?.length ? sql`and p.controller in (${sql.join(opts.controllers.map((c) => sql`${c}`), sql`, `)})` : sql``}
        order by p.created_at, p.id offset ${opts.offset ?? 0} limit ${Math.min(opts.limit ?? 100, 500)}`,
  );
  return found.map(toPolicy);
}

async function lockedPolicy(t: Db, id: string): Promise<Policy> {
  const [r] = isUuid(id) ? await rows<PolicyRow>(t, sql`${SELECT} where p.id = ${id.toLowerCase()}::uuid and p.deleted_at is null for update`) : [];
  if (!r) throw new NotFoundError(`no policy ${id}`, 'policy_not_found');
  return toPolicy(r);
}

/** Creates a policy of `controller` (a recipient id or 'platform') with its first revision. */
export async function createPolicy(platform: Platform, input: NewPolicy, controller: string, actor: string): Promise<{ policy: Policy; revision: Revision }> {
  const p = NewPolicy.parse(input);
  const id = randomUUID();
  return platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    await t.execute(sql`insert into mydata.policy (id, name, url, jurisdiction, industry_sector, data_retention_period_days, geographic_restriction,
        storage_location, third_party_data_sharing, controller)
      values (${id}, ${p.name}, ${p.url}, ${p.jurisdiction}, ${p.industrySector ?? null}, ${p.dataRetentionPeriodDays}, ${p.geographicRestriction ?? null},
        ${p.storageLocation ?? null}, ${p.thirdPartyDataSharing}, ${controller})`);
    const policy = await lockedPolicy(t, id);
    const { revision } = await appendRevision(platform, t, 'policy', id, snapshot(policy), { other: actor });
    await platform.audit.append({ actor, action: 'mydata.policy.created', subject: `mydata.policy:${id}`, data: { controller } }, t);
    return { policy, revision };
  });
}

/** A new version of a policy. Agreements keep referring to the policy; each revision keeps what it said then. */
export async function updatePolicy(platform: Platform, id: string, input: NewPolicy, actor: string): Promise<{ policy: Policy; revision: Revision }> {
  const p = NewPolicy.parse(input);
  return platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    await lockedPolicy(t, id);
    await t.execute(sql`update mydata.policy set version = version + 1, name = ${p.name}, url = ${p.url}, jurisdiction = ${p.jurisdiction},
        industry_sector = ${p.industrySector ?? null}, data_retention_period_days = ${p.dataRetentionPeriodDays},
        geographic_restriction = ${p.geographicRestriction ?? null}, storage_location = ${p.storageLocation ?? null},
        third_party_data_sharing = ${p.thirdPartyDataSharing}, updated_at = now()
      where id = ${id.toLowerCase()}::uuid`);
    const policy = await lockedPolicy(t, id);
    const { revision } = await appendRevision(platform, t, 'policy', policy.id, snapshot(policy), { other: actor });
    await platform.audit.append({ actor, action: 'mydata.policy.updated', subject: `mydata.policy:${policy.id}`, data: { version: policy.version } }, t);
    return { policy, revision };
  });
}

/** Soft-deletes a policy (a last revision marks it deleted); 409 while an active agreement is governed by it. */
export async function deletePolicy(platform: Platform, id: string, actor: string): Promise<{ policy: Policy; revision: Revision }> {
  return platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    const policy = await lockedPolicy(t, id);
    const [inUse] = await rows<{ n: number }>(
      t,
      sql`select count(*)::int as n from mydata.data_agreement where policy_id = ${policy.id}::uuid and deleted_at is null and active`,
    );
    if (Number(inUse?.n ?? 0) > 0) throw new ConflictError(`${inUse!.n} active data agreement(s) are governed by this policy`, 'policy_in_use');
    await t.execute(sql`update mydata.policy set deleted_at = now(), updated_at = now() where id = ${policy.id}::uuid`);
    const deleted = { ...policy, deleted: true };
    const { revision } = await appendRevision(platform, t, 'policy', policy.id, snapshot(deleted), { other: actor });
    await platform.audit.append({ actor, action: 'mydata.policy.deleted', subject: `mydata.policy:${policy.id}` }, t);
    return { policy: deleted, revision };
  });
}

/** The revisions of a policy, oldest first. */
export function policyRevisions(db: Db, id: string): Promise<Revision[]> {
  return revisionsOf(db, 'policy', id.toLowerCase());
}

/** The policy as one of its revisions recorded it; undefined when the revision is not one of this policy's. */
export async function policyAt(db: Db, id: string, revisionId: string): Promise<{ policy: Policy; revision: Revision } | undefined> {
  if (!isUuid(revisionId)) return undefined;
  const revision = await findRevision(db, revisionId.toLowerCase());
  if (!revision || revision.schemaName !== 'policy' || revision.objectId !== id.toLowerCase()) return undefined;
  const { objectData } = JSON.parse(revision.serializedSnapshot) as { objectData: Omit<Policy, 'createdAt' | 'updatedAt'> };
  return { policy: { ...objectData, createdAt: revision.timestamp, updatedAt: revision.timestamp }, revision };
}

/** The latest revision of a policy. */
export async function latestPolicyRevision(db: Db, id: string): Promise<Revision | undefined> {
  return (await policyRevisions(db, id)).at(-1);
}
