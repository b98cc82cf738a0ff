import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { createRng } from '../../platform/seed.ts';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { ensureCitizenAccount } from '../identity/accounts.ts';
import { setContacts } from '../identity/contacts.ts';
import { identityModule } from '../identity/index.ts';
import { notifyModule } from './index.ts';
import { notifySeeder, DEMO_SERVICES } from './seed.ts';
import { createApiKey, type KeyKind } from './services.ts';

export const NOTIFY_MODULES = [identityModule, notifyModule];
export const MOHW_SERVICE = DEMO_SERVICES[0]!.id;
export const MOIS_SERVICE = DEMO_SERVICES[1]!.id;

export async function notifyApp(): Promise<{ app: FastifyInstance; t: TestPlatform; close(): Promise<void> }> {
  const { app, platform: t, close } = await testApp({ modules: NOTIFY_MODULES });
  await notifySeeder.run({ platform: t, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  return { app, t, close };
}

export async function apiKey(t: TestPlatform, kind: KeyKind = 'live', service = MOHW_SERVICE): Promise<string> {
  return (await createApiKey(t, service, { name: `${kind} key`, kind }, 'test')).key;
}

/** A citizen with an account and the given contacts. */
export async function citizenWith(t: TestPlatform, citizenId: string, contacts: { email?: string | null; phone?: string | null }): Promise<string> {
  const { id } = await ensureCitizenAccount(t.db, citizenId);
  await setContacts(t, id, { email: contacts.email ?? null, phone: contacts.phone ?? null });
  return id;
}

export interface SinkMessage {
  messageId: string | undefined;
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server for the tests: keeps every message it receives (`received`, duplicates
 * included) and answers a Message-ID it has already accepted without keeping it again
 * (`unique`), as a relay that deduplicates does. `refuse` makes it answer 550 for an address;
 * `down()` closes it.
 */
export async function smtpSink(opts: { refuse?: string[]; delayMs?: number } = {}) {
  const received: SinkMessage[] = [];
  const unique = new Map<string, SinkMessage>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(addr, _s, cb) {
      if (opts.refuse?.includes(addr.address)) return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1];
        const m = { messageId, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw };
        received.push(m);
        if (messageId && !unique.has(messageId)) unique.set(messageId, m);
        setTimeout(() => cb(null, `queued as ${messageId}`), opts.delayMs ?? 0);
      });
    },
  });
  // a client that vanishes mid-session (a killed worker) resets its connection: not the server's failure
  server.on('error', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    unique,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface GatewayRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, any>;
}

/** A fake SMS/AlimTalk gateway over HTTP that records requests; `status` and `results` shape its answers. */
export async function httpGateway(opts: { status?: () => number; resultCode?: (recipientNo: string) => number; port?: number } = {}) {
  const requests: GatewayRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, any>;
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const status = opts.status?.() ?? 200;
      if (status !== 200) return void res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      const list = (body.recipientList ?? []) as Array<{ recipientNo: string; recipientGroupingKey?: string }>;
      const results = list.map((r, i) => ({ recipientSeq: i + 1, recipientNo: r.recipientNo, resultCode: opts.resultCode?.(r.recipientNo) ?? 0, resultMessage: 'ok', recipientGroupingKey: r.recipientGroupingKey }));
      const header = { isSuccessful: true, resultCode: 0, resultMessage: 'SUCCESS' };
      const answer = /alimtalk/.test(req.url ?? '') ? { header, message: { requestId: 'r1', sendResults: results } } : { header, body: { data: { requestId: 'r1', sendResultList: results } } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition') => {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
