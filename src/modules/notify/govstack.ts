import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { callbackUrlProblem } from '../../platform/webhooks.ts';
import { isEmailAddress } from '../identity/index.ts';
import { prepare, queueMessages, type Prepared, type Sender } from './send.ts';
import { authenticate, createRateLimiter, type Caller } from './services.ts';
import type { Lang, Rendered } from './templates.ts';

/**
 * The GovStack Messaging building block API (e-mail) under /govstack/messaging/v1/ (the spec's
 * basePath is /v1): specs/govstack/messaging/swagger.yaml, mapped onto the notifications module
 * as docs/research/notifications.md §2 works out. The same services, API keys, limits, lanes and
 * callbacks as the Notify-style v2 API; only the shapes differ.
 *
 * - `apiKey` header: the service's API key string (`{name}-{service id}-{secret}`); a missing key
 *   is 401, a wrong or revoked one 403. Per-key rate limit as on /v2 (its own bucket, so a key
 *   calling both APIs gets the limit on each); daily limits shared with /v2 (they count messages).
 * - `POST /send/email/single` (`email`): one message to `recipientInfo.email`, with `emailCC`
 *   and `emailBCC` (one address, or several separated by `,` or `;`) as further envelope
 *   recipients of the same message (Cc shown in the header, Bcc not).
 *   `POST /send/email/batch` (`batchEmail`): `recipientInfo.batchEmailAsBase64` is base64 (or
 *   base64url) of a UTF-8 JSON array `[{recipientInfo: {…}}, …]`, at most {@link MAX_BATCH}
 *   entries; one message per entry, all written and queued in one transaction or none.
 *   Both answer 200 `{response, requestUid}`. The requestUid is the spec's
 *   `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX` (base62, 142 random bits); it is every message's
 *   `request_id` and also its `reference`, so the service's delivery callbacks (Notify's body,
 *   which carries `reference`) and `GET /v2/notifications?reference=` name the request too.
 * - Content: `emailContent.title` is the subject, `emailContent.content` the body, sent as
 *   plain text (text/plain; charset=utf-8): HTML in it is not rendered, it arrives as written.
 *   `encoding` may be UTF-8 or US-ASCII (or absent); JSON strings are Unicode, and Hanaro always
 *   sends UTF-8, so any other value is refused rather than guessed at. The language of the
 *   message (Content-Language, the service's ko/en name) is ko when the text has Hangul, else en.
 * - Sender: always the service's configured From address (or the platform's): `senderInfo.email`
 *   is not used, as no one proved it may send for that domain. The display name is
 *   `senderInfo.name`, else `organisationName`, else the service's name; Reply-To is
 *   `senderInfo.replyTo` when it is a valid address, else the service's.
 * - `callback.URI` (`callbackURI.URI` in a batch): where the delivery-status callbacks of this
 *   request go instead of the service's URL (Notify's body, signed with the service's callback
 *   token when it has one). http(s) only; in production https to a public address only.
 * - Duplicates (functional requirements 6.1.1/6.1.2, MHASH): the request's hash is SHA-256 of its
 *   canonical JSON (keys sorted; the batch's recipients decoded, so a re-encoded list is the same
 *   request) together with the key's kind (a test key's request does not stand for a live one).
 *   Each message's idempotency key is `govstack:{day}:{hash}:{index}`, where day is the UTC day
 *   number. The same request from the same service within 24 hours answers the first requestUid
 *   and queues nothing: the look-up checks today's and yesterday's keys and the age of the
 *   earlier message, so the window slides (exactly 24 h, not "the same calendar day"); after it a
 *   resend is a new request under the new day's key. Two identical requests at the same moment:
 *   the second one's insert meets the unique index, and it answers the first one's requestUid.
 * - `GET /status/email` (`requestUid` header, optional `status` filter, repeated or
 *   comma-separated): counts per GovStack status, from research note §5.4: `scheduled` = queued
 *   for later (send_after, or the provider paused and the job put back untried);
 *   `processing` = queued for now or being sent (created, sending, pending); `deferred` = a
 *   temporary error, retry scheduled (the job has used an attempt and waits); `bounced` =
 *   permanent-failure; `notSent` = temporary-failure (final), technical-failure, cancelled;
 *   `delivered` = delivered (and Notify's `sent`). With `status=` only those counts are answered.
 *   A requestUid the calling service did not make is 404, whoever made it.
 * - `POST /callback/email` (P2G replies; the spec leaves what happens to the client): checked
 *   (the requestUid must be the caller's, `content` must be base64) and answered, but not kept:
 *   the building block "does not own any information" and a reply is personal data Hanaro has no
 *   use for; the audit log records that a reply came for the request and its size, nothing of
 *   what it said. A service that wants replies reads its Reply-To mailbox.
 *
 * Invalid input is 400 (RFC 9457 problem+json, `errors[].path` naming each field as
 * `body/recipientInfo/email`, `headers/requestUid`, …), not the spec's 405 "Invalid input". That
 * 405 is the Swagger Petstore template's placeholder (its addPet has the same line); in HTTP
 * 405 means the method is not allowed on the resource and must come with an Allow header, so
 * clients, gateways and the Information Mediator would read it as a routing fault and not show
 * the caller which field is wrong. Every other Hanaro API, GovStack ones included, answers 400
 * `validation_failed` for bad input, and the platform's schema validation does so before the
 * handler runs. Never 500 for anything a caller sends.
 */

