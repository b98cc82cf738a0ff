import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, textArray, type Db } from '../../platform/db.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { listRegistries, type RegistryInfo } from '../registries/index.ts';
import { appendRevision, prepareSigning } from './revisions.ts';

/**
 * Recipients (who may receive a citizen's data), policies and data agreements (on what terms):
 * the configuration side of consent. An agreement names the items (registry fields of mediated
 * services) a recipient gets, for which purpose, on which lawful basis, in which modes (once,
 * periodic), how long a consent to it may last and how long the recipient may keep the data.
 * Every change of an agreement or policy is a signed revision (revisions.ts).
 */

export interface Names {
  ko: string;
  en: string;
}

export interface Recipient {
  id: string;
  kind: 'agency' | 'third-party';
  name: Names;
  clientId: string | null;
  url: string | null;
  createdAt: string;
  disabled: boolean;
}

export const ItemGroup = z.object({
  service: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+){4}$/).describe('A mediated service id, e.g. KR/GOV/MOIS/resident-registry/resident'),
  items: z.array(z.string().min(1).max(64)).min(1).max(64).describe('Registry field names of that service'),
});
export type ItemGroup = z.infer<typeof ItemGroup>;

export const LAWFUL_BASES = ['consent', 'legal_obligation', 'contract', 'vital_interest', 'public_task', 'legitimate_interest'] as const;
export const MODES = ['once', 'periodic'] as const;
export type Mode = (typeof MODES)[number];

export const NewAgreement = z.object({
  recipientId: z.string().min(1).max(64),
  policyId: z.string().uuid().optional(),
  purpose: z.object({ ko: z.string().min(1).max(200), en: z.string().min(1).max(200) }),
  description: z.object({ ko: z.string().max(2000), en: z.string().max(2000) }).optional(),
  lawfulBasis: z.enum(LAWFUL_BASES),
  legalReference: z.string().max(300).optional(),
  dataUse: z.enum(['data_source', 'data_using_service']).optional(),
  dpia: z.string().max(2000).optional(),
  items: z.array(ItemGroup).min(1).max(20),
  modes: z.array(z.enum(MODES)).min(1).max(2).default(['once']),
  maxValidityDays: z.number().int().min(1).max(3650),
  retentionDays: z.number().int().min(0).max(36500),
  forgettable: z.boolean().default(false),
  lifecycle: z.enum(['draft', 'complete']).default('complete'),
  active: z.boolean().default(true),
});
export type NewAgreement = z.input<typeof NewAgreement>;

export interface Agreement {
  id: string;
  version: number;
  recipient: Recipient;
  policyId: string | null;
  purpose: Names;
  description: Names;
  lawfulBasis: (typeof LAWFUL_BASES)[number];
  legalReference: string | null;
  dataUse: string | null;
  dpia: string;
  items: ItemGroup[];
  modes: Mode[];
  maxValidityDays: number;
  retentionDays: number;
  forgettable: boolean;
  lifecycle: 'draft' | 'complete';
  active: boolean;
  /** The hash of its latest revision: what a consent to this version refers to. */
  revisionHash: string;
  createdAt: string;
  updatedAt: string;
}

// ---- recipients ---------------------------------------------------------------------------

const KEY_PREFIX = 'hmd_';
const keyHash = (key: string) => createHash('sha256').update(key).digest();

interface RecipientRow {
  id: string;
  kind: 'agency' | 'third-party';
  name_ko: string;
  name_en: string;
  client_id: string | null;
  url: string | null;
  created_at: string;
  disabled_at: string | null;
}
const toRecipient = (r: RecipientRow): Recipient => ({
  id: r.id,
  kind: r.kind,
  name: { ko: r.name_ko, en: r.name_en },
  clientId: r.client_id,
  url: r.url,
  createdAt: new Date(r.created_at).toISOString(),
  disabled: r.disabled_at !== null,
});

export const NewRecipient = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and hyphens'),
  kind: z.enum(['agency', 'third-party']),
  name: z.object({ ko: z.string().min(1).max(100), en: z.string().min(1).max(100) }),
  clientId: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+){3}$/).optional(),
  url: z.string().url().max(500).optional(),
});
export type NewRecipient = z.input<typeof NewRecipient>;

