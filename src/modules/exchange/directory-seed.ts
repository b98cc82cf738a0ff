import { AGENCIES, listRegistries, registryServiceOpenApi, type RegistryInfo } from '../registries/index.ts';
import type { Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Seeder } from '../../platform/seed.ts';
import { createMember, createService, createSubsystem, findMember, findSubsystem, grantAccessRight } from './directory.ts';
import { INSTANCE, memberOf } from './directory-ids.ts';
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
      services.set(r.code, id);
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
          { actingMember: memberOf(serviceId), actor: 'system:seed', serviceId, clientId: right.client, legalBasis: right.legalBasis },
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
