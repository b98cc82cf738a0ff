import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Problem } from '../platform/errors.ts';
import type { HanaroModule } from '../platform/module.ts';
import type { Platform } from '../platform/platform.ts';

// PLACEHOLDER: the portal shell work replaces this with Preact SSR pages and KRDS styles.
export async function portal(app: FastifyInstance, opts: { platform: Platform; modules: HanaroModule[] }) {
  void opts;
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="${req.lang}"><head><meta charset="utf-8"><title>하나로</title></head><body><main><h1>하나로</h1></main></body></html>`;
  });
}

export function renderErrorPage(problem: Problem, req: FastifyRequest): string {
  return `<!doctype html><html lang="${req.lang}"><head><meta charset="utf-8"><title>${problem.status}</title></head><body><main><h1>${problem.status}</h1></main></body></html>`;
}
