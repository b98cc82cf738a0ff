import type { Platform } from '../../platform/platform.ts';
import { mediatedCall } from '../exchange/index.ts';
import { OAuthError } from './errors.ts';

/**
 * The documents Hanaro issues (OpenID4VCI credential configurations). Each one's claims are read
 * from the owning agency's registry through the information mediator, as the issuing system
 * `KR/GOV/MOIS/wallet-issuer` with the purpose "document issuance", so the read is signed,
 * access-checked and logged, and lands in the citizen's access log like any other.
 *
 * Every claim is selectively disclosable; where an age matters the document carries
 * `age_equal_or_over` with one disclosable member per threshold, so a holder can prove "19 or
 * over" without showing a birth date. No document carries the resident registration number.
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
  format: 'dc+sd-jwt';
  /** The type's last path segment: vct is `<issuer>/credentials/types/<type>`. */
  type: string;
  name: Names;
  description: Names;
  /** How long a credential of this kind is valid. */
  validityDays: number;
  claims: ClaimInfo[];
  /** Reads the claims for a citizen; undefined claims are left out. Throws OAuthError when the document cannot be issued. */
  read(platform: Platform, citizenId: string, now: Date): Promise<Record<string, unknown>>;
}

const AGE_THRESHOLDS = [14, 19, 65] as const;

/** Whole years between a birth date (YYYY-MM-DD) and `now`, as Korean law counts age (만 나이). */
export function ageOn(birthDate: string, now: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const seoul = new Date(now.getTime() + 9 * 3600_000);
  let age = seoul.getUTCFullYear() - y;
  if (seoul.getUTCMonth() + 1 < m || (seoul.getUTCMonth() + 1 === m && seoul.getUTCDate() < d)) age--;
  return age;
}

async function registryRecord(platform: Platform, service: string, citizenId: string, fields: string[]): Promise<Record<string, unknown>> {
  const res = await mediatedCall(platform, {
    client: ISSUING_SYSTEM,
    service,
    path: `/records/${citizenId}?fields=${fields.join(',')}`,
    userId: citizenId,
    issue: PURPOSE,
  });
  if (res.status === 404) throw new OAuthError(400, 'credential_request_denied', 'the registry holds no record for this person');
  if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) {
    throw new OAuthError(503, 'server_error', `the registry could not be read (${res.status}, X-Road-Id ${res.xRoadId})`);
  }
  return res.body as Record<string, unknown>;
}

const text = (ko: string, en: string): Names => ({ ko, en });

export const RESIDENT_ID: CredentialConfiguration = {
  id: 'kr.mois.resident-id.sd-jwt',
  format: 'dc+sd-jwt',
  type: 'resident-id',
  name: text('모바일 주민등록증', 'Mobile resident ID'),
  description: text('주민등록 정보에 따른 본인 확인용 신분증 (이름, 생년월일, 국적, 주소, 나이 확인)', 'Identity document from the resident register (name, date of birth, nationality, address, age checks)'),
  validityDays: 365,
  claims: [
    { path: ['name'], display: text('성명', 'Name') },
    { path: ['birthdate'], display: text('생년월일', 'Date of birth') },
    { path: ['nationality'], display: text('국적', 'Nationality') },
    { path: ['address', 'region'], display: text('시도', 'Province or metropolitan city') },
    { path: ['address', 'locality'], display: text('시군구', 'City, county or district') },
    { path: ['address', 'street_address'], display: text('도로명주소', 'Road-name address') },
    { path: ['address', 'postal_code'], display: text('우편번호', 'Postal code') },
    ...AGE_THRESHOLDS.map((n) => ({ path: ['age_equal_or_over', String(n)], display: text(`만 ${n}세 이상`, `Aged ${n} or over`) })),
    { path: ['issuing_authority'], display: text('발급 기관', 'Issuing authority') },
    { path: ['issuing_country'], display: text('발급 국가', 'Issuing country') },
  ],
  async read(platform, citizenId, now) {
    const r = await registryRecord(platform, 'KR/GOV/MOIS/resident-registry/resident', citizenId, ['name', 'birthDate', 'nationality', 'sido', 'sigungu', 'roadAddress', 'postalCode', 'status']);
    if (r.status !== 'active') throw new OAuthError(400, 'credential_request_denied', 'the resident register does not show this person as an active resident');
    const birthDate = typeof r.birthDate === 'string' ? r.birthDate : undefined;
    const age = birthDate ? ageOn(birthDate, now) : undefined;
    const address = Object.fromEntries(
      Object.entries({ region: r.sido, locality: r.sigungu, street_address: r.roadAddress, postal_code: r.postalCode, country: 'KR' }).filter(([, v]) => typeof v === 'string' && v),
    );
    return {
      name: r.name,
      birthdate: birthDate,
      nationality: r.nationality ?? 'KR',
      address,
      ...(age === undefined ? {} : { age_equal_or_over: Object.fromEntries(AGE_THRESHOLDS.map((n) => [String(n), age >= n])) }),
      issuing_authority: '행정안전부 (Ministry of the Interior and Safety)',
      issuing_country: 'KR',
    };
  },
};

export const CONFIGURATIONS: Record<string, CredentialConfiguration> = { [RESIDENT_ID.id]: RESIDENT_ID };
