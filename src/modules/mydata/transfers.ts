import { randomUUID, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, ForbiddenError, NotFoundError, PlatformError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { mediatedCall } from '../exchange/index.ts';
import { getAgreement, ItemGroup, outsideItems, type Recipient } from './agreements.ts';
import { prepareSigning } from './revisions.ts';
import { isRefusal, refuse } from './errors.ts';
import { fulfilConsent, giveConsent, MYDATA_HUB, tokenHash, type ConsentRecord } from './consents.ts';

/**
 * Public MyData transfers (e-Government Act art. 43-2). A recipient asks for consent with a
 * consent request (a link the citizen opens); once the citizen agrees, the recipient collects
 * its pull token once and pulls the agreed items through `pull`, which reads them through the
 * mediator as the MyData hub under that consent (so the gate checks it again, and each read lands
 * in the citizen's access log naming the recipient and the consent). A `once` consent serves one
 * pull; a `periodic` one at most one per interval until its end.
 */

export const NewRequest = z.object({
  agreementId: z.string().uuid(),
  items: z.array(ItemGroup).min(1).max(20).optional(),
  mode: z.enum(['once', 'periodic']).default('once'),
  intervalDays: z.number().int().min(1).max(366).optional(),
  validityDays: z.number().int().min(1).max(3650).optional(),
  /** Where the citizen's browser returns after answering (the recipient's own site). */
  returnUrl: z.string().url().max(500).optional(),
  /** A citizen id the recipient already holds (agencies); the request is then for that citizen only. */
  citizenId: z.string().uuid().optional(),
});
export type NewRequest = z.input<typeof NewRequest>;

export interface ConsentRequest {
  id: string;
  agreementId: string;
  recipientId: string;
  items: ItemGroup[] | null;
  mode: 'once' | 'periodic';
  intervalDays: number | null;
  validityDays: number;
  returnUrl: string | null;
  citizenHint: string | null;
  status: 'pending' | 'consented' | 'declined' | 'expired';
  consentId: string | null;
  createdAt: string;
  expiresAt: string;
}

interface RequestRow {
  id: string;
  agreement_id: string;
  recipient_id: string;
  citizen_hint: string | null;
  items: ItemGroup[] | null;
  mode: 'once' | 'periodic';
  interval_days: number | null;
  validity_days: number;
  return_url: string | null;
  status: ConsentRequest['status'];
  consent_id: string | null;
  token_delivered: boolean;
  token_sealed: string | null;
  created_at: string;
  expires_at: string;
}

const REQUEST_TTL_MS = 7 * 86_400_000;
const SEAL_CONTEXT = 'mydata.consent_request.token';

function toRequest(r: RequestRow, now = new Date()): ConsentRequest {
  return {
    id: r.id,
    agreementId: r.agreement_id,
    recipientId: r.recipient_id,
    items: r.items,
    mode: r.mode,
    intervalDays: r.interval_days === null ? null : Number(r.interval_days),
    validityDays: Number(r.validity_days),
    returnUrl: r.return_url,
    citizenHint: r.citizen_hint,
    status: r.status === 'pending' && new Date(r.expires_at) <= now ? 'expired' : r.status,
    consentId: r.consent_id,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
  };
}

const isRequestId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

const SELECT = sql`select id::text as id, agreement_id::text as agreement_id, recipient_id, citizen_hint, items, mode, interval_days, validity_days,
  return_url, status, consent_id::text as consent_id, token_delivered, token_sealed, created_at, expires_at from mydata.consent_request`;

/** A recipient asks for consent to one of its own agreements; the terms are checked now, not when the citizen answers. */
export async function createRequest(platform: Platform, recipient: Recipient, input: NewRequest): Promise<ConsentRequest> {
  const r = NewRequest.parse(input);
  const agreement = await getAgreement(platform.db, r.agreementId);
  if (agreement.recipient.id !== recipient.id) throw new ForbiddenError('the agreement belongs to another recipient', 'agreement_of_other_recipient');
  const errors = r.items ? outsideItems(agreement.items, r.items) : [];
  if (!agreement.modes.includes(r.mode)) errors.push({ field: 'mode', detail: `the agreement offers ${agreement.modes.join(', ')}` });
  if ((r.validityDays ?? 0) > agreement.maxValidityDays) errors.push({ field: 'validityDays', detail: `at most ${agreement.maxValidityDays} days` });
  if (errors.length) throw new BadRequestError('the request asks for more than the agreement allows', { errors }, 'outside_agreement');
  if (!agreement.active) throw new BadRequestError('the agreement does not take new consents', undefined, 'agreement_inactive');
  const id = randomUUID();
  await platform.db.execute(sql`insert into mydata.consent_request (id, agreement_id, recipient_id, citizen_hint, items, mode, interval_days, validity_days, return_url, expires_at)
    values (${id}, ${agreement.id}, ${recipient.id}, ${r.citizenId?.toLowerCase() ?? null}, ${r.items ? JSON.stringify(r.items) : null}::jsonb, ${r.mode},
      ${r.mode === 'periodic' ? (r.intervalDays ?? 30) : null}, ${r.validityDays ?? agreement.maxValidityDays}, ${r.returnUrl ?? null},
      ${new Date(Date.now() + REQUEST_TTL_MS).toISOString()})`);
  return (await findRequest(platform.db, id))!;
}

export async function findRequest(db: Db, id: string): Promise<ConsentRequest | undefined> {
  if (!isRequestId(id)) return undefined;
  const [r] = await rows<RequestRow>(db, sql`${SELECT} where id = ${id.toLowerCase()}::uuid`);
  return r && toRequest(r);
}

/**
 * The citizen answers a request: agree (a consent record on the request's terms) or decline. A
 * request made for a named citizen can be answered only by that citizen.
 */
export async function answerRequest(platform: Platform, citizenId: string, id: string, agree: boolean): Promise<ConsentRequest> {
  if (!isRequestId(id)) throw new NotFoundError('no such consent request', 'request_not_found');
  await prepareSigning(platform);
  await platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    const [row] = await rows<RequestRow>(t, sql`${SELECT} where id = ${id.toLowerCase()}::uuid for update`);
    if (!row || (row.citizen_hint && row.citizen_hint !== citizenId)) throw new NotFoundError('no such consent request', 'request_not_found');
    const req = toRequest(row);
    if (req.status !== 'pending') throw new PlatformError('request_answered', 409, `the request is ${req.status}`);
    if (!agree) {
      await t.execute(sql`update mydata.consent_request set status = 'declined' where id = ${row.id}::uuid`);
      return;
    }
    const given = await giveConsent(
      platform,
      citizenId,
      {
        agreementId: req.agreementId,
        ...(req.items ? { items: req.items } : {}),
        mode: req.mode,
        ...(req.intervalDays ? { intervalDays: req.intervalDays } : {}),
        validityDays: req.validityDays,
        requestId: req.id,
      },
      t,
    );
    await t.execute(sql`update mydata.consent_request set status = 'consented', consent_id = ${given.record.id}::uuid,
      token_sealed = ${platform.crypto.encrypt(given.token, SEAL_CONTEXT + row.id)} where id = ${row.id}::uuid`);
  });
  return (await findRequest(platform.db, id))!;
}

