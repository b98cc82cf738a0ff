import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { collect, matchRequest, newHolderKey, receive, resolveRequest, respond, type HeldCredential, type PendingCredential } from './holder.ts';

/**
 * `hanaro wallet receive|list|present`: a holder for automation and tests, speaking the same
 * protocols as the web wallet over HTTP (it needs no database). Documents and their private keys
 * (as JWKs) are kept in a JSON file readable by its owner only: `--store`, or HANARO_WALLET, or
 * ~/.hanaro-wallet.json.
 */
interface FileStore {
  credentials: Array<{ credential: HeldCredential; privateJwk: JsonWebKey }>;
  /** Documents an official must approve first (deferred issuance): `hanaro wallet collect` asks again. */
  pending?: Array<{ pending: PendingCredential; privateJwk: JsonWebKey }>;
}

const storePath = (o: { store?: string }) => path.resolve(o.store ?? process.env.HANARO_WALLET ?? path.join(homedir(), '.hanaro-wallet.json'));

async function load(file: string): Promise<FileStore> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as FileStore;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { credentials: [] };
    throw e;
  }
}
async function save(file: string, s: FileStore): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(s, null, 2), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

const importKey = (jwk: JsonWebKey) => crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);

export function walletCli(cmd: Command): void {
  const withStore = (c: Command) => c.option('--store <file>', 'the wallet file (default HANARO_WALLET or ~/.hanaro-wallet.json)');

  withStore(cmd.command('receive'))
    .description('receive the documents of a credential offer (openid-credential-offer://…) into the wallet file')
    .argument('<offer>', 'the offer link')
    .option('--tx-code <code>', 'the transaction code, when the offer asks for one')
    .action(async (offer: string, o: { store?: string; txCode?: string }) => {
      const file = storePath(o);
      const got = await receive(offer, { txCode: o.txCode, newKey: () => newHolderKey(true) });
      const s = await load(file);
      for (const g of got) {
        const privateJwk = await crypto.subtle.exportKey('jwk', g.key.privateKey);
        if ('pending' in g) {
          (s.pending ??= []).push({ pending: g.pending, privateJwk });
          console.log(`${g.pending.id}  ${g.pending.configurationId}  pending: an official approves it first (hanaro wallet collect)`);
        } else {
          s.credentials.push({ credential: g.credential, privateJwk });
          console.log(`${g.credential.id}  ${g.credential.configurationId}  ${g.credential.name.ko} / ${g.credential.name.en}`);
        }
      }
      await save(file, s);
    });

  withStore(cmd.command('collect'))
    .description('ask again for documents an official had to approve first; prints what arrived and what still waits')
    .action(async (o: { store?: string }) => {
      const file = storePath(o);
      const s = await load(file);
      const still: NonNullable<FileStore['pending']> = [];
      for (const p of s.pending ?? []) {
        try {
          const r = await collect(p.pending);
          if ('credential' in r) {
            s.credentials.push({ credential: r.credential, privateJwk: p.privateJwk });
            console.log(`${r.credential.id}  ${r.credential.configurationId}  received`);
          } else {
            still.push({ ...p, pending: r.pending });
            console.log(`${p.pending.id}  ${p.pending.configurationId}  still pending`);
          }
        } catch (e) {
          console.log(`${p.pending.id}  ${p.pending.configurationId}  ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      s.pending = still;
      await save(file, s);
    });

  withStore(cmd.command('list'))
    .description('the documents in the wallet file')
    .option('--json', 'as JSON, with every claim')
    .action(async (o: { store?: string; json?: boolean }) => {
      const s = await load(storePath(o));
      if (o.json) return console.log(JSON.stringify(s.credentials.map((c) => ({ id: c.credential.id, type: c.credential.configurationId, issuer: c.credential.issuer, receivedAt: c.credential.receivedAt, expiresAt: c.credential.expiresAt, claims: c.credential.claims })), null, 2));
      for (const { credential: c } of s.credentials) console.log(`${c.id}  ${c.configurationId}  ${c.name.ko} / ${c.name.en}  received ${c.receivedAt.slice(0, 10)}`);
    });

  withStore(cmd.command('present'))
    .description('answer a presentation request (openid4vp://… or a wallet link): shows who asks and what goes, then sends it')
    .argument('<request>', 'the request link')
    .option('--dry-run', 'show what would be sent, and send nothing')
    .action(async (link: string, o: { store?: string; dryRun?: boolean }) => {
      const s = await load(storePath(o));
      const req = await resolveRequest(link, { register: `${new URL(new URL(link).searchParams.get('request_uri') ?? '').origin}/credentials/verifiers` });
      const matches = matchRequest(
        req,
        s.credentials.map((c) => c.credential),
      );
      console.log(`요청 / request: ${req.registered ? `${req.registered.name.ko} / ${req.registered.name.en} (registered)` : `${req.clientName} (NOT registered)`}`);
      if (req.purpose) console.log(`이유 / purpose: ${req.purpose.ko} / ${req.purpose.en}`);
      const answers = [];
      for (const m of matches) {
        const c = m.candidates[0]!;
        const claims = m.claims(c).filter((x) => x.required);
        console.log(`${m.queryId}: ${c.name.ko} → ${claims.map((x) => x.label.ko).join(', ')}`);
        const held = s.credentials.find((h) => h.credential.id === c.id)!;
        answers.push({ queryId: m.queryId, credential: c, key: await importKey(held.privateJwk), paths: claims.map((x) => x.path) });
      }
      if (o.dryRun) return;
      const { redirectUri } = await respond(req, answers);
      console.log(redirectUri ? `sent; continue at ${redirectUri}` : 'sent');
    });
}
