import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { mediatedCall } from '../exchange/index.ts';
import { AGENCIES, listRegistries, type FieldType, type RegistryInfo, type Text } from '../registries/index.ts';
import { notifyCitizen } from '../notify/index.ts';
import { MYDATA_HUB } from './consents.ts';

/**
 * "My data" (내 정보): everything the registries hold about a citizen, read live through the
 * mediator as the MyData hub under the purpose "self-view" (so the citizen's own look lands in
 * their access log like any other read), grouped by agency; and correction requests, which go to
 * the owning agency's queue.
 */

export const SELF_VIEW = 'self-view';

export interface SelfItem {
  field: string;
  label: Text;
  /** The registry's field type: `ref`/`refs` values are other people's record ids, not shown as such. */
  type: FieldType;
  value: unknown;
}
export interface SelfRecord {
  id: string;
  changedAt: string | null;
  items: SelfItem[];
}
export interface SelfRegistry {
  service: string;
  code: string;
  name: Text;
  records: SelfRecord[];
  /** Set when the registry could not be read just now. */
  unavailable?: boolean;
}
export interface SelfAgency {
  agency: string;
  name: Text;
  registries: SelfRegistry[];
}

/** The registries holding personal data about citizens, which the hub may read. */
async function personalRegistries(platform: Platform): Promise<RegistryInfo[]> {
  return (await listRegistries(platform)).filter((r) => r.personal && r.subject !== 'none' && !r.disabled);
}

/** Reads every registry about the citizen through the mediator, in parallel, and groups the answers by agency. */
export async function selfView(platform: Platform, citizenId: string, purpose = SELF_VIEW): Promise<SelfAgency[]> {
  const registries = await personalRegistries(platform);
  const read = await Promise.all(
    registries.map(async (info): Promise<SelfRegistry> => {
      const base = { service: info.serviceId, code: info.code, name: info.name };
      const res = await mediatedCall(platform, { client: MYDATA_HUB, service: info.serviceId, path: '/records', userId: citizenId, issue: purpose }).catch(() => undefined);
      if (!res || res.status !== 200) {
        // no right for this registry is "nothing to show"; anything else is a registry that did not answer
        return { ...base, records: [], ...(res && res.status === 403 ? {} : { unavailable: true }) };
      }
      const records = ((res.body as { records?: Array<Record<string, unknown>> }).records ?? []).map((rec) => ({
        id: String(rec.id),
        changedAt: typeof rec.changedAt === 'string' ? rec.changedAt : null,
        items: info.fields.filter((f) => rec[f.name] !== undefined && rec[f.name] !== null).map((f) => ({ field: f.name, label: f.label, type: f.type, value: rec[f.name] })),
      }));
      return { ...base, records };
    }),
  );
  const byAgency = new Map<string, SelfAgency>();
  registries.forEach((info, i) => {
    const r = read[i]!;
    if (!r.records.length && !r.unavailable) return;
    let a = byAgency.get(info.agency);
    if (!a) byAgency.set(info.agency, (a = { agency: info.agency, name: AGENCIES[info.agency] ?? { ko: info.agency, en: info.agency }, registries: [] }));
    a.registries.push(r);
  });
  return [...byAgency.values()];
}

// ---- corrections ------------------------------------------------------------------------------

export const NewCorrection = z.object({
  service: z.string().min(1).max(200),
  field: z.string().min(1).max(64),
  requestedValue: z.string().trim().min(1).max(500),
  reason: z.string().trim().min(1).max(1000),
});
export type NewCorrection = z.input<typeof NewCorrection>;

export interface Correction {
  id: string;
  citizenId: string;
  agency: string;
  service: string;
  field: string;
  requestedValue: string;
  reason: string;
  status: 'open' | 'accepted' | 'rejected';
  decidedBy: string | null;
  decisionNote: string | null;
  decidedAt: string | null;
  createdAt: string;
}

interface CorrectionRow {
  id: string;
  citizen_id: string;
  agency: string;
  service: string;
  field: string;
  requested_value: string;
  reason: string;
  status: Correction['status'];
  decided_by: string | null;
  decision_note: string | null;
  decided_at: string | null;
  created_at: string;
}
const toCorrection = (r: CorrectionRow): Correction => ({
  id: r.id,
  citizenId: r.citizen_id,
  agency: r.agency,
  service: r.service,
  field: r.field,
  requestedValue: r.requested_value,
  reason: r.reason,
  status: r.status,
  decidedBy: r.decided_by,
  decisionNote: r.decision_note,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
});
const CORRECTION_SELECT = sql`select id::text as id, citizen_id, agency, service, field, requested_value, reason, status, decided_by, decision_note, decided_at, created_at from mydata.correction`;

