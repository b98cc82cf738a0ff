import { simpleParser } from 'mailparser';
import { NotifyClient } from 'notifications-node-client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import { alimtalkProvider, emailProvider, smsProvider } from './providers.ts';
import { apiKey, httpGateway, MOHW_SERVICE, MOIS_SERVICE, notifyApp, smtpSink, until } from './test-support.ts';
import { startNotifyWorker, receiptToken, type NotifyWorker } from './worker.ts';
import { findTemplate } from './templates.ts';
import { revokeApiKey, setCallback } from './services.ts';

let ctx: Awaited<ReturnType<typeof notifyApp>>;
let smtp: Awaited<ReturnType<typeof smtpSink>>;
let gw: Awaited<ReturnType<typeof httpGateway>>;
let worker: NotifyWorker;
let base: string;
let templateId: string;
let liveKey: string;

const status = async (id: string) => (await rows<{ status: string }>(ctx.t.db, sql`select status from notify.notification where id = ${id}::uuid`))[0]?.status;

beforeAll(async () => {
  ctx = await notifyApp();
  smtp = await smtpSink({ refuse: ['nobody@example.kr'] });
  gw = await httpGateway({ resultCode: (no) => (no.endsWith('9999') ? 3018 : 0) });
  const host = 'hanaro.test';
  worker = await startNotifyWorker(ctx.t, {
    providers: {
      'notify.email': emailProvider({ url: smtp.url, defaultFrom: 'Hanaro <no-reply@hanaro.test>', host, connections: 2 }),
      'notify.sms': smsProvider({ url: gw.url, key: 'app1:secret1', connections: 2, defaultSender: '0215880000' }),
      'notify.alimtalk': alimtalkProvider({ url: gw.url, key: 'app1:secret1', connections: 2, senderKey: 'sk', defaultSender: '0215880000' }),
    },
    lane: { pollMs: 20, flushMs: 10 },
  });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
  templateId = (await findTemplate(ctx.t.db, { code: 'benefit-decided', serviceId: MOHW_SERVICE }))!.id;
  liveKey = await apiKey(ctx.t, 'live');
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await gw?.close();
  await ctx?.close();
});

