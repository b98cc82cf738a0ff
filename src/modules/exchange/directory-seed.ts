import { sql } from 'drizzle-orm';
import {
  AGENCIES,
  HOUSEHOLD_VIEW,
  householdServiceOpenApi,
  listRegistries,
  REGISTRY_CHANGED,
  registryInDb,
  registryServiceOpenApi,
  RESIDENT,
  type RegistryChanged,
  type RegistryInfo,
} from '../registries/index.ts';
import { rows, type Db } from '../../platform/db.ts';
import type { EventHandler } from '../../platform/events.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Seeder } from '../../platform/seed.ts';
import { createMember, createService, createSubsystem, findMember, findSubsystem, grantAccessRight } from './directory.ts';
import { INSTANCE, memberOf, parseServiceId } from './directory-ids.ts';
import { CLIENT_SUBSYSTEMS, EVENTS_SERVICE, LIFE_EVENT_PUBLISHER, PROVIDER_SUBSYSTEM_NAMES, SEED_MEMBERS, SEED_RIGHTS } from './directory-seed-data.ts';
import { createEventType, findEventType } from './pubsub.ts';
import { LIFE_EVENT_TYPES } from './pubsub-life-events.ts';

/** The registries in service, one (the latest) version per code: each is one mediated service. */
export async function registriesToPublish(platform: Platform): Promise<RegistryInfo[]> {
  const latest = new Map<string, RegistryInfo>();
  for (const r of await listRegistries(platform)) latest.set(r.code, r); // ordered by code and version
  return [...latest.values()];
}

export const registryServiceId = (r: Pick<RegistryInfo, 'agency' | 'subsystem' | 'code'>) => `${INSTANCE}/GOV/${r.agency}/${r.subsystem}/${r.code}`;

/**
 * The resident registry's household view (what a 주민등록표 등본 shows) is a service of its own,
 * `KR/GOV/MOIS/resident-registry/household`, so that it takes its own access rights: a right to
 * read a resident is not a right to read everyone in their household.
 */
export const householdServiceId = (r: Pick<RegistryInfo, 'agency' | 'subsystem'>) => `${INSTANCE}/GOV/${r.agency}/${r.subsystem}/${HOUSEHOLD_VIEW}`;
const householdProvider = (r: Pick<RegistryInfo, 'code' | 'version'>) => `registry:${r.code}/${r.version}/${HOUSEHOLD_VIEW}`;

/**
 * Publishes a registry as a mediated service of its agency's provider subsystem (member and
 * subsystem made when missing; the service's version, provider and OpenAPI follow the registry).
 * No one gets access: rights are granted by the agency. Returns the service id.
 */
export async function publishRegistryService(tx: Db, r: RegistryInfo): Promise<string> {
  const memberId = `${INSTANCE}/GOV/${r.agency}`;
  if (!(await findMember(tx, memberId))) await createMember(tx, { memberClass: 'GOV', memberCode: r.agency, name: AGENCIES[r.agency] ?? { ko: r.agency, en: r.agency } });
  await createSubsystem(tx, `${memberId}/${r.subsystem}`, PROVIDER_SUBSYSTEM_NAMES[r.subsystem] ?? { ko: `${r.name.ko} 시스템`, en: `${r.name.en} system` });
  const id = registryServiceId(r);
  await createService(tx, {
    id,
    version: r.version,
    title: r.name,
    provider: `registry:${r.code}/${r.version}`,
    openapi: registryServiceOpenApi(r),
    personalData: r.personal,
  });
  if (r.code === RESIDENT) {
    await createService(tx, {
      id: householdServiceId(r),
      version: r.version,
      title: { ko: '세대 (주민등록표 등본)', en: 'Household (resident registration certificate)' },
      provider: householdProvider(r),
      openapi: householdServiceOpenApi(r),
      personalData: true,
    });
  }
  return id;
}

/**
 * The directory follows the Database API: a registry created or extended there is published (or
 * republished with its new fields) as its agency's service, one disabled there is disabled here.
 * Runs in the delivery's transaction; a registry changed again since is taken as it is now.
 */
export const registrySubscriptions: Record<string, EventHandler<RegistryChanged>> = {
  [REGISTRY_CHANGED]: async (job, tx) => {
    const r = await registryInDb(tx, job.payload.data.registryId);
    if (!r) return;
    const id = registryServiceId(r);
    if (r.disabled) {
      const services: Array<[string, string]> = [[id, `registry:${r.code}/${r.version}`]];
      if (r.code === RESIDENT) services.push([householdServiceId(r), householdProvider(r)]);
      for (const [serviceId, provider] of services) {
        const s = parseServiceId(serviceId)!;
        await tx.execute(sql`update exchange.service set is_disabled = true
          where instance = ${s.instance} and member_class = ${s.memberClass} and member_code = ${s.memberCode}
            and subsystem_code = ${s.subsystemCode} and service_code = ${s.serviceCode} and provider = ${provider}`);
      }
      return;
    }
    // a later version of the same code replaces the service only when it is the latest
    const [newer] = await rows(tx, sql`select 1 from registries.registry where code = ${r.code} and id > ${r.id} and not is_disabled`);
    if (!newer) await publishRegistryService(tx, r);
  },
};

/**
 * Writes the seeded directory: members, each registry's provider subsystem and mediated service,
 * the client subsystems, the life-event types, and the access rights, each granted by the member
 * that provides the service (so each is in the audit log). Running it again changes nothing.
 */
export async function seedDirectory(platform: Platform, regs: RegistryInfo[]): Promise<void> {
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    for (const m of SEED_MEMBERS) await createMember(tx, m);
    const services = new Map<string, string>();
    for (const r of regs) {
      services.set(r.code, await publishRegistryService(tx, r));
      if (r.code === RESIDENT) services.set(HOUSEHOLD_VIEW, householdServiceId(r));
    }
    for (const c of CLIENT_SUBSYSTEMS) await createSubsystem(tx, c.id, c.name);
    if (services.has('resident')) {
      for (const e of LIFE_EVENT_TYPES) {
        if (await findEventType(tx, LIFE_EVENT_PUBLISHER, e.eventType)) continue;
        const input = { caller: LIFE_EVENT_PUBLISHER, publisherId: LIFE_EVENT_PUBLISHER, eventType: e.eventType, title: e.title, schema: e.schema };
        await createEventType(platform, input, tx);
      }
      services.set(EVENTS_SERVICE, `${LIFE_EVENT_PUBLISHER}/${EVENTS_SERVICE}`);
    }
    for (const right of SEED_RIGHTS) {
      if (!(await findSubsystem(tx, right.client))) continue; // a provider subsystem of a registry not installed
      for (const code of right.services) {
        const serviceId = services.get(code);
        if (!serviceId) continue; // a registry this installation does not have
        await grantAccessRight(
          platform,
          { actingMember: memberOf(serviceId), actor: 'system:seed', serviceId, clientId: right.client, legalBasis: right.legalBasis, requiresConsent: right.requiresConsent },
          tx,
        );
      }
    }
  });
}

export const directorySeeder: Seeder = {
  name: 'exchange.directory',
  dependsOn: ['registries.definitions'],
  async run({ platform }) {
    await seedDirectory(platform, await registriesToPublish(platform));
  },
};
