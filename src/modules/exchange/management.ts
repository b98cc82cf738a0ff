// STUB — replaced by the exchange directory and pub/sub work.
import type { FastifyInstance } from 'fastify';
import type { EventHandler } from '../../platform/events.ts';
import type { Seeder } from '../../platform/seed.ts';
import type { Platform } from '../../platform/platform.ts';

export async function managementPlugin(_app: FastifyInstance, _opts: { platform: Platform }): Promise<void> {}
export const directorySeeder: Seeder = { name: 'exchange.directory', dependsOn: ['registries.definitions'], async run() {} };
export const lifeEventSubscriptions: Record<string, EventHandler> = {};
