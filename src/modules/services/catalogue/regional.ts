import type { LifeEventKind, ServiceEntry, ServiceField } from '../catalogue-types.ts';

/**
 * The regional layer of the catalogue: programmes the 17 시도 and a selection of 시군구 run on
 * top of the national ones (보조금24 lists thousands of them). Each is built from a programme
 * template (below) for one region, with that region's name, agency, ordinance, contact and
 * amounts; a few flagship programmes are written out by hand. Amounts and criteria follow the
 * kind of scheme each region runs but are simplified and not checked against this year's notice.
 *
 * Every rule starts with the residence clause (the 시도, and the 시군구 for a 시군구 programme), so
 * only residents can be eligible.
 */

interface T {
  ko: string;
  en: string;
}
const t = (ko: string, en: string): T => ({ ko, en });

/** An amount given in 만원 (KRW 10,000), in both languages: won(50) → 50만원 / KRW 500,000. */
const won = (man: number): T => {
  const eok = Math.floor(man / 10000);
  const rest = man % 10000;
  const ko = !Number.isInteger(man)
    ? `${Math.round(man * 10000).toLocaleString('en-US')}원`
    : eok > 0
      ? `${eok}억${rest ? ` ${rest.toLocaleString('en-US')}만원` : '원'}`
      : `${man.toLocaleString('en-US')}만원`;
  return { ko, en: `KRW ${Math.round(man * 10000).toLocaleString('en-US')}` };
};

const GOV24 = 'https://www.gov.kr';
const BOKJIRO = 'https://www.bokjiro.go.kr';

// ---- regions --------------------------------------------------------------------------------

interface Region {
  /** id prefix: `seoul`, `seoul-gangnam` */
  id: string;
  /** member code: `SEOUL`, `SEOUL-GANGNAM` */
  agency: string;
  agencyName: T;
  sido: string;
  sigungu?: string;
  /** as used in programme names: 서울 / Seoul, 강남구 / Gangnam-gu */
  label: T;
  /** as used in criteria: 서울특별시 / Seoul, 강남구 / Gangnam-gu */
  area: T;
  /** the office that answers: 서울시청 / Seoul City Hall, 강남구청 / Gangnam-gu Office */
  hall: T;
  /** the telephone line: 다산콜센터 120, 대표전화 … */
  phone: T;
  /** ordinance prefix: 서울특별시, 서울특별시 강남구, 수원시 */
  ord: T;
  /** youth portal where youth programmes are applied for */
  portal: T;
  portalUrl: string;
  residence: string;
  level: 'sido' | 'gu' | 'si' | 'gun';
}

interface SidoSpec {
  key: string;
  code: string;
  ko: string;
  label: T;
  /** English of the full name (ordinances, agency) */
  full: string;
  /** short English place name after a 시군구 (`Gangnam-gu, Seoul`) */
  place: string;
  hall: T;
  phone: T;
  portal?: T;
  portalUrl?: string;
  agencyEn?: string;
}

function sido(s: SidoSpec): Region {
  return {
    id: s.key,
    agency: s.code,
    agencyName: t(s.ko, s.agencyEn ?? s.full),
    sido: s.ko,
    label: s.label,
    area: t(s.ko, s.label.en),
    hall: s.hall,
    phone: s.phone,
    ord: t(s.ko, s.full),
    portal: s.portal ?? t(`${s.label.ko} 누리집`, `the ${s.label.en} website`),
    portalUrl: s.portalUrl ?? GOV24,
    residence: `person.sido == "${s.ko}"`,
    level: 'sido',
  };
}

/** A 시군구 of a 시도: `ko` is its name (`강남구`), `en` the romanised stem (`Gangnam`). */
function sigungu(parent: Region, key: string, ko: string, en: string, tel?: string, labelEn?: string): Region {
  const level = ko.endsWith('구') ? 'gu' : ko.endsWith('군') ? 'gun' : 'si';
  const suffix = level === 'gu' ? '-gu' : level === 'gun' ? '-gun' : '-si';
  const label = labelEn ?? (level === 'si' ? en : `${en}${suffix}`);
  const metro = parent.sido.endsWith('특별시') || parent.sido.endsWith('광역시');
  // 제주시 and 서귀포시 are administrative cities with no council: the province's ordinances apply
  const ord = parent.id === 'jeju' ? parent.ord : metro ? t(`${parent.sido} ${ko}`, `${en}${suffix}`) : t(ko, `${en}${suffix}`);
  const place = PLACE[parent.id] ?? parent.label.en;
  const hallKo = `${ko}청`;
  const hallEn = level === 'si' ? `${en} City Hall` : `${en}${suffix} Office`;
  return {
    id: `${parent.id}-${key}`,
    agency: `${parent.agency}-${key.toUpperCase()}`,
    agencyName: t(`${parent.sido} ${ko}`, `${en}${suffix}, ${place}`),
    sido: parent.sido,
    sigungu: ko,
    label: t(ko, label),
    area: t(ko, label),
    hall: t(hallKo, hallEn),
    // without a number of its own: the metropolitan call centre (it answers for the 자치구 too), else 110
    phone: tel ? t(`대표전화 ${tel}`, `switchboard ${tel}`) : metro ? parent.phone : t('정부민원안내콜센터 110', 'Government Call Center 110'),
    ord,
    portal: t(`${ko} 누리집`, `the ${label} website`),
    portalUrl: GOV24,
    residence: `person.sido == "${parent.sido}" && person.sigungu == "${ko}"`,
    level,
  };
}

const PLACE: Record<string, string> = {
  gyeonggi: 'Gyeonggi-do', gangwon: 'Gangwon', chungbuk: 'Chungcheongbuk-do', chungnam: 'Chungcheongnam-do', jeonbuk: 'Jeonbuk',
  jeonnam: 'Jeollanam-do', gyeongbuk: 'Gyeongsangbuk-do', gyeongnam: 'Gyeongsangnam-do',
};

const call = (ko: string, en: string) => t(ko, en);
const main = (tel: string) => t(`대표전화 ${tel}`, `switchboard ${tel}`);

const SEOUL = sido({
  key: 'seoul', code: 'SEOUL', ko: '서울특별시', label: t('서울시', 'Seoul'), full: 'Seoul Metropolitan City', place: 'Seoul', agencyEn: 'Seoul Metropolitan Government',
  hall: t('서울시청', 'Seoul City Hall'), phone: call('다산콜센터 120', 'Dasan Call Center 120'),
  portal: t('서울청년포털 (청년몽땅정보통)', 'the Seoul youth portal (Youth Mongttang)'), portalUrl: 'https://youth.seoul.go.kr',
});
const BUSAN = sido({
  key: 'busan', code: 'BUSAN', ko: '부산광역시', label: t('부산', 'Busan'), full: 'Busan Metropolitan City', place: 'Busan',
  hall: t('부산시청', 'Busan City Hall'), phone: call('120바로콜센터 051-120', 'Busan 120 Call Center 051-120'),
  portal: t('부산청년플랫폼', 'the Busan Youth Platform'), portalUrl: 'https://young.busan.go.kr',
});
const DAEGU = sido({
  key: 'daegu', code: 'DAEGU', ko: '대구광역시', label: t('대구', 'Daegu'), full: 'Daegu Metropolitan City', place: 'Daegu',
  hall: t('대구시청', 'Daegu City Hall'), phone: call('120달구벌콜센터 053-120', 'Daegu 120 Call Center 053-120'),
  portal: t('대구청년센터 누리집', 'the Daegu Youth Center website'),
});
const INCHEON = sido({
  key: 'incheon', code: 'INCHEON', ko: '인천광역시', label: t('인천', 'Incheon'), full: 'Incheon Metropolitan City', place: 'Incheon',
  hall: t('인천시청', 'Incheon City Hall'), phone: call('미추홀콜센터 032-120', 'Michuhol Call Center 032-120'),
  portal: t('인천청년포털', 'the Incheon youth portal'),
});
const GWANGJU = sido({
  key: 'gwangju', code: 'GWANGJU', ko: '광주광역시', label: t('광주', 'Gwangju'), full: 'Gwangju Metropolitan City', place: 'Gwangju',
  hall: t('광주시청', 'Gwangju City Hall'), phone: call('빛고을콜센터 062-120', 'Bitgoeul Call Center 062-120'),
  portal: t('광주청년통', 'the Gwangju youth portal'),
});
const DAEJEON = sido({
  key: 'daejeon', code: 'DAEJEON', ko: '대전광역시', label: t('대전', 'Daejeon'), full: 'Daejeon Metropolitan City', place: 'Daejeon',
  hall: t('대전시청', 'Daejeon City Hall'), phone: call('대전시 민원콜센터 042-120', 'Daejeon Call Center 042-120'),
  portal: t('대전청년포털', 'the Daejeon youth portal'),
});
const ULSAN = sido({
  key: 'ulsan', code: 'ULSAN', ko: '울산광역시', label: t('울산', 'Ulsan'), full: 'Ulsan Metropolitan City', place: 'Ulsan',
  hall: t('울산시청', 'Ulsan City Hall'), phone: call('해울이콜센터 052-120', 'Haeuri Call Center 052-120'),
});
const SEJONG = sido({
  key: 'sejong', code: 'SEJONG', ko: '세종특별자치시', label: t('세종', 'Sejong'), full: 'Sejong Special Self-Governing City', place: 'Sejong',
  hall: t('세종시청', 'Sejong City Hall'), phone: call('세종시 민원콜센터 044-120', 'Sejong Call Center 044-120'),
});
const GYEONGGI = sido({
  key: 'gyeonggi', code: 'GYEONGGI', ko: '경기도', label: t('경기', 'Gyeonggi'), full: 'Gyeonggi-do', place: 'Gyeonggi-do', agencyEn: 'Gyeonggi Provincial Government',
  hall: t('경기도청', 'Gyeonggi Provincial Office'), phone: call('경기도콜센터 031-120', 'Gyeonggi Call Center 031-120'),
  portal: t('경기도 일자리재단 잡아바 어플라이', 'the Gyeonggi Jobaba Apply site'), portalUrl: 'https://apply.jobaba.net',
});
const GANGWON = sido({
  key: 'gangwon', code: 'GANGWON', ko: '강원특별자치도', label: t('강원', 'Gangwon'), full: 'Gangwon Special Self-Governing Province', place: 'Gangwon', agencyEn: 'Gangwon State',
  hall: t('강원특별자치도청', 'Gangwon State Office'), phone: main('033-249-2114'),
});
const CHUNGBUK = sido({
  key: 'chungbuk', code: 'CHUNGBUK', ko: '충청북도', label: t('충북', 'Chungbuk'), full: 'Chungcheongbuk-do', place: 'Chungcheongbuk-do',
  hall: t('충청북도청', 'Chungcheongbuk-do Provincial Office'), phone: main('043-220-2114'),
});
const CHUNGNAM = sido({
  key: 'chungnam', code: 'CHUNGNAM', ko: '충청남도', label: t('충남', 'Chungnam'), full: 'Chungcheongnam-do', place: 'Chungcheongnam-do',
  hall: t('충청남도청', 'Chungcheongnam-do Provincial Office'), phone: main('041-635-2114'),
});
const JEONBUK = sido({
  key: 'jeonbuk', code: 'JEONBUK', ko: '전북특별자치도', label: t('전북', 'Jeonbuk'), full: 'Jeonbuk Special Self-Governing Province', place: 'Jeonbuk', agencyEn: 'Jeonbuk State',
  hall: t('전북특별자치도청', 'Jeonbuk State Office'), phone: main('063-280-2114'),
  portal: t('전북청년허브센터 누리집', 'the Jeonbuk Youth Hub website'),
});
const JEONNAM = sido({
  key: 'jeonnam', code: 'JEONNAM', ko: '전라남도', label: t('전남', 'Jeonnam'), full: 'Jeollanam-do', place: 'Jeollanam-do',
  hall: t('전라남도청', 'Jeollanam-do Provincial Office'), phone: main('061-286-2114'),
  portal: t('전남청년 일자리 플랫폼', 'the Jeonnam youth jobs platform'),
});
const GYEONGBUK = sido({
  key: 'gyeongbuk', code: 'GYEONGBUK', ko: '경상북도', label: t('경북', 'Gyeongbuk'), full: 'Gyeongsangbuk-do', place: 'Gyeongsangbuk-do',
  hall: t('경상북도청', 'Gyeongsangbuk-do Provincial Office'), phone: main('054-880-2114'),
});
const GYEONGNAM = sido({
  key: 'gyeongnam', code: 'GYEONGNAM', ko: '경상남도', label: t('경남', 'Gyeongnam'), full: 'Gyeongsangnam-do', place: 'Gyeongsangnam-do',
  hall: t('경상남도청', 'Gyeongsangnam-do Provincial Office'), phone: main('055-211-2114'),
  portal: t('경남청년정보플랫폼', 'the Gyeongnam youth information platform'),
});
const JEJU = sido({
  key: 'jeju', code: 'JEJU', ko: '제주특별자치도', label: t('제주', 'Jeju'), full: 'Jeju Special Self-Governing Province', place: 'Jeju',
  hall: t('제주특별자치도청', 'Jeju Provincial Office'), phone: call('제주120만덕콜센터 064-120', 'Jeju 120 Mandeok Call Center 064-120'),
  portal: t('제주청년센터 누리집', 'the Jeju Youth Center website'),
});

// ---- the entry builder ------------------------------------------------------------------------

interface Draft {
  slug: string;
  name: T;
  field: ServiceField;
  purpose: T;
  target: T;
  criteria: T;
  benefit: T;
  howToApply: T;
  deadline: T;
  /** the team or division that answers, before the region's phone line */
  team: T;
  documents: T[];
  legalBasis: T;
  onlineUrl?: string;
  /** the criteria after the residence clause; parenthesise any top-level `||` */
  rule: string;
  lifeEvents?: LifeEventKind[];
}

function entry(r: Region, d: Draft): ServiceEntry {
  return {
    id: `${r.id}-${d.slug}`,
    name: d.name,
    agency: r.agency,
    agencyName: r.agencyName,
    field: d.field,
    kind: 'benefit',
    purpose: d.purpose,
    target: d.target,
    criteria: d.criteria,
    benefit: d.benefit,
    howToApply: d.howToApply,
    deadline: d.deadline,
    contact: t(`${r.hall.ko} ${d.team.ko} (${r.phone.ko})`, `${r.hall.en}, ${d.team.en} (${r.phone.en})`),
    documents: d.documents,
    legalBasis: d.legalBasis,
    ...(d.onlineUrl ? { onlineUrl: d.onlineUrl } : {}),
    region: r.sigungu ? { sido: r.sido, sigungu: r.sigungu } : { sido: r.sido },
    rule: `${r.residence} && ${d.rule}`,
    ...(d.lifeEvents?.length ? { lifeEvents: d.lifeEvents } : {}),
  };
}

const law = (r: Region, ko: string, en: string): T => t(`${r.ord.ko} ${ko}`, `${r.ord.en} ${en}`);
const LAW_YOUTH = ['청년 기본 조례', 'Framework Ordinance on Youth'] as const;
const LAW_BIRTH = ['출산장려 및 양육지원에 관한 조례', 'Ordinance on Childbirth Encouragement and Childcare Support'] as const;
const LAW_EDU = ['교육경비 보조에 관한 조례', 'Ordinance on Education Expense Subsidies'] as const;
const LAW_SENIOR = ['노인복지 증진에 관한 조례', 'Ordinance on Promoting the Welfare of Older People'] as const;
const lawOf = (r: Region, l: readonly [string, string]) => law(r, l[0], l[1]);

const D = {
  id: t('신분증', 'Identity card'),
  resident: t('주민등록등본', 'Resident registration certificate'),
  bank: t('본인 명의 통장 사본', "Copy of a bank book in the applicant's name"),
  family: t('가족관계증명서', 'Family relations certificate'),
  lease: t('임대차계약서 사본', 'Copy of the lease'),
  rentProof: t('최근 3개월 월세 이체 내역', 'Rent transfer records for the last three months'),
  veteran: t('국가유공자증 또는 국가보훈대상자 확인서', 'Veteran ID card or certificate of national-merit status'),
  warVeteran: t('참전유공자증', 'War veteran ID card'),
  disability: t('장애인 등록증 (복지카드)', 'Disability registration card'),
  farm: t('농업경영체 등록 확인서 (어업인은 어업경영체 등록 확인서)', 'Farm business registration certificate (fishers: fishery business registration certificate)'),
  business: t('사업자등록증명', 'Certificate of business registration'),
  tax: t('국세·지방세 납세증명서', 'Certificates of national and local tax payment'),
  marriage: t('혼인관계증명서', 'Marriage certificate'),
  income: t('건강보험료 납부확인서 (소득 확인용)', 'Health insurance premium statement (for the income test)'),
  pregnancy: t('임신확인서 또는 출생증명서', 'Pregnancy confirmation or birth certificate'),
  school: t('재학증명서 또는 입학확인서', 'Certificate of enrolment or admission'),
  receipt: t('영수증 또는 카드 결제 내역', 'Receipts or card payment records'),
  plan: t('구직활동 계획서 (신청 화면에서 작성)', 'Job-search plan (filled in on the application form)'),
  loan: t('전세자금 대출 약정서 및 이자 납입 내역', 'Housing loan agreement and interest payment records'),
  treatment: t('난임 진단서 및 시술 의뢰서', 'Infertility diagnosis and treatment referral'),
  employment: t('재직증명서 또는 고용보험 가입 이력', 'Certificate of employment or employment insurance record'),
  careUse: t('산모·신생아 건강관리 서비스 결제 내역', 'Payment record of the postnatal care helper service'),
  moveIn: t('이전 주소가 나온 주민등록초본', 'Resident registration abstract showing previous addresses'),
  farmPlan: t('영농 계획서 및 귀농 교육 이수증', 'Farming plan and certificate of return-to-farm training'),
  pet: t('동물등록 신청서 (지정 동물병원 비치)', 'Animal registration form (at a participating vet)'),
  application: t('신청서 (행정복지센터 비치 또는 온라인 작성)', 'Application form (at the community service centre or online)'),
};

const APPLY_LOCAL = t('주소지 읍·면·동 행정복지센터 방문 또는 정부24 온라인 신청', 'At the community service centre of your eup, myeon or dong, or online on Gov24');
const APPLY_CENTRE = t('주소지 읍·면·동 행정복지센터 방문 신청', 'In person at the community service centre of your eup, myeon or dong');
const ANNUAL = t('매년 모집 공고 기간 (예산 소진 시 조기 마감)', 'During the yearly call for applications (may close early when the budget runs out)');
const ANYTIME = t('연중 수시', 'Any time of year');
const applyPortal = (r: Region) => t(`${r.portal.ko}에서 온라인 신청 (모집 공고 기간)`, `Online on ${r.portal.en} during the call for applications`);