const TAGS = ['govstack-messaging'];
export const GOVSTACK_MESSAGING = '/govstack/messaging/v1';
const P = GOVSTACK_MESSAGING;

/** Recipients (entries) per batch request. */
export const MAX_BATCH = 10_000;
/** Envelope addresses per message (to, cc and bcc together). */
export const MAX_ADDRESSES = 50;
/** Bodies up to this size on the batch route (10,000 recipients in base64 need more than the default 1 MiB). */
const BATCH_BODY_LIMIT = 8 * 1024 * 1024;
const DEDUPE_MS = 24 * 3600_000;
const DAY_MS = 86_400_000;

export const ACCEPTED = 'Request successfully accepted. Use "requestUid" to track its status.';
export const DUPLICATE = 'The same request was accepted within the last 24 hours; nothing new was queued. Use "requestUid" to track its status.';

export const STATUSES = ['scheduled', 'processing', 'deferred', 'bounced', 'notSent', 'delivered'] as const;
export type GovStackStatus = (typeof STATUSES)[number];

// ---- request shapes (swagger.yaml definitions; swagger.json's spellings accepted too) -------

const opt = (max: number) => z.string().max(max).nullish();
const CallbackSender = z.object({ URI: opt(1000), uri: opt(1000) }).describe('Where this request\'s delivery-status callbacks go (swagger.json spells it `uri`)');
const SenderInfo = z
  .object({
    organisationName: opt(200),
    organisationRegNr: opt(100),
    onBehalfOfName: opt(200),
    onBehalfOfRegNr: opt(100),
    email: opt(320),
    replyTo: opt(320),
    name: opt(200),
  })
  .describe('Who sends: `name` (else `organisationName`) is the From display name, `replyTo` the Reply-To; the From address is always the service\'s');
const RecipientInfo = z.object({ email: z.string().max(320), emailCC: opt(5000), emailBCC: opt(5000), name: opt(200) }).describe('`emailCC` and `emailBCC`: one address, or several separated by `,` or `;`');
const nonBlank = (max: number) => z.string().max(max).refine((s) => s.trim().length > 0, 'must not be empty');
const EmailContent = z.object({ encoding: opt(40), title: nonBlank(500), content: nonBlank(100_000) }).describe('`title` is the subject; `content` is sent as plain text (HTML is not rendered); `encoding` UTF-8 or US-ASCII');
const Email = z.object({ callback: CallbackSender.nullish(), senderInfo: SenderInfo.nullish(), recipientInfo: RecipientInfo, emailContent: EmailContent });
const BatchEmail = z.object({
  callbackURI: CallbackSender.nullish(),
  callbackUri: CallbackSender.nullish(),
  senderInfo: SenderInfo.nullish(),
  recipientInfo: z.object({ batchEmailAsBase64: z.string().min(1).max(BATCH_BODY_LIMIT) }),
  emailContent: EmailContent,
});
const BatchEntry = z.object({ recipientInfo: RecipientInfo });
const CallbackContent = z.object({ meta: opt(10_000), content: z.string().max(BATCH_BODY_LIMIT).nullish() });
// headers for the OpenAPI description only (lower case, as Node gives them); the handlers check them
const KeyHeader = { apikey: z.string().max(400).optional().describe('The service\'s API key') };
const RequestHeaders = z.looseObject({ ...KeyHeader, requestuid: z.string().max(64).optional().describe('The requestUid a send answered (required)') });
const SendHeaders = z.looseObject(KeyHeader);
const StatusQuery = z.object({ status: z.union([z.string().max(200), z.array(z.string().max(40)).max(20)]).optional() });

