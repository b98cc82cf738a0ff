import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Platform } from '../../platform/platform.ts';
import { notifyCitizen } from './citizens.ts';
import { normaliseRecipient, prepare, queueMessages } from './send.ts';
import { createApiKey, createService, findService, isUuid, listApiKeys, listServices, revokeApiKey, type KeyKind } from './services.ts';
import { findTemplate, listTemplates, Personalisation, type Channel } from './templates.ts';

const json = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);

function parsePersonalisation(text: string): Personalisation {
  try {
    return Personalisation.parse(JSON.parse(text));
  } catch {
    throw new InvalidArgumentError('expected a JSON object of strings and numbers, e.g. \'{"name":"홍길동"}\'');
  }
}

/** `hanaro notify …`: send a message, manage services and their keys, list templates. */
export function notifyCli(cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>): void {
  cmd
    .command('send')
    .description('queue a message: to a citizen (their channels), an e-mail address or a mobile number; the worker sends it')
    .requiredOption('--template <id|code>', 'a template id, or a platform template code such as mydata.new-reader')
    .requiredOption('--to <citizen|address>', 'a citizen id, an e-mail address or a Korean mobile number')
    .option('--personalisation <json>', 'values for the placeholders', parsePersonalisation, {})
    .option('--lang <ko|en>', 'language (citizens: their own)', 'ko')
    .option('--channel <channel>', 'email | sms | alimtalk | inbox (default: from the address)')
    .action(async (o: { template: string; to: string; personalisation: Personalisation; lang: 'ko' | 'en'; channel?: Channel }) => {
      const out = await open(async (p) => {
        const template = isUuid(o.template) ? await findTemplate(p.db, { id: o.template }) : await findTemplate(p.db, { code: o.template, serviceId: null });
        if (!template) throw new Error(`no template ${o.template}`);
        const key = `cli:${Date.now()}:${process.pid}`;
        if (isUuid(o.to) && (!o.channel || o.channel === 'inbox')) {
          const r = await notifyCitizen(p, { citizenId: o.to, template: template.serviceId ? template.id : template.code, serviceId: template.serviceId, personalisation: o.personalisation, idempotencyKey: key });
          return { channels: r.channels, note: r.note, ids: r.messages.map((m) => m.id) };
        }
        const channel: Channel = o.channel ?? (o.to.includes('@') ? 'email' : 'sms');
        normaliseRecipient(channel, o.to);
        const sender = { serviceId: template.serviceId, keyId: null, kind: 'platform' as const, actor: 'system:cli' };
        const [q] = await queueMessages(p, sender, [prepare({ channel, to: o.to, template, lang: o.lang, personalisation: o.personalisation, idempotencyKey: key }, sender)]);
        return { id: q!.id, channel, status: q!.status, content: q!.content };
      });
      json(out);
    });

  const service = cmd.command('service').description("agencies' sending services");
  service
    .command('create')
    .requiredOption('--agency <code>', 'e.g. MOHW')
    .requiredOption('--name-ko <name>')
    .requiredOption('--name-en <name>')
    .option('--email-from <address>')
    .option('--sms-sender <number>', 'registered 발신번호, e.g. 0215880000')
    .action(async (o: { agency: string; nameKo: string; nameEn: string; emailFrom?: string; smsSender?: string }) => {
      json(await open((p) => createService(p, { agency: o.agency, nameKo: o.nameKo, nameEn: o.nameEn, ...(o.emailFrom ? { emailFrom: o.emailFrom } : {}), ...(o.smsSender ? { smsSender: o.smsSender } : {}) }, 'system:cli')));
    });
  service.command('list').action(async () => json(await open((p) => listServices(p.db))));

  const key = cmd.command('key').description("a service's API keys");
  key
    .command('create')
    .description('make an API key and print it (shown once)')
    .requiredOption('--service <id>')
    .option('--kind <kind>', 'test | team | live', 'test')
    .option('--name <name>', 'what the key is for', 'cli')
    .action(async (o: { service: string; kind: KeyKind; name: string }) => {
      if (!['test', 'team', 'live'].includes(o.kind)) throw new InvalidArgumentError('kind: test, team or live');
      const made = await open(async (p) => {
        if (!(await findService(p.db, o.service))) throw new Error(`no service ${o.service} (npx hanaro notify service list)`);
        return createApiKey(p, o.service, { name: o.name, kind: o.kind }, 'system:cli');
      });
      json({ key: made.key, ...made.info });
    });
  key
    .command('list')
    .requiredOption('--service <id>')
    .action(async (o: { service: string }) => json(await open((p) => listApiKeys(p.db, o.service))));
  key
    .command('revoke')
    .requiredOption('--service <id>')
    .requiredOption('--key <id>')
    .action(async (o: { service: string; key: string }) => {
      await open((p) => revokeApiKey(p, o.service, o.key, 'system:cli'));
    });
  cmd
    .command('templates')
    .description("a service's templates (without --service: the platform's own)")
    .option('--service <id>')
    .action(async (o: { service?: string }) => json((await open((p) => listTemplates(p.db, o.service ?? null))).map((t) => ({ id: t.id, code: t.code, name: t.name, category: t.category, version: t.version, placeholders: t.placeholders }))));
}
