import type { Text } from '../registries/index.ts';

/**
 * One public service of the catalogue, with the fields of Korea's public service information
 * dataset (행정안전부 공공서비스 정보, the data behind 보조금24: 서비스ID, 서비스명, 소관기관,
 * 서비스목적, 지원대상, 선정기준, 지원내용, 신청방법, 신청기한, 문의처, 구비서류, 근거법령,
 * 온라인신청사이트) plus what Hanaro needs to act on it: the eligibility rule, the life events
 * that should bring it to a citizen's attention, and for reminders the due date they are about.
 */
export interface ServiceEntry {
  /** Stable id: lower-case words joined by dashes (`first-meeting-voucher`, `seoul-youth-transport`). */
  id: string;
  name: Text;
  /** Member code of the responsible agency: a ministry (`MOHW`) or a local government (`SEOUL`, `SEOUL-GANGNAM`). */
  agency: string;
  agencyName: Text;
  field: ServiceField;
  /** benefit: something the citizen applies for; reminder: a due date (국민비서); procedure: a civil registration. */
  kind: 'benefit' | 'reminder' | 'procedure';
  purpose: Text;
  /** 지원대상 */
  target: Text;
  /** 선정기준: the published criteria in words (the rule is their simplified form). */
  criteria: Text;
  /** 지원내용 */
  benefit: Text;
  /** 신청방법 */
  howToApply: Text;
  /** 신청기한 */
  deadline: Text;
  /** 문의처 */
  contact: Text;
  /** 구비서류 */
  documents: Text[];
  /** 근거법령 */
  legalBasis: Text;
  /** 온라인 신청 (정부24, 복지로, …) */
  onlineUrl?: string;
  /** A regional programme: only residents of this 시도 (and 시군구) can be eligible. */
  region?: { sido: string; sigungu?: string };
  /**
   * The eligibility rule, in CEL over the facts of facts.ts (and `today`): true when the
   * citizen is eligible. For a reminder, true when the reminder is due.
   */
  rule: string;
  /** Life events after which the citizen is told about this service if eligible. */
  lifeEvents?: LifeEventKind[];
  /** For reminders: the date fact the reminder is about, shown in the notice (`vehicles.nextInspectionDue`). */
  dueFact?: string;
}

export type LifeEventKind = 'birth' | 'move' | 'death' | 'turning-65';

export const SERVICE_FIELDS = {
  pregnancy: { ko: '임신·출산', en: 'Pregnancy and birth' },
  childcare: { ko: '보육·아동', en: 'Childcare and children' },
  youth: { ko: '청년', en: 'Young people' },
  seniors: { ko: '노인', en: 'Older people' },
  disability: { ko: '장애인', en: 'Disability' },
  livelihood: { ko: '생활안정', en: 'Basic livelihood' },
  housing: { ko: '주거', en: 'Housing' },
  employment: { ko: '고용·창업', en: 'Work and business' },
  education: { ko: '교육', en: 'Education' },
  health: { ko: '보건·의료', en: 'Health' },
  veterans: { ko: '보훈', en: 'Veterans' },
  energy: { ko: '에너지', en: 'Energy' },
  transport: { ko: '교통·자동차', en: 'Transport and vehicles' },
  civil: { ko: '민원·신고', en: 'Civil registration' },
  culture: { ko: '문화·여가', en: 'Culture and leisure' },
  agriculture: { ko: '농림·수산', en: 'Farming and fishing' },
  safety: { ko: '안전', en: 'Safety' },
} as const;
export type ServiceField = keyof typeof SERVICE_FIELDS;
