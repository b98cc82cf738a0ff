import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { issueEnrolmentCode } from './enrolment.ts';

/** `hanaro identity …`: what an official at a counter does from a terminal. */
export function identityCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  cmd
    .command('enrolment-code')
    .description('issue a one-time enrolment code for a resident whose ID card you checked (valid 72 h, one use; revokes earlier codes). The last line is the code.')
    .requiredOption('--citizen <id>', 'the resident (citizen id, e.g. from `hanaro registries sample-citizen`)')
    .option('--official <who>', 'who issues it, for the audit log', 'operator:cli')
    .action(async (o: { citizen: string; official: string }) => {
      await open(async (p) => {
        const { code, expiresAt } = await issueEnrolmentCode(p, o.citizen.toLowerCase(), o.official);
        console.error(`등록 코드 / enrolment code (until ${expiresAt.toISOString()}):`);
        console.log(code);
      });
    });
}
