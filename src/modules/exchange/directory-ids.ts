// Identifiers of the information mediator, X-Road style: `KR/GOV/MOIS` (member),
// `KR/GOV/MOIS/resident-registry` (subsystem, the GovStack "application"),
// `KR/GOV/MOIS/resident-registry/resident` (service). One place parses and prints them so that
// every table and header spells them the same way.

export const INSTANCE = 'KR';
export const MEMBER_CLASSES = ['GOV', 'COM', 'NGO'] as const;
export type MemberClass = (typeof MEMBER_CLASSES)[number];

/** One part of an identifier: letters, digits, `.`, `_`, `-`; starts with a letter or digit. */
export const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface MemberId {
  instance: string;
  memberClass: string;
  memberCode: string;
}
export interface SubsystemId extends MemberId {
  subsystemCode: string;
}
export interface ServiceId extends SubsystemId {
  serviceCode: string;
}

function parts(text: unknown, n: number): string[] | undefined {
  if (typeof text !== 'string' || text.length > 300) return undefined;
  const p = text.split('/');
  return p.length === n && p.every((x) => CODE.test(x)) ? p : undefined;
}

export function parseMemberId(text: unknown): MemberId | undefined {
  const p = parts(text, 3);
  return p && { instance: p[0]!, memberClass: p[1]!, memberCode: p[2]! };
}

/** `KR/GOV/MOIS/resident-registry` → its parts; undefined when malformed (wrong count or characters). */
export function parseSubsystemId(text: unknown): SubsystemId | undefined {
  const p = parts(text, 4);
  return p && { instance: p[0]!, memberClass: p[1]!, memberCode: p[2]!, subsystemCode: p[3]! };
}

export function parseServiceId(text: unknown): ServiceId | undefined {
  const p = parts(text, 5);
  return p && { instance: p[0]!, memberClass: p[1]!, memberCode: p[2]!, subsystemCode: p[3]!, serviceCode: p[4]! };
}

export const memberIdOf = (x: MemberId): string => `${x.instance}/${x.memberClass}/${x.memberCode}`;
export const subsystemIdOf = (x: SubsystemId): string => `${memberIdOf(x)}/${x.subsystemCode}`;
export const serviceIdOf = (x: ServiceId): string => `${subsystemIdOf(x)}/${x.serviceCode}`;

/** The member a subsystem or service id belongs to (`KR/GOV/MOIS/x[/y]` → `KR/GOV/MOIS`). */
export function memberOf(id: string): string {
  return id.split('/').slice(0, 3).join('/');
}

/** The subsystem a service id belongs to. */
export function subsystemOf(serviceId: string): string {
  return serviceId.split('/').slice(0, 4).join('/');
}

/** The GovStack JSON form of a subsystem id (`subscriberId`, `publisherId` in the pub/sub API). */
export function govstackAppId(id: string): { instanceId: string; memberClass: string; memberCode: string; applicationCode: string } {
  const [instanceId = '', memberClass = '', memberCode = '', applicationCode = ''] = id.split('/');
  return { instanceId, memberClass, memberCode, applicationCode };
}
