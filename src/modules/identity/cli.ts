import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { issueEnrolmentCode } from './enrolment.ts';
import { createClient } from './oidc.ts';

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

  const client = cmd.command('client').description('single sign-on clients (relying parties) of the OpenID Provider');
  client
    .command('create')
    .description('register a relying party; prints its client id and secret (the secret only now)')
    .requiredOption('--name <name>', 'the service as people see it on the consent page')
    .requiredOption('--redirect-uri <uri...>', 'where codes may be sent (exact match; https in production)')
    .option('--public-agency', 'a public agency: public subject ids (others get pairwise ids per sector)')
    .option('--backchannel-logout-uri <uri>', 'where logout tokens are POSTed when a person signs out')
    .option('--agency <code>', 'the agency (member code) whose officials manage it')
    .action(async (o: { name: string; redirectUri: string[]; publicAgency?: boolean; backchannelLogoutUri?: string; agency?: string }) => {
      await open(async (p) => {
        const { clientId, clientSecret } = await createClient(p, { name: o.name, redirectUris: o.redirectUri, publicAgency: o.publicAgency, backchannelLogoutUri: o.backchannelLogoutUri, agency: o.agency });
        console.log(`client_id=${clientId}`);
        console.log(`client_secret=${clientSecret}`);
        console.error(`issuer: ${p.config.publicUrl.replace(/\/$/, '')}/oidc   discovery: ${p.config.publicUrl.replace(/\/$/, '')}/oidc/.well-known/openid-configuration`);
      });
    });
}
