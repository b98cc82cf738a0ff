import { sql } from 'drizzle-orm';
import type { Official } from '../../../platform/auth.ts';
import { rows, type Db } from '../../../platform/db.ts';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { AgencyWrite } from '../../registries/index.ts';
import { notifyApplicant, refreshStatus } from './applications.ts';
import { partTitle } from './bundles.ts';
import { addEvent, applicationRow, CLAIM_MINUTES, isUuid, taskRow, tasksOf, toTask, type Task } from './store.ts';
import { performPart } from './writeback.ts';

/**
 * The back office (docs/services.md, "Back office"): each agency's queue of parts, assignment,
 * the decision (approve, reject, ask the applicant for more), SLA escalation, and the history
 * and audit of every step.
 *
 * Who may act on a part: an official of its agency with the case-worker or agency-admin role (a
 * platform administrator for any agency). A case worker takes a part for themself; an agency
 * administrator assigns it to anyone of the agency or back to the queue. A part someone else
 * holds is decided by them or an agency administrator.
 */

export type Decision = 'approve' | 'reject' | 'sendback';

const ADMIN = (o: Official) => o.roles.includes('platform-admin') || o.roles.includes('agency-admin');

/** 403 unless the official may work on the agency's parts. */
export function mustWorkFor(o: Official, agency: string): void {
  if (o.roles.includes('platform-admin')) return;
  if (o.agency !== agency) throw new ForbiddenError('this part belongs to another agency', 'other_agency');
  if (!o.roles.includes('case-worker') && !o.roles.includes('agency-admin')) throw new ForbiddenError('case workers and agency administrators handle applications', 'role_required');
}

/** A part the official may see (404 for another agency's, so that ids reveal nothing). */
export async function taskFor(platform: Platform, o: Official, id: string): Promise<Task> {
  const t = isUuid(id) ? await taskRow(platform.db, id) : undefined;
  if (!t || (!o.roles.includes('platform-admin') && t.agency !== o.agency)) throw new NotFoundError('no such task', 'task_not_found');
  mustWorkFor(o, t.agency);
  return t;
}

const actorOf = (o: Official) => `official:${o.id}`;

/** Assigns a part: to `to` (an administrator's choice), or to the caller; `null` puts it back in the queue. */
export async function assignTask(platform: Platform, o: Official, id: string, to: { id: string; name: string } | null | 'me'): Promise<Task> {
  const t = await taskFor(platform, o, id);
  if (!['open', 'waiting', 'sendback'].includes(t.status)) throw new ConflictError('a decided part cannot be assigned', 'task_decided');
  const target = to === 'me' ? { id: o.id, name: o.name } : to;
  if (!ADMIN(o)) {
    // a case worker takes a free part, or gives back their own
    if (target && target.id !== o.id) throw new ForbiddenError('only an agency administrator assigns parts to others', 'role_required');
    if (t.assigneeId && t.assigneeId !== o.id) throw new ConflictError(`the part is held by ${t.assigneeName ?? t.assigneeId}`, 'assigned_to_other');
  }
  return platform.db.transaction(async (x) => {
    const tx = x as unknown as Db;
    // a case worker takes a part only while it is free (or theirs): two taking it at once, one wins
    const [r] = await rows<Record<string, unknown>>(
      tx,
      sql`update services.task set assignee_id = ${target?.id ?? null}, assignee_name = ${target?.name ?? null}, updated_at = now()
          where id = ${t.id}::uuid ${ADMIN(o) ? sql`` : sql`and (assignee_id is null or assignee_id = ${o.id})`} returning *`,
    );
    if (!r) throw new ConflictError('the part was just taken by someone else', 'assigned_to_other');
    await addEvent(tx, { applicationId: t.applicationId, taskId: t.id, kind: target ? 'assigned' : 'unassigned', actor: actorOf(o), note: target?.name ?? null });
    await platform.audit.append({ actor: actorOf(o), action: 'services.task.assigned', subject: `services.task:${t.id}`, data: { assignee: target?.id ?? null } }, tx);
    return toTask(r!);
  });
}

