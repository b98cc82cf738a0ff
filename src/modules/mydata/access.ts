import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DataAccessRecord } from '../../platform/access-log.ts';
import { rows } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { findAgency } from '../exchange/index.ts';
import { notifyCitizen } from '../notify/index.ts';
import { AGENCIES, type Text } from '../registries/index.ts';

/**
 * The data tracker: a citizen's access log (platform/access-log.ts) as they see it, filtered,
 * paged, exported as CSV or JSON; and the optional alert when a reader they have not seen before
 * reads their data (a worker job follows the log from a watermark, so writing the log costs
 * nothing extra).
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const AccessFilter = z.object({
  from: day.optional().describe('First day (Asia/Seoul), YYYY-MM-DD'),
  to: day.optional().describe('Last day (Asia/Seoul), YYYY-MM-DD'),
  institution: z.string().max(64).optional().describe('Member code of the reader, e.g. MOHW'),
  service: z.string().max(200).optional(),
  purpose: z.string().max(200).optional(),
  before: z.coerce.number().int().positive().optional().describe('Cursor: the id of the last entry of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  format: z.enum(['csv', 'json']).optional().describe('Export everything that matches instead of one page'),
});
export type AccessFilter = z.input<typeof AccessFilter>;

export interface AccessEntry {
  id: number;
  at: string;
  reader: string;
  institution: string;
  institutionName: Text;
  application: string | null;
  service: string;
  items: string[];
  purpose: string;
  legalBasis: string | null;
  consentId: string | null;
  channel: string;
}

/** Seoul midnight of a YYYY-MM-DD, as a Date; `end` gives the next midnight. */
const seoulDay = (d: string, end = false) => new Date(Date.parse(`${d}T00:00:00+09:00`) + (end ? 86_400_000 : 0));

/** Institutions in words: the registry owners, then the mediator's directory (banks, ministries without a registry). */
function namer(platform: Platform): (code: string) => Promise<Text> {
  const known = new Map<string, Promise<Text>>();
  return (code) => {
    let name = known.get(code);
    if (!name) {
      name = AGENCIES[code] ? Promise.resolve(AGENCIES[code]!) : findAgency(platform.db, code).then((m) => m?.name ?? { ko: code, en: code });
      known.set(code, name);
    }
    return name;
  };
}

function present(a: DataAccessRecord, institutionName: Text): AccessEntry {
  return {
    id: a.id,
    at: a.at,
    reader: a.reader,
    institution: a.institution,
    institutionName,
    application: a.application,
    service: a.service,
    items: a.items,
    purpose: a.purpose,
    legalBasis: a.legalBasis,
    consentId: a.consentId,
    channel: a.channel,
  };
}

function options(q: z.output<typeof AccessFilter>) {
  return {
    limit: q.limit,
    ...(q.before ? { before: q.before } : {}),
    ...(q.service ? { service: q.service } : {}),
    ...(q.institution ? { institution: q.institution } : {}),
    ...(q.purpose ? { purpose: q.purpose } : {}),
    ...(q.from ? { from: seoulDay(q.from) } : {}),
    ...(q.to ? { to: seoulDay(q.to, true) } : {}),
  };
}

export async function accessLogPage(platform: Platform, citizenId: string, filter: AccessFilter): Promise<{ entries: AccessEntry[]; next: number | null }> {
  const q = AccessFilter.parse(filter);
  const found = await platform.accessLog.forCitizen(citizenId, options(q));
  const name = namer(platform);
  const entries = await Promise.all(found.map(async (a) => present(a, await name(a.institution))));
  return { entries, next: found.length === q.limit ? found[found.length - 1]!.id : null };
}

