import type { AccessRight, Member, Service, Subsystem } from './directory.ts';

// Rows of the directory tables and their mapping to the directory's types (directory.ts).

export interface MemberRow {
  instance: string;
  member_class: string;
  member_code: string;
  name_ko: string;
  name_en: string;
}
export interface SubsystemRow extends MemberRow {
  subsystem_code: string;
}
export interface ServiceRow extends Omit<SubsystemRow, 'name_ko' | 'name_en'> {
  service_code: string;
  service_version: string;
  title_ko: string;
  title_en: string;
  provider: string;
  openapi: Record<string, unknown> | string;
  personal_data: boolean;
  log_bodies: boolean;
  timeout_ms: number;
  is_disabled: boolean;
}
export interface RightRow {
  id: number;
  service_id: string;
  client_id: string;
  granted_by: string;
  granted_at: Date | string;
  legal_basis: string | null;
  requires_consent: boolean;
  revoked_at: Date | string | null;
  revoked_by: string | null;
}

export const toMember = (r: MemberRow): Member => ({
  id: `${r.instance}/${r.member_class}/${r.member_code}`,
  instance: r.instance,
  memberClass: r.member_class,
  memberCode: r.member_code,
  name: { ko: r.name_ko, en: r.name_en },
});
export const toSubsystem = (r: SubsystemRow): Subsystem => {
  const memberId = `${r.instance}/${r.member_class}/${r.member_code}`;
  return { ...toMember(r), id: `${memberId}/${r.subsystem_code}`, memberId, subsystemCode: r.subsystem_code };
};
export const toService = (r: ServiceRow): Service => {
  const subsystemId = `${r.instance}/${r.member_class}/${r.member_code}/${r.subsystem_code}`;
  return {
    id: `${subsystemId}/${r.service_code}`,
    subsystemId,
    instance: r.instance,
    memberClass: r.member_class,
    memberCode: r.member_code,
    subsystemCode: r.subsystem_code,
    serviceCode: r.service_code,
    version: r.service_version,
    title: { ko: r.title_ko, en: r.title_en },
    provider: r.provider,
    openapi: typeof r.openapi === 'string' ? (JSON.parse(r.openapi) as Record<string, unknown>) : r.openapi,
    personalData: r.personal_data,
    logBodies: r.log_bodies,
    timeoutMs: r.timeout_ms,
    disabled: r.is_disabled,
  };
};
const date = (v: Date | string | null) => (v === null ? null : new Date(v));
export const toRight = (r: RightRow): AccessRight => ({
  id: Number(r.id),
  serviceId: r.service_id,
  clientId: r.client_id,
  grantedBy: r.granted_by,
  grantedAt: new Date(r.granted_at),
  legalBasis: r.legal_basis,
  requiresConsent: Boolean(r.requires_consent),
  revokedAt: date(r.revoked_at),
  revokedBy: r.revoked_by,
});