/** A citizen asks the agency owning an item to correct it; it joins that agency's queue. */
export async function requestCorrection(platform: Platform, citizenId: string, input: NewCorrection): Promise<Correction> {
  const c = NewCorrection.parse(input);
  const info = (await personalRegistries(platform)).find((r) => r.serviceId === c.service);
  if (!info) throw new BadRequestError(`no registry service ${c.service}`, { errors: [{ field: 'service', detail: 'unknown' }] }, 'unknown_service');
  if (!info.fields.some((f) => f.name === c.field)) throw new BadRequestError(`${c.service} has no field ${c.field}`, { errors: [{ field: 'field', detail: 'unknown' }] }, 'unknown_field');
  const id = randomUUID();
  await platform.db.execute(sql`insert into mydata.correction (id, citizen_id, agency, service, field, requested_value, reason)
    values (${id}, ${citizenId}, ${info.agency}, ${c.service}, ${c.field}, ${c.requestedValue}, ${c.reason})`);
  await platform.audit.append({ actor: `citizen:${citizenId}`, action: 'mydata.correction.requested', subject: `mydata.correction:${id}`, data: { agency: info.agency, service: c.service, field: c.field } });
  return (await findCorrection(platform.db, id))!;
}

export async function findCorrection(db: Db, id: string): Promise<Correction | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [r] = await rows<CorrectionRow>(db, sql`${CORRECTION_SELECT} where id = ${id.toLowerCase()}::uuid`);
  return r && toCorrection(r);
}

export async function correctionsOfCitizen(db: Db, citizenId: string): Promise<Correction[]> {
  return (await rows<CorrectionRow>(db, sql`${CORRECTION_SELECT} where citizen_id = ${citizenId} order by created_at desc limit 200`)).map(toCorrection);
}

/** An agency's queue: open requests first, oldest first. */
export async function correctionQueue(db: Db, agency: string, opts: { status?: Correction['status'] } = {}): Promise<Correction[]> {
  return (
    await rows<CorrectionRow>(
      db,
      sql`${CORRECTION_SELECT} where agency = ${agency} ${opts.status ? sql`and status = ${opts.status}` : sql``}
          order by (status = 'open') desc, created_at limit 500`,
    )
  ).map(toCorrection);
}

/**
 * An official of the owning agency decides. The registry itself is changed by the agency through
 * its registry API (the correction records the decision, not the change); the citizen sees the
 * outcome on their My data page.
 */
export async function decideCorrection(platform: Platform, official: { id: string; agency: string }, id: string, decision: { accept: boolean; note?: string }): Promise<Correction> {
  const found = await findCorrection(platform.db, id);
  if (!found || found.agency !== official.agency) throw new NotFoundError('no such correction request in your agency', 'correction_not_found');
  const agency = AGENCIES[found.agency] ?? { ko: found.agency, en: found.agency };
  // the decision, its audit entry and the citizen's notice (on their channels) commit together
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const done = await rows(
      tx,
      sql`update mydata.correction set status = ${decision.accept ? 'accepted' : 'rejected'}, decided_by = ${`official:${official.id}`},
          decision_note = ${decision.note?.slice(0, 1000) ?? null}, decided_at = now() where id = ${found.id}::uuid and status = 'open' returning id`,
    );
    if (!done.length) throw new PlatformError('correction_decided', 409, 'the request has been decided already');
    await platform.audit.append({ actor: `official:${official.id}`, action: `mydata.correction.${decision.accept ? 'accepted' : 'rejected'}`, subject: `mydata.correction:${found.id}` }, tx as never);
    await notifyCitizen(
      platform,
      {
        citizenId: found.citizenId,
        template: 'mydata.correction-decided',
        idempotencyKey: `mydata.correction:${found.id}`,
        personalisation: { 'agency.ko': agency.ko, 'agency.en': agency.en, [decision.accept ? 'accepted' : 'rejected']: 'yes', ...(decision.note ? { note: 'yes' } : {}), link: new URL('/mydata', platform.config.publicUrl).href },
      },
      tx,
    );
  });
  return (await findCorrection(platform.db, found.id))!;
}
