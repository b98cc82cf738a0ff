import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficialRole } from '../../platform/auth.ts';
import { rows } from '../../platform/db.ts';
import { testApp } from '../../platform/testing.ts';
import { citizenOf, consoleTestModule, INCOME, MOIS_CLIENT, MOIS_ENTRIES, officialCookie, RESIDENT, seedConsoleFixture, TAX, WELFARE_CLIENT } from './console-fixtures.ts';
import { maskPath } from './console-common.tsx';
import { messageLog, messageLogQuery, type LogScope } from './console-store.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp({ modules: [consoleTestModule] });
  await seedConsoleFixture(t.platform.db);
});
afterAll(() => t.close());

const html = { accept: 'text/html' };
const as = (agency: string, ...roles: OfficialRole[]) => officialCookie(t.app, agency, roles);
const page = (url: string, cookie?: string, accept = 'text/html') => t.app.inject({ url, headers: { accept, ...(cookie ? { cookie } : {}) } });
/** The log rows on a page: every row shows its X-Road-Id once. */
const logIds = (body: string) => [...body.matchAll(/<code>(xrd-[\w-]+)<\/code>/g)].map((m) => m[1]);

const MOIS_SCOPE: LogScope = {
  subsystems: ['KR/GOV/MOIS/civil-services', 'KR/GOV/MOIS/resident-registry'],
  services: ['KR/GOV/MOIS/resident-registry/address-codes', RESIDENT],
};

/** A form token and the secret cookie it belongs to, as a browser gets them from a page with a form. */
async function formToken(cookie: string, url = '/console/exchange/MOIS') {
  const res = await page(url, cookie);
  const token = res.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
  const secret = res.cookies.find((c) => c.name === 'hanaro-csrf');
  expect(token, `no form token on ${url}`).toBeTruthy();
  return { token: token!, cookie: `${cookie}; hanaro-csrf=${secret!.value}` };
}

