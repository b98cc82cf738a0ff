import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACTOR_COOKIE } from '../../platform/auth.ts';
import { rows } from '../../platform/db.ts';
import { getPreferences, notifyCitizen, quietUntil, setPreferences } from './citizens.ts';
import { apiKey, citizenWith, MOHW_SERVICE, notifyApp } from './test-support.ts';
import { findTemplate } from './templates.ts';

let ctx: Awaited<ReturnType<typeof notifyApp>>;
beforeAll(async () => {
  ctx = await notifyApp();
}, 60_000);
afterAll(async () => ctx?.close());

const as = (actor: object) => `${DEMO_ACTOR_COOKIE}=${ctx.app.signCookie(JSON.stringify(actor))}`;
const vars = { institution: '하나로은행', purpose: '대출 심사', link: 'https://hanaro.example/mydata/access' };
// 23:30 and 12:00 in Seoul
const NIGHT = new Date('2026-12-06T14:30:00Z');
const NOON = new Date('2026-12-06T03:00:00Z');

const messagesOf = (citizenId: string) =>
  rows<{ channel: string; status: string; send_after: Date | string | null; lang: string }>(ctx.t.db, sql`select channel, status, send_after, lang from notify.notification where citizen_id = ${citizenId}::uuid order by channel`);

describe('choosing the channel for a citizen', () => {
  it('quiet hours are Seoul time and may span midnight', () => {
    expect(quietUntil({ quietStart: '21:00', quietEnd: '08:00' }, NIGHT)?.toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(quietUntil({ quietStart: '21:00', quietEnd: '08:00' }, NOON)).toBeUndefined();
    expect(quietUntil({ quietStart: '13:00', quietEnd: '14:00' }, new Date('2026-12-06T04:30:00Z'))?.toISOString()).toBe('2026-12-06T05:00:00.000Z');
  });

  it('by default: the inbox and the first channel with an address (e-mail), in Korean', async () => {
    const c = randomUUID();
    await citizenWith(ctx.t, c, { email: 'minjun@example.kr', phone: '010-2000-1000' });
    const r = await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'k1', now: NOON });
    expect(r.channels.sort()).toEqual(['email', 'inbox']);
    const m = await messagesOf(c);
    expect(m.map((x) => x.lang)).toEqual(['ko', 'ko']);
  });

  it('holds an SMS in quiet hours until they end, but not an urgent one; e-mail is never held', async () => {
    const c = randomUUID();
    await citizenWith(ctx.t, c, { email: 'night@example.kr', phone: '010-2000-1001' });
    await setPreferences(ctx.t, c, { channels: ['sms', 'email'], lang: 'en', quietStart: '21:00', quietEnd: '08:00', optedOut: [] });
    await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'night', now: NIGHT });
    const sms = (await messagesOf(c)).find((x) => x.channel === 'sms')!;
    expect(new Date(sms.send_after!).toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(sms.lang).toBe('en');
    const [job] = await rows<{ run_at: Date | string }>(ctx.t.db, sql`select o.run_at from platform.outbox o join notify.notification n on n.id = (o.payload->>'id')::uuid where n.citizen_id = ${c}::uuid and o.topic = 'notify.sms'`);
    expect(new Date(job!.run_at).toISOString()).toBe('2026-12-06T23:00:00.000Z');
    await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'urgent', now: NIGHT, category: 'urgent' });
    const urgent = await rows<{ send_after: unknown }>(ctx.t.db, sql`select send_after from notify.notification where citizen_id = ${c}::uuid and channel = 'sms' and idempotency_key = 'urgent:sms'`);
    expect(urgent[0]!.send_after).toBeNull();
    await setPreferences(ctx.t, c, { channels: ['email'], lang: 'ko', quietStart: '21:00', quietEnd: '08:00', optedOut: [] });
    await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'mail-at-night', now: NIGHT });
    const mail = await rows<{ send_after: unknown }>(ctx.t.db, sql`select send_after from notify.notification where idempotency_key = 'mail-at-night:email'`);
    expect(mail[0]!.send_after).toBeNull();
  });

  it('an opted-out category goes to the inbox only; an emergency goes everywhere regardless', async () => {
    const c = randomUUID();
    await citizenWith(ctx.t, c, { email: 'optout@example.kr', phone: '010-2000-1002' });
    await setPreferences(ctx.t, c, { channels: ['sms'], lang: 'ko', quietStart: '21:00', quietEnd: '08:00', optedOut: ['alert'] });
    const r = await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'o1', now: NOON });
    expect(r.channels).toEqual(['inbox']);
    expect(r.note).toBe('opted-out');
    const e = await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'e1', now: NIGHT, category: 'emergency' });
    expect(e.channels.sort()).toEqual(['email', 'inbox', 'sms']);
    const held = await rows<{ send_after: unknown }>(ctx.t.db, sql`select send_after from notify.notification where idempotency_key = 'e1:sms'`);
    expect(held[0]!.send_after).toBeNull();
  });

  it('never sends the same notice twice', async () => {
    const c = randomUUID();
    await citizenWith(ctx.t, c, { email: 'once@example.kr' });
    const a = await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'same', now: NOON });
    const b = await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'same', now: NOON });
    expect(b.messages.map((m) => m.id).sort()).toEqual(a.messages.map((m) => m.id).sort());
    expect(b.messages.every((m) => !m.created)).toBe(true);
    expect(await messagesOf(c)).toHaveLength(2);
  });

  it('without any address: the inbox only, and a missing placeholder writes nothing', async () => {
    const c = randomUUID();
    const r = await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'none', now: NOON });
    expect(r.channels).toEqual(['inbox']);
    expect(r.note).toBe('no-address');
    const d = randomUUID();
    await expect(notifyCitizen(ctx.t, { citizenId: d, template: 'mydata.new-reader', personalisation: { institution: 'x' }, idempotencyKey: 'bad' })).rejects.toThrow(/Missing personalisation: purpose/);
    expect(await messagesOf(d)).toHaveLength(0);
  });
});

