import type { Names } from './directory.ts';
import { govstackAppId } from './directory-ids.ts';

/**
 * The OpenAPI description of a publisher's `events` service: GovStack asks that each event type
 * come with a description of its payload. Pushed events are OpenAPI 3.1 `webhooks` (the
 * mediator calls the subscriber), pulled ones are the pull paths of the room; both carry the
 * event type's JSON Schema as `event`.
 */
export function eventsServiceOpenApi(
  publisherId: string,
  publisherName: Names,
  types: Array<{ eventType: string; title: Names; schema: Record<string, unknown> }>,
): Record<string, unknown> {
  const room = `/govstack/information-mediator/r1/${publisherId}`;
  const item = (t: (typeof types)[number]) => ({
    type: 'object',
    required: ['id', 'eventType', 'event'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      sequence: { type: 'integer' },
      publisherId: { type: 'object', const: govstackAppId(publisherId) },
      eventType: { type: 'string', const: t.eventType },
      publishedAt: { type: 'string', format: 'date-time' },
      event: t.schema,
    },
  });
  const paths: Record<string, unknown> = {};
  const webhooks: Record<string, unknown> = {};
  for (const t of types) {
    const content = { 'application/json': { schema: item(t) } };
    paths[`/pull/v1/${t.eventType}`] = {
      get: {
        summary: `${t.title.ko} / ${t.title.en}: next unacknowledged event (PULL)`,
        operationId: `pull-${t.eventType}`,
        responses: { '200': { description: 'Event', content }, '404': { description: 'No event available' } },
      },
    };
    paths[`/pull/v1/${t.eventType}/{eventId}`] = {
      delete: {
        summary: `${t.title.ko} / ${t.title.en}: confirm an event`,
        operationId: `confirm-${t.eventType}`,
        parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '204': { description: 'Event acknowledged' }, '404': { description: 'No such event waiting' } },
      },
    };
    webhooks[t.eventType] = {
      post: {
        summary: `${t.title.ko} / ${t.title.en}: delivered to PUSH subscribers`,
        requestBody: { required: true, content },
        responses: { '200': { description: 'Received (any 2xx)' } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${publisherName.ko} 이벤트 / ${publisherName.en} events`,
      version: '1.0',
      description: 'Events published through the GovStack Information Mediator pub/sub API. Subscribing needs an access right to this service.',
    },
    servers: [{ url: room }],
    paths,
    webhooks,
  };
}
