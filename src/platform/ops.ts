import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { UnauthorizedError } from './errors.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ping } from './db.ts';
import { pendingMigrations } from './migrate.ts';
import type { Platform } from './platform.ts';

const Health = z.object({ status: z.literal('ok') });
const HEALTHY = JSON.stringify({ status: 'ok' });
const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: z.enum(['ok', 'unreachable']), migrations: z.enum(['ok', 'pending', 'unknown']) }),
  pending: z.array(z.string()).optional(),
});

/** Liveness, readiness and Prometheus metrics; none of them is rate limited or logged per call. */
export async function opsRoutes(app: FastifyInstance, opts: { platform: Platform }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { platform } = opts;

  r.get('/healthz', {
    config: { public: true },
    logLevel: 'warn',
    schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: Health } },
  }, async (_req, reply) => {
    // the one answer a probe ever gets, serialized once: probes call this many times a second
    return (reply as FastifyReply).type('application/json; charset=utf-8').send(HEALTHY);
  });

  r.get('/readyz', {
    config: { public: true },
    logLevel: 'warn',
    schema: {
      tags: ['operations'],
      summary: 'Readiness: the database answers and every migration is applied',
      response: { 200: Readiness, 503: Readiness },
    },
  }, async (_req, reply) => {
    let database: 'ok' | 'unreachable' = 'ok';
    let migrations: 'ok' | 'pending' | 'unknown' = 'unknown';
    let pending: string[] | undefined;
    try {
      await ping(platform.db);
      pending = await pendingMigrations(platform.db, platform.migrations);
      migrations = pending.length ? 'pending' : 'ok';
    } catch {
      database = 'unreachable';
    }
    const ready = database === 'ok' && migrations === 'ok';
    reply.status(ready ? 200 : 503);
    return { status: ready ? ('ready' as const) : ('not_ready' as const), checks: { database, migrations }, ...(pending?.length ? { pending } : {}) };
  });

  // operators only: behind a bearer token when one is configured, and never open in production
  const token = platform.config.metricsToken;
  if (token === undefined && platform.config.mode === 'production') return;
  const expected = token === undefined ? undefined : createHash('sha256').update(`Bearer ${token}`).digest();
  app.get('/metrics', { config: { public: true }, logLevel: 'warn', schema: { hide: true } }, async (req, reply) => {
    if (expected) {
      const given = createHash('sha256').update(req.headers.authorization ?? '').digest();
      if (!timingSafeEqual(given, expected)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new UnauthorizedError('a valid bearer token is needed for /metrics');
      }
    }
    reply.type(app.metrics.contentType);
    return app.metrics.metrics();
  });
}