describe('the citizen\'s own API', () => {
  it('reads the inbox, marks items read, and keeps preferences; validation errors are 400', async () => {
    const c = randomUUID();
    await notifyCitizen(ctx.t, { citizenId: c, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'api', now: NOON });
    const cookie = as({ kind: 'citizen', id: c });
    const box = await ctx.app.inject({ method: 'GET', url: '/api/notify/me/inbox', headers: { cookie } });
    expect(box.statusCode).toBe(200);
    expect(box.json().unread).toBe(1);
    expect(box.json().items[0].title).toBe('내 정보를 처음 조회한 기관이 있습니다');
    expect(box.json().items[0].body).toContain('하나로은행');
    const read = await ctx.app.inject({ method: 'POST', url: `/api/notify/me/inbox/${box.json().items[0].id}/read`, headers: { cookie } });
    expect(read.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/notify/me/inbox', headers: { cookie } })).json().unread).toBe(0);
    const bad = await ctx.app.inject({ method: 'PUT', url: '/api/notify/me/preferences', headers: { cookie, 'content-type': 'application/json' }, payload: { channels: ['sms', 'sms'], lang: 'ko', quietStart: '25:00', quietEnd: '08:00', optedOut: ['transactional'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const good = await ctx.app.inject({ method: 'PUT', url: '/api/notify/me/preferences', headers: { cookie, 'content-type': 'application/json' }, payload: { channels: ['push', 'email'], lang: 'en', quietStart: '22:00', quietEnd: '07:30', optedOut: ['reminder'] } });
    expect(good.statusCode).toBe(200);
    expect(await getPreferences(ctx.t.db, c)).toMatchObject({ channels: ['push', 'email'], lang: 'en', quietStart: '22:00', quietEnd: '07:30', optedOut: ['reminder'], saved: true });
  });

  it('refuses the wrong actor: nobody 401, an official 403 on a citizen\'s inbox, a citizen 403 on the services, another citizen\'s item 404', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/notify/me/inbox' })).statusCode).toBe(401);
    const official = as({ kind: 'official', id: randomUUID(), name: '담당자', agency: 'MOHW', roles: ['agency-admin'] });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/notify/me/inbox', headers: { cookie: official } })).statusCode).toBe(403);
    const citizen = as({ kind: 'citizen', id: randomUUID() });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/notify/services', headers: { cookie: citizen } })).statusCode).toBe(403);
    const owner = randomUUID();
    await notifyCitizen(ctx.t, { citizenId: owner, template: 'mydata.new-reader', personalisation: vars, idempotencyKey: 'mine', now: NOON });
    const [item] = await rows<{ id: string }>(ctx.t.db, sql`select id::text as id from notify.inbox where citizen_id = ${owner}::uuid`);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/notify/me/inbox/${item!.id}/read`, headers: { cookie: citizen } })).statusCode).toBe(404);
    const otherAgency = as({ kind: 'official', id: randomUUID(), name: '타기관', agency: 'MOIS', roles: ['agency-admin'] });
    expect((await ctx.app.inject({ method: 'GET', url: `/api/notify/services/${MOHW_SERVICE}/keys`, headers: { cookie: otherAgency } })).statusCode).toBe(403);
    const caseWorker = as({ kind: 'official', id: randomUUID(), name: '주무관', agency: 'MOHW', roles: ['case-worker'] });
    expect((await ctx.app.inject({ method: 'GET', url: `/api/notify/services/${MOHW_SERVICE}/keys`, headers: { cookie: caseWorker } })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/notify/services/${MOHW_SERVICE}/keys`, headers: { cookie: official } })).statusCode).toBe(200);
  });

  it("refuses another agency's administrator and a case worker on every route of a service, and changes nothing", async () => {
    const tpl = (await findTemplate(ctx.t.db, { code: 'benefit-decided', serviceId: MOHW_SERVICE }))!.id;
    const content = { ko: { email: { subject: '안내', body: '((name))님 안내' } }, en: { email: { subject: 'Notice', body: 'Dear ((name))' } } };
    const routes = [
      { method: 'GET', url: `/api/notify/services/${MOHW_SERVICE}/keys` },
      { method: 'POST', url: `/api/notify/services/${MOHW_SERVICE}/keys`, payload: { name: 'stolen', kind: 'live' } },
      { method: 'DELETE', url: `/api/notify/services/${MOHW_SERVICE}/keys/${randomUUID()}` },
      { method: 'PUT', url: `/api/notify/services/${MOHW_SERVICE}/callback`, payload: { url: 'https://attacker.example.com/cb', token: 'attacker-token-1234' } },
      { method: 'GET', url: `/api/notify/services/${MOHW_SERVICE}/templates` },
      { method: 'POST', url: `/api/notify/services/${MOHW_SERVICE}/templates`, payload: { code: 'stolen', name: 'stolen', category: 'transactional', content } },
      { method: 'GET', url: `/api/notify/services/${MOHW_SERVICE}/templates/${tpl}/versions` },
      { method: 'POST', url: `/api/notify/services/${MOHW_SERVICE}/templates/preview`, payload: { content, channel: 'email', language: 'ko', personalisation: { name: '김' } } },
    ] as const;
    const before = await rows(ctx.t.db, sql`select (select count(*) from notify.api_key where service_id = ${MOHW_SERVICE}::uuid) as keys, (select count(*) from notify.template where service_id = ${MOHW_SERVICE}::uuid) as templates, (select callback_url from notify.service where id = ${MOHW_SERVICE}::uuid) as callback`);
    for (const actor of [{ agency: 'MOIS', roles: ['agency-admin'] }, { agency: 'MOHW', roles: ['case-worker'] }]) {
      const cookie = as({ kind: 'official', id: randomUUID(), name: '담당자', ...actor });
      for (const r of routes) {
        const res = await ctx.app.inject({ method: r.method, url: r.url, headers: { cookie }, ...('payload' in r ? { payload: r.payload } : {}) });
        expect(`${r.method} ${r.url} as ${actor.agency} ${actor.roles[0]}: ${res.statusCode}`).toBe(`${r.method} ${r.url} as ${actor.agency} ${actor.roles[0]}: 403`);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect(await rows(ctx.t.db, sql`select (select count(*) from notify.api_key where service_id = ${MOHW_SERVICE}::uuid) as keys, (select count(*) from notify.template where service_id = ${MOHW_SERVICE}::uuid) as templates, (select callback_url from notify.service where id = ${MOHW_SERVICE}::uuid) as callback`)).toEqual(before);
  });
});

describe('an agency telling a citizen', () => {
  it('POST /v2/notifications/citizen picks the citizen\'s channels; the agency never sees their address', async () => {
    const c = randomUUID();
    await citizenWith(ctx.t, c, { email: 'agency-told@example.kr', phone: '010-2000-1003' });
    await setPreferences(ctx.t, c, { channels: ['email'], lang: 'ko', quietStart: '00:00', quietEnd: '00:00', optedOut: [] });
    const key = await apiKey(ctx.t);
    const tpl = (await findTemplate(ctx.t.db, { code: 'benefit-decided', serviceId: MOHW_SERVICE }))!.id;
    const r = await ctx.app.inject({ method: 'POST', url: '/v2/notifications/citizen', headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'decision-1' }, payload: { citizen_id: c, template_id: tpl, personalisation: { name: '김', benefit: '아동수당', decision: '지급 결정' } } });
    expect(r.statusCode).toBe(201);
    expect(r.json().channels.sort()).toEqual(['email', 'inbox']);
    expect(JSON.stringify(r.json())).not.toContain('agency-told@example.kr');
    const again = await ctx.app.inject({ method: 'POST', url: '/v2/notifications/citizen', headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'decision-1' }, payload: { citizen_id: c, template_id: tpl, personalisation: { name: '김', benefit: '아동수당', decision: '지급 결정' } } });
    expect(again.statusCode).toBe(200);
    const push = await ctx.app.inject({ method: 'POST', url: '/v2/notifications/push', headers: { authorization: `Bearer ${key}` }, payload: { citizen_id: c, template_id: tpl, personalisation: { name: '김', benefit: '아동수당', decision: '지급 결정' } } });
    expect(push.statusCode).toBe(400);
    expect(push.json().code).toBe('no_push_subscription');
  });
});
