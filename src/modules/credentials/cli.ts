import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { CONFIGURATIONS } from './documents.ts';
import { createOffer } from './offers.ts';

/** `hanaro credentials …`: offers for a citizen, from a terminal. */
export function credentialsCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  cmd
    .command('offer')
    .description('a credential offer (OpenID4VCI, pre-authorized code) for a resident: prints the offer URI (last line) and the transaction code')
    .requiredOption('--citizen <id>', 'the resident (citizen id)')
    .requiredOption('--type <configuration id...>', `one or more of: ${Object.keys(CONFIGURATIONS).join(', ')}`)
    .option('--no-tx-code', 'no transaction code (the offer alone is enough: only for a channel that reaches the citizen alone)')
    .action(async (o: { citizen: string; type: string[]; txCode: boolean }) => {
      await open(async (p) => {
        const offer = await createOffer(p, { citizenId: o.citizen.toLowerCase(), configurationIds: o.type, txCode: o.txCode }, 'operator:cli');
        if (offer.txCode) console.error(`확인 번호 / transaction code: ${offer.txCode}   (until ${offer.expiresAt.toISOString()})`);
        console.log(offer.uri);
      });
    });
}
