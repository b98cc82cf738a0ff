import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { evidenceRoutes } from './evidence.ts';
import { XRoadError } from './protocol-errors.ts';
import { mediate, mediator, type Incoming, type Outgoing } from './protocol-pipeline.ts';

export { invalidateDirectoryCache, mediatedCall, type MediatedCall, type MediatedResponse } from './protocol-call.ts';
export { clientKeySeeder, createClientKey } from './client-keys.ts';
export { exchangeCli } from './protocol-cli.ts';
export { verifyMessageLog } from './message-log-verify.ts';

/**
 * The X-Road message protocol for REST (PR-REST r1) at `/r1/{instance}/{class}/{member}/{subsystem}/{service}[/path]`,
 * for every method, and `mediatedCall` for in-process callers; both run the same pipeline
 * (protocol-pipeline.ts). Choices are written up in .work/exchange-protocol-notes.md.
 */
function incoming(req: FastifyRequest, t0: number): Incoming {
  const origin = `${req.protocol}://${req.host}`;
  let url: URL;
  try {
    url = new URL(req.url, origin);
  } catch {
    url = new URL(req.url, 'http://invalid.invalid');
  }
  const raw = req.raw.rawHeaders;
  return {
    method: req.method,
    target: req.url,
    url,
    headers: req.headers,
    occurrences: (name) => {
      let n = 0;
      for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) n++;
      return n;
    },
    body: Buffer.isBuffer(req.body) ? req.body : undefined,
    receivedAt: Date.now(),
    t0,
    lang: req.lang,
    requestId: req.id,
  };
}

const send = (reply: FastifyReply, out: Outgoing) => reply.status(out.status).headers(out.headers).send(out.body);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The `/r1/…` routes, in their own scope: every body is taken as bytes and every error is an X-Road error. */
async function r1Routes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const m = mediator(opts.platform);
  // the signature covers the exact bytes (Content-Digest), and X-Road carries any payload type
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: m.bodyLimit }, (_req, body, done) => done(null, body));
  // errors before the handler (body too large, bad Content-Length) still get an X-Road answer and a log entry
  app.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const early =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? new XRoadError('Client.PayloadTooLarge', `the body is larger than ${m.bodyLimit} bytes`)
        : typeof err.statusCode === 'number' && err.statusCode < 500
          ? new XRoadError('Client.InvalidRequest', 'the request could not be read')
          : new XRoadError('Server.ServerProxy.InternalError', 'the mediator failed while handling the request');
    if (early.status >= 500) req.log.error({ err }, 'mediation failed');
    return send(reply, await mediate(m, { ...incoming(req, performance.now()), body: undefined }, early));
  });
  const handler = async (req: FastifyRequest, reply: FastifyReply) => send(reply, await mediate(m, incoming(req, performance.now())));
  // signed machine-to-machine requests: no CSRF token and no per-address rate limit (public)
  const route = { config: { public: true }, schema: { hide: true }, bodyLimit: m.bodyLimit, exposeHeadRoute: false };
  app.route({ method: METHODS, url: '/r1', ...route, handler });
  app.route({ method: METHODS, url: '/r1/*', ...route, handler });
}

export async function protocolPlugin(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  await app.register(r1Routes, opts);
  await app.register(evidenceRoutes, opts);
}