const TEAM = {
  youth: t('청년정책과', 'Youth Policy Division'),
  jobs: t('일자리정책과', 'Employment Policy Division'),
  birth: t('인구정책과 출산지원팀', 'Population Policy Division, Birth Support Team'),
  health: t('보건소 모자보건팀', 'Public Health Centre, Maternal and Child Health Team'),
  children: t('아동청소년과', 'Children and Youth Division'),
  family: t('여성가족과', 'Women and Family Division'),
  housing: t('주택정책과', 'Housing Policy Division'),
  senior: t('노인복지과', 'Senior Welfare Division'),
  disability: t('장애인복지과', 'Disability Welfare Division'),
  welfare: t('복지정책과', 'Welfare Policy Division'),
  veterans: t('복지정책과 보훈팀', 'Welfare Policy Division, Veterans Team'),
  farming: t('농업정책과', 'Agricultural Policy Division'),
  returnFarm: t('농업기술센터 귀농귀촌팀', 'Agricultural Technology Centre, Return-to-Farm Team'),
  population: t('인구정책팀', 'Population Policy Team'),
  smallBiz: t('소상공인지원과', 'Small Business Support Division'),
  water: t('상수도사업본부 요금팀', 'Waterworks Headquarters, Billing Team'),
  waterSi: t('상하수도사업소 요금팀', 'Water and Sewerage Office, Billing Team'),
  parking: t('교통행정과 주차관리팀', 'Transport Administration Division, Parking Team'),
  transport: t('대중교통과', 'Public Transport Division'),
  education: t('교육지원과', 'Education Support Division'),
  energy: t('에너지정책과', 'Energy Policy Division'),
  animals: t('동물보호과', 'Animal Welfare Division'),
  culture: t('문화정책과', 'Culture Policy Division'),
  single: t('1인가구지원과', 'Single-Person Household Support Division'),
};

// ---- youth ----------------------------------------------------------------------------------

function youthRent(r: Region, p: { monthly: number; months: number; maxAge?: number; income?: number; name?: T }): ServiceEntry {
  const max = p.maxAge ?? 39;
  const inc = p.income ?? 150;
  const m = won(p.monthly);
  const total = won(p.monthly * p.months);
  return entry(r, {
    slug: 'youth-rent',
    name: p.name ?? t(`${r.label.ko} 청년 월세 지원`, `${r.label.en} Youth Rent Support`),
    field: 'housing',
    purpose: t('청년의 주거비 부담을 덜어 지역에 정착하도록 월세 일부를 지원합니다.', "Pays part of young tenants' rent so they can afford to settle in the area."),
    target: t(`${r.area.ko}에 사는 만 19~${max}세 무주택 청년 (월세 거주)`, `Young people aged 19 to ${max} who rent a home in ${r.area.en} and own no housing`),
    criteria: t(
      `${r.area.ko} 주민등록, 청년 가구 기준 중위소득 ${inc}% 이하, 임차보증금 5천만원·월세 60만원 이하 주택에 거주하는 무주택자. 국토교통부 청년월세 특별지원 등 같은 성격의 지원을 받는 사람은 제외`,
      `Registered in ${r.area.en}; youth household income at or below ${inc}% of the standard median income; deposit up to KRW 50 million and rent up to KRW 600,000 a month; owns no home. Not for people already receiving the national youth rent support or a similar scheme`,
    ),
    benefit: t(`월 최대 ${m.ko}, 최대 ${p.months}개월 (총 ${total.ko} 한도)`, `Up to ${m.en} a month for up to ${p.months} months (${total.en} in all)`),
    howToApply: r.level === 'sido' ? applyPortal(r) : APPLY_LOCAL,
    deadline: ANNUAL,
    team: TEAM.youth,
    documents: [D.lease, D.rentProof, D.resident, D.bank],
    legalBasis: lawOf(r, LAW_YOUTH),
    onlineUrl: r.portalUrl,
    rule: `person.age >= 19 && person.age <= ${max} && household.medianIncomePercent <= ${inc}`,
    lifeEvents: ['move'],
  });
}

function youthJobSeeking(r: Region, p: { name: T; monthly: number; months: number; minAge?: number; maxAge?: number; income?: number; card?: boolean }): ServiceEntry {
  const min = p.minAge ?? 19;
  const max = p.maxAge ?? 34;
  const inc = p.income ?? 150;
  const m = won(p.monthly);
  return entry(r, {
    slug: 'youth-job-seeking',
    name: p.name,
    field: 'employment',
    purpose: t('미취업 청년이 구직활동에 전념할 수 있도록 활동비를 지원합니다.', 'Gives young jobseekers an allowance so they can concentrate on finding work.'),
    target: t(`${r.area.ko}에 사는 만 ${min}~${max}세 미취업 청년`, `Unemployed young people aged ${min} to ${max} living in ${r.area.en}`),
    criteria: t(
      `${r.area.ko} 주민등록, 가구 기준 중위소득 ${inc}% 이하, 현재 미취업(주 30시간 미만 근로 포함). 국민취업지원제도 등 정부 구직지원금을 받고 있으면 제외`,
      `Registered in ${r.area.en}; household income at or below ${inc}% of the standard median income; not in work (or working under 30 hours a week). Not while receiving the National Employment Support allowance or another public jobseeker allowance`,
    ),
    benefit: t(
      `월 ${m.ko}씩 최대 ${p.months}개월${p.card ? ' (체크카드 포인트로 지급)' : ''}, 취업·진로 상담 프로그램 연계`,
      `${m.en} a month for up to ${p.months} months${p.card ? ' (as points on a debit card)' : ''}, with careers counselling`,
    ),
    howToApply: applyPortal(r),
    deadline: ANNUAL,
    team: TEAM.youth,
    documents: [D.plan, D.income, D.resident, D.bank],
    legalBasis: lawOf(r, LAW_YOUTH),
    onlineUrl: r.portalUrl,
    rule: `person.age >= ${min} && person.age <= ${max} && work.employmentType == "unemployed" && household.medianIncomePercent <= ${inc}`,
    lifeEvents: ['move'],
  });
}

function youthInterview(r: Region, p: { perTime: number; times: number; maxAge?: number }): ServiceEntry {
  const max = p.maxAge ?? 39;
  const per = won(p.perTime);
  const total = won(p.perTime * p.times);
  return entry(r, {
    slug: 'youth-interview-allowance',
    name: t(`${r.label.ko} 청년 면접수당`, `${r.label.en} Youth Job Interview Allowance`),
    field: 'employment',
    purpose: t('청년 구직자의 면접 준비·이동 비용 부담을 덜어 줍니다.', 'Covers what young jobseekers spend on getting to and preparing for interviews.'),
    target: t(`${r.area.ko}에 사는 만 18~${max}세 미취업 청년`, `Unemployed young people aged 18 to ${max} living in ${r.area.en}`),
    criteria: t(`${r.area.ko} 주민등록, 미취업 상태에서 최근 면접에 참여한 청년 (면접 참여 확인서 제출)`, `Registered in ${r.area.en}; not in work and attended a job interview recently (with the employer's confirmation)`),
    benefit: t(`면접 1회당 ${per.ko}, 최대 ${p.times}회 (총 ${total.ko}, 지역화폐 지급)`, `${per.en} per interview, up to ${p.times} interviews (${total.en}), paid in local currency`),
    howToApply: applyPortal(r),
    deadline: t('면접일로부터 3개월 이내 (예산 소진 시 마감)', 'Within three months of the interview (until the budget runs out)'),
    team: TEAM.jobs,
    documents: [t('면접 참여 확인서', 'Interview attendance confirmation'), D.resident],
    legalBasis: lawOf(r, LAW_YOUTH),
    onlineUrl: r.portalUrl,
    rule: `person.age >= 18 && person.age <= ${max} && work.employmentType == "unemployed"`,
  });
}

function youthAsset(r: Region, p: { name: T; save: number; match: number; years: number; maxAge?: number; income?: number }): ServiceEntry {
  const max = p.maxAge ?? 34;
  const inc = p.income ?? 100;
  const total = won((p.save + p.match) * 12 * p.years);
  return entry(r, {
    slug: 'youth-savings',
    name: p.name,
    field: 'youth',
    purpose: t('일하는 청년이 목돈을 모아 자립할 수 있도록 저축액에 지자체 지원금을 더해 줍니다.', 'Matches what working young people save so they can build a nest egg and stand on their own.'),
    target: t(`${r.area.ko}에 사는 만 18~${max}세 일하는 청년`, `Working young people aged 18 to ${max} living in ${r.area.en}`),
    criteria: t(
      `${r.area.ko} 주민등록, 근로 중(근로소득 월 255만원 이하), 가구 기준 중위소득 ${inc}% 이하. 정부 청년도약계좌·청년내일저축계좌 등 유사 자산형성 사업과 중복 가입 불가`,
      `Registered in ${r.area.en}; in work with earnings up to KRW 2.55 million a month; household income at or below ${inc}% of the standard median income. Cannot be combined with the national Youth Leap Account or a similar savings scheme`,
    ),
    benefit: t(
      `본인이 매월 ${won(p.save).ko}을 저축하면 ${won(p.match).ko}을 더해 ${p.years}년 만기 시 원금과 지원금 ${total.ko} + 이자 지급`,
      `Save ${won(p.save).en} a month and the region adds ${won(p.match).en}; after ${p.years} years you receive ${total.en} plus interest`,
    ),
    howToApply: applyPortal(r),
    deadline: ANNUAL,
    team: TEAM.youth,
    documents: [D.employment, D.income, D.resident],
    legalBasis: lawOf(r, LAW_YOUTH),
    onlineUrl: r.portalUrl,
    rule: `person.age >= 18 && person.age <= ${max} && work.employmentType == "employee" && household.medianIncomePercent <= ${inc}`,
  });
}

function youthTransport(r: Region, p: { name: T; benefit: T; minAge?: number; maxAge?: number; apply?: T; url?: string }): ServiceEntry {
  const min = p.minAge ?? 19;
  const max = p.maxAge ?? 39;
  return entry(r, {
    slug: 'youth-transport',
    name: p.name,
    field: 'transport',
    purpose: t('청년의 대중교통비 부담을 덜어 줍니다.', 'Makes public transport cheaper for young people.'),
    target: t(`${r.area.ko}에 사는 만 ${min}~${max}세 청년`, `Young people aged ${min} to ${max} living in ${r.area.en}`),
    criteria: t(`${r.area.ko} 주민등록, 해당 교통카드 등록 후 월 15회 이상 대중교통 이용`, `Registered in ${r.area.en}; registers the transport card and rides public transport at least 15 times a month`),
    benefit: p.benefit,
    howToApply: p.apply ?? t('K-패스 누리집·앱에서 카드 등록 (주소 확인 후 자동 적용)', 'Register the card on the K-Pass website or app (applied automatically once your address is confirmed)'),
    deadline: ANYTIME,
    team: TEAM.transport,
    documents: [t('교통카드 등록 (별도 서류 없음)', 'Transport card registration (no paperwork)')],
    legalBasis: law(r, '대중교통 이용 활성화 및 지원에 관한 조례', 'Ordinance on Promoting Public Transport Use'),
    onlineUrl: p.url ?? 'https://korea-pass.kr',
    rule: `person.age >= ${min} && person.age <= ${max}`,
    lifeEvents: ['move'],
  });
}

function youthStartup(r: Region, p: { amount: number; maxAge?: number }): ServiceEntry {
  const max = p.maxAge ?? 39;
  const a = won(p.amount);
  return entry(r, {
    slug: 'youth-startup',
    name: t(`${r.label.ko} 청년 창업 지원`, `${r.label.en} Youth Start-up Grant`),
    field: 'employment',
    purpose: t('지역에서 창업한 청년의 초기 사업비와 경영 컨설팅을 지원해 정착을 돕습니다.', 'Helps young founders who start a business locally with early costs and mentoring.'),
    target: t(`${r.area.ko}에서 창업한 지 3년 이내인 만 19~${max}세 청년 사업자`, `Business owners aged 19 to ${max} who started a business in ${r.area.en} less than three years ago`),
    criteria: t(`${r.area.ko}에 주민등록과 사업장을 둔 창업 3년 이내 청년 (유흥·사행업 등 제외 업종은 불가), 서류·발표 심사로 선정`, `Lives and runs the business in ${r.area.en}; business under three years old and not in an excluded trade; selected on paper and pitch`),
    benefit: t(`사업화 자금 최대 ${a.ko} (임차료·마케팅·시제품 제작 등), 전문가 멘토링`, `Up to ${a.en} towards rent, marketing and prototypes, plus mentoring`),
    howToApply: applyPortal(r),
    deadline: ANNUAL,
    team: TEAM.jobs,
    documents: [D.business, t('사업계획서', 'Business plan'), D.resident],
    legalBasis: law(r, '청년창업 지원 조례', 'Ordinance on Support for Young Entrepreneurs'),
    onlineUrl: r.portalUrl,
    rule: `person.age >= 19 && person.age <= ${max} && work.businessOwner && work.businessYears < 3`,
  });
}

function youthSettle(r: Region, p: { amount: number; maxAge?: number; name?: T }): ServiceEntry {
  const max = p.maxAge ?? 45;
  const a = won(p.amount);
  return entry(r, {
    slug: 'youth-move-in-grant',
    name: p.name ?? t(`${r.label.ko} 청년 전입 정착지원금`, `${r.label.en} Young Newcomer Settlement Grant`),
    field: 'youth',
    purpose: t('다른 지역에서 전입한 청년의 정착을 도와 인구 유출을 막습니다.', 'Helps young people who move in from elsewhere to settle and stay.'),
    target: t(`다른 시군구에서 ${r.area.ko}로 전입한 만 18~${max}세 청년`, `People aged 18 to ${max} who moved to ${r.area.en} from another city or county`),
    criteria: t(`${r.area.ko} 전입 후 1년 이내 신청, 전입 전 1년 이상 타 지역 거주, 지급 시점에 3개월 이상 실거주 확인`, `Apply within a year of moving in; lived elsewhere for at least a year before; living here for at least three months when paid`),
    benefit: t(`${a.ko} (지역화폐로 분할 지급), 전입 축하 기념품`, `${a.en} in instalments of local currency, and a welcome gift`),
    howToApply: APPLY_CENTRE,
    deadline: t('전입일로부터 1년 이내', 'Within a year of moving in'),
    team: TEAM.population,
    documents: [D.moveIn, D.id, D.bank],
    legalBasis: law(r, '인구 증가 시책 지원 조례', 'Ordinance on Population Growth Measures'),
    rule: `person.age >= 18 && person.age <= ${max} && monthsBetween(person.moveInDate, today) <= 12`,
    lifeEvents: ['move'],
  });
}

// ---- housing --------------------------------------------------------------------------------

function newlywedLoan(r: Region, p: { rate: number; limit: number; years: number; income?: number; name?: T }): ServiceEntry {
  const inc = p.income ?? 180;
  const limit = won(p.limit);
  return entry(r, {
    slug: 'newlywed-housing-interest',
    name: p.name ?? t(`${r.label.ko} 신혼부부 전세자금 대출이자 지원`, `${r.label.en} Newlywed Housing Loan Interest Support`),
    field: 'housing',
    purpose: t('신혼부부의 전세 보증금 대출 이자를 덜어 주거 안정을 돕습니다.', 'Reduces the interest newlyweds pay on a housing deposit loan.'),
    target: t(`${r.area.ko}에 사는 무주택 신혼부부 (혼인 7년 이내)`, `Newlywed couples (married up to 7 years) who live in ${r.area.en} and own no home`),
    criteria: t(
      `부부 중 1명 이상 ${r.area.ko} 주민등록, 혼인 7년 이내 무주택 세대, 부부 합산 소득 기준 중위소득 ${inc}% 이하, 임차보증금 3억원 이하 주택의 금융기관 전세자금 대출 보유`,
      `At least one spouse registered in ${r.area.en}; married up to 7 years; owns no home; combined income at or below ${inc}% of the standard median income; holds a bank loan for the deposit on a home of up to KRW 300 million`,
    ),
    benefit: t(`대출잔액 ${limit.ko} 한도에서 연 최대 ${p.rate}%p 이자 지원, 최대 ${p.years}년`, `Up to ${p.rate} percentage points of interest a year on a balance of up to ${limit.en}, for up to ${p.years} years`),
    howToApply: t('정부24 또는 시 주택포털에서 온라인 신청 후 협약 은행에서 이자 지원 약정', 'Apply online on Gov24 or the city housing portal, then sign the interest support agreement at a partner bank'),
    deadline: ANNUAL,
    team: TEAM.housing,
    documents: [D.marriage, D.loan, D.lease, D.income],
    legalBasis: law(r, '신혼부부 주거안정 지원 조례', 'Ordinance on Housing Support for Newlyweds'),
    onlineUrl: GOV24,
    rule: `family.maritalStatus == "married" && person.age <= 39 && household.medianIncomePercent <= ${inc}`,
    lifeEvents: ['move'],
  });
}

// ---- pregnancy, birth, children ---------------------------------------------------------------

/** 출산장려금 by birth order: amounts in 만원 for the 1st, 2nd, 3rd and 4th-or-later child (0: none). */
function birthGrant(r: Region, p: { amounts: readonly [number, number, number, number]; residence?: number; name?: T; split?: number }): ServiceEntry {
  const [a1, a2, a3, a4] = p.amounts;
  const order = a1 > 0 ? 1 : a2 > 0 ? 2 : 3;
  const parts: Array<[string, string, number]> = [['첫째', 'first child', a1], ['둘째', 'second child', a2], ['셋째', 'third child', a3], ['넷째 이상', 'fourth or later child', a4]];
  const given = parts.filter(([, , a]) => a > 0);
  const ko = given.map(([k, , a]) => `${k} ${won(a).ko}`).join(', ');
  const en = given.map(([, e, a]) => `${won(a).en} for a ${e}`).join('; ');
  const split = p.split ?? 500;
  const res = p.residence ?? 0;
  const name = p.name ?? t(`${r.label.ko} 출산장려금`, `${r.label.en} Childbirth Grant`);
  return entry(r, {
    slug: 'birth-grant',
    name,
    field: 'pregnancy',
    purpose: t('아이를 낳은 가정을 축하하고 양육비 부담을 덜어 출산을 장려합니다.', 'Welcomes each new baby with a grant that helps with the cost of raising a child.'),
    target: t(`${r.area.ko}에 출생신고한 ${order === 1 ? '모든' : order === 2 ? '둘째 이상' : '셋째 이상'} 출생아의 부모`, `Parents of ${order === 1 ? 'every' : order === 2 ? 'a second or later' : 'a third or later'} child whose birth is registered in ${r.area.en}`),
    criteria: t(
      `출생일 기준 부 또는 모가 ${r.area.ko}에 주민등록${res ? ` (출생일 전 ${res}개월 이상 거주)` : ''}, 출생아도 같은 주소에 등록. 지급 중 다른 지역으로 전출하면 남은 금액은 지급하지 않음`,
      `A parent is registered in ${r.area.en} on the day of the birth${res ? ` and has lived there for at least ${res} months` : ''}, and the baby is registered at the same address. Instalments stop if the family moves away`,
    ),
    benefit: t(
      `${ko}${a4 >= split ? ` (${won(split).ko} 이상은 연차별 분할 지급)` : ''}`,
      `${en}${a4 >= split ? ` (amounts of ${won(split).en} or more are paid in yearly instalments)` : ''}`,
    ),
    howToApply: t('출생신고 시 행정복지센터에서 함께 신청 (정부24 행복출산 원스톱 서비스 가능)', 'At the community service centre when registering the birth, or through the Gov24 one-stop birth service'),
    deadline: t('출생일로부터 1년 이내', 'Within a year of the birth'),
    team: r.level === 'sido' ? TEAM.birth : t('출산지원팀', 'Birth Support Team'),
    documents: [D.id, D.bank, D.family],
    legalBasis: lawOf(r, LAW_BIRTH),
    onlineUrl: GOV24,
    rule: `children.exists(c, c.ageMonths < 12 && c.order >= ${order})${res ? ` && monthsBetween(person.moveInDate, today) >= ${res}` : ''}`,
    lifeEvents: ['birth', 'move'],
  });
}

