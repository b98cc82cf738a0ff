import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError, PlatformError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { applicationsVisibleTo, person, visibleApplication, type Person } from './access.ts';
import { withdrawApplication } from './applications.ts';
import { allParts, BUNDLES, type Bundle } from './bundles.ts';
import type { Application } from './store.ts';

/**
 * The GovStack Workflow building block API under /govstack/workflow/ where it fits the one-stop
 * applications (specs/govstack/workflow/swagger.yaml; docs/services.md): the three life events
 * are the processes, each application an instance of one. Reading processes is public; a
 * citizen sees their own instances and an official those with a part for their agency. Stopping
 * an instance is the applicant withdrawing it (while no part is decided). Processes are defined
 * in code and started by submitting an application (Registration API), so adding, changing,
 * deleting and starting processes answer 405 with a problem saying so.
 */

export const WORKFLOW = '/govstack/workflow';
const TAGS = ['govstack-workflow'];
const processRef = (b: Bundle) => `${b.code}:${b.version}:${b.serviceId}`;
const bundleOfProcess = (id: string) => Object.values(BUNDLES).find((b) => b.serviceId === id.toLowerCase() || processRef(b) === id || b.code === id);

function presentProcess(b: Bundle, lang: 'ko' | 'en') {
  return {
    id: processRef(b),
    processDefinition: {
      name: b.name[lang],
      type: 'Public' as const,
      version: b.version,
      isExecutable: true,
      isClosed: true,
      description: b.description[lang],
      processBody: allParts(b).map((p) => ({ code: p.kind, value: p.after ? `${p.agency} after ${p.after}` : p.agency })),
    },
  };
}

/** BPMN-ish state: running, or completed / terminated once it ended (terminated when refused or withdrawn). */
function presentInstance(a: Application) {
  const state = !a.ended ? (a.status === 'SENDBACK' ? 'suspended' : 'running') : a.status === 'APPROVED' ? 'completed' : 'terminated';
  return { id: a.id, processRef: processRef(BUNDLES[a.bundle]), initTime: a.registeredAt.toISOString(), state, lastChangeTime: a.updatedAt.toISOString() };
}

export async function govstackWorkflowRoutes(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const Id = z.string().max(200);

  r.get(`${WORKFLOW}/processes`, { schema: { tags: TAGS, summary: 'The one-stop processes (life events)' } }, async (req) => Object.values(BUNDLES).map((b) => presentProcess(b, req.lang)));
  r.get(`${WORKFLOW}/processes/:processId`, { schema: { tags: TAGS, summary: 'A process (by its id, service id or code)', params: z.object({ processId: Id }) } }, async (req) => {
    const b = bundleOfProcess(req.params.processId);
    if (!b) throw new NotFoundError('process not found', 'process_not_found');
    return presentProcess(b, req.lang);
  });
  const fixed = async () => {
    throw new PlatformError('method_not_allowed', 405, 'the processes are defined by the platform; start one by submitting an application (POST /govstack/registration/services/{serviceId}/applications)');
  };
  r.post(`${WORKFLOW}/processes`, { schema: { tags: TAGS, summary: 'Not available: processes are defined in code (405)' } }, fixed);
  r.put(`${WORKFLOW}/processes/:processId`, { schema: { tags: TAGS, summary: 'Not available (405)', params: z.object({ processId: Id }) } }, fixed);
  r.delete(`${WORKFLOW}/processes/:processId`, { schema: { tags: TAGS, summary: 'Not available (405)', params: z.object({ processId: Id }) } }, fixed);
  r.post(`${WORKFLOW}/processes/:processId/start`, { schema: { tags: TAGS, summary: 'Not available: submit an application through the Registration API (405)', params: z.object({ processId: Id }) } }, fixed);

  r.get(`${WORKFLOW}/instances/`, { schema: { tags: TAGS, summary: "Instances: a citizen's own applications, or those with a part for the official's agency", querystring: z.object({ processId: Id.optional() }) } }, async (req) => {
    const who = await person(req);
    const b = req.query.processId ? bundleOfProcess(req.query.processId) : undefined;
    if (req.query.processId && !b) return [];
    return (await applicationsVisibleTo(platform, who, { bundle: b?.code, limit: 200 })).map(presentInstance);
  });
  const visible = async (who: Person, id: string) => (await visibleApplication(platform, who, id, { detail: 'process instance not found', code: 'instance_not_found' })).a;
  r.get(`${WORKFLOW}/instances/:instanceId`, { schema: { tags: TAGS, summary: 'An instance and its state', params: z.object({ instanceId: Id }) } }, async (req) => presentInstance(await visible(await person(req), req.params.instanceId)));
  r.post(`${WORKFLOW}/instances/:instanceId/stop`, { schema: { tags: TAGS, summary: 'Withdraw an application (the applicant, while no part is decided)', params: z.object({ instanceId: Id }) } }, async (req, reply) => {
    const who = await person(req);
    const a = await visible(who, req.params.instanceId);
    if (who.kind !== 'citizen' && !who.roles.includes('platform-admin')) throw new PlatformError('forbidden', 403, 'only the applicant withdraws an application');
    const done = await withdrawApplication(platform, { applicationId: a.id, applicantId: who.kind === 'citizen' ? who.id : null, actor: `${who.kind}:${who.id}` });
    const i = presentInstance(done);
    return reply.status(201).send({ id: i.id, processRef: i.processRef, suspended: false, ended: done.ended, state: 'stopped' });
  });
}
