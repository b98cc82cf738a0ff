import type { Platform } from '../../platform/platform.ts';
import { mediatedCall } from '../exchange/index.ts';
import { OAuthError } from './errors.ts';

/**
 * What every document configuration is made of (documents.ts lists them) and the registry read
 * they share: as the issuing system `KR/GOV/MOIS/wallet-issuer` with the purpose "document
 * issuance", through the information mediator.
 */
export const ISSUING_SYSTEM = 'KR/GOV/MOIS/wallet-issuer';
export const PURPOSE = 'document issuance';

export interface Names {
  ko: string;
  en: string;
}

export interface ClaimInfo {
  path: string[];
  display: Names;
}

export interface CredentialConfiguration {
  id: string;
  /** `dc+sd-jwt` (SD-JWT VC, issuer.ts) or `mso_mdoc` (ISO/IEC 18013-5 mdoc, mdoc.ts). */
  format: 'dc+sd-jwt' | 'mso_mdoc';
  /** mso_mdoc only: the ISO 18013-5 document type. Its claims' paths are [namespace, element]. */
  doctype?: string;
  /**
   * The type's last path segment: an SD-JWT VC's vct is `<issuer>/credentials/types/<type>`; an
   * mdoc shares it with the SD-JWT VC of the same document (the /documents page groups by it).
   */
  type: string;
  name: Names;
  description: Names;
  /** How long a credential of this kind is valid. */
  validityDays: number;
  /**
   * Set when an official of `agency` (its member code, e.g. `MOHW`) must approve each request
   * first: the credential endpoint then answers 202 with a transaction id (deferred issuance,
   * deferred.ts) and the agency's case workers decide in the console.
   */
  approval?: { agency: string; name: Names };
  claims: ClaimInfo[];
  /**
   * Reads the claims for a citizen; undefined claims are left out. Throws OAuthError when the
   * document cannot be issued. An mdoc's claims come as `{ <namespace>: { <element>: value } }`.
   */
  read(platform: Platform, citizenId: string, now: Date): Promise<Record<string, unknown>>;
}

export const AGE_THRESHOLDS = [14, 19, 65] as const;

/** Whole years between a birth date (YYYY-MM-DD) and `now`, as Korean law counts age (만 나이). */
export function ageOn(birthDate: string, now: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const seoul = new Date(now.getTime() + 9 * 3600_000);
  let age = seoul.getUTCFullYear() - y;
  if (seoul.getUTCMonth() + 1 < m || (seoul.getUTCMonth() + 1 === m && seoul.getUTCDate() < d)) age--;
  return age;
}

/** One read through the mediator as the issuing system, for this purpose; 404 is the caller's to interpret. */
export async function mediatedRead(platform: Platform, service: string, citizenId: string, path: string): Promise<Record<string, unknown> | undefined> {
  const res = await mediatedCall(platform, { client: ISSUING_SYSTEM, service, path, userId: citizenId, issue: PURPOSE });
  if (res.status === 404) return undefined;
  if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) {
    throw new OAuthError(503, 'server_error', `the registry could not be read (${res.status}, X-Road-Id ${res.xRoadId})`);
  }
  return res.body as Record<string, unknown>;
}