const DECISION_TEXT: Record<Decision, { ko: string; en: string }> = {
  approve: { ko: '승인', en: 'approved' },
  reject: { ko: '반려', en: 'refused' },
  sendback: { ko: '보완 요청', en: 'more information requested' },
};
const STATUS_OF: Record<Decision, Task['status']> = { approve: 'approved', reject: 'rejected', sendback: 'sendback' };

/** The parts waiting for `kind`, and those waiting for them, and so on. */
function followers(tasks: Task[], kind: string): Task[] {
  const out: Task[] = [];
  let kinds = [kind];
  while (kinds.length) {
    const next = tasks.filter((t) => t.afterKind && kinds.includes(t.afterKind) && t.status === 'waiting' && !out.includes(t));
    out.push(...next);
    kinds = next.map((t) => t.kind);
  }
  return out;
}

/**
 * Decides an open part. An approval first does the part's work (writes back to the registry;
 * repeatable), then records the decision, opens the parts that waited for it and tells the
 * applicant, in one transaction. A refusal cancels the parts that waited for it. Asking for
 * more sends the application back to the applicant with the official's note.
 */
export async function decideTask(platform: Platform, o: Official, id: string, d: { decision: Decision; note?: string }): Promise<Task> {
  const t = await taskFor(platform, o, id);
  if (t.status !== 'open') throw new ConflictError(`the part is ${t.status}, not open`, 'task_not_open');
  if (t.assigneeId && t.assigneeId !== o.id && !ADMIN(o)) throw new ConflictError(`the part is held by ${t.assigneeName ?? t.assigneeId}`, 'assigned_to_other');
  const note = d.note?.trim() || null;
  if (d.decision !== 'approve' && !note) throw new BadRequestError('say why: a refusal or a request for more needs a note for the applicant', { errors: [{ field: 'note', code: 'required' }] }, 'note_required');
  if (note && note.length > 2000) throw new BadRequestError('the note is longer than 2000 characters', { errors: [{ field: 'note', code: 'too_long' }] }, 'note_too_long');
  const app = (await applicationRow(platform.db, platform.crypto, t.applicationId))!;
  const title = partTitle(t.kind);
  const me = actorOf(o);
  // the claim: from here until the decision is recorded nobody else decides this part, and the applicant cannot withdraw
  // (a claim older than CLAIM_MINUTES is a crashed approval, and may be taken over: the write-back is repeatable)
  const [claimed] = await rows<{ id: string }>(
    platform.db,
    sql`update services.task set claimed_by = ${me}, claimed_at = now()
        where id = ${t.id}::uuid and status = 'open'
          and (claimed_by is null or claimed_by = ${me} or claimed_at < now() - make_interval(mins => ${CLAIM_MINUTES}))
        returning id`,
  );
  if (!claimed) throw new ConflictError('another official is deciding this part right now', 'task_in_progress');
  const release = () => platform.db.execute(sql`update services.task set claimed_by = null, claimed_at = null where id = ${t.id}::uuid and claimed_by = ${me}`);
  let result: Record<string, unknown> | null = null;
  if (d.decision === 'approve') {
    const all = await tasksOf(platform.db, app.id);
    const approverOf = (kind: string): AgencyWrite | undefined => {
      const p = all.find((x) => x.kind === kind && x.status === 'approved');
      return p ? { agency: p.agency, actor: p.decidedBy ?? `agency:${p.agency}`, reason: `${partTitle(kind).ko} (원스톱 신청 ${app.id})` } : undefined;
    };
    try {
      result = await performPart(platform, { agency: t.agency, actor: me, reason: `${title.ko} (원스톱 신청 ${app.id})` }, app, t, approverOf);
    } catch (e) {
      await release();
      throw e;
    }
  }
  const recorded = platform.db.transaction(async (x) => {
    const tx = x as unknown as Db;
    const locked = await taskRow(tx, t.id, true);
    if (locked?.status !== 'open') throw new ConflictError(`the part is ${locked?.status}, not open`, 'task_not_open');
    if (locked.claimedBy !== me) throw new ConflictError('another official took over this part', 'task_in_progress');
    const [r] = await rows<Record<string, unknown>>(
      tx,
      sql`update services.task set status = ${STATUS_OF[d.decision]}, note = ${note}, result = ${result ? JSON.stringify(result) : null}::jsonb,
             decided_by = ${d.decision === 'sendback' ? null : actorOf(o)}, decided_at = ${d.decision === 'sendback' ? null : sql`now()`},
             due_at = ${d.decision === 'sendback' ? null : sql`due_at`}, claimed_by = null, claimed_at = null, updated_at = now()
          where id = ${t.id}::uuid returning *`,
    );
    const all = await tasksOf(tx, app.id, true);
    if (d.decision === 'approve') {
      for (const f of all.filter((f) => f.afterKind === t.kind && f.status === 'waiting')) {
        await tx.execute(sql`update services.task set status = 'open', due_at = now() + make_interval(hours => sla_hours), updated_at = now() where id = ${f.id}::uuid`);
      }
    }
    if (d.decision === 'reject') {
      for (const f of followers(all, t.kind)) {
        await tx.execute(sql`update services.task set status = 'cancelled', note = ${`${title.ko} 반려로 처리하지 않음 (not processed: ${title.en} was refused)`}, decided_at = now(), updated_at = now() where id = ${f.id}::uuid`);
        await addEvent(tx, { applicationId: app.id, taskId: f.id, kind: 'cancelled', actor: actorOf(o) });
      }
    }
    await addEvent(tx, { applicationId: app.id, taskId: t.id, kind: STATUS_OF[d.decision], actor: actorOf(o), note });
    await refreshStatus(tx, app.id);
    const stamp = new Date(r!.updated_at as string).getTime();
    await notifyApplicant(platform, tx, { applicantId: app.applicantId, applicationId: app.id, bundle: app.bundle, template: 'services.application-updated', key: `task:${t.id}:${d.decision}:${stamp}`, part: title, decision: DECISION_TEXT[d.decision], note });
    await platform.audit.append({ actor: actorOf(o), action: `services.task.${STATUS_OF[d.decision]}`, subject: `services.task:${t.id}`, data: { application: app.id, kind: t.kind, agency: t.agency } }, tx);
    return toTask(r!);
  });
  return recorded.catch(async (e: unknown) => {
    await release();
    throw e;
  });
}

/**
 * SLA escalation (a periodic task): an open part past its due time is escalated to level 1, past
 * twice its SLA to level 2; each step is in the history and the audit. The queue shows the most
 * escalated first. Returns how many parts were escalated.
 */
export async function escalateOverdue(platform: Platform, now = new Date()): Promise<number> {
  return platform.db.transaction(async (x) => {
    const tx = x as unknown as Db;
    const up = await rows<{ id: string; application_id: string; escalation: number; agency: string }>(
      tx,
      sql`update services.task set escalation = case when due_at + make_interval(hours => sla_hours) < ${now} then 2 else 1 end, updated_at = now()
          where status = 'open' and due_at < ${now}
            and escalation < case when due_at + make_interval(hours => sla_hours) < ${now} then 2 else 1 end
          returning id, application_id, escalation, agency`,
    );
    for (const u of up) {
      await addEvent(tx, { applicationId: u.application_id, taskId: u.id, kind: `escalated-${u.escalation}`, actor: 'system:sla' });
      await platform.audit.append({ actor: 'system:sla', action: 'services.task.escalated', subject: `services.task:${u.id}`, data: { level: Number(u.escalation), agency: u.agency } }, tx);
    }
    return up.length;
  });
}
