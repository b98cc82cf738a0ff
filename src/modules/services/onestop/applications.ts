import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../../platform/db.ts';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, PlatformError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { canonicalJson } from '../../../platform/audit.ts';
import { notifyCitizen } from '../../notify/index.ts';
import { seoulDate, ymd } from '../engine.ts';
import { BUNDLES, parseForm, type BirthForm, type BundleCode, type DeathForm, type FieldProblem, type MoveForm } from './bundles.ts';
import { readPrefill, type Prefill } from './registry-reads.ts';
import { addEvent, applicationRow, CLAIM_MINUTES, FINAL, formContext, isUuid, tasksOf, toApplication, type Application, type AppStatus, type Task } from './store.ts';

/**
 * Submitting, amending and reading one-stop applications (docs/services.md). A submission is
 * checked (the form, then against the registries through the mediator), written with its parts
 * in one transaction, and acknowledged to the applicant through notify in that transaction. The
 * same applicant, bundle and idempotency key answer the first application: a double submit (a
 * second click, a retried request) is one application.
 */

/** 400 with every field problem (`errors: [{field, code}]`); the pages show them against their fields. */
export class FormInvalidError extends BadRequestError {
  constructor(readonly problems: FieldProblem[]) {
    super(`the form has ${problems.length} problem(s): ${problems.map((p) => `${p.field} (${p.code})`).join(', ')}`, { errors: problems.map((p) => ({ field: p.field, code: p.code, path: `formData/data/${p.field}` })) }, 'form_invalid');
  }
}

