import { sql, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/auth.ts';
import { rows } from '../../../platform/db.ts';
import { NotFoundError, UnauthorizedError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { BundleCode } from './bundles.ts';
import { applicationRow, isUuid, tasksOf, toApplication, type Application, type Task } from './store.ts';
import { mustWorkFor } from './tasks.ts';

/**
 * Who sees which application, for the GovStack Registration and Workflow APIs: the applicant
 * their own; an official who handles applications (a case worker or agency administrator) those
 * with a part for their agency; a platform administrator all. Anyone else is told "not found".
 */

export type Person = Exclude<Actor, { kind: 'anonymous' }>;

/** The calling person (401 for nobody signed in). */
export async function person(req: FastifyRequest): Promise<Person> {
  const a = await req.actor();
  if (a.kind === 'anonymous') throw new UnauthorizedError();
  return a;
}

/** The application `id` with its parts, if the person may see it; else a 404 with the caller's wording. */
export async function visibleApplication(platform: Platform, who: Person, id: string, notFound: { detail: string; code: string }): Promise<{ a: Application; tasks: Task[] }> {
  if (who.kind === 'official') mustWorkFor(who, who.agency);
  const a = isUuid(id) ? await applicationRow(platform.db, platform.crypto, id) : undefined;
  const tasks = a ? await tasksOf(platform.db, a.id) : [];
  const ok = a && (who.kind === 'citizen' ? a.applicantId === who.id : who.roles.includes('platform-admin') || tasks.some((t) => t.agency === who.agency));
  if (!a || !ok) throw new NotFoundError(notFound.detail, notFound.code);
  return { a, tasks };
}

/** The applications the person may see (a citizen's own; an official's agency's), filtered and ordered. */
export async function applicationsVisibleTo(
  platform: Platform,
  who: Person,
  o: { bundle?: BundleCode; applicantId?: string; order?: SQL; limit: number; offset?: number },
): Promise<Application[]> {
  if (who.kind === 'official') mustWorkFor(who, who.agency);
  const applicant = who.kind === 'citizen' ? who.id : o.applicantId;
  const agency = who.kind === 'official' && !who.roles.includes('platform-admin') ? who.agency : undefined;
  const found = await rows<Parameters<typeof toApplication>[1]>(
    platform.db,
    sql`select a.* from services.application a
        where true ${applicant ? sql`and a.applicant_id = ${applicant}::uuid` : sql``} ${o.bundle ? sql`and a.bundle = ${o.bundle}` : sql``}
          ${agency ? sql`and exists (select 1 from services.task t where t.application_id = a.id and t.agency = ${agency})` : sql``}
        order by ${o.order ?? sql.raw('a.registered_at desc')}, a.id limit ${o.limit} offset ${o.offset ?? 0}`,
  );
  return found.map((r) => toApplication(platform.crypto, r));
}
