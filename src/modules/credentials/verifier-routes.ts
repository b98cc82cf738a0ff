import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { requireOfficial, type Official } from '../../platform/auth.ts';
import { NotFoundError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { officialOrSignIn, pageContext, requireForm, sendPrivatePage } from '../../web/context.ts';
import { qrDataUri } from '../../web/qr.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { findAgency } from '../exchange/index.ts';
import { renderCounter, renderRequest } from './verifier-pages.tsx';
import {
  acceptResponse,
  agencyRelyingParty,
  CHECKS,
  createRequest,
  dcqlOfCheck,
  isCheck,
  listRelyingParties,
  parseDcql,
  requestLinks,
  relyingPartyByApiKey,
  requestObject,
  requestOf,
  ResponseError,
  type CheckId,
  type PresentationRequest,
  type RelyingParty,
} from './verifier.ts';

/**
 * The verifier's HTTP surface: the relying parties' API (`/api/verifier/requests`, API key), the
 * wallet-facing endpoints (the request object by reference and the `direct_post` response URI,
 * open to any origin), the published register of relying parties, and the counter page for
 * officials (`/verifier`).
 */
const COUNTER_JS = readFileSync(new URL('./counter.client.js', import.meta.url));

const Purpose = z.object({ ko: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const NewRequest = z
  .object({
    dcql_query: z.record(z.string(), z.unknown()).optional(),
    check: z.string().max(40).optional(),
    purpose: Purpose.optional(),
    redirect_uri: z.url({ protocol: /^https?$/ }).max(500).optional(),
  })
  .strict()
  .refine((b) => (b.dcql_query === undefined) !== (b.check === undefined), { message: 'give either dcql_query or check' });

const cors = (reply: FastifyReply) => reply.header('access-control-allow-origin', '*').header('cache-control', 'no-store');

export async function verifierRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;

  async function relyingPartyOf(req: FastifyRequest): Promise<RelyingParty> {
    const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const rp = key ? await relyingPartyByApiKey(platform, key) : undefined;
    if (!rp) throw new UnauthorizedError('a relying party API key is required (Authorization: Bearer hrp_…)', 'invalid_api_key');
    return rp;
  }
  const view = (r: PresentationRequest) => ({
    id: r.id,
    status: r.status,
    client_id: r.clientId,
    purpose: r.purpose,
    dcql_query: r.dcql,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    ...(r.answeredAt ? { answered_at: r.answeredAt } : {}),
    ...(r.result ? { result: r.result } : {}),
    ...(r.error ? { error: r.error } : {}),
  });

  // ---- the relying parties' API -----------------------------------------------------------------
  app.post('/api/verifier/requests', { schema: { hide: true, body: NewRequest } }, async (req, reply) => {
    const rp = await relyingPartyOf(req);
    const body = req.body as z.infer<typeof NewRequest>;
    if (body.check !== undefined && !isCheck(body.check)) throw new NotFoundError(`no check ${body.check}; one of ${Object.keys(CHECKS).join(', ')}`, 'unknown_check');
    const dcql = parseDcql(platform, body.dcql_query ?? dcqlOfCheck(platform, body.check as CheckId));
    const made = await createRequest(platform, rp, { dcql, purpose: body.purpose, redirectUri: body.redirect_uri }, `relying-party:${rp.id}`);
    return reply
      .status(201)
      .header('cache-control', 'no-store')
      .header('location', `/api/verifier/requests/${made.id}`)
      .send({
        id: made.id,
        client_id: made.clientId,
        request_uri: made.requestUri,
        authorization_request: made.uri,
        wallet_url: made.walletUrl,
        qr_svg: await QRCode.toString(made.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
        expires_at: made.expiresAt,
      });
  });
  app.get('/api/verifier/requests/:id', { schema: { hide: true, params: z.object({ id: z.string().max(60) }), querystring: z.looseObject({ response_code: z.string().max(100).optional() }) } }, async (req, reply) => {
    const rp = await relyingPartyOf(req);
    const { id } = req.params as { id: string };
    const r = await requestOf(platform, rp.id, id);
    if (!r) throw new NotFoundError('no such request of this relying party', 'request_not_found');
    // same-device: the result goes only to whoever came back with the wallet's response code
    const given = (req.query as { response_code?: string }).response_code;
    const released = r.responseCode === undefined || (r.responseCode !== null && given === r.responseCode);
    const v = view(r);
    if (!released) delete v.result;
    return reply.header('cache-control', 'no-store').send(v);
  });

  // ---- what wallets call ------------------------------------------------------------------------
  const serveRequestObject = async (req: FastifyRequest, reply: FastifyReply) => {
    const jwt = await requestObject(platform, (req.params as { id: string }).id);
    cors(reply);
    if (!jwt) throw new NotFoundError('no such request, or it was answered or has expired', 'request_not_found');
    return reply.type('application/oauth-authz-req+jwt').send(jwt);
  };
  const RequestParams = z.object({ id: z.string().max(60) });
  app.get('/verifier/requests/:id/request.jwt', { schema: { hide: true, params: RequestParams }, config: { public: true } }, serveRequestObject);
  // request_uri_method=post (the wallet's metadata in the body is not needed here)
  app.post('/verifier/requests/:id/request.jwt', { schema: { hide: true, params: RequestParams }, config: { public: true } }, serveRequestObject);

  app.post('/verifier/response', { schema: { hide: true }, config: { public: true } }, async (req, reply) => {
    cors(reply);
    const form = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    try {
      return reply.send(await acceptResponse(platform, form));
    } catch (e) {
      if (e instanceof ResponseError) return reply.status(e.status).send({ error: e.error, error_description: e.message });
      throw e;
    }
  });

  // the register of relying parties: who a client_id is, for wallets to show
  app.get('/credentials/verifiers', { schema: { hide: true, querystring: z.looseObject({ client_id: z.string().max(200).optional() }) } }, async (req, reply) => {
    const want = (req.query as { client_id?: string }).client_id;
    const all = (await listRelyingParties(platform)).filter((rp) => !rp.disabled && (!want || rp.clientId === want));
    cors(reply).header('cache-control', 'public, max-age=60');
    return { relying_parties: all.map((rp) => ({ id: rp.id, client_id: rp.clientId, name: rp.name, kind: rp.kind, purpose: rp.purpose, registered_at: rp.createdAt })) };
  });

  // ---- the counter page -------------------------------------------------------------------------
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const demo = platform.config.mode === 'demo';
  const officialFor = officialOrSignIn;
  const ctxOf = (req: FastifyRequest, reply: FastifyReply, actor: Official) => pageContext(req, { assets, demo, form: reply, signedIn: { name: actor.name, official: true } });
  const counterParty = async (actor: Official) => {
    const member = await findAgency(platform.db, actor.agency);
    return agencyRelyingParty(platform, actor.agency, member?.name ?? { ko: actor.agency, en: actor.agency }, `official:${actor.id}`);
  };
  const checkList = () => (Object.keys(CHECKS) as CheckId[]).map((id) => ({ id, name: CHECKS[id].name }));

  app.get('/verifier', { schema: { hide: true } }, async (req, reply) => {
    const actor = await officialFor(req, reply);
    if (!actor) return reply;
    const ctx = ctxOf(req, reply, actor);
    return sendPrivatePage(reply, ctx.lang, renderCounter(ctx, { checks: checkList() }));
  });
  const CounterForm = z.object({ check: z.string().max(40), purpose: z.string().max(200).optional(), _csrf: z.string().optional() });
  app.post('/verifier/requests', { schema: { hide: true, body: CounterForm } }, async (req, reply) => {
    requireForm(req);
    const actor = await requireOfficial(req);
    const body = req.body as z.infer<typeof CounterForm>;
    if (!isCheck(body.check)) throw new NotFoundError('no such check', 'unknown_check');
    const rp = await counterParty(actor);
    const typed = body.purpose?.trim();
    const purpose = typed ? { ko: typed, en: typed } : { ko: `${rp.name.ko}: ${CHECKS[body.check].name.ko}`, en: `${rp.name.en}: ${CHECKS[body.check].name.en}` };
    const made = await createRequest(platform, rp, { dcql: parseDcql(platform, dcqlOfCheck(platform, body.check)), purpose }, `official:${actor.id}`);
    return reply.redirect(`/verifier/requests/${made.id}?check=${body.check}`, 303);
  });
  const counterRequest = async (req: FastifyRequest, actor: Official) => {
    const rp = await counterParty(actor);
    const r = await requestOf(platform, rp.id, (req.params as { id: string }).id);
    if (!r) throw new NotFoundError('no such request at this counter', 'request_not_found');
    return { rp, r };
  };
  app.get('/verifier/requests/:id', { schema: { hide: true, params: RequestParams, querystring: z.looseObject({ check: z.string().max(40).optional() }) } }, async (req, reply) => {
    const actor = await officialFor(req, reply);
    if (!actor) return reply;
    const { rp, r } = await counterRequest(req, actor);
    const ctx = ctxOf(req, reply, actor);
    const check = (req.query as { check?: string }).check;
    const { uri, walletUrl } = requestLinks(platform, rp.clientId, r.id);
    const html = renderRequest(ctx, {
      request: r,
      checkName: isCheck(check) ? CHECKS[check].name[ctx.lang] : r.purpose[ctx.lang],
      // the QR carries the https link: a phone's camera opens the web wallet, and other wallets read the same parameters
      qr: r.status === 'pending' ? await qrDataUri(walletUrl) : '',
      uri,
      walletUrl,
    });
    return sendPrivatePage(reply, ctx.lang, html);
  });
  app.get('/verifier/requests/:id/status', { schema: { hide: true, params: RequestParams } }, async (req, reply) => {
    const actor = await requireOfficial(req);
    const { r } = await counterRequest(req, actor);
    return reply.header('cache-control', 'no-store').send({ status: r.status });
  });
  app.get('/verifier/counter.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(COUNTER_JS),
  );
}