export interface Submission {
  bundle: BundleCode;
  applicantId: string;
  data: unknown;
  /** The client's key (Idempotency-Key, the form's token); else the hash of the form data. */
  idempotencyKey?: string;
  name?: string;
  createdAt?: Date;
  documents?: string[];
  /** Who submits (`citizen:<id>`), for the history and audit. */
  actor: string;
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** Checks against the registries: who the application is about, and problems the form cannot see. */
async function checkWithRegistries(platform: Platform, bundle: BundleCode, applicantId: string, form: BirthForm | MoveForm | DeathForm, known?: Prefill): Promise<{ subjectId: string; problems: FieldProblem[] }> {
  const pre = known ?? (await readPrefill(platform, applicantId));
  const today = ymd(seoulDate());
  const problems: FieldProblem[] = [];
  if (!pre.answered) throw new PlatformError('registry_unavailable', 503, 'the resident or family registry did not answer; nothing was submitted, try again shortly');
  if (!pre.me || pre.me.status !== 'active') throw new ForbiddenError('the applicant is not an active resident', 'applicant_not_resident');
  if (bundle === 'birth') {
    const f = form as BirthForm;
    if (f.birthDate > today) problems.push({ field: 'birthDate', code: 'in_future' });
    else if (daysBetween(f.birthDate, today) > 366) problems.push({ field: 'birthDate', code: 'too_old' });
    if (f.otherParentId && !pre.family.some((p) => p.relation === 'spouse' && p.id === f.otherParentId!.toLowerCase())) problems.push({ field: 'otherParentId', code: 'not_spouse' });
    return { subjectId: applicantId, problems };
  }
  if (bundle === 'move') {
    const f = form as MoveForm;
    if (f.moveInDate > today) problems.push({ field: 'moveInDate', code: 'in_future' });
    else if (daysBetween(f.moveInDate, today) > 366) problems.push({ field: 'moveInDate', code: 'too_old' });
    if (pre.me.sido === f.sido && pre.me.sigungu === f.sigungu && pre.me.roadAddress === f.roadAddress) problems.push({ field: 'roadAddress', code: 'same_address' });
    return { subjectId: applicantId, problems };
  }
  const f = form as DeathForm;
  const deceased = pre.family.find((p) => p.id === f.deceasedId.toLowerCase());
  if (!deceased) problems.push({ field: 'deceasedId', code: 'not_family' });
  else if (deceased.status !== 'active') problems.push({ field: 'deceasedId', code: 'already_registered' });
  if (f.deathDate > today) problems.push({ field: 'deathDate', code: 'in_future' });
  else if (deceased?.birthDate && f.deathDate < deceased.birthDate) problems.push({ field: 'deathDate', code: 'before_birth' });
  return { subjectId: f.deceasedId.toLowerCase(), problems };
}

/** Documents named by an application must be the applicant's own uploads. */
async function checkDocuments(db: Db, owner: string, ids: string[]): Promise<string[]> {
  const wanted = [...new Set(ids.map((d) => d.toLowerCase()))];
  if (!wanted.length) return [];
  if (wanted.some((d) => !isUuid(d))) throw new FormInvalidError([{ field: 'documentUrls', code: 'unknown_document' }]);
  const found = await rows<{ id: string }>(db, sql`select id from services.document where id = any(${`{${wanted.join(',')}}`}::uuid[]) and owner = ${owner}`);
  if (found.length !== wanted.length) throw new FormInvalidError([{ field: 'documentUrls', code: 'unknown_document' }]);
  return wanted;
}

/** Application status from its parts: SENDBACK while one waits for the applicant, REJECTED when a registration was refused, APPROVED when every part is decided. */
export function statusOf(tasks: Task[]): { status: AppStatus; ended: boolean } {
  const ended = tasks.every((t) => FINAL.includes(t.status));
  if (tasks.some((t) => t.status === 'sendback')) return { status: 'SENDBACK', ended: false };
  // withdrawn by the applicant: every part cancelled
  if (tasks.length && tasks.every((t) => t.status === 'cancelled')) return { status: 'REJECTED', ended: true };
  // a refused registration (the first part, or one others follow) refuses the application; a refused benefit does not
  if (tasks.some((t) => t.status === 'rejected' && (!t.afterKind || tasks.some((o) => o.afterKind === t.kind)))) return { status: 'REJECTED', ended };
  return { status: ended ? 'APPROVED' : 'PENDING', ended };
}

/** Recomputes and stores the application's status (in the caller's transaction); returns it. */
export async function refreshStatus(tx: Db, applicationId: string): Promise<{ status: AppStatus; ended: boolean }> {
  const s = statusOf(await tasksOf(tx, applicationId));
  await tx.execute(sql`update services.application set status = ${s.status}, ended = ${s.ended}, updated_at = now() where id = ${applicationId}::uuid`);
  return s;
}

/** The key of a submission without a client key: the bundle and the canonical form data. */
export const contentKey = (bundle: BundleCode, data: unknown) => `sha256:${createHash('sha256').update(`${bundle}\n${canonicalJson(data ?? {})}`).digest('hex')}`;

/** Submits an application (or answers the one already submitted under the same key). */
export async function submitApplication(platform: Platform, s: Submission): Promise<{ application: Application; created: boolean }> {
  const parsed = parseForm(s.bundle, s.data);
  if ('problems' in parsed) throw new FormInvalidError(parsed.problems);
  const hash = contentKey(s.bundle, parsed.form);
  const key = s.idempotencyKey?.trim() || hash;
  if (key.length > 200) throw new BadRequestError('the idempotency key is longer than 200 characters', undefined, 'bad_idempotency_key');
  const earlier = await findByKey(platform, s.applicantId, s.bundle, key);
  if (earlier) {
    // a client's key sent again with other data is a mistake, not a repeat (the portal's form token answers the first)
    if (s.idempotencyKey && !key.startsWith('form:') && earlier.hash && earlier.hash !== hash) throw new ConflictError('this Idempotency-Key was used for an application with other data', 'idempotency_key_reused');
    return { application: earlier.application, created: false };
  }

  const { subjectId, problems } = await checkWithRegistries(platform, s.bundle, s.applicantId, parsed.form);
  if (problems.length) throw new FormInvalidError(problems);
  const documents = await checkDocuments(platform.db, s.applicantId, s.documents ?? []);
  const bundle = BUNDLES[s.bundle];
  const id = randomUUID();
  // a birth's child gets their identifier now, so that every part names the same child however often it is done
  const form = s.bundle === 'birth' ? { ...parsed.form, childId: randomUUID() } : parsed.form;
  const name = (s.name?.trim() || bundle.name.ko).slice(0, 200);
  const parts = bundle.parts(parsed.form as never);

  const created = await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [row] = await rows<{ id: string }>(
      tx,
      sql`insert into services.application (id, bundle, applicant_id, subject_id, name, form_enc, documents, idempotency_key, content_hash, created_at)
          values (${id}::uuid, ${s.bundle}, ${s.applicantId}::uuid, ${subjectId}::uuid, ${name}, ${platform.crypto.encrypt(JSON.stringify(form), formContext(id))},
                  ${`{${documents.join(',')}}`}::uuid[], ${key}, ${hash}, ${s.createdAt ?? new Date()})
          on conflict (applicant_id, bundle, idempotency_key) do nothing returning id`,
    );
    if (!row) return false;
    for (const p of parts) {
      const open = !p.after;
      await tx.execute(sql`insert into services.task (id, application_id, kind, agency, after_kind, status, sla_hours, due_at)
                           values (${randomUUID()}::uuid, ${id}::uuid, ${p.kind}, ${p.agency}, ${p.after ?? null}, ${open ? 'open' : 'waiting'}, ${p.slaHours},
                                   ${open ? sql`now() + make_interval(hours => ${p.slaHours})` : sql`null`})`);
    }
    await addEvent(tx, { applicationId: id, kind: 'submitted', actor: s.actor });
    await notifyApplicant(platform, tx, { applicantId: s.applicantId, applicationId: id, bundle: s.bundle, template: 'services.application-received', key: 'received' });
    await platform.audit.append({ actor: s.actor, action: 'services.application.submitted', subject: `services.application:${id}`, data: { bundle: s.bundle, parts: parts.map((p) => p.kind) } }, tx);
    return true;
  });
  if (!created) return { application: (await findByKey(platform, s.applicantId, s.bundle, key))!.application, created: false };
  return { application: (await applicationRow(platform.db, platform.crypto, id))!, created: true };
}