function postpartumCare(r: Region, p: { amount: number; months: number; name?: T; voucher?: T }): ServiceEntry {
  const a = won(p.amount);
  return entry(r, {
    slug: 'postpartum-care',
    name: p.name ?? t(`${r.label.ko} 산후조리비 지원`, `${r.label.en} Postnatal Care Allowance`),
    field: 'pregnancy',
    purpose: t('출산 후 산모의 회복과 건강관리 비용을 지원합니다.', 'Helps mothers pay for care and recovery after giving birth.'),
    target: t(`${r.area.ko}에 출생신고한 출생아의 산모`, `Mothers of babies whose birth is registered in ${r.area.en}`),
    criteria: t(`출생일 기준 산모가 ${r.area.ko}에 주민등록, 소득 기준 없음. 출생아 1인당 1회`, `The mother is registered in ${r.area.en} on the day of the birth; no income test; once per baby`),
    benefit: p.voucher ?? t(`출생아 1인당 ${a.ko} (지역화폐 또는 바우처 포인트)`, `${a.en} per baby, in local currency or voucher points`),
    howToApply: APPLY_LOCAL,
    deadline: t(`출생일로부터 ${p.months}개월 이내`, `Within ${p.months} months of the birth`),
    team: TEAM.health,
    documents: [D.id, D.family],
    legalBasis: law(r, '산후조리 지원에 관한 조례', 'Ordinance on Postnatal Care Support'),
    onlineUrl: GOV24,
    rule: `children.exists(c, c.ageMonths < ${p.months})`,
    lifeEvents: ['birth'],
  });
}

function pregnantTransport(r: Region, p: { amount: number }): ServiceEntry {
  const a = won(p.amount);
  return entry(r, {
    slug: 'pregnant-transport',
    name: t(`${r.label.ko} 임산부 교통비 지원`, `${r.label.en} Transport Allowance for Pregnant Women`),
    field: 'pregnancy',
    purpose: t('임산부의 병원 방문 등 이동 부담을 덜어 줍니다.', 'Helps pregnant women with the cost of getting to appointments and around.'),
    target: t(`${r.area.ko}에 사는 임산부 (임신 12주~출산 후 3개월)`, `Pregnant women and new mothers (from week 12 of pregnancy to three months after the birth) living in ${r.area.en}`),
    criteria: t(`${r.area.ko}에 6개월 이상 주민등록, 임신 12주 이후부터 출산 후 3개월 이내 신청. 임신·출산 1회당 1번`, `Registered in ${r.area.en} for at least six months; apply from week 12 of pregnancy until three months after the birth; once per pregnancy`),
    benefit: t(`${a.ko} (국민행복카드 교통 포인트: 대중교통·택시·자가용 유류비에 사용)`, `${a.en} of transport points on the National Happiness Card, for buses, trains, taxis or fuel`),
    howToApply: t('정부24 또는 주소지 보건소에서 신청', 'On Gov24 or at your local public health centre'),
    deadline: t('출산 후 3개월 이내', 'Until three months after the birth'),
    team: TEAM.health,
    documents: [D.pregnancy, D.id],
    legalBasis: law(r, '임산부 교통비 지원에 관한 조례', 'Ordinance on Transport Support for Pregnant Women'),
    onlineUrl: GOV24,
    rule: `person.sex == "F" && children.exists(c, c.ageMonths < 3) && monthsBetween(person.moveInDate, today) >= 6`,
    lifeEvents: ['birth'],
  });
}

function infertility(r: Region, p: { perCycle: number; cycles: number }): ServiceEntry {
  const a = won(p.perCycle);
  return entry(r, {
    slug: 'infertility-support',
    name: t(`${r.label.ko} 난임부부 시술비 추가 지원`, `${r.label.en} Extra IVF Support for Couples`),
    field: 'pregnancy',
    purpose: t('국가 난임시술비 지원에 더해 본인부담금을 덜어 줍니다.', 'Tops up the national fertility-treatment support to cut what couples pay themselves.'),
    target: t(`${r.area.ko}에 사는 난임 진단 부부`, `Couples diagnosed with infertility living in ${r.area.en}`),
    criteria: t(`법적 혼인 부부로 ${r.area.ko}에 6개월 이상 거주, 난임 진단서 발급, 국가 난임시술비 지원 결정자. 소득 기준 없음`, `Married and living in ${r.area.en} for at least six months; diagnosed with infertility and approved for the national fertility-treatment support; no income test`),
    benefit: t(`체외수정·인공수정 시술 1회당 최대 ${a.ko}, 최대 ${p.cycles}회 (본인부담금·비급여 항목)`, `Up to ${a.en} per IVF or IUI cycle for up to ${p.cycles} cycles (co-payments and uncovered items)`),
    howToApply: t('주소지 보건소 방문 또는 정부24 온라인 신청 (시술 전 지원 결정 필요)', 'At your local public health centre or on Gov24, before treatment starts'),
    deadline: t('시술 종료 후 3개월 이내 청구', 'Claim within three months of the end of treatment'),
    team: TEAM.health,
    documents: [D.treatment, D.marriage, D.income],
    legalBasis: law(r, '난임부부 지원에 관한 조례', 'Ordinance on Support for Couples with Infertility'),
    onlineUrl: GOV24,
    rule: `family.maritalStatus == "married" && person.age <= 49 && monthsBetween(person.moveInDate, today) >= 6`,
  });
}

function postnatalHelperCopay(r: Region, p: { amount: number }): ServiceEntry {
  const a = won(p.amount);
  return entry(r, {
    slug: 'postnatal-helper-copay',
    name: t(`${r.label.ko} 산모·신생아 도우미 본인부담금 지원`, `${r.label.en} Postnatal Care Helper Co-payment Support`),
    field: 'pregnancy',
    purpose: t('산모·신생아 건강관리사(산후도우미) 서비스 본인부담금을 덜어 줍니다.', 'Pays back part of what families pay themselves for a postnatal care helper.'),
    target: t(`${r.area.ko}에 사는 출산 가정`, `Families in ${r.area.en} with a new baby`),
    criteria: t(`출생일 기준 ${r.area.ko} 주민등록, 국가 산모·신생아 건강관리 지원 사업 서비스를 이용한 가정 (소득 기준 없음)`, `Registered in ${r.area.en} on the day of the birth and used the national postnatal care helper service; no income test`),
    benefit: t(`본인부담금의 최대 ${a.ko} 환급`, `Up to ${a.en} of the co-payment refunded`),
    howToApply: t('서비스 종료 후 주소지 보건소 또는 정부24에서 신청', 'After the service ends, at your public health centre or on Gov24'),
    deadline: t('서비스 종료일로부터 60일 이내', 'Within 60 days of the end of the service'),
    team: TEAM.health,
    documents: [D.careUse, D.bank, D.id],
    legalBasis: lawOf(r, LAW_BIRTH),
    onlineUrl: GOV24,
    rule: 'children.exists(c, c.ageMonths < 4)',
    lifeEvents: ['birth'],
  });
}

function multiChildCard(r: Region, p: { name: T; min: number; perks: T }): ServiceEntry {
  return entry(r, {
    slug: 'multi-child-card',
    name: p.name,
    field: 'childcare',
    purpose: t('다자녀 가정의 생활비 부담을 덜고 우대 문화를 만듭니다.', 'Gives large families discounts and priority to ease everyday costs.'),
    target: t(`${r.area.ko}에 사는 ${p.min}자녀 이상 가정 (막내가 만 18세 이하)`, `Families in ${r.area.en} with ${p.min} or more children, the youngest 18 or under`),
    criteria: t(`부모와 자녀가 ${r.area.ko}에 주민등록, 자녀 ${p.min}명 이상 중 막내가 만 18세 이하`, `Parents and children registered in ${r.area.en}; ${p.min} or more children, the youngest aged 18 or under`),
    benefit: p.perks,
    howToApply: t('행정복지센터에서 발급 신청 또는 정부24 온라인 신청 후 협약 은행 카드 발급', 'Apply at the community service centre or on Gov24, then collect the card from a partner bank'),
    deadline: ANYTIME,
    team: TEAM.family,
    documents: [D.family, D.id],
    legalBasis: law(r, '다자녀 가정 지원에 관한 조례', 'Ordinance on Support for Large Families'),
    onlineUrl: GOV24,
    rule: `size(children) >= ${p.min} && children.exists(c, c.age <= 18)`,
    lifeEvents: ['birth', 'move'],
  });
}

function multiChildWater(r: Region, p: { min: number; rate: number; cap: number }): ServiceEntry {
  return entry(r, {
    slug: 'multi-child-water',
    name: t(`${r.label.ko} 다자녀 가정 상수도 요금 감면`, `${r.label.en} Water Bill Discount for Large Families`),
    field: 'livelihood',
    purpose: t('물 사용이 많은 다자녀 가정의 수도 요금을 깎아 줍니다.', 'Cuts the water bill of large families, who use more water.'),
    target: t(`${r.area.ko}에 사는 18세 미만 자녀 ${p.min}명 이상 가정`, `Households in ${r.area.en} with ${p.min} or more children under 18`),
    criteria: t(`${r.area.ko} 주민등록, 18세 미만 자녀 ${p.min}명 이상이 같은 세대, 가정용 수도 사용자 (세대별 계량기 또는 공동주택 관리사무소 확인)`, `Registered in ${r.area.en} with ${p.min} or more children under 18 in the household; a domestic water user (own meter or confirmed by the building office)`),
    benefit: t(`상수도 요금 ${p.rate}% 감면 (월 ${p.cap.toLocaleString('en-US')}㎥ 한도)`, `${p.rate}% off the water bill (on up to ${p.cap} cubic metres a month)`),
    howToApply: t('행정복지센터 또는 상수도사업본부에 신청 (정부24 가능)', 'At the community service centre or the waterworks office, or on Gov24'),
    deadline: ANYTIME,
    team: r.level === 'sido' ? TEAM.water : TEAM.waterSi,
    documents: [D.resident, t('수도 요금 고지서', 'Water bill')],
    legalBasis: law(r, '수도 급수 조례', 'Ordinance on Water Supply'),
    onlineUrl: GOV24,
    rule: `size(children) >= ${p.min} && children.exists(c, c.age < 18)`,
    lifeEvents: ['birth', 'move'],
  });
}

function multiChildParking(r: Region, p: { min: number; rate: number }): ServiceEntry {
  return entry(r, {
    slug: 'multi-child-parking',
    name: t(`${r.label.ko} 다자녀 가정 공영주차장 요금 감면`, `${r.label.en} Public Parking Discount for Large Families`),
    field: 'transport',
    purpose: t('다자녀 가정의 차량 이용 부담을 덜어 줍니다.', 'Makes parking cheaper for large families.'),
    target: t(`${r.area.ko}에 사는 ${p.min}자녀 이상 가정의 차량`, `Cars of families in ${r.area.en} with ${p.min} or more children`),
    criteria: t(`${r.area.ko} 주민등록, 자녀 ${p.min}명 이상 중 막내가 만 18세 이하, 부모 명의 승용차 1대`, `Registered in ${r.area.en}; ${p.min} or more children, the youngest 18 or under; one car in a parent's name`),
    benefit: t(`${r.area.ko} 공영주차장 주차요금 ${p.rate}% 감면 (정기권 제외)`, `${p.rate}% off at ${r.area.en} public car parks (not season tickets)`),
    howToApply: t('행정복지센터에서 차량 등록 후 자동 감면 (다자녀 우대카드 제시도 가능)', 'Register the car at the community service centre for automatic discounts, or show the large-family card'),
    deadline: ANYTIME,
    team: TEAM.parking,
    documents: [D.family, t('자동차 등록증', 'Vehicle registration certificate')],
    legalBasis: law(r, '주차장 설치 및 관리 조례', 'Ordinance on Parking Facilities'),
    rule: `size(children) >= ${p.min} && children.exists(c, c.age <= 18) && size(vehicles) >= 1`,
    lifeEvents: ['birth', 'move'],
  });
}

function childMealCard(r: Region, p: { name: T; perMeal: number }): ServiceEntry {
  return entry(r, {
    slug: 'child-meal-card',
    name: p.name,
    field: 'childcare',
    purpose: t('끼니를 거를 우려가 있는 아동에게 방학·주말 급식을 지원합니다.', 'Makes sure children at risk of missing meals eat during weekends and school holidays.'),
    target: t(`${r.area.ko}에 사는 18세 미만 결식 우려 아동`, `Children under 18 in ${r.area.en} at risk of missing meals`),
    criteria: t('기초생활수급·차상위·한부모 가정 등 가구 기준 중위소득 52% 이하 가정의 아동, 또는 담임교사·사회복지사가 추천한 아동', 'Children in households at or below 52% of the standard median income (basic livelihood, near-poor, single-parent families), or recommended by a teacher or social worker'),
    benefit: t(`아동급식카드 1식 ${p.perMeal.toLocaleString('en-US')}원 (가맹 음식점·편의점에서 사용)`, `Child meal card worth KRW ${p.perMeal.toLocaleString('en-US')} per meal at participating restaurants and convenience stores`),
    howToApply: APPLY_CENTRE,
    deadline: ANYTIME,
    team: TEAM.children,
    documents: [D.family, D.income],
    legalBasis: law(r, '아동급식 지원 조례', 'Ordinance on Child Meal Support'),
    rule: 'household.medianIncomePercent <= 52 && children.exists(c, c.age < 18)',
  });
}

function entranceGift(r: Region, p: { amount: number; middle?: number }): ServiceEntry {
  const a = won(p.amount);
  const mid = p.middle ? won(p.middle) : undefined;
  return entry(r, {
    slug: 'school-entrance-gift',
    name: t(`${r.label.ko} 입학축하금`, `${r.label.en} School Entrance Gift`),
    field: 'education',
    purpose: t('자녀의 입학을 축하하고 학용품·가방 등 입학 준비 비용을 지원합니다.', 'Celebrates a child starting school and helps with bags, books and supplies.'),
    target: t(`${r.area.ko}에 사는 초등학교${mid ? '·중학교' : ''} 신입생의 보호자`, `Parents of children starting primary${mid ? ' or middle' : ''} school who live in ${r.area.en}`),
    criteria: t(`입학일 기준 보호자와 신입생이 ${r.area.ko}에 주민등록 (관외 학교 입학도 가능)`, `Parent and child registered in ${r.area.en} on the first day of school (schools outside the area count too)`),
    benefit: t(`초등학교 신입생 ${a.ko}${mid ? `, 중학교 신입생 ${mid.ko}` : ''} (지역화폐)`, `${a.en} for a new primary pupil${mid ? `, ${mid.en} for a new middle-school pupil` : ''}, in local currency`),
    howToApply: APPLY_LOCAL,
    deadline: t('입학 연도 3월~12월', 'March to December of the year of entry'),
    team: TEAM.education,
    documents: [D.school, D.family, D.bank],
    legalBasis: lawOf(r, LAW_EDU),
    onlineUrl: GOV24,
    rule: mid ? 'children.exists(c, (c.age >= 6 && c.age < 8) || (c.age >= 12 && c.age < 13))' : 'children.exists(c, c.age >= 6 && c.age < 8)',
  });
}

function uniform(r: Region, p: { amount: number }): ServiceEntry {
  const a = won(p.amount);
  return entry(r, {
    slug: 'school-uniform',
    name: t(`${r.label.ko} 중·고 신입생 교복 구입비 지원`, `${r.label.en} School Uniform Grant`),
    field: 'education',
    purpose: t('중·고등학교 신입생의 교복 구입 부담을 덜어 줍니다.', 'Pays for the uniforms of children starting middle or high school.'),
    target: t(`${r.area.ko}에 사는 중·고등학교 신입생`, `Children living in ${r.area.en} who start middle or high school`),
    criteria: t(`입학일 기준 ${r.area.ko} 주민등록, 교육청 무상교복을 받지 못한 신입생 (관외·대안학교 진학 포함)`, `Registered in ${r.area.en} when school starts and not covered by the education office's free uniforms (e.g. schools outside the area, alternative schools)`),
    benefit: t(`1인당 최대 ${a.ko} (동복·하복 구입비 실비)`, `Up to ${a.en} per pupil for winter and summer uniforms`),
    howToApply: APPLY_LOCAL,
    deadline: t('입학 연도 3월~10월', 'March to October of the year of entry'),
    team: TEAM.education,
    documents: [D.school, D.receipt, D.bank],
    legalBasis: lawOf(r, LAW_EDU),
    onlineUrl: GOV24,
    rule: 'children.exists(c, (c.age >= 12 && c.age < 13) || (c.age >= 15 && c.age < 16))',
  });
}

function schoolTrip(r: Region, p: { amount: number; income?: number }): ServiceEntry {
  const a = won(p.amount);
  const inc = p.income;
  return entry(r, {
    slug: 'school-trip',
    name: t(`${r.label.ko} 수학여행비 지원`, `${r.label.en} School Trip Grant`),
    field: 'education',
    purpose: t('모든 학생이 비용 걱정 없이 수학여행·현장체험학습에 참여하도록 지원합니다.', 'Lets every pupil go on the school trip whatever the cost.'),
    target: t(`${r.area.ko}에 사는 초·중·고등학생`, `Pupils in ${r.area.en} at primary, middle and high school`),
    criteria: t(
      `${r.area.ko} 주민등록 학생으로 학교가 실시하는 수학여행 참가${inc ? `, 가구 기준 중위소득 ${inc}% 이하` : ' (소득 기준 없음)'}`,
      `A pupil registered in ${r.area.en} who goes on the school's trip${inc ? `; household income at or below ${inc}% of the standard median income` : ' (no income test)'}`,
    ),
    benefit: t(`학생 1인당 연 최대 ${a.ko} (학교로 직접 지급)`, `Up to ${a.en} per pupil a year, paid to the school`),
    howToApply: t('학교를 통해 일괄 신청 (개별 신청 불필요)', 'The school applies for its pupils (no individual application)'),
    deadline: t('학기별 학교 신청 기간', 'Each term, through the school'),
    team: TEAM.education,
    documents: [D.school],
    legalBasis: lawOf(r, LAW_EDU),
    rule: `children.exists(c, c.age >= 8 && c.age <= 18)${inc ? ` && household.medianIncomePercent <= ${inc}` : ''}`,
  });
}

// ---- seniors ----------------------------------------------------------------------------------

function seniorTransport(r: Region, p: { name: T; minAge: number; benefit: T; apply?: T }): ServiceEntry {
  return entry(r, {
    slug: 'senior-transport',
    name: p.name,
    field: 'transport',
    purpose: t('어르신의 이동권을 보장하고 교통비 부담을 덜어 줍니다.', 'Keeps older residents mobile by making buses cheaper or free.'),
    target: t(`${r.area.ko}에 사는 만 ${p.minAge}세 이상 어르신`, `Residents of ${r.area.en} aged ${p.minAge} and over`),
    criteria: t(`${r.area.ko} 주민등록, 만 ${p.minAge}세 이상 (전용 교통카드 발급 후 이용)`, `Registered in ${r.area.en}; aged ${p.minAge} or over; uses the dedicated senior transport card`),
    benefit: p.benefit,
    howToApply: p.apply ?? t('행정복지센터에서 어르신 교통카드 발급 신청', 'Ask for a senior transport card at the community service centre'),
    deadline: ANYTIME,
    team: TEAM.transport,
    documents: [D.id, t('사진 1매 (교통카드 발급용)', 'One photo (for the card)')],
    legalBasis: law(r, '어르신 교통비 지원에 관한 조례', 'Ordinance on Transport Support for Older Residents'),
    rule: `person.age >= ${p.minAge}`,
    lifeEvents: ['turning-65'],
  });
}

