import type { Official, OfficialRole } from '../../platform/auth.ts';
import type { Lang } from '../../platform/i18n.ts';
import { scrub } from '../../platform/log.ts';
import type { PageContext } from '../../web/context.ts';
import type { LogView } from './console-log.tsx';
import { consoleMessages, type ConsoleMessageKey } from './console-messages.ts';
import type { RightView, ServiceSummary } from './console-store.ts';
import type { Member, Names, Subsystem } from './directory.ts';

// What the console's templates share: its messages, names in the page's language, times in
// Asia/Seoul, the masking of citizen ids, its paths, and the view of one agency page.

export const ct = (ctx: Pick<PageContext, 'lang'>, key: ConsoleMessageKey, params?: Record<string, string | number>) =>
  consoleMessages(ctx.lang, key, params);

const TIME = {
  ko: new Intl.DateTimeFormat('ko-KR', { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23', timeZone: 'Asia/Seoul' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23', timeZone: 'Asia/Seoul' }),
};

/** A UTC ISO time shown in Asia/Seoul, with the machine-readable time beside it. */
export function Time({ iso, lang }: { iso: string; lang: Lang }) {
  return <time dateTime={iso}>{TIME[lang].format(new Date(iso))}</time>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A citizen (or record) id shortened to its first eight characters: enough to tell rows apart, not to look anyone up. */
export const maskId = (id: string): string => `${id.slice(0, 8)}…`;

/** A request path as shown: ids in it shortened (a resident's record id is the citizen's id), and RRNs, phones and e-mails scrubbed. */
export const maskPath = (path: string): string => scrub(path.replace(UUID, (m) => maskId(m)));

export const nameIn = (n: Names | undefined, lang: Lang): string => (n ? (lang === 'en' ? n.en || n.ko : n.ko || n.en) : '');

export const ROLE_KEYS: Record<OfficialRole, ConsoleMessageKey> = {
  'case-worker': 'role_case_worker',
  'agency-admin': 'role_agency_admin',
  'platform-admin': 'role_platform_admin',
  auditor: 'role_auditor',
  'information-sharing': 'role_information_sharing',
};

/**
 * The GovStack getOpenAPI route of a service's subsystem (Information Mediator directory API),
 * for programs: it wants an X-GovStack-Client header, so a browser's link cannot use it.
 */
export function govstackOpenApiUrl(subsystemId: string, serviceCode: string): string {
  const [instance = '', memberClass = '', memberCode = '', subsystem = ''] = subsystemId.split('/').map(encodeURIComponent);
  return `/govstack/information-mediator/r1/${instance}/${memberClass}/${memberCode}/${subsystem}/getOpenAPI?serviceCode=${encodeURIComponent(serviceCode)}`;
}

/** The same document for the console's readers, behind their sign-in. */
export const consoleOpenApiUrl = (memberCode: string, s: Pick<ServiceSummary, 'subsystemCode' | 'serviceCode'>): string =>
  `${consolePath(memberCode)}/services/${encodeURIComponent(s.subsystemCode)}/${encodeURIComponent(s.serviceCode)}/openapi.json`;

export const consolePath = (code: string) => `/console/exchange/${encodeURIComponent(code)}`;

export interface AgencyView {
  member: Member;
  actor: Official;
  /** Grant and revoke forms are shown (and accepted) for this agency's administrators only. */
  canManage: boolean;
  /** Platform administrators get a way to open any agency's page. */
  agencies?: Array<{ code: string; name: Names }>;
  subsystems: Subsystem[];
  services: ServiceSummary[];
  granted: RightView[];
  received: RightView[];
  /** Every subsystem, for the grant form's client choice. */
  clients: Subsystem[];
  log: LogView;
  done?: 'granted' | 'exists' | 'revoked';
}