async function findByKey(platform: Platform, applicantId: string, bundle: BundleCode, key: string): Promise<{ application: Application; hash: string | null } | undefined> {
  const [r] = await rows<Parameters<typeof toApplication>[1] & { content_hash: string | null }>(platform.db, sql`select * from services.application where applicant_id = ${applicantId}::uuid and bundle = ${bundle} and idempotency_key = ${key}`);
  return r ? { application: toApplication(platform.crypto, r), hash: r.content_hash } : undefined;
}

/** Tells the applicant about their application (received, or a part decided), in the caller's transaction. */
export async function notifyApplicant(platform: Platform, tx: Db, n: { applicantId: string; applicationId: string; bundle: BundleCode; template: string; key: string; part?: { ko: string; en: string }; decision?: { ko: string; en: string }; note?: string | null }): Promise<void> {
  const b = BUNDLES[n.bundle];
  const link = new URL(`/applications/${n.applicationId}`, platform.config.publicUrl).href;
  await notifyCitizen(
    platform,
    {
      citizenId: n.applicantId,
      template: n.template,
      personalisation: {
        'application.ko': b.name.ko, 'application.en': b.name.en, link,
        ...(n.part ? { 'part.ko': n.part.ko, 'part.en': n.part.en } : {}),
        ...(n.decision ? { 'decision.ko': n.decision.ko, 'decision.en': n.decision.en } : {}),
        // a list renders as bullet lines and may be empty (an empty text would count as missing)
        note: n.note ? [n.note] : [],
      },
      idempotencyKey: `services.application:${n.applicationId}:${n.key}`,
      reference: n.applicationId,
    },
    tx,
  );
}

/**
 * Changes an application's form: the applicant's answer to "ask for more" (the parts sent back
 * open again), or an official's correction while one of their agency's parts is undecided
 * (GovStack `PUT /applications/{fileId}`). What the parts were fanned out for cannot change (a
 * different deceased or other benefits is a new application); the rest is checked again.
 */
