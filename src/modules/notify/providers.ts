import { createECDH } from 'node:crypto';
import { Pool } from 'undici';
import webpush from 'web-push';
import type { FieldCrypto } from '../../platform/crypto.ts';
import { composeMime, parseMailbox } from './mime.ts';
import { createThreadedSmtpPool } from './smtp-thread.ts';
import { createSmtpPool } from './smtp-client.ts';
import type { Payload } from './send.ts';
import type { Channel } from './templates.ts';

/**
 * The channels' providers behind one interface. A provider sends one message and says what
 * happened in the terms of the delivery-status lifecycle:
 * - `delivered`: the recipient's side has it (the receiving mail server took it; the push
 *   service accepted it; the simulator said so);
 * - `sending`: a gateway took it and a delivery receipt will follow (SMS, AlimTalk);
 * - `permanent-failure`: the address or number does not exist (SMTP 5xx for the recipient,
 *   push 404/410, the gateway's invalid-number result);
 * - `temporary-failure`: the recipient's side failed softly (inbox full) and gave up: final;
 * - `retry`: worth trying again later (SMTP 4xx, gateway 429/5xx, a timeout);
 * - `technical-failure`: our side is wrong (refused credentials, a malformed request): no retry;
 * - `provider-down`: the provider could not be reached at all; nothing was tried, the message is
 *   put back without counting the attempt and the lane pauses (a provider outage loses nothing).
 * Every request carries the message id as its idempotency key (SMTP Message-ID, the gateways'
 * `recipientGroupingKey` and `Idempotency-Key`): a provider that deduplicates drops the resend
 * that follows a worker crash between its acceptance and our record of it.
 */

export type Outcome = 'delivered' | 'sending' | 'permanent-failure' | 'temporary-failure' | 'retry' | 'technical-failure' | 'provider-down';

export interface SendResult {
  outcome: Outcome;
  providerRef?: string;
  /** For operators and the agency: never the recipient's address. */
  reason?: string;
  retryAfterMs?: number;
}

export interface OutgoingMessage {
  id: string;
  channel: Channel;
  lang: 'ko' | 'en';
  payload: Payload;
  /** The sending service's settings (null fields: the platform's defaults). */
  service: { emailFrom: string | null; emailReplyTo: string | null; smsSender: string | null; name: string };
}

export interface Provider {
  name: string;
  send(m: OutgoingMessage, signal: AbortSignal): Promise<SendResult>;
  close(): Promise<void>;
}

// ---- e-mail over SMTP ---------------------------------------------------------------------

const CONNECTION_CODES = new Set(['ECONNECTION', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'EHOSTUNREACH']);

export function classifySmtpError(e: unknown): SendResult {
  const err = e as { code?: string; responseCode?: number; message?: string };
  const code = err.responseCode;
  if (typeof code === 'number' && code >= 500) {
    // a recipient refused for good; a refused sender or message is our problem
    return err.code === 'EENVELOPE' ? { outcome: 'permanent-failure', reason: `SMTP ${code}: recipient refused` } : { outcome: 'technical-failure', reason: `SMTP ${code}: message refused` };
  }
  if (typeof code === 'number' && code >= 400) return { outcome: 'retry', reason: `SMTP ${code}: try again later` };
  if (err.code === 'EAUTH') return { outcome: 'provider-down', reason: 'SMTP authentication failed' };
  if (err.code && CONNECTION_CODES.has(err.code)) return { outcome: 'provider-down', reason: `SMTP relay unreachable (${err.code})` };
  return { outcome: 'retry', reason: `SMTP error${err.code ? ` ${err.code}` : ''}` };
}

export function emailProvider(opts: { url: string; defaultFrom: string; host: string; connections: number; tls?: import('node:tls').ConnectionOptions; thread?: boolean }): Provider {
  // on a thread of its own unless told otherwise (smtp-thread.ts)
  const pool = (opts.thread === false ? createSmtpPool : createThreadedSmtpPool)({ url: opts.url, connections: Math.max(1, Math.min(opts.connections, 64)), name: opts.host, tls: opts.tls });
  const fallback = parseMailbox(opts.defaultFrom);
  return {
    name: 'smtp',
    async send(m) {
      const p = m.payload;
      const from = m.service.emailFrom ? { address: m.service.emailFrom, name: p.fromName ?? m.service.name } : { address: fallback.address, name: p.fromName ?? m.service.name ?? fallback.name };
      const raw = composeMime({
        messageId: `${m.id}@${opts.host}`,
        from,
        to: p.to,
        cc: p.cc,
        replyTo: p.replyTo ?? m.service.emailReplyTo ?? undefined,
        subject: p.subject ?? '',
        body: p.body,
        lang: m.lang,
        headers: { 'X-Hanaro-Notification': m.id },
      });
      try {
        const info = await pool.send({ from: from.address, to: [p.to, ...(p.cc ?? []), ...(p.bcc ?? [])], raw });
        const ref = /queued as (\S+)/i.exec(info.response)?.[1];
        return { outcome: 'delivered', providerRef: ref ?? m.id };
      } catch (e) {
        return classifySmtpError(e);
      }
    },
    close: () => pool.close(),
  };
}

