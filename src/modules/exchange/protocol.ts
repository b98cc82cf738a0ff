// STUB — replaced by the exchange protocol work (X-Road REST, signatures, message log).
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { Seeder } from '../../platform/seed.ts';
import type { Platform } from '../../platform/platform.ts';

export interface MediatedCall {
  client: string;
  service: string;
  method?: string;
  path?: string;
  userId?: string;
  issue?: string;
  body?: unknown;
}
export interface MediatedResponse {
  status: number;
  xRoadId: string;
  headers: Record<string, string>;
  body: unknown;
}
export async function mediatedCall(_platform: Platform, _call: MediatedCall): Promise<MediatedResponse> {
  throw new Error('not built yet');
}
export async function protocolPlugin(_app: FastifyInstance, _opts: { platform: Platform }): Promise<void> {}
export const clientKeySeeder: Seeder = { name: 'exchange.client-keys', dependsOn: ['exchange.directory'], async run() {} };
export function exchangeCli(_cmd: Command, _open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {}
