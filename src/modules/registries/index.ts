// STUB — replaced by the registries work.
import { fileURLToPath } from 'node:url';
import type { HanaroModule } from '../../platform/module.ts';

export const registriesModule: HanaroModule = {
  name: 'registries',
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  seeders: [{ name: 'registries.definitions', async run() {} }],
};
