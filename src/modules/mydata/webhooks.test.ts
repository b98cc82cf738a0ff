import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../platform/db.ts';
import type { TestPlatform } from '../../platform/testing.ts';
import { runJobs } from '../../platform/worker.ts';
import { seedResidents } from '../registries/test-support.ts';
import { listAgreements, type Agreement } from './agreements.ts';
import { giveConsent, withdrawConsent } from './consents.ts';
import { createWebhook } from './govstack-store.ts';
import { mydataApp } from './test-support.ts';
import { sign, webhookJobs } from './webhooks.ts';

// GovStack Consent webhooks over real HTTP: a receiver registered by the bank hears of consents
// given to the bank and withdrawn (signed with its secret), not of other recipients' consents;
// a receiver that refuses is given up at once, one that fails is retried.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let server: Server;
let url: string;
let me: string;
let bank: Agreement;
let lease: Agreement;
const got: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
let answer = 200;

beforeAll(async () => {
  ({ app, t, close } = await mydataApp());
  [{ id: me }] = (await seedResidents(app, t, [{ serial: 1, name: '김하나', birthDate: '1988-04-04' }])) as unknown as [{ id: string }];
  [bank] = (await listAgreements(t.db, { recipientId: 'hanbank-loans' })) as [Agreement];
  [lease] = (await listAgreements(t.db, { recipientId: 'anshim-lease' })) as [Agreement];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
}, 120_000);
afterAll(async () => {
  server?.close();
  await close?.();
});

describe('consent webhooks', () => {
  it('tells the bank\'s receiver of consents given to it and withdrawn, signed with its secret, and nothing of others\'', async () => {
    const secret = 'bank-webhook-secret-0123456789';
    const hook = await createWebhook(t, { payloadUrl: url, secretKey: secret, events: ['consent.given', 'consent.withdrawn'] }, 'hanbank-loans', 'test');
    // the secret is shown this once, and kept encrypted
    expect(hook.secretKey).toBe(secret);
    const [stored] = await rows<{ secret_key: string }>(t.db, sql`select secret_key from mydata.webhook where id = ${hook.id}::uuid`);
    expect(stored!.secret_key).not.toContain(secret);
    const { record } = await giveConsent(t, me, { agreementId: bank.id, mode: 'once' });
    await giveConsent(t, me, { agreementId: lease.id, mode: 'once' });
    await withdrawConsent(t, me, record.id);
    await runJobs(t, webhookJobs);
    expect(got.map((g) => g.headers['x-hanaro-event'])).toEqual(['consent.given', 'consent.withdrawn']);
    for (const g of got) {
      expect(g.headers['x-hanaro-signature']).toBe(sign(secret, g.body));
      const event = JSON.parse(g.body);
      expect(event.data).toMatchObject({ objectType: 'consentRecord', objectId: record.id, agreementId: bank.id });
      expect(g.headers['idempotency-key']).toBe(event.id);
      // never the citizen
      expect(g.body).not.toContain(me);
    }
    expect(JSON.parse(got[1]!.body).data.state).toBe('withdrawn');
  });

  it('a receiver that refuses (4xx) is given up at once; one that fails (5xx) is retried', async () => {
    got.length = 0;
    answer = 410;
    await giveConsent(t, me, { agreementId: bank.id, mode: 'once' });
    await runJobs(t, webhookJobs);
    expect(got).toHaveLength(1);
    const [dead] = await rows<{ status: string; last_error: string }>(t.db, sql`select status, last_error from platform.outbox where topic = 'mydata.webhook' order by id desc limit 1`);
    expect(dead).toMatchObject({ status: 'dead', last_error: expect.stringContaining('HTTP 410') });
    answer = 503;
    await giveConsent(t, me, { agreementId: bank.id, mode: 'once' });
    await runJobs(t, webhookJobs);
    const [retry] = await rows<{ status: string; attempts: number }>(t.db, sql`select status, attempts from platform.outbox where topic = 'mydata.webhook' order by id desc limit 1`);
    expect(retry).toMatchObject({ status: 'pending', attempts: 1 });
    answer = 200;
  });
});

describe('webhook addresses', () => {
  it('in production only public https hosts: loopback, private and link-local addresses are refused', async () => {
    const { checkWebhookUrl, isPrivateAddress } = await import('./webhooks.ts');
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', 'fe80::1', '100.64.0.1']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '2001:4860:4860::8888']) expect(isPrivateAddress(a), a).toBe(false);
    expect(await checkWebhookUrl('https://127.0.0.1/hooks', true)).toMatch(/not on the public internet/);
    expect(await checkWebhookUrl('https://localhost/hooks', true)).toMatch(/not on the public internet/);
    expect(await checkWebhookUrl('http://example.kr/hooks', true)).toMatch(/https/);
    expect(await checkWebhookUrl('https://unresolvable.invalid/hooks', true)).toMatch(/does not resolve/);
    // demo mode lets a local receiver try things out
    expect(await checkWebhookUrl('http://127.0.0.1/hooks', false)).toBeUndefined();
  });
});
