import type { Names } from './directory.ts';

// The seeded directory of instance KR: real government members under their real names, and
// fictitious private ones (no real company is named). Subsystems and access rights are shaped
// after how Korean agencies actually share data; the legal bases are the articles that let them.

export const SEED_MEMBERS: Array<{ memberClass: 'GOV' | 'COM' | 'NGO'; memberCode: string; name: Names }> = [
  { memberClass: 'GOV', memberCode: 'MOIS', name: { ko: '행정안전부', en: 'Ministry of the Interior and Safety' } },
  { memberClass: 'GOV', memberCode: 'SCOURT', name: { ko: '법원행정처', en: 'National Court Administration' } },
  { memberClass: 'GOV', memberCode: 'MOLIT', name: { ko: '국토교통부', en: 'Ministry of Land, Infrastructure and Transport' } },
  { memberClass: 'GOV', memberCode: 'KNPA', name: { ko: '경찰청', en: 'Korean National Police Agency' } },
  { memberClass: 'GOV', memberCode: 'NTS', name: { ko: '국세청', en: 'National Tax Service' } },
  { memberClass: 'GOV', memberCode: 'NHIS', name: { ko: '국민건강보험공단', en: 'National Health Insurance Service' } },
  { memberClass: 'GOV', memberCode: 'MOHW', name: { ko: '보건복지부', en: 'Ministry of Health and Welfare' } },
  { memberClass: 'GOV', memberCode: 'MPVA', name: { ko: '국가보훈부', en: 'Ministry of Patriots and Veterans Affairs' } },
  { memberClass: 'GOV', memberCode: 'MOEL', name: { ko: '고용노동부', en: 'Ministry of Employment and Labor' } },
  { memberClass: 'GOV', memberCode: 'MOE', name: { ko: '교육부', en: 'Ministry of Education' } },
  { memberClass: 'GOV', memberCode: 'SEOUL', name: { ko: '서울특별시', en: 'Seoul Metropolitan Government' } },
  { memberClass: 'GOV', memberCode: 'BUSAN', name: { ko: '부산광역시', en: 'Busan Metropolitan City' } },
  { memberClass: 'COM', memberCode: 'HANBANK', name: { ko: '한빛은행', en: 'Hanbit Bank' } },
  { memberClass: 'COM', memberCode: 'HANULTEL', name: { ko: '하늘통신', en: 'Haneul Telecom' } },
  { memberClass: 'NGO', memberCode: 'NANUM', name: { ko: '나눔복지재단', en: 'Nanum Welfare Foundation' } },
];

/** Names of the registries' provider subsystems (a subsystem not listed is named after its registry). */
export const PROVIDER_SUBSYSTEM_NAMES: Record<string, Names> = {
  'resident-registry': { ko: '주민등록 정보시스템', en: 'Resident registration system' },
  'family-registry': { ko: '가족관계등록 전산정보시스템', en: 'Family relations registration system' },
  'vehicle-registry': { ko: '자동차 관리 정보시스템', en: 'Vehicle management information system' },
  'licence-registry': { ko: '운전면허 정보시스템', en: 'Driver licence information system' },
  'tax-registry': { ko: '국세 통합 전산망 (납세)', en: 'National tax system (payments)' },
  'business-registry': { ko: '국세 통합 전산망 (사업자)', en: 'National tax system (businesses)' },
  'insurance-registry': { ko: '건강보험 자격 관리 시스템', en: 'Health insurance eligibility system' },
  'welfare-registry': { ko: '사회보장정보시스템', en: 'Social security information system' },
  'veterans-registry': { ko: '보훈 정보시스템', en: 'Veterans information system' },
};

/** Client subsystems: the systems that read through the mediator. */
export const CLIENT_SUBSYSTEMS: Array<{ id: string; name: Names }> = [
  { id: 'KR/GOV/MOIS/gov24', name: { ko: '정부24', en: 'Government24 portal' } },
  { id: 'KR/GOV/MOIS/mydata', name: { ko: '공공 마이데이터', en: 'Public MyData' } },
  { id: 'KR/GOV/MOIS/benefit-screening', name: { ko: '혜택 알리미 (수혜 자격 확인)', en: 'Benefit alerts (eligibility screening)' } },
  { id: 'KR/GOV/MOIS/wallet-issuer', name: { ko: '전자증명서 발급', en: 'Digital certificate issuing' } },
  { id: 'KR/GOV/MOHW/welfare-services', name: { ko: '복지 서비스', en: 'Welfare services' } },
  { id: 'KR/GOV/MOEL/employment-services', name: { ko: '고용24', en: 'Employment services (Work24)' } },
  { id: 'KR/GOV/MOE/education-benefits', name: { ko: '교육급여·교육비 지원', en: 'Education benefits' } },
  { id: 'KR/GOV/SEOUL/civil-service', name: { ko: '서울시 민원 서비스', en: 'Seoul civil services' } },
  { id: 'KR/GOV/BUSAN/civil-service', name: { ko: '부산시 민원 서비스', en: 'Busan civil services' } },
  { id: 'KR/COM/HANBANK/loans', name: { ko: '대출 심사', en: 'Loan screening' } },
  { id: 'KR/COM/HANULTEL/subscriber-check', name: { ko: '가입자 본인확인', en: 'Subscriber identity check' } },
  { id: 'KR/NGO/NANUM/care-services', name: { ko: '돌봄 서비스', en: 'Care services' } },
];

