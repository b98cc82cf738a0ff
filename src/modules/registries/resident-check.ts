import { sql } from 'drizzle-orm';
import { rows } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRegistry } from './catalog.ts';
import { RESIDENT } from './definitions.ts';
import { UUID_RE } from './identifiers.ts';
import { rrnContext, rrnIndex } from './record-codec.ts';

/**
 * For identity proofing (the identity module's enrolment): does `rrn` belong to the resident
 * `citizenId`? Compares blind indexes, so the stored RRN is never decrypted, and answers only yes
 * or no. Always computes the index and queries, whether or not the RRN is well formed, so that
 * the answer's timing does not tell which part was wrong.
 */
export async function residentHasRrn(platform: Platform, citizenId: string, rrn: string): Promise<boolean> {
  const info = await findRegistry(platform, RESIDENT);
  const index = rrnIndex(platform.crypto, rrn) ?? '-';
  if (!info || !UUID_RE.test(citizenId)) return false;
  const found = await rows<{ ok: boolean }>(
    platform.db,
    sql`select rrn_index = ${index} as ok from registries.record where registry_id = ${info.id} and id = ${citizenId}::uuid`,
  );
  return found[0]?.ok === true;
}

/** What single sign-on may release about a resident (the identity module decides which, per scope). */
export interface ResidentClaims {
  name: string;
  birthDate: string | null;
  sido: string | null;
  sigungu: string | null;
  roadAddress: string | null;
}

/** The few facts about a resident the identity module shows or releases; undefined when there is no such resident. */
async function residentFacts(platform: Platform, citizenId: string): Promise<(ResidentClaims & { status: string }) | undefined> {
  const info = await findRegistry(platform, RESIDENT);
  if (!info || !UUID_RE.test(citizenId)) return undefined;
  const [r] = await rows<{ name: string | null; status: string | null; birth_date: string | null; sido: string | null; sigungu: string | null; road: string | null }>(
    platform.db,
    sql`select data ->> 'name' as name, data ->> 'status' as status, data ->> 'birthDate' as birth_date, data ->> 'sido' as sido,
          data ->> 'sigungu' as sigungu, data ->> 'roadAddress' as road
        from registries.record where registry_id = ${info.id} and id = ${citizenId}::uuid`,
  );
  return r ? { name: r.name ?? '', status: r.status ?? '', birthDate: r.birth_date, sido: r.sido, sigungu: r.sigungu, roadAddress: r.road } : undefined;
}

/** A resident's name and status (for greeting a signed-in citizen); undefined when there is no such resident. */
export async function residentSummary(platform: Platform, citizenId: string): Promise<{ name: string; status: string } | undefined> {
  const f = await residentFacts(platform, citizenId);
  return f && { name: f.name, status: f.status };
}

export async function residentClaims(platform: Platform, citizenId: string): Promise<ResidentClaims | undefined> {
  const f = await residentFacts(platform, citizenId);
  return f && { name: f.name, birthDate: f.birthDate, sido: f.sido, sigungu: f.sigungu, roadAddress: f.roadAddress };
}

/**
 * A resident's full resident registration number, the one place it leaves the registry unmasked:
 * for single sign-on to a public agency whose client holds a legal basis to receive it (the
 * identity module checks that and writes the release to the citizen's access log). Undefined when
 * there is no such resident or the value does not decrypt.
 */
export async function residentRrn(platform: Platform, citizenId: string): Promise<string | undefined> {
  const info = await findRegistry(platform, RESIDENT);
  if (!info || !UUID_RE.test(citizenId)) return undefined;
  const [r] = await rows<{ rrn: string | null }>(platform.db, sql`select data ->> 'rrn' as rrn from registries.record where registry_id = ${info.id} and id = ${citizenId}::uuid`);
  if (!r?.rrn) return undefined;
  try {
    const digits = platform.crypto.decrypt(r.rrn, rrnContext(RESIDENT, citizenId, 'rrn'));
    return `${digits.slice(0, 6)}-${digits.slice(6)}`;
  } catch {
    return undefined;
  }
}
