import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { rows } from '../../platform/db.ts';
import { ACCEPTED, DUPLICATE, MAX_BATCH, REQUEST_UID } from './govstack.ts';
import { emailProvider } from './providers.ts';
import { apiKey, httpGateway, MOIS_SERVICE, notifyApp, smtpSink, until } from './test-support.ts';
import { startNotifyWorker, type NotifyWorker } from './worker.ts';

// Conformance of /govstack/messaging/v1/ with the GovStack Messaging building block's OpenAPI
// file (specs/govstack/messaging/swagger.yaml, and swagger.json with its other spellings): every
// operation answers a body its response schema accepts; e-mails reach a real SMTP server with
// their Cc and Bcc in the envelope; the status counts follow the messages through the queue;
// a repeated request within 24 h is the same request; bad input is a 400 problem naming the
// field; keys and other services' requests are kept apart.

const P = '/govstack/messaging/v1';
const SPEC_DIR = path.resolve(import.meta.dirname, '../../../specs/govstack/messaging');

// ---- validating answers against the vendored file ------------------------------------------------

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>; definitions: Record<string, unknown> };
const yamlDoc = YAML.parse(readFileSync(path.join(SPEC_DIR, 'swagger.yaml'), 'utf8')) as Doc;
const jsonDoc = JSON.parse(readFileSync(path.join(SPEC_DIR, 'swagger.json'), 'utf8')) as Doc;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));

/** The file is Swagger-2 style inside `openapi: 3.0.1`: schemas are in `definitions`. */
function resolve(d: Doc, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(d, n));
  if (typeof node !== 'object' || node === null) return node;
  const o = node as Record<string, unknown>;
  if (typeof o.$ref === 'string') {
    const name = o.$ref.replace('#/definitions/', '');
    if (!(name in d.definitions)) throw new Error(`unresolvable $ref ${o.$ref}`);
    return resolve(d, d.definitions[name]);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(d, v)]));
}

const compiled = new Map<string, { validate: ValidateFunction; properties: string[] }>();
function validator(d: Doc, name: string, specPath: string, method: string, status: number) {
  const id = `${name} ${method} ${specPath} ${status}`;
  let v = compiled.get(id);
  if (!v) {
    const op = d.paths[specPath]?.[method.toLowerCase()];
    if (!op) throw new Error(`${name} has no ${method} ${specPath}`);
    const response = op.responses[String(status)];
    if (!response) throw new Error(`${name} does not declare ${status} for ${method} ${specPath}`);
    const schema = (response.content?.['application/json']?.schema ? resolve(d, response.content['application/json'].schema) : {}) as { properties?: Record<string, unknown> };
    compiled.set(id, (v = { validate: ajv.compile(schema), properties: Object.keys(schema.properties ?? {}) }));
  }
  return v;
}

/** Operations whose answer was checked against the spec; every one in the file must be by the end. */
const checked = new Set<string>();

/**
 * The body matches the operation's response schema in swagger.yaml and swagger.json, and (the
 * schemas require nothing) carries every property swagger.yaml declares, unless `partial`.
 */
function expectConforms(specPath: string, method: string, status: number, body: unknown, partial = false): void {
  for (const [name, d] of [['swagger.yaml', yamlDoc], ['swagger.json', jsonDoc]] as const) {
    const v = validator(d, name, specPath, method, status);
    if (!v.validate(body)) throw new Error(`${method} ${specPath} ${status} does not match ${name}: ${ajv.errorsText(v.validate.errors)}`);
    if (name === 'swagger.yaml' && !partial) for (const p of v.properties) expect(body, `${method} ${specPath}: ${p}`).toHaveProperty(p);
  }
  checked.add(`${method} ${specPath}`);
}

// ---- the app, a real SMTP server, the worker ------------------------------------------------------

let ctx: Awaited<ReturnType<typeof notifyApp>>;
let smtp: Awaited<ReturnType<typeof smtpSink>>;
let worker: NotifyWorker | undefined;
let liveKey: string;
let moisKey: string;

beforeAll(async () => {
  ctx = await notifyApp();
  smtp = await smtpSink({ refuse: ['nobody@example.kr'] });
  liveKey = await apiKey(ctx.t, 'live');
  moisKey = await apiKey(ctx.t, 'live', MOIS_SERVICE);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await ctx?.close();
});

