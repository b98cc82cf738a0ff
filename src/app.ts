import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { genReqId, httpPlatform, toProblem } from './platform/http.ts';
import { authPlatform } from './platform/auth.ts';
import { metricsPlugin } from './platform/metrics.ts';
import { opsRoutes } from './platform/ops.ts';
import type { HanaroModule } from './platform/module.ts';
import type { Platform } from './platform/platform.ts';
import { portal, renderErrorPage } from './web/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform;
  }
}

export interface AppOptions {
  modules: HanaroModule[];
}

/**
 * The one app factory: platform plugins first, then the portal shell, then each module as an
 * encapsulated plugin. Tests call it with `app.inject()`; `hanaro start` listens.
 */
export async function buildApp(platform: Platform, opts: AppOptions): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    genReqId,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // errors Fastify answers before any hook runs (a path parameter over the limit, a malformed
    // URL): problem+json like every other error, not Fastify's own body
    frameworkErrors: (err, req, reply) => {
      const problem = toProblem(err, req);
      void (reply as unknown as FastifyReply).status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('platform', platform);

  await app.register(metricsPlugin);
  await app.register(httpPlatform, { config, renderErrorPage });
  await app.register(authPlatform, { config });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hanaro API',
        description: 'Hanaro (하나로) digital government platform: module APIs, GovStack building-block APIs and operations endpoints.',
        version: '0.1.0',
      },
      servers: [{ url: config.publicUrl }],
    },
    transform: jsonSchemaTransform,
  });
  // The portal serves the readable API reference at /docs (src/web/docs.tsx); Swagger UI, which
  // needs JavaScript, is the interactive explorer beside it.
  await app.register(swaggerUi, {
    routePrefix: '/docs/explorer',
    // groups start closed: the platform has 140-odd operations, and Swagger UI 5 stopped rendering
    // the fully expanded list part-way through once there were that many (all groups listed, ops
    // rendered when a group is opened, works)
    uiConfig: { docExpansion: 'none' },
    // Swagger UI (React) sets style attributes; allow those on /docs/explorer only, nothing else inline
    transformStaticCSP: (header) => `${header};style-src-attr 'unsafe-inline'`,
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(opsRoutes, { platform });
  await app.register(portal, { platform, modules: opts.modules });
  for (const m of opts.modules) {
    if (m.plugin) await app.register(m.plugin, { platform });
  }
  return app;
}
