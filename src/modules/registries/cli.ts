import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { createApiKey, listApiKeys, revokeApiKeys } from './auth.ts';
import { listRegistries } from './catalog.ts';

type Open = <T>(fn: (p: Platform) => Promise<T>) => Promise<T>;

/** Who ran the command, for the audit log. */
function operator(): string {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return 'operator:unknown';
  }
}

const idArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a key id');
  return n;
};

/** `hanaro registries …`: API keys of owner agencies' systems, and the registry list. */
export function registriesCli(cmd: Command, open: Open): void {
  const keys = cmd.command('api-key').description('API keys of agency systems calling the GovStack Data and Database APIs directly');

  keys
    .command('create')
    .description('make a key for a client subsystem; the key is printed once (last line) and only its hash is kept')
    .requiredOption('--client <id>', 'client subsystem, INSTANCE/CLASS/MEMBER/SUBSYSTEM (KR/GOV/MOIS/resident-registry)')
    .option('--label <text>', 'what the key is for')
    .action(async (o: { client: string; label?: string }) => {
      await open(async (p) => {
        const { key, id } = await createApiKey(p, { client: o.client, label: o.label, actor: operator() });
        console.log(`API key ${id} for ${o.client} (send it as "Authorization: Bearer <key>" with "Information-Mediator-Client: ${o.client}"):`);
        console.log(key);
      });
    });

  keys
    .command('revoke')
    .description('revoke a key by id or value, or every key of a client')
    .option('--id <n>', 'key id (from api-key list)', idArg)
    .option('--key <key>', 'the key itself')
    .option('--client <id>', 'every key of this client subsystem')
    .action(async (o: { id?: number; key?: string; client?: string }) => {
      if (o.id === undefined && !o.key && !o.client) throw new InvalidArgumentError('name --id, --key or --client');
      await open(async (p) => console.log(`${await revokeApiKeys(p, { ...o, actor: operator() })} key(s) revoked`));
    });

  keys
    .command('list')
    .description('every key: id, client, label, created, revoked')
    .action(async () => {
      await open(async (p) => {
        const list = await listApiKeys(p);
        if (!list.length) console.log('no API keys');
        for (const k of list) console.log(`${k.id}\t${k.client}\t${k.label || '-'}\t${k.createdAt}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`);
      });
    });

  cmd
    .command('list')
    .description('the registries in service: code, version, owner, service id')
    .action(async () => {
      await open(async (p) => {
        for (const r of await listRegistries(p)) console.log(`${r.code}\t${r.version}\t${r.agency}\t${r.serviceId}\t${r.name.ko} / ${r.name.en}`);
      });
    });
}