/** Registers a recipient and makes its API key (shown once; only its hash is kept). */
export async function createRecipient(platform: Platform, input: NewRecipient, actor: string, db: Db = platform.db): Promise<{ recipient: Recipient; apiKey: string }> {
  const r = NewRecipient.parse(input);
  const apiKey = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const inserted = await rows<RecipientRow>(
    db,
    sql`insert into mydata.recipient (id, kind, name_ko, name_en, client_id, url, api_key_hash, created_by)
        values (${r.id}, ${r.kind}, ${r.name.ko}, ${r.name.en}, ${r.clientId ?? null}, ${r.url ?? null}, ${keyHash(apiKey)}, ${actor})
        on conflict do nothing returning *`,
  );
  if (!inserted[0]) throw new ConflictError(`a recipient ${r.id} (or one for client ${r.clientId}) exists already`, 'recipient_exists');
  await platform.audit.append({ actor, action: 'mydata.recipient.created', subject: `mydata.recipient:${r.id}`, data: { kind: r.kind, clientId: r.clientId ?? null } }, db);
  return { recipient: toRecipient(inserted[0]), apiKey };
}

export async function recipientByKey(db: Db, apiKey: string): Promise<Recipient | undefined> {
  if (!/^hmd_[A-Za-z0-9_-]{43}$/.test(apiKey)) return undefined;
  const [r] = await rows<RecipientRow>(db, sql`select * from mydata.recipient where api_key_hash = ${keyHash(apiKey)} and disabled_at is null`);
  return r && toRecipient(r);
}

export async function findRecipient(db: Db, id: string): Promise<Recipient | undefined> {
  const [r] = await rows<RecipientRow>(db, sql`select * from mydata.recipient where id = ${id}`);
  return r && toRecipient(r);
}

export async function listRecipients(db: Db): Promise<Recipient[]> {
  return (await rows<RecipientRow>(db, sql`select * from mydata.recipient order by id`)).map(toRecipient);
}

export async function disableRecipient(platform: Platform, id: string, actor: string): Promise<void> {
  const done = await rows(platform.db, sql`update mydata.recipient set disabled_at = now() where id = ${id} and disabled_at is null returning id`);
  if (!done.length) throw new NotFoundError(`no active recipient ${id}`, 'recipient_not_found');
  await platform.audit.append({ actor, action: 'mydata.recipient.disabled', subject: `mydata.recipient:${id}` });
}

// ---- agreements ---------------------------------------------------------------------------

interface AgreementRow {
  id: string;
  version: number;
  recipient_id: string;
  policy_id: string | null;
  purpose_ko: string;
  purpose_en: string;
  description_ko: string;
  description_en: string;
  lawful_basis: Agreement['lawfulBasis'];
  legal_reference: string | null;
  data_use: string | null;
  dpia: string;
  items: ItemGroup[];
  modes: string[] | string;
  max_validity_days: number;
  retention_days: number;
  forgettable: boolean;
  lifecycle: 'draft' | 'complete';
  active: boolean;
  revision_hash: string | null;
  created_at: string;
  updated_at: string;
}

const AGREEMENT_SELECT = sql`select a.*, a.id::text as id, a.policy_id::text as policy_id,
  (select r.serialized_hash from mydata.revision r where r.schema_name = 'dataAgreement' and r.object_id = a.id::text order by r.seq desc limit 1) as revision_hash
  from mydata.data_agreement a`;


function toAgreement(a: AgreementRow, recipient: Recipient): Agreement {
  return {
    id: a.id,
    version: Number(a.version),
    recipient,
    policyId: a.policy_id,
    purpose: { ko: a.purpose_ko, en: a.purpose_en },
    description: { ko: a.description_ko, en: a.description_en },
    lawfulBasis: a.lawful_basis,
    legalReference: a.legal_reference,
    dataUse: a.data_use,
    dpia: a.dpia,
    items: a.items,
    modes: textArray(a.modes) as Mode[],
    maxValidityDays: Number(a.max_validity_days),
    retentionDays: Number(a.retention_days),
    forgettable: a.forgettable,
    lifecycle: a.lifecycle,
    active: a.active,
    revisionHash: a.revision_hash ?? '',
    createdAt: new Date(a.created_at).toISOString(),
    updatedAt: new Date(a.updated_at).toISOString(),
  };
}

