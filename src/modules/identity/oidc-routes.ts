import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { Platform } from '../../platform/platform.ts';
import { allowFormRedirectTo, pageContext, requestLang, requireForm, sendPrivatePage, type SignedIn } from '../../web/context.ts';
import { cacheDirOf, shellAssets, shellStylesheet } from '../../web/shell.ts';
import { govstackAliases, govstackClientManagement } from './govstack.ts';
import { ACR, CLAIMS, OIDC_PREFIX } from './oidc.ts';
import { renderConsent } from './pages.tsx';
import { isRecent, type Session } from './sessions.ts';

/**
 * The OpenID Provider under /oidc (oidc-provider's own Koa app, handed the raw request with the
 * prefix taken off and the body unread), and the interaction pages it sends people to: log in
 * (our passkey sign-in, coming back here) and consent (exactly the claims the client gets).
 */
export async function oidcRoutes(
  app: FastifyInstance,
  opts: { platform: Platform; provider: Provider; session: (req: FastifyRequest) => Promise<Session | undefined>; signedIn: (req: FastifyRequest) => Promise<SignedIn | undefined> },
) {
  const { platform, provider } = opts;
  const demo = platform.config.mode === 'demo';
  const assets = shellAssets(shellStylesheet(cacheDirOf(platform.config)));
  const callback = provider.callback();

  await app.register(async (scope) => {
    // the provider reads the body itself
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    /** Runs the provider on `path` (its own, without the prefix), as an app mounted at /oidc sees it. */
    const run = async (req: FastifyRequest, reply: FastifyReply, path: string) => {
      reply.hijack();
      // oidc-provider finds its mount path from originalUrl vs url
      const raw = req.raw as typeof req.raw & { originalUrl?: string };
      raw.originalUrl = `${OIDC_PREFIX}${path}`;
      raw.url = path;
      await callback(req.raw, reply.raw);
    };
    // the provider checks its own forms (xsrf) and authenticates clients at the token endpoint,
    // whose form-encoded bodies the platform's CSRF check would otherwise refuse
    scope.all(`${OIDC_PREFIX}/*`, { schema: { hide: true }, config: { public: true } }, (req, reply) => run(req, reply, req.url.slice(OIDC_PREFIX.length) || '/'));
    // the same endpoints where the GovStack Identity building block puts them
    govstackAliases(scope, run);
  });

  // the building block's client management (JSON bodies, bearer tokens of management clients)
  await app.register(govstackClientManagement, { platform, provider });

  const r = app.withTypeProvider<ZodTypeProvider>();
  const Params = z.object({ uid: z.string().min(1).max(100) });

  r.get(`${OIDC_PREFIX}/interaction/:uid`, { schema: { hide: true, params: Params } }, async (req, reply) => {
    const details = await provider.interactionDetails(req.raw, reply.raw);
    const session = await opts.session(req);
    if (details.prompt.name === 'login') {
      if (!session || session.actor.kind !== 'citizen') return reply.redirect(`/sign-in?next=${encodeURIComponent(`${OIDC_PREFIX}/interaction/${details.uid}`)}`, 303);
      reply.hijack();
      return provider.interactionFinished(req.raw, reply.raw, {
        login: { accountId: session.accountId, acr: ACR[session.method], amr: session.method === 'passkey' ? ['hwk', 'user'] : [session.method], ts: Math.floor(session.authenticatedAt.getTime() / 1000) },
      }, { mergeWithLastSubmission: false });
    }
    // consent is sensitive: it needs a recent proof of presence (step-up), then lists what the
    // client asked for
    const here = `${OIDC_PREFIX}/interaction/${details.uid}`;
    if (!session || !isRecent(session)) return reply.redirect(`/sign-in/again?next=${encodeURIComponent(here)}`, 303);
    const client = await provider.Client.find(String(details.params.client_id));
    const scopes = String(details.params.scope ?? '').split(' ').filter((s) => s in CLAIMS);
    const claims = [...new Set(scopes.flatMap((s) => CLAIMS[s]!))];
    const ctx = pageContext(req, { assets, demo, form: reply, signedIn: await opts.signedIn(req) });
    // the consent form ends in a redirect to the client: the page's form-action must allow it
    if (typeof details.params.redirect_uri === 'string') allowFormRedirectTo(reply, details.params.redirect_uri);
    const rrnLegalBasis = client?.['urn:hanaro:rrn_legal_basis'] as string | undefined;
    return sendPrivatePage(reply, requestLang(req), renderConsent(ctx, { client: client?.clientName ?? String(details.params.client_id), claims, uid: details.uid, rrnLegalBasis }));
  });

  const Form = z.object({ _csrf: z.string().optional() });
  r.post(`${OIDC_PREFIX}/interaction/:uid/confirm`, { schema: { hide: true, params: Params, body: Form } }, async (req, reply) => {
    requireForm(req);
    const details = await provider.interactionDetails(req.raw, reply.raw);
    const { prompt, params, session } = details;
    if (prompt.name !== 'consent' || !session) return reply.redirect(`${OIDC_PREFIX}/interaction/${details.uid}`, 303);
    // the person agreeing is the one signed in here, and proved it recently
    const mine = await opts.session(req);
    if (!mine || mine.accountId !== session.accountId || !isRecent(mine)) return reply.redirect(`${OIDC_PREFIX}/interaction/${details.uid}`, 303);
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
    if (!grant) return reply.redirect(`${OIDC_PREFIX}/interaction/${details.uid}`, 303);
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await platform.audit.append({ actor: `account:${session.accountId}`, action: 'identity.oidc.consent-given', subject: `client:${String(params.client_id)}`, data: { scope: missing.missingOIDCScope ?? [] } });
    reply.hijack();
    return provider.interactionFinished(req.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
  });

  r.post(`${OIDC_PREFIX}/interaction/:uid/abort`, { schema: { hide: true, params: Params, body: Form } }, async (req, reply) => {
    requireForm(req);
    reply.hijack();
    return provider.interactionFinished(req.raw, reply.raw, { error: 'access_denied', error_description: 'the person did not agree' }, { mergeWithLastSubmission: false });
  });
}
