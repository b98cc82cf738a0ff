// Jobs, vehicles, businesses, disabilities, veterans and the median income: the catalogues the
// generator draws from, with weights in rough proportion to Korean statistics.

/** 기준 중위소득 (monthly KRW by household size, 2026, Ministry of Health and Welfare notice). */
export const MEDIAN_INCOME_2026 = [0, 2_564_238, 4_199_292, 5_359_036, 6_494_738, 7_556_719, 8_555_952] as const;

/** The median income for a household size; above six persons each extra person adds what the sixth did. */
export function medianIncome(size: number): number {
  const table = MEDIAN_INCOME_2026;
  if (size <= 6) return table[Math.max(1, size)]!;
  return table[6] + (size - 6) * (table[6] - table[5]);
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

export const EMPLOYEE_JOBS: Weighted<string> = [
  ['사무원', 14], ['회계 사무원', 5], ['영업원', 6], ['소프트웨어 개발자', 5], ['간호사', 3], ['초등학교 교사', 2],
  ['중등학교 교사', 2], ['공무원', 5], ['경찰관', 1], ['소방관', 0.5], ['생산직 근로자', 10], ['건설 근로자', 5],
  ['물류 운반원', 3], ['택배 기사', 2], ['버스 운전기사', 1.5], ['요리사', 3], ['매장 판매원', 6], ['고객 상담원', 3],
  ['연구원', 2], ['기계 엔지니어', 2], ['전기 기술자', 2], ['보육교사', 2], ['요양보호사', 3], ['은행원', 1.5],
  ['디자이너', 1.5], ['의사', 0.6], ['약사', 0.4], ['청소원', 2], ['경비원', 1.5], ['조리 보조원', 2],
];

/** Jobs older employees (60+) mostly hold. */
export const SENIOR_JOBS: Weighted<string> = [
  ['경비원', 20], ['청소원', 20], ['요양보호사', 15], ['버스 운전기사', 5], ['조리 보조원', 10], ['생산직 근로자', 10],
  ['건설 근로자', 8], ['사무원', 7], ['공공근로 참여자', 5],
];

export interface BusinessKind {
  occupation: string;
  /** 업태 */
  businessType: string;
  /** 종목 */
  industry: string;
  /** `{x}` is replaced by a name stem, `{place}` by the 시군구 */
  tradeNames: readonly string[];
  weight: number;
  /** more common outside cities (군) */
  rural?: boolean;
}

export const BUSINESSES: readonly BusinessKind[] = [
  { occupation: '음식점 운영', businessType: '음식점업', industry: '한식 일반 음식점', tradeNames: ['{x}식당', '{x}국밥', '{x}분식', '{x}반점'], weight: 16 },
  { occupation: '카페 운영', businessType: '음식점업', industry: '커피전문점', tradeNames: ['카페 {x}', '{x}커피'], weight: 6 },
  { occupation: '편의점 운영', businessType: '소매업', industry: '편의점', tradeNames: ['GS25 {place}점', 'CU {place}점', '세븐일레븐 {place}점'], weight: 4 },
  { occupation: '소매점 운영', businessType: '소매업', industry: '의류 소매업', tradeNames: ['{x}상회', '{x}마트', '{x}의류'], weight: 10 },
  { occupation: '미용실 운영', businessType: '서비스업', industry: '미용업', tradeNames: ['{x}헤어', '헤어살롱 {x}'], weight: 5 },
  { occupation: '학원 운영', businessType: '교육서비스업', industry: '입시·보습 학원', tradeNames: ['{x}학원', '{x}수학교습소'], weight: 4 },
  { occupation: '개인택시 운전', businessType: '운수업', industry: '개인택시', tradeNames: ['개인택시 {x}'], weight: 6 },
  { occupation: '화물차 운전', businessType: '운수업', industry: '일반화물자동차 운송업', tradeNames: ['{x}운수', '{x}물류'], weight: 6 },
  { occupation: '농업인', businessType: '농업', industry: '작물재배업', tradeNames: ['{x}농원', '{x}농장'], weight: 8, rural: true },
  { occupation: '어업인', businessType: '어업', industry: '연근해 어업', tradeNames: ['{x}수산'], weight: 1.5, rural: true },
  { occupation: '인테리어 시공', businessType: '건설업', industry: '실내건축공사업', tradeNames: ['{x}인테리어', '{x}건설'], weight: 5 },
  { occupation: '부동산 중개', businessType: '서비스업', industry: '부동산중개업', tradeNames: ['{x}공인중개사사무소'], weight: 4 },
  { occupation: '세무사', businessType: '전문서비스업', industry: '세무사업', tradeNames: ['{x}세무회계'], weight: 1 },
  { occupation: '온라인 쇼핑몰 운영', businessType: '소매업', industry: '전자상거래 소매업', tradeNames: ['{x}마켓', '{x}샵'], weight: 5 },
  { occupation: '프리랜서 디자이너', businessType: '서비스업', industry: '시각디자인업', tradeNames: ['스튜디오 {x}', '{x}디자인'], weight: 3 },
];

export const TRADE_STEMS = ['하나', '행복', '새봄', '푸른', '한빛', '미소', '다온', '온누리', '소나무', '청솔', '은하', '가람', '별빛', '한결', '늘봄', '으뜸', '우리', '정다운', '해밀', '초록'] as const;

export type Fuel = 'gasoline' | 'diesel' | 'lpg' | 'hybrid' | 'electric';

export interface VehicleModel {
  model: string;
  fuels: readonly Fuel[];
  /** first model year sold in Korea */
  since: number;
  weight: number;
}

export const VEHICLES: readonly VehicleModel[] = [
  { model: '현대 아반떼', fuels: ['gasoline', 'gasoline', 'hybrid', 'lpg'], since: 1995, weight: 10 },
  { model: '현대 쏘나타', fuels: ['gasoline', 'lpg', 'hybrid'], since: 1990, weight: 9 },
  { model: '현대 그랜저', fuels: ['gasoline', 'hybrid', 'lpg'], since: 1990, weight: 10 },
  { model: '현대 싼타페', fuels: ['diesel', 'gasoline', 'hybrid'], since: 2001, weight: 5 },
  { model: '현대 투싼', fuels: ['diesel', 'gasoline', 'hybrid'], since: 2005, weight: 4 },
  { model: '현대 팰리세이드', fuels: ['diesel', 'gasoline'], since: 2019, weight: 3 },
  { model: '현대 캐스퍼', fuels: ['gasoline', 'electric'], since: 2022, weight: 2 },
  { model: '현대 아이오닉 5', fuels: ['electric'], since: 2021, weight: 2 },
  { model: '현대 포터2', fuels: ['diesel', 'lpg', 'electric'], since: 2004, weight: 5 },
  { model: '기아 모닝', fuels: ['gasoline'], since: 2004, weight: 5 },
  { model: '기아 레이', fuels: ['gasoline', 'electric'], since: 2012, weight: 4 },
  { model: '기아 K3', fuels: ['gasoline'], since: 2013, weight: 3 },
  { model: '기아 K5', fuels: ['gasoline', 'lpg', 'hybrid'], since: 2010, weight: 5 },
  { model: '기아 K8', fuels: ['gasoline', 'hybrid', 'lpg'], since: 2021, weight: 3 },
  { model: '기아 쏘렌토', fuels: ['diesel', 'hybrid', 'gasoline'], since: 2002, weight: 6 },
  { model: '기아 스포티지', fuels: ['diesel', 'gasoline', 'hybrid'], since: 2004, weight: 4 },
  { model: '기아 카니발', fuels: ['diesel', 'gasoline', 'hybrid'], since: 1998, weight: 5 },
  { model: '기아 셀토스', fuels: ['gasoline'], since: 2019, weight: 2 },
  { model: '기아 EV6', fuels: ['electric'], since: 2021, weight: 1.5 },
  { model: '기아 봉고3', fuels: ['diesel', 'lpg', 'electric'], since: 2004, weight: 3 },
  { model: '제네시스 G80', fuels: ['gasoline', 'electric'], since: 2016, weight: 3 },
  { model: '제네시스 GV70', fuels: ['gasoline', 'diesel', 'electric'], since: 2020, weight: 1.5 },
  { model: '제네시스 G90', fuels: ['gasoline'], since: 2016, weight: 0.7 },
  { model: '쉐보레 스파크', fuels: ['gasoline'], since: 2011, weight: 2 },
  { model: '쉐보레 트랙스', fuels: ['gasoline'], since: 2013, weight: 1.5 },
  { model: 'KG모빌리티 토레스', fuels: ['gasoline', 'electric'], since: 2022, weight: 1 },
  { model: 'KG모빌리티 렉스턴 스포츠', fuels: ['diesel'], since: 2018, weight: 1.5 },
  { model: '르노코리아 QM6', fuels: ['lpg', 'gasoline'], since: 2016, weight: 1.5 },
  { model: 'BMW 520i', fuels: ['gasoline', 'hybrid'], since: 2010, weight: 1.5 },
  { model: '메르세데스-벤츠 E 300', fuels: ['gasoline', 'hybrid'], since: 2010, weight: 1.5 },
  { model: '테슬라 모델 Y', fuels: ['electric'], since: 2021, weight: 1.2 },
  { model: '볼보 XC60', fuels: ['hybrid', 'gasoline'], since: 2018, weight: 0.5 },
  { model: '아우디 A6', fuels: ['gasoline', 'diesel'], since: 2012, weight: 0.6 },
  { model: '토요타 캠리', fuels: ['hybrid'], since: 2012, weight: 0.5 },
];

/** Hangul of private-car plates (하/허/호 are rental, 바/사/아/자 commercial, 배 delivery). */
export const PLATE_HANGUL = ['가', '나', '다', '라', '마', '거', '너', '더', '러', '머', '버', '서', '어', '저', '고', '노', '도', '로', '모', '보', '소', '오', '조', '구', '누', '두', '루', '무', '부', '수', '우', '주'] as const;

export type DisabilityType =
  | 'physical' | 'brain-lesion' | 'visual' | 'hearing' | 'speech' | 'intellectual' | 'autism' | 'mental'
  | 'kidney' | 'heart' | 'respiratory' | 'liver' | 'facial' | 'ostomy' | 'epilepsy';

/** Shares of registered disabled people by type (2023); developmental types are drawn for the young. */
export const DISABILITY_TYPES: Weighted<DisabilityType> = [
  ['physical', 44], ['hearing', 16], ['visual', 9.5], ['brain-lesion', 9.5], ['intellectual', 8.5], ['mental', 4],
  ['kidney', 4], ['autism', 1.4], ['speech', 0.9], ['respiratory', 0.4], ['ostomy', 0.6], ['epilepsy', 0.3],
  ['liver', 0.5], ['heart', 0.2], ['facial', 0.1],
];
export const YOUNG_DISABILITY_TYPES: Weighted<DisabilityType> = [
  ['intellectual', 45], ['autism', 25], ['physical', 8], ['brain-lesion', 8], ['hearing', 6], ['speech', 4], ['visual', 3], ['epilepsy', 1],
];

export type VeteranCategory = 'independence-merit' | 'war-veteran' | 'wounded-veteran' | 'bereaved-family' | 'democracy-merit' | 'special-mission';

/** Monthly benefit ranges (KRW) by category. */
export const VETERAN_BENEFIT: Record<VeteranCategory, readonly [number, number]> = {
  'independence-merit': [1_500_000, 3_200_000],
  'war-veteran': [420_000, 450_000],
  'wounded-veteran': [600_000, 3_600_000],
  'bereaved-family': [1_200_000, 2_000_000],
  'democracy-merit': [300_000, 1_200_000],
  'special-mission': [500_000, 1_500_000],
};