// ---- SMS and AlimTalk gateways over HTTP ----------------------------------------------------

interface GatewayAnswer {
  header?: { isSuccessful?: boolean; resultCode?: number; resultMessage?: string };
  body?: { data?: { requestId?: string; sendResultList?: Array<{ resultCode?: number; resultMessage?: string; recipientGroupingKey?: string }> } };
  message?: { requestId?: string; sendResults?: Array<{ resultCode?: number; resultMessage?: string; recipientGroupingKey?: string }> };
}

function gateway(name: string, opts: { url: string; key: string; connections: number }, build: (m: OutgoingMessage, appKey: string) => { path: string; body: unknown }): Provider {
  const base = new URL(opts.url);
  const [appKey, secret] = [opts.key.slice(0, opts.key.indexOf(':')), opts.key.slice(opts.key.indexOf(':') + 1)];
  const pool = new Pool(base.origin, { connections: Math.max(1, opts.connections), keepAliveTimeout: 30_000, headersTimeout: 15_000, bodyTimeout: 15_000 });
  const prefix = base.pathname.replace(/\/$/, '');
  return {
    name,
    async send(m, signal) {
      const { path, body } = build(m, encodeURIComponent(appKey));
      let res;
      try {
        res = await pool.request({
          method: 'POST',
          path: `${prefix}${path}`,
          headers: { 'content-type': 'application/json;charset=UTF-8', 'x-secret-key': secret, 'idempotency-key': m.id },
          body: JSON.stringify(body),
          signal,
        });
      } catch (e) {
        if (signal.aborted) throw e;
        const code = (e as { code?: string }).code ?? 'error';
        if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { outcome: 'retry', reason: `${name} gateway timed out` };
        return { outcome: 'provider-down', reason: `${name} gateway unreachable (${code})` };
      }
      const text = await res.body.text();
      if (res.statusCode === 429 || res.statusCode >= 500) {
        const after = Number(res.headers['retry-after']);
        return { outcome: res.statusCode >= 500 ? 'provider-down' : 'retry', reason: `${name} gateway HTTP ${res.statusCode}`, retryAfterMs: Number.isFinite(after) ? after * 1000 : undefined };
      }
      if (res.statusCode === 401 || res.statusCode === 403) return { outcome: 'provider-down', reason: `${name} gateway refused our credentials (HTTP ${res.statusCode})` };
      if (res.statusCode >= 400) return { outcome: 'technical-failure', reason: `${name} gateway refused the request (HTTP ${res.statusCode})` };
      let answer: GatewayAnswer;
      try {
        answer = JSON.parse(text) as GatewayAnswer;
      } catch {
        return { outcome: 'retry', reason: `${name} gateway answered something other than JSON` };
      }
      const results = answer.body?.data?.sendResultList ?? answer.message?.sendResults ?? [];
      const mine = results.find((r) => r.recipientGroupingKey === m.id) ?? results[0];
      if (answer.header?.isSuccessful === false || !mine) return { outcome: 'technical-failure', reason: `${name} gateway: ${answer.header?.resultMessage ?? 'no result for the message'}` };
      if (mine.resultCode !== 0) return { outcome: 'permanent-failure', reason: `${name} gateway result ${mine.resultCode}: ${mine.resultMessage ?? ''}`.trim() };
      return { outcome: 'sending', providerRef: m.id };
    },
    close: () => pool.close(),
  };
}

const digits = (e164: string) => (e164.startsWith('+82') ? `0${e164.slice(3)}` : e164.replace(/\D/g, ''));

