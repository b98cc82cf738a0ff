import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { HanaroModule } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { createClientKey, type ClientKey } from './client-keys.ts';
import { protocolPlugin } from './protocol.ts';

/**
 * Test and benchmark helpers for the mediator: a module with only the protocol routes and the
 * exchange migrations (so these tests do not depend on the directory work), directory rows,
 * grants, and a local HTTP provider.
 */
export const protocolTestModule: HanaroModule = {
  name: 'exchange',
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  plugin: protocolPlugin,
};

export interface TestService {
  /** KR/GOV/MOIS/resident-registry/resident */
  id: string;
  provider: string;
  personalData?: boolean;
  logBodies?: boolean;
  timeoutMs?: number;
  disabled?: boolean;
}

async function ensureSubsystem(p: Platform, id: string): Promise<void> {
  const [instance, cls, member, subsystem] = id.split('/');
  await p.db.execute(sql`insert into exchange.member (instance, member_class, member_code, name_ko, name_en)
    values (${instance}, ${cls}, ${member}, ${member}, ${member}) on conflict do nothing`);
  await p.db.execute(sql`insert into exchange.subsystem (instance, member_class, member_code, subsystem_code)
    values (${instance}, ${cls}, ${member}, ${subsystem}) on conflict do nothing`);
}

export async function addService(p: Platform, s: TestService): Promise<void> {
  const [instance, cls, member, subsystem, code] = s.id.split('/');
  await ensureSubsystem(p, s.id.slice(0, s.id.lastIndexOf('/')));
  await p.db.execute(sql`insert into exchange.service (instance, member_class, member_code, subsystem_code, service_code, provider, openapi,
      personal_data, log_bodies, timeout_ms, is_disabled)
    values (${instance}, ${cls}, ${member}, ${subsystem}, ${code}, ${s.provider}, '{}'::jsonb, ${s.personalData ?? true},
      ${s.logBodies ?? false}, ${s.timeoutMs ?? 5000}, ${s.disabled ?? false})
    on conflict (instance, member_class, member_code, subsystem_code, service_code) do update set provider = excluded.provider,
      personal_data = excluded.personal_data, log_bodies = excluded.log_bodies, timeout_ms = excluded.timeout_ms, is_disabled = excluded.is_disabled`);
}

/** A client subsystem with a key kept for in-process signing. */
export async function addClient(p: Platform, id: string, alg: ClientKey['alg'] = 'ed25519'): Promise<ClientKey> {
  await ensureSubsystem(p, id);
  return createClientKey(p, id, { keepPrivate: true, alg });
}

export async function grant(p: Platform, serviceId: string, clientId: string, legalBasis: string | null = null): Promise<void> {
  await p.db.execute(sql`insert into exchange.access_right (service_id, client_id, granted_by, legal_basis)
    values (${serviceId}, ${clientId}, 'test', ${legalBasis})`);
}

export async function revoke(p: Platform, serviceId: string, clientId: string): Promise<void> {
  await p.db.execute(sql`update exchange.access_right set revoked_at = now(), revoked_by = 'test'
    where service_id = ${serviceId} and client_id = ${clientId} and revoked_at is null`);
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface TestProvider {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A local HTTP provider; `handle` answers (default: JSON echo of what it got). */
export async function startProvider(handle?: (req: SeenRequest, res: ServerResponse) => void | Promise<void>): Promise<TestProvider> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(got);
      if (handle) return void Promise.resolve(handle(got, res)).catch(() => res.destroy());
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: got.method, url: got.url, body: got.body.toString('utf8') }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