function longevity(r: Region, p: { age: number; monthly: number; residence?: number }): ServiceEntry {
  const m = won(p.monthly);
  const res = p.residence ?? 12;
  return entry(r, {
    slug: 'longevity-allowance',
    name: t(`${r.label.ko} 장수수당`, `${r.label.en} Longevity Allowance`),
    field: 'seniors',
    purpose: t('장수 어르신을 공경하고 생활 안정을 돕습니다.', "Honours the area's oldest residents and helps with their everyday costs."),
    target: t(`${r.area.ko}에 사는 만 ${p.age}세 이상 어르신`, `Residents of ${r.area.en} aged ${p.age} and over`),
    criteria: t(`만 ${p.age}세 이상, ${r.area.ko}에 ${res}개월 이상 계속 주민등록`, `Aged ${p.age} or over and registered in ${r.area.en} for at least ${res} months in a row`),
    benefit: t(`월 ${m.ko} (분기별 지급)`, `${m.en} a month, paid quarterly`),
    howToApply: APPLY_CENTRE,
    deadline: ANYTIME,
    team: TEAM.senior,
    documents: [D.id, D.bank],
    legalBasis: law(r, '장수수당 지급 조례', 'Ordinance on Longevity Allowances'),
    rule: `person.age >= ${p.age} && monthsBetween(person.moveInDate, today) >= ${res}`,
  });
}

function filial(r: Region, p: { age: number; monthly: number }): ServiceEntry {
  const m = won(p.monthly);
  return entry(r, {
    slug: 'filial-allowance',
    name: t(`${r.label.ko} 어르신 효도수당`, `${r.label.en} Filial Piety Allowance`),
    field: 'seniors',
    purpose: t('고령 어르신의 생활 안정과 경로 효친 문화 확산을 위해 수당을 드립니다.', 'A monthly allowance for the oldest residents, honouring their place in the community.'),
    target: t(`${r.area.ko}에 사는 만 ${p.age}세 이상 어르신`, `Residents of ${r.area.en} aged ${p.age} and over`),
    criteria: t(`만 ${p.age}세 이상, ${r.area.ko}에 1년 이상 주민등록하고 실제 거주 (요양시설 장기 입소자 포함)`, `Aged ${p.age} or over, registered and living in ${r.area.en} for at least a year (care-home residents included)`),
    benefit: t(`월 ${m.ko} (지역화폐 또는 계좌 입금)`, `${m.en} a month, in local currency or by bank transfer`),
    howToApply: APPLY_CENTRE,
    deadline: ANYTIME,
    team: TEAM.senior,
    documents: [D.id, D.bank],
    legalBasis: law(r, '효도수당 지급 조례', 'Ordinance on Filial Piety Allowances'),
    rule: `person.age >= ${p.age} && monthsBetween(person.moveInDate, today) >= 12`,
  });
}

function seniorBath(r: Region, p: { age: number; monthly: number; income?: number }): ServiceEntry {
  const m = won(p.monthly);
  const inc = p.income;
  return entry(r, {
    slug: 'senior-bath-haircut',
    name: t(`${r.label.ko} 어르신 목욕·이미용권 지원`, `${r.label.en} Bath and Haircut Vouchers for Older Residents`),
    field: 'seniors',
    purpose: t('어르신의 위생 관리와 건강한 노후 생활을 돕습니다.', 'Helps older residents keep up personal care.'),
    target: t(`${r.area.ko}에 사는 만 ${p.age}세 이상 어르신${inc ? ' (저소득)' : ''}`, `${inc ? 'Low-income residents' : 'Residents'} of ${r.area.en} aged ${p.age} and over`),
    criteria: t(
      `만 ${p.age}세 이상 ${r.area.ko} 주민${inc ? `, 기초생활수급자·차상위계층 등 가구 기준 중위소득 ${inc}% 이하` : ' (소득 기준 없음)'}`,
      `Aged ${p.age} or over and registered in ${r.area.en}${inc ? `; household income at or below ${inc}% of the standard median income (basic livelihood or near-poor)` : '; no income test'}`,
    ),
    benefit: t(`목욕·이미용 이용권 월 ${m.ko} 상당 (지정 목욕탕·이용원·미용실)`, `Vouchers worth ${m.en} a month at participating bathhouses, barbers and hair salons`),
    howToApply: APPLY_CENTRE,
    deadline: ANYTIME,
    team: TEAM.senior,
    documents: [D.id, D.application],
    legalBasis: lawOf(r, LAW_SENIOR),
    rule: `person.age >= ${p.age}${inc ? ` && household.medianIncomePercent <= ${inc}` : ''}`,
    lifeEvents: ['turning-65'],
  });
}

function seniorCentre(r: Region, p: { days: number }): ServiceEntry {
  return entry(r, {
    slug: 'senior-centre-meals',
    name: t(`${r.label.ko} 경로당 점심·냉난방 지원`, `${r.label.en} Senior Centre Lunches and Heating`),
    field: 'seniors',
    purpose: t('마을 경로당에서 어르신이 함께 식사하고 여름·겨울을 안전하게 나도록 지원합니다.', 'Keeps village senior centres open for shared lunches and a warm, cool place to meet.'),
    target: t(`${r.area.ko} 경로당을 이용하는 만 65세 이상 어르신`, `People aged 65 and over who use a senior centre in ${r.area.en}`),
    criteria: t(`${r.area.ko}에 주민등록된 만 65세 이상으로 등록 경로당 회원 (회원 가입은 경로당에서)`, `Aged 65 or over, registered in ${r.area.en} and a member of a registered senior centre (join at the centre)`),
    benefit: t(`경로당 공동 점심 주 ${p.days}일 (양곡·부식비·조리 인력 지원), 동절기 난방비·하절기 냉방비 지원`, `Shared lunches ${p.days} days a week (rice, groceries and a cook), with winter heating and summer cooling paid`),
    howToApply: t('가까운 경로당에서 회원 가입 (별도 신청 불필요)', 'Join your nearest senior centre; no separate application'),
    deadline: ANYTIME,
    team: TEAM.senior,
    documents: [D.id],
    legalBasis: law(r, '경로당 지원 조례', 'Ordinance on Support for Senior Centres'),
    rule: 'person.age >= 65',
    lifeEvents: ['turning-65'],
  });
}

// ---- veterans -------------------------------------------------------------------------------

function veteranHonor(r: Region, p: { monthly: number; name?: T }): ServiceEntry {
  const m = won(p.monthly);
  return entry(r, {
    slug: 'veteran-honour-allowance',
    name: p.name ?? t(`${r.label.ko} 보훈명예수당`, `${r.label.en} Veterans' Honour Allowance`),
    field: 'veterans',
    purpose: t('국가를 위해 희생·공헌한 국가보훈대상자를 예우하고 생활 안정을 돕습니다.', 'Honours people of national merit and their families with a monthly allowance.'),
    target: t(`${r.area.ko}에 사는 국가보훈대상자 (본인 또는 선순위 유족 1명)`, `People of national merit living in ${r.area.en} (or one surviving family member)`),
    criteria: t(`국가보훈부 등록 보훈대상자로 ${r.area.ko}에 주민등록하고 실제 거주. 참전명예수당 대상자는 참전명예수당으로 지급`, `Registered with the Ministry of Patriots and Veterans Affairs and living in ${r.area.en}; war veterans receive the war veterans' allowance instead`),
    benefit: t(`월 ${m.ko} (국가 보훈급여와 별도)`, `${m.en} a month, on top of national veterans' benefits`),
    howToApply: APPLY_LOCAL,
    deadline: ANYTIME,
    team: TEAM.veterans,
    documents: [D.veteran, D.bank],
    legalBasis: law(r, '국가보훈대상자 예우 및 지원에 관한 조례', 'Ordinance on Honouring and Supporting Persons of National Merit'),
    onlineUrl: GOV24,
    rule: 'veteran.registered && veteran.category != "war-veteran"',
    lifeEvents: ['move'],
  });
}

function warVeteran(r: Region, p: { monthly: number; over80?: number }): ServiceEntry {
  const m = won(p.monthly);
  const o = p.over80 ? won(p.over80) : undefined;
  return entry(r, {
    slug: 'war-veteran-allowance',
    name: t(`${r.label.ko} 참전명예수당`, `${r.label.en} War Veterans' Honour Allowance`),
    field: 'veterans',
    purpose: t('6·25전쟁과 월남전 참전유공자의 명예를 기리고 생활을 돕습니다.', 'Honours veterans of the Korean and Vietnam wars with a monthly allowance.'),
    target: t(`${r.area.ko}에 사는 참전유공자`, `War veterans living in ${r.area.en}`),
    criteria: t(`「참전유공자 예우 및 단체설립에 관한 법률」에 따른 참전유공자로 ${r.area.ko}에 주민등록`, `Registered as a war veteran under the Act on Honourable Treatment of War Veterans and registered in ${r.area.en}`),
    benefit: t(`월 ${m.ko}${o ? ` (만 80세 이상 월 ${o.ko})` : ''}, 국가 참전명예수당과 별도 지급`, `${m.en} a month${o ? ` (${o.en} from age 80)` : ''}, on top of the national war veterans' allowance`),
    howToApply: APPLY_LOCAL,
    deadline: ANYTIME,
    team: TEAM.veterans,
    documents: [D.warVeteran, D.bank],
    legalBasis: law(r, '참전유공자 지원 조례', 'Ordinance on Support for War Veterans'),
    onlineUrl: GOV24,
    rule: 'veteran.registered && veteran.category == "war-veteran"',
    lifeEvents: ['move'],
  });
}

// ---- disability -----------------------------------------------------------------------------

function disabilityCallTaxi(r: Region, p: { name: T; fare: T; tel?: T }): ServiceEntry {
  return entry(r, {
    slug: 'disability-call-taxi',
    name: p.name,
    field: 'disability',
    purpose: t('대중교통을 이용하기 어려운 장애인의 이동을 돕는 특별교통수단을 운영합니다.', 'Runs wheelchair-accessible call taxis for people who cannot use ordinary public transport.'),
    target: t(`${r.area.ko}에 사는 보행상 장애가 심한 장애인 (휠체어 이용 어르신 등 포함)`, `People in ${r.area.en} whose disability seriously limits walking (and wheelchair users aged 65 and over)`),
    criteria: t('장애 정도가 심한 장애인 중 보행상 장애 판정을 받은 사람, 또는 휠체어를 이용하는 만 65세 이상 어르신과 동반 보호자', 'A severe disability with a walking impairment, or a wheelchair user aged 65 or over, with a companion'),
    benefit: p.fare,
    howToApply: t(`이용 등록 후 전화·앱으로 예약${p.tel ? ` (${p.tel.ko})` : ''}`, `Register once, then book by phone or app${p.tel ? ` (${p.tel.en})` : ''}`),
    deadline: ANYTIME,
    team: TEAM.disability,
    documents: [D.disability, t('이용 등록 신청서', 'Registration form')],
    legalBasis: law(r, '교통약자 이동편의 증진 조례', 'Ordinance on Improving Mobility for People with Reduced Mobility'),
    rule: 'disability.registered && disability.severity == "severe"',
    lifeEvents: ['move'],
  });
}

function disabilityEnergy(r: Region, p: { amount: number; income?: number }): ServiceEntry {
  const a = won(p.amount);
  const inc = p.income ?? 100;
  return entry(r, {
    slug: 'disability-energy',
    name: t(`${r.label.ko} 중증장애인 가구 냉난방비 지원`, `${r.label.en} Heating and Cooling Allowance for Severely Disabled Households`),
    field: 'energy',
    purpose: t('체온 조절과 의료기기 사용으로 에너지 지출이 많은 중증장애인 가구를 돕습니다.', 'Helps households of severely disabled people, who need more heating, cooling and power for medical devices.'),
    target: t(`${r.area.ko}에 사는 중증장애인 가구`, `Households in ${r.area.en} with a severely disabled member`),
    criteria: t(`장애 정도가 심한 장애인이 있는 ${r.area.ko} 가구, 가구 기준 중위소득 ${inc}% 이하. 정부 에너지바우처와 중복 가능`, `A household in ${r.area.en} with a severely disabled member and income at or below ${inc}% of the standard median income; can be combined with the national energy voucher`),
    benefit: t(`가구당 연 ${a.ko} (여름·겨울 나누어 지급)`, `${a.en} a year per household, paid in summer and winter`),
    howToApply: APPLY_LOCAL,
    deadline: t('매년 6~11월', 'June to November each year'),
    team: TEAM.disability,
    documents: [D.disability, D.bank],
    legalBasis: law(r, '장애인복지 증진에 관한 조례', 'Ordinance on Promoting the Welfare of Disabled People'),
    onlineUrl: GOV24,
    rule: `disability.registered && disability.severity == "severe" && household.medianIncomePercent <= ${inc}`,
  });
}

// ---- livelihood, energy, safety, business ---------------------------------------------------

function emergency(r: Region, p: { name: T; amount1: number; assets: number; income?: number }): ServiceEntry {
  const a = won(p.amount1);
  const inc = p.income ?? 85;
  return entry(r, {
    slug: 'emergency-welfare',
    name: p.name,
    field: 'livelihood',
    purpose: t('갑작스러운 위기로 생계가 어려운데 국가 긴급복지 기준에 맞지 않는 가구를 지원합니다.', 'Helps households in a sudden crisis who fall outside the national emergency welfare rules.'),
    target: t(`${r.area.ko}에 사는 실직·질병·사망 등 위기 가구`, `Households in ${r.area.en} hit by job loss, illness, a death or another crisis`),
    criteria: t(
      `주소득자의 실직·휴폐업·중한 질병·사망 등으로 생계가 곤란한 ${r.area.ko} 가구, 가구 기준 중위소득 ${inc}% 이하, 재산 ${won(p.assets / 10000).ko} 이하. 국가 긴급복지 지원을 받지 못한 경우`,
      `A household in ${r.area.en} in hardship after the main earner lost work, closed a business, fell seriously ill or died; income at or below ${inc}% of the standard median income and assets up to ${won(p.assets / 10000).en}; not covered by national emergency welfare`,
    ),
    benefit: t(`생계비 1인 가구 월 ${a.ko} (가구원 수에 따라 증액, 최대 3개월), 의료비·주거비 별도 지원`, `Living costs of ${a.en} a month for one person (more for larger households, up to three months), plus help with medical and housing costs`),
    howToApply: t('주소지 행정복지센터 방문 또는 전화 상담 (이웃·기관 신고도 가능)', 'At the community service centre or by phone; neighbours and agencies can also report a household'),
    deadline: t('위기 발생 시 수시', 'Whenever a crisis happens'),
    team: TEAM.welfare,
    documents: [t('위기 사유 확인 서류 (퇴직·폐업 증명, 진단서 등)', 'Proof of the crisis (dismissal or closure notice, medical certificate, …)'), D.income, D.bank],
    legalBasis: law(r, '긴급복지 지원에 관한 조례', 'Ordinance on Emergency Welfare Support'),
    onlineUrl: BOKJIRO,
    rule: `household.medianIncomePercent <= ${inc} && household.assets <= ${p.assets}`,
  });
}

function winterHeating(r: Region, p: { amount: number }): ServiceEntry {
  const a = won(p.amount);
  return entry(r, {
    slug: 'winter-heating',
    name: t(`${r.label.ko} 저소득층 월동 난방비 지원`, `${r.label.en} Winter Heating Allowance for Low-Income Households`),
    field: 'energy',
    purpose: t('겨울철 난방비 부담이 큰 저소득 어르신·장애인 가구의 안전한 겨울나기를 돕습니다.', 'Helps low-income older and disabled residents stay warm through the winter.'),
    target: t(`${r.area.ko}에 사는 저소득 어르신·장애인 가구`, `Low-income households in ${r.area.en} with an older or disabled member`),
    criteria: t('기초생활수급자 또는 차상위계층 (가구 기준 중위소득 50% 이하)으로 만 65세 이상이거나 등록 장애인인 가구', 'Basic livelihood or near-poor households (at or below 50% of the standard median income) with a member aged 65 or over or a registered disabled person'),
    benefit: t(`가구당 ${a.ko} (등유·연탄·가스비, 11~12월 지급)`, `${a.en} per household for kerosene, briquettes or gas, paid in November and December`),
    howToApply: t('대상 가구에 자동 지급 (누락 시 행정복지센터 신청)', 'Paid automatically to eligible households; ask at the community service centre if missed'),
    deadline: t('매년 11~12월', 'November and December each year'),
    team: TEAM.welfare,
    documents: [D.bank],
    legalBasis: law(r, '저소득 주민 생활안정 지원 조례', 'Ordinance on Livelihood Support for Low-Income Residents'),
    rule: 'household.medianIncomePercent <= 50 && (person.age >= 65 || disability.registered)',
  });
}

function singleSafety(r: Region, p: { name: T; benefit: T }): ServiceEntry {
  return entry(r, {
    slug: 'single-household-safety',
    name: p.name,
    field: 'safety',
    purpose: t('혼자 사는 주민의 주거 안전과 범죄 불안을 덜어 줍니다.', 'Makes people who live alone feel safer at home.'),
    target: t(`${r.area.ko}에 사는 1인 가구`, `People living alone in ${r.area.en}`),
    criteria: t(`${r.area.ko} 주민등록 1인 가구, 가구 기준 중위소득 150% 이하, 임차보증금 3억원 이하 주택 거주`, `Living alone and registered in ${r.area.en}; income at or below 150% of the standard median income; renting with a deposit up to KRW 300 million`),
    benefit: p.benefit,
    howToApply: t(`${r.area.ko} 누리집 또는 정부24 온라인 신청 (선착순)`, `Online on the ${r.area.en} website or Gov24 (first come, first served)`),
    deadline: ANNUAL,
    team: TEAM.single,
    documents: [D.resident, D.lease],
    legalBasis: law(r, '1인가구 지원 기본 조례', 'Framework Ordinance on Support for Single-Person Households'),
    onlineUrl: GOV24,
    rule: 'household.size <= 1 && person.age >= 19 && household.medianIncomePercent <= 150',
    lifeEvents: ['move'],
  });
}

function smallBiz(r: Region, p: { foundation: T; limit: number; subsidy: number }): ServiceEntry {
  const l = won(p.limit);
  return entry(r, {
    slug: 'small-business-guarantee',
    name: t(`${r.label.ko} 소상공인 특례보증 및 이자 지원`, `${r.label.en} Small Business Special Guarantee and Interest Support`),
    field: 'employment',
    purpose: t('담보가 부족한 소상공인이 보증을 받아 운영자금을 빌리고 이자 일부를 지원받도록 합니다.', 'Lets small business owners without collateral borrow working capital on a guarantee, with part of the interest paid.'),
    target: t(`${r.area.ko}에 사업장을 둔 소상공인`, `Small business owners with premises in ${r.area.en}`),
    criteria: t(`${r.area.ko}에 사업자등록을 하고 영업 중인 소상공인 (상시근로자 5인 미만, 제조업 등 10인 미만), 국세·지방세 체납이 없고 보증 제한 업종이 아닌 경우`, `A small business registered and trading in ${r.area.en} (under 5 staff, or under 10 in manufacturing and similar trades); no tax arrears; not in an excluded trade`),
    benefit: t(`${p.foundation.ko} 보증으로 업체당 최대 ${l.ko} 대출, 대출이자 연 ${p.subsidy}%p 2년간 지원`, `Loans of up to ${l.en} per business on a guarantee from ${p.foundation.en}, with ${p.subsidy} percentage points of interest paid for two years`),
    howToApply: t(`${p.foundation.ko} 지점 방문 또는 모바일 앱에서 보증 신청`, `Apply for the guarantee at a branch of ${p.foundation.en} or in its mobile app`),
    deadline: ANNUAL,
    team: TEAM.smallBiz,
    documents: [D.business, D.tax, t('부가가치세 과세표준증명 (매출 확인)', 'VAT tax base certificate (turnover)')],
    legalBasis: law(r, '소상공인 지원에 관한 조례', 'Ordinance on Support for Small Business Owners'),
    rule: 'work.businessOwner && tax.arrears <= 0',
  });
}

