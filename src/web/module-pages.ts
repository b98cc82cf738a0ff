import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireCitizen } from '../platform/auth.ts';
import type { Platform } from '../platform/platform.ts';
import { residentSummary } from '../modules/registries/index.ts';
import { pageContext, requireForm, sendPrivatePage, type PageContext } from './context.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from './shell.ts';

/**
 * What a module's portal pages share: the shell's assets, sending a private page, and the
 * signed-in citizen with the page's context. A browser with nobody signed in is sent to sign in
 * and come back (GET; a post gets 401); an official gets 403.
 */
export function portalPages(platform: Platform) {
  const demo = platform.config.mode === 'demo';
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const page = (reply: FastifyReply, ctx: PageContext, html: string, status = 200) => sendPrivatePage(reply, ctx.lang, html, status);
  async function citizen(req: FastifyRequest, reply: FastifyReply): Promise<{ me: { id: string }; ctx: PageContext } | undefined> {
    if (req.method === 'POST') requireForm(req);
    const actor = await req.actor();
    if (actor.kind === 'anonymous' && req.method === 'GET') {
      void reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 303);
      return undefined;
    }
    const me = await requireCitizen(req);
    const name = (await residentSummary(platform, me.id))?.name ?? '';
    return { me, ctx: pageContext(req, { assets, demo, form: reply, signedIn: { name, official: false } }) };
  }
  return { demo, assets, page, citizen };
}
