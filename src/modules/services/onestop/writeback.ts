import { ConflictError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { addToListOfSubject, agencyRecords, createAs, isDuplicateRrn, newRrn, updateAs, upsertOfSubject, type AgencyWrite } from '../../registries/index.ts';
import type { BirthForm, DeathForm, MoveForm } from './bundles.ts';
import { mediatedRecords } from './registry-reads.ts';
import type { Application, Task } from './store.ts';

/**
 * What an approved part writes back to its agency's registry (docs/services.md): the birth in the
 * family and resident registers, the child's health insurance, the new address in the resident,
 * licence, vehicle and insurance registries, the death in the resident register and the end of
 * coverage; the 안심상속 inquiries read what the heirs are told. Every step can be done again
 * (ids fixed by the application, updates to the same values), so an approval that failed half-way
 * is simply approved again. Returns what the applicant and the official see as the part's result.
 */

const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const address = (f: MoveForm) => `${f.sido} ${f.sigungu} ${f.roadAddress} (${f.postalCode})`;

/** The parents of a birth application: the applicant and, when named, their spouse; mother and father by sex (read through the mediator). */
async function parents(platform: Platform, app: Application, form: BirthForm): Promise<{ motherId?: string; fatherId?: string }> {
  const sexOf = async (id: string) => {
    const recs = await mediatedRecords(platform, 'resident', id, `출생신고 (birth registration) ${app.id}`, 'sex');
    if (!recs) throw new ConflictError('the resident registry did not answer; try again', 'registry_unavailable');
    return recs[0]?.sex;
  };
  const out: { motherId?: string; fatherId?: string } = {};
  const put = (id: string, sex: unknown) => (sex === 'F' ? (out.motherId = id) : (out.fatherId = id));
  put(app.applicantId, await sexOf(app.applicantId));
  if (form.otherParentId) put(form.otherParentId, await sexOf(form.otherParentId));
  return out;
}

async function registerBirthFamily(platform: Platform, w: AgencyWrite, app: Application, form: BirthForm & { childId: string }) {
  const ps = await parents(platform, app, form);
  for (const id of [ps.motherId, ps.fatherId].filter((x): x is string => !!x)) await addToListOfSubject(platform, w, 'family', id, 'children', form.childId);
  return { childId: form.childId, ...ps };
}

async function registerBirthResident(platform: Platform, w: AgencyWrite, app: Application, form: BirthForm & { childId: string }, familyApprover: AgencyWrite | undefined) {
  const home: Record<string, unknown> = (await agencyRecords(platform, w, 'resident', app.applicantId))[0] ?? {};
  const pick = (k: string) => (typeof home[k] === 'string' ? { [k]: home[k] } : {});
  let created = false;
  for (let attempt = 0; ; attempt++) {
    try {
      created = (
        await createAs(platform, w, 'resident', {
          id: form.childId,
          rrn: newRrn(form.birthDate, form.childSex),
          name: form.childName,
          sex: form.childSex,
          birthDate: form.birthDate,
          ...pick('sido'), ...pick('sigungu'), ...pick('roadAddress'), ...pick('postalCode'), ...pick('householdId'),
          householdRole: 'child',
          moveInDate: form.birthDate,
          status: 'active',
        })
      ).created;
      break;
    } catch (e) {
      if (!isDuplicateRrn(e) || attempt >= 5) throw e;
    }
  }
  // the rest of the family registration the court's registry office approved: the child's own record names the parents
  if (familyApprover) {
    const ps = await parents(platform, app, form);
    const mine = (await agencyRecords(platform, familyApprover, 'family', form.childId))[0];
    if (!mine) await upsertOfSubject(platform, familyApprover, 'family', form.childId, { ...(ps.fatherId ? { father: ps.fatherId } : {}), ...(ps.motherId ? { mother: ps.motherId } : {}), maritalStatus: 'single' });
  }
  return { childId: form.childId, created };
}

async function insureChild(platform: Platform, w: AgencyWrite, app: Application, task: Task, form: BirthForm & { childId: string }) {
  const applicant = (await agencyRecords(platform, w, 'health-insurance', app.applicantId))[0];
  const other = form.otherParentId ? (await agencyRecords(platform, w, 'health-insurance', form.otherParentId))[0] : undefined;
  // the child is the dependant of the parent insured through work, else of the applicant
  const insured = [applicant && { id: app.applicantId, r: applicant }, other && { id: form.otherParentId!, r: other }].filter((x) => !!x) as Array<{ id: string; r: Record<string, unknown> }>;
  const through = insured.find((p) => p.r.insuredType === 'employee') ?? insured[0];
  const existing = (await agencyRecords(platform, w, 'health-insurance', form.childId))[0];
  if (existing) return { recordId: existing.id, dependentOf: existing.dependentOf ?? null };
  await createAs(platform, w, 'health-insurance', {
    id: task.id,
    subjectId: form.childId,
    insuredType: 'dependent',
    status: 'insured',
    acquiredDate: form.birthDate,
    ...(through ? { dependentOf: through.id } : {}),
  });
  return { recordId: task.id, dependentOf: through?.id ?? null };
}

async function updateAll(platform: Platform, w: AgencyWrite, code: string, subjectId: string, write: Record<string, unknown>) {
  const recs = await agencyRecords(platform, w, code, subjectId);
  for (const r of recs) await updateAs(platform, w, code, r.id, write);
  return { updated: recs.length };
}

/** Does the approved part's work; the caller records the decision after it. */
export async function performPart(platform: Platform, w: AgencyWrite, app: Application, task: Task, approverOf: (kind: string) => AgencyWrite | undefined): Promise<Record<string, unknown>> {
  const form = app.form;
  switch (task.kind) {
    case 'birth.family':
      return registerBirthFamily(platform, w, app, form as BirthForm & { childId: string });
    case 'birth.register':
      return registerBirthResident(platform, w, app, form as BirthForm & { childId: string }, approverOf('birth.family'));
    case 'birth.insurance':
      return insureChild(platform, w, app, task, form as BirthForm & { childId: string });
    case 'move.register': {
      const f = form as MoveForm;
      await updateAs(platform, w, 'resident', app.applicantId, { sido: f.sido, sigungu: f.sigungu, roadAddress: f.roadAddress, postalCode: f.postalCode, moveInDate: f.moveInDate });
      return { address: address(f) };
    }
    case 'move.licence':
      return updateAll(platform, w, 'licence', app.applicantId, { address: address(form as MoveForm) });
    case 'move.vehicle':
      return updateAll(platform, w, 'vehicle', app.applicantId, { baseAddress: address(form as MoveForm) });
    case 'move.insurance':
      return updateAll(platform, w, 'health-insurance', app.applicantId, { address: address(form as MoveForm) });
    case 'death.register': {
      const f = form as DeathForm;
      await updateAs(platform, w, 'resident', app.subjectId, { status: 'deceased', deathDate: f.deathDate });
      return { deathDate: f.deathDate };
    }
    case 'death.insurance': {
      const f = form as DeathForm;
      return updateAll(platform, w, 'health-insurance', app.subjectId, { status: 'lost', lostDate: dayAfter(f.deathDate) });
    }
    case 'death.tax': {
      const recs = await mediatedRecords(platform, 'tax', app.subjectId, `안심상속 조회 (inheritance inquiry) ${app.id}`, 'taxYear,totalPaid,arrears');
      if (!recs) throw new ConflictError('the tax registry did not answer; try again', 'registry_unavailable');
      return { tax: recs.map((r) => ({ taxYear: r.taxYear ?? null, totalPaid: r.totalPaid ?? 0, arrears: r.arrears ?? 0 })) };
    }
    case 'death.vehicle': {
      const recs = await mediatedRecords(platform, 'vehicle', app.subjectId, `안심상속 조회 (inheritance inquiry) ${app.id}`, 'plateNumber,model,modelYear');
      if (!recs) throw new ConflictError('the vehicle registry did not answer; try again', 'registry_unavailable');
      return { vehicles: recs.map((r) => ({ plateNumber: r.plateNumber ?? null, model: r.model ?? null, modelYear: r.modelYear ?? null })) };
    }
    default:
      // a benefit application (birth.benefit.<service>): granted by the approval, nothing in a registry
      if (task.kind.startsWith('birth.benefit.')) return { granted: task.kind.slice('birth.benefit.'.length) };
      throw new ConflictError(`no work is defined for ${task.kind}`, 'unknown_part');
  }
}