function farmerAllowance(r: Region, p: { name: T; annual: number; years: number; law?: T; fishers?: boolean }): ServiceEntry {
  const a = won(p.annual);
  const fishers = p.fishers ?? true;
  return entry(r, {
    slug: 'farmer-allowance',
    name: p.name,
    field: 'agriculture',
    purpose: fishers
      ? t('농어업의 공익적 가치를 인정하고 농어가 소득을 보전합니다.', 'Recognises the public value of farming and fishing with a yearly allowance to each farm or fishing household.')
      : t('농업의 공익적 가치를 인정하고 농가 소득을 보전합니다.', 'Recognises the public value of farming with a yearly allowance to each farm household.'),
    target: fishers
      ? t(`${r.area.ko}에 사는 농어업인 가구 (경영주)`, `Farm and fishing households in ${r.area.en} (the registered operator)`)
      : t(`${r.area.ko}에 사는 농업인 가구 (경영주)`, `Farm households in ${r.area.en} (the registered operator)`),
    criteria: t(
      `${r.area.ko}에 ${p.years}년 이상 계속 주민등록하고 ${fishers ? '농업경영체·어업경영체' : '농업경영체'}로 ${p.years}년 이상 등록된 경영주. 농외소득 3,700만원 이상, 공무원·공공기관 재직자 등은 제외`,
      `Registered in ${r.area.en} and as a ${fishers ? 'farm or fishery' : 'farm'} operator for at least ${p.years} years in a row; not for those with over KRW 37 million in non-farm income or public-sector employees`,
    ),
    benefit: t(`가구당 연 ${a.ko} (지역화폐, 상·하반기 나누어 지급)`, `${a.en} a year per household in local currency, paid in two halves`),
    howToApply: APPLY_CENTRE,
    deadline: t('매년 2~4월 신청', 'February to April each year'),
    team: TEAM.farming,
    documents: [fishers ? D.farm : t('농업경영체 등록 확인서', 'Farm business registration certificate'), D.id],
    legalBasis: p.law ?? (fishers ? law(r, '농어업인 수당 지원에 관한 조례', 'Ordinance on Allowances for Farmers and Fishers') : law(r, '농업인 공익수당 지원 조례', 'Ordinance on Public-Value Allowances for Farmers')),
    rule: `${fishers ? 'work.occupation in ["농업인", "어업인"]' : 'work.occupation == "농업인"'} && monthsBetween(person.moveInDate, today) >= ${p.years * 12}`,
  });
}

function returnFarm(r: Region, p: { amount: number; house?: number }): ServiceEntry {
  const a = won(p.amount);
  const h = p.house ? won(p.house) : undefined;
  return entry(r, {
    slug: 'return-to-farm',
    name: t(`${r.label.ko} 귀농·귀촌 정착 지원`, `${r.label.en} Return-to-Farm Settlement Support`),
    field: 'agriculture',
    purpose: t('도시에서 옮겨 와 농업을 시작하는 가구의 초기 정착을 돕습니다.', 'Helps households who move from a city to start farming to get established.'),
    target: t(`${r.area.ko}로 이주해 농업에 종사하는 귀농 가구 (만 65세 이하)`, `Households who moved to ${r.area.en} to farm (head of household aged 65 or under)`),
    criteria: t(`동(洞) 지역에서 1년 이상 거주하다 ${r.area.ko}로 전입한 지 5년 이내, 농업경영체 등록 및 귀농 교육 100시간 이상 이수`, `Lived in an urban district for at least a year before moving to ${r.area.en} less than five years ago; registered as a farm operator; completed 100 hours of return-to-farm training`),
    benefit: t(`정착지원금 ${a.ko}${h ? `, 빈집 수리·주택 구입 지원 최대 ${h.ko}` : ''}, 영농 멘토링`, `A settlement grant of ${a.en}${h ? `, up to ${h.en} to repair or buy a house` : ''}, and a farming mentor`),
    howToApply: t('농업기술센터 방문 신청 (연초 공고)', 'At the agricultural technology centre, after the call at the start of the year'),
    deadline: ANNUAL,
    team: TEAM.returnFarm,
    documents: [D.moveIn, D.farm, D.farmPlan],
    legalBasis: law(r, '귀농어·귀촌 지원 조례', 'Ordinance on Support for Returning to Farming and Rural Life'),
    rule: 'work.occupation == "농업인" && person.age <= 65 && monthsBetween(person.moveInDate, today) <= 60',
    lifeEvents: ['move'],
  });
}

function petRegistration(r: Region, p: { fee: number }): ServiceEntry {
  return entry(r, {
    slug: 'pet-registration',
    name: t(`${r.label.ko} 반려동물 등록 지원`, `${r.label.en} Pet Registration Support`),
    field: 'civil',
    purpose: t('반려견 등록을 늘려 유실·유기를 막습니다.', 'Cuts the cost of registering a dog, so lost and abandoned animals go home.'),
    target: t(`${r.area.ko}에 사는 반려견(2개월 이상) 보호자`, `Owners in ${r.area.en} of dogs aged two months or more`),
    criteria: t(`${r.area.ko} 주민으로 반려견을 처음 등록하는 보호자 (만 19세 이상), 지정 동물병원에서 내장형 칩으로 등록`, `An adult owner registered in ${r.area.en} registering a dog for the first time with an implanted chip at a participating vet`),
    benefit: t(`내장형 마이크로칩 시술비 지원: 보호자는 ${p.fee.toLocaleString('en-US')}원만 부담`, `Implanted microchip subsidised: the owner pays only KRW ${p.fee.toLocaleString('en-US')}`),
    howToApply: t('지정 동물병원 방문 (예산 소진 시 마감)', 'At a participating vet (until the budget runs out)'),
    deadline: ANNUAL,
    team: TEAM.animals,
    documents: [D.id, D.pet],
    legalBasis: law(r, '동물보호 조례', 'Animal Protection Ordinance'),
    onlineUrl: 'https://www.animal.go.kr',
    rule: 'person.age >= 19',
  });
}

function culturePlus(r: Region, p: { amount: number }): ServiceEntry {
  const a = won(p.amount);
  return entry(r, {
    slug: 'culture-card-top-up',
    name: t(`${r.label.ko} 문화누리카드 추가 지원`, `${r.label.en} Culture Card Top-up`),
    field: 'culture',
    purpose: t('저소득층의 문화·여행·체육 활동을 넓히기 위해 통합문화이용권에 지원금을 더합니다.', 'Adds to the national culture card so low-income residents can enjoy more arts, travel and sport.'),
    target: t(`${r.area.ko}에 사는 문화누리카드 발급자`, `Holders of the Culture Nuri card living in ${r.area.en}`),
    criteria: t('만 6세 이상 기초생활수급자·차상위계층 (가구 기준 중위소득 50% 이하)으로 해당 연도 문화누리카드를 발급받은 사람', 'Aged 6 or over, basic livelihood or near-poor (at or below 50% of the standard median income), and issued this year\'s Culture Nuri card'),
    benefit: t(`국가 지원금 연 14만원에 1인당 ${a.ko} 추가 충전`, `${a.en} added to the national KRW 140,000 a year`),
    howToApply: t('문화누리카드 발급 시 자동 충전', 'Added automatically when the card is issued'),
    deadline: t('매년 2~11월', 'February to November each year'),
    team: TEAM.culture,
    documents: [D.id],
    legalBasis: law(r, '문화예술 진흥 조례', 'Ordinance on the Promotion of Culture and Arts'),
    onlineUrl: 'https://www.mnuri.kr',
    rule: 'household.medianIncomePercent <= 50 && person.age >= 6',
  });
}

// ---- the catalogue ------------------------------------------------------------------------------

const GANGNAM = sigungu(SEOUL, 'gangnam', '강남구', 'Gangnam', '02-3423-5114');
const SONGPA = sigungu(SEOUL, 'songpa', '송파구', 'Songpa', '02-2147-2000');
const NOWON = sigungu(SEOUL, 'nowon', '노원구', 'Nowon', '02-2116-3114');
const MAPO = sigungu(SEOUL, 'mapo', '마포구', 'Mapo', '02-3153-8114');
const GWANAK = sigungu(SEOUL, 'gwanak', '관악구', 'Gwanak');
const SEOCHO = sigungu(SEOUL, 'seocho', '서초구', 'Seocho', '02-2155-6114');
const HAEUNDAE = sigungu(BUSAN, 'haeundae', '해운대구', 'Haeundae', '051-749-4000');
const BUSANJIN = sigungu(BUSAN, 'busanjin', '부산진구', 'Busanjin');
const GIJANG = sigungu(BUSAN, 'gijang', '기장군', 'Gijang', '051-709-4000');
const SUSEONG = sigungu(DAEGU, 'suseong', '수성구', 'Suseong', '053-666-2000');
const DALSEO = sigungu(DAEGU, 'dalseo', '달서구', 'Dalseo');
const GUNWI = sigungu(DAEGU, 'gunwi', '군위군', 'Gunwi');
const YEONSU = sigungu(INCHEON, 'yeonsu', '연수구', 'Yeonsu', '032-749-7114');
const GANGHWA = sigungu(INCHEON, 'ganghwa', '강화군', 'Ganghwa', '032-930-3114');
const GWANGSAN = sigungu(GWANGJU, 'gwangsan', '광산구', 'Gwangsan', '062-960-8114');
const YUSEONG = sigungu(DAEJEON, 'yuseong', '유성구', 'Yuseong', '042-611-2114');
const ULJU = sigungu(ULSAN, 'ulju', '울주군', 'Ulju');
const SUWON = sigungu(GYEONGGI, 'suwon', '수원시', 'Suwon', '031-228-2114');
const SEONGNAM = sigungu(GYEONGGI, 'seongnam', '성남시', 'Seongnam', '031-729-2114');
const HWASEONG = sigungu(GYEONGGI, 'hwaseong', '화성시', 'Hwaseong');
const YONGIN = sigungu(GYEONGGI, 'yongin', '용인시', 'Yongin');
const GOYANG = sigungu(GYEONGGI, 'goyang', '고양시', 'Goyang');
const YEONCHEON = sigungu(GYEONGGI, 'yeoncheon', '연천군', 'Yeoncheon');
const CHUNCHEON = sigungu(GANGWON, 'chuncheon', '춘천시', 'Chuncheon');
const GANGNEUNG = sigungu(GANGWON, 'gangneung', '강릉시', 'Gangneung');
const JEONGSEON = sigungu(GANGWON, 'jeongseon', '정선군', 'Jeongseon');
const CHEONGJU = sigungu(CHUNGBUK, 'cheongju', '청주시', 'Cheongju');
const GOESAN = sigungu(CHUNGBUK, 'goesan', '괴산군', 'Goesan');
const CHEONAN = sigungu(CHUNGNAM, 'cheonan', '천안시', 'Cheonan');
const CHEONGYANG = sigungu(CHUNGNAM, 'cheongyang', '청양군', 'Cheongyang');
const JEONJU = sigungu(JEONBUK, 'jeonju', '전주시', 'Jeonju');
const JINAN = sigungu(JEONBUK, 'jinan', '진안군', 'Jinan');
const SUNCHEON = sigungu(JEONNAM, 'suncheon', '순천시', 'Suncheon');
const HAENAM = sigungu(JEONNAM, 'haenam', '해남군', 'Haenam');
const SINAN = sigungu(JEONNAM, 'sinan', '신안군', 'Sinan');
const POHANG = sigungu(GYEONGBUK, 'pohang', '포항시', 'Pohang');
const BONGHWA = sigungu(GYEONGBUK, 'bonghwa', '봉화군', 'Bonghwa');
const CHANGWON = sigungu(GYEONGNAM, 'changwon', '창원시', 'Changwon');
const GIMHAE = sigungu(GYEONGNAM, 'gimhae', '김해시', 'Gimhae');
const GEOCHANG = sigungu(GYEONGNAM, 'geochang', '거창군', 'Geochang');
const JEJU_SI = sigungu(JEJU, 'jeju-si', '제주시', 'Jeju', '064-728-2114', 'Jeju City');
const SEOGWIPO = sigungu(JEJU, 'seogwipo', '서귀포시', 'Seogwipo', '064-760-2114');

const after2024 = 'c.birthDate >= timestamp("2024-01-01T00:00:00Z")';

/** 서울특별시 and its 자치구 */
const seoul: ServiceEntry[] = [
  youthRent(SEOUL, { monthly: 20, months: 12, maxAge: 39, income: 150, name: t('서울시 청년월세 지원', 'Seoul Youth Monthly Rent Support') }),
  youthJobSeeking(SEOUL, { name: t('서울시 청년수당', 'Seoul Youth Allowance'), monthly: 50, months: 6, maxAge: 34 }),
  youthAsset(SEOUL, { name: t('서울시 희망두배 청년통장', 'Seoul Double Hope Youth Savings Account'), save: 15, match: 15, years: 3, maxAge: 34, income: 100 }),
  entry(SEOUL, {
    slug: 'interview-suit-rental',
    name: t('서울시 취업날개 면접정장 무료대여', 'Seoul Free Interview Suit Rental (Chwieop Nalgae)'),
    field: 'employment',
    purpose: t('취업 준비 청년의 면접 비용 부담을 덜기 위해 면접용 정장을 무료로 빌려줍니다.', 'Lends young jobseekers a suit for interviews free of charge.'),
    target: t('서울에 사는 만 18~39세 취업 준비 청년', 'Jobseekers aged 18 to 39 living in Seoul'),
    criteria: t('서울특별시 주민등록 (또는 서울 소재 대학 재학·졸업 예정), 만 18~39세 미취업 청년. 연 10회 이내', 'Registered in Seoul (or at a Seoul university), aged 18 to 39 and not in work; up to ten times a year'),
    benefit: t('면접 정장·구두·넥타이 등 한 벌을 3박 4일 무료 대여 (협약 대여점, 택배 반납 가능)', 'A suit with shoes and tie for four days free at partner shops (can be returned by post)'),
    howToApply: applyPortal(SEOUL),
    deadline: t('면접일 기준 사전 예약', 'Book before the interview'),
    team: TEAM.jobs,
    documents: [t('면접 일정 확인 (문자·이메일 등)', 'Proof of the interview date (text or e-mail)'), D.id],
    legalBasis: lawOf(SEOUL, LAW_YOUTH),
    onlineUrl: 'https://youth.seoul.go.kr',
    rule: 'person.age >= 18 && person.age <= 39 && work.employmentType == "unemployed"',
  }),
  newlywedLoan(SEOUL, { rate: 3.0, limit: 30000, years: 4, income: 200, name: t('서울시 신혼부부 임차보증금 이자지원', 'Seoul Newlywed Rental Deposit Interest Support') }),
  postpartumCare(SEOUL, {
    amount: 100, months: 12, name: t('서울형 산후조리경비 지원', 'Seoul Postnatal Care Voucher'),
    voucher: t('출생아 1인당 100만원 바우처 (산후도우미·산후 필라테스·한약 등 지정 서비스에 사용)', 'A KRW 1,000,000 voucher per baby for postnatal helpers, postnatal exercise, herbal medicine and other listed services'),
  }),
  pregnantTransport(SEOUL, { amount: 70 }),
  infertility(SEOUL, { perCycle: 110, cycles: 25 }),
  multiChildCard(SEOUL, { name: t('서울시 다둥이 행복카드', 'Seoul Dadungi Happiness Card'), min: 2, perks: t('공영주차장 50% 할인, 서울대공원·시립 문화시설 입장료 감면, 가맹점 할인과 포인트 적립', '50% off at public car parks, reduced entry to Seoul Grand Park and city-run venues, discounts and points at partner shops') }),
  multiChildWater(SEOUL, { min: 3, rate: 30, cap: 30 }),
  veteranHonor(SEOUL, { monthly: 10, name: t('서울시 보훈예우수당', "Seoul Veterans' Honour Allowance") }),
  warVeteran(SEOUL, { monthly: 15 }),
  smallBiz(SEOUL, { foundation: t('서울신용보증재단', 'the Seoul Credit Guarantee Foundation'), limit: 7000, subsidy: 2.0 }),
  emergency(SEOUL, { name: t('서울형 긴급복지', 'Seoul Emergency Welfare Support'), amount1: 71, assets: 409_000_000 }),
  disabilityCallTaxi(SEOUL, {
    name: t('서울 장애인콜택시', 'Seoul Call Taxi for Disabled People'),
    fare: t('기본 5km 1,500원, 초과 1km당 100원 (지하철 요금의 약 3배 이내)', 'KRW 1,500 for the first 5 km, then KRW 100 per km (no more than about three subway fares)'),
    tel: t('서울시설공단 1588-4388', 'Seoul Facilities Corporation 1588-4388'),
  }),
  singleSafety(SEOUL, { name: t('서울시 1인가구 안심홈 4종 세트', 'Seoul Safe Home Kit for Single-Person Households'), benefit: t('현관문 보조키·스마트 초인종·창문 잠금장치·문 열림 센서 4종 설치 지원', 'Fitted free: a door lock, a smart doorbell, window locks and a door-open sensor') }),
  childMealCard(SEOUL, { name: t('서울시 아동급식 꿈나무카드', 'Seoul Kkumnamu Child Meal Card'), perMeal: 9000 }),
  petRegistration(SEOUL, { fee: 10000 }),
  culturePlus(SEOUL, { amount: 2 }),

  birthGrant(GANGNAM, { amounts: [200, 300, 500, 1000], residence: 6, name: t('강남구 출산양육지원금', 'Gangnam-gu Childbirth and Childcare Grant') }),
  postnatalHelperCopay(GANGNAM, { amount: 50 }),
  multiChildParking(GANGNAM, { min: 2, rate: 50 }),
  veteranHonor(GANGNAM, { monthly: 5 }),
  birthGrant(SONGPA, { amounts: [50, 100, 200, 300], residence: 6 }),
  longevity(SONGPA, { age: 90, monthly: 3 }),
  seniorBath(SONGPA, { age: 65, monthly: 1.5, income: 50 }),
  warVeteran(SONGPA, { monthly: 5 }),
  birthGrant(NOWON, { amounts: [30, 50, 100, 300], residence: 6 }),
  entranceGift(NOWON, { amount: 20 }),
  seniorBath(NOWON, { age: 65, monthly: 1, income: 50 }),
  warVeteran(NOWON, { monthly: 5 }),
  birthGrant(MAPO, { amounts: [30, 50, 100, 300] }),
  longevity(MAPO, { age: 95, monthly: 5 }),
  petRegistration(MAPO, { fee: 10000 }),
  veteranHonor(MAPO, { monthly: 5 }),
  birthGrant(GWANAK, { amounts: [20, 50, 100, 200] }),
  singleSafety(GWANAK, { name: t('관악구 1인가구 안심 지원', 'Gwanak-gu Safety Support for Single-Person Households'), benefit: t('안심 귀갓길 동행 서비스, 현관 CCTV·스마트 초인종 설치, 안심 택배함 이용', 'Walk-home companions, a door camera or smart doorbell, and secure parcel lockers') }),
  veteranHonor(GWANAK, { monthly: 4 }),
  birthGrant(SEOCHO, { amounts: [50, 100, 300, 500], residence: 6 }),
  postnatalHelperCopay(SEOCHO, { amount: 30 }),
  warVeteran(SEOCHO, { monthly: 7 }),
];

