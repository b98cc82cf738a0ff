import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.ts';
import { rows } from './db.ts';
import { testPlatform, type TestPlatform } from './testing.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform();
});
afterAll(() => p.dispose());

const citizen = '6f1c1d5e-8a51-4f0e-9b1f-3f7c2a4d9e01';
const other = '0b7e3a55-2c9d-4d52-8d0b-6f5f2f0d6a11';

describe('access log', () => {
  it('records a batch in one statement and returns a citizen’s records newest first', async () => {
    await p.accessLog.record([
      { citizenId: citizen, reader: 'KR/GOV/MOHW/welfare-services', institution: 'MOHW', service: 'KR/GOV/MOIS/resident-registry/resident', items: ['name', 'roadAddress'], purpose: '기초연금 자격 확인', legalBasis: '기초연금법 제10조', xRoadId: 'x-1', channel: 'exchange' },
      { citizenId: other, reader: 'KR/GOV/NTS/tax-registry', institution: 'NTS', service: 'KR/GOV/NTS/tax-registry/tax', items: ['arrears'], purpose: 'registry administration', channel: 'registry-api' },
      { citizenId: citizen, reader: 'official:7', institution: 'SEOUL', service: 'KR/GOV/MOHW/welfare-registry/income', items: ['medianIncomePercent'], purpose: '긴급복지 지원', consentId: 'c-9', channel: 'portal' },
    ]);
    const mine = await p.accessLog.forCitizen(citizen);
    expect(mine.map((r) => r.reader)).toEqual(['official:7', 'KR/GOV/MOHW/welfare-services']);
    expect(mine[1]).toMatchObject({ items: ['name', 'roadAddress'], legalBasis: '기초연금법 제10조', consentId: null, xRoadId: 'x-1', channel: 'exchange' });
    expect(mine[0]).toMatchObject({ consentId: 'c-9', legalBasis: null, application: null });
    expect(mine[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await p.accessLog.forCitizen(other)).map((r) => r.items)).toEqual([['arrears']]);
  });

  it('pages with before and filters by reader', async () => {
    const all = await p.accessLog.forCitizen(citizen);
    const next = await p.accessLog.forCitizen(citizen, { before: all[0]!.id, limit: 1 });
    expect(next.map((r) => r.id)).toEqual([all[1]!.id]);
    expect((await p.accessLog.forCitizen(citizen, { reader: 'official:7' })).length).toBe(1);
    expect((await p.accessLog.forCitizen(citizen, { service: 'KR/GOV/MOIS/resident-registry/resident' })).map((r) => r.reader)).toEqual(['KR/GOV/MOHW/welfare-services']);
  });

  it('writes inside the caller’s transaction, so a rolled back read leaves no record', async () => {
    const lonely = '9d1c1d5e-8a51-4f0e-9b1f-3f7c2a4d9e02';
    await expect(
      p.db.transaction(async (tx) => {
        await p.accessLog.record([{ citizenId: lonely, reader: 'r', institution: 'i', service: 's', items: [], purpose: 'p', channel: 'exchange' }], tx as unknown as Db);
        throw new Error('the read failed');
      }),
    ).rejects.toThrow('the read failed');
    expect(await p.accessLog.forCitizen(lonely)).toEqual([]);
    const [n] = await rows<{ n: number }>(p.db, sql`select count(*)::int as n from platform.data_access where citizen_id = ${lonely}`);
    expect(n!.n).toBe(0);
  });

  it('is append-only: a record cannot be changed, deleted or truncated away', async () => {
    const [first] = await p.accessLog.forCitizen(citizen, { limit: 1 });
    // drizzle wraps the database's error: its message is the cause's
    const refusal = (q: ReturnType<typeof sql>) =>
      p.db.execute(q).then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => (e.cause ?? e).message,
      );
    expect(await refusal(sql`update platform.data_access set reader = 'nobody' where id = ${first!.id}`)).toMatch(/append-only/);
    expect(await refusal(sql`delete from platform.data_access where id = ${first!.id}`)).toMatch(/append-only/);
    expect(await refusal(sql`truncate platform.data_access`)).toMatch(/append-only/);
    expect((await p.accessLog.forCitizen(citizen, { limit: 1 }))[0]).toEqual(first);
  });
});
