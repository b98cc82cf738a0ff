import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { findSubsystem } from './directory.ts';
import { ClientHeader, PREFIX, ProviderParams } from './directory-routes.ts';
import { authenticateClient } from './management-auth.ts';
import { badRequest, notFound } from './management-messages.ts';
import { createEventType, deleteEvent, deleteEventType, eventStatus, findEventType, listEventTypes, publishEvent } from './pubsub.ts';
import {
  confirmEvent,
  getSubscription,
  listSubscriptions,
  pullEvent,
  subscribe,
  subscriptionItem,
  unsubscribe,
  updateSubscription,
} from './pubsub-subscriptions.ts';

// The GovStack IM pub/sub API (GovStack_IM_PubSub_API.yaml) with the YAML's paths, bodies and
// status codes. The room ({instanceId}/{memberClass}/{memberCode}/{applicationCode}) is the
// publisher subsystem; the caller is whoever signed as X-GovStack-Client (management-auth.ts).

const AppId = z.object({ instanceId: z.string(), memberClass: z.string(), memberCode: z.string(), applicationCode: z.string() });
const EventTypeName = z.string().min(1).max(64);
const Uuid = z.string().max(64);

export const EventTypeBody = z.object({
  eventType: EventTypeName,
  schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the event payload'),
  title: z.object({ ko: z.string().max(200), en: z.string().max(200) }).optional().describe('Hanaro extension: ko/en title'),
});
export const PublishBody = z.object({ eventType: EventTypeName, event: z.record(z.string(), z.unknown()) });
export const EventItem = z.object({
  id: z.string(),
  sequence: z.number().int(),
  publisherId: AppId,
  eventType: z.string(),
  publishedAt: z.string().describe('Hanaro extension: when the mediator accepted the event'),
  event: z.record(z.string(), z.unknown()),
});
export const SubscriptionItem = z.object({
  id: z.string().optional(),
  subscriberId: AppId.partial().optional(),
  eventType: EventTypeName,
  delivery: z.enum(['PUSH', 'PULL']).optional(),
  options: z
    .object({
      TTL: z.number().int().min(1).max(30 * 86_400).optional(),
      FIFO: z.boolean().optional(),
      pushUrl: z.string().max(2000).optional().describe('Hanaro extension: where PUSH deliveries are POSTed'),
    })
    .optional(),
});
const SubscriptionView = SubscriptionItem.required({ id: true, subscriberId: true, delivery: true, options: true });
const EventStatus = EventItem.extend({
  deleted: z.boolean(),
  status: z.object({ subscribers: z.number(), pending: z.number(), delivered: z.number(), failed: z.number(), cancelled: z.number() }),
  deliveries: z.array(
    z.object({
      subscriberId: z.string(),
      delivery: z.enum(['PUSH', 'PULL']),
      status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
      attempts: z.number(),
      lastError: z.string().nullable(),
      lastAttemptAt: z.string().nullable(),
      deliveredAt: z.string().nullable(),
    }),
  ),
});

/** The YAML's "204: not defined" answers of routes that otherwise answer 200 with a body. */
const noContent = (reply: unknown) => (reply as FastifyReply).code(204).send();
const roomOf = (p: z.infer<typeof ProviderParams>) => `${p.instanceId}/${p.memberClass}/${p.memberCode}/${p.applicationCode}`;
const TypeParams = ProviderParams.extend({ eventType: EventTypeName });
const EventParams = TypeParams.extend({ eventId: Uuid });

