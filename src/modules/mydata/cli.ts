import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { createRecipient, disableRecipient, listAgreements, listRecipients } from './agreements.ts';
import { expireConsents } from './consents.ts';
import { scanNewRecipients } from './access.ts';
import { verifyChain } from './revisions.ts';
import { consentCounts } from './seed.ts';

/** `hanaro mydata …`: recipients (and their one-time API keys), agreements, upkeep, chain checks. */
export function mydataCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  const recipient = cmd.command('recipient').description('recipients of citizens\' data (agencies and registered third parties)');
  recipient
    .command('create')
    .description('register a recipient and print its API key (shown once)')
    .requiredOption('--id <id>', 'lower-case id, e.g. hanbank-loans')
    .requiredOption('--kind <kind>', 'agency | third-party')
    .requiredOption('--name-ko <name>')
    .requiredOption('--name-en <name>')
    .option('--client <subsystem>', 'its X-Road client subsystem, e.g. KR/COM/HANBANK/loans')
    .option('--url <url>')
    .action(async (o: { id: string; kind: 'agency' | 'third-party'; nameKo: string; nameEn: string; client?: string; url?: string }) => {
      const made = await open((p) =>
        createRecipient(p, { id: o.id, kind: o.kind, name: { ko: o.nameKo, en: o.nameEn }, ...(o.client ? { clientId: o.client } : {}), ...(o.url ? { url: o.url } : {}) }, 'system:cli'),
      );
      process.stdout.write(`${JSON.stringify({ recipient: made.recipient, apiKey: made.apiKey }, null, 2)}\n`);
    });
  recipient
    .command('key')
    .description('give an existing recipient a new API key (the old one stops working)')
    .requiredOption('--id <id>')
    .action(async (o: { id: string }) => {
      const { rotateRecipientKey } = await import('./agreements.ts');
      const key = await open((p) => rotateRecipientKey(p, o.id, 'system:cli'));
      process.stdout.write(`${JSON.stringify({ id: o.id, apiKey: key }, null, 2)}\n`);
    });
  recipient.command('list').action(async () => {
    process.stdout.write(`${JSON.stringify(await open((p) => listRecipients(p.db)), null, 2)}\n`);
  });
  recipient
    .command('disable')
    .requiredOption('--id <id>')
    .action(async (o: { id: string }) => {
      await open((p) => disableRecipient(p, o.id, 'system:cli'));
    });
  cmd
    .command('agreements')
    .description('list data agreements')
    .option('--recipient <id>')
    .action(async (o: { recipient?: string }) => {
      const found = await open((p) => listAgreements(p.db, o.recipient ? { recipientId: o.recipient } : {}));
      process.stdout.write(`${JSON.stringify(found.map((a) => ({ id: a.id, version: a.version, recipient: a.recipient.id, purpose: a.purpose, items: a.items, modes: a.modes })), null, 2)}\n`);
    });
  cmd
    .command('sweep')
    .description('record the expiry of consents whose end has passed and raise new-recipient alerts')
    .action(async () => {
      const out = await open(async (p) => ({ expired: await expireConsents(p), alerts: await scanNewRecipients(p), consents: await consentCounts(p.db) }));
      process.stdout.write(`${JSON.stringify(out)}\n`);
    });
  cmd
    .command('verify')
    .description('re-check the signed hash chain of a consent record, data agreement or policy')
    .requiredOption('--id <id>')
    .option('--schema <name>', 'consentRecord | dataAgreement | policy', 'consentRecord')
    .action(async (o: { id: string; schema: 'consentRecord' | 'dataAgreement' | 'policy' }) => {
      const r = await open((p) => verifyChain(p, o.schema, o.id));
      process.stdout.write(`${JSON.stringify(r)}\n`);
      if (!r.valid) process.exitCode = 1;
    });
}