function post(url: string, cookie: string, form: Record<string, string>, accept = 'text/html') {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { accept, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

const activeRights = () =>
  rows<{ service_id: string; client_id: string; legal_basis: string | null }>(
    t.platform.db,
    sql`select service_id, client_id, legal_basis from exchange.access_right where revoked_at is null order by id`,
  );

describe('who may see the console', () => {
  it('sends a browser without a signed-in official to a 401 page that leads to the demo sign-in', async () => {
    const res = await page('/console/exchange/MOIS');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('로그인이 필요합니다');
    expect(res.body).toContain('href="/dev/sign-in"');
    expect((await page('/console/exchange')).statusCode).toBe(401);
  });

  it('answers programs with problem+json', async () => {
    const anonymous = await page('/console/exchange/MOIS', undefined, 'application/json');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anonymous.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    const other = await t.app.inject({ url: '/console/exchange/MOIS', headers: { accept: 'application/json', 'accept-language': 'en', cookie: as('NTS', 'agency-admin') } });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'forbidden', detail: 'The data exchange console of MOIS is for that agency’s officials only.' });
  });

  it('refuses an official of another agency (403), whatever the roles', async () => {
    const res = await page('/console/exchange/MOIS', as('NTS', 'agency-admin', 'case-worker', 'auditor'));
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('MOIS 기관의 정보 연계 관리 화면은');
    expect(res.body).not.toContain('사회보장급여법');
  });

  it('sends /console/exchange to the official’s own agency', async () => {
    const res = await page('/console/exchange', as('MOHW', 'case-worker'));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/exchange/MOHW');
    const admin = await page('/console/exchange?agency=NTS', as('MOIS', 'platform-admin'));
    expect(admin.headers.location).toBe('/console/exchange/NTS');
  });

  it('lets a platform administrator see any agency, but not an unknown one', async () => {
    const res = await page('/console/exchange/MOHW', as('MOIS', 'platform-admin'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('보건복지부 정보 연계 관리');
    expect(res.body).toContain('name="agency"'); // the switcher
    expect(res.body).not.toContain('name="legalBasis"'); // granting is the agency's own decision
    expect((await page('/console/exchange/NIA', as('MOIS', 'platform-admin'))).statusCode).toBe(404);
    expect((await page('/console/exchange/NIA', as('NIA', 'case-worker'))).statusCode).toBe(404);
    expect((await page('/console/exchange/bad%20code', as('MOIS', 'platform-admin'))).statusCode).toBe(400);
  });
});

describe('the agency page', () => {
  it('shows the agency’s systems, services, rights and recent exchanges to its case worker', async () => {
    const res = await page('/console/exchange/MOIS', as('MOIS', 'case-worker'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const b = res.body;
    expect(b).toContain('<h1 class="hn-title">행정안전부 정보 연계 관리</h1>');
    expect(b).toContain('KR/GOV/MOIS/civil-services');
    expect(b).toContain('도로명 주소 코드');
    expect(b).toContain('href="/console/exchange/MOIS/services/resident-registry/resident/openapi.json"');
    expect(b).toContain('GET /govstack/information-mediator/r1/KR/GOV/MOIS/resident-registry/getOpenAPI?serviceCode=address-codes');
    // granted: MOHW's welfare services may read the resident registry; the revoked right is gone
    expect(b).toMatch(/KR\/GOV\/MOIS\/resident-registry\/resident<\/code><\/th><td><code>KR\/GOV\/MOHW\/welfare-services<\/code>/);
    expect(b).toContain('사회보장급여법 제19조');
    expect(b).not.toContain('address-codes</code></th><td><code>KR/GOV/MOHW');
    // received: MOIS's civil services may read MOHW's income registry
    expect(b).toContain(INCOME);
    expect(b).toContain('전자정부법 제36조');
    // a case worker sees no grant or revoke form
    expect(b).not.toContain('action="/console/exchange/MOIS/rights');
    expect(b).toContain('기관 관리자만 할 수 있습니다');
    // the log: one page of the newest entries MOIS took part in, times in Seoul
    const ids = logIds(b);
    expect(ids).toHaveLength(20);
    expect(ids[0]).toBe('xrd-0046-own');
    expect(ids).not.toContain('xrd-0043-4a7e-9f00-000000000000'); // MOHW reading NTS
    expect(b).toMatch(/<time datetime="2026-01-12T05:00:00.000Z">[^<]*14:00:00<\/time>/);
    expect(b).toContain('Client.AccessDenied');
  });

  it('serves the OpenAPI documents of the agency’s services to its officials', async () => {
    const res = await page('/console/exchange/MOIS/services/resident-registry/resident/openapi.json', as('MOIS', 'auditor'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ openapi: '3.1.0', paths: { '/records': { get: {} } } });
    expect((await page('/console/exchange/MOIS/services/resident-registry/nope/openapi.json', as('MOIS', 'auditor'))).statusCode).toBe(404);
    expect((await page('/console/exchange/MOIS/services/resident-registry/resident/openapi.json', as('MOHW', 'auditor'))).statusCode).toBe(403);
    expect((await page('/console/exchange/MOIS/services/resident-registry/resident/openapi.json')).statusCode).toBe(401);
  });

  it('shows citizens only as shortened ids, never a full id or an RRN', async () => {
    const b = (await page('/console/exchange/MOIS?lang=en', as('MOIS', 'case-worker'))).body;
    expect(b).toContain(`<code title="shortened identifier">${citizenOf(45).slice(0, 8)}…</code>`);
    for (let i = 1; i <= 45; i++) expect(b).not.toContain(citizenOf(i));
    const rrnPage = (await page('/console/exchange/MOIS?xRoadId=xrd-0042-4a7e-9f00-000000000000', as('MOIS', 'case-worker'))).body;
    expect(rrnPage).toContain('GET /records?rrn=[RRN]');
    expect(rrnPage).not.toContain('1234567');
    expect(maskPath(`/records/${citizenOf(3)}`)).toBe(`/records/${citizenOf(3).slice(0, 8)}…`);
  });

  it('is in English too', async () => {
    const b = (await page('/console/exchange/MOIS?lang=en', as('MOIS', 'agency-admin'))).body;
    expect(b).toContain('<html lang="en"');
    expect(b).toContain('Data exchange: Ministry of the Interior and Safety');
    expect(b).toContain('Grant an access right');
    expect(b).toContain('Recent exchanges');
  });
});

describe('the log filters and paging', () => {
  const ids = async (query: string) => logIds((await page(`/console/exchange/MOIS${query}`, as('MOIS', 'auditor'))).body);

  it('filters by result, service, client, X-Road-Id and Seoul dates', async () => {
    const failed = await ids('?status=error');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((id) => Number(id!.slice(4, 8)) % 5 === 0)).toBe(true);
    expect((await ids('?status=ok')).some((id) => Number(id!.slice(4, 8)) % 5 === 0)).toBe(false);
    const resident = await ids(`?service=${encodeURIComponent(RESIDENT)}`);
    expect(resident).toHaveLength(16);
    expect(await ids(`?client=${encodeURIComponent(MOIS_CLIENT)}&status=`)).toHaveLength(16);
    expect(await ids(`?client=${encodeURIComponent(WELFARE_CLIENT)}`)).toHaveLength(15); // only its calls to MOIS
    expect(await ids(`?service=${encodeURIComponent(TAX)}`)).toEqual([]); // not MOIS's business
    expect(await ids('?xRoadId=xrd-0003-4a7e-9f00-000000000000')).toEqual(['xrd-0003-4a7e-9f00-000000000000']);
    expect(await ids('?xRoadId=xrd-0001-4a7e-9f00-000000000000')).toEqual([]);
    // row 46 is at 14:00 on 12 January in Seoul; the rest on the 10th from 09:01
    expect(await ids('?from=2026-01-12&to=2026-01-12')).toEqual(['xrd-0046-own']);
    expect(await ids('?from=2026-01-10&to=2026-01-11')).toHaveLength(20);
    expect(await ids('?to=2026-01-09')).toEqual([]);
  });

  it('pages through every entry with keyset links, both ways', async () => {
    const cookie = as('MOIS', 'auditor');
    const first = (await page('/console/exchange/MOIS', cookie)).body;
    const link = (body: string, rel: 'prev' | 'next') => body.match(new RegExp(`rel="${rel}" [^>]*href="([^"]+)"`))?.[1]?.replace(/&amp;/g, '&');
    const older = link(first, 'next');
    expect(link(first, 'prev')).toBeUndefined();
    expect(older).toBeDefined();
    const second = (await page(older!, cookie)).body;
    const seen = [...logIds(first), ...logIds(second)];
    expect(seen).toHaveLength(MOIS_ENTRIES);
    // newest first throughout
    const seqs = seen.map((id) => Number(id!.slice(4, 8)));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(MOIS_ENTRIES);
    expect(link(second, 'next')).toBeUndefined();
    const newer = link(second, 'prev');
    expect(newer).toMatch(/after=\d+#log$/);
    expect(logIds((await page(newer!, cookie)).body)).toEqual(logIds(first));
  });

  it('keeps the filters in the paging links', async () => {
    const body = (await page(`/console/exchange/MOIS?status=ok`, as('MOIS', 'auditor'))).body;
    const ok = (await messageLog(t.platform.db, MOIS_SCOPE, { status: 'ok' }, 100)).entries.length;
    expect(ok).toBeGreaterThan(20);
    expect(body).toMatch(/href="\/console\/exchange\/MOIS\?status=ok&amp;before=\d+#log"/);
  });

  it('refuses malformed filters with 400', async () => {
    for (const q of ['?from=yesterday', '?status=maybe', '?before=-1', '?to=2026-13-45']) {
      expect((await page(`/console/exchange/MOIS${q}`, as('MOIS', 'auditor'))).statusCode, q).toBe(400);
    }
  });

  it('reads the log through its indexes, never by scanning it', async () => {
    const filters = [{}, { status: 'error' as const, from: '2026-01-01' }, { service: RESIDENT }, { client: MOIS_CLIENT, before: '40' }, { xRoadId: 'x' }, { after: '3' }];
    for (const f of filters) {
      const plan = await t.platform.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        return rows<{ 'QUERY PLAN': string }>(tx, sql`explain ${messageLogQuery(MOIS_SCOPE, f, 20)!}`);
      });
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text, JSON.stringify(f)).not.toMatch(/Seq Scan on message_log/);
      expect(text, JSON.stringify(f)).toMatch(/Index (Only )?Scan/);
    }
  });
});

describe('granting and revoking', () => {
  it('lets the agency administrator grant a right, once, with its legal basis, audited', async () => {
    const admin = await formToken(as('MOIS', 'agency-admin'));
    const res = await post('/console/exchange/MOIS/rights', admin.cookie, { _csrf: admin.token, service: RESIDENT, client: 'KR/GOV/NTS/tax-registry', legalBasis: '국세징수법 제30조' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/exchange/MOIS?done=granted#rights-granted');
    expect(await activeRights()).toContainEqual({ service_id: RESIDENT, client_id: 'KR/GOV/NTS/tax-registry', legal_basis: '국세징수법 제30조' });
    const [entry] = await t.platform.audit.tail(1);
    expect(entry).toMatchObject({ action: 'exchange.access-right.granted', actor: 'official:t-MOIS-agency-admin', subject: RESIDENT });
    const shown = await page('/console/exchange/MOIS?done=granted', admin.cookie);
    expect(shown.body).toContain('접근 권한을 부여했습니다.');
    expect(shown.body).toContain('국세징수법 제30조');

    const again = await post('/console/exchange/MOIS/rights', admin.cookie, { _csrf: admin.token, service: RESIDENT, client: 'KR/GOV/NTS/tax-registry', legalBasis: '국세징수법 제30조' });
    expect(again.headers.location).toBe('/console/exchange/MOIS?done=exists#rights-granted');
  });

  it('grants a right that is served only under the citizen\'s consent, shown as such', async () => {
    const admin = await formToken(as('MOIS', 'agency-admin'));
    const res = await post('/console/exchange/MOIS/rights', admin.cookie, { _csrf: admin.token, service: RESIDENT, client: 'KR/GOV/MOHW/welfare-registry', legalBasis: '개인정보 보호법 제15조 제1항 제1호', requiresConsent: 'on' });
    expect(res.statusCode).toBe(303);
    const [row] = await rows<{ requires_consent: boolean }>(t.platform.db, sql`select requires_consent from exchange.access_right where service_id = ${RESIDENT} and client_id = 'KR/GOV/MOHW/welfare-registry' and revoked_at is null`);
    expect(row?.requires_consent).toBe(true);
    expect((await page('/console/exchange/MOIS', admin.cookie)).body).toContain('동의 필요');
    await post('/console/exchange/MOIS/rights/revoke', admin.cookie, { _csrf: admin.token, service: RESIDENT, client: 'KR/GOV/MOHW/welfare-registry' });
  });

  it('needs a legal basis for a service that gives out personal data', async () => {
    const admin = await formToken(as('MOIS', 'agency-admin'));
    const res = await post('/console/exchange/MOIS/rights', admin.cookie, { _csrf: admin.token, service: RESIDENT, client: 'KR/GOV/MOHW/welfare-registry', legalBasis: ' ' });
    expect(res.statusCode).toBe(400);
    expect(await activeRights()).not.toContainEqual(expect.objectContaining({ client_id: 'KR/GOV/MOHW/welfare-registry', service_id: RESIDENT }));
  });

  it('lets the agency administrator revoke', async () => {
    const admin = await formToken(as('MOIS', 'agency-admin'));
    const res = await post('/console/exchange/MOIS/rights/revoke', admin.cookie, { _csrf: admin.token, service: RESIDENT, client: 'KR/GOV/NTS/tax-registry' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/exchange/MOIS?done=revoked#rights-granted');
    expect(await activeRights()).not.toContainEqual(expect.objectContaining({ service_id: RESIDENT, client_id: 'KR/GOV/NTS/tax-registry' }));
    expect((await t.platform.audit.tail(1))[0]).toMatchObject({ action: 'exchange.access-right.revoked', subject: RESIDENT });
    const twice = await post('/console/exchange/MOIS/rights/revoke', admin.cookie, { _csrf: admin.token, service: RESIDENT, client: 'KR/GOV/NTS/tax-registry' });
    expect(twice.statusCode).toBe(404);
  });

  it('refuses a grant for another agency’s service', async () => {
    const admin = await formToken(as('MOIS', 'agency-admin'));
    const res = await post('/console/exchange/MOIS/rights', admin.cookie, { _csrf: admin.token, service: TAX, client: MOIS_CLIENT, legalBasis: 'x' }, 'application/json');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
    const revoke = await post('/console/exchange/MOIS/rights/revoke', admin.cookie, { _csrf: admin.token, service: TAX, client: WELFARE_CLIENT });
    expect(revoke.statusCode).toBe(403);
    expect(await activeRights()).toContainEqual(expect.objectContaining({ service_id: TAX, client_id: WELFARE_CLIENT }));
  });

  it('refuses case workers, auditors, other agencies’ administrators and platform administrators (403)', async () => {
    const before = await activeRights();
    for (const cookie of [as('MOIS', 'case-worker'), as('MOIS', 'auditor'), as('MOHW', 'agency-admin'), as('NTS', 'platform-admin', 'agency-admin')]) {
      // a valid token from a page with a form: only the role may stop them
      const form = await formToken(cookie, '/dev/sign-in');
      const grant = await post('/console/exchange/MOIS/rights', form.cookie, { _csrf: form.token, service: RESIDENT, client: MOIS_CLIENT, legalBasis: 'x' });
      expect(grant.statusCode).toBe(403);
      const revoke = await post('/console/exchange/MOIS/rights/revoke', form.cookie, { _csrf: form.token, service: RESIDENT, client: WELFARE_CLIENT });
      expect(revoke.statusCode).toBe(403);
    }
    const anonymous = await formToken('x=1', '/dev/sign-in');
    expect((await post('/console/exchange/MOIS/rights', anonymous.cookie, { _csrf: anonymous.token, service: RESIDENT, client: MOIS_CLIENT })).statusCode).toBe(401);
    expect(await activeRights()).toEqual(before);
  });

  it('refuses posts without a valid form token (403), and other body types (415)', async () => {
    const admin = await formToken(as('MOIS', 'agency-admin'));
    const before = await activeRights();
    const none = await post('/console/exchange/MOIS/rights', admin.cookie, { service: RESIDENT, client: MOIS_CLIENT, legalBasis: 'x' });
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('보안 토큰');
    const forged = await post('/console/exchange/MOIS/rights/revoke', admin.cookie, { _csrf: 'forged', service: RESIDENT, client: WELFARE_CLIENT });
    expect(forged.statusCode).toBe(403);
    const json = await t.app.inject({
      method: 'POST',
      url: '/console/exchange/MOIS/rights/revoke',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      payload: { service: RESIDENT, client: WELFARE_CLIENT },
    });
    expect(json.statusCode).toBe(415);
    expect(await activeRights()).toEqual(before);
  });
});
