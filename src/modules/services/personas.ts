import type { Text } from '../registries/index.ts';
import { calendarDate, monthsBetween } from './cel-env.ts';
import type { Facts } from './facts.ts';

/**
 * Sample residents for trying a rule before it is published: made-up people covering the life
 * situations rules are about (a newborn's family, an older person living alone, a young jobseeker,
 * a single parent, a person with a severe disability, a farmer, a small-business owner, a
 * veteran), with facts as the registries would give them. They are synthetic, so officials
 * authoring rules never read a real citizen's data.
 */

export interface Persona {
  id: string;
  label: Text;
  facts: Facts;
}

const day = (ymd: string) => calendarDate(ymd);
/** A person born on `birth`, as seen on `today`. */
function person(birth: string, today: Date, rest: Record<string, unknown>): Record<string, unknown> {
  const months = monthsBetween(day(birth), today);
  return { birthDate: day(birth), ageMonths: months, age: Math.floor(months / 12), nationality: 'KR', status: 'active', ...rest };
}
function child(birth: string, order: number, today: Date): Record<string, unknown> {
  const months = monthsBetween(day(birth), today);
  return { birthDate: day(birth), ageMonths: months, age: Math.floor(months / 12), order };
}
const none = { disability: { registered: false, severity: 'none', type: 'none' }, veteran: { registered: false, category: 'none' }, tax: { arrears: 0, totalPaid: 0 } };

