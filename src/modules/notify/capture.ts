import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { rows } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { applyReceipts } from './callbacks.ts';

/**
 * Demo mode's stand-ins for the outside world, so that a newcomer sees what the platform sends:
 * a real SMTP server and an HTTP gateway speaking the SMS and AlimTalk providers' API, both on
 * local ports, keeping what they receive in `notify.captured` (shown at /dev/mail and /dev/sms).
 * The gateway answers like a provider and then reports delivery back through the receipt path.
 * A message arriving twice under the same id is stored once: the capture deduplicates as real
 * gateways do on their grouping key. Production mode never starts them.
 */

export interface Capture {
  smtpUrl: string;
  gatewayUrl: string;
  close(): Promise<void>;
}

function decodeBody(raw: string): { subject?: string; body: string; messageId?: string; to?: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1];
  const words = (v?: string) => v?.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_m, b: string) => Buffer.from(b, 'base64').toString('utf8'));
  const b64 = /base64/i.test(header('Content-Transfer-Encoding') ?? '');
  const bodyText = raw.slice(split + 4);
  return { subject: words(header('Subject')), body: b64 ? Buffer.from(bodyText.replace(/\s+/g, ''), 'base64').toString('utf8') : bodyText, messageId: header('Message-ID')?.replace(/[<>]/g, ''), to: header('To')?.replace(/[<>]/g, '') };
}

async function store(platform: Platform, c: { channel: 'email' | 'sms' | 'alimtalk'; key: string | null; recipient: string; subject?: string | null; body: string; raw?: string | null }): Promise<boolean> {
  if (c.key) {
    const [seen] = await rows(platform.db, sql`select 1 from notify.captured where channel = ${c.channel} and message_key = ${c.key} limit 1`);
    if (seen) return false;
  }
  await platform.db.execute(sql`insert into notify.captured (channel, message_key, recipient, subject, body, raw) values (${c.channel}, ${c.key}, ${c.recipient}, ${c.subject ?? null}, ${c.body}, ${c.raw ?? null})`);
  return true;
}

export async function startCapture(platform: Platform): Promise<Capture> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'Hanaro demo mail capture',
    size: 10 << 20,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const m = decodeBody(raw);
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        store(platform, { channel: 'email', key: m.messageId ?? null, recipient: to, subject: m.subject, body: m.body, raw }).then(
          () => cb(null, `queued as ${m.messageId ?? 'capture'}`),
          (e: Error) => cb(Object.assign(new Error('capture failed'), { responseCode: 451, cause: e })),
        );
      });
    },
  });
  // a client that drops its connection mid-session is not a reason to stop (an unhandled 'error' would end the process)
  smtp.on('error', (err) => platform.log.debug({ err }, 'demo mail capture: a client connection failed'));
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let body: Record<string, any>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"header":{"isSuccessful":false,"resultCode":-1,"resultMessage":"invalid JSON"}}');
          return;
        }
        const alimtalk = /\/alimtalk\//.test(req.url ?? '');
        const list = (body.recipientList ?? []) as Array<{ recipientNo: string; recipientGroupingKey?: string; content?: string }>;
        const results = [];
        for (const [i, r] of list.entries()) {
          const text = alimtalk ? String(r.content ?? '') : String(body.body ?? '');
          await store(platform, { channel: alimtalk ? 'alimtalk' : 'sms', key: r.recipientGroupingKey ?? null, recipient: r.recipientNo, subject: alimtalk ? String(body.templateCode ?? '') : (body.title ?? null), body: text });
          results.push({ recipientSeq: i + 1, recipientNo: r.recipientNo, resultCode: 0, resultMessage: 'SUCCESS', recipientGroupingKey: r.recipientGroupingKey });
        }
        const header = { isSuccessful: true, resultCode: 0, resultMessage: 'SUCCESS' };
        const answer = alimtalk ? { header, message: { requestId: `capture-${Date.now()}`, sendResults: results } } : { header, body: { data: { requestId: `capture-${Date.now()}`, statusCode: '2', sendResultList: results } } };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        // a phone got it: the delivery receipt follows, as a provider's would
        const refs = results.map((r) => r.recipientGroupingKey).filter((k): k is string => Boolean(k));
        setTimeout(() => void applyReceipts(platform, alimtalk ? 'alimtalk' : 'sms', refs.map((ref) => ({ ref, status: 'delivered' as const }))).catch(() => {}), 200).unref();
      })().catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const gatewayPort = (http.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    close: async () => {
      await new Promise<void>((r) => smtp.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

export interface Captured {
  id: number;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  receivedAt: Date;
}

export async function listCaptured(platform: Platform, channels: string[], limit = 50): Promise<Captured[]> {
  const r = await rows<{ id: unknown; channel: string; recipient: string; subject: string | null; body: string; received_at: Date | string }>(
    platform.db,
    sql`select id, channel, recipient, subject, body, received_at from notify.captured where channel in (${sql.join(channels.map((c) => sql`${c}`), sql`, `)}) order by id desc limit ${limit}`,
  );
  return r.map((x) => ({ id: Number(x.id), channel: x.channel, recipient: x.recipient, subject: x.subject, body: x.body, receivedAt: new Date(x.received_at) }));
}
