import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry; modules add their own metrics to it. */
    metrics: Registry;
  }
}

/** One registry per app (not prom-client's global) so that several apps can live in one test process. */
export const metricsPlugin = fp(
  async (app: FastifyInstance) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'hanaro_' });
    const duration = new Histogram({
      name: 'hanaro_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const errors = new Counter({
      name: 'hanaro_http_server_errors_total',
      help: 'Responses with status 500 or above',
      labelNames: ['route'] as const,
      registers: [registry],
    });
    app.decorate('metrics', registry);
    app.addHook('onResponse', (req, reply, done) => {
      // the route template, never the raw URL: ids in URLs would explode the label set
      const route = req.routeOptions.url ?? 'unmatched';
      duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      if (reply.statusCode >= 500) errors.inc({ route });
      done();
    });
  },
  { name: 'hanaro-metrics' },
);
