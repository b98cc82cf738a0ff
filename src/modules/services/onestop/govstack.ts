import multipart from '@fastify/multipart';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficial } from '../../../platform/auth.ts';
import { BadRequestError, ForbiddenError, NotFoundError, PlatformError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { applicationsVisibleTo, person, visibleApplication, type Person } from './access.ts';
import { changeApplication, submitApplication } from './applications.ts';
import { BUNDLES, bundleByEFormId, bundleByServiceId } from './bundles.ts';
import { applicationsWithDocument, readDocument, saveDocument } from './documents.ts';
import { presentApplication, presentEForm, presentEFormItem, presentFileListItem, presentService, presentTask, presentTaskData, taskCode } from './present.ts';
import { statistics, Statistics } from './statistics.ts';
import { applicationRow, isUuid, listTasks, TASK_SORTS, taskRow, tasksOf, type Application, type Task } from './store.ts';
import { decideTask, mustWorkFor, type Decision } from './tasks.ts';

/**
 * The GovStack Registration building block API under /govstack/registration/
 * (specs/govstack/registration/GovStack_Registration_BB_API.json and …_statistics.json) over the
 * one-stop life events (docs/services.md). Callers are people with a session: a citizen is the
 * applicant (their own files and tasks only), an official the operator (files with a part for
 * their agency; tasks of their agency). The services, e-forms and statistics are public.
 * `Information-Mediator-Client` is required where the file says so and must be a member's
 * subsystem id (INSTANCE/CLASS/MEMBER/SUBSYSTEM).
 */

export const REGISTRATION = '/govstack/registration';
const TAGS = ['govstack-registration'];
const CLIENT = /^[A-Za-z0-9._-]{1,64}\/[A-Za-z0-9._-]{1,10}\/[A-Za-z0-9._-]{1,64}\/[A-Za-z0-9._-]{1,64}$/;

function requireClientHeader(req: FastifyRequest): void {
  const v = req.headers['information-mediator-client'];
  if (typeof v !== 'string' || !v.trim()) throw new BadRequestError('the Information-Mediator-Client header is required (INSTANCE/CLASS/MEMBER/SUBSYSTEM)', undefined, 'client_header_missing');
  if (!CLIENT.test(v.trim())) throw new BadRequestError('Information-Mediator-Client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM', undefined, 'client_header_invalid');
}

const Paging = {
  firstResult: z.coerce.number().int().min(0).max(100_000).optional(),
  maxResult: z.coerce.number().int().min(1).max(200).optional(),
  sortBy: z.enum(Object.keys(TASK_SORTS) as [keyof typeof TASK_SORTS, ...Array<keyof typeof TASK_SORTS>]).optional(),
  sortOrder: z.enum(['asc', 'desc']).optional(),
};
const Id = z.string().max(100);
const FileBody = z.object({
  applicationName: z.string().max(200).optional(),
  applicantId: z.string().max(100),
  created: z.iso.datetime({ offset: true }).refine((v) => { const y = new Date(v).getUTCFullYear(); return y >= 1900 && y <= 9999; }, 'a year between 1900 and 9999').optional(),
  formData: z.object({ data: z.record(z.string(), z.unknown()).optional(), eFormId: z.string().max(100).optional() }).optional(),
  documentUrls: z.array(z.string().max(500)).max(20).optional(),
});
const CompleteBody = z.object({ data: z.record(z.string(), z.unknown()).optional() });
const DECISIONS: Record<string, Decision> = { APPROVED: 'approve', REJECTED: 'reject', SENDBACK: 'sendback' };

/** The document ids named by `documentUrls` (our own URLs, or bare ids). */
function documentIds(urls: string[] | undefined): string[] {
  return (urls ?? []).map((u) => /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(u)?.[1] ?? u);
}

export async function govstackRegistrationRoutes(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 5, fields: 10 } });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = new URL(REGISTRATION, platform.config.publicUrl).href;

  /** The file, if the person may see it: the applicant, or an official with a part of it (404 otherwise). */
  const visibleFile = (who: Person, id: string) => visibleApplication(platform, who, id, { detail: 'application file not found', code: 'application_not_found' });

  // ---- available services ----
  r.get(`${REGISTRATION}/services`, { schema: { tags: TAGS, summary: 'The one-stop services (life events) one can apply for', querystring: z.object({ name: z.string().max(200).optional() }) } }, async (req) => {
    const q = req.query.name?.trim().toLowerCase();
    return Object.values(BUNDLES)
      .filter((b) => !q || b.name.ko.toLowerCase().includes(q) || b.name.en.toLowerCase().includes(q) || b.code === q)
      .map((b) => presentService(b, req.lang));
  });
  r.get(`${REGISTRATION}/services/:serviceId`, { schema: { tags: TAGS, summary: 'A service', params: z.object({ serviceId: Id }) } }, async (req) => {
    const b = bundleByServiceId(req.params.serviceId);
    if (!b) throw new NotFoundError('service not found', 'service_not_found');
    return presentService(b, req.lang);
  });
  r.get(`${REGISTRATION}/services/:serviceId/eForms`, { schema: { tags: TAGS, summary: "A service's e-forms", params: z.object({ serviceId: Id }) } }, async (req) => {
    const b = bundleByServiceId(req.params.serviceId);
    return b ? [presentEFormItem(b, req.lang)] : [];
  });
  r.get(`${REGISTRATION}/eForms/:eFormId`, { schema: { tags: TAGS, summary: 'An e-form with its JSON Schema', params: z.object({ eFormId: Id }) } }, async (req) => {
    const b = bundleByEFormId(req.params.eFormId);
    if (!b) throw new NotFoundError('e-form not found', 'eform_not_found');
    return presentEForm(b, req.lang);
  });

  // ---- applicant ----
  r.post(
    `${REGISTRATION}/services/:serviceId/applications`,
    { schema: { tags: TAGS, summary: 'Submit an application (the signed-in citizen is the applicant; Idempotency-Key optional)', params: z.object({ serviceId: Id }), body: FileBody } },
    async (req) => {
      requireClientHeader(req);
      const who = await person(req);
      if (who.kind !== 'citizen') throw new ForbiddenError('citizens apply; officials process', 'citizens_only');
      const b = bundleByServiceId(req.params.serviceId);
      if (!b) throw new NotFoundError('service not found', 'service_not_found');
      if (req.body.applicantId.toLowerCase() !== who.id) throw new ForbiddenError('applicantId must be the signed-in citizen', 'not_the_applicant');
      if (req.body.formData?.eFormId && req.body.formData.eFormId.toLowerCase() !== b.eFormId) throw new BadRequestError(`eFormId ${req.body.formData.eFormId} is not this service's form (${b.eFormId})`, undefined, 'wrong_eform');
      const key = req.headers['idempotency-key'];
      const { application } = await submitApplication(platform, {
        bundle: b.code,
        applicantId: who.id,
        data: req.body.formData?.data ?? {},
        idempotencyKey: typeof key === 'string' ? key : undefined,
        name: req.body.applicationName,
        createdAt: req.body.created ? new Date(req.body.created) : undefined,
        documents: documentIds(req.body.documentUrls),
        actor: `citizen:${who.id}`,
      });
      return presentApplication(base, application, req.lang);
    },
  );

  r.post(`${REGISTRATION}/documents`, { schema: { tags: TAGS, summary: 'Upload a document (multipart `file`, or JSON `{file: [base64], fileName}`); PDF, PNG or JPEG (an additionalMetadata query is accepted and not kept)' } }, async (req) => {
    const who = await person(req);
    const owner = who.kind === 'citizen' ? who.id : `official:${who.id}`;
    const files: Array<{ fileName: string; bytes: Buffer }> = [];
    if (req.isMultipart()) {
      try {
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer().catch(() => {
              throw new BadRequestError('the file is larger than 5 MB', { errors: [{ field: 'file', code: 'too_large' }] }, 'document_too_large');
            });
            files.push({ fileName: part.filename, bytes });
          }
        }
      } catch (e) {
        // a body the multipart parser cannot read (no boundary, cut short) is the client's
        if (e instanceof PlatformError) throw e;
        const status = (e as { statusCode?: number }).statusCode;
        if (status && status >= 400 && status < 500) throw new PlatformError('document_invalid', status, 'the upload could not be read');
        throw new BadRequestError('the multipart body could not be read', { errors: [{ field: 'file', code: 'unreadable' }] }, 'document_invalid');
      }
    } else {
      const body = z.object({ file: z.array(z.string().max(7_000_000)).min(1).max(5), fileName: z.string().max(200).optional() }).safeParse(req.body);
      if (!body.success) throw new BadRequestError('send the file as multipart/form-data, or JSON {"file": ["<base64>"], "fileName": "…"}', { errors: [{ field: 'file', code: 'required' }] }, 'document_invalid');
      for (const f of body.data.file) files.push({ fileName: body.data.fileName ?? 'document', bytes: Buffer.from(f, 'base64') });
    }
    if (!files.length) throw new BadRequestError('no file was sent', { errors: [{ field: 'file', code: 'required' }] }, 'document_invalid');
    const saved = [];
    for (const f of files) saved.push(await saveDocument(platform, owner, f));
    return { code: 200, type: saved.map((s) => s.mediaType).join(','), message: `${saved.length} document(s) stored`, url: saved.map((s) => `${base}/documents/${s.id}`).join(',') };
  });
  r.get(`${REGISTRATION}/documents/:documentId`, { schema: { tags: TAGS, summary: 'A document (its owner, or officials handling an application that names it)', params: z.object({ documentId: Id }) } }, async (req, reply) => {
    const who = await person(req);
    const d = await readDocument(platform, req.params.documentId);
    let ok = d && d.owner === (who.kind === 'citizen' ? who.id : `official:${who.id}`);
    if (d && !ok && who.kind === 'official') {
      for (const id of await applicationsWithDocument(platform, d.id)) if (await visibleFile(who, id).then(() => true, () => false)) ok = true;
    }
    if (!d || !ok) throw new NotFoundError('document not found', 'document_not_found');
    return reply.type(d.mediaType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(d.fileName)}`).header('cache-control', 'private, no-store').send(d.bytes);
  });

  // ---- applicant and operator ----
  r.get(
    `${REGISTRATION}/applications`,
    { schema: { tags: TAGS, summary: "Application files: a citizen's own, or those with a part for the official's agency", querystring: z.object({ serviceId: Id.optional(), applicantId: Id.optional(), ...Paging }) } },
    async (req) => {
      requireClientHeader(req);
      const who = await person(req);
      const q = req.query;
      const b = q.serviceId ? bundleByServiceId(q.serviceId) : undefined;
      if (q.serviceId && !b) return [];
      if (who.kind !== 'citizen' && q.applicantId && !isUuid(q.applicantId)) return [];
      const order = q.sortBy === 'created' || q.sortBy === 'id' ? sql.raw(`a.${q.sortBy === 'created' ? 'created_at' : 'id'} ${q.sortOrder === 'asc' ? 'asc' : 'desc'}`) : undefined;
      const found = await applicationsVisibleTo(platform, who, { bundle: b?.code, applicantId: q.applicantId, order, limit: q.maxResult ?? 50, offset: q.firstResult ?? 0 });
      const out = [];
      for (const a of found) out.push(presentFileListItem(base, a, await tasksOf(platform.db, a.id), req.lang));
      return out;
    },
  );
  r.get(`${REGISTRATION}/applications/:fileId`, { schema: { tags: TAGS, summary: 'An application file', params: z.object({ fileId: Id }) } }, async (req) => {
    requireClientHeader(req);
    const { a } = await visibleFile(await person(req), req.params.fileId);
    return presentApplication(base, a, req.lang);
  });
  r.put(
    `${REGISTRATION}/applications/:fileId`,
    { schema: { tags: TAGS, summary: "Change a file's form data: the applicant answering a send-back, or an official of an agency with an undecided part", params: z.object({ fileId: Id }), body: FileBody } },
    async (req) => {
      requireClientHeader(req);
      const who = await person(req);
      const { a } = await visibleFile(who, req.params.fileId);
      if (req.body.applicantId.toLowerCase() !== a.applicantId) throw new BadRequestError('applicantId is not the file\'s applicant', undefined, 'applicant_mismatch');
      if (who.kind === 'official') mustWorkFor(who, who.agency);
      const changed = await changeApplication(platform, {
        applicationId: a.id,
        by: who.kind === 'citizen' ? { kind: 'applicant', citizenId: who.id } : { kind: 'official', agency: who.roles.includes('platform-admin') ? null : who.agency },
        data: req.body.formData?.data ?? {},
        documents: req.body.documentUrls ? documentIds(req.body.documentUrls) : undefined,
        actor: who.kind === 'citizen' ? `citizen:${who.id}` : `official:${who.id}`,
      });
      return presentApplication(base, changed, req.lang);
    },
  );

  // ---- tasks ----
  r.get(
    `${REGISTRATION}/tasks`,
    { schema: { tags: TAGS, summary: "Tasks: an official's agency queue (most escalated, then nearest due, first), or a citizen's own parts", querystring: z.object({ mainTaskId: Id.optional(), fileId: Id.optional(), assigneeId: Id.optional(), ...Paging }) } },
    async (req) => {
      const who = await person(req);
      const q = req.query;
      let fileId = q.fileId;
      if (q.mainTaskId) {
        const main = isUuid(q.mainTaskId) ? await taskRow(platform.db, q.mainTaskId) : undefined;
        if (!main) return [];
        if (fileId && fileId !== main.applicationId) return [];
        fileId = main.applicationId;
      }
      if (fileId && !isUuid(fileId)) return [];
      const filter = who.kind === 'citizen' ? { applicantId: who.id } : who.roles.includes('platform-admin') ? {} : { agency: who.agency };
      if (who.kind === 'official' && !who.roles.includes('platform-admin')) mustWorkFor(who, who.agency);
      const tasks = await listTasks(platform.db, { ...filter, applicationId: fileId, assigneeId: q.assigneeId }, { first: q.firstResult ?? 0, max: q.maxResult ?? 50, sortBy: q.sortBy, desc: q.sortOrder === 'desc' });
      const out = [];
      for (const t of tasks) {
        const a = (await applicationRow(platform.db, platform.crypto, t.applicationId))!;
        const main = (await tasksOf(platform.db, a.id)).find((x) => !x.afterKind);
        out.push(presentTask(t, a, main?.id ?? t.id, req.lang));
      }
      return out;
    },
  );
  async function visibleTask(who: Person, id: string): Promise<{ t: Task; a: Application }> {
    if (who.kind === 'official') mustWorkFor(who, who.agency);
    const t = isUuid(id) ? await taskRow(platform.db, id) : undefined;
    const a = t ? await applicationRow(platform.db, platform.crypto, t.applicationId) : undefined;
    const ok = t && a && (who.kind === 'citizen' ? a.applicantId === who.id : who.roles.includes('platform-admin') || t.agency === who.agency);
    if (!t || !a || !ok) throw new NotFoundError('task not found', 'task_not_found');
    return { t, a };
  }
  r.get(`${REGISTRATION}/tasks/:taskId`, { schema: { tags: TAGS, summary: 'A task with the form and its result', params: z.object({ taskId: Id }) } }, async (req) => {
    const { t, a } = await visibleTask(await person(req), req.params.taskId);
    return presentTaskData(t, a, req.lang);
  });
  r.post(
    `${REGISTRATION}/tasks/:taskId/complete`,
    { schema: { tags: TAGS, summary: 'Decide a task: data.decision APPROVED, REJECTED or SENDBACK (with data.note for the applicant)', params: z.object({ taskId: Id }), body: CompleteBody } },
    async (req) => {
      const official = await requireOfficial(req);
      const { a } = await visibleTask(official, req.params.taskId);
      const raw = req.body.data?.decision;
      const decision = typeof raw === 'string' ? DECISIONS[raw.toUpperCase()] : undefined;
      if (!decision) throw new BadRequestError('data.decision must be APPROVED, REJECTED or SENDBACK', { errors: [{ field: 'data.decision', code: 'required' }] }, 'decision_required');
      const note = req.body.data?.note;
      if (note !== undefined && typeof note !== 'string') throw new BadRequestError('data.note must be text', { errors: [{ field: 'data.note', code: 'wrong_type' }] }, 'bad_note');
      const t = await decideTask(platform, official, req.params.taskId, { decision, note });
      return { taskId: t.id, fileId: a.id, serviceId: BUNDLES[a.bundle].serviceId, status: { code: taskCode(t), title: taskCode(t) }, variables: { result: { data: t.result ?? {} } } };
    },
  );

  // ---- statistics (its own file in the building block) ----
  r.get(`${REGISTRATION}/data/statistics`, { schema: { tags: TAGS, summary: 'How many parts were processed, approved, sent back and rejected', querystring: Statistics } }, async (req) => {
    requireClientHeader(req);
    return statistics(platform, req.query);
  });
}