/** The personas as of `today` (ages and months follow the day). */
export function personas(today: Date): Persona[] {
  const y = today.getUTCFullYear();
  return [
    {
      id: 'newborn-family',
      label: { ko: '갓 아기를 낳은 서울 강남구 맞벌이 부부의 엄마 (34세, 첫째 생후 1개월)', en: 'A working mother in Gangnam-gu, Seoul (34), first child one month old' },
      facts: {
        ...none,
        person: person(`${y - 34}-03-10`, today, { sex: 'F', sido: '서울특별시', sigungu: '강남구', moveInDate: day(`${y - 3}-05-01`), householdRole: 'spouse' }),
        family: { maritalStatus: 'married', childrenCount: 1, minorChildren: 1, singleParent: false },
        children: [child(new Date(today.getTime() - 35 * 86_400_000).toISOString().slice(0, 10), 1, today)],
        household: { size: 3, monthlyIncome: 6_800_000, assets: 180_000_000, medianIncomePercent: 127 },
        work: { employmentType: 'employee', occupation: '회사원', businessOwner: false },
        insurance: { insuredType: 'employee', insured: true, monthlyPremium: 240_000 },
        licence: { holder: true, status: 'valid', renewalDue: day(`${y + 4}-03-10`) },
        vehicles: [],
      },
    },
    {
      id: 'senior-alone',
      label: { ko: '부산 해운대구에 혼자 사는 77세 어르신 (사별, 저소득)', en: 'A widow of 77 living alone in Haeundae-gu, Busan, on a low income' },
      facts: {
        ...none,
        person: person(`${y - 77}-08-15`, today, { sex: 'F', sido: '부산광역시', sigungu: '해운대구', moveInDate: day(`${y - 30}-01-01`), householdRole: 'head' }),
        family: { maritalStatus: 'widowed', childrenCount: 2, minorChildren: 0, singleParent: false },
        children: [child(`${y - 50}-02-01`, 1, today), child(`${y - 47}-06-01`, 2, today)],
        household: { size: 1, monthlyIncome: 700_000, assets: 40_000_000, medianIncomePercent: 27 },
        work: { employmentType: 'retired', occupation: '무직', businessOwner: false },
        insurance: { insuredType: 'dependent', insured: true, monthlyPremium: 0 },
        licence: { holder: false, status: 'none' },
        vehicles: [],
      },
    },
    {
      id: 'young-jobseeker',
      label: { ko: '대전 유성구의 27세 구직자 (1인 가구, 월세)', en: 'A jobseeker of 27 in Yuseong-gu, Daejeon, living alone and renting' },
      facts: {
        ...none,
        person: person(`${y - 27}-11-20`, today, { sex: 'M', sido: '대전광역시', sigungu: '유성구', moveInDate: day(`${y - 1}-02-15`), householdRole: 'head' }),
        family: { maritalStatus: 'single', childrenCount: 0, minorChildren: 0, singleParent: false },
        children: [],
        household: { size: 1, monthlyIncome: 0, assets: 8_000_000, medianIncomePercent: 0 },
        work: { employmentType: 'unemployed', occupation: '구직자', businessOwner: false },
        insurance: { insuredType: 'self-employed', insured: true, monthlyPremium: 19_000 },
        licence: { holder: true, status: 'valid', renewalDue: day(`${y + 7}-11-20`) },
        vehicles: [],
      },
    },
    {
      id: 'single-parent',
      label: { ko: '광주 광산구의 한부모 (38세, 자녀 둘, 중위소득 55%)', en: 'A single parent of 38 in Gwangsan-gu, Gwangju, two children, 55% of the median income' },
      facts: {
        ...none,
        person: person(`${y - 38}-04-04`, today, { sex: 'F', sido: '광주광역시', sigungu: '광산구', moveInDate: day(`${y - 6}-09-01`), householdRole: 'head' }),
        family: { maritalStatus: 'divorced', childrenCount: 2, minorChildren: 2, singleParent: true },
        children: [child(`${y - 9}-07-07`, 1, today), child(`${y - 5}-12-12`, 2, today)],
        household: { size: 3, monthlyIncome: 2_950_000, assets: 30_000_000, medianIncomePercent: 55 },
        work: { employmentType: 'employee', occupation: '간호조무사', businessOwner: false },
        insurance: { insuredType: 'employee', insured: true, monthlyPremium: 105_000 },
        licence: { holder: true, status: 'valid', renewalDue: day(`${y}-12-31`) },
        vehicles: [{ plateNumber: '123가4567', modelYear: y - 9, nextInspectionDue: new Date(today.getTime() + 20 * 86_400_000) }],
      },
    },
    {
      id: 'severe-disability',
      label: { ko: '경기 수원시의 심한 장애가 있는 45세 (기초수급)', en: 'A man of 45 with a severe disability in Suwon, Gyeonggi, on basic livelihood security' },
      facts: {
        ...none,
        person: person(`${y - 45}-01-30`, today, { sex: 'M', sido: '경기도', sigungu: '수원시', moveInDate: day(`${y - 12}-03-01`), householdRole: 'head' }),
        family: { maritalStatus: 'single', childrenCount: 0, minorChildren: 0, singleParent: false },
        children: [],
        household: { size: 1, monthlyIncome: 400_000, assets: 5_000_000, medianIncomePercent: 15 },
        work: { employmentType: 'unemployed', occupation: '무직', businessOwner: false },
        disability: { registered: true, severity: 'severe', type: 'physical', nextReviewDue: day(`${y + 1}-06-30`) },
        insurance: { insuredType: 'medical-aid', insured: true, monthlyPremium: 0 },
        licence: { holder: false, status: 'none' },
        vehicles: [],
      },
    },
    {
      id: 'farmer',
      label: { ko: '전남 해남군의 62세 농업인 부부 (귀농 3년)', en: 'A farming couple in Haenam-gun, Jeonnam (62), three years after moving from the city' },
      facts: {
        ...none,
        person: person(`${y - 62}-10-10`, today, { sex: 'M', sido: '전라남도', sigungu: '해남군', moveInDate: day(`${y - 3}-04-01`), householdRole: 'head' }),
        family: { maritalStatus: 'married', childrenCount: 1, minorChildren: 0, singleParent: false },
        children: [child(`${y - 33}-05-05`, 1, today)],
        household: { size: 2, monthlyIncome: 2_100_000, assets: 210_000_000, medianIncomePercent: 50 },
        work: { employmentType: 'self-employed', occupation: '농업인', businessOwner: false },
        insurance: { insuredType: 'self-employed', insured: true, monthlyPremium: 88_000, nextCheckupDue: new Date(today.getTime() + 40 * 86_400_000) },
        licence: { holder: true, status: 'valid', renewalDue: new Date(today.getTime() + 60 * 86_400_000) },
        vehicles: [{ plateNumber: '45나6789', modelYear: y - 12, nextInspectionDue: new Date(today.getTime() + 10 * 86_400_000) }],
      },
    },
    {
      id: 'shop-owner',
      label: { ko: '제주시에서 식당을 하는 41세 소상공인 (5년째)', en: 'A restaurant owner of 41 in Jeju City, five years in business' },
      facts: {
        ...none,
        person: person(`${y - 41}-06-18`, today, { sex: 'F', sido: '제주특별자치도', sigungu: '제주시', moveInDate: day(`${y - 8}-01-10`), householdRole: 'head' }),
        family: { maritalStatus: 'married', childrenCount: 3, minorChildren: 3, singleParent: false },
        children: [child(`${y - 12}-01-01`, 1, today), child(`${y - 9}-03-03`, 2, today), child(`${y - 4}-09-09`, 3, today)],
        household: { size: 5, monthlyIncome: 5_200_000, assets: 320_000_000, medianIncomePercent: 69 },
        work: { employmentType: 'self-employed', occupation: '음식점업', businessOwner: true, businessYears: 5 },
        insurance: { insuredType: 'self-employed', insured: true, monthlyPremium: 210_000 },
        licence: { holder: true, status: 'valid', renewalDue: day(`${y + 2}-06-18`) },
        vehicles: [{ plateNumber: '67다8901', modelYear: y - 4, nextInspectionDue: day(`${y + 1}-09-01`) }],
      },
    },
    {
      id: 'veteran',
      label: { ko: '대구 수성구의 80세 참전유공자', en: 'A war veteran of 80 in Suseong-gu, Daegu' },
      facts: {
        ...none,
        person: person(`${y - 80}-02-02`, today, { sex: 'M', sido: '대구광역시', sigungu: '수성구', moveInDate: day(`${y - 40}-01-01`), householdRole: 'head' }),
        family: { maritalStatus: 'married', childrenCount: 3, minorChildren: 0, singleParent: false },
        children: [child(`${y - 52}-01-01`, 1, today), child(`${y - 50}-01-01`, 2, today), child(`${y - 47}-01-01`, 3, today)],
        household: { size: 2, monthlyIncome: 1_800_000, assets: 150_000_000, medianIncomePercent: 43 },
        work: { employmentType: 'retired', occupation: '무직', businessOwner: false },
        veteran: { registered: true, category: 'war-veteran' },
        insurance: { insuredType: 'dependent', insured: true, monthlyPremium: 0 },
        licence: { holder: true, status: 'valid', renewalDue: new Date(today.getTime() + 25 * 86_400_000) },
        vehicles: [],
      },
    },
  ];
}
