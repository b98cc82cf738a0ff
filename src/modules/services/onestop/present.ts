import type { Lang } from '../../../platform/i18n.ts';
import { allParts, BUNDLES, eFormSchema, partTitle, type Bundle } from './bundles.ts';
import type { Application, AppStatus, Task } from './store.ts';

/**
 * GovStack Registration shapes (specs/govstack/registration/GovStack_Registration_BB_API.json):
 * the presenters list every field that leaves. Form values are sent as they are (strings,
 * booleans, lists), as the building block's ExamplePayload.json does, although the file's
 * `formData.data` says each value is an object (docs/services.md).
 */

export const STATUS_TITLE: Record<AppStatus, { ko: string; en: string }> = {
  PENDING: { ko: '처리 중', en: 'Pending' },
  APPROVED: { ko: '처리 완료', en: 'Approved' },
  SENDBACK: { ko: '보완 요청', en: 'Sent back for more information' },
  REJECTED: { ko: '반려', en: 'Rejected' },
};

/** A part's status in the building block's four codes (waiting and open are pending; cancelled is rejected). */
export function taskCode(t: Task): AppStatus {
  return t.status === 'approved' ? 'APPROVED' : t.status === 'sendback' ? 'SENDBACK' : t.status === 'rejected' || t.status === 'cancelled' ? 'REJECTED' : 'PENDING';
}
const status = (code: AppStatus, lang: Lang) => ({ code, title: STATUS_TITLE[code][lang] });

export function presentService(b: Bundle, lang: Lang) {
  const agencies = [...new Set(allParts(b).map((p) => p.agency))];
  return {
    id: b.serviceId,
    name: b.name[lang],
    version: b.version,
    type: 'Public' as const,
    isExecutable: true,
    isClosed: true,
    description: b.description[lang],
    serviceBody: [
      { code: 'code', value: b.code },
      { code: 'catalogueId', value: b.catalogueId },
      { code: 'eFormId', value: b.eFormId },
      { code: 'agencies', value: agencies.join(',') },
    ],
  };
}

export function presentEFormItem(b: Bundle, lang: Lang) {
  return { eFormId: b.eFormId, name: b.name[lang], description: b.description[lang], version: b.version, latest: true };
}
export function presentEForm(b: Bundle, lang: Lang) {
  return { ...presentEFormItem(b, lang), schema: eFormSchema(b) };
}

const documentUrls = (base: string, a: Application) => a.documents.map((d) => `${base}/documents/${d}`);

export function presentApplication(base: string, a: Application, lang: Lang) {
  const b = BUNDLES[a.bundle];
  return {
    fileId: a.id,
    applicantId: a.applicantId,
    registered: a.registeredAt.toISOString(),
    serviceId: b.serviceId,
    serviceName: b.name[lang],
    status: status(a.status, lang),
    ended: a.ended,
    applicationData: {
      applicationName: a.name,
      applicantId: a.applicantId,
      created: a.createdAt.toISOString(),
      formData: { data: a.form, eFormId: b.eFormId },
      documentUrls: documentUrls(base, a),
    },
  };
}

/** One row of GET /applications: the file with its main part (the registration the others follow). */
export function presentFileListItem(base: string, a: Application, tasks: Task[], lang: Lang) {
  const b = BUNDLES[a.bundle];
  const main = tasks.find((t) => !t.afterKind) ?? tasks[0];
  return {
    fileId: a.id,
    mainTaskId: main?.id ?? '',
    taskTitle: main ? partTitle(main.kind)[lang] : '',
    roleId: main?.role ?? '',
    roleName: main?.role ?? '',
    assigneeId: main?.assigneeId ?? '',
    operatorName: main?.assigneeName ?? '',
    status: status(a.status, lang),
    applicantId: a.applicantId,
    created: a.createdAt.toISOString(),
    registered: a.registeredAt.toISOString(),
    description: a.name,
    serviceName: b.name[lang],
    serviceId: b.serviceId,
    eformId: b.eFormId,
    documentUrls: documentUrls(base, a),
    additionalMeta: { data: { parts: tasks.map((t) => ({ taskId: t.id, kind: t.kind, agency: t.agency, status: taskCode(t) })) } },
  };
}

export function presentTask(t: Task, a: Application, mainTaskId: string, lang: Lang) {
  const b = BUNDLES[a.bundle];
  return {
    taskId: t.id,
    mainTaskId,
    name: partTitle(t.kind)[lang],
    assigneeId: t.assigneeId ?? '',
    roleId: t.role,
    created: t.createdAt.toISOString(),
    description: `${t.agency}: ${partTitle(t.kind)[lang]}`,
    serviceId: b.serviceId,
    serviceName: b.name[lang],
    fileId: a.id,
    eFormId: b.eFormId,
    status: status(taskCode(t), lang),
  };
}

export function presentTaskData(t: Task, a: Application, lang: Lang) {
  const b = BUNDLES[a.bundle];
  return {
    taskId: t.id,
    taskName: partTitle(t.kind)[lang],
    assigneeId: t.assigneeId ?? '',
    roleId: t.role,
    created: t.createdAt.toISOString(),
    description: `${t.agency}: ${partTitle(t.kind)[lang]}`,
    fileId: a.id,
    serviceId: b.serviceId,
    serviceName: b.name[lang],
    eFormId: b.eFormId,
    formVariables: a.form,
    status: status(taskCode(t), lang),
    data: {
      kind: t.kind,
      agency: t.agency,
      state: t.status,
      dueAt: t.dueAt?.toISOString() ?? null,
      escalation: t.escalation,
      note: t.note,
      result: t.result,
      decidedBy: t.decidedBy,
      decidedAt: t.decidedAt?.toISOString() ?? null,
    },
  };
}
