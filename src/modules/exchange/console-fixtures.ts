import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { DEMO_ACTOR_COOKIE, type OfficialRole } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import type { HanaroModule } from '../../platform/module.ts';
import { consolePlugin } from './console.tsx';

// Test data for the console's tests (console.test.ts, e2e/console.test.ts): three agencies, their
// systems and services, rights between them and a message log long enough to page through.
// Not used by the running platform.

/** The exchange schema and the console alone, so the console's tests do not hang on the other exchange routes. */
export const consoleTestModule: HanaroModule = {
  name: 'exchange',
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  plugin: consolePlugin,
};

export const RESIDENT = 'KR/GOV/MOIS/resident-registry/resident';
export const ADDRESS = 'KR/GOV/MOIS/resident-registry/address-codes';
export const TAX = 'KR/GOV/NTS/tax-registry/tax';
export const INCOME = 'KR/GOV/MOHW/welfare-registry/income';
export const WELFARE_CLIENT = 'KR/GOV/MOHW/welfare-services';
export const MOIS_CLIENT = 'KR/GOV/MOIS/civil-services';

/** The citizen of log entry `i`: a UUID whose first eight characters differ from the rest's. */
export const citizenOf = (i: number) => `c172a0${String(i).padStart(2, '0')}-5e1f-4c3b-9d2a-${String(i).padStart(12, '0')}`;

/** Log entries involving MOIS (as client or provider) among the 45 seeded. */
export const MOIS_ENTRIES = 31;

export async function seedConsoleFixture(db: Db): Promise<void> {
  await db.execute(sql`insert into exchange.member (member_class, member_code, name_ko, name_en) values
    ('GOV', 'MOIS', '행정안전부', 'Ministry of the Interior and Safety'),
    ('GOV', 'MOHW', '보건복지부', 'Ministry of Health and Welfare'),
    ('GOV', 'NTS', '국세청', 'National Tax Service')`);
  await db.execute(sql`insert into exchange.subsystem (member_class, member_code, subsystem_code, name_ko, name_en) values
    ('GOV', 'MOIS', 'resident-registry', '주민등록 시스템', 'Resident registration system'),
    ('GOV', 'MOIS', 'civil-services', '민원 서비스', 'Civil services'),
    ('GOV', 'MOHW', 'welfare-registry', '복지 등록 시스템', 'Welfare registry'),
    ('GOV', 'MOHW', 'welfare-services', '복지 서비스', 'Welfare services'),
    ('GOV', 'NTS', 'tax-registry', '국세 시스템', 'Tax registry')`);
  const openapi = JSON.stringify({ openapi: '3.1.0', info: { title: 'x', version: '1.0' }, paths: { '/records': { get: {} } } });
  await db.execute(sql`insert into exchange.service (member_class, member_code, subsystem_code, service_code, title_ko, title_en, provider, openapi, personal_data) values
    ('GOV', 'MOIS', 'resident-registry', 'resident', '주민등록', 'Resident registration', 'registry:resident/1.0', ${openapi}::jsonb, true),
    ('GOV', 'MOIS', 'resident-registry', 'address-codes', '도로명 주소 코드', 'Road address codes', 'https://juso.example/api', ${openapi}::jsonb, false),
    ('GOV', 'NTS', 'tax-registry', 'tax', '국세 납세', 'Tax payments', 'registry:tax/1.0', ${openapi}::jsonb, true),
    ('GOV', 'MOHW', 'welfare-registry', 'income', '소득·재산', 'Income and assets', 'registry:income/1.0', ${openapi}::jsonb, true)`);
  await db.execute(sql`insert into exchange.access_right (service_id, client_id, granted_by, granted_at, legal_basis) values
    (${RESIDENT}, ${WELFARE_CLIENT}, 'KR/GOV/MOIS', '2026-01-05T01:00:00Z', '사회보장급여법 제19조'),
    (${TAX}, ${WELFARE_CLIENT}, 'KR/GOV/NTS', '2026-01-05T02:00:00Z', '사회보장급여법 제19조'),
    (${INCOME}, ${MOIS_CLIENT}, 'KR/GOV/MOHW', '2026-01-06T03:00:00Z', '전자정부법 제36조')`);
  // the earlier revoked right stays in the table, and on no page
  await db.execute(sql`insert into exchange.access_right (service_id, client_id, granted_by, legal_basis, revoked_at, revoked_by) values
    (${ADDRESS}, ${WELFARE_CLIENT}, 'KR/GOV/MOIS', null, now(), 'KR/GOV/MOIS')`);

  // 45 exchanges a minute apart from 2026-01-10 09:01 KST; every third one is MOHW reading NTS (not MOIS's)
  const values = [];
  for (let i = 1; i <= 45; i++) {
    const kind = i % 3;
    const [client, service] = kind === 0 ? [WELFARE_CLIENT, RESIDENT] : kind === 1 ? [WELFARE_CLIENT, TAX] : [MOIS_CLIENT, INCOME];
    const denied = i % 5 === 0;
    const path = i === 42 ? '/records?rrn=900101-1234567' : i % 2 ? '/records' : `/records/${citizenOf(i)}`;
    const at = new Date(Date.UTC(2026, 0, 10, 0, i)).toISOString();
    values.push(
      sql`(${i}, ${`xrd-${String(i).padStart(4, '0')}-4a7e-9f00-000000000000`}, ${at}::timestamptz, ${client}, ${service}, ${citizenOf(i)},
        'case 2026-01', 'GET', ${path}, ${denied ? 403 : 200}, ${denied ? 'Client.AccessDenied' : null}, 'rq', 'rs', ${1.25 + i}, 'p', 'h', 'k', 's')`,
    );
  }
  // MOIS asking MOIS: in both of its branches, shown once
  values.push(
    sql`(46, 'xrd-0046-own', '2026-01-12T05:00:00Z'::timestamptz, ${MOIS_CLIENT}, ${RESIDENT}, null, null, 'POST', '/exists', 200, null, 'rq', 'rs', 3.5, 'p', 'h', 'k', 's')`,
  );
  await db.execute(sql`insert into exchange.message_log (seq, x_road_id, at, client_id, service_id, user_id, issue, method, path, status, error,
      request_hash, response_hash, duration_ms, prev_hash, hash, kid, signature) values ${sql.join(values, sql`, `)}`);
}

/** A Cookie header that makes the request come from this demo official (signed, as /dev/sign-in would). */
export function officialCookie(app: FastifyInstance, agency: string, roles: OfficialRole[], name = '김공무'): string {
  const actor = { kind: 'official', id: `t-${agency}-${roles.join('-')}`, name, agency, roles };
  return `${DEMO_ACTOR_COOKIE}=${encodeURIComponent(app.signCookie(JSON.stringify(actor)))}`;
}