async function startWorker(): Promise<void> {
  worker = await startNotifyWorker(ctx.t, {
    providers: { 'notify.email': emailProvider({ url: smtp.url, defaultFrom: 'Hanaro <no-reply@hanaro.test>', host: 'hanaro.test', connections: 2 }) },
    lane: { pollMs: 20, flushMs: 10 },
  });
}

const send = (op: 'single' | 'batch', body: unknown, key: string | null = liveKey) =>
  ctx.app.inject({ method: 'POST', url: `${P}/send/email/${op}`, headers: { 'content-type': 'application/json', ...(key ? { apikey: key } : {}) }, payload: JSON.stringify(body) });
const status = (uid: string | null, query = '', key: string | null = liveKey) =>
  ctx.app.inject({ method: 'GET', url: `${P}/status/email${query}`, headers: { ...(key ? { apikey: key } : {}), ...(uid !== null ? { requestUid: uid } : {}) } });
const reply = (uid: string | null, body: unknown, key: string | null = liveKey) =>
  ctx.app.inject({ method: 'POST', url: `${P}/callback/email`, headers: { 'content-type': 'application/json', ...(key ? { apikey: key } : {}), ...(uid !== null ? { requestUid: uid } : {}) }, payload: JSON.stringify(body) });

const b64 = (list: unknown) => Buffer.from(JSON.stringify(list)).toString('base64');
const countAll = async () => (await rows<{ n: number }>(ctx.t.db, sql`select count(*)::int as n from notify.notification`))[0]!.n;
const messagesOf = (uid: string) =>
  rows<{ id: string; status: string; reference: string | null; recipient_masked: string; idempotency_key: string }>(
    ctx.t.db,
    sql`select id::text as id, status, reference, recipient_masked, idempotency_key from notify.notification where request_id = ${uid} order by idempotency_key`,
  );

async function accepted(op: 'single' | 'batch', body: unknown, key = liveKey): Promise<string> {
  const res = await send(op, body, key);
  expect(res.statusCode, res.body).toBe(200);
  const b = res.json();
  expectConforms(`/send/email/${op}`, 'POST', 200, b);
  expect(b.requestUid).toMatch(REQUEST_UID);
  return b.requestUid as string;
}

async function counts(uid: string, query = ''): Promise<Record<keyof typeof zero, number>> {
  const res = await status(uid, query);
  expect(res.statusCode, res.body).toBe(200);
  expectConforms('/status/email', 'GET', 200, res.json(), query !== '');
  return res.json();
}

function expectProblem(res: LightMyRequestResponse, httpStatus: number, opts: { code?: string; path?: string | RegExp } = {}) {
  expect(res.statusCode, res.body).toBe(httpStatus);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json();
  expect(p).toMatchObject({ status: httpStatus, type: expect.stringMatching(/^urn:hanaro:problem:/) });
  if (opts.code) expect(p.code).toBe(opts.code);
  if (opts.path) expect((p.errors ?? []).map((e: { path: string }) => e.path)).toContainEqual(typeof opts.path === 'string' ? opts.path : expect.stringMatching(opts.path));
  return p;
}

const zero = { scheduled: 0, processing: 0, deferred: 0, bounced: 0, notSent: 0, delivered: 0 };
const senderInfo = { organisationName: '국민건강보험공단', organisationRegNr: 'GOV1234567890', name: '건강검진 안내', email: 'someone@elsewhere.example', replyTo: 'checkup@nhis.example.kr' };
const content = (title: string, text: string) => ({ encoding: 'UTF-8', title, content: text });

// ---- tests ---------------------------------------------------------------------------------------------

const single = {
  senderInfo,
  recipientInfo: { email: 'citizen@example.kr', emailCC: 'guardian@example.kr', emailBCC: 'records@nhis.example.kr', name: '홍길동' },
  emailContent: content('[건강검진] 검진 일정 안내', '홍길동님, 검진일은 5월 3일입니다.\n<b>신분증</b>을 지참하세요.'),
};
let singleUid: string;
let batchUid: string;