export async function pubsubRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = `${PREFIX}/r1/:instanceId/:memberClass/:memberCode/:applicationCode`;
  const tag = (t: string) => [`GovStack Information Mediator: pub/sub (${t})`];

  /** The authenticated caller and the room, which must be a subsystem in the directory. */
  async function who(req: FastifyRequest) {
    const caller = await authenticateClient(platform, req);
    const room = roomOf(req.params as z.infer<typeof ProviderParams>);
    if (!(await findSubsystem(platform.db, room))) throw notFound('subsystem_unknown', { id: room });
    return { caller, room };
  }
  const sameType = (path: string, body: string | undefined) => {
    if (body !== undefined && body !== path) throw badRequest('event_type_mismatch', { body, path });
  };

  // ---- event types (admin) ----
  r.post(
    `${base}/api/v1/eventType`,
    { schema: { tags: tag('admin'), summary: 'Create an event type in the room (publisher only)', params: ProviderParams, headers: ClientHeader, body: EventTypeBody, response: { 200: EventTypeBody } } },
    async (req) => {
      const { caller, room } = await who(req);
      const t = await createEventType(platform, { caller, publisherId: room, eventType: req.body.eventType, schema: req.body.schema, title: req.body.title });
      return { eventType: t.eventType, schema: t.schema, title: t.title };
    },
  );
  r.get(
    `${base}/api/v1/eventType`,
    { schema: { tags: tag('admin'), summary: 'Event types of the room (204 when none)', params: ProviderParams, headers: ClientHeader, response: { 200: z.array(z.string()) } } },
    async (req, reply) => {
      const { room } = await who(req);
      const types = await listEventTypes(platform.db, room);
      return types.length ? types.map((t) => t.eventType) : noContent(reply);
    },
  );
  r.get(
    `${base}/api/v1/eventType/:eventType`,
    { schema: { tags: tag('admin'), summary: 'An event type and its schema (204 when not defined)', params: TypeParams, headers: ClientHeader, response: { 200: EventTypeBody } } },
    async (req, reply) => {
      const { room } = await who(req);
      const t = await findEventType(platform.db, room, req.params.eventType);
      return t ? { eventType: t.eventType, schema: t.schema, title: t.title } : noContent(reply);
    },
  );
  r.delete(
    `${base}/api/v1/eventType/:eventType`,
    { schema: { tags: tag('admin'), summary: 'Delete an event type (publisher only); its subscriptions end', params: TypeParams, headers: ClientHeader } },
    async (req, reply) => {
      const { caller, room } = await who(req);
      await deleteEventType(platform, { caller, publisherId: room, eventType: req.params.eventType });
      return reply.code(204).send();
    },
  );

  // ---- publishing ----
  r.post(
    `${base}/pub/v1/:eventType`,
    {
      schema: {
        tags: tag('pub'),
        summary: 'Publish an event (publisher only); answers its id',
        params: TypeParams,
        headers: ClientHeader,
        body: PublishBody,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => {
      const { caller, room } = await who(req);
      sameType(req.params.eventType, req.body.eventType);
      const input = { caller, publisherId: room, eventType: req.params.eventType, event: req.body.event };
      const { id } = await platform.db.transaction((tx) => publishEvent(tx as unknown as Db, input));
      return reply.code(201).send({ id });
    },
  );
  r.get(
    `${base}/pub/v1/:eventType/:eventId`,
    { schema: { tags: tag('pub'), summary: 'A published event and its delivery to each subscriber (publisher only)', params: EventParams, headers: ClientHeader, response: { 200: EventStatus } } },
    async (req) => {
      const { caller, room } = await who(req);
      return eventStatus(platform.db, { caller, publisherId: room, eventType: req.params.eventType, id: req.params.eventId });
    },
  );
  r.delete(
    `${base}/pub/v1/:eventType/:eventId`,
    { schema: { tags: tag('pub'), summary: 'Stop delivering an event (publisher only)', params: EventParams, headers: ClientHeader } },
    async (req, reply) => {
      const { caller, room } = await who(req);
      await deleteEvent(platform, { caller, publisherId: room, eventType: req.params.eventType, id: req.params.eventId });
      return reply.code(204).send();
    },
  );

  // ---- subscriptions ----
  r.get(
    `${base}/api/v1/subs`,
    { schema: { tags: tag('sub'), summary: "The caller's subscriptions in the room", params: ProviderParams, headers: ClientHeader, response: { 200: z.array(SubscriptionView) } } },
    async (req) => {
      const { caller, room } = await who(req);
      return (await listSubscriptions(platform.db, caller, room)).map(subscriptionItem);
    },
  );
  r.post(
    `${base}/api/v1/subs/:eventType`,
    {
      schema: {
        tags: tag('sub'),
        summary: 'Subscribe the caller (needs an access right to the room\'s events service)',
        params: TypeParams,
        headers: ClientHeader,
        body: SubscriptionItem,
        response: { 200: SubscriptionView },
      },
    },
    async (req) => {
      const { caller, room } = await who(req);
      sameType(req.params.eventType, req.body.eventType);
      const s = await subscribe(platform, { subscriberId: caller, publisherId: room, eventType: req.params.eventType, delivery: req.body.delivery, options: req.body.options });
      return subscriptionItem(s);
    },
  );
  r.get(
    `${base}/api/v1/subs/:eventType`,
    { schema: { tags: tag('sub'), summary: "The caller's subscription to an event type", params: TypeParams, headers: ClientHeader, response: { 200: SubscriptionView } } },
    async (req) => {
      const { caller, room } = await who(req);
      return subscriptionItem(await getSubscription(platform.db, caller, room, req.params.eventType));
    },
  );
  r.patch(
    `${base}/api/v1/subs/:eventType`,
    { schema: { tags: tag('sub'), summary: 'Change delivery mode, push address or options', params: TypeParams, headers: ClientHeader, body: SubscriptionItem, response: { 201: SubscriptionView } } },
    async (req, reply) => {
      const { caller, room } = await who(req);
      sameType(req.params.eventType, req.body.eventType);
      const s = await updateSubscription(platform, { subscriberId: caller, publisherId: room, eventType: req.params.eventType, delivery: req.body.delivery, options: req.body.options });
      return reply.code(201).send(subscriptionItem(s));
    },
  );
  r.delete(
    `${base}/api/v1/subs/:eventType`,
    { schema: { tags: tag('sub'), summary: 'Unsubscribe; undelivered events are cancelled', params: TypeParams, headers: ClientHeader } },
    async (req, reply) => {
      const { caller, room } = await who(req);
      await unsubscribe(platform, { subscriberId: caller, publisherId: room, eventType: req.params.eventType });
      return reply.code(204).send();
    },
  );

  // ---- PULL delivery ----
  r.get(
    `${base}/pull/v1/:eventType`,
    { schema: { tags: tag('sub'), summary: 'The next unacknowledged event (PULL subscriptions)', params: TypeParams, headers: ClientHeader, response: { 200: EventItem } } },
    async (req) => {
      const { caller, room } = await who(req);
      return pullEvent(platform, { subscriberId: caller, publisherId: room, eventType: req.params.eventType });
    },
  );
  r.delete(
    `${base}/pull/v1/:eventType/:eventId`,
    { schema: { tags: tag('sub'), summary: 'Acknowledge a pulled event', params: EventParams, headers: ClientHeader } },
    async (req, reply) => {
      const { caller, room } = await who(req);
      await confirmEvent(platform, { subscriberId: caller, publisherId: room, eventType: req.params.eventType, eventId: req.params.eventId });
      return reply.code(204).send();
    },
  );
}