/** 부산광역시 */
const busan: ServiceEntry[] = [
  youthRent(BUSAN, { monthly: 20, months: 12, maxAge: 39, income: 150, name: t('부산 청년 월세 지원', 'Busan Youth Rent Support') }),
  youthJobSeeking(BUSAN, { name: t('부산 청년 디딤돌카드', 'Busan Youth Stepping-Stone Card'), monthly: 50, months: 6, minAge: 18, maxAge: 34, card: true }),
  youthAsset(BUSAN, { name: t('부산 청년 기쁨두배통장', 'Busan Youth Double Joy Savings'), save: 10, match: 10, years: 3, maxAge: 39, income: 140 }),
  entry(BUSAN, {
    slug: 'dongbaek-pass',
    name: t('부산 동백패스', 'Busan Dongbaek Pass'),
    field: 'transport',
    purpose: t('시민의 대중교통비 부담을 덜고 대중교통 이용을 늘립니다.', 'Caps what residents spend on public transport each month.'),
    target: t('부산에 사는 만 19~64세 시민', 'Residents of Busan aged 19 to 64'),
    criteria: t('부산광역시 주민등록, 동백패스 등록 교통카드로 시내버스·도시철도·마을버스 이용 (만 65세 이상은 어르신 무임 적용)', 'Registered in Busan and paying by a transport card registered for the Dongbaek Pass on city buses, metro and village buses (people 65 and over ride free instead)'),
    benefit: t('월 대중교통 이용액 중 4만5천원 초과분을 동백전(지역화폐)으로 환급 (월 최대 4만5천원)', 'Monthly fares above KRW 45,000 refunded in Dongbaekjeon local currency (up to KRW 45,000 a month)'),
    howToApply: t('동백패스 누리집·앱에서 교통카드 등록', 'Register your transport card on the Dongbaek Pass website or app'),
    deadline: ANYTIME,
    team: TEAM.transport,
    documents: [t('교통카드 등록 (별도 서류 없음)', 'Transport card registration (no paperwork)')],
    legalBasis: law(BUSAN, '대중교통 이용 활성화 및 지원에 관한 조례', 'Ordinance on Promoting Public Transport Use'),
    onlineUrl: 'https://www.busan.go.kr',
    rule: 'person.age >= 19 && person.age <= 64',
    lifeEvents: ['move'],
  }),
  newlywedLoan(BUSAN, { rate: 1.5, limit: 20000, years: 5, name: t('부산 신혼부부 임차보증금 대출이자 지원', 'Busan Newlywed Deposit Loan Interest Support') }),
  birthGrant(BUSAN, { amounts: [0, 50, 100, 100], name: t('부산 출산지원금', 'Busan Birth Support Grant') }),
  multiChildCard(BUSAN, { name: t('부산 가족사랑카드', 'Busan Family Love Card'), min: 2, perks: t('시립 공영주차장 50% 할인, 부산시 공공시설 입장료 감면, 가맹점 할인', '50% off at city car parks, reduced entry to city facilities, discounts at partner shops') }),
  multiChildWater(BUSAN, { min: 3, rate: 30, cap: 20 }),
  veteranHonor(BUSAN, { monthly: 5 }),
  warVeteran(BUSAN, { monthly: 10 }),
  smallBiz(BUSAN, { foundation: t('부산신용보증재단', 'the Busan Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  emergency(BUSAN, { name: t('부산형 긴급복지', 'Busan Emergency Welfare Support'), amount1: 60, assets: 300_000_000 }),
  disabilityCallTaxi(BUSAN, {
    name: t('부산 두리발 (장애인 특별교통수단)', 'Busan Duribal Accessible Call Taxi'),
    fare: t('기본 2km 1,300원 수준, 시내버스 요금의 3배 이내', 'From about KRW 1,300 for the first 2 km, capped at three bus fares'),
  }),
  childMealCard(BUSAN, { name: t('부산 아동급식카드', 'Busan Child Meal Card'), perMeal: 9000 }),

  birthGrant(HAEUNDAE, { amounts: [20, 50, 100, 200] }),
  longevity(HAEUNDAE, { age: 90, monthly: 3 }),
  veteranHonor(HAEUNDAE, { monthly: 3 }),
  birthGrant(BUSANJIN, { amounts: [10, 30, 100, 200] }),
  seniorBath(BUSANJIN, { age: 70, monthly: 1, income: 50 }),
  warVeteran(BUSANJIN, { monthly: 3 }),
  birthGrant(GIJANG, { amounts: [50, 100, 300, 500], residence: 6 }),
  entranceGift(GIJANG, { amount: 20, middle: 30 }),
  uniform(GIJANG, { amount: 30 }),
  warVeteran(GIJANG, { monthly: 5 }),
];

/** 대구광역시 (군위군 joined Daegu in 2023) */
const daegu: ServiceEntry[] = [
  youthRent(DAEGU, { monthly: 20, months: 10, maxAge: 39, income: 150, name: t('대구 청년 월세 지원', 'Daegu Youth Rent Support') }),
  youthJobSeeking(DAEGU, { name: t('대구 청년 사회진입활동 지원금', 'Daegu Youth Job-Entry Allowance'), monthly: 50, months: 3, maxAge: 39 }),
  youthStartup(DAEGU, { amount: 2000 }),
  newlywedLoan(DAEGU, { rate: 1.0, limit: 20000, years: 5 }),
  seniorTransport(DAEGU, {
    name: t('대구 어르신 시내버스 무임 교통', 'Daegu Free City Buses for Older Residents'),
    minAge: 70,
    benefit: t('시내버스·도시철도 무료 (어르신 교통카드, 무임 연령은 2024년 만 74세부터 매년 1세씩 낮춰 2028년 만 70세)', 'Free city buses and metro with the senior card (the free age falls one year a year from 74 in 2024 to 70 in 2028)'),
  }),
  multiChildCard(DAEGU, { name: t('대구 다자녀 가정 우대카드', 'Daegu Large Family Card'), min: 2, perks: t('공영주차장 50% 할인, 시립 문화·체육시설 이용료 감면, 가맹점 할인', '50% off at public car parks, reduced fees at city culture and sports venues, partner-shop discounts') }),
  multiChildWater(DAEGU, { min: 3, rate: 30, cap: 30 }),
  veteranHonor(DAEGU, { monthly: 5 }),
  warVeteran(DAEGU, { monthly: 10 }),
  smallBiz(DAEGU, { foundation: t('대구신용보증재단', 'the Daegu Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  disabilityCallTaxi(DAEGU, { name: t('대구 나드리콜', 'Daegu Nadeuri Call Accessible Taxi'), fare: t('시내버스 요금의 3배 이내 거리 요금', 'Distance fares no higher than three city-bus fares') }),
  childMealCard(DAEGU, { name: t('대구 아동급식카드', 'Daegu Child Meal Card'), perMeal: 9000 }),
  petRegistration(DAEGU, { fee: 10000 }),

  birthGrant(SUSEONG, { amounts: [20, 50, 100, 200] }),
  entranceGift(SUSEONG, { amount: 10 }),
  veteranHonor(SUSEONG, { monthly: 3 }),
  birthGrant(DALSEO, { amounts: [10, 50, 100, 300] }),
  longevity(DALSEO, { age: 90, monthly: 2 }),
  warVeteran(DALSEO, { monthly: 3 }),
  birthGrant(GUNWI, { amounts: [300, 500, 700, 1000], residence: 12 }),
  returnFarm(GUNWI, { amount: 500, house: 2000 }),
  youthSettle(GUNWI, { amount: 100 }),
  seniorBath(GUNWI, { age: 70, monthly: 1 }),
];

/** 인천광역시 */
const incheon: ServiceEntry[] = [
  entry(INCHEON, {
    slug: 'cheonsa-allowance',
    name: t('인천 천사지원금', 'Incheon 1004 Childcare Allowance'),
    field: 'childcare',
    purpose: t('아이 키우기 좋은 인천을 위해 만 1~7세 아동 양육비를 해마다 지원합니다 (인천형 출생정책 「1억+ 아이드림」).', "Pays a yearly childcare allowance for children aged 1 to 7, part of Incheon's 'i-Dream 100 million' birth policy."),
    target: t('2024년 이후 출생해 인천에 사는 만 1~7세 아동의 보호자', 'Parents of children born in 2024 or later, aged 1 to 7 and living in Incheon'),
    criteria: t('아동과 보호자가 인천광역시에 주민등록, 2024년 1월 1일 이후 출생한 아동 (소득 기준 없음)', 'Child and parent registered in Incheon; child born on or after 1 January 2024; no income test'),
    benefit: t('만 1~7세 동안 연 120만원 (월 10만원 상당, 총 840만원), 바우처 포인트 지급', 'KRW 1,200,000 a year (about KRW 100,000 a month) from age 1 to 7, KRW 8,400,000 in all, as voucher points'),
    howToApply: APPLY_LOCAL,
    deadline: t('매년 아동의 생일이 속한 해에 신청', 'Each year the child is eligible'),
    team: TEAM.birth,
    documents: [D.id, D.family],
    legalBasis: law(INCHEON, '출산장려 및 양육지원에 관한 조례', 'Ordinance on Childbirth Encouragement and Childcare Support'),
    onlineUrl: GOV24,
    rule: `children.exists(c, c.age >= 1 && c.age < 8 && ${after2024})`,
    lifeEvents: ['birth', 'move'],
  }),
  entry(INCHEON, {
    slug: 'thousand-won-house',
    name: t('인천 천원주택', 'Incheon 1,000-Won Homes'),
    field: 'housing',
    purpose: t('신혼부부의 주거비 부담을 하루 1천원 임대료로 덜어 결혼과 출산을 돕습니다.', 'Rents homes to newlyweds for KRW 1,000 a day to make starting a family affordable.'),
    target: t('인천에 살거나 살려는 무주택 신혼부부·예비 신혼부부', 'Newlywed or engaged couples who own no home and live in, or are moving to, Incheon'),
    criteria: t('혼인 7년 이내 또는 예비 신혼부부, 무주택 세대, 소득·자산이 공공임대 기준 이하 (인천도시공사 매입임대 주택)', 'Married up to 7 years or about to marry; own no home; income and assets within the public rental limits (Incheon Urban Corporation homes)'),
    benefit: t('보증금 없이 월 3만원(하루 1천원) 임대료로 최장 6년 거주', 'Live for up to six years with no deposit and KRW 30,000 a month (KRW 1,000 a day) in rent'),
    howToApply: t('인천도시공사 누리집 모집 공고에 따라 신청', "Apply in response to the Incheon Urban Corporation's call on its website"),
    deadline: ANNUAL,
    team: TEAM.housing,
    documents: [D.marriage, D.resident, D.income],
    legalBasis: law(INCHEON, '주거기본 조례', 'Framework Ordinance on Housing'),
    onlineUrl: 'https://www.ih.co.kr',
    rule: 'family.maritalStatus == "married" && person.age <= 39 && household.medianIncomePercent <= 150',
    lifeEvents: ['move'],
  }),
  pregnantTransport(INCHEON, { amount: 50 }),
  youthJobSeeking(INCHEON, { name: t('인천 청년 드림체크카드', 'Incheon Youth Dream Check Card'), monthly: 50, months: 6, maxAge: 39, card: true }),
  youthTransport(INCHEON, {
    name: t('인천 I-패스 청년 추가 환급', 'Incheon I-Pass Youth Extra Refund'),
    benefit: t('K-패스 환급에 더해 청년은 대중교통비의 30%까지 환급 (월 최대 60회)', 'On top of the K-Pass refund, young people get back up to 30% of fares (up to 60 rides a month)'),
  }),
  newlywedLoan(INCHEON, { rate: 2.0, limit: 20000, years: 5, name: t('인천 신혼부부 주택자금 대출이자 지원', 'Incheon Newlywed Housing Loan Interest Support') }),
  multiChildWater(INCHEON, { min: 3, rate: 30, cap: 20 }),
  farmerAllowance(INCHEON, { name: t('인천 농어업인 공익수당', 'Incheon Public-Value Allowance for Farmers and Fishers'), annual: 60, years: 2 }),
  veteranHonor(INCHEON, { monthly: 5 }),
  warVeteran(INCHEON, { monthly: 10 }),
  smallBiz(INCHEON, { foundation: t('인천신용보증재단', 'the Incheon Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  disabilityCallTaxi(INCHEON, { name: t('인천 장애인콜택시', 'Incheon Call Taxi for Disabled People'), fare: t('기본 5km 1,500원, 초과 시 km당 100원 수준', 'KRW 1,500 for the first 5 km, then about KRW 100 per km') }),
  childMealCard(INCHEON, { name: t('인천 아동급식카드', 'Incheon Child Meal Card'), perMeal: 9000 }),

  birthGrant(YEONSU, { amounts: [30, 50, 100, 200] }),
  postnatalHelperCopay(YEONSU, { amount: 30 }),
  veteranHonor(YEONSU, { monthly: 3 }),
  birthGrant(GANGHWA, { amounts: [200, 300, 500, 1000], residence: 12 }),
  returnFarm(GANGHWA, { amount: 300 }),
  uniform(GANGHWA, { amount: 30 }),
  longevity(GANGHWA, { age: 90, monthly: 3 }),
  warVeteran(GANGHWA, { monthly: 5 }),
];

/** 광주광역시 */
const gwangju: ServiceEntry[] = [
  youthJobSeeking(GWANGJU, { name: t('광주 청년드림수당', 'Gwangju Youth Dream Allowance'), monthly: 50, months: 6, maxAge: 39 }),
  youthRent(GWANGJU, { monthly: 20, months: 12 }),
  youthTransport(GWANGJU, {
    name: t('광주 청년 교통비 지원', 'Gwangju Youth Transport Allowance'),
    benefit: t('시내버스·도시철도 이용액의 일부를 분기별 최대 3만원씩, 연 최대 12만원 지역화폐로 환급', 'Part of bus and metro fares refunded in local currency: up to KRW 30,000 a quarter, KRW 120,000 a year'),
    apply: applyPortal(GWANGJU),
  }),
  entry(GWANGJU, {
    slug: 'birth-childcare-allowance',
    name: t('광주 출생육아수당', 'Gwangju Birth and Childcare Allowance'),
    field: 'childcare',
    purpose: t('영아기 가정의 양육비 부담을 덜어 출생을 장려합니다.', 'Helps families with the costs of a baby in the first two years.'),
    target: t('광주에 사는 생후 24개월 미만 아동의 보호자', 'Parents of children under 24 months living in Gwangju'),
    criteria: t('아동과 보호자가 광주광역시에 주민등록 (출생일 기준 보호자 6개월 이상 거주), 소득 기준 없음', 'Child and parent registered in Gwangju, the parent for at least six months before the birth; no income test'),
    benefit: t('생후 24개월까지 월 20만원 (국가 부모급여와 별도)', 'KRW 200,000 a month until the child is 24 months old, on top of the national parental benefit'),
    howToApply: APPLY_LOCAL,
    deadline: t('출생일로부터 60일 이내 신청 시 출생월부터 지급', 'Apply within 60 days of the birth to be paid from the month of birth'),
    team: TEAM.birth,
    documents: [D.id, D.bank, D.family],
    legalBasis: lawOf(GWANGJU, LAW_BIRTH),
    onlineUrl: GOV24,
    rule: 'children.exists(c, c.ageMonths < 24) && monthsBetween(person.moveInDate, today) >= 6',
    lifeEvents: ['birth', 'move'],
  }),
  infertility(GWANGJU, { perCycle: 50, cycles: 10 }),
  multiChildCard(GWANGJU, { name: t('광주 다자녀 가정 우대카드', 'Gwangju Large Family Card'), min: 2, perks: t('시 공영주차장·문화시설 이용료 감면, 가맹점 할인', 'Reduced fees at city car parks and culture venues, partner-shop discounts') }),
  newlywedLoan(GWANGJU, { rate: 1.5, limit: 15000, years: 4 }),
  veteranHonor(GWANGJU, { monthly: 5 }),
  warVeteran(GWANGJU, { monthly: 10 }),
  smallBiz(GWANGJU, { foundation: t('광주신용보증재단', 'the Gwangju Credit Guarantee Foundation'), limit: 3000, subsidy: 2.5 }),
  disabilityCallTaxi(GWANGJU, { name: t('광주 새빛콜', 'Gwangju Saebit Call Accessible Taxi'), fare: t('기본 2km 1,500원, 이후 km당 100원 수준', 'KRW 1,500 for the first 2 km, then about KRW 100 per km') }),
  childMealCard(GWANGJU, { name: t('광주 아동급식카드', 'Gwangju Child Meal Card'), perMeal: 9000 }),

  birthGrant(GWANGSAN, { amounts: [10, 30, 100, 300] }),
  entranceGift(GWANGSAN, { amount: 10 }),
  seniorBath(GWANGSAN, { age: 70, monthly: 1, income: 50 }),
  veteranHonor(GWANGSAN, { monthly: 3 }),
];

/** 대전광역시 */
const daejeon: ServiceEntry[] = [
  youthJobSeeking(DAEJEON, { name: t('대전 청년 취업희망카드', 'Daejeon Youth Job Hope Card'), monthly: 30, months: 6, minAge: 18, maxAge: 39, card: true }),
  youthRent(DAEJEON, { monthly: 20, months: 10 }),
  entry(DAEJEON, {
    slug: 'childcare-basic-allowance',
    name: t('대전형 양육기본수당', 'Daejeon Basic Childcare Allowance'),
    field: 'childcare',
    purpose: t('영유아 가정의 양육비 부담을 덜어 아이 키우기 좋은 대전을 만듭니다.', 'Helps families with the cost of raising babies and toddlers.'),
    target: t('대전에 사는 만 0~2세 아동의 보호자', 'Parents of children aged 0 to 2 living in Daejeon'),
    criteria: t('아동과 보호자가 대전광역시에 주민등록 (소득 기준 없음)', 'Child and parent registered in Daejeon; no income test'),
    benefit: t('만 0~2세 (36개월 미만) 월 30만원', 'KRW 300,000 a month until the child turns 3'),
    howToApply: APPLY_LOCAL,
    deadline: t('출생일로부터 60일 이내 신청 시 출생월부터 지급', 'Apply within 60 days of the birth to be paid from the month of birth'),
    team: TEAM.birth,
    documents: [D.id, D.bank],
    legalBasis: lawOf(DAEJEON, LAW_BIRTH),
    onlineUrl: GOV24,
    rule: 'children.exists(c, c.ageMonths < 36)',
    lifeEvents: ['birth', 'move'],
  }),
  newlywedLoan(DAEJEON, { rate: 2.0, limit: 15000, years: 5 }),
  multiChildCard(DAEJEON, { name: t('대전 꿈나무 사랑카드', 'Daejeon Kkumnamu Love Card'), min: 2, perks: t('공영주차장 50% 할인, 시 공공시설 입장료 감면, 가맹점 할인', '50% off at public car parks, reduced entry to city facilities, partner-shop discounts') }),
  infertility(DAEJEON, { perCycle: 50, cycles: 10 }),
  veteranHonor(DAEJEON, { monthly: 5 }),
  warVeteran(DAEJEON, { monthly: 10 }),
  smallBiz(DAEJEON, { foundation: t('대전신용보증재단', 'the Daejeon Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  disabilityCallTaxi(DAEJEON, { name: t('대전 교통약자 특별교통수단 (사랑나눔콜)', 'Daejeon Accessible Call Taxi (Sarang Nanum Call)'), fare: t('기본 5km 1,500원, 시내버스 요금의 3배 이내', 'KRW 1,500 for the first 5 km, capped at three bus fares') }),
  childMealCard(DAEJEON, { name: t('대전 아동급식카드 (꿈자람카드)', 'Daejeon Child Meal Card (Kkumjaram Card)'), perMeal: 9000 }),

  birthGrant(YUSEONG, { amounts: [0, 50, 100, 200] }),
  entranceGift(YUSEONG, { amount: 10 }),
  warVeteran(YUSEONG, { monthly: 3 }),
];

/** 울산광역시 */
const ulsan: ServiceEntry[] = [
  birthGrant(ULSAN, { amounts: [0, 100, 200, 300], name: t('울산 출산지원금', 'Ulsan Birth Support Grant') }),
  youthJobSeeking(ULSAN, { name: t('울산 청년 구직활동 지원금', 'Ulsan Youth Job-Seeking Allowance'), monthly: 50, months: 6, maxAge: 39 }),
  youthRent(ULSAN, { monthly: 20, months: 12 }),
  newlywedLoan(ULSAN, { rate: 1.5, limit: 15000, years: 5 }),
  pregnantTransport(ULSAN, { amount: 50 }),
  multiChildWater(ULSAN, { min: 3, rate: 30, cap: 20 }),
  veteranHonor(ULSAN, { monthly: 5 }),
  warVeteran(ULSAN, { monthly: 10 }),
  smallBiz(ULSAN, { foundation: t('울산신용보증재단', 'the Ulsan Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  disabilityCallTaxi(ULSAN, { name: t('울산 부르미 (장애인 특별교통수단)', 'Ulsan Burumi Accessible Call Taxi'), fare: t('기본 5km 1,400원 수준, 시내버스 요금의 3배 이내', 'About KRW 1,400 for the first 5 km, capped at three bus fares') }),

  birthGrant(ULJU, { amounts: [50, 100, 500, 1000], residence: 6 }),
  returnFarm(ULJU, { amount: 300 }),
  uniform(ULJU, { amount: 30 }),
  longevity(ULJU, { age: 90, monthly: 3 }),
];

/** 세종특별자치시 (no 시군구 below it) */
const sejong: ServiceEntry[] = [
  birthGrant(SEJONG, { amounts: [120, 120, 200, 200], name: t('세종 출산장려금', 'Sejong Childbirth Grant') }),
  postpartumCare(SEJONG, { amount: 50, months: 12 }),
  youthRent(SEJONG, { monthly: 20, months: 12 }),
  youthAsset(SEJONG, { name: t('세종 청년 희망통장', 'Sejong Youth Hope Savings'), save: 10, match: 10, years: 3, maxAge: 39 }),
  newlywedLoan(SEJONG, { rate: 1.5, limit: 15000, years: 5 }),
  seniorTransport(SEJONG, {
    name: t('세종 어르신 버스 무료 이용', 'Sejong Free Buses for Older Residents'), minAge: 65,
    benefit: t('세종 시내버스(BRT 포함) 무료 이용', 'Free rides on Sejong city buses, BRT included'),
  }),
  multiChildCard(SEJONG, { name: t('세종 다자녀 가정 우대카드', 'Sejong Large Family Card'), min: 2, perks: t('공영주차장 50% 할인, 시 공공시설 이용료 감면', '50% off at public car parks, reduced fees at city facilities') }),
  farmerAllowance(SEJONG, { name: t('세종 농업인 공익수당', 'Sejong Public-Value Allowance for Farmers'), annual: 60, years: 2, fishers: false }),
  veteranHonor(SEJONG, { monthly: 5 }),
  warVeteran(SEJONG, { monthly: 10 }),
  disabilityCallTaxi(SEJONG, { name: t('세종 누리콜 (교통약자 특별교통수단)', 'Sejong Nuri Call Accessible Taxi'), fare: t('기본 1,500원, 시내버스 요금의 3배 이내', 'From KRW 1,500, capped at three bus fares') }),
  petRegistration(SEJONG, { fee: 10000 }),
];

/** 경기도 and its 시군 */
const gyeonggi: ServiceEntry[] = [
  entry(GYEONGGI, {
    slug: 'youth-basic-income',
    name: t('경기 청년기본소득', 'Gyeonggi Youth Basic Income'),
    field: 'youth',
    purpose: t('청년의 사회참여와 역량 개발을 돕기 위해 만 24세 청년 모두에게 기본소득을 지급합니다.', 'Pays every 24-year-old resident a basic income to support their development and social participation.'),
    target: t('경기도에 3년 이상 계속 거주한 만 24세 청년', 'People aged 24 who have lived in Gyeonggi-do for at least three years in a row'),
    criteria: t('만 24세, 경기도에 계속 3년 이상 또는 합산 10년 이상 주민등록 (소득 기준 없음)', 'Aged 24; registered in Gyeonggi-do for three years in a row or ten years in total; no income test'),
    benefit: t('분기별 25만원, 연 100만원 (지역화폐)', 'KRW 250,000 a quarter, KRW 1,000,000 a year, in local currency'),
    howToApply: applyPortal(GYEONGGI),
    deadline: t('분기별 신청 기간 (만 24세가 되는 해)', 'Each quarter in the year you are 24'),
    team: TEAM.youth,
    documents: [t('본인 인증 (별도 서류 없음)', 'Identity verification (no paperwork)')],
    legalBasis: law(GYEONGGI, '청년기본소득 지급 조례', 'Ordinance on Youth Basic Income'),
    onlineUrl: 'https://apply.jobaba.net',
    rule: 'person.age >= 24 && person.age < 25 && monthsBetween(person.moveInDate, today) >= 36',
    lifeEvents: ['move'],
  }),
  youthInterview(GYEONGGI, { perTime: 5, times: 6, maxAge: 39 }),
  youthTransport(GYEONGGI, {
    name: t('The 경기패스 청년 추가 환급', 'The Gyeonggi Pass Youth Extra Refund'),
    benefit: t('만 19~39세 청년은 대중교통비의 30% 환급 (월 60회 한도, K-패스 환급에 더함)', 'Young people aged 19 to 39 get 30% of fares back (up to 60 rides a month, on top of the K-Pass)'),
  }),
  entry(GYEONGGI, {
    slug: 'teen-transport',
    name: t('경기 청소년 교통비 지원', 'Gyeonggi Teen Transport Allowance'),
    field: 'transport',
    purpose: t('청소년의 대중교통 이용 부담을 덜어 줍니다.', 'Makes public transport cheaper for teenagers and students.'),
    target: t('경기도에 사는 만 13~23세 청소년', 'Residents of Gyeonggi-do aged 13 to 23'),
    criteria: t('경기도 주민등록, 만 13~23세, 본인 명의 교통카드 사용 (The 경기패스 청년 환급과 중복 불가)', 'Registered in Gyeonggi-do; aged 13 to 23; uses a transport card in their own name (not with the Gyeonggi Pass youth refund)'),
    benefit: t('분기별 최대 4만원, 연 최대 16만원을 지역화폐로 환급', 'Up to KRW 40,000 a quarter, KRW 160,000 a year, refunded in local currency'),
    howToApply: t('경기도 청소년 교통비 누리집에서 분기별 신청', 'Apply each quarter on the Gyeonggi teen transport website'),
    deadline: t('분기별 신청 기간', 'Each quarter'),
    team: TEAM.transport,
    documents: [t('교통카드 번호 (별도 서류 없음)', 'Transport card number (no paperwork)')],
    legalBasis: law(GYEONGGI, '청소년 교통비 지원 조례', 'Ordinance on Transport Support for Young People'),
    onlineUrl: 'https://www.gg.go.kr',
    rule: 'person.age >= 13 && person.age <= 23',
  }),
  youthAsset(GYEONGGI, { name: t('경기 청년노동자 통장', 'Gyeonggi Young Workers Savings Account'), save: 10, match: 14, years: 2, maxAge: 34, income: 100 }),
  entry(GYEONGGI, {
    slug: 'young-worker-welfare-points',
    name: t('경기 청년 복지포인트', 'Gyeonggi Young Worker Welfare Points'),
    field: 'youth',
    purpose: t('중소기업에 다니는 청년 노동자의 복지 격차를 줄여 장기 근속을 돕습니다.', 'Narrows the welfare gap for young people working at small firms and helps them stay.'),
    target: t('경기도 중소·중견기업에 다니는 만 19~39세 청년 노동자', 'Workers aged 19 to 39 at small and mid-sized firms in Gyeonggi-do'),
    criteria: t('경기도 주민등록, 도내 중소·중견기업 재직, 월 급여 300만원 이하 (주 36시간 이상 근무)', 'Registered in Gyeonggi-do; working at least 36 hours a week at a small or mid-sized firm in the province; monthly pay up to KRW 3 million'),
    benefit: t('연 120만원 복지포인트 (분기별 30만원, 지정 쇼핑몰에서 사용)', 'KRW 1,200,000 a year in welfare points (KRW 300,000 a quarter) for a designated online mall'),
    howToApply: applyPortal(GYEONGGI),
    deadline: ANNUAL,
    team: TEAM.jobs,
    documents: [D.employment, t('급여명세서', 'Payslip')],
    legalBasis: lawOf(GYEONGGI, LAW_YOUTH),
    onlineUrl: 'https://apply.jobaba.net',
    rule: 'person.age >= 19 && person.age <= 39 && work.employmentType == "employee"',
  }),
  postpartumCare(GYEONGGI, { amount: 50, months: 12, name: t('경기도 산후조리비 지원', 'Gyeonggi Postnatal Care Allowance') }),
  infertility(GYEONGGI, { perCycle: 50, cycles: 10 }),
  multiChildCard(GYEONGGI, { name: t('경기 다자녀 i-플러스카드', 'Gyeonggi i-Plus Card for Large Families'), min: 2, perks: t('도내 공공시설 이용료 감면, 가맹점 할인·포인트 적립, 시군별 공영주차장 할인', 'Reduced fees at public facilities, partner-shop discounts and points, and car-park discounts in each city and county') }),
  farmerAllowance(GYEONGGI, { name: t('경기 농어민 기회소득', 'Gyeonggi Opportunity Income for Farmers and Fishers'), annual: 60, years: 3, law: law(GYEONGGI, '농어민 기회소득 지원 조례', 'Ordinance on Opportunity Income for Farmers and Fishers') }),
  entry(GYEONGGI, {
    slug: 'disability-opportunity-income',
    name: t('경기 장애인 기회소득', 'Gyeonggi Opportunity Income for Disabled People'),
    field: 'disability',
    purpose: t('장애인이 건강관리 활동을 하며 사회에 참여한 가치를 인정해 기회소득을 지급합니다.', 'Rewards disabled people who keep up health activities with a monthly opportunity income.'),
    target: t('경기도에 사는 만 19~64세 등록 장애인', 'Registered disabled people aged 19 to 64 living in Gyeonggi-do'),
    criteria: t('경기도 주민등록, 만 19~64세 등록 장애인, 가구 기준 중위소득 120% 이하, 스마트워치 등으로 월 6만 보 이상 걷기 등 건강 활동 인증', 'Registered in Gyeonggi-do and as disabled, aged 19 to 64, household income at or below 120% of the standard median income, and logs health activity such as 60,000 steps a month'),
    benefit: t('월 5만원씩 6개월 (연 30만원, 지역화폐)', 'KRW 50,000 a month for six months (KRW 300,000 a year) in local currency'),
    howToApply: APPLY_LOCAL,
    deadline: ANNUAL,
    team: TEAM.disability,
    documents: [D.disability, D.income],
    legalBasis: law(GYEONGGI, '장애인 기회소득 지원 조례', 'Ordinance on Opportunity Income for Disabled People'),
    onlineUrl: GOV24,
    rule: 'disability.registered && person.age >= 19 && person.age <= 64 && household.medianIncomePercent <= 120',
  }),
  seniorTransport(GYEONGGI, {
    name: t('경기 어르신 교통비 지원', 'Gyeonggi Transport Allowance for Older Residents'), minAge: 70,
    benefit: t('시내·마을버스 이용액을 분기별 최대 6만원, 연 최대 24만원 환급', 'Bus fares refunded up to KRW 60,000 a quarter, KRW 240,000 a year'),
    apply: t('경기도 어르신 교통비 누리집에 교통카드 등록 후 분기별 환급', 'Register your transport card on the Gyeonggi senior transport website; refunds every quarter'),
  }),
  emergency(GYEONGGI, { name: t('경기도형 긴급복지', 'Gyeonggi Emergency Welfare Support'), amount1: 70, assets: 300_000_000, income: 100 }),
  veteranHonor(GYEONGGI, { monthly: 5 }),
  warVeteran(GYEONGGI, { monthly: 10 }),
  smallBiz(GYEONGGI, { foundation: t('경기신용보증재단', 'the Gyeonggi Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  childMealCard(GYEONGGI, { name: t('경기 아동급식 G드림카드', 'Gyeonggi G-Dream Child Meal Card'), perMeal: 9000 }),

  birthGrant(SUWON, { amounts: [0, 50, 100, 300] }),
  multiChildWater(SUWON, { min: 3, rate: 20, cap: 20 }),
  veteranHonor(SUWON, { monthly: 5 }),
  longevity(SUWON, { age: 100, monthly: 10 }),
  birthGrant(SEONGNAM, { amounts: [30, 50, 100, 200] }),
  multiChildParking(SEONGNAM, { min: 2, rate: 50 }),
  entranceGift(SEONGNAM, { amount: 10 }),
  warVeteran(SEONGNAM, { monthly: 5 }),
  birthGrant(HWASEONG, { amounts: [100, 100, 200, 500] }),
  postnatalHelperCopay(HWASEONG, { amount: 30 }),
  uniform(HWASEONG, { amount: 30 }),
  multiChildWater(HWASEONG, { min: 3, rate: 30, cap: 20 }),
  birthGrant(YONGIN, { amounts: [30, 50, 100, 200] }),
  disabilityEnergy(YONGIN, { amount: 20 }),
  veteranHonor(YONGIN, { monthly: 5 }),
  birthGrant(GOYANG, { amounts: [0, 100, 200, 300] }),
  seniorBath(GOYANG, { age: 65, monthly: 1.5, income: 50 }),
  multiChildParking(GOYANG, { min: 2, rate: 50 }),
  warVeteran(GOYANG, { monthly: 5 }),
  birthGrant(YEONCHEON, { amounts: [300, 500, 700, 1000], residence: 6 }),
  youthSettle(YEONCHEON, { amount: 100 }),
  returnFarm(YEONCHEON, { amount: 300, house: 1000 }),
  longevity(YEONCHEON, { age: 85, monthly: 3 }),
  uniform(YEONCHEON, { amount: 30 }),
];

/** 강원특별자치도 */
const gangwon: ServiceEntry[] = [
  entry(GANGWON, {
    slug: 'childcare-basic-allowance',
    name: t('강원 육아기본수당', 'Gangwon Basic Childcare Allowance'),
    field: 'childcare',
    purpose: t('영유아 양육비 부담을 덜고 강원에서 아이를 낳아 기르도록 돕습니다.', 'Helps families with the cost of raising young children in Gangwon.'),
    target: t('강원에 사는 생후 48개월 미만 아동의 보호자', 'Parents of children under 48 months living in Gangwon'),
    criteria: t('아동과 보호자가 강원특별자치도에 주민등록 (소득 기준 없음), 다른 시도로 전출하면 지급 중지', 'Child and parent registered in Gangwon; no income test; payments stop if the family moves to another province'),
    benefit: t('생후 48개월까지 월 30만원 (국가 부모급여·아동수당과 별도)', 'KRW 300,000 a month until 48 months, on top of the national parental benefit and child allowance'),
    howToApply: APPLY_LOCAL,
    deadline: t('출생일로부터 60일 이내 신청 시 출생월부터 지급', 'Apply within 60 days of the birth to be paid from the month of birth'),
    team: TEAM.birth,
    documents: [D.id, D.bank],
    legalBasis: lawOf(GANGWON, LAW_BIRTH),
    onlineUrl: GOV24,
    rule: 'children.exists(c, c.ageMonths < 48)',
    lifeEvents: ['birth', 'move'],
  }),
  youthRent(GANGWON, { monthly: 20, months: 12 }),
  youthJobSeeking(GANGWON, { name: t('강원 청년 구직활동 지원금', 'Gangwon Youth Job-Seeking Allowance'), monthly: 50, months: 6, maxAge: 39 }),
  postpartumCare(GANGWON, { amount: 50, months: 12 }),
  farmerAllowance(GANGWON, { name: t('강원 농업인 수당', "Gangwon Farmers' Allowance"), annual: 70, years: 2, fishers: false, law: law(GANGWON, '농업인 수당 지원 조례', "Ordinance on Farmers' Allowances") }),
  winterHeating(GANGWON, { amount: 10 }),
  multiChildCard(GANGWON, { name: t('강원 다자녀 가정 우대카드', 'Gangwon Large Family Card'), min: 2, perks: t('도립 시설 입장료·공영주차장 요금 감면, 가맹점 할인', 'Reduced entry to provincial facilities and public car parks, partner-shop discounts') }),
  veteranHonor(GANGWON, { monthly: 5 }),
  warVeteran(GANGWON, { monthly: 10 }),
  smallBiz(GANGWON, { foundation: t('강원신용보증재단', 'the Gangwon Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  disabilityCallTaxi(GANGWON, { name: t('강원 광역 교통약자 이동지원 (특별교통수단)', 'Gangwon Accessible Transport Service'), fare: t('시군 내 시내버스 요금의 3배 이내, 시군 간 이동 가능', 'No more than three bus fares within a city or county; trips between them possible') }),

  birthGrant(CHUNCHEON, { amounts: [50, 100, 300, 500] }),
  youthRent(CHUNCHEON, { monthly: 10, months: 12 }),
  warVeteran(CHUNCHEON, { monthly: 5 }),
  petRegistration(CHUNCHEON, { fee: 10000 }),
  birthGrant(GANGNEUNG, { amounts: [100, 150, 300, 500] }),
  seniorBath(GANGNEUNG, { age: 70, monthly: 1, income: 50 }),
  veteranHonor(GANGNEUNG, { monthly: 3 }),
  birthGrant(JEONGSEON, { amounts: [500, 700, 1000, 1500], residence: 6 }),
  youthSettle(JEONGSEON, { amount: 100 }),
  returnFarm(JEONGSEON, { amount: 500, house: 1500 }),
  winterHeating(JEONGSEON, { amount: 20 }),
  longevity(JEONGSEON, { age: 90, monthly: 5 }),
];

/** 충청북도 */
const chungbuk: ServiceEntry[] = [
  entry(CHUNGBUK, {
    slug: 'birth-childcare-allowance',
    name: t('충북 출산육아수당', 'Chungbuk Birth and Childcare Allowance'),
    field: 'childcare',
    purpose: t('출산 가정의 양육비 부담을 덜기 위해 5년에 걸쳐 1천만원을 지원합니다.', 'Pays KRW 10 million over five years to each family with a new baby.'),
    target: t('2024년 이후 태어나 충북에 사는 아동의 부모', 'Parents of children born in 2024 or later who live in Chungbuk'),
    criteria: t('출생일 기준 부모가 충북에 주민등록, 2024년 1월 1일 이후 출생아 (소득 기준 없음). 도와 시군이 함께 지급', 'A parent registered in Chungbuk when the baby is born; births from 1 January 2024; no income test; paid jointly by the province and the city or county'),
    benefit: t('출생 시 300만원, 1~4세 매년 175만원 (5년간 총 1,000만원)', 'KRW 3,000,000 at birth, then KRW 1,750,000 each year from age 1 to 4 (KRW 10,000,000 in all)'),
    howToApply: t('출생신고 시 읍·면·동 행정복지센터에서 함께 신청', 'At the community service centre when registering the birth'),
    deadline: t('출생일로부터 1년 이내 (이후 연차 지급은 자동)', 'Within a year of the birth; later instalments are paid automatically'),
    team: TEAM.birth,
    documents: [D.id, D.bank, D.family],
    legalBasis: lawOf(CHUNGBUK, LAW_BIRTH),
    onlineUrl: GOV24,
    rule: `children.exists(c, c.age < 5 && ${after2024})`,
    lifeEvents: ['birth', 'move'],
  }),
  youthRent(CHUNGBUK, { monthly: 20, months: 10 }),
  youthStartup(CHUNGBUK, { amount: 1500 }),
  infertility(CHUNGBUK, { perCycle: 50, cycles: 10 }),
  farmerAllowance(CHUNGBUK, { name: t('충북 농업인 공익수당', 'Chungbuk Public-Value Allowance for Farmers'), annual: 50, years: 2, fishers: false }),
  multiChildCard(CHUNGBUK, { name: t('충북 다자녀 가정 우대카드', 'Chungbuk Large Family Card'), min: 2, perks: t('도립 시설·공영주차장 이용료 감면, 가맹점 할인', 'Reduced fees at provincial facilities and public car parks, partner-shop discounts') }),
  veteranHonor(CHUNGBUK, { monthly: 5 }),
  warVeteran(CHUNGBUK, { monthly: 10 }),
  smallBiz(CHUNGBUK, { foundation: t('충북신용보증재단', 'the Chungbuk Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  winterHeating(CHUNGBUK, { amount: 10 }),

  birthGrant(CHEONGJU, { amounts: [30, 100, 200, 300] }),
  multiChildWater(CHEONGJU, { min: 3, rate: 30, cap: 20 }),
  veteranHonor(CHEONGJU, { monthly: 5 }),
  uniform(CHEONGJU, { amount: 30 }),
  birthGrant(GOESAN, { amounts: [300, 500, 1000, 1500], residence: 6 }),
  returnFarm(GOESAN, { amount: 500, house: 1000 }),
  youthSettle(GOESAN, { amount: 100 }),
  seniorCentre(GOESAN, { days: 5 }),
  filial(GOESAN, { age: 80, monthly: 2 }),
];

/** 충청남도 */
const chungnam: ServiceEntry[] = [
  entry(CHUNGNAM, {
    slug: 'baby-allowance',
    name: t('충남 아기수당', 'Chungnam Baby Allowance'),
    field: 'childcare',
    purpose: t('첫 돌까지 영아 가정의 양육비 부담을 덜어 줍니다.', 'Helps families with the costs of the first year.'),
    target: t('충남에 사는 생후 12개월 미만 영아의 보호자', 'Parents of babies under 12 months living in Chungnam'),
    criteria: t('영아와 보호자가 충청남도에 주민등록 (소득 기준 없음)', 'Baby and parent registered in Chungnam; no income test'),
    benefit: t('생후 12개월까지 월 10만원 (지역화폐)', 'KRW 100,000 a month in local currency until the first birthday'),
    howToApply: APPLY_LOCAL,
    deadline: t('출생일로부터 60일 이내 신청 시 출생월부터 지급', 'Apply within 60 days of the birth to be paid from the month of birth'),
    team: TEAM.birth,
    documents: [D.id, D.bank],
    legalBasis: lawOf(CHUNGNAM, LAW_BIRTH),
    onlineUrl: GOV24,
    rule: 'children.exists(c, c.ageMonths < 12)',
    lifeEvents: ['birth', 'move'],
  }),
  youthRent(CHUNGNAM, { monthly: 20, months: 10 }),
  youthInterview(CHUNGNAM, { perTime: 5, times: 6 }),
  pregnantTransport(CHUNGNAM, { amount: 50 }),
  farmerAllowance(CHUNGNAM, { name: t('충남 농어민수당', 'Chungnam Farmers and Fishers Allowance'), annual: 80, years: 1, law: law(CHUNGNAM, '농어민수당 지원 조례', 'Ordinance on Farmers and Fishers Allowances') }),
  seniorTransport(CHUNGNAM, {
    name: t('충남 75세 이상 어르신 시내버스 무료', 'Chungnam Free Buses from 75'), minAge: 75,
    benefit: t('도내 시내·농어촌버스 무료 (어르신 교통카드)', 'Free city and rural buses across the province with the senior card'),
  }),
  multiChildCard(CHUNGNAM, { name: t('충남 다둥이 행복카드', 'Chungnam Dadungi Happiness Card'), min: 2, perks: t('도립 시설·공영주차장 이용료 감면, 가맹점 할인', 'Reduced fees at provincial facilities and public car parks, partner-shop discounts') }),
  veteranHonor(CHUNGNAM, { monthly: 5 }),
  warVeteran(CHUNGNAM, { monthly: 10 }),
  smallBiz(CHUNGNAM, { foundation: t('충남신용보증재단', 'the Chungnam Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),

  birthGrant(CHEONAN, { amounts: [50, 100, 200, 300] }),
  multiChildWater(CHEONAN, { min: 3, rate: 30, cap: 20 }),
  entranceGift(CHEONAN, { amount: 10 }),
  warVeteran(CHEONAN, { monthly: 5 }),
  birthGrant(CHEONGYANG, { amounts: [500, 1000, 1500, 2000], residence: 12 }),
  returnFarm(CHEONGYANG, { amount: 500, house: 1500 }),
  seniorBath(CHEONGYANG, { age: 70, monthly: 1.5 }),
  longevity(CHEONGYANG, { age: 90, monthly: 3 }),
  schoolTrip(CHEONGYANG, { amount: 30 }),
];

/** 전북특별자치도 */
const jeonbuk: ServiceEntry[] = [
  youthJobSeeking(JEONBUK, { name: t('전북 청년활력수당', 'Jeonbuk Youth Vitality Allowance'), monthly: 50, months: 6, minAge: 18, maxAge: 39 }),
  youthAsset(JEONBUK, { name: t('전북 청년 함께 두배적금', 'Jeonbuk Youth Double Savings'), save: 10, match: 10, years: 2, maxAge: 39, income: 140 }),
  youthRent(JEONBUK, { monthly: 20, months: 12 }),
  farmerAllowance(JEONBUK, { name: t('전북 농민 공익수당', 'Jeonbuk Public-Value Allowance for Farmers'), annual: 60, years: 1, fishers: false, law: law(JEONBUK, '농민 공익수당 지원 조례', 'Ordinance on Public-Value Allowances for Farmers') }),
  pregnantTransport(JEONBUK, { amount: 50 }),
  multiChildCard(JEONBUK, { name: t('전북 다자녀 가정 우대카드', 'Jeonbuk Large Family Card'), min: 2, perks: t('도립 시설 입장료·공영주차장 요금 감면, 가맹점 할인', 'Reduced entry to provincial facilities and car parks, partner-shop discounts') }),
  veteranHonor(JEONBUK, { monthly: 5 }),
  warVeteran(JEONBUK, { monthly: 10 }),
  smallBiz(JEONBUK, { foundation: t('전북신용보증재단', 'the Jeonbuk Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  culturePlus(JEONBUK, { amount: 2 }),

  birthGrant(JEONJU, { amounts: [30, 50, 100, 200] }),
  youthRent(JEONJU, { monthly: 10, months: 12 }),
  multiChildParking(JEONJU, { min: 2, rate: 50 }),
  veteranHonor(JEONJU, { monthly: 3 }),
  birthGrant(JINAN, { amounts: [300, 500, 1000, 1500], residence: 6 }),
  returnFarm(JINAN, { amount: 500, house: 1000 }),
  youthSettle(JINAN, { amount: 100 }),
  schoolTrip(JINAN, { amount: 30 }),
  filial(JINAN, { age: 80, monthly: 2 }),
];

/** 전라남도 */
const jeonnam: ServiceEntry[] = [
  entry(JEONNAM, {
    slug: 'birth-basic-allowance',
    name: t('전남 출생기본수당', 'Jeonnam Birth Basic Allowance'),
    field: 'childcare',
    purpose: t('아이가 18세가 될 때까지 매달 기본수당을 지급해 아이 키우기 좋은 전남을 만듭니다.', 'Pays a monthly allowance from birth to age 18 to make Jeonnam a good place to raise children.'),
    target: t('2024년 이후 태어나 전남에 사는 만 18세 미만 아동의 보호자', 'Parents of children born in 2024 or later, under 18 and living in Jeonnam'),
    criteria: t('아동과 보호자가 전라남도에 주민등록, 보호자가 1년 이상 전남에 거주, 2024년 1월 1일 이후 출생 (소득 기준 없음)', 'Child and parent registered in Jeonnam, the parent for at least a year; child born on or after 1 January 2024; no income test'),
    benefit: t('만 18세까지 월 20만원 (도·시군 각 10만원, 아이 명의 계좌 또는 지역화폐)', 'KRW 200,000 a month until age 18 (half from the province, half from the city or county), paid into the child\'s account or as local currency'),
    howToApply: APPLY_LOCAL,
    deadline: t('출생일로부터 60일 이내 신청 시 출생월부터 지급', 'Apply within 60 days of the birth to be paid from the month of birth'),
    team: TEAM.birth,
    documents: [D.id, D.family, t('아동 명의 통장 사본', "Copy of the child's bank book")],
    legalBasis: law(JEONNAM, '출생기본수당 지급 조례', 'Ordinance on the Birth Basic Allowance'),
    onlineUrl: GOV24,
    rule: `children.exists(c, c.age < 18 && ${after2024}) && monthsBetween(person.moveInDate, today) >= 12`,
    lifeEvents: ['birth', 'move'],
  }),
  youthJobSeeking(JEONNAM, { name: t('전남 청년 구직활동수당', 'Jeonnam Youth Job-Seeking Allowance'), monthly: 50, months: 6, maxAge: 39 }),
  youthSettle(JEONNAM, { amount: 100, maxAge: 39, name: t('전남 청년 전남살이 정착 지원', 'Jeonnam Youth Settling-in Grant') }),
  farmerAllowance(JEONNAM, { name: t('전남 농어민 공익수당', 'Jeonnam Public-Value Allowance for Farmers and Fishers'), annual: 60, years: 1, law: law(JEONNAM, '농어민 공익수당 지원 조례', 'Ordinance on Public-Value Allowances for Farmers and Fishers') }),
  postpartumCare(JEONNAM, {
    amount: 70, months: 12, name: t('전남 공공산후조리원 이용료 감면', 'Jeonnam Public Postnatal Care Centre Discount'),
    voucher: t('도 공공산후조리원 2주 이용료 70% 감면 (다자녀·취약계층 면제)', '70% off two weeks at a provincial public postnatal care centre (free for large and vulnerable families)'),
  }),
  multiChildCard(JEONNAM, { name: t('전남 다자녀 가정 우대카드', 'Jeonnam Large Family Card'), min: 2, perks: t('도립 시설 입장료·공영주차장 요금 감면, 가맹점 할인', 'Reduced entry to provincial facilities and car parks, partner-shop discounts') }),
  veteranHonor(JEONNAM, { monthly: 5 }),
  warVeteran(JEONNAM, { monthly: 10 }),
  smallBiz(JEONNAM, { foundation: t('전남신용보증재단', 'the Jeonnam Credit Guarantee Foundation'), limit: 5000, subsidy: 2.5 }),
  culturePlus(JEONNAM, { amount: 2 }),

  birthGrant(SUNCHEON, { amounts: [100, 200, 300, 500] }),
  postnatalHelperCopay(SUNCHEON, { amount: 30 }),
  entranceGift(SUNCHEON, { amount: 10, middle: 20 }),
  warVeteran(SUNCHEON, { monthly: 5 }),
  birthGrant(HAENAM, { amounts: [300, 350, 600, 720], residence: 6 }),
  returnFarm(HAENAM, { amount: 300, house: 1000 }),
  filial(HAENAM, { age: 80, monthly: 2 }),
  schoolTrip(HAENAM, { amount: 30 }),
  seniorBath(HAENAM, { age: 70, monthly: 1 }),
  birthGrant(SINAN, { amounts: [300, 500, 1000, 1500], residence: 6 }),
  youthSettle(SINAN, { amount: 150 }),
  filial(SINAN, { age: 75, monthly: 3 }),
  seniorCentre(SINAN, { days: 5 }),
];

/** 경상북도 */
const gyeongbuk: ServiceEntry[] = [
  youthRent(GYEONGBUK, { monthly: 20, months: 10 }),
  youthStartup(GYEONGBUK, { amount: 3000 }),
  farmerAllowance(GYEONGBUK, { name: t('경북 농어민수당', 'Gyeongbuk Farmers and Fishers Allowance'), annual: 60, years: 1 }),
  pregnantTransport(GYEONGBUK, { amount: 50 }),
  infertility(GYEONGBUK, { perCycle: 50, cycles: 10 }),
  multiChildCard(GYEONGBUK, { name: t('경북 다자녀 가정 우대카드', 'Gyeongbuk Large Family Card'), min: 2, perks: t('도립 시설 입장료·공영주차장 요금 감면, 가맹점 할인', 'Reduced entry to provincial facilities and car parks, partner-shop discounts') }),
  veteranHonor(GYEONGBUK, { monthly: 5 }),
  warVeteran(GYEONGBUK, { monthly: 10 }),
  smallBiz(GYEONGBUK, { foundation: t('경북신용보증재단', 'the Gyeongbuk Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  winterHeating(GYEONGBUK, { amount: 10 }),

  birthGrant(POHANG, { amounts: [50, 100, 300, 500] }),
  multiChildWater(POHANG, { min: 3, rate: 30, cap: 20 }),
  veteranHonor(POHANG, { monthly: 3 }),
  longevity(POHANG, { age: 90, monthly: 3 }),
  birthGrant(BONGHWA, { amounts: [700, 1000, 1500, 2000], residence: 12 }),
  returnFarm(BONGHWA, { amount: 500, house: 1500 }),
  youthSettle(BONGHWA, { amount: 100 }),
  filial(BONGHWA, { age: 80, monthly: 3 }),
  seniorBath(BONGHWA, { age: 70, monthly: 1.5 }),
];

/** 경상남도 */
const gyeongnam: ServiceEntry[] = [
  youthRent(GYEONGNAM, { monthly: 20, months: 12 }),
  youthJobSeeking(GYEONGNAM, { name: t('경남 청년 구직활동 지원금', 'Gyeongnam Youth Job-Seeking Allowance'), monthly: 50, months: 6, maxAge: 39 }),
  youthStartup(GYEONGNAM, { amount: 2000 }),
  newlywedLoan(GYEONGNAM, { rate: 1.5, limit: 15000, years: 5 }),
  farmerAllowance(GYEONGNAM, { name: t('경남 농어업인 수당', 'Gyeongnam Farmers and Fishers Allowance'), annual: 30, years: 1 }),
  multiChildCard(GYEONGNAM, { name: t('경남 다자녀 가정 우대카드', 'Gyeongnam Large Family Card'), min: 2, perks: t('도립 시설 입장료·공영주차장 요금 감면, 가맹점 할인', 'Reduced entry to provincial facilities and car parks, partner-shop discounts') }),
  veteranHonor(GYEONGNAM, { monthly: 5 }),
  warVeteran(GYEONGNAM, { monthly: 10 }),
  smallBiz(GYEONGNAM, { foundation: t('경남신용보증재단', 'the Gyeongnam Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  disabilityEnergy(GYEONGNAM, { amount: 15 }),

  birthGrant(CHANGWON, { amounts: [50, 100, 300, 500] }),
  entranceGift(CHANGWON, { amount: 10, middle: 20 }),
  multiChildParking(CHANGWON, { min: 2, rate: 50 }),
  warVeteran(CHANGWON, { monthly: 5 }),
  birthGrant(GIMHAE, { amounts: [30, 50, 100, 200] }),
  postnatalHelperCopay(GIMHAE, { amount: 30 }),
  veteranHonor(GIMHAE, { monthly: 3 }),
  birthGrant(GEOCHANG, { amounts: [200, 300, 700, 1000], residence: 6 }),
  returnFarm(GEOCHANG, { amount: 300, house: 1000 }),
  youthSettle(GEOCHANG, { amount: 100 }),
  uniform(GEOCHANG, { amount: 30 }),
  longevity(GEOCHANG, { age: 90, monthly: 3 }),
];

/** 제주특별자치도 (제주시 and 서귀포시 are administrative cities under the province's ordinances) */
const jeju: ServiceEntry[] = [
  birthGrant(JEJU, { amounts: [50, 100, 300, 500], name: t('제주 출산장려금', 'Jeju Childbirth Grant') }),
  youthJobSeeking(JEJU, { name: t('제주 청년 구직활동수당', 'Jeju Youth Job-Seeking Allowance'), monthly: 50, months: 6, minAge: 18, maxAge: 39 }),
  youthRent(JEJU, { monthly: 20, months: 12 }),
  seniorTransport(JEJU, {
    name: t('제주 어르신 버스 무료 이용', 'Jeju Free Buses for Older Residents'), minAge: 70,
    benefit: t('도내 시내·간선·지선버스 무료 (제주 어르신 교통카드)', 'Free city, trunk and branch buses across the island with the senior card'),
  }),
  longevity(JEJU, { age: 80, monthly: 3, residence: 12 }),
  farmerAllowance(JEJU, { name: t('제주 농어업인 공익수당', 'Jeju Public-Value Allowance for Farmers and Fishers'), annual: 50, years: 2 }),
  multiChildCard(JEJU, { name: t('제주 다자녀 가정 우대카드', 'Jeju Large Family Card'), min: 2, perks: t('도 공영관광지·공영주차장 이용료 감면, 가맹점 할인', 'Reduced fees at public tourist sites and car parks, partner-shop discounts') }),
  veteranHonor(JEJU, { monthly: 5 }),
  warVeteran(JEJU, { monthly: 10 }),
  smallBiz(JEJU, { foundation: t('제주신용보증재단', 'the Jeju Credit Guarantee Foundation'), limit: 5000, subsidy: 2.0 }),
  disabilityCallTaxi(JEJU, { name: t('제주 교통약자 특별교통수단', 'Jeju Accessible Call Taxi'), fare: t('시내버스 요금의 3배 이내 거리 요금, 제주 전역 운행', 'Distance fares capped at three bus fares, island-wide') }),

  postnatalHelperCopay(JEJU_SI, { amount: 30 }),
  seniorBath(JEJU_SI, { age: 70, monthly: 1, income: 50 }),
  petRegistration(JEJU_SI, { fee: 10000 }),
  postpartumCare(SEOGWIPO, {
    amount: 70, months: 12, name: t('서귀포 공공산후조리원 이용료 감면', 'Seogwipo Public Postnatal Care Centre Discount'),
    voucher: t('서귀포 공공산후조리원 2주 이용료 감면 (다자녀·한부모·저소득 가정 70%, 그 밖의 가정 일부)', 'Reduced fees for two weeks at the Seogwipo public postnatal care centre (70% off for large, single-parent and low-income families)'),
  }),
  returnFarm(SEOGWIPO, { amount: 300 }),
  seniorBath(SEOGWIPO, { age: 70, monthly: 1 }),
];

export const REGIONAL_SERVICES: ServiceEntry[] = [
  ...seoul, ...busan, ...daegu, ...incheon, ...gwangju, ...daejeon, ...ulsan, ...sejong, ...gyeonggi,
  ...gangwon, ...chungbuk, ...chungnam, ...jeonbuk, ...jeonnam, ...gyeongbuk, ...gyeongnam, ...jeju,
];
