import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { createClientKey, listClientKeys, revokeClientKey } from './client-keys.ts';
import { exportEvidence } from './evidence.ts';
import { verifyMessageLog } from './message-log-verify.ts';
import { mediatedCall } from './protocol-call.ts';
import type { SignatureAlg } from './signatures.ts';

type Open = <T>(fn: (p: Platform) => Promise<T>) => Promise<T>;

const intArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

/** `hanaro exchange …`: call, verify-log, evidence, client-key. */
export function exchangeCli(cmd: Command, open: Open): void {
  cmd
    .command('call')
    .description('make a signed, logged mediated call as a client subsystem; prints the answer and its X-Road-Id')
    .requiredOption('--client <id>', 'client subsystem, e.g. KR/GOV/MOHW/welfare-services')
    .requiredOption('--service <id>', 'service, e.g. KR/GOV/MOIS/resident-registry/resident')
    .option('--path <path>', 'path (and query) below the service, e.g. /records', '/records')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--data <json>', 'JSON request body')
    .option('--user <citizen>', 'X-Road-UserId: the citizen the request is about')
    .requiredOption('--purpose <text>', 'X-Road-Issue: the case or purpose')
    .action(async (o: { client: string; service: string; path: string; method: string; data?: string; user?: string; purpose: string }) => {
      let body: unknown;
      if (o.data !== undefined) {
        try {
          body = JSON.parse(o.data) as unknown;
        } catch {
          throw new InvalidArgumentError('--data must be JSON');
        }
      }
      await open(async (p) => {
        const res = await mediatedCall(p, { client: o.client, service: o.service, path: o.path, method: o.method, body, userId: o.user, issue: o.purpose });
        console.log(typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? null, null, 2));
        if (res.status >= 400) {
          console.error(`HTTP ${res.status}${res.headers['x-road-error'] ? ` ${res.headers['x-road-error']}` : ''}`);
          process.exitCode = 1;
        }
        console.log(`X-Road-Id: ${res.xRoadId}`);
      });
    });

  cmd
    .command('verify-log')
    .description('check the message log: chain, hashes and signatures; exit code 2 on a problem')
    .option('--batch <n>', 'entries read per query', intArg, 2000)
    .action(async (o: { batch: number }) => {
      await open(async (p) => {
        const r = await verifyMessageLog(p, { batchSize: o.batch });
        if (r.ok) {
          console.log(r.head ? `message log ok: ${r.count} entries; head ${r.head.seq} ${r.head.hash}` : 'message log ok: no entries');
        } else {
          console.log(`message log problem at seq ${r.seq}: ${r.problem} (${r.detail}); the ${r.checked} entries before it are intact`);
          process.exitCode = 2;
        }
      });
    });

  cmd
    .command('evidence')
    .description('print the signed message-log evidence of one exchange (entries, neighbour hashes, JWKS) as JSON')
    .argument('<x-road-id>')
    .action(async (xRoadId: string) => {
      await open(async (p) => {
        const ev = await exportEvidence(p, xRoadId);
        if (!ev) {
          console.error(`no exchange ${xRoadId} in the message log`);
          process.exitCode = 1;
          return;
        }
        console.log(JSON.stringify(ev, null, 2));
      });
    });

  const keys = cmd.command('client-key').description('signing keys of client subsystems');
  keys
    .command('create')
    .description('make a key for a client subsystem; prints the private JWK once (only the public key is stored)')
    .requiredOption('--client <id>', 'client subsystem, e.g. KR/GOV/MOHW/welfare-services')
    .addOption(new Option('--alg <alg>', 'signature algorithm').choices(['ed25519', 'ecdsa-p256-sha256']).default('ed25519'))
    .action(async (o: { client: string; alg: SignatureAlg }) => {
      await open(async (p) => {
        const k = await createClientKey(p, o.client, { alg: o.alg, actor: 'operator:cli' });
        console.error(`key ${k.kid} (${k.alg}) registered for ${o.client}; keep this private JWK safe, it is not shown again:`);
        console.log(JSON.stringify(k.privateJwk));
      });
    });
  keys
    .command('list')
    .description('keys, newest first per client')
    .option('--client <id>', 'only this client subsystem')
    .action(async (o: { client?: string }) => {
      await open(async (p) => {
        const list = await listClientKeys(p, o.client);
        if (!list.length) console.log('no client keys');
        for (const k of list) {
          console.log(`${k.kid}  ${k.alg.padEnd(17)}  ${k.clientId}  created ${k.createdAt}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}${k.inProcess ? '  (in-process)' : ''}`);
        }
      });
    });
  keys
    .command('revoke')
    .description('revoke a key; requests signed with it fail within 2 s on every server')
    .argument('<kid>')
    .action(async (kid: string) => {
      await open(async (p) => {
        const done = await revokeClientKey(p, kid, 'operator:cli');
        console.log(done ? `revoked ${kid}` : `no active key ${kid}`);
        if (!done) process.exitCode = 1;
      });
    });
}
