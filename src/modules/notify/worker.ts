import type { Platform } from '../../platform/platform.ts';
import { startWorker, type Worker } from '../../platform/worker.ts';
import { callbackJobs } from './callbacks.ts';
import { startCapture, type Capture } from './capture.ts';
import { startLane, type Lane, type LaneOptions } from './lanes.ts';
import { alimtalkProvider, emailProvider, pushProvider, simulator, smsProvider, type Provider } from './providers.ts';

/**
 * The worker side of notifications: one lane per channel (e-mail, SMS, AlimTalk, push) and one for
 * test keys' simulated messages. Providers come from the configuration; in demo mode a channel
 * without one sends to the local capture servers (capture.ts); in production it stays off and its
 * messages wait in the queue (a warning says so at start).
 */

export interface NotifyWorker {
  lanes: Lane[];
  capture?: Capture;
  /** Runs the agencies' delivery callbacks (outbox topic notify.callback). */
  callbacks: Worker;
  stop(): Promise<void>;
}

/** The token gateways send with receipts: configured, or in demo mode derived from the master key. */
export function receiptToken(platform: Platform): string | undefined {
  return platform.config.notify.receiptToken ?? (platform.config.mode === 'demo' ? platform.crypto.deriveKey('notify.receipt-token').toString('base64url') : undefined);
}

/** Connections to a provider for a lane of `concurrency` messages in flight: a quarter of them (1 to 64). */
export const connectionsFor = (concurrency: number) => Math.max(1, Math.min(64, Math.ceil(concurrency / 4)));

export async function startNotifyWorker(platform: Platform, opts: { providers?: Partial<Record<string, Provider>>; lane?: Partial<LaneOptions> } = {}): Promise<NotifyWorker> {
  const n = platform.config.notify;
  const host = new URL(platform.config.publicUrl).hostname;
  const needsCapture = platform.config.mode === 'demo' && (!n.smtpUrl || !n.smsUrl || !n.alimtalkUrl) && !opts.providers;
  const capture = needsCapture ? await startCapture(platform) : undefined;
  const concurrency = n.laneConcurrency;
  const smtpUrl = n.smtpUrl ?? capture?.smtpUrl;
  const smsUrl = n.smsUrl ?? capture?.gatewayUrl;
  const alimtalkUrl = n.alimtalkUrl ?? capture?.gatewayUrl;
  const providers: Record<string, Provider | undefined> = {
    'notify.email': smtpUrl ? emailProvider({ url: smtpUrl, defaultFrom: n.emailFrom, host, connections: connectionsFor(concurrency) }) : undefined,
    'notify.sms': smsUrl ? smsProvider({ url: smsUrl, key: n.smsKey ?? 'demo:demo', connections: connectionsFor(concurrency), defaultSender: '0215880000' }) : undefined,
    'notify.alimtalk': alimtalkUrl ? alimtalkProvider({ url: alimtalkUrl, key: n.alimtalkKey ?? 'demo:demo', connections: connectionsFor(concurrency), senderKey: 'hanaro', defaultSender: '0215880000' }) : undefined,
    'notify.push': pushProvider({ crypto: platform.crypto, subject: n.vapidSubject }),
    'notify.simulated': simulator,
    ...opts.providers,
  };
  const lanes: Lane[] = [];
  for (const [topic, provider] of Object.entries(providers)) {
    if (!provider) {
      platform.log.warn({ topic }, 'no provider configured for this channel; its messages stay queued (docs/notify.md)');
      continue;
    }
    lanes.push(startLane(platform, { topic, provider, concurrency, ...opts.lane }));
  }
  const callbacks = startWorker(platform, callbackJobs(platform), { concurrency: 8, pollMs: 500, checkTopics: false });
  return {
    lanes,
    capture,
    callbacks,
    async stop() {
      await Promise.all([...lanes.map((l) => l.stop()), callbacks.stop()]);
      await Promise.all(Object.values(providers).map((p) => p?.close()));
      await capture?.close();
    },
  };
}
