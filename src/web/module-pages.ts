import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireCitizen, type Official, type OfficialRole } from '../platform/auth.ts';
import { ForbiddenError } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import { residentSummary } from '../modules/registries/index.ts';
import { officialOrSignIn, pageContext, requireForm, sendPrivatePage, type PageContext } from './context.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from './shell.ts';

/** The console's administration pages: an agency's administrators, or a platform administrator. */
export const AGENCY_ADMINS: { roles: OfficialRole[]; refused: string } = { roles: ['agency-admin', 'platform-admin'], refused: 'only agency administrators' };

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
  /**
   * The signed-in official with the page's context (with `roles`: one of them, else 403). A
   * browser with nobody signed in is sent to sign in (GET; a post gets 401); a citizen gets 403.
   */
  async function official(req: FastifyRequest, reply: FastifyReply, opts: { roles?: OfficialRole[]; refused?: string } = {}): Promise<{ official: Official; ctx: PageContext } | undefined> {
    if (req.method === 'POST') requireForm(req);
    const o = await officialOrSignIn(req, reply);
    if (!o) return undefined;
    if (opts.roles && !o.roles.some((r) => opts.roles!.includes(r))) throw new ForbiddenError(opts.refused ?? `only officials with the role ${opts.roles.join(' or ')}`, 'forbidden');
    return { official: o, ctx: pageContext(req, { assets, demo, form: reply, signedIn: { name: o.name, official: true } }) };
  }
  return { demo, assets, page, citizen, official };
}
