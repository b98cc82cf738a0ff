import type { Command } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { issueEnrolmentCode } from './enrolment.ts';
import { OFFICIAL_ROLES } from '../../platform/auth.ts';
import { createClient } from './clients.ts';
import { createOfficial, reissueOfficialCode } from './officials.ts';

/** `hanaro identity …`: what an official at a counter does from a terminal. */
export function identityCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  officialCli(cmd, open);
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
    .option('--redirect-uri <uri...>', 'where codes may be sent (exact match; https in production); required except with --management')
    .option('--public-agency', 'a public agency: public subject ids (others get pairwise ids per sector)')
    .option('--backchannel-logout-uri <uri>', 'where logout tokens are POSTed when a person signs out')
    .option('--agency <code>', 'the agency (member code) whose officials manage it')
    .option('--rrn-legal-basis <law>', 'with --public-agency: the law that lets it receive resident registration numbers (allows the rrn scope)')
    .option('--management', "a management client for --agency: client credentials for the GovStack client-management API (no sign-in flows)")
    .action(async (o: { name: string; redirectUri?: string[]; publicAgency?: boolean; backchannelLogoutUri?: string; agency?: string; rrnLegalBasis?: string; management?: boolean }) => {
      await open(async (p) => {
        const { clientId, clientSecret } = await createClient(p, {
          name: o.name,
          redirectUris: o.redirectUri ?? [],
          publicAgency: o.publicAgency,
          backchannelLogoutUri: o.backchannelLogoutUri,
          agency: o.agency?.toUpperCase(),
          rrnLegalBasis: o.rrnLegalBasis,
          management: o.management,
        });
        console.log(`client_id=${clientId}`);
        console.log(`client_secret=${clientSecret}`);
        console.error(`issuer: ${p.config.publicUrl.replace(/\/$/, '')}/oidc   discovery: ${p.config.publicUrl.replace(/\/$/, '')}/oidc/.well-known/openid-configuration`);
      });
    });
}

/** `hanaro identity official …`: the platform operator's way to make the first officials of an agency. */
export function officialCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  const official = cmd.command('official').description('officials: accounts of an agency with roles, enrolled with an invitation code and passkeys');
  official
    .command('create')
    .description('create an official account; prints the invitation code they redeem at /enrol/official (72 h, one use). The last line is the code.')
    .requiredOption('--name <name>', 'their name, as the console and the audit log show it')
    .requiredOption('--agency <code>', 'their agency (member code, e.g. MOHW)')
    .requiredOption('--role <role...>', `one or more of ${OFFICIAL_ROLES.join(', ')}`)
    .action(async (o: { name: string; agency: string; role: string[] }) => {
      await open(async (p) => {
        const made = await createOfficial(p, { name: o.name, agency: o.agency, roles: o.role }, 'operator:cli');
        console.error(`account ${made.accountId}; 초대 코드 / invitation code (until ${made.expiresAt.toISOString()}):`);
        console.log(made.code);
      });
    });
  official
    .command('code')
    .description('a new invitation code for an official (recovery after losing every passkey); earlier codes stop working')
    .requiredOption('--account <id>', 'the official account id')
    .action(async (o: { account: string }) => {
      await open(async (p) => {
        const made = await reissueOfficialCode(p, o.account.toLowerCase(), 'operator:cli');
        console.error(`초대 코드 / invitation code (until ${made.expiresAt.toISOString()}):`);
        console.log(made.code);
      });
    });
}
