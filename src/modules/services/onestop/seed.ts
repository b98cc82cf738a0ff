import { sql } from 'drizzle-orm';
import { rows } from '../../../platform/db.ts';
import type { Official } from '../../../platform/auth.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { Seeder } from '../../../platform/seed.ts';
import { ensurePlatformTemplates } from '../../notify/index.ts';
import { residentIdSample } from '../../registries/index.ts';
import { seoulDate, ymd } from '../engine.ts';
import { submitApplication } from './applications.ts';
import { readPrefill, type Prefill } from './registry-reads.ts';
import { decideTask } from './tasks.ts';

/**
 * Demo data for the one-stop applications, so that every agency's queue has work when the demo
 * starts: births (one waiting at the family register, one already registered and waiting at
 * health insurance and the benefits), moves (one at the resident register, one with its address
 * changes open at the licence, vehicle and insurance registries), a death with its 안심상속
 * inquiries, and one part past its SLA. Applicants are real demo residents picked by what their
 * records hold (read through the mediator, as a submission reads them).
 */

const DEMO_OFFICIAL = (agency: string): Official => ({ kind: 'official', id: `demo-${agency.toLowerCase()}`, name: `${agency} 데모 주무관`, agency, roles: ['case-worker'] });
const ageOf = (birth: string, today: string) => Number(today.slice(0, 4)) - Number(birth.slice(0, 4)) - (today.slice(5) < birth.slice(5) ? 1 : 0);
const daysAgo = (n: number) => ymd(new Date(seoulDate().getTime() - n * 86_400_000));
const GIVEN = ['서연', '하준', '지우', '도윤', '하은', '시우'];

export async function seedDemoApplications(platform: Platform): Promise<number> {
  // the acknowledgements go out through notify's platform templates (written at its start; a seed may come first)
  await ensurePlatformTemplates(platform);
  const today = ymd(seoulDate());
  const ids = (await residentIdSample(platform, 0.05)).slice(0, 120);
  const isMother = (p: { pre: Prefill }) => p.pre.me!.sex === 'F' && ageOf(p.pre.me!.birthDate, today) <= 42 && p.pre.family.some((f) => f.relation === 'spouse' && f.status === 'active');
  const isHeir = (p: { pre: Prefill }) => p.pre.family.some((f) => (f.relation === 'father' || f.relation === 'mother') && f.status === 'active' && f.birthDate && ageOf(f.birthDate, today) >= 70);
  const mothers: Array<{ id: string; pre: Prefill }> = [];
  const heirs: typeof mothers = [];
  const movers: typeof mothers = [];
  // read (through the mediator, four at a time) only until each kind of applicant is found: a demo start waits for this
  for (let i = 0; i < ids.length && (mothers.length < 2 || heirs.length < 1 || movers.length < 2); i += 4) {
    const batch = await Promise.all(ids.slice(i, i + 4).map(async (id) => ({ id, pre: await readPrefill(platform, id) })));
    for (const p of batch) {
      if (!p.pre.me || ageOf(p.pre.me.birthDate, today) < 20) continue;
      if (isMother(p) && mothers.length < 2) mothers.push(p);
      else if (isHeir(p) && heirs.length < 1) heirs.push(p);
      else if (!isMother(p) && !isHeir(p) && movers.length < 2) movers.push(p);
    }
  }
  let made = 0;
  const actor = (id: string) => `citizen:${id}`;

  for (const [i, m] of mothers.slice(0, 2).entries()) {
    const spouse = m.pre.family.find((f) => f.relation === 'spouse')!;
    const { application } = await submitApplication(platform, {
      bundle: 'birth', applicantId: m.id, actor: actor(m.id), idempotencyKey: `demo:birth:${i}`,
      data: { childName: `${m.pre.me!.name.slice(0, 1)}${GIVEN[i]}`, childSex: i ? 'M' : 'F', birthDate: daysAgo(3 + i * 4), otherParentId: spouse.id },
    });
    made++;
    if (i === 1) {
      // registered already: the family register and the resident register approved
      for (const [kind, agency] of [['birth.family', 'SCOURT'], ['birth.register', 'MOIS']] as const) {
        const [t] = await rows<{ id: string }>(platform.db, sql`select id from services.task where application_id = ${application.id}::uuid and kind = ${kind} and status = 'open'`);
        if (t) await decideTask(platform, DEMO_OFFICIAL(agency), t.id, { decision: 'approve' });
      }
    }
  }
  for (const [i, p] of movers.slice(0, 2).entries()) {
    const changes = (['licence', 'vehicle', 'health-insurance'] as const).filter((r) => p.pre.holds[r]);
    const { application } = await submitApplication(platform, {
      bundle: 'move', applicantId: p.id, actor: actor(p.id), idempotencyKey: `demo:move:${i}`,
      data: i ? { sido: '대전광역시', sigungu: '유성구', roadAddress: '대학로 99, 3동 402호', postalCode: '34134', moveInDate: daysAgo(2), addressChanges: changes } : { sido: '부산광역시', sigungu: '해운대구', roadAddress: '해운대해변로 264, 1201호', postalCode: '48099', moveInDate: daysAgo(1), addressChanges: changes },
    });
    made++;
    const [main] = await rows<{ id: string }>(platform.db, sql`select id from services.task where application_id = ${application.id}::uuid and kind = 'move.register' and status = 'open'`);
    if (main && i === 1) await decideTask(platform, DEMO_OFFICIAL('MOIS'), main.id, { decision: 'approve' });
    // the other waits past its SLA, escalated at the next SLA check
    if (main && i === 0) await platform.db.execute(sql`update services.task set due_at = now() - interval '2 hours', created_at = now() - interval '26 hours' where id = ${main.id}::uuid`);
  }
  const heir = heirs[0];
  if (heir) {
    const parent = heir.pre.family.find((f) => (f.relation === 'father' || f.relation === 'mother') && f.status === 'active' && f.birthDate && ageOf(f.birthDate, today) >= 70)!;
    await submitApplication(platform, { bundle: 'death', applicantId: heir.id, actor: actor(heir.id), idempotencyKey: 'demo:death:0', data: { deceasedId: parent.id, deathDate: daysAgo(2), deathPlace: '요양병원' } });
    made++;
  }
  return made;
}

export const onestopSeeder: Seeder = {
  name: 'services.applications',
  dependsOn: ['registries.population', 'exchange.client-keys', 'exchange.directory'],
  async run({ platform }) {
    await seedDemoApplications(platform);
  },
};