describe('before the worker runs: accepted, queued, and counted as queued', () => {
  it('accepts a single e-mail with the spec\'s answer; one message under the requestUid, which is also its reference', async () => {
    singleUid = await accepted('single', single);
    const [m, ...more] = await messagesOf(singleUid);
    expect(more).toHaveLength(0);
    expect(m).toMatchObject({ status: 'created', reference: singleUid, recipient_masked: expect.not.stringContaining('citizen@') });
    expect(await counts(singleUid)).toEqual({ ...zero, processing: 1 });
  });

  it('accepts a batch (one message per entry) and counts scheduled and deferred messages apart from processing ones', async () => {
    batchUid = await accepted('batch', {
      senderInfo: { organisationName: 'Example Medical Institution' },
      recipientInfo: { batchEmailAsBase64: b64([{ recipientInfo: { email: 'one@example.kr' } }, { recipientInfo: { email: 'two@example.kr', name: 'Two' } }, { recipientInfo: { email: 'three@example.kr' } }]) },
      emailContent: content('Vacant appointment slots', 'Slots open this week.'),
    });
    const ms = await messagesOf(batchUid);
    expect(ms).toHaveLength(3);
    expect(await counts(batchUid)).toEqual({ ...zero, processing: 3 });
    // one put off for later untried (a paused provider), one after a failed attempt (a retry)
    const job = (id: string) => sql`idempotency_key = ${`notify:${id}`}`;
    await ctx.t.db.execute(sql`update platform.outbox set run_at = now() + interval '1 hour' where ${job(ms[0]!.id)}`);
    await ctx.t.db.execute(sql`update platform.outbox set run_at = now() + interval '1 hour', attempts = 1, last_error = 'attempt 1: SMTP 421' where ${job(ms[1]!.id)}`);
    expect(await counts(batchUid)).toEqual({ ...zero, scheduled: 1, deferred: 1, processing: 1 });
    expect(await counts(batchUid, '?status=deferred&status=scheduled')).toEqual({ deferred: 1, scheduled: 1 });
    expect(await counts(batchUid, '?status=notSent,delivered')).toEqual({ notSent: 0, delivered: 0 });
    await ctx.t.db.execute(sql`update platform.outbox set run_at = now(), attempts = 0 where ${job(ms[0]!.id)} or ${job(ms[1]!.id)}`);
  });
});

describe('delivery through a real SMTP server', () => {
  beforeAll(startWorker);

  it('delivers the single e-mail: Cc and Bcc in the envelope, the service\'s From with the sender\'s name, Reply-To, plain text', async () => {
    const [m] = await messagesOf(singleUid);
    await until(() => smtp.unique.has(`${m!.id}@hanaro.test`), 15_000, 'the e-mail');
    const got = smtp.unique.get(`${m!.id}@hanaro.test`)!;
    expect(got.to.sort()).toEqual(['citizen@example.kr', 'guardian@example.kr', 'records@nhis.example.kr']);
    expect(got.from).toBe('no-reply@bokjiro.example.kr');
    const mail = await simpleParser(got.raw);
    expect(mail.subject).toBe('[건강검진] 검진 일정 안내');
    expect((mail.to as AddressObject).value.map((a) => a.address)).toEqual(['citizen@example.kr']);
    expect((mail.cc as AddressObject).value.map((a) => a.address)).toEqual(['guardian@example.kr']);
    expect(mail.bcc).toBeUndefined();
    expect(got.raw).not.toMatch(/^Bcc:/im);
    expect(mail.from?.value[0]).toMatchObject({ address: 'no-reply@bokjiro.example.kr', name: '건강검진 안내' });
    expect(mail.replyTo?.value[0]?.address).toBe('checkup@nhis.example.kr');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'text/plain' });
    expect(mail.text).toContain('<b>신분증</b>을 지참하세요.');
    expect(mail.html).toBeFalsy();
    await until(async () => (await counts(singleUid)).delivered === 1, 5000, 'delivered');
    expect(await counts(singleUid)).toEqual({ ...zero, delivered: 1 });
  });

  it('the batch\'s messages, held back before, are delivered', async () => {
    await until(async () => (await counts(batchUid)).delivered === 3, 15_000, 'the batch delivered');
    expect(await counts(batchUid)).toEqual({ ...zero, delivered: 3 });
    const ms = await messagesOf(batchUid);
    const mail = await simpleParser(smtp.unique.get(`${ms[0]!.id}@hanaro.test`)!.raw);
    expect(mail.from?.value[0]?.name).toBe('Example Medical Institution');
    expect(mail.headers.get('content-language')).toBe('en');
  });

  it('a batch with a recipient the server refuses: counts move from processing to delivered and bounced; the request\'s own callback URL hears of each', async () => {
    const receiver = await httpGateway();
    const list = ['a1@example.kr', 'a2@example.kr', 'nobody@example.kr', 'a4@example.kr'].map((email) => ({ recipientInfo: { email } }));
    const uid = await accepted('batch', {
      callbackURI: { URI: `${receiver.url}/delivery` },
      senderInfo,
      recipientInfo: { batchEmailAsBase64: b64(list) },
      emailContent: content('[안내] 예약 가능 시간', '이번 주 예약 가능한 시간이 있습니다.'),
    });
    const first = await counts(uid);
    expect(first.processing + first.delivered + first.bounced).toBe(4);
    await until(async () => {
      const c = await counts(uid);
      return c.delivered === 3 && c.bounced === 1;
    }, 15_000, 'delivered and bounced');
    expect(await counts(uid)).toEqual({ ...zero, delivered: 3, bounced: 1 });
    expect(await counts(uid, '?status=bounced')).toEqual({ bounced: 1 });
    await until(() => receiver.requests.length >= 4, 15_000, 'the callbacks');
    expect(receiver.requests.map((r) => r.body.reference)).toEqual([uid, uid, uid, uid]);
    expect(receiver.requests.map((r) => r.body.status).sort()).toEqual(['delivered', 'delivered', 'delivered', 'permanent-failure']);
    await receiver.close();
  });
});

