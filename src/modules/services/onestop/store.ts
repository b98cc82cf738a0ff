import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../../platform/db.ts';
import type { FieldCrypto } from '../../../platform/crypto.ts';
import type { BundleCode } from './bundles.ts';

/** Rows of services.application, services.task and services.application_event (migration 0003). */

export type AppStatus = 'PENDING' | 'APPROVED' | 'SENDBACK' | 'REJECTED';
export type TaskStatus = 'waiting' | 'open' | 'sendback' | 'approved' | 'rejected' | 'cancelled';
export const FINAL: readonly TaskStatus[] = ['approved', 'rejected', 'cancelled'];

export interface Application {
  id: string;
  bundle: BundleCode;
  applicantId: string;
  subjectId: string;
  name: string;
  form: Record<string, unknown>;
  documents: string[];
  status: AppStatus;
  ended: boolean;
  createdAt: Date;
  registeredAt: Date;
  updatedAt: Date;
}

export interface Task {
  id: string;
  applicationId: string;
  kind: string;
  agency: string;
  role: string;
  afterKind: string | null;
  status: TaskStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  slaHours: number;
  dueAt: Date | null;
  escalation: number;
  note: string | null;
  result: Record<string, unknown> | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** An approval in progress: who, since when. */
  claimedBy: string | null;
  claimedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AppEvent {
  id: number;
  taskId: string | null;
  kind: string;
  actor: string;
  note: string | null;
  at: Date;
}

export const formContext = (id: string) => `services.application:${id}`;

/** A UUID as PostgreSQL reads one (anything else is "not found", never a failed cast). */
export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** How long an approval's claim on its part holds before another may take it over (a crashed approval). */
export const CLAIM_MINUTES = 10;

type AppRow = { id: string; bundle: BundleCode; applicant_id: string; subject_id: string; name: string; form_enc: string; documents: string[] | string; status: AppStatus; ended: boolean; created_at: Date | string; registered_at: Date | string; updated_at: Date | string };
const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const uuids = (v: string[] | string): string[] => (Array.isArray(v) ? v : v.replace(/^\{|\}$/g, '').split(',').filter(Boolean));

export function toApplication(crypto: FieldCrypto, r: AppRow): Application {
  return {
    id: r.id,
    bundle: r.bundle,
    applicantId: r.applicant_id,
    subjectId: r.subject_id,
    name: r.name,
    form: JSON.parse(crypto.decrypt(r.form_enc, formContext(r.id))) as Record<string, unknown>,
    documents: uuids(r.documents),
    status: r.status,
    ended: r.ended,
    createdAt: date(r.created_at),
    registeredAt: date(r.registered_at),
    updatedAt: date(r.updated_at),
  };
}

type TaskRow = Record<string, unknown>;
export function toTask(r: TaskRow): Task {
  const d = (v: unknown) => (v === null || v === undefined ? null : date(v as Date | string));
  return {
    id: r.id as string,
    applicationId: r.application_id as string,
    kind: r.kind as string,
    agency: r.agency as string,
    role: r.role as string,
    afterKind: (r.after_kind as string | null) ?? null,
    status: r.status as TaskStatus,
    assigneeId: (r.assignee_id as string | null) ?? null,
    assigneeName: (r.assignee_name as string | null) ?? null,
    slaHours: Number(r.sla_hours),
    dueAt: d(r.due_at),
    escalation: Number(r.escalation),
    note: (r.note as string | null) ?? null,
    result: (typeof r.result === 'string' ? JSON.parse(r.result) : (r.result ?? null)) as Record<string, unknown> | null,
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: d(r.decided_at),
    claimedBy: (r.claimed_by as string | null) ?? null,
    claimedAt: d(r.claimed_at),
    createdAt: date(r.created_at as Date),
    updatedAt: date(r.updated_at as Date),
  };
}

export async function applicationRow(db: Db, crypto: FieldCrypto, id: string, forUpdate = false): Promise<Application | undefined> {
  const [r] = await rows<AppRow>(db, sql`select * from services.application where id = ${id}::uuid ${forUpdate ? sql`for update` : sql``}`);
  return r ? toApplication(crypto, r) : undefined;
}

export async function tasksOf(db: Db, applicationId: string, forUpdate = false): Promise<Task[]> {
  const found = await rows<TaskRow>(db, sql`select * from services.task where application_id = ${applicationId}::uuid order by created_at, kind ${forUpdate ? sql`for update` : sql``}`);
  return found.map(toTask);
}

export async function taskRow(db: Db, id: string, forUpdate = false): Promise<Task | undefined> {
  const [r] = await rows<TaskRow>(db, sql`select * from services.task where id = ${id}::uuid ${forUpdate ? sql`for update` : sql``}`);
  return r ? toTask(r) : undefined;
}

export async function eventsOf(db: Db, applicationId: string): Promise<AppEvent[]> {
  const found = await rows<{ id: string; task_id: string | null; kind: string; actor: string; note: string | null; at: Date | string }>(
    db,
    sql`select id, task_id, kind, actor, note, at from services.application_event where application_id = ${applicationId}::uuid order by id`,
  );
  return found.map((e) => ({ id: Number(e.id), taskId: e.task_id, kind: e.kind, actor: e.actor, note: e.note, at: date(e.at) }));
}

export async function addEvent(tx: Db, e: { applicationId: string; taskId?: string; kind: string; actor: string; note?: string | null }): Promise<void> {
  await tx.execute(sql`insert into services.application_event (application_id, task_id, kind, actor, note) values (${e.applicationId}::uuid, ${e.taskId ?? null}::uuid, ${e.kind}, ${e.actor}, ${e.note ?? null})`);
}

/** Which tasks a list shows (all optional; `agencies` limits to those agencies). */
export interface TaskFilter {
  agency?: string;
  role?: string;
  statuses?: TaskStatus[];
  assigneeId?: string;
  applicationId?: string;
  applicantId?: string;
  overdueOnly?: boolean;
}

export const TASK_SORTS = { created: 'created_at', dueDate: 'due_at', assignee: 'assignee_id', id: 'id', name: 'kind', priority: 'escalation', description: 'kind', instanceId: 'application_id' } as const;

export async function listTasks(db: Db, f: TaskFilter, page: { first: number; max: number; sortBy?: keyof typeof TASK_SORTS; desc?: boolean }): Promise<Task[]> {
  const where: SQL[] = [sql`true`];
  if (f.agency) where.push(sql`t.agency = ${f.agency}`);
  if (f.role) where.push(sql`t.role = ${f.role}`);
  if (f.statuses?.length) where.push(sql`t.status = any(${`{${f.statuses.join(',')}}`}::text[])`);
  if (f.assigneeId) where.push(sql`t.assignee_id = ${f.assigneeId}`);
  if (f.applicationId) where.push(sql`t.application_id = ${f.applicationId}::uuid`);
  if (f.applicantId) where.push(sql`a.applicant_id = ${f.applicantId}::uuid`);
  if (f.overdueOnly) where.push(sql`t.status = 'open' and t.due_at < now()`);
  // default: the most escalated first, then the nearest due date (the queue's order)
  const order = page.sortBy
    ? sql.raw(`t.${TASK_SORTS[page.sortBy]} ${page.desc ? 'desc' : 'asc'} nulls last, t.id`)
    : sql.raw(`t.escalation desc, t.due_at asc nulls last, t.created_at, t.id`);
  const found = await rows<TaskRow>(
    db,
    sql`select t.* from services.task t join services.application a on a.id = t.application_id
        where ${sql.join(where, sql` and `)} order by ${order} limit ${page.max} offset ${page.first}`,
  );
  return found.map(toTask);
}
