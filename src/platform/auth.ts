import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config.ts';
import { ForbiddenError, UnauthorizedError } from './errors.ts';

/**
 * Who is calling. Every route decides which actors may call it (ARCHITECTURE.md §4); this file
 * gives routes one way to ask. How an actor is established (a passkey session, an OIDC token) is
 * not the platform's business: modules add resolvers, and the first one that knows the request
 * wins. The identity module brings the real sessions; until then, and only in demo mode, a signed
 * demo cookie set by `/dev/sign-in` stands in so the officials' console can be tried.
 */
/** `information-sharing`: may look citizens' data up under a legal basis without consent (행정정보 공동이용 담당). */
export type OfficialRole = 'case-worker' | 'agency-admin' | 'platform-admin' | 'auditor' | 'information-sharing';
export const OFFICIAL_ROLES: readonly OfficialRole[] = ['case-worker', 'agency-admin', 'platform-admin', 'auditor', 'information-sharing'];

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'citizen'; id: string }
  | { kind: 'official'; id: string; name: string; agency: string; roles: OfficialRole[] };
export type Official = Extract<Actor, { kind: 'official' }>;

export type ActorResolver = (req: FastifyRequest) => Promise<Actor | undefined> | Actor | undefined;

declare module 'fastify' {
  interface FastifyRequest {
    /** The calling actor, resolved once per request. */
    actor(): Promise<Actor>;
  }
  interface FastifyInstance {
    /** Adds a way of recognising actors (identity sessions, tokens, the demo cookie). */
    addActorResolver(resolver: ActorResolver): void;
  }
}

const ANONYMOUS: Actor = { kind: 'anonymous' };
const RESOLVED = Symbol('actor');

/** The demo stand-in for a signed-in official: a signed cookie holding the actor (demo mode only). */
export const DEMO_ACTOR_COOKIE = 'hanaro-demo-actor';

function isActor(v: unknown): v is Actor {
  if (!v || typeof v !== 'object') return false;
  const a = v as Record<string, unknown>;
  if (a.kind === 'citizen') return typeof a.id === 'string';
  if (a.kind === 'official') {
    return (
      typeof a.id === 'string' &&
      typeof a.name === 'string' &&
      typeof a.agency === 'string' &&
      Array.isArray(a.roles) &&
      a.roles.every((r) => (OFFICIAL_ROLES as readonly unknown[]).includes(r))
    );
  }
  return false;
}

export function demoActorResolver(req: FastifyRequest): Actor | undefined {
  const raw = req.cookies[DEMO_ACTOR_COOKIE];
  if (!raw) return undefined;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  try {
    const parsed: unknown = JSON.parse(unsigned.value);
    return isActor(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Sets the demo actor cookie (demo mode only; the caller checks the mode). */
export function setDemoActor(reply: FastifyReply, actor: Actor | undefined): void {
  const opts = { path: '/', sameSite: 'lax' as const, httpOnly: true, signed: true };
  if (!actor || actor.kind === 'anonymous') reply.clearCookie(DEMO_ACTOR_COOKIE, opts);
  else reply.setCookie(DEMO_ACTOR_COOKIE, JSON.stringify(actor), { ...opts, maxAge: 8 * 3600 });
}

/** Registers `request.actor()` and `app.addActorResolver()`; needs @fastify/cookie (httpPlatform). */
export const authPlatform = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const resolvers: ActorResolver[] = [];
    if (opts.config.mode === 'demo') resolvers.push(demoActorResolver);
    app.decorate('addActorResolver', (r: ActorResolver) => void resolvers.push(r));
    app.decorateRequest('actor', async function (this: FastifyRequest & { [RESOLVED]?: Promise<Actor> }) {
      this[RESOLVED] ??= (async () => {
        for (const r of resolvers) {
          const found = await r(this);
          if (found) return found;
        }
        return ANONYMOUS;
      })();
      return this[RESOLVED];
    });
  },
  { name: 'hanaro-auth', dependencies: ['hanaro-http'] },
);

/**
 * The calling official, if they belong to `agency` (when given) and hold one of `roles` (when
 * given); a platform administrator may act for any agency. 401 without anyone signed in, 403
 * for a citizen or the wrong agency or role.
 */
export async function requireOfficial(req: FastifyRequest, opts: { agency?: string; roles?: OfficialRole[] } = {}): Promise<Official> {
  const actor = await req.actor();
  // a signed-in citizen is known but not allowed (403); nobody signed in is asked to (401)
  if (actor.kind === 'citizen') throw new ForbiddenError('officials only', 'officials_only');
  if (actor.kind !== 'official') throw new UnauthorizedError();
  const admin = actor.roles.includes('platform-admin');
  if (opts.agency && actor.agency !== opts.agency && !admin) throw new ForbiddenError();
  if (opts.roles && !opts.roles.some((r) => actor.roles.includes(r)) && !admin) throw new ForbiddenError();
  return actor;
}

/** The calling citizen; 401 without anyone signed in, 403 for an official. */
export async function requireCitizen(req: FastifyRequest): Promise<Extract<Actor, { kind: 'citizen' }>> {
  const actor = await req.actor();
  if (actor.kind === 'official') throw new ForbiddenError('citizens only', 'citizens_only');
  if (actor.kind !== 'citizen') throw new UnauthorizedError();
  return actor;
}