describe('a large batch', () => {
  it('takes a body over the platform\'s default 1 MiB limit (a full batch needs more) and queues every entry', async () => {
    const n = 4000;
    const list = Array.from({ length: n }, (_, i) => ({ recipientInfo: { email: `bulk${i}@example.kr`, name: `Recipient ${i} `.padEnd(200, 'x') } }));
    const body = { recipientInfo: { batchEmailAsBase64: b64(list) }, emailContent: content('Bulk', 'To many.') };
    expect(JSON.stringify(body).length).toBeGreaterThan(ctx.t.config.bodyLimit);
    const uid = await accepted('batch', body, await apiKey(ctx.t, 'test'));
    expect((await rows<{ n: number }>(ctx.t.db, sql`select count(*)::int as n from notify.notification where request_id = ${uid}`))[0]!.n).toBe(n);
  });
});

describe('the same request twice (MHASH)', () => {
  it('within 24 hours: the same requestUid and nothing queued again, also for a batch list encoded differently', async () => {
    const before = await countAll();
    const again = await send('single', { ...single, emailContent: { content: single.emailContent.content, title: single.emailContent.title, encoding: 'utf-8' } });
    expect(again.statusCode).toBe(200);
    expectConforms('/send/email/single', 'POST', 200, again.json());
    expect(again.json()).toEqual({ response: DUPLICATE, requestUid: singleUid });
    const list = [{ recipientInfo: { email: 'one@example.kr' } }, { recipientInfo: { name: 'Two', email: 'two@example.kr' } }, { recipientInfo: { email: 'three@example.kr' } }];
    const reencoded = Buffer.from(JSON.stringify(list, null, 2)).toString('base64url');
    const batch = await send('batch', { senderInfo: { organisationName: 'Example Medical Institution' }, recipientInfo: { batchEmailAsBase64: reencoded }, emailContent: content('Vacant appointment slots', 'Slots open this week.') });
    expect(batch.json()).toEqual({ response: DUPLICATE, requestUid: batchUid });
    expect(await countAll()).toBe(before);
    const [m] = await messagesOf(singleUid);
    expect(smtp.received.filter((x) => x.messageId === `${m!.id}@hanaro.test`)).toHaveLength(1);
  });

  it('two at the same moment: one request, one message', async () => {
    const body = { recipientInfo: { email: 'race@example.kr' }, emailContent: content('Race', 'Sent once.') };
    const [a, b] = await Promise.all([send('single', body), send('single', body)]);
    expect([a!.statusCode, b!.statusCode]).toEqual([200, 200]);
    expect(a!.json().requestUid).toBe(b!.json().requestUid);
    expect([a!.json().response, b!.json().response].sort()).toEqual([ACCEPTED, DUPLICATE].sort());
    expect(await messagesOf(a!.json().requestUid)).toHaveLength(1);
  });

  it('different content, or a test key, is another request', async () => {
    const other = await accepted('single', { ...single, emailContent: content(single.emailContent.title, '일정이 바뀌었습니다.') });
    expect(other).not.toBe(singleUid);
    const test = await accepted('single', single, await apiKey(ctx.t, 'test'));
    expect(test).not.toBe(singleUid);
  });

  it('after 24 hours it is sent again; made yesterday but within 24 hours it is not', async () => {
    const body = { recipientInfo: { email: 'window@example.kr' }, emailContent: content('Reminder', 'Once a day at most.') };
    const uid = await accepted('single', body);
    const [m] = await messagesOf(uid);
    const [, day, hash, i] = m!.idempotency_key.split(':');
    const yesterday = `govstack:${Number(day) - 1}:${hash}:${i}`;
    await ctx.t.db.execute(sql`update notify.notification set idempotency_key = ${yesterday}, created_at = now() - interval '23 hours' where id = ${m!.id}::uuid`);
    expect((await send('single', body)).json().requestUid).toBe(uid);
    await ctx.t.db.execute(sql`update notify.notification set created_at = now() - interval '25 hours' where id = ${m!.id}::uuid`);
    const next = await accepted('single', body);
    expect(next).not.toBe(uid);
    expect(await messagesOf(next)).toHaveLength(1);
  });
});

