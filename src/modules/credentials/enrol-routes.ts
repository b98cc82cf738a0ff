import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { pageContext, sendPrivatePage } from '../../web/context.ts';
import { qrDataUri } from '../../web/qr.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { signInWithMobileId } from '../identity/index.ts';
import { RESIDENT_ID } from './documents.ts';
import { vctOf } from './issuer.ts';
import { issuerOf } from './offers.ts';
import { renderMobileIdEnrolment } from './verifier-pages.tsx';
import { citizenOfCredential, consumeResult, createRequest, enrolmentRelyingParty, parseDcql, requestLinks, requestOf } from './verifier.ts';

/**
 * 모바일 신분증으로 시작하기: a resident signs up for (or back in to) Hanaro by presenting the
 * mobile resident ID Hanaro issued them. The request asks for the name only; the verified
 * presentation proves the holder has the device the ID is bound to, and its status-list entry
 * tells Hanaro, its issuer, which resident it was issued to. The request is bound to the
 * browser that started it by a signed cookie, so an answer from a phone signs in this browser
 * (cross-device) and the same-device wallet comes back to it.
 */
const COOKIE = 'hanaro-mobile-id';
const PATH = '/enrol/mobile-id';

export async function enrolRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const demo = platform.config.mode === 'demo';
  const secure = platform.config.publicUrl.startsWith('https://');
  const cookieOpts = { path: PATH, sameSite: 'lax' as const, httpOnly: true, signed: true, secure };
  const page = (req: FastifyRequest, reply: FastifyReply, v: Parameters<typeof renderMobileIdEnrolment>[1], status = 200) => {
    const ctx = pageContext(req, { assets, demo });
    return sendPrivatePage(reply, ctx.lang, renderMobileIdEnrolment(ctx, v), status);
  };
  /** The request this browser started (undefined: none, or the cookie was altered). */
  const started = async (req: FastifyRequest) => {
    const raw = req.cookies[COOKIE];
    const id = raw ? req.unsignCookie(raw) : undefined;
    if (!id?.valid || !id.value) return undefined;
    return requestOf(platform, (await enrolmentRelyingParty(platform)).id, id.value);
  };

  app.get(PATH, { schema: { hide: true } }, async (req, reply) => {
    const rp = await enrolmentRelyingParty(platform);
    // the request this browser is waiting on, or a new one
    let id = (await started(req).then((r) => (r?.status === 'pending' ? r.id : undefined))) ?? undefined;
    if (!id) {
      const dcql = parseDcql(platform, { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [vctOf(platform, RESIDENT_ID)] }, claims: [{ path: ['name'] }] }] });
      id = (await createRequest(platform, rp, { dcql, redirectUri: `${issuerOf(platform)}${PATH}/done` }, 'anonymous:enrolment')).id;
      reply.setCookie(COOKIE, id, { ...cookieOpts, maxAge: 15 * 60 });
    }
    const { walletUrl } = requestLinks(platform, rp.clientId, id);
    return page(req, reply, { status: 'pending', qr: await qrDataUri(walletUrl), walletUrl });
  });

  app.get(`${PATH}/status`, { schema: { hide: true } }, async (req, reply) => {
    const r = await started(req);
    return reply.header('cache-control', 'no-store').send({ status: r?.status ?? 'unknown' });
  });

  // where the same-device wallet comes back (its #response_code stays in the browser), and where
  // the page goes once a phone answered
  app.get(`${PATH}/done`, { schema: { hide: true } }, async (req, reply) => {
    const r = await started(req);
    if (!r) return reply.redirect(PATH, 303);
    if (r.status === 'pending') return reply.redirect(PATH, 303);
    if (r.status !== 'verified') {
      reply.clearCookie(COOKIE, cookieOpts);
      return page(req, reply, { status: r.status, error: r.error }, 400);
    }
    const presented = r.result?.credentials.pid?.[0];
    const citizenId = presented?.statusRef ? await citizenOfCredential(platform, presented.statusRef, RESIDENT_ID.id) : undefined;
    reply.clearCookie(COOKIE, cookieOpts);
    // used once: the disclosed name is not kept, and the same answer cannot sign in again
    await consumeResult(platform, r.id);
    if (!citizenId) return page(req, reply, { status: 'unknown' }, 400);
    await signInWithMobileId(platform, reply, citizenId, { presentationRequest: r.id });
    return reply.redirect('/account?done=enrolled#passkeys', 303);
  });
}