/** The recipient reads its request; the first read after consent carries the pull token, never again. */
export async function collectRequest(platform: Platform, recipient: Recipient, id: string): Promise<ConsentRequest & { token?: string }> {
  if (!isRequestId(id)) throw new NotFoundError('no such consent request', 'request_not_found');
  return platform.db.transaction(async (tt) => {
    const t = tt as unknown as Db;
    const [row] = await rows<RequestRow>(t, sql`${SELECT} where id = ${id.toLowerCase()}::uuid for update`);
    if (!row || row.recipient_id !== recipient.id) throw new NotFoundError('no such consent request', 'request_not_found');
    const req = toRequest(row);
    if (row.status !== 'consented' || !row.token_sealed) return req;
    const token = platform.crypto.decrypt(row.token_sealed, SEAL_CONTEXT + row.id);
    await t.execute(sql`update mydata.consent_request set token_sealed = null, token_delivered = true where id = ${row.id}::uuid`);
    return { ...req, token };
  });
}

/** What a recipient receives: no internal identifier (citizen or record id) that would let recipients link their data. */
export interface Pulled {
  consentId: string;
  recipient: string;
  mode: 'once' | 'periodic';
  pulledAt: string;
  /** Per service: the agreed items of the citizen's records, with when each last changed. */
  data: Array<{ service: string; records: Array<Record<string, unknown>> }>;
}

const sameHash = (a: Buffer, b: Buffer | null) => b !== null && a.length === b.length && timingSafeEqual(a, b);

/**
 * A recipient pulls the data of a consent with its token. The token, the recipient and the
 * consent must belong together (403 otherwise), the consent must be in force (403 naming why),
 * and a periodic consent gives one pull per interval (429). Nothing is returned on any error.
 */