describe('bad input: a 400 problem naming the field, and nothing queued', () => {
  const base = { recipientInfo: { email: 'x@example.kr' }, emailContent: content('t', 'c') };
  const cases: Array<[string, 'single' | 'batch', unknown, string | RegExp, string?]> = [
    ['no recipientInfo', 'single', { emailContent: base.emailContent }, 'body/recipientInfo'],
    ['no recipient address', 'single', { ...base, recipientInfo: { name: 'Nobody' } }, 'body/recipientInfo/email'],
    ['an invalid address', 'single', { ...base, recipientInfo: { email: 'not-an-address' } }, 'body/recipientInfo/email', 'invalid_email_address'],
    ['an invalid Cc', 'single', { ...base, recipientInfo: { email: 'x@example.kr', emailCC: 'ok@example.kr; broken@' } }, 'body/recipientInfo/emailCC', 'invalid_email_address'],
    ['no title', 'single', { ...base, emailContent: { content: 'c' } }, 'body/emailContent/title'],
    ['blank content', 'single', { ...base, emailContent: { title: 't', content: '  ' } }, 'body/emailContent/content'],
    ['another encoding', 'single', { ...base, emailContent: { ...base.emailContent, encoding: 'ISO-8859-1' } }, 'body/emailContent/encoding'],
    ['a callback that is not http(s)', 'single', { ...base, callback: { URI: 'ftp://example.kr/cb' } }, 'body/callback/URI'],
    ['bad base64', 'batch', { ...base, recipientInfo: { batchEmailAsBase64: '!!not base64!!' } }, 'body/recipientInfo/batchEmailAsBase64', 'invalid_base64'],
    ['base64 of something else', 'batch', { ...base, recipientInfo: { batchEmailAsBase64: Buffer.from('hello').toString('base64') } }, 'body/recipientInfo/batchEmailAsBase64', 'invalid_base64'],
    ['base64 of an object', 'batch', { ...base, recipientInfo: { batchEmailAsBase64: b64({ recipientInfo: { email: 'x@example.kr' } }) } }, 'body/recipientInfo/batchEmailAsBase64', 'invalid_batch'],
    ['an empty list', 'batch', { ...base, recipientInfo: { batchEmailAsBase64: b64([]) } }, 'body/recipientInfo/batchEmailAsBase64', 'invalid_batch'],
    ['a bad address in the list', 'batch', { ...base, recipientInfo: { batchEmailAsBase64: b64([{ recipientInfo: { email: 'ok@example.kr' } }, { recipientInfo: { email: 'bad@@example' } }]) } }, 'body/recipientInfo/batchEmailAsBase64/1/recipientInfo/email', 'invalid_email_address'],
    ['an entry without recipientInfo', 'batch', { ...base, recipientInfo: { batchEmailAsBase64: b64([{ email: 'ok@example.kr' }]) } }, 'body/recipientInfo/batchEmailAsBase64/0/recipientInfo'],
    ['no batchEmailAsBase64', 'batch', { ...base, recipientInfo: { email: 'x@example.kr' } }, 'body/recipientInfo/batchEmailAsBase64'],
  ];
  for (const [what, op, body, field, code] of cases) {
    it(`${op}: ${what}`, async () => {
      const before = await countAll();
      expectProblem(await send(op, body), 400, { path: field, code });
      expect(await countAll()).toBe(before);
    });
  }

  it(`batch: over ${MAX_BATCH.toLocaleString('en')} recipients`, async () => {
    const list = Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ recipientInfo: { email: `r${i}@example.kr` } }));
    const before = await countAll();
    const p = expectProblem(await send('batch', { ...base, recipientInfo: { batchEmailAsBase64: b64(list) } }), 400, { code: 'too_many_recipients', path: 'body/recipientInfo/batchEmailAsBase64' });
    expect(p.detail).toContain(String(MAX_BATCH));
    expect(await countAll()).toBe(before);
  });

  it('status and callback: a missing or malformed requestUid, an unknown status, a reply that is not base64', async () => {
    expectProblem(await status(null), 400, { path: 'headers/requestUid' });
    expectProblem(await status('not-a-uid'), 400, { path: 'headers/requestUid' });
    expectProblem(await status(singleUid, '?status=lost'), 400, { path: 'querystring/status' });
    expectProblem(await reply(singleUid, { meta: 'x', content: '%%%' }), 400, { code: 'invalid_base64', path: 'body/content' });
    expectProblem(await reply(singleUid, { meta: 'x' }), 400, { path: 'body/content' });
    expectProblem(await reply(null, { content: 'aGk=' }), 400, { path: 'headers/requestUid' });
  });

  it('a team key sends only to its team, Cc and Bcc included', async () => {
    const key = await apiKey(ctx.t, 'team');
    expectProblem(await send('single', { recipientInfo: { email: 'case-team@bokjiro.example.kr', emailCC: 'stranger@example.kr' }, emailContent: content('t', 'c') }, key), 400, { code: 'team_only', path: 'body/recipientInfo/emailCC' });
    await accepted('single', { recipientInfo: { email: 'case-team@bokjiro.example.kr' }, emailContent: content('t', 'c') }, key);
  });
});