const post = (url: string, body: unknown, key = liveKey, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
const personalisation = { name: '홍길동', benefit: '부모급여', decision: '지급 결정' };

describe('sending with GOV.UK Notify\'s own client library', () => {
  it('sends an e-mail that a real SMTP server receives, readable by an independent MIME parser', async () => {
    const client = new NotifyClient(base, liveKey);
    const res = await client.sendEmail(templateId, 'citizen@example.kr', { personalisation, reference: 'case-42' });
    expect(res.data.content.subject).toBe('[복지로] 부모급여 결정 안내');
    expect(res.data.reference).toBe('case-42');
    const id = res.data.id;
    await until(() => smtp.unique.has(`${id}@hanaro.test`), 15_000, 'the e-mail');
    const mail = await simpleParser(smtp.unique.get(`${id}@hanaro.test`)!.raw);
    expect(mail.subject).toBe('[복지로] 부모급여 결정 안내');
    expect(mail.text).toContain('홍길동님, 신청하신 부모급여가 지급 결정되었습니다.');
    expect(mail.from?.value[0]?.address).toBe('no-reply@bokjiro.example.kr');
    expect(mail.from?.value[0]?.name).toBe('복지로 알림');
    expect((mail.to as { value: Array<{ address: string }> }).value[0]!.address).toBe('citizen@example.kr');
    await until(async () => (await status(id)) === 'delivered', 5000, 'delivered');
    const got = await client.getNotificationById(id);
    expect(got.data).toMatchObject({ id, status: 'delivered', type: 'email', email_address: 'citizen@example.kr', reference: 'case-42' });
    expect(got.data.template.version).toBe(1);
  });

  it('previews a template and refuses a missing placeholder, naming every one', async () => {
    const client = new NotifyClient(base, liveKey);
    const p = await client.previewTemplateById(templateId, personalisation);
    expect(p.data.body).toContain('부모급여');
    const res = await post('/v2/notifications/email', { template_id: templateId, email_address: 'a@example.kr', personalisation: { name: '홍' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().missing).toEqual(['benefit', 'decision']);
    expect(res.json().detail).toBe('Missing personalisation: benefit, decision');
  });
});

describe('bad input and the wrong caller', () => {
  it('400 for an invalid e-mail address or phone number, naming it; nothing is queued', async () => {
    const [{ n: before }] = (await rows<{ n: number }>(ctx.t.db, sql`select count(*)::int as n from notify.notification`)) as [{ n: number }];
    const e = await post('/v2/notifications/email', { template_id: templateId, email_address: 'not-an-address', personalisation });
    expect(e.statusCode).toBe(400);
    expect(e.json().errors[0].path).toBe('email_address');
    const s = await post('/v2/notifications/sms', { template_id: templateId, phone_number: '02-123', personalisation });
    expect(s.statusCode).toBe(400);
    expect(s.json().code).toBe('invalid_phone_number');
    expect(s.json().errors[0].path).toBe('phone_number');
    const [{ n: after }] = (await rows<{ n: number }>(ctx.t.db, sql`select count(*)::int as n from notify.notification`)) as [{ n: number }];
    expect(after).toBe(before);
  });

  it('400 for an unknown template or another service\'s template', async () => {
    const other = (await findTemplate(ctx.t.db, { code: 'due-date', serviceId: MOIS_SERVICE }))!.id;
    for (const id of ['6f1c0000-0000-4000-8000-000000000000', other, 'nope']) {
      const r = await post('/v2/notifications/email', { template_id: id, email_address: 'a@example.kr', personalisation });
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('template_not_found');
    }
  });

  it('401 without a key, 403 for a wrong or revoked key; another service cannot read the message', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v2/notifications' })).statusCode).toBe(401);
    const forged = liveKey.slice(0, -4) + '0000';
    expect((await ctx.app.inject({ method: 'GET', url: '/v2/notifications', headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(403);
    const key = await apiKey(ctx.t, 'live');
    const sent = await post('/v2/notifications/email', { template_id: templateId, email_address: 'a@example.kr', personalisation }, key);
    expect(sent.statusCode).toBe(201);
    const keyId = (await rows<{ id: string }>(ctx.t.db, sql`select id::text as id from notify.api_key where service_id = ${MOHW_SERVICE}::uuid order by created_at desc limit 1`))[0]!.id;
    await revokeApiKey(ctx.t, MOHW_SERVICE, keyId, 'test');
    const revoked = await post('/v2/notifications/email', { template_id: templateId, email_address: 'a@example.kr', personalisation }, key);
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().detail).toBe('Invalid token: API key revoked');
    const moisKey = await apiKey(ctx.t, 'live', MOIS_SERVICE);
    const peek = await ctx.app.inject({ method: 'GET', url: `/v2/notifications/${sent.json().id}`, headers: { authorization: `Bearer ${moisKey}` } });
    expect(peek.statusCode).toBe(404);
  });

  it('429 with Retry-After past the per-key rate limit', async () => {
    await ctx.t.db.execute(sql`update notify.service set rate_limit_per_min = 3 where id = ${MOIS_SERVICE}::uuid`);
    const key = await apiKey(ctx.t, 'live', MOIS_SERVICE);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await ctx.app.inject({ method: 'GET', url: '/v2/templates', headers: { authorization: `Bearer ${key}` } })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const r = await ctx.app.inject({ method: 'GET', url: '/v2/templates', headers: { authorization: `Bearer ${key}` } });
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(r.json().detail).toMatch(/Exceeded rate limit for key type LIVE of 3 requests per 60 seconds/);
  });

  it('429 past the daily limit, before anything is queued', async () => {
    const key = await apiKey(ctx.t, 'live', MOIS_SERVICE);
    await ctx.t.db.execute(sql`update notify.service set rate_limit_per_min = 3000, daily_limits = '{"sms": 2}' where id = ${MOIS_SERVICE}::uuid`);
    const tpl = (await findTemplate(ctx.t.db, { code: 'due-date', serviceId: MOIS_SERVICE }))!.id;
    const send = () => post('/v2/notifications/sms', { template_id: tpl, phone_number: '010-5555-0101', personalisation: { task: '자동차 정기검사', dueDate: '2026-12-31' } }, key);
    expect((await send()).statusCode).toBe(201);
    expect((await send()).statusCode).toBe(201);
    const third = await send();
    expect(third.statusCode).toBe(429);
    expect(third.json().code).toBe('daily_limit');
  });

  it('refuses an unsendable text message: an emoji in the personalisation', async () => {
    const r = await post('/v2/notifications/sms', { template_id: templateId, phone_number: '01012345678', personalisation: { ...personalisation, name: '홍길동 😀' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('sms_text_invalid');
  });
});

describe('idempotency and key kinds', () => {
  it('a repeated Idempotency-Key is one message', async () => {
    const body = { template_id: templateId, email_address: 'twice@example.kr', personalisation };
    const a = await post('/v2/notifications/email', body, liveKey, { 'idempotency-key': 'order-77' });
    const b = await post('/v2/notifications/email', body, liveKey, { 'idempotency-key': 'order-77' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json().id).toBe(a.json().id);
    await until(() => smtp.unique.has(`${a.json().id}@hanaro.test`), 10_000, 'the e-mail');
    expect(smtp.received.filter((m) => m.to.includes('twice@example.kr'))).toHaveLength(1);
  });

  it('a test key sends nothing but answers realistically, failures included', async () => {
    const key = await apiKey(ctx.t, 'test');
    const before = smtp.received.length;
    const ok = await post('/v2/notifications/email', { template_id: templateId, email_address: 'someone@example.kr', personalisation }, key);
    const perm = await post('/v2/notifications/email', { template_id: templateId, email_address: 'perm-fail@simulator.notify', personalisation }, key);
    const temp = await post('/v2/notifications/sms', { template_id: templateId, phone_number: '010-7700-0003', personalisation }, key);
    await until(async () => (await status(ok.json().id)) === 'delivered' && (await status(perm.json().id)) === 'permanent-failure' && (await status(temp.json().id)) === 'temporary-failure', 10_000, 'simulated outcomes');
    expect(smtp.received.length).toBe(before);
    expect(gw.requests.some((r) => r.body.recipientList?.[0]?.recipientNo === '01077000003')).toBe(false);
  });

  it('a team key sends only to the team', async () => {
    const key = await apiKey(ctx.t, 'team');
    const out = await post('/v2/notifications/email', { template_id: templateId, email_address: 'stranger@example.kr', personalisation }, key);
    expect(out.statusCode).toBe(400);
    expect(out.json().code).toBe('team_only');
    const team = await post('/v2/notifications/email', { template_id: templateId, email_address: 'case-team@bokjiro.example.kr', personalisation }, key);
    expect(team.statusCode).toBe(201);
  });
});

describe('SMS, LMS and AlimTalk through the gateway, with receipts and callbacks', () => {
  it('sends a short text as SMS and a long one as LMS, counted in CP949 bytes', async () => {
    const short = await post('/v2/notifications/sms', { template_id: templateId, phone_number: '010-1234-5678', personalisation });
    expect(short.json().content.message_kind).toBe('sms');
    const long = await post('/v2/notifications/sms', { template_id: templateId, phone_number: '010-1234-5679', personalisation: { ...personalisation, benefit: '산모·신생아 건강관리 지원사업 바우처(정부지원 표준서비스, 단태아 기준)' } });
    expect(long.json().content.message_kind).toBe('lms');
    await until(() => gw.requests.some((r) => r.body.recipientList?.[0]?.recipientGroupingKey === long.json().id), 10_000, 'the LMS');
    const lms = gw.requests.find((r) => r.body.recipientList?.[0]?.recipientGroupingKey === long.json().id)!;
    expect(lms.path).toBe('/sms/v3.0/appKeys/app1/sender/mms');
    expect(lms.headers['x-secret-key']).toBe('secret1');
    expect(lms.body.sendNo).toBe('0215880000');
    expect(lms.body.recipientList[0].recipientNo).toBe('01012345679');
    const sms = gw.requests.find((r) => r.body.recipientList?.[0]?.recipientGroupingKey === short.json().id);
    expect(sms?.path).toBe('/sms/v3.0/appKeys/app1/sender/sms');
    await until(async () => (await status(short.json().id)) === 'sending', 5000, 'sending');
  });

  it('a delivery receipt moves the message to delivered once, and the agency gets a signed callback, retried until it answers', async () => {
    let calls = 0;
    const receiver = await httpGateway({ status: () => (++calls === 1 ? 503 : 200) });
    await setCallback(ctx.t, MOHW_SERVICE, { url: `${receiver.url}/callbacks`, token: 'callback-secret-token' }, 'test');
    const sent = await post('/v2/notifications/sms', { template_id: templateId, phone_number: '010-2222-3333', personalisation, reference: 'ref-9' });
    const id = sent.json().id as string;
    await until(async () => (await status(id)) === 'sending', 10_000, 'sending');
    const token = receiptToken(ctx.t)!;
    const receipt = (st: string) => ctx.app.inject({ method: 'POST', url: '/api/notify/receipts/sms', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: { receipts: [{ recipientGroupingKey: id, status: st }] } });
    expect((await ctx.app.inject({ method: 'POST', url: '/api/notify/receipts/sms', headers: { authorization: 'Bearer wrong-token-123456' }, payload: { receipts: [{ recipientGroupingKey: id, status: 'delivered' }] } })).statusCode).toBe(401);
    expect((await receipt('delivered')).json().applied).toBe(1);
    expect((await receipt('delivered')).json().applied).toBe(0);
    expect((await receipt('failed')).json().applied).toBe(0);
    expect(await status(id)).toBe('delivered');
    // the first callback attempt got a 503; the outbox retries it (run it now instead of in 30 s)
    await until(async () => (await rows(ctx.t.db, sql`select 1 from platform.outbox where topic = 'notify.callback' and payload->>'id' = ${id} and status = 'pending' and attempts = 1`)).length === 1 || calls >= 2, 10_000, 'the first callback');
    await ctx.t.db.execute(sql`update platform.outbox set run_at = now() where topic = 'notify.callback' and payload->>'id' = ${id}`);
    await until(() => calls >= 2, 10_000, 'the retried callback');
    const cb = receiver.requests[receiver.requests.length - 1]!;
    expect(cb.body).toMatchObject({ id, reference: 'ref-9', to: '+821022223333', status: 'delivered', notification_type: 'sms', template_id: templateId });
    expect(cb.headers.authorization).toBe('Bearer callback-secret-token');
    const sig = String(cb.headers['x-hanaro-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig)!;
    const { createHmac } = await import('node:crypto');
    expect(v1).toBe(createHmac('sha256', 'callback-secret-token').update(`${t}.${JSON.stringify(cb.body)}`).digest('hex'));
    await setCallback(ctx.t, MOHW_SERVICE, { url: null }, 'test');
    await receiver.close();
  });

  it('a number the gateway rejects is a permanent failure; a recipient the SMTP server refuses too', async () => {
    const sms = await post('/v2/notifications/sms', { template_id: templateId, phone_number: '010-1111-9999', personalisation });
    const mail = await post('/v2/notifications/email', { template_id: templateId, email_address: 'nobody@example.kr', personalisation });
    await until(async () => (await status(sms.json().id)) === 'permanent-failure' && (await status(mail.json().id)) === 'permanent-failure', 10_000, 'permanent failures');
    const list = await ctx.app.inject({ method: 'GET', url: '/v2/notifications?status=failed', headers: { authorization: `Bearer ${liveKey}` } });
    const ids = list.json().notifications.map((n: { id: string }) => n.id);
    expect(ids).toContain(sms.json().id);
    expect(ids).toContain(mail.json().id);
  });

  it('sends AlimTalk with its template code, buttons and an SMS fallback', async () => {
    const r = await post('/v2/notifications/alimtalk', { template_id: templateId, phone_number: '010-3333-4444', personalisation });
    expect(r.statusCode).toBe(201);
    await until(() => gw.requests.some((q) => q.body.recipientList?.[0]?.recipientGroupingKey === r.json().id), 10_000, 'the AlimTalk');
    const q = gw.requests.find((x) => x.body.recipientList?.[0]?.recipientGroupingKey === r.json().id)!;
    expect(q.path).toBe('/alimtalk/v2.3/appkeys/app1/messages');
    expect(q.body.templateCode).toBe('BOKJI_DECIDED');
    expect(q.body.recipientList[0].content).toContain('홍길동님, 신청하신 부모급여');
    expect(q.body.recipientList[0].buttons[0]).toMatchObject({ type: 'WL', name: '신청 현황 보기' });
    expect(q.body.recipientList[0].resendParameter).toMatchObject({ isResend: true, resendSendNo: '0215880000' });
  });
});