async function withRecipients(db: Db, found: AgreementRow[]): Promise<Agreement[]> {
  const ids = [...new Set(found.map((a) => a.recipient_id))];
  const recipients = new Map<string, Recipient>();
  for (const id of ids) recipients.set(id, (await findRecipient(db, id))!);
  return found.map((a) => toAgreement(a, recipients.get(a.recipient_id)!));
}

/** Checks that every item names a field of a registry service that exists. */
export async function checkItems(platform: Platform, groups: ItemGroup[], path = 'items'): Promise<void> {
  const registries = new Map<string, RegistryInfo>((await listRegistries(platform)).map((r) => [r.serviceId, r]));
  const errors: Array<{ field: string; detail: string }> = [];
  groups.forEach((g, i) => {
    const reg = registries.get(g.service);
    if (!reg) return errors.push({ field: `${path}/${i}/service`, detail: `no registry service ${g.service}` });
    g.items.forEach((item, j) => {
      if (!reg.fields.some((f) => f.name === item)) errors.push({ field: `${path}/${i}/items/${j}`, detail: `${g.service} has no field ${item}` });
    });
  });
  if (errors.length) throw new BadRequestError('the items name services or fields that do not exist', { errors }, 'unknown_items');
}

function snapshot(a: Agreement): Record<string, unknown> {
  const { recipient, revisionHash: _h, ...rest } = a;
  return { ...rest, recipientId: recipient.id };
}

export async function createAgreement(platform: Platform, input: NewAgreement, actor: string, db?: Db): Promise<Agreement> {
  const a = NewAgreement.parse(input);
  const recipient = await findRecipient(db ?? platform.db, a.recipientId);
  if (!recipient) throw new BadRequestError(`no recipient ${a.recipientId}`, { errors: [{ field: 'recipientId', detail: 'unknown' }] }, 'recipient_not_found');
  await checkItems(platform, a.items);
  await prepareSigning(platform);
  const id = randomUUID();
  const run = async (t: Db) => {
    await t.execute(sql`insert into mydata.data_agreement (id, recipient_id, policy_id, purpose_ko, purpose_en, description_ko, description_en,
        lawful_basis, legal_reference, data_use, dpia, items, modes, max_validity_days, retention_days, forgettable, lifecycle, active)
      values (${id}, ${a.recipientId}, ${a.policyId ?? null}, ${a.purpose.ko}, ${a.purpose.en}, ${a.description?.ko ?? ''}, ${a.description?.en ?? ''},
        ${a.lawfulBasis}, ${a.legalReference ?? null}, ${a.dataUse ?? null}, ${a.dpia ?? ''}, ${JSON.stringify(a.items)}::jsonb,
        ${`{${a.modes.join(',')}}`}::text[], ${a.maxValidityDays}, ${a.retentionDays}, ${a.forgettable}, ${a.lifecycle}, ${a.active})`);
    const created = (await getAgreementIn(t, id))!;
    await appendRevision(platform, t, 'dataAgreement', id, snapshot(created), { other: actor });
    await platform.audit.append({ actor, action: 'mydata.agreement.created', subject: `mydata.data_agreement:${id}`, data: { recipient: a.recipientId } }, t);
  };
  if (db) await run(db);
  else await platform.db.transaction((t) => run(t as unknown as Db));
  return (await getAgreementIn(db ?? platform.db, id))!;
}