export async function changeApplication(
  platform: Platform,
  a: { applicationId: string; by: { kind: 'applicant'; citizenId: string } | { kind: 'official'; agency: string | null }; data: unknown; documents?: string[]; actor: string },
): Promise<Application> {
  const app = await applicationRow(platform.db, platform.crypto, a.applicationId);
  if (!app) throw new NotFoundError('no such application', 'application_not_found');
  const byApplicant = a.by.kind === 'applicant';
  if (byApplicant && app.applicantId !== (a.by as { citizenId: string }).citizenId) throw new NotFoundError('no such application', 'application_not_found');
  if (byApplicant && app.status !== 'SENDBACK') throw new ConflictError('only an application sent back for more information can be changed', 'not_sent_back');
  const parts = await tasksOf(platform.db, app.id);
  // once a part is approved, what was applied for is in a registry: the form stays as it was (only documents may be added)
  const settled = parts.some((t) => t.status === 'approved');
  if (!byApplicant) {
    const agency = (a.by as { agency: string | null }).agency;
    if (settled) throw new ConflictError('a part of this application is approved: what it wrote cannot be changed here', 'partly_processed');
    const mine = parts.filter((t) => (agency === null || t.agency === agency) && (t.status === 'open' || t.status === 'sendback'));
    if (!mine.length) throw new ConflictError('your agency has no open part of this application', 'no_open_part');
  }
  const keep = app.bundle === 'birth' ? { childId: app.form.childId, benefits: app.form.benefits } : app.bundle === 'death' ? { deceasedId: app.form.deceasedId, inquiries: app.form.inquiries } : { addressChanges: app.form.addressChanges };
  let form: Record<string, unknown> = app.form;
  if (!settled) {
    const given = typeof a.data === 'object' && a.data !== null ? (a.data as Record<string, unknown>) : {};
    const parsed = parseForm(app.bundle, { ...given, ...keep });
    if ('problems' in parsed) throw new FormInvalidError(parsed.problems);
    form = { ...parsed.form, ...keep };
    const { problems } = await checkWithRegistries(platform, app.bundle, app.applicantId, form as never);
    if (problems.length) throw new FormInvalidError(problems);
  }
  const documents = a.documents ? await checkDocuments(platform.db, app.applicantId, a.documents) : app.documents;
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const locked = await applicationRow(tx, platform.crypto, app.id, true);
    if (byApplicant && locked?.status !== 'SENDBACK') throw new ConflictError('only an application sent back for more information can be changed', 'not_sent_back');
    await tx.execute(sql`update services.application set form_enc = ${platform.crypto.encrypt(JSON.stringify(form), formContext(app.id))}, documents = ${`{${documents.join(',')}}`}::uuid[], updated_at = now() where id = ${app.id}::uuid`);
    if (byApplicant) await tx.execute(sql`update services.task set status = 'open', due_at = now() + make_interval(hours => sla_hours), escalation = 0, updated_at = now() where application_id = ${app.id}::uuid and status = 'sendback'`);
    await addEvent(tx, { applicationId: app.id, kind: byApplicant ? 'amended' : 'corrected', actor: a.actor });
    await refreshStatus(tx, app.id);
    await platform.audit.append({ actor: a.actor, action: byApplicant ? 'services.application.amended' : 'services.application.corrected', subject: `services.application:${app.id}` }, tx);
  });
  return (await applicationRow(platform.db, platform.crypto, app.id))!;
}

/**
 * The applicant withdraws an application (취하; GovStack Workflow `POST /instances/{id}/stop`):
 * possible while no part is decided (nothing was written to a registry yet); every part is
 * cancelled and the agencies' queues no longer show it.
 */
export async function withdrawApplication(platform: Platform, a: { applicationId: string; applicantId: string | null; actor: string }): Promise<Application> {
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const app = await applicationRow(tx, platform.crypto, a.applicationId, true);
    if (!app || (a.applicantId !== null && app.applicantId !== a.applicantId)) throw new NotFoundError('no such application', 'application_not_found');
    const tasks = await tasksOf(tx, app.id, true);
    if (app.ended) throw new ConflictError('the application has ended', 'application_ended');
    const deciding = (x: Task) => x.claimedAt && x.claimedAt.getTime() > Date.now() - CLAIM_MINUTES * 60_000;
    if (tasks.some((x) => x.status === 'approved' || x.status === 'rejected' || deciding(x))) throw new ConflictError('a part is decided already: ask the agency instead', 'partly_processed');
    await tx.execute(sql`update services.task set status = 'cancelled', note = '신청인 취하 (withdrawn by the applicant)', decided_at = now(), due_at = null, updated_at = now() where application_id = ${app.id}::uuid`);
    // the key is free again: the same application may be submitted anew
    await tx.execute(sql`update services.application set idempotency_key = ${`withdrawn:${app.id}`} where id = ${app.id}::uuid`);
    await addEvent(tx, { applicationId: app.id, kind: 'withdrawn', actor: a.actor });
    await refreshStatus(tx, app.id);
    await platform.audit.append({ actor: a.actor, action: 'services.application.withdrawn', subject: `services.application:${app.id}` }, tx);
  });
  return (await applicationRow(platform.db, platform.crypto, a.applicationId))!;
}

/** An applicant's applications, newest first. */
export async function applicationsOf(platform: Platform, applicantId: string, page = { first: 0, max: 50 }): Promise<Application[]> {
  const found = await rows<Parameters<typeof toApplication>[1]>(platform.db, sql`select * from services.application where applicant_id = ${applicantId}::uuid order by registered_at desc, id limit ${page.max} offset ${page.first}`);
  return found.map((r) => toApplication(platform.crypto, r));
}
