// Identifiers with real check digits (resident registration numbers, business numbers), plates,
// licence numbers, deterministic UUIDs, weighted choice and calendar days. All pure: same rng, same value.
import type { Rng } from '../../../platform/seed.ts';

// Calendar arithmetic on day numbers (days since 1970-01-01) without Date objects: a million
// citizens need tens of millions of date operations, and Date allocations made the GC the hot spot.
// civil ↔ days after Howard Hinnant's algorithms (proleptic Gregorian).

/** Day number of a calendar date (month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** [year, month 1–12, day] of a day number. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Days since 1970-01-01 of an ISO date (NaN if it is not one). */
export function dayOf(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = daysFromCivil(y, mo, d);
  const back = civilFromDays(day);
  return back[1] === mo && back[2] === d ? day : NaN;
}

// days from 1850 to 2150 cover every date a population has; each is formatted once
const ISO_FROM = daysFromCivil(1850, 1, 1);
const isoCache: string[] = [];
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** The ISO date (YYYY-MM-DD) of a day number. */
export function isoDay(day: number): string {
  const i = day - ISO_FROM;
  let s = isoCache[i];
  if (s === undefined) {
    const [y, m, d] = civilFromDays(day);
    s = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
    if (i >= 0 && i < 110_000) isoCache[i] = s;
  }
  return s;
}

export const yearOf = (day: number): number => civilFromDays(day)[0];

/** The same calendar date `years` later (29 February becomes 1 March in other years). */
export function addYears(day: number, years: number): number {
  const [y, m, d] = civilFromDays(day);
  return daysFromCivil(y + years, m, d);
}

/** Whole years from `birth` to `at` (both day numbers), as people count their age. */
export function ageAt(birth: number, at: number): number {
  const [by, bm, bd] = civilFromDays(birth);
  const [ay, am, ad] = civilFromDays(at);
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

/** A weighted choice prepared once: cumulative weights and binary search (O(log n) per draw). */
export interface Picker<T> {
  pick(rng: Rng): T;
}
export function picker<T>(items: ReadonlyArray<readonly [T, number]>): Picker<T> {
  const values = items.map((i) => i[0]);
  const cum: number[] = [];
  let total = 0;
  for (const [, w] of items) cum.push((total += w));
  return {
    pick(rng) {
      const x = rng.next() * total;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return values[lo]!;
    },
  };
}

/** A normally distributed number (Box–Muller), for log-normal incomes. */
export function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/** The 13th digit of a resident registration number from its first twelve. */
export function rrnCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * RRN_WEIGHTS[i]!;
  return (11 - (sum % 11)) % 10;
}

/** 1/2 for men/women born 1900–1999, 3/4 from 2000, 9/0 before 1900. */
export function genderDigit(birthYear: number, sex: 'M' | 'F'): number {
  if (birthYear >= 2000) return sex === 'M' ? 3 : 4;
  if (birthYear >= 1900) return sex === 'M' ? 1 : 2;
  return sex === 'M' ? 9 : 0;
}

export function isValidRrn(rrn: string): boolean {
  const d = rrn.replace('-', '');
  return /^\d{13}$/.test(d) && rrnCheckDigit(d) === Number(d[12]);
}

/**
 * Hands out resident registration numbers that are unique in one population. For each birth date
 * and gender digit a counter k steps the last digits through a permutation (stride 7919, coprime
 * with 10^n, from a random start), so two people never share a number while the digits still look
 * random. Births before October 2020 carry the 시도's old 2-digit 지역번호 first, as real numbers of
 * that time did; the three digits after it are unique for the first 1,000 people born on one day
 * (a million-citizen population has about 40).
 */
export function rrnIssuer(rng: Rng): (birthDay: number, sex: 'M' | 'F', region: readonly [number, number]) => string {
  const seen = new Map<string, { start: number; n: number }>();
  const reform = dayOf('2020-10-01');
  return (birthDay, sex, region) => {
    const iso = isoDay(birthDay);
    const yymmdd = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
    const key = yymmdd + genderDigit(Number(iso.slice(0, 4)), sex);
    let s = seen.get(key);
    if (!s) seen.set(key, (s = { start: rng.int(0, 99_999), n: 0 }));
    const k = s.n++;
    const body = birthDay < reform
      ? rng.int(region[0], region[1]) * 1000 + ((s.start + k * 7_919) % 1000)
      : (s.start + k * 7_919) % 100_000;
    const first12 = key + String(body).padStart(5, '0');
    return `${yymmdd}-${first12.slice(6)}${rrnCheckDigit(first12)}`;
  };
}

const BIZ_WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5];

/** The check digit of a business registration number (사업자등록번호) from its first nine digits. */
export function businessCheckDigit(first9: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * BIZ_WEIGHTS[i]!;
  sum += Math.floor((Number(first9[8]) * 5) / 10);
  return (10 - (sum % 10)) % 10;
}

export function isValidBusinessNumber(n: string): boolean {
  const d = n.replace(/-/g, '');
  return /^\d{10}$/.test(d) && businessCheckDigit(d) === Number(d[9]);
}

/** NNN-NN-NNNNN: tax office code, 01–79 (an individual taxable business), serial, check digit. */
export function businessNumber(rng: Rng): string {
  const office = rng.int(101, 899);
  const kind = rng.int(1, 79);
  const serial = rng.int(0, 9999);
  const first9 = `${office}${String(kind).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
  return `${first9.slice(0, 3)}-${first9.slice(3, 5)}-${first9.slice(5)}${businessCheckDigit(first9)}`;
}

/** NN-NN-NNNNNN-NN: region code, year of first issue, serial, check digits. */
export function licenceNumber(rng: Rng, region: number, issueYear: number): string {
  const serial = String(rng.int(0, 999_999)).padStart(6, '0');
  const check = String(rng.int(0, 99)).padStart(2, '0');
  return `${region}-${String(issueYear % 100).padStart(2, '0')}-${serial}-${check}`;
}

/** 12가3456 before September 2019, 123가4567 since. */
export function plateNumber(rng: Rng, hangul: string, registeredYear: number): string {
  const tail = String(rng.int(1000, 9999));
  const head = registeredYear >= 2019 && rng.chance(0.9) ? String(rng.int(100, 699)) : String(rng.int(10, 69)).padStart(2, '0');
  return `${head}${hangul}${tail}`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (n: number) => HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
const hex16 = (n: number) => HEX[(n >>> 8) & 255]! + HEX[n & 255]!;

/**
 * Deterministic UUIDs (RFC 9562 version 8): a 48-bit counter from a per-seed start, then random
 * bits. Counting up keeps B-tree inserts at the right edge of the index, so a million-citizen load
 * does not scatter writes over the whole primary key, while the ids stay unique.
 */
export function uuidFactory(rng: Rng): () => string {
  let counter = rng.int(0, 0xffff) * 0x1_0000_0000;
  return () => {
    const c = counter++;
    const lo = c >>> 0;
    const r1 = (rng.next() * 0x1_0000_0000) >>> 0;
    const r2 = (rng.next() * 0x1_0000_0000) >>> 0;
    const r3 = (rng.next() * 0x1_0000_0000) >>> 0;
    return `${hex16(c / 0x1_0000_0000)}${hex16(lo >>> 16)}-${hex16(lo)}-${hex16(0x8000 | (r1 & 0x0fff))}-${hex16(0x8000 | ((r1 >>> 16) & 0x3fff))}-${hex32(r2)}${hex16(r3)}`;
  };
}