/** Changes an agreement: a new version (consents given to an earlier one keep their own terms). */
export async function updateAgreement(platform: Platform, id: string, input: NewAgreement, actor: string): Promise<Agreement> {
  const a = NewAgreement.parse(input);
  await checkItems(platform, a.items);
  await prepareSigning(platform);
  await platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    const [cur] = await rows<{ recipient_id: string }>(t, sql`select recipient_id from mydata.data_agreement where id::text = ${id} and deleted_at is null for update`);
    if (!cur) throw new NotFoundError(`no data agreement ${id}`, 'agreement_not_found');
    if (cur.recipient_id !== a.recipientId) throw new BadRequestError('an agreement keeps its recipient', { errors: [{ field: 'recipientId', detail: 'immutable' }] }, 'recipient_immutable');
    await t.execute(sql`update mydata.data_agreement set version = version + 1, policy_id = ${a.policyId ?? null}, purpose_ko = ${a.purpose.ko},
        purpose_en = ${a.purpose.en}, description_ko = ${a.description?.ko ?? ''}, description_en = ${a.description?.en ?? ''},
        lawful_basis = ${a.lawfulBasis}, legal_reference = ${a.legalReference ?? null}, data_use = ${a.dataUse ?? null}, dpia = ${a.dpia ?? ''},
        items = ${JSON.stringify(a.items)}::jsonb, modes = ${`{${a.modes.join(',')}}`}::text[], max_validity_days = ${a.maxValidityDays},
        retention_days = ${a.retentionDays}, forgettable = ${a.forgettable}, lifecycle = ${a.lifecycle}, active = ${a.active}, updated_at = now()
      where id::text = ${id}`);
    const updated = (await getAgreementIn(t, id))!;
    await appendRevision(platform, t, 'dataAgreement', id, snapshot(updated), { other: actor });
    await platform.audit.append({ actor, action: 'mydata.agreement.updated', subject: `mydata.data_agreement:${id}`, data: { version: updated.version } }, t);
  });
  return (await getAgreementIn(platform.db, id))!;
}

/** Deletes an agreement: no new consents; the ones given stay, with their revisions. */
export async function deleteAgreement(platform: Platform, id: string, actor: string): Promise<Agreement> {
  const found = await getAgreement(platform.db, id);
  await prepareSigning(platform);
  await platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    await t.execute(sql`update mydata.data_agreement set deleted_at = now(), active = false, updated_at = now() where id::text = ${id}`);
    await appendRevision(platform, t, 'dataAgreement', id, { ...snapshot(found), active: false, deleted: true }, { other: actor });
    await platform.audit.append({ actor, action: 'mydata.agreement.deleted', subject: `mydata.data_agreement:${id}` }, t);
  });
  return { ...found, active: false };
}

async function getAgreementIn(db: Db, id: string): Promise<Agreement | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const found = await rows<AgreementRow>(db, sql`${AGREEMENT_SELECT} where a.id::text = ${id.toLowerCase()} and a.deleted_at is null`);
  return (await withRecipients(db, found))[0];
}

export const findAgreement = getAgreementIn;

export async function getAgreement(db: Db, id: string): Promise<Agreement> {
  const a = await getAgreementIn(db, id);
  if (!a) throw new NotFoundError(`no data agreement ${id}`, 'agreement_not_found');
  return a;
}

export async function listAgreements(db: Db, opts: { recipientId?: string; offset?: number; limit?: number } = {}): Promise<Agreement[]> {
  const found = await rows<AgreementRow>(
    db,
    sql`${AGREEMENT_SELECT} where a.deleted_at is null ${opts.recipientId ? sql`and a.recipient_id = ${opts.recipientId}` : sql``}
        order by a.created_at, a.id offset ${opts.offset ?? 0} limit ${Math.min(opts.limit ?? 100, 500)}`,
  );
  return withRecipients(db, found);
}

/** Whether `chosen` lies inside `allowed`; the offending paths if not. */
export function outsideItems(allowed: ItemGroup[], chosen: ItemGroup[]): Array<{ field: string; detail: string }> {
  const errors: Array<{ field: string; detail: string }> = [];
  chosen.forEach((g, i) => {
    const a = allowed.find((x) => x.service === g.service);
    if (!a) return errors.push({ field: `items/${i}/service`, detail: `the agreement does not cover ${g.service}` });
    g.items.forEach((item, j) => {
      if (!a.items.includes(item)) errors.push({ field: `items/${i}/items/${j}`, detail: `the agreement does not cover ${g.service} ${item}` });
    });
  });
  return errors;
}

/** A new API key for a recipient; the old one stops working at once. */
export async function rotateRecipientKey(platform: Platform, id: string, actor: string): Promise<string> {
  const apiKey = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const done = await rows(platform.db, sql`update mydata.recipient set api_key_hash = ${keyHash(apiKey)} where id = ${id} and disabled_at is null returning id`);
  if (!done.length) throw new NotFoundError(`no active recipient ${id}`, 'recipient_not_found');
  await platform.audit.append({ actor, action: 'mydata.recipient.key-rotated', subject: `mydata.recipient:${id}` });
  return apiKey;
}