export async function pull(platform: Platform, recipient: Recipient, consentId: string, token: string, now = new Date()): Promise<Pulled> {
  if (!/^[0-9a-f-]{36}$/i.test(consentId)) throw new NotFoundError('no such consent', 'consent_not_found');
  const [row] = await rows<{ citizen_id: string; recipient_id: string; token_hash: Buffer | null; mode: 'once' | 'periodic'; interval_days: number | null; state: string; valid_until: string; last_transfer_at: string | null; items: ItemGroup[]; purpose_ko: string }>(
    platform.db,
    sql`select c.citizen_id, c.recipient_id, c.token_hash, c.mode, c.interval_days, c.state, c.valid_until, c.last_transfer_at, c.items, a.purpose_ko
        from mydata.consent_record c join mydata.data_agreement a on a.id = c.agreement_id where c.id = ${consentId.toLowerCase()}::uuid`,
  );
  if (!row) throw new NotFoundError('no such consent', 'consent_not_found');
  if (row.recipient_id !== recipient.id) throw refuse('consent_other_recipient', 'the consent was given to another recipient');
  // a withdrawn consent has no token any more: say why rather than "wrong token"
  if (row.state === 'withdrawn') throw refuse('consent_withdrawn', 'the citizen withdrew the consent');
  if (!sameHash(tokenHash(token), row.token_hash)) throw refuse('token_mismatch', 'the token is not the one bound to this consent');
  if (row.state === 'fulfilled') throw refuse('consent_used', 'the one-time transfer has been made');
  if (row.state === 'expired' || new Date(row.valid_until) <= now) throw refuse('consent_expired', `the consent ended at ${new Date(row.valid_until).toISOString()}`);

  // claim this transfer atomically: a once consent's single pull, a periodic consent's pull of this interval
  const previous = row.last_transfer_at;
  const claimed = await rows<{ id: string }>(
    platform.db,
    sql`update mydata.consent_record set last_transfer_at = ${now.toISOString()}
        where id = ${consentId.toLowerCase()}::uuid and state = 'given'
          and ${previous === null ? sql`last_transfer_at is null` : sql`last_transfer_at = ${new Date(previous).toISOString()}`}
          and (mode = 'once' and last_transfer_at is null
               or mode = 'periodic' and (last_transfer_at is null or last_transfer_at + make_interval(days => interval_days) <= ${now.toISOString()}::timestamptz))
        returning id::text as id`,
  );
  if (!claimed.length) {
    if (row.mode === 'once') throw refuse('consent_used', 'the one-time transfer has been made');
    const next = new Date(new Date(previous ?? now).getTime() + Number(row.interval_days) * 86_400_000);
    throw new PlatformError('too_soon', 429, `a periodic consent gives one transfer every ${row.interval_days} days; the next from ${next.toISOString()}`, {
      retryAfter: Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000)),
    });
  }
  try {
    const data: Pulled['data'] = [];
    for (const g of row.items) {
      const res = await mediatedCall(platform, {
        client: MYDATA_HUB,
        service: g.service,
        path: `/records?fields=${g.items.map(encodeURIComponent).join(',')}`,
        userId: row.citizen_id,
        issue: row.purpose_ko,
        consent: consentId.toLowerCase(),
      });
      const code = String((res.body as { code?: string } | undefined)?.code ?? '');
      if (res.status === 403 && isRefusal(code)) throw refuse(code, String((res.body as { detail?: string }).detail ?? 'refused'));
      if (res.status !== 200) throw new PlatformError('source_unavailable', 503, `${g.service} could not be read (${res.status}, X-Road-Id ${res.xRoadId})`);
      const records = (res.body as { records?: Array<Record<string, unknown>> }).records ?? [];
      data.push({ service: g.service, records: records.map(({ id: _id, version: _v, ...agreed }) => agreed) });
    }
    if (row.mode === 'once') await fulfilConsent(platform, consentId.toLowerCase());
    return { consentId: consentId.toLowerCase(), recipient: recipient.id, mode: row.mode, pulledAt: now.toISOString(), data };
  } catch (e) {
    // nothing was handed over: the claim is given back
    await platform.db.execute(sql`update mydata.consent_record set last_transfer_at = ${previous ? new Date(previous).toISOString() : null}
      where id = ${consentId.toLowerCase()}::uuid and last_transfer_at = ${now.toISOString()}`);
    throw e;
  }
}

/** The consents given to a recipient (for its own bookkeeping), newest first. */
export async function consentsForRecipient(db: Db, recipient: Recipient): Promise<Array<Pick<ConsentRecord, 'id' | 'agreementId' | 'state' | 'mode' | 'validUntil'>>> {
  const found = await rows<{ id: string; agreement_id: string; state: ConsentRecord['state']; mode: ConsentRecord['mode']; valid_until: string }>(
    db,
    sql`select id::text as id, agreement_id::text as agreement_id, state, mode, valid_until from mydata.consent_record where recipient_id = ${recipient.id} order by created_at desc limit 500`,
  );
  const now = new Date();
  return found.map((f) => ({
    id: f.id,
    agreementId: f.agreement_id,
    state: f.state === 'given' && new Date(f.valid_until) <= now ? 'expired' : f.state,
    mode: f.mode,
    validUntil: new Date(f.valid_until).toISOString(),
  }));
}
