// STUB — replaced by the population generator work.
import type { Command } from 'commander';
import type { Platform } from '../../../platform/platform.ts';
import type { Seeder } from '../../../platform/seed.ts';

export const populationSeeder: Seeder = { name: 'registries.population', dependsOn: ['registries.definitions'], async run() {} };
export function populationCli(_cmd: Command, _open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {}