/** NHN-Cloud-shaped SMS API: `POST {base}/sms/v3.0/appKeys/{appKey}/sender/sms|mms`. */
export function smsProvider(opts: { url: string; key: string; connections: number; defaultSender: string }): Provider {
  return gateway('sms', opts, (m, appKey) => {
    const lms = m.payload.smsKind === 'lms';
    return {
      path: `/sms/v3.0/appKeys/${appKey}/sender/${lms ? 'mms' : 'sms'}`,
      body: {
        body: m.payload.body,
        ...(lms ? { title: m.payload.title ?? m.payload.body.split('\n')[0]!.slice(0, 20) } : {}),
        sendNo: m.service.smsSender ?? opts.defaultSender,
        recipientList: [{ recipientNo: digits(m.payload.to), recipientGroupingKey: m.id }],
        userId: 'hanaro',
      },
    };
  });
}

/** AlimTalk relay shaped like NHN Cloud's: template code, filled-in content, buttons, SMS fallback. */
export function alimtalkProvider(opts: { url: string; key: string; connections: number; senderKey: string; defaultSender: string }): Provider {
  return gateway('alimtalk', opts, (m, appKey) => ({
    path: `/alimtalk/v2.3/appkeys/${appKey}/messages`,
    body: {
      senderKey: opts.senderKey,
      templateCode: m.payload.templateCode,
      recipientList: [
        {
          recipientNo: digits(m.payload.to),
          content: m.payload.body,
          buttons: (m.payload.buttons ?? []).map((b, i) => ({ ordering: i + 1, type: 'WL', name: b.name, linkMo: b.url, linkPc: b.url })),
          // not a KakaoTalk user, or blocked: the relay sends the same text as an SMS or LMS
          resendParameter: { isResend: true, resendType: Buffer.byteLength(m.payload.body) > 90 ? 'LMS' : 'SMS', resendContent: m.payload.body, resendSendNo: m.service.smsSender ?? opts.defaultSender },
          recipientGroupingKey: m.id,
        },
      ],
    },
  }));
}

// ---- web push -----------------------------------------------------------------------------

/** The platform's VAPID key pair, derived from the master key (stable across restarts, nothing to store). */
export function vapidKeys(crypto: FieldCrypto): { publicKey: string; privateKey: string } {
  const d = crypto.deriveKey('notify.vapid');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: d.toString('base64url') };
}

export function pushProvider(opts: { crypto: FieldCrypto; subject: string; agent?: import('node:https').Agent }): Provider {
  const keys = vapidKeys(opts.crypto);
  return {
    name: 'webpush',
    async send(m) {
      const sub = m.payload.push;
      if (!sub) return { outcome: 'technical-failure', reason: 'no push subscription in the message' };
      try {
        const res = await webpush.sendNotification(
          { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
          JSON.stringify({ id: m.id, title: m.payload.title, body: m.payload.body, url: m.payload.url, lang: m.lang }),
          { TTL: 24 * 3600, urgency: 'normal', timeout: 15_000, ...(opts.agent ? { agent: opts.agent } : {}), vapidDetails: { subject: opts.subject, publicKey: keys.publicKey, privateKey: keys.privateKey } },
        );
        return { outcome: 'delivered', providerRef: res.headers?.location ?? m.id };
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) return { outcome: 'permanent-failure', reason: `push subscription gone (HTTP ${status})` };
        if (status === 429 || (status && status >= 500)) return { outcome: 'retry', reason: `push service HTTP ${status}` };
        if (status) return { outcome: 'technical-failure', reason: `push service refused the message (HTTP ${status})` };
        return { outcome: 'retry', reason: 'push service unreachable' };
      }
    },
    close: async () => {},
  };
}

// ---- test keys ----------------------------------------------------------------------------

/**
 * Test keys' messages never leave: the outcome is simulated from the recipient, as Notify's are.
 * `temp-fail@simulator.notify` and numbers ending 0003 fail temporarily, `perm-fail@simulator.notify`
 * and numbers ending 0002 permanently; everything else is delivered.
 */
export const simulator: Provider = {
  name: 'simulator',
  async send(m) {
    const to = m.payload.to.toLowerCase();
    if (to === 'temp-fail@simulator.notify' || to.endsWith('0003')) return { outcome: 'temporary-failure', reason: 'inbox full or phone off (simulated)', providerRef: 'simulated' };
    if (to === 'perm-fail@simulator.notify' || to.endsWith('0002')) return { outcome: 'permanent-failure', reason: 'no such recipient (simulated)', providerRef: 'simulated' };
    return { outcome: 'delivered', providerRef: 'simulated' };
  },
  close: async () => {},
};
