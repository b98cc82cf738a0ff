import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HanaroModule } from '../src/platform/module.ts';

const Application = z.object({
  id: z.string().uuid(),
  service: z.string().min(1).max(80).describe('The service applied for'),
  status: z.enum(['submitted', 'in_review', 'decided']),
  documents: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0) })).optional(),
});
const Problem = z.object({ code: z.string(), title: z.string() });

/**
 * A stand-in module for the browser tests of /docs: the kinds of documented route modules will
 * have (every method, path, query and header parameters, a body, several responses, an untagged
 * and a deprecated operation, a hidden one), so the page is checked with more than the two probes.
 */
export const sampleModule: HanaroModule = {
  name: 'sample',
  async plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const id = z.object({ id: z.string().uuid().describe('The application id') });
    r.get(
      '/api/sample/applications',
      {
        schema: {
          tags: ['sample'],
          summary: 'List applications',
          description: 'Newest first.\nOnly the caller’s own applications.',
          querystring: z.object({
            status: z.enum(['submitted', 'in_review', 'decided']).optional().describe('Only applications in this state'),
            page: z.coerce.number().int().min(1).default(1),
          }),
          headers: z.object({ 'x-request-id': z.string().min(8).max(80).optional() }),
          response: { 200: z.object({ items: z.array(Application), next: z.number().int().nullable() }) },
        },
      },
      async () => ({ items: [], next: null }),
    );
    r.post(
      '/api/sample/applications',
      {
        schema: {
          tags: ['sample'],
          summary: 'Apply for a service',
          body: Application.pick({ service: true, documents: true }),
          response: { 201: Application.describe('The application as filed'), 409: Problem.describe('Already applied') },
        },
      },
      async (_req, reply) => reply.status(201).send({ id: '00000000-0000-0000-0000-000000000000', service: 'x', status: 'submitted' as const }),
    );
    r.get('/api/sample/applications/:id', { schema: { tags: ['sample'], summary: 'Read one application', params: id, response: { 200: Application, 404: Problem } } }, async () => {
      throw new Error('not used');
    });
    r.put('/api/sample/applications/:id', { schema: { tags: ['sample'], summary: 'Replace an application', params: id, body: Application.omit({ id: true }) } }, async () => ({}));
    r.patch('/api/sample/applications/:id', { schema: { tags: ['sample'], summary: 'Change the service', params: id, body: Application.pick({ service: true }).partial() } }, async () => ({}));
    r.delete('/api/sample/applications/:id', { schema: { tags: ['sample'], summary: 'Withdraw an application', deprecated: true, params: id, response: { 204: z.null().describe('Withdrawn') } } }, async () => null);
    r.get('/api/sample/untagged', { schema: { summary: 'An operation without a tag' } }, async () => ({}));
    r.get('/api/sample/internal', { schema: { hide: true } }, async () => ({}));
  },
};
