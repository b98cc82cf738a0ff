import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { CONFIGURATIONS } from './documents.ts';
import { createOffer, type OfferGrant } from './offers.ts';
import { credentialsOf, reinstateAll, setStatus, suspendAll, type StatusName } from './status.ts';
import { createRelyingParty, disableRelyingParty, listRelyingParties } from './verifier.ts';
import { createWalletClient, disableWalletClient, listWalletClients } from './wallet-clients.ts';

/** `hanaro credentials …`: offers for a citizen, from a terminal. */
export function credentialsCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  cmd
    .command('offer')
    .description('a credential offer (OpenID4VCI, pre-authorized code) for a resident: prints the offer URI (last line) and the transaction code')
    .requiredOption('--citizen <id>', 'the resident (citizen id)')
    .requiredOption('--type <configuration id...>', `one or more of: ${Object.keys(CONFIGURATIONS).join(', ')}`)
    .option('--no-tx-code', 'no transaction code (the offer alone is enough: only for a channel that reaches the citizen alone)')
    .option('--grant <grant...>', 'the grants to offer: pre-authorized_code (default), authorization_code (the wallet signs the citizen in through Hanaro; needs a registered wallet client)')
    .action(async (o: { citizen: string; type: string[]; txCode: boolean; grant?: string[] }) => {
      const grants = (o.grant ?? ['pre-authorized_code']) as OfferGrant[];
      if (grants.some((g) => g !== 'pre-authorized_code' && g !== 'authorization_code')) throw new Error('--grant takes pre-authorized_code and/or authorization_code');
      await open(async (p) => {
        const offer = await createOffer(p, { citizenId: o.citizen.toLowerCase(), configurationIds: o.type, txCode: o.txCode, grants }, 'operator:cli');
        if (offer.txCode) console.error(`확인 번호 / transaction code: ${offer.txCode}   (until ${offer.expiresAt.toISOString()})`);
        console.log(offer.uri);
      });
    });

  cmd
    .command('list')
    .description("a resident's credentials: id, document, status, issued, expires (never their contents)")
    .requiredOption('--citizen <id>', 'the resident (citizen id)')
    .action(async (o: { citizen: string }) => {
      await open(async (p) => {
        for (const c of await credentialsOf(p, o.citizen.toLowerCase())) console.log(`${c.id}  ${c.configurationId}  ${c.status.padEnd(9)}  issued ${c.issuedAt}  expires ${c.expiresAt}`);
      });
    });
  const change = (name: 'revoke' | 'suspend' | 'reinstate', status: StatusName, description: string) =>
    cmd
      .command(name)
      .description(description)
      .option('--credential <id...>', 'one or more credential ids (from `hanaro credentials list`)')
      .option('--citizen <id>', name === 'revoke' ? 'not allowed: revoke names credentials' : 'every credential of this resident (suspend: the valid ones; reinstate: the suspended ones)')
      .requiredOption('--reason <text>', 'why, for the audit log')
      .action(async (o: { credential?: string[]; citizen?: string; reason: string }) => {
        await open(async (p) => {
          let n: number;
          if (o.credential?.length) n = await setStatus(p, o.credential.map((x) => x.toLowerCase()), status, o.reason, 'operator:cli');
          else if (o.citizen && name !== 'revoke') n = name === 'suspend' ? await suspendAll(p, o.citizen.toLowerCase(), o.reason, 'operator:cli') : await reinstateAll(p, o.citizen.toLowerCase(), o.reason, 'operator:cli');
          else throw new Error(`name --credential${name === 'revoke' ? '' : ' or --citizen'}`);
          console.log(`${n} credential(s) now ${status}`);
        });
      });
  change('revoke', 'invalid', 'revoke credentials for good (their status lists say invalid within a minute)');
  change('suspend', 'suspended', 'suspend credentials (a lost device, a check pending); reinstate lifts it');
  change('reinstate', 'valid', 'lift a suspension');

  // ---- relying parties (the verifier) -----------------------------------------------------------
  const verifier = cmd.command('verifier').description('relying parties that verify Hanaro documents (OpenID4VP): register, list, disable');
  verifier
    .command('create')
    .description('register a relying party: prints its client_id and its API key (shown once) for POST /api/verifier/requests')
    .requiredOption('--id <id>', 'a short id, e.g. rp-hana-bank')
    .requiredOption('--name-ko <name>', 'its name in Korean, shown in wallets')
    .requiredOption('--name-en <name>', 'its name in English')
    .requiredOption('--purpose-ko <text>', 'why it asks, in Korean (a request may give its own)')
    .requiredOption('--purpose-en <text>', 'why it asks, in English')
    .option('--agency', 'a public agency (default: a private company)')
    .action(async (o: { id: string; nameKo: string; nameEn: string; purposeKo: string; purposeEn: string; agency?: boolean }) => {
      await open(async (p) => {
        const made = await createRelyingParty(p, { id: o.id, name: { ko: o.nameKo, en: o.nameEn }, kind: o.agency ? 'agency' : 'private', purpose: { ko: o.purposeKo, en: o.purposeEn }, apiKey: true }, 'operator:cli');
        console.error(`client_id: ${made.rp.clientId}`);
        console.error('API key (shown once; keep it secret):');
        console.log(made.apiKey);
      });
    });
  verifier
    .command('list')
    .description('the registered relying parties')
    .action(async () => {
      await open(async (p) => {
        for (const rp of await listRelyingParties(p)) console.log(`${rp.id.padEnd(24)} ${rp.kind.padEnd(8)} ${rp.disabled ? 'disabled' : 'active  '} ${rp.name.ko} / ${rp.name.en}  ${rp.clientId}`);
      });
    });
  verifier
    .command('disable')
    .description('disable a relying party: its API key and pending requests stop working')
    .requiredOption('--id <id>', 'the relying party')
    .action(async (o: { id: string }) => {
      await open(async (p) => console.log((await disableRelyingParty(p, o.id, 'operator:cli')) ? `${o.id} disabled` : `${o.id}: no such active relying party`));
    });

  // ---- wallet clients (the authorization code flow) ---------------------------------------------
  const wallets = cmd.command('wallet-client').description('wallet apps allowed to use the authorization code flow (OAuth public clients): register, list, disable');
  wallets
    .command('create')
    .description('register a wallet app with its exact redirect URIs (https, or an app scheme such as kr.example.wallet:/callback)')
    .requiredOption('--id <client_id>', 'the client_id the wallet sends, e.g. kr.example.wallet')
    .requiredOption('--name-ko <name>', 'its name in Korean, shown on the consent page')
    .requiredOption('--name-en <name>', 'its name in English')
    .requiredOption('--redirect-uri <uri...>', 'one or more redirect URIs (exact match)')
    .action(async (o: { id: string; nameKo: string; nameEn: string; redirectUri: string[] }) => {
      await open(async (p) => {
        const c = await createWalletClient(p, { id: o.id, name: { ko: o.nameKo, en: o.nameEn }, redirectUris: o.redirectUri }, 'operator:cli');
        console.log(`${c.id} registered (public client, PKCE S256): ${c.redirectUris.join(' ')}`);
      });
    });
  wallets
    .command('list')
    .description('the registered wallet clients')
    .action(async () => {
      await open(async (p) => {
        for (const c of await listWalletClients(p.db)) console.log(`${c.id.padEnd(28)} ${c.disabled ? 'disabled' : 'active  '} ${c.name.ko} / ${c.name.en}  ${c.redirectUris.join(' ')}`);
      });
    });
  wallets
    .command('disable')
    .description('disable a wallet client: its pending authorizations, codes and refresh tokens stop working')
    .requiredOption('--id <client_id>', 'the wallet client')
    .action(async (o: { id: string }) => {
      await open(async (p) => console.log((await disableWalletClient(p, o.id, 'operator:cli')) ? `${o.id} disabled` : `${o.id}: no such active wallet client`));
    });
}