const Accepted = z.object({ response: z.string(), requestUid: z.string() });
const count = () => z.number().int().min(0).optional();
const Counts = z.object({ scheduled: count(), processing: count(), deferred: count(), bounced: count(), notSent: count(), delivered: count() });

type EmailBody = z.infer<typeof Email>;
type BatchBody = z.infer<typeof BatchEmail>;
type RecipientInput = z.infer<typeof RecipientInfo>;
type Issue = { path: string; message: string; code?: string };

// ---- helpers --------------------------------------------------------------------------------

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const REQUEST_UID = /^[A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){5}$/;

/** `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`, 24 base62 characters (bytes ≥ 248 are dropped, so each is uniform). */
export function newRequestUid(): string {
  const out: string[] = [];
  while (out.length < 24) for (const b of randomBytes(32)) if (b < 248 && out.length < 24) out.push(B62[b % 62]!);
  return Array.from({ length: 6 }, (_, i) => out.slice(i * 4, i * 4 + 4).join('')).join('-');
}

/** JSON with object keys sorted at every level and undefined/null members dropped: the same request always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x ?? null)).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const idempotencyKey = (day: number, hash: string, i: number) => `govstack:${day}:${hash}:${i}`;

/** A 400 listing every problem (the first 100); its code is the problems' own when they share one. */
function invalid(issues: Issue[]): BadRequestError {
  const codes = new Set(issues.map((i) => i.code ?? 'validation_failed'));
  const code = codes.size === 1 ? [...codes][0]! : 'validation_failed';
  const detail = issues.length === 1 ? `${issues[0]!.path}: ${issues[0]!.message}` : `${issues.length} fields are invalid; see errors`;
  return new BadRequestError(detail, { errors: issues.slice(0, 100).map(({ path, message }) => ({ path, message })) }, code);
}

const isBase64 = (s: string) => /^[A-Za-z0-9+/_-]*={0,2}$/.test(s) && s.replace(/=+$/, '').length % 4 !== 1 && (!s.includes('=') || s.length % 4 === 0);
const fromBase64 = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

const oneLine = (s: string, max: number) => s.replace(/[\x00-\x1f\x7f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
const addressList = (s: string | null | undefined) => (s ?? '').split(/[,;]/).map((x) => x.trim()).filter(Boolean);
const langOf = (...texts: string[]): Lang => (texts.some((t) => /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/.test(t)) ? 'ko' : 'en');

interface Recipient {
  to: string;
  cc: string[];
  bcc: string[];
  name?: string;
}

/** A recipientInfo checked: every address valid, a team key's only to its team; problems added to `issues`. */
function checkRecipient(r: RecipientInput, at: string, issues: Issue[], team: string[] | null): Recipient | undefined {
  const before = issues.length;
  const to = r.email.trim();
  if (!to) issues.push({ path: `${at}/email`, message: "required: the recipient's e-mail address" });
  else if (!isEmailAddress(to)) issues.push({ path: `${at}/email`, message: 'not a valid e-mail address', code: 'invalid_email_address' });
  const cc = addressList(r.emailCC);
  const bcc = addressList(r.emailBCC);
  for (const [field, list] of [['emailCC', cc], ['emailBCC', bcc]] as const) {
    const bad = list.filter((a) => !isEmailAddress(a)).length;
    if (bad) issues.push({ path: `${at}/${field}`, message: `${bad === 1 ? 'an address is' : `${bad} addresses are`} not valid (separate several with "," or ";")`, code: 'invalid_email_address' });
  }
  if (1 + cc.length + bcc.length > MAX_ADDRESSES) issues.push({ path: at, message: `at most ${MAX_ADDRESSES} addresses in email, emailCC and emailBCC together` });
  if (team && issues.length === before) {
    const allowed = new Set(team.map((t) => t.trim().toLowerCase()));
    for (const [field, list] of [['email', [to]], ['emailCC', cc], ['emailBCC', bcc]] as const) {
      if (list.some((a) => !allowed.has(a.toLowerCase()))) issues.push({ path: `${at}/${field}`, message: "Can't send to this recipient using a team-only API key", code: 'team_only' });
    }
  }
  if (issues.length > before) return undefined;
  const name = r.name ? oneLine(r.name, 200) : undefined;
  return { to, cc, bcc, ...(name ? { name } : {}) };
}

/** The decoded recipient list of a batch: base64 (or base64url) of a UTF-8 JSON array of `{recipientInfo}`. */
function decodeBatch(b64: string, at: string, issues: Issue[], team: string[] | null): Recipient[] {
  const s = b64.replace(/\s+/g, '');
  const bad = (message: string, code: string) => invalid([{ path: at, message, code }]);
  if (!isBase64(s)) throw bad('not base64', 'invalid_base64');
  let list: unknown;
  try {
    list = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(s)).replace(/^\uFEFF/, ''));
  } catch {
    throw bad('not base64 of a UTF-8 JSON array', 'invalid_base64');
  }
  if (!Array.isArray(list)) throw bad('must be base64 of a JSON array of {"recipientInfo": {…}}', 'invalid_batch');
  if (list.length === 0) throw bad('the list of recipients is empty', 'invalid_batch');
  if (list.length > MAX_BATCH) throw bad(`${list.length} recipients; at most ${MAX_BATCH} in one request`, 'too_many_recipients');
  const out: Recipient[] = [];
  list.forEach((entry, i) => {
    const e = BatchEntry.safeParse(entry);
    if (!e.success) {
      for (const x of e.error.issues) issues.push({ path: [at, i, ...x.path].join('/'), message: x.message });
      return;
    }
    const r = checkRecipient(e.data.recipientInfo, `${at}/${i}/recipientInfo`, issues, team);
    if (r) out.push(r);
  });
  return out;
}