describe('keys and other services', () => {
  it('401 without an apiKey, 403 with a wrong one, on every operation', async () => {
    const forged = liveKey.slice(0, -4) + '0000';
    for (const key of [null, forged]) {
      const code = key ? 403 : 401;
      expectProblem(await send('single', single, key), code);
      expectProblem(await send('batch', { recipientInfo: { batchEmailAsBase64: b64([{ recipientInfo: { email: 'x@example.kr' } }]) }, emailContent: content('t', 'c') }, key), code);
      expectProblem(await status(singleUid, '', key), code);
      expectProblem(await reply(singleUid, { content: 'aGk=' }, key), code);
    }
  });

  it("another service's requestUid is not found, for its status or a reply; an unknown one neither", async () => {
    expectProblem(await status(singleUid, '', moisKey), 404, { code: 'request_not_found' });
    expectProblem(await reply(singleUid, { content: 'aGk=' }, moisKey), 404, { code: 'request_not_found' });
    expectProblem(await status('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF'), 404, { code: 'request_not_found' });
  });
});

describe('replies (P2G callback)', () => {
  it('accepts a reply to the service\'s own request and keeps nothing of its content', async () => {
    const before = await countAll();
    const secret = 'Patient reply: I will come on Monday';
    const res = await reply(singleUid, { meta: 'reply-to-appointment', content: Buffer.from(secret).toString('base64') });
    expect(res.statusCode, res.body).toBe(200);
    expectConforms('/callback/email', 'POST', 200, res.json());
    expect(res.json()).toMatchObject({ requestUid: singleUid, response: expect.stringContaining('not keep') });
    expect(await countAll()).toBe(before);
    const audit = await rows<{ subject: string; data: Record<string, unknown> }>(ctx.t.db, sql`select subject, data from platform.audit_log where action = 'notify.govstack.reply-received'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: `notify.request:${singleUid}`, data: { bytes: Buffer.byteLength(secret), kept: false } });
    expect(JSON.stringify(audit)).not.toContain('Monday');
    expect(JSON.stringify(audit)).not.toContain('reply-to-appointment');
  });
});

describe('the spec', () => {
  it('every operation in the file was called and its answer checked', () => {
    const all = Object.entries(yamlDoc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(all.sort()).toEqual([...checked].sort());
    expect(ACCEPTED).toMatch(/requestUid/);
  });
});
