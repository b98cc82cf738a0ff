import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ConsentDecision, ConsentGate, ConsentQuestion } from '../../platform/consent.ts';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import { createGroupCall } from '../../platform/group-commit.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRecipient, getAgreement, ItemGroup, outsideItems, type Agreement, type Mode, type Names, type Recipient } from './agreements.ts';
import { appendRevision, prepareSigning } from './revisions.ts';

/**
 * Consent records: a citizen's consent to one data agreement, with the items they chose, once or
 * periodically, until a set end. Each change (given, withdrawn, expired, fulfilled) is a signed
 * revision in the record's hash chain. The consent gate (`consentGate`) answers the mediator for
 * every request made under a consent, reading the record each time so that a withdrawal or an
 * expiry takes effect on the very next request.
 */

/** The MyData hub's client subsystem: reads for the citizen themself and for third parties' pulls. */
export const MYDATA_HUB = 'KR/GOV/MOIS/mydata';

export type ConsentState = 'given' | 'withdrawn' | 'expired' | 'fulfilled';

export interface ConsentRecord {
  id: string;
  agreementId: string;
  agreementVersion: number;
  agreementRevisionHash: string;
  individualId: string;
  citizenId: string;
  recipient: Recipient;
  purpose: Names;
  items: ItemGroup[];
  mode: Mode;
  intervalDays: number | null;
  optIn: boolean;
  /** `given` with an end in the past reads as `expired`. */
  state: ConsentState;
  validFrom: string;
  validUntil: string;
  lastTransferAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const GiveConsent = z.object({
  agreementId: z.string().uuid(),
  /** A subset of the agreement's items; all of them when left out. */
  items: z.array(ItemGroup).min(1).max(20).optional(),
  mode: z.enum(['once', 'periodic']).default('once'),
  intervalDays: z.number().int().min(1).max(366).optional(),
  validityDays: z.number().int().min(1).max(3650).optional(),
  requestId: z.string().uuid().optional(),
});
export type GiveConsent = z.input<typeof GiveConsent>;

interface RecordRow {
  id: string;
  agreement_id: string;
  agreement_version: number;
  agreement_revision_hash: string;
  individual_id: string;
  citizen_id: string;
  recipient_id: string;
  purpose_ko: string;
  purpose_en: string;
  items: ItemGroup[];
  mode: Mode;
  interval_days: number | null;
  opt_in: boolean;
  state: ConsentState | 'unsigned';
  valid_from: string;
  valid_until: string;
  last_transfer_at: string | null;
  created_at: string;
  updated_at: string;
}

const RECORD_SELECT = sql`select c.id::text as id, c.agreement_id::text as agreement_id, c.agreement_version, c.agreement_revision_hash,
  c.individual_id::text as individual_id, c.citizen_id, c.recipient_id, a.purpose_ko, a.purpose_en, c.items, c.mode, c.interval_days, c.opt_in,
  c.state, c.valid_from, c.valid_until, c.last_transfer_at, c.created_at, c.updated_at
  from mydata.consent_record c join mydata.data_agreement a on a.id = c.agreement_id`;

const iso = (v: string | Date) => new Date(v).toISOString();

function effectiveState(r: Pick<RecordRow, 'state' | 'valid_until'>, now = new Date()): ConsentState {
  if (r.state === 'given' && new Date(r.valid_until) <= now) return 'expired';
  return r.state === 'unsigned' ? 'withdrawn' : r.state;
}

async function toRecords(db: Db, found: RecordRow[]): Promise<ConsentRecord[]> {
  const recipients = new Map<string, Recipient>();
  for (const id of new Set(found.map((r) => r.recipient_id))) recipients.set(id, (await findRecipient(db, id))!);
  return found.map((r) => ({
    id: r.id,
    agreementId: r.agreement_id,
    agreementVersion: Number(r.agreement_version),
    agreementRevisionHash: r.agreement_revision_hash,
    individualId: r.individual_id,
    citizenId: r.citizen_id,
    recipient: recipients.get(r.recipient_id)!,
    purpose: { ko: r.purpose_ko, en: r.purpose_en },
    items: r.items,
    mode: r.mode,
    intervalDays: r.interval_days === null ? null : Number(r.interval_days),
    optIn: r.opt_in,
    state: effectiveState(r),
    validFrom: iso(r.valid_from),
    validUntil: iso(r.valid_until),
    lastTransferAt: r.last_transfer_at ? iso(r.last_transfer_at) : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
}

/** The GovStack Individual standing for a citizen (made on first use). */
export async function individualOf(db: Db, citizenId: string): Promise<string> {
  await db.execute(sql`insert into mydata.individual (id, external_id, external_id_type, identity_provider_id)
    values (${randomUUID()}, ${citizenId}, 'citizen', 'hanaro') on conflict do nothing`);
  const [row] = await rows<{ id: string }>(db, sql`select id::text as id from mydata.individual where external_id = ${citizenId} and external_id_type = 'citizen'`);
  return row!.id;
}

/** What a revision of a consent record holds (ISO/IEC TS 27560's record fields in our names). */
function snapshot(r: ConsentRecord | (Omit<ConsentRecord, 'recipient' | 'purpose'> & { recipient: Recipient; purpose: Names }), event: string) {
  return {
    event,
    id: r.id,
    agreementId: r.agreementId,
    agreementVersion: r.agreementVersion,
    agreementRevisionHash: r.agreementRevisionHash,
    individualId: r.individualId,
    recipientId: r.recipient.id,
    purpose: r.purpose,
    items: r.items,
    mode: r.mode,
    intervalDays: r.intervalDays,
    optIn: r.optIn,
    state: r.state,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
  };
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest();
const TOKEN_PREFIX = 'hmt_';

export interface Given {
  record: ConsentRecord;
  /** The recipient's pull token, bound to this record; shown once. */
  token: string;
}

/**
 * Records a citizen's consent to an agreement. Items outside the agreement, a mode it does not
 * offer or a validity beyond its maximum are refused with 400 before anything is stored.
 */
export async function giveConsent(platform: Platform, citizenId: string, input: GiveConsent, tx?: Db, now = new Date()): Promise<Given> {
  const c = GiveConsent.parse(input);
  const agreement = await getAgreement(tx ?? platform.db, c.agreementId);
  checkTerms(agreement, c);
  const items = c.items ?? agreement.items;
  const validityDays = c.validityDays ?? agreement.maxValidityDays;
  const id = randomUUID();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const until = new Date(now.getTime() + validityDays * 86_400_000);
  if (!tx) await prepareSigning(platform);
  const run = async (t: Db) => {
    const individualId = await individualOf(t, citizenId);
    await t.execute(sql`insert into mydata.consent_record (id, agreement_id, agreement_version, agreement_revision_hash, individual_id, citizen_id,
        recipient_id, items, mode, interval_days, opt_in, state, valid_from, valid_until, token_hash, request_id, created_at, updated_at)
      values (${id}, ${agreement.id}, ${agreement.version}, ${agreement.revisionHash}, ${individualId}, ${citizenId}, ${agreement.recipient.id},
        ${JSON.stringify(items)}::jsonb, ${c.mode}, ${c.mode === 'periodic' ? (c.intervalDays ?? 30) : null}, true, 'given', ${now.toISOString()},
        ${until.toISOString()}, ${tokenHash(token)}, ${c.requestId ?? null}, ${now.toISOString()}, ${now.toISOString()})`);
    const [record] = await toRecords(t, await rows<RecordRow>(t, sql`${RECORD_SELECT} where c.id = ${id}`));
    await appendRevision(platform, t, 'consentRecord', id, snapshot(record!, 'given'), { individual: individualId }, now);
  };
  if (tx) await run(tx);
  else await platform.db.transaction((t) => run(t as unknown as Db));
  return { record: await getConsent(tx ?? platform.db, id), token };
}

function checkTerms(agreement: Agreement, c: z.output<typeof GiveConsent>): void {
  if (!agreement.active || agreement.lifecycle !== 'complete') throw new BadRequestError('the agreement does not take new consents', undefined, 'agreement_inactive');
  const errors = c.items ? outsideItems(agreement.items, c.items) : [];
  if (!agreement.modes.includes(c.mode)) errors.push({ field: 'mode', detail: `the agreement offers ${agreement.modes.join(', ')}` });
  if (c.validityDays !== undefined && c.validityDays > agreement.maxValidityDays) errors.push({ field: 'validityDays', detail: `at most ${agreement.maxValidityDays} days` });
  if (c.mode === 'once' && c.intervalDays !== undefined) errors.push({ field: 'intervalDays', detail: 'only a periodic consent has an interval' });
  if (errors.length) throw new BadRequestError('the consent asks for more than the agreement allows', { errors }, 'outside_agreement');
}

/** Changes a record's state (withdrawn, expired, fulfilled) with a signed revision; the row is locked meanwhile. */
async function changeState(platform: Platform, id: string, to: ConsentState, by: { individual?: string; other?: string }, guard: (r: RecordRow) => void, now = new Date()): Promise<ConsentRecord> {
  await prepareSigning(platform);
  await platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    const [row] = await rows<RecordRow>(t, sql`${RECORD_SELECT} where c.id::text = ${id} for update of c`);
    if (!row) throw new NotFoundError('no such consent', 'consent_not_found');
    guard(row);
    await t.execute(sql`update mydata.consent_record set state = ${to}, opt_in = ${to === 'withdrawn' ? false : row.opt_in}, updated_at = ${now.toISOString()}
      ${to === 'withdrawn' ? sql`, token_hash = null` : sql``} where id::text = ${id}`);
    const [record] = await toRecords(t, await rows<RecordRow>(t, sql`${RECORD_SELECT} where c.id::text = ${id}`));
    await appendRevision(platform, t, 'consentRecord', id, snapshot(record!, to), by, now);
    await platform.audit.append({ actor: by.other ?? `citizen:${row.citizen_id}`, action: `mydata.consent.${to}`, subject: `mydata.consent_record:${id}` }, t);
  });
  return getConsent(platform.db, id);
}

/** The citizen withdraws: the next request under this consent is refused. Only their own consent. */
export async function withdrawConsent(platform: Platform, citizenId: string, id: string): Promise<ConsentRecord> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('no such consent', 'consent_not_found');
  return changeState(platform, id.toLowerCase(), 'withdrawn', { individual: await individualOf(platform.db, citizenId) }, (r) => {
    // another citizen's consent is as good as absent to this one
    if (r.citizen_id !== citizenId) throw new NotFoundError('no such consent', 'consent_not_found');
    const state = effectiveState(r);
    if (state !== 'given') throw new PlatformError('consent_not_active', 409, `the consent is ${state} already`);
  });
}

/** A one-time transfer has been made. */
export async function fulfilConsent(platform: Platform, id: string): Promise<ConsentRecord> {
  return changeState(platform, id, 'fulfilled', { other: 'system:mydata' }, () => {});
}

/** Records the expiry of every consent whose end has passed (the worker's daily job). Returns how many. */
export async function expireConsents(platform: Platform, now = new Date()): Promise<number> {
  const due = await rows<{ id: string }>(platform.db, sql`select id::text as id from mydata.consent_record where state = 'given' and valid_until <= ${now.toISOString()} limit 1000`);
  for (const d of due) {
    await changeState(platform, d.id, 'expired', { other: 'system:mydata' }, (r) => {
      if (r.state !== 'given') throw new PlatformError('consent_not_active', 409);
    }, now).catch((e) => {
      if (!(e instanceof PlatformError && e.code === 'consent_not_active')) throw e;
    });
  }
  return due.length;
}

export async function findConsent(db: Db, id: string): Promise<ConsentRecord | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [r] = await toRecords(db, await rows<RecordRow>(db, sql`${RECORD_SELECT} where c.id = ${id.toLowerCase()}::uuid`));
  return r;
}

export async function getConsent(db: Db, id: string): Promise<ConsentRecord> {
  const r = await findConsent(db, id);
  if (!r) throw new NotFoundError('no such consent', 'consent_not_found');
  return r;
}

/** A citizen's consent, or 404 when it is someone else's (which is not told apart from absent). */
export async function ownConsent(db: Db, citizenId: string, id: string): Promise<ConsentRecord> {
  const r = await findConsent(db, id);
  if (!r || r.citizenId !== citizenId) throw new NotFoundError('no such consent', 'consent_not_found');
  return r;
}

export async function consentsOfCitizen(db: Db, citizenId: string): Promise<ConsentRecord[]> {
  return toRecords(db, await rows<RecordRow>(db, sql`${RECORD_SELECT} where c.citizen_id = ${citizenId} order by c.created_at desc limit 500`));
}

export async function listConsents(db: Db, opts: { agreementId?: string; recipientId?: string; individualId?: string; offset?: number; limit?: number }): Promise<ConsentRecord[]> {
  const conds = [sql`true`];
  if (opts.agreementId) conds.push(sql`c.agreement_id::text = ${opts.agreementId}`);
  if (opts.recipientId) conds.push(sql`c.recipient_id = ${opts.recipientId}`);
  if (opts.individualId) conds.push(sql`c.individual_id::text = ${opts.individualId}`);
  return toRecords(
    db,
    await rows<RecordRow>(db, sql`${RECORD_SELECT} where ${sql.join(conds, sql` and `)} order by c.created_at, c.id offset ${opts.offset ?? 0} limit ${Math.min(opts.limit ?? 100, 500)}`),
  );
}

// ---- the gate the mediator asks -------------------------------------------------------------

interface GateRow {
  id: string;
  citizen_id: string;
  state: ConsentState | 'unsigned';
  valid_until: string;
  items: ItemGroup[];
  recipient_id: string;
  client_id: string | null;
  name_ko: string;
}

const memberOf = (client: string | null) => client?.split('/')[2];

/** The decision for one question, given the record (or none). Exported for tests. */
export function decide(q: ConsentQuestion, r: GateRow | undefined): ConsentDecision {
  if (!r) return { ok: false, refusal: 'consent_not_found', detail: 'no such consent' };
  const hub = q.client === MYDATA_HUB;
  if (!hub && r.client_id !== q.client) return { ok: false, refusal: 'consent_other_recipient', detail: `the consent was not given to ${q.client}` };
  if (q.citizenId?.toLowerCase() !== r.citizen_id) return { ok: false, refusal: 'consent_other_citizen', detail: 'the consent was given by another citizen' };
  const state = effectiveState(r, q.at);
  if (state === 'withdrawn') return { ok: false, refusal: 'consent_withdrawn', detail: 'the citizen withdrew the consent' };
  if (state === 'expired') return { ok: false, refusal: 'consent_expired', detail: `the consent ended at ${iso(r.valid_until)}` };
  if (state === 'fulfilled') return { ok: false, refusal: 'consent_used', detail: 'the one-time transfer has been made' };
  const group = r.items.find((g) => g.service === q.service);
  if (!group) return { ok: false, refusal: 'consent_service_not_covered', detail: `the consent does not cover ${q.service}` };
  return {
    ok: true,
    items: group.items,
    ...(hub ? { reader: { reader: r.client_id ?? `mydata-recipient:${r.recipient_id}`, institution: memberOf(r.client_id) ?? r.recipient_id, application: r.name_ko } } : {}),
  };
}

/** The gate: concurrent questions share one query (group call), read fresh every time. */
export function consentGate(platform: Platform): ConsentGate {
  const lookup = createGroupCall<string, GateRow | undefined>(async (ids) => {
    const valid = [...new Set(ids.filter((i) => /^[0-9a-f-]{36}$/i.test(i)).map((i) => i.toLowerCase()))];
    const found = valid.length
      ? await rows<GateRow>(
          platform.db,
          sql`select c.id::text as id, c.citizen_id, c.state, c.valid_until, c.items, c.recipient_id, r.client_id, r.name_ko
              from mydata.consent_record c join mydata.recipient r on r.id = c.recipient_id
              where c.id = any(${`{${valid.join(',')}}`}::uuid[])`,
        )
      : [];
    const byId = new Map(found.map((f) => [f.id, f]));
    return ids.map((i) => byId.get(i.toLowerCase()));
  });
  return {
    async check(q) {
      try {
        return decide(q, await lookup.call(q.consentId));
      } catch (e) {
        platform.log.error({ err: e }, 'consent check failed');
        return { ok: false, refusal: 'consent_unavailable', detail: 'the consent could not be checked' };
      }
    },
  };
}

