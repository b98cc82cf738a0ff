import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../../platform/db.ts';
import { BadRequestError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { BUNDLES } from './bundles.ts';

/**
 * GovStack Registration statistics (GovStack_Registration_BB_API_statistics.json): decisions on
 * parts in a date range (Asia/Seoul days, both ends included), by registration (a bundle's name
 * in either language, its code or service id), operator (an official's id or name) and role, as
 * one total or one entry per day, week, month or year. Processed = approved + sent back +
 * rejected.
 */

// a real calendar date (2024-02-31 is not one), from the year 1
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && d.getUTCFullYear() >= 1;
}, 'not a date');
export const Statistics = z.object({
  startDate: day.optional(),
  endDate: day.optional(),
  registrationName: z.string().max(200).optional(),
  operator: z.string().max(200).optional(),
  role: z.string().max(50).optional(),
  timeframe: z.enum(['day', 'week', 'month', 'year']).optional(),
});
export type Statistics = z.infer<typeof Statistics>;

export async function statistics(platform: Platform, q: Statistics) {
  if (q.startDate && q.endDate && q.startDate > q.endDate) throw new BadRequestError('startDate is after endDate', { errors: [{ field: 'startDate', code: 'after_end' }] }, 'bad_range');
  const where: SQL[] = [sql`e.kind in ('approved', 'rejected', 'sendback')`];
  if (q.startDate) where.push(sql`(e.at at time zone 'Asia/Seoul')::date >= ${q.startDate}::date`);
  if (q.endDate) where.push(sql`(e.at at time zone 'Asia/Seoul')::date <= ${q.endDate}::date`);
  if (q.registrationName) {
    const n = q.registrationName.trim().toLowerCase();
    const codes = Object.values(BUNDLES).filter((b) => b.code === n || b.serviceId === n || b.name.ko.toLowerCase().includes(n) || b.name.en.toLowerCase().includes(n)).map((b) => b.code);
    where.push(codes.length ? sql`a.bundle = any(${`{${codes.join(',')}}`}::text[])` : sql`false`);
  }
  if (q.operator) where.push(sql`(e.actor = ${`official:${q.operator}`} or t.assignee_name = ${q.operator})`);
  if (q.role) where.push(sql`t.role = ${q.role}`);
  const bucket = q.timeframe ? sql`date_trunc(${q.timeframe}, e.at at time zone 'Asia/Seoul')::date` : sql`null::date`;
  const found = await rows<{ bucket: string | Date | null; approved: string; rejected: string; sentback: string }>(
    platform.db,
    sql`select ${bucket} as bucket,
               count(*) filter (where e.kind = 'approved') as approved,
               count(*) filter (where e.kind = 'rejected') as rejected,
               count(*) filter (where e.kind = 'sendback') as sentback
        from services.application_event e
        join services.task t on t.id = e.task_id
        join services.application a on a.id = e.application_id
        where ${sql.join(where, sql` and `)}
        group by 1 order by 1`,
  );
  const refs = (start?: string, end?: string) => ({
    ...(start ? { startDate: start } : {}),
    ...(end ? { endDate: end } : {}),
    ...(q.registrationName ? { registrationName: q.registrationName } : {}),
    ...(q.operator ? { operator: q.operator } : {}),
    ...(q.role ? { role: q.role } : {}),
    timeframeDay: q.timeframe === 'day',
    timeframeWeek: q.timeframe === 'week',
    timeframeMonth: q.timeframe === 'month',
    timeframeYear: q.timeframe === 'year',
  });
  const entry = (approved: number, rejected: number, sentBack: number, start?: string, end?: string) => ({ processed: approved + rejected + sentBack, approved, sentBack, rejected, references: refs(start, end) });
  if (!q.timeframe) {
    const r = found[0];
    return [entry(Number(r?.approved ?? 0), Number(r?.rejected ?? 0), Number(r?.sentback ?? 0), q.startDate, q.endDate)];
  }
  return found.map((r) => {
    const start = r.bucket instanceof Date ? r.bucket.toISOString().slice(0, 10) : String(r.bucket).slice(0, 10);
    return entry(Number(r.approved), Number(r.rejected), Number(r.sentback), start, undefined);
  });
}
