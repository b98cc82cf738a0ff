import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral, rows, type Database } from './db.ts';
import { testDatabase } from './testing.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => database?.close());

describe('arrayLiteral', () => {
  it('round-trips any strings, nulls and numbers through one array parameter', async () => {
    const values = ['plain', 'with "quotes"', 'back\\slash', 'comma, {braces}', '', 'NULL', '한글 😀', null];
    const got = await rows<{ v: string | null }>(database.db, sql`select v from unnest(${arrayLiteral(values)}::text[]) with ordinality as t(v, i) order by i`);
    expect(got.map((r) => r.v)).toEqual(values);
    const ints = await rows<{ v: number }>(database.db, sql`select v from unnest(${arrayLiteral([3, 1, 2])}::int[]) with ordinality as t(v, i) order by i`);
    expect(ints.map((r) => Number(r.v))).toEqual([3, 1, 2]);
  });
});
