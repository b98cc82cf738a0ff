import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Platform } from '../../platform/platform.ts';
import { findSubsystem, listAccessRights, listMembers, listServices, listSubsystems, serviceEndpoints, type Service } from './directory.ts';
import { authenticateClient, claimedClient, CLIENT_HEADER } from './management-auth.ts';
import { badRequest, notFound } from './management-messages.ts';

// The GovStack IM directory services (GovStack_IM_Directory_Services_API.yaml), under
// /govstack/information-mediator with the YAML's own paths. listClients, listMethods and
// getOpenAPI describe what exists (the same for every caller) and only need a well-formed
// X-GovStack-Client where the YAML asks for one; allowedMethods tells a caller what it may call,
// so the caller must prove who it is (signed request, management-auth.ts).

export const PREFIX = '/govstack/information-mediator';

const ObjectType = z.enum(['MEMBER', 'APPLICATION', 'SERVICE']);
export const ClientDetailsList = z.object({
  member: z.array(
    z.object({
      name: z.string(),
      id: z.object({
        objectType: ObjectType,
        instanceId: z.string(),
        memberClass: z.string(),
        memberCode: z.string(),
        applicationCode: z.string().optional(),
      }),
    }),
  ),
});
export const ServiceDetailsList = z.object({
  member: z.array(
    z.object({
      objectType: ObjectType,
      serviceType: z.string(),
      instanceId: z.string(),
      memberClass: z.string(),
      memberCode: z.string(),
      applicationCode: z.string(),
      serviceCode: z.string(),
      serviceVersion: z.string(),
      endpointList: z.object({ member: z.array(z.object({ method: z.string(), path: z.string() })) }),
    }),
  ),
});
type ServiceDetails = z.infer<typeof ServiceDetailsList>['member'][number];

export const ProviderParams = z.object({
  instanceId: z.string().max(64),
  memberClass: z.string().max(64),
  memberCode: z.string().max(64),
  applicationCode: z.string().max(64),
});
export const ClientHeader = z.looseObject({
  [CLIENT_HEADER]: z.string().describe('The calling client subsystem: INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. KR/GOV/MOHW/welfare-services'),
});

/** Members and their subsystems (GovStack "applications") of an instance. */
export async function listClients(db: Db, lang: Lang, instance?: string): Promise<z.infer<typeof ClientDetailsList>> {
  const [members, subsystems] = await Promise.all([listMembers(db, { instance }), listSubsystems(db, { instance })]);
  const byMember = new Map(members.map((m) => [m.id, m]));
  const out: z.infer<typeof ClientDetailsList>['member'] = [];
  for (const m of members) {
    out.push({ name: m.name[lang], id: { objectType: 'MEMBER', instanceId: m.instance, memberClass: m.memberClass, memberCode: m.memberCode } });
    for (const s of subsystems.filter((x) => x.memberId === m.id)) {
      const name = s.name[lang] || byMember.get(s.memberId)!.name[lang];
      out.push({
        name,
        id: { objectType: 'APPLICATION', instanceId: s.instance, memberClass: s.memberClass, memberCode: s.memberCode, applicationCode: s.subsystemCode },
      });
    }
  }
  return { member: out };
}

const details = (s: Service): ServiceDetails => ({
  objectType: 'SERVICE',
  serviceType: 'OPENAPI',
  instanceId: s.instance,
  memberClass: s.memberClass,
  memberCode: s.memberCode,
  applicationCode: s.subsystemCode,
  serviceCode: s.serviceCode,
  serviceVersion: s.version,
  endpointList: { member: serviceEndpoints(s.openapi) },
});

/**
 * The services of a provider subsystem with their endpoints; with `clientId`, only those the
 * client holds an active access right to (allowedMethods). `serviceId` narrows to one service
 * (its code, or its full id).
 */
export async function listMethods(db: Db, providerId: string, opts: { clientId?: string; serviceId?: string } = {}): Promise<ServiceDetails[]> {
  if (!(await findSubsystem(db, providerId))) throw notFound('subsystem_unknown', { id: providerId });
  let services = await listServices(db, { subsystemId: providerId });
  if (opts.serviceId) services = services.filter((s) => s.serviceCode === opts.serviceId || s.id === opts.serviceId);
  if (opts.clientId) {
    const granted = new Set((await listAccessRights(db, { clientId: opts.clientId, providerSubsystemId: providerId })).map((r) => r.serviceId));
    services = services.filter((s) => granted.has(s.id));
  }
  return services.map(details);
}

const providerOf = (p: z.infer<typeof ProviderParams>) => `${p.instanceId}/${p.memberClass}/${p.memberCode}/${p.applicationCode}`;

export async function directoryRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['GovStack Information Mediator: directory'];
  const base = `${PREFIX}/r1/:instanceId/:memberClass/:memberCode/:applicationCode`;

  r.get(
    `${PREFIX}/listClients`,
    {
      schema: {
        tags,
        summary: 'List the members and applications (subsystems) of an instance',
        querystring: z.object({ instanceId: z.string().max(64).optional() }),
        response: { 200: ClientDetailsList },
      },
    },
    async (req) => listClients(platform.db, req.lang, req.query.instanceId),
  );

  const methods = (allowed: boolean) => ({
    schema: {
      tags,
      summary: allowed
        ? 'REST services and endpoints of a provider that the caller has an access right to'
        : 'REST services and endpoints of a provider',
      params: ProviderParams,
      headers: ClientHeader,
      querystring: z.object({ serviceId: z.string().max(300).optional() }),
      response: { 200: ServiceDetailsList },
    },
  });
  r.get(`${base}/listMethods`, methods(false), async (req) => {
    claimedClient(req);
    return { member: await listMethods(platform.db, providerOf(req.params), { serviceId: req.query.serviceId }) };
  });
  r.get(`${base}/allowedMethods`, methods(true), async (req) => {
    const clientId = await authenticateClient(platform, req);
    return { member: await listMethods(platform.db, providerOf(req.params), { clientId, serviceId: req.query.serviceId }) };
  });

  r.get(
    `${base}/getOpenAPI`,
    {
      schema: {
        tags,
        summary: 'The OpenAPI description of a REST service (JSON; also sent for Accept: text/yaml, as JSON is YAML)',
        params: ProviderParams,
        headers: ClientHeader,
        querystring: z.object({ serviceCode: z.string().max(64).optional() }),
      },
    },
    async (req, reply) => {
      claimedClient(req);
      const code = req.query.serviceCode;
      if (!code) throw badRequest('service_code_required');
      const providerId = providerOf(req.params);
      if (!(await findSubsystem(platform.db, providerId))) throw notFound('subsystem_unknown', { id: providerId });
      const service = (await listServices(platform.db, { subsystemId: providerId })).find((s) => s.serviceCode === code);
      if (!service) throw notFound('service_unknown', { id: `${providerId}/${code}` });
      // JSON is a subset of YAML 1.2: a client asking for YAML can read the same text
      const yaml = /\b(text|application)\/(x-)?yaml\b/.test(req.headers.accept ?? '') && !/application\/json/.test(req.headers.accept ?? '');
      return reply.type(yaml ? 'text/yaml; charset=utf-8' : 'application/json; charset=utf-8').send(JSON.stringify(service.openapi, null, 2));
    },
  );
}