/** A per-request callback URL, or a problem with it. In production: https, to a host whose every address is public (no SSRF into our network). */
async function checkCallbackUrl(url: string, production: boolean): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be an http(s) URL';
  if (u.username || u.password) return 'must not carry credentials';
  // production: https, to a host whose every address is public (platform/webhooks.ts)
  return callbackUrlProblem(url, production);
}

const isUniqueViolation = (e: unknown): boolean => {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) if ((c as { code?: unknown }).code === '23505') return true;
  return false;
};

// ---- routes -----------------------------------------------------------------------------------

export async function govstackMessagingRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const production = platform.config.mode === 'production';
  const limiter = createRateLimiter();
  const callers = new WeakMap<FastifyRequest, Caller>();
  const caller = (req: FastifyRequest) => callers.get(req)!;
  // the key and its rate are settled before the body is looked at (401/403/429 before 400)
  const asService = {
    preValidation: async (req: FastifyRequest) => {
      const c = await authenticate(platform, req);
      limiter.take(c.keyId, c.kind, c.service.rateLimitPerMin);
      callers.set(req, c);
    },
  };
  const senderOf = (c: Caller): Sender => ({ serviceId: c.service.id, keyId: c.keyId, kind: c.kind, actor: `notify-key:${c.keyId}`, team: c.service.team, dailyLimits: c.service.dailyLimits });

  /** The request the calling service made under this requestUid (header), or 400/404. */
  async function ownRequest(req: FastifyRequest): Promise<string> {
    const given = req.headers.requestuid;
    const uid = Array.isArray(given) ? given[0] : given;
    if (!uid) throw invalid([{ path: 'headers/requestUid', message: 'required: the requestUid the send request answered' }]);
    if (!REQUEST_UID.test(uid)) throw invalid([{ path: 'headers/requestUid', message: 'not a requestUid (XXXX-XXXX-XXXX-XXXX-XXXX-XXXX)' }]);
    const [r] = await rows(platform.db, sql`select 1 from notify.notification where request_id = ${uid} and service_id = ${caller(req).service.id}::uuid limit 1`);
    if (!r) throw new NotFoundError('No request with this requestUid was made by this service', 'request_not_found');
    return uid;
  }

  /**
   * A request with the same hash that the service made within the last 24 hours: its requestUid.
   * A key of today's (UTC day) always answers (the key cannot be used twice, and a message made
   * today is less than 24 hours old); yesterday's only when its message is younger than 24 hours.
   */
  async function earlier(db: Db, serviceId: string, hash: string): Promise<string | undefined> {
    const day = Math.floor(Date.now() / DAY_MS);
    const [r] = await rows<{ request_id: string }>(
      db,
      sql`select request_id from notify.notification
           where coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid) = ${serviceId}::uuid
             and idempotency_key in (${idempotencyKey(day, hash, 0)}, ${idempotencyKey(day - 1, hash, 0)})
             and (idempotency_key = ${idempotencyKey(day, hash, 0)} or created_at > now() - ${`${DEDUPE_MS / 1000} seconds`}::interval)
           order by created_at desc limit 1`,
    );
    return r?.request_id ?? undefined;
  }

  async function accept(
    c: Caller,
    parts: { senderInfo: EmailBody['senderInfo']; content: EmailBody['emailContent']; callbackUrl: string | null; recipients: Recipient[]; op: 'single' | 'batch' },
  ): Promise<{ response: string; requestUid: string }> {
    const s = parts.senderInfo ?? {};
    const title = oneLine(parts.content.title, 500);
    const body = parts.content.content;
    const hash = createHash('sha256')
      .update(canonicalJson({ v: 1, kind: c.kind, op: parts.op, callback: parts.callbackUrl, senderInfo: s, emailContent: { ...parts.content, encoding: undefined }, recipients: parts.recipients }))
      .digest('hex');
    const dup = await earlier(platform.db, c.service.id, hash);
    if (dup) return { response: DUPLICATE, requestUid: dup };

    const requestUid = newRequestUid();
    const lang = langOf(title, body);
    const content: Rendered = { channel: 'email', lang, subject: title, body };
    const fromName = oneLine(s.name || s.organisationName || '', 100) || undefined;
    const replyTo = s.replyTo && isEmailAddress(s.replyTo.trim()) ? s.replyTo.trim() : undefined;
    const day = Math.floor(Date.now() / DAY_MS);
    const sender = senderOf(c);
    const prepared: Prepared[] = parts.recipients.map((r, i) => {
      const p = prepare(
        { channel: 'email', to: r.to, content, lang, reference: requestUid, requestId: requestUid, callbackUrl: parts.callbackUrl, idempotencyKey: idempotencyKey(day, hash, i) },
        sender,
        'body/recipientInfo/email',
      );
      Object.assign(p.payload, r.cc.length ? { cc: r.cc } : {}, r.bcc.length ? { bcc: r.bcc } : {}, replyTo ? { replyTo } : {}, fromName ? { fromName } : {});
      return p;
    });
    try {
      const queued = await queueMessages(platform, sender, prepared);
      // every key already taken (the day turned between the look-up and the insert): the earlier request
      if (!queued.some((q) => q.created)) return { response: DUPLICATE, requestUid: (await earlier(platform.db, c.service.id, hash)) ?? requestUid };
    } catch (e) {
      // the same request at the same moment: the other one committed first
      if (!isUniqueViolation(e)) throw e;
      const other = await earlier(platform.db, c.service.id, hash);
      if (!other) throw e;
      return { response: DUPLICATE, requestUid: other };
    }
    return { response: ACCEPTED, requestUid };
  }

  function checkEncoding(enc: string | null | undefined, issues: Issue[]): void {
    if (enc && !/^(utf-?8|us-ascii|ascii)$/i.test(enc.trim())) issues.push({ path: 'body/emailContent/encoding', message: 'only UTF-8 (or US-ASCII) content is accepted; send the text as a JSON string' });
  }

  async function callbackOf(cb: { URI?: string | null; uri?: string | null } | null | undefined, at: string, issues: Issue[]): Promise<string | null> {
    const url = (cb?.URI ?? cb?.uri ?? '').trim();
    if (!url) return null;
    const problem = await checkCallbackUrl(url, production);
    if (problem) issues.push({ path: at, message: problem });
    return url;
  }

  app.post(
    `${P}/send/email/single`,
    { ...asService, schema: { tags: TAGS, summary: 'Send a single e-mail (GovStack sendSingleEmail): to, Cc and Bcc as one message', headers: SendHeaders, body: Email, response: { 200: Accepted } } },
    async (req, reply) => {
      const c = caller(req);
      const b = req.body as EmailBody;
      const issues: Issue[] = [];
      const team = c.kind === 'team' ? c.service.team : null;
      const r = checkRecipient(b.recipientInfo, 'body/recipientInfo', issues, team);
      checkEncoding(b.emailContent.encoding, issues);
      const callbackUrl = await callbackOf(b.callback, 'body/callback/URI', issues);
      if (issues.length || !r) throw invalid(issues);
      return reply.header('cache-control', 'no-store').send(await accept(c, { senderInfo: b.senderInfo, content: b.emailContent, callbackUrl, recipients: [r], op: 'single' }));
    },
  );

  app.post(
    `${P}/send/email/batch`,
    {
      ...asService,
      bodyLimit: Math.max(platform.config.bodyLimit, BATCH_BODY_LIMIT),
      schema: { tags: TAGS, summary: `Send the same e-mail to a list of recipients (GovStack sendBatchEmail; base64 JSON list, at most ${MAX_BATCH})`, headers: SendHeaders, body: BatchEmail, response: { 200: Accepted } },
    },
    async (req, reply) => {
      const c = caller(req);
      const b = req.body as BatchBody;
      const issues: Issue[] = [];
      const team = c.kind === 'team' ? c.service.team : null;
      const recipients = decodeBatch(b.recipientInfo.batchEmailAsBase64, 'body/recipientInfo/batchEmailAsBase64', issues, team);
      checkEncoding(b.emailContent.encoding, issues);
      const callbackUrl = await callbackOf(b.callbackURI ?? b.callbackUri, b.callbackURI ? 'body/callbackURI/URI' : 'body/callbackUri/uri', issues);
      if (issues.length) throw invalid(issues);
      return reply.header('cache-control', 'no-store').send(await accept(c, { senderInfo: b.senderInfo, content: b.emailContent, callbackUrl, recipients, op: 'batch' }));
    },
  );

  app.get(
    `${P}/status/email`,
    { ...asService, schema: { tags: TAGS, summary: "Counts of a request's e-mails per status (GovStack getEmailStatus; requestUid header)", headers: RequestHeaders, querystring: StatusQuery, response: { 200: Counts } } },
    async (req, reply) => {
      const c = caller(req);
      const q = req.query as z.infer<typeof StatusQuery>;
      const asked = (Array.isArray(q.status) ? q.status : q.status ? [q.status] : []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
      const wanted: GovStackStatus[] = [];
      for (const s of asked) {
        const k = STATUSES.find((x) => x.toLowerCase() === s.replace(/[\s_-]+/g, '').toLowerCase());
        if (!k) throw invalid([{ path: 'querystring/status', message: `unknown status "${s.slice(0, 40)}"; one of ${STATUSES.join(', ')}` }]);
        if (!wanted.includes(k)) wanted.push(k);
      }
      const uid = await ownRequest(req);
      const r = await rows<{ bucket: GovStackStatus; n: number }>(
        platform.db,
        sql`select case
                     when n.status in ('delivered', 'sent') then 'delivered'
                     when n.status = 'permanent-failure' then 'bounced'
                     when n.status in ('temporary-failure', 'technical-failure', 'cancelled') then 'notSent'
                     when n.status = 'created' and o.status = 'pending' and o.run_at > now() and o.attempts > 0 then 'deferred'
                     when n.status = 'created' and (n.send_after > now() or (o.status = 'pending' and o.run_at > now())) then 'scheduled'
                     else 'processing' end as bucket,
                   count(*)::int as n
              from notify.notification n left join platform.outbox o on o.idempotency_key = 'notify:' || n.id::text
             where n.request_id = ${uid} and n.service_id = ${c.service.id}::uuid
             group by 1`,
      );
      const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<GovStackStatus, number>;
      for (const x of r) counts[x.bucket] = Number(x.n);
      const answer = wanted.length ? Object.fromEntries(wanted.map((s) => [s, counts[s]])) : counts;
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );

  app.post(
    `${P}/callback/email`,
    {
      ...asService,
      schema: { tags: TAGS, summary: 'A reply to an e-mail of a request (GovStack callbackEmail): checked and acknowledged, its content not kept', headers: RequestHeaders, body: CallbackContent, response: { 200: Accepted } },
    },
    async (req, reply) => {
      const c = caller(req);
      const b = req.body as z.infer<typeof CallbackContent>;
      const uid = await ownRequest(req);
      const s = (b.content ?? '').replace(/\s+/g, '');
      if (!s) throw invalid([{ path: 'body/content', message: 'required: the reply, base64-encoded' }]);
      if (!isBase64(s)) throw invalid([{ path: 'body/content', message: 'not base64', code: 'invalid_base64' }]);
      const bytes = fromBase64(s).length;
      await platform.audit.append({ actor: `notify-key:${c.keyId}`, action: 'notify.govstack.reply-received', subject: `notify.request:${uid}`, data: { serviceId: c.service.id, bytes, kept: false } });
      return reply.header('cache-control', 'no-store').send({ response: 'Reply accepted. Hanaro does not keep its content.', requestUid: uid });
    },
  );
}
