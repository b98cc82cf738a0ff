import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import type { HanaroModule } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { registriesModule, type RegistryInfo } from '../registries/index.ts';
import { createRng } from '../../platform/seed.ts';
import { createClientKey } from './client-keys.ts';
import { registriesToPublish, seedDirectory } from './directory-seed.ts';
import { directorySeeder, lifeEventSubscriptions, managementPlugin, pubsubJobs, registrySubscriptions } from './management.ts';
import { signRequest, type ClientSigner } from './signatures.ts';

// Test support for the directory and pub/sub tests (imported by *.test.ts only).

/** The exchange module with only the management side (the protocol side is tested on its own). */
export const managementModule: HanaroModule = {
  name: 'exchange',
  dependsOn: ['registries'],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  plugin: managementPlugin,
  seeders: [directorySeeder],
  subscribes: { ...lifeEventSubscriptions, ...registrySubscriptions },
  jobs: pubsubJobs,
};
export const testModules: HanaroModule[] = [registriesModule, managementModule];

/** Seeds the registry definitions (no population) and the directory; returns the registries published. */
export async function seedForTests(platform: Platform): Promise<RegistryInfo[]> {
  const definitions = registriesModule.seeders?.find((s) => s.name === 'registries.definitions');
  if (!definitions) throw new Error('the registries module has no registries.definitions seeder');
  await definitions.run({ platform, seed: 1, rng: createRng(1), options: {}, progress: { start() {}, increment() {}, stop() {} } });
  const regs = await registriesToPublish(platform);
  await seedDirectory(platform, regs);
  return regs;
}

/** Signs requests as client subsystems (a key is made and registered per client on first use). */
export function clientSigners(platform: Platform) {
  const signers = new Map<string, Promise<ClientSigner>>();
  const signer = (clientId: string) => {
    let s = signers.get(clientId);
    if (!s) {
      s = createClientKey(platform, clientId).then((k) => ({
        kid: k.kid,
        alg: k.alg,
        privateKey: createPrivateKey({ key: k.privateJwk as JsonWebKey, format: 'jwk' }),
      }));
      signers.set(clientId, s);
    }
    return s;
  };
  /** `app.inject` options for a request signed by `clientId` and naming it in X-GovStack-Client. */
  return async (clientId: string, method: string, url: string, body?: unknown, extra: Record<string, string> = {}): Promise<InjectOptions> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { 'x-govstack-client': clientId, ...extra };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const signed = await signRequest(await signer(clientId), {
      method,
      url: `http://localhost${url}`,
      headers,
      body: payload === undefined ? undefined : Buffer.from(payload),
    });
    return { method: method as InjectOptions['method'], url, headers: { ...headers, ...signed }, payload };
  };
}

export type Signed = ReturnType<typeof clientSigners>;

/** Validates bodies against the component schemas of a GovStack YAML file (ajv, strict off). */
export function govstackSchemas(file: 'GovStack_IM_Directory_Services_API.yaml' | 'GovStack_IM_PubSub_API.yaml') {
  const url = new URL(`../../../specs/govstack/information-mediator/${file}`, import.meta.url);
  const doc = parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its default export arrives as the module object under ESM
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (a: Ajv) => void;
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'spec' });
  return (name: string, body: unknown): string[] => {
    const validate = ajv.compile({ $ref: `spec#/components/schemas/${name}` });
    return validate(body) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message}`);
  };
}

export async function json(app: FastifyInstance, opts: InjectOptions): Promise<{ status: number; body: any; text: string; headers: Record<string, unknown> }> {
  const res = await app.inject(opts);
  let body: unknown;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body, text: res.body, headers: res.headers };
}
