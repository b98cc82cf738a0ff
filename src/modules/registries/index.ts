import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { HanaroModule } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { definitionsSeeder } from './catalog.ts';
import { registriesCli } from './cli.ts';
import { populationCli, populationSeeder } from './population/index.ts';
import { dataRoutes } from './routes-data.ts';
import { databaseRoutes } from './routes-database.ts';
import { historyRoutes, publicRoutes } from './routes-hanaro.ts';

// What other modules may use. The exchange module serves the registries as mediated services
// through handleMediatedRequest and publishes each with registryServiceOpenApi.
export { listRegistries, findRegistry, registryInDb, REGISTRY_CHANGED, type RegistryChanged, type RegistryInfo } from './catalog.ts';
export { AGENCIES, REGISTRY_DEFINITIONS, RESIDENT, type RegistryField, type RegistryDefinition, type FieldType, type SubjectKind, type Text } from './definitions.ts';
export { handleMediatedRequest, EXISTS_ITEM, type MediatedRequest, type MediatedResult } from './mediated.ts';
export { registryServiceOpenApi } from './service-openapi.ts';
export { HOUSEHOLD_VIEW, householdServiceOpenApi } from './household-view.ts';
export { residentClaims, residentHasRrn, residentRrn, residentSummary, type ResidentClaims } from './resident-check.ts';
export { sampleCitizen, residentIdSample } from './population/index.ts';
export { createApiKey, revokeApiKeys, type ApiCaller } from './auth.ts';
export {
  BIRTH_REGISTERED,
  RESIDENT_MOVED,
  DEATH_REGISTERED,
  LIFE_EVENT_TYPES,
  type LifeEventType,
  type BirthRegistered,
  type ResidentMoved,
  type DeathRegistered,
  type Place,
} from './life-events.ts';
export { RECORD_STATUS_CHANGED, type RecordStatusChanged } from './status-events.ts';
export { agencyRecords, addToListOfSubject, createAs, updateAs, upsertOfSubject, newRrn, isDuplicateRrn, type AgencyWrite } from './writes.ts';

/** The GovStack Digital Registries building block's prefix. */
export const GOVSTACK_PREFIX = '/govstack/digital-registries';

/**
 * Agency registries: registries defined by a schema, each owned by its agency; the GovStack
 * Digital Registries Data and Database APIs for the owners; record history; life events of the
 * resident registry; and the registries as services of the information mediator.
 */
export const registriesModule: HanaroModule = {
  name: 'registries',
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  async plugin(app: FastifyInstance, opts: { platform: Platform }) {
    // each registered apart, so that each auth hook covers its own routes only
    await app.register(dataRoutes, { ...opts, prefix: GOVSTACK_PREFIX });
    await app.register(databaseRoutes, { ...opts, prefix: GOVSTACK_PREFIX });
    await app.register(historyRoutes, opts);
    await app.register(publicRoutes, opts);
  },
  seeders: [definitionsSeeder, populationSeeder],
  cli(cmd, open) {
    registriesCli(cmd, open);
    populationCli(cmd, open);
  },
};