const WELFARE = '사회보장급여법 제19조 (사회보장급여의 이용·제공 및 수급권자 발굴에 관한 법률)';
const EGOV = '전자정부법 제36조 (행정정보의 공동이용)';
const MYDATA = '전자정부법 제43조의2 (정보주체 본인에 관한 행정정보의 제공요구권)';
const RESIDENT = '주민등록법 제30조 (주민등록자료의 이용·활용)';
const CONSENT = '개인정보 보호법 제15조 제1항 제1호 (정보주체의 동의)';
const SCREENING = '사회보장급여법 제19조 (수급권자 발굴), 전자정부법 제36조; 본인 신청 (혜택 알리미)';

/**
 * Access rights granted at seeding: client → services (registry codes, `household` for the
 * resident registry's household view, or `events` for its life events) with the legal basis.
 * Each grant is made by the member that provides the service, like any other.
 */
export const SEED_RIGHTS: Array<{ client: string; services: string[]; legalBasis: string; requiresConsent?: boolean }> = [
  { client: 'KR/GOV/MOHW/welfare-services', services: ['resident', 'family', 'income', 'disability', 'health-insurance', 'veteran'], legalBasis: WELFARE },
  { client: 'KR/GOV/MOHW/welfare-services', services: ['events'], legalBasis: WELFARE },
  { client: 'KR/GOV/MOIS/gov24', services: ['resident', 'family', 'vehicle', 'licence', 'tax', 'business', 'health-insurance', 'veteran', 'events'], legalBasis: EGOV },
  { client: 'KR/GOV/MOIS/mydata', services: ['resident', 'family', 'vehicle', 'licence', 'tax', 'business', 'health-insurance', 'income', 'disability', 'veteran'], legalBasis: MYDATA },
  // read only for citizens who asked for benefit alerts (the services module checks the opt-in before each read)
  { client: 'KR/GOV/MOIS/benefit-screening', services: ['resident', 'family', 'vehicle', 'licence', 'tax', 'business', 'health-insurance', 'income', 'disability', 'veteran', 'events'], legalBasis: SCREENING },
  { client: 'KR/GOV/MOIS/wallet-issuer', services: ['resident', 'household', 'family', 'vehicle', 'licence', 'tax', 'business', 'income', 'health-insurance', 'disability', 'veteran'], legalBasis: '전자정부법 제36조, 민원 처리에 관한 법률 제10조의2 (전자증명서)' },
  { client: 'KR/GOV/MOEL/employment-services', services: ['resident', 'income', 'health-insurance'], legalBasis: '고용정책 기본법 제15조 (고용·직업 정보의 수집·제공)' },
  // tax data only with the applicant's consent (once-only: no paper certificate to upload)
  { client: 'KR/GOV/MOEL/employment-services', services: ['tax'], legalBasis: CONSENT, requiresConsent: true },
  { client: 'KR/GOV/MOE/education-benefits', services: ['resident', 'family', 'income'], legalBasis: '초·중등교육법 제60조의4 (교육비 지원)' },
  { client: 'KR/GOV/SEOUL/civil-service', services: ['resident', 'events'], legalBasis: RESIDENT },
  { client: 'KR/GOV/SEOUL/civil-service', services: ['vehicle'], legalBasis: '자동차관리법 제69조 (전산정보처리조직의 운영)' },
  { client: 'KR/GOV/BUSAN/civil-service', services: ['resident', 'events'], legalBasis: RESIDENT },
  { client: 'KR/GOV/BUSAN/civil-service', services: ['vehicle'], legalBasis: '자동차관리법 제69조 (전산정보처리조직의 운영)' },
  { client: 'KR/GOV/NHIS/insurance-registry', services: ['resident', 'events'], legalBasis: '국민건강보험법 제96조 (자료의 제공)' },
  { client: 'KR/COM/HANBANK/loans', services: ['resident', 'income', 'tax', 'health-insurance'], legalBasis: CONSENT, requiresConsent: true },
  { client: 'KR/COM/HANULTEL/subscriber-check', services: ['resident'], legalBasis: '전기통신사업법 제32조의4 (이동통신단말장치 부정이용 방지 등)' },
  // the NGO has a subsystem but no right: being in the directory gives access to nothing
];

/** The subsystem that publishes the life events, and its events service code. */
export const LIFE_EVENT_PUBLISHER = 'KR/GOV/MOIS/resident-registry';
export const EVENTS_SERVICE = 'events';