const CSV_COLUMNS = ['id', 'at', 'reader', 'institution', 'institutionName', 'application', 'service', 'items', 'purpose', 'legalBasis', 'consentId', 'channel'] as const;

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : typeof v === 'object' ? (v as Text).ko : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Streams every matching entry, page by page (bounded memory), as CSV (UTF-8 with BOM for spreadsheets) or JSON. */
export async function exportAccessLog(platform: Platform, citizenId: string, filter: AccessFilter, reply: FastifyReply): Promise<FastifyReply> {
  const q = AccessFilter.parse({ ...filter, limit: 200 });
  const csv = q.format === 'csv';
  const name = namer(platform);
  async function* chunks(): AsyncGenerator<string> {
    yield csv ? `\ufeff${CSV_COLUMNS.join(',')}\r\n` : '{"entries":[';
    const { limit: _l, before: _b, ...filter } = options(q);
    let first = true;
    for await (const a of platform.accessLog.streamForCitizen(citizenId, filter)) {
      const e = present(a, await name(a.institution));
      if (csv) yield `${CSV_COLUMNS.map((c) => csvCell(e[c])).join(',')}\r\n`;
      else yield `${first ? '' : ','}${JSON.stringify(e)}`;
      first = false;
    }
    if (!csv) yield ']}';
  }
  return reply
    .type(csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
    .header('content-disposition', `attachment; filename="hanaro-access-log.${csv ? 'csv' : 'json'}"`)
    .send(Readable.from(chunks()));
}

// ---- new-recipient alerts ----------------------------------------------------------------------

export async function setNewRecipientAlert(platform: Platform, citizenId: string, on: boolean): Promise<void> {
  // starting now: readers seen before switching on are not announced one by one
  await platform.db.execute(sql`insert into mydata.alert_setting (citizen_id, new_recipient, watermark)
    values (${citizenId}, ${on}, now())
    on conflict (citizen_id) do update set new_recipient = excluded.new_recipient`);
  if (on) {
    await platform.db.execute(sql`insert into mydata.known_reader (citizen_id, reader)
      select distinct ${citizenId}, reader from platform.data_access where citizen_id = ${citizenId} on conflict do nothing`);
  }
}

export async function alertSetting(platform: Platform, citizenId: string): Promise<boolean> {
  const [r] = await rows<{ new_recipient: boolean }>(platform.db, sql`select new_recipient from mydata.alert_setting where citizen_id = ${citizenId}`);
  return r?.new_recipient ?? false;
}

export interface Alert {
  id: number;
  reader: string;
  institution: string;
  service: string;
  at: string;
  seen: boolean;
}

export async function alertsOf(platform: Platform, citizenId: string): Promise<Alert[]> {
  const found = await rows<{ id: string; reader: string; institution: string; service: string; at: string; seen: boolean }>(
    platform.db,
    sql`select id::text as id, reader, institution, service, at, seen from mydata.alert where citizen_id = ${citizenId} order by id desc limit 50`,
  );
  return found.map((a) => ({ id: Number(a.id), reader: a.reader, institution: a.institution, service: a.service, at: new Date(a.at).toISOString(), seen: a.seen }));
}

/**
 * Follows the access log for citizens who asked for alerts: each reader not seen before for that
 * citizen raises one alert. Returns the alerts raised. The watermark is a time and each scan
 * looks a minute behind it, since entries written concurrently may commit out of order; the known
 * readers make looking twice harmless.
 */
export async function scanNewRecipients(platform: Platform, citizenId?: string): Promise<number> {
  let raised = 0;
  await platform.db.transaction(async (tt) => {
    const t = tt as unknown as typeof platform.db;
    const found = await rows<{ n: number }>(
      t,
      sql`with watched as (
            select citizen_id, watermark from mydata.alert_setting where new_recipient ${citizenId ? sql`and citizen_id = ${citizenId}` : sql``} for update
          ), fresh as (
            select d.id, d.citizen_id, d.reader, d.institution, d.service, d.at
            from watched w join platform.data_access d on d.citizen_id = w.citizen_id and d.at > w.watermark - interval '1 minute'
          ), newly as (
            insert into mydata.known_reader (citizen_id, reader, first_seen)
            select distinct on (citizen_id, reader) citizen_id, reader, at from fresh order by citizen_id, reader, id
            on conflict do nothing returning citizen_id, reader
          ), raised as (
            insert into mydata.alert (citizen_id, reader, institution, service, at)
            select distinct on (f.citizen_id, f.reader) f.citizen_id, f.reader, f.institution, f.service, f.at
            from fresh f join newly n on n.citizen_id = f.citizen_id and n.reader = f.reader
            order by f.citizen_id, f.reader, f.id
            returning id, citizen_id, reader, institution, at
          ), moved as (
            update mydata.alert_setting s set watermark = m.top
            from (select citizen_id, max(at) as top from fresh group by citizen_id) m where s.citizen_id = m.citizen_id and m.top > s.watermark
            returning 1
          )
          select (select count(*) from raised)::int as n, (select count(*) from moved)::int as m,
                 (select coalesce(json_agg(json_build_object('id', id, 'citizenId', citizen_id, 'reader', reader, 'institution', institution, 'at', at)), '[]'::json) from raised) as alerts`,
    );
    raised = Number(found[0]?.n ?? 0);
    // each alert also reaches the citizen on their channels (their notification settings), in this transaction
    const alerts = (found[0] as unknown as { alerts: Array<{ id: number; citizenId: string; reader: string; institution: string; at: string }> } | undefined)?.alerts ?? [];
    for (const a of typeof alerts === 'string' ? (JSON.parse(alerts) as typeof alerts) : alerts) {
      const [read] = await rows<{ purpose: string }>(t, sql`select purpose from platform.data_access where citizen_id = ${a.citizenId} and reader = ${a.reader} and at = ${a.at}::timestamptz limit 1`);
      const agency = AGENCIES[a.institution] ?? { ko: a.institution, en: a.institution };
      await notifyCitizen(
        platform,
        {
          citizenId: a.citizenId,
          template: 'mydata.new-reader',
          idempotencyKey: `mydata.new-reader:${a.id}`,
          personalisation: { 'institution.ko': agency.ko, 'institution.en': agency.en, purpose: read?.purpose ?? '-', link: new URL('/mydata/access', platform.config.publicUrl).href },
        },
        t,
      );
    }
  });
  return raised;
}
