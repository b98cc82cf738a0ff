import { normaliseRrn } from '../../platform/crypto.ts';

/**
 * Checks of Korean identifiers, shared by validation and the synthetic population generator
 * (which must produce numbers these accept).
 */

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/** The check digit of the first 12 digits of a resident registration number. */
export function rrnCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * RRN_WEIGHTS[i]!;
  return (11 - (sum % 11)) % 10;
}

// the 7th digit gives the century of birth (and sex, and 5-8 foreign residents)
const CENTURY: Record<string, number> = { '9': 1800, '0': 1800, '1': 1900, '2': 1900, '5': 1900, '6': 1900, '3': 2000, '4': 2000, '7': 2000, '8': 2000 };

/** The birth date a resident registration number encodes, or undefined if it encodes none. */
export function rrnBirthDate(rrn: string): string | undefined {
  const d = normaliseRrn(rrn);
  if (!d) return undefined;
  const century = CENTURY[d[6]!];
  if (century === undefined) return undefined;
  const date = `${century + Number(d.slice(0, 2))}-${d.slice(2, 4)}-${d.slice(4, 6)}`;
  return isIsoDate(date) ? date : undefined;
}

/**
 * A resident registration number with 13 digits (hyphen optional), a real birth date and a
 * valid check digit. (Numbers issued since October 2020 no longer carry a check digit; the
 * registry keeps to the older rule, which the synthetic population follows.)
 */
export function validRrn(rrn: string): boolean {
  const d = normaliseRrn(rrn);
  return !!d && rrnBirthDate(d) !== undefined && rrnCheckDigit(d) === Number(d[12]);
}

const BIZ_WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5];

/** The check digit of the first nine digits of a business registration number (사업자등록번호). */
export function businessNumberCheckDigit(first9: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * BIZ_WEIGHTS[i]!;
  sum += Math.floor((Number(first9[8]) * 5) / 10);
  return (10 - (sum % 10)) % 10;
}

/** NNN-NN-NNNNN (hyphens optional) with a valid check digit. */
export function validBusinessNumber(s: string): boolean {
  const d = s.replace(/-/g, '');
  return /^\d{10}$/.test(d) && businessNumberCheckDigit(d) === Number(d[9]);
}
