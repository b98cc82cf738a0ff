/**
 * Situations people describe, and what the government has for them (docs/assistant.md). A
 * situation is matched on the normalised message with the spaces taken out (so "아이가태어났어요"
 * and "아이가 태어났어요" both match), and brings up catalogue entries by id and by field. These are
 * the assistant's world knowledge beyond the catalogue's own words: the catalogue says
 * "출생아 가정", people say "애기 낳았어요".
 */

export interface Situation {
  name: string;
  /** Tested on the normalised message followed by the same with its spaces taken out (Korean without spaces; English with word boundaries). */
  pattern: RegExp;
  services: string[];
  fields?: string[];
}

export const SITUATIONS: Situation[] = [
  { name: 'birth', pattern: /태어|출산|출생|낳았|낳은|낳고|아기|애기|신생아|갓난|newborn|baby|gavebirth|hadababy|born|birth/, services: ['first-meeting-voucher', 'parental-benefit', 'child-allowance', 'birth-registration', 'postnatal-care-helper', 'newborn-family-electricity-discount'], fields: ['pregnancy', 'childcare'] },
  { name: 'pregnancy', pattern: /임신|임산부|산모|출산예정|pregnan|expecting/, services: ['pregnancy-birth-medical-voucher', 'maternity-leave-pay', 'postnatal-care-helper', 'infertility-treatment-support'], fields: ['pregnancy'] },
  { name: 'infertility', pattern: /난임|시험관|infertil|ivf/, services: ['infertility-treatment-support'] },
  { name: 'childcare', pattern: /어린이집|유치원|보육|육아|양육|아이돌봄|돌봄|childcare|daycare|kindergarten|nursery|raisingkids|toddler/, services: ['home-childcare-allowance', 'childcare-fee-support', 'kindergarten-tuition-support', 'childminding-service', 'parental-leave-pay', 'child-allowance'], fields: ['childcare'] },
  { name: 'parental-leave', pattern: /육아휴직|출산휴가|휴직|배우자출산|회사(를|좀)?쉬|parentalleave|maternityleave|paternity|timeoffwork/, services: ['parental-leave-pay', 'maternity-leave-pay', 'paternity-leave-pay'] },
  { name: 'single-parent', pattern: /한부모|혼자(애|아이|아기|키우)|미혼모|싱글맘|싱글대디|singleparent|singlemom|singlemother|singledad|singlefather|raisingalone/, services: ['single-parent-child-support', 'teen-single-parent-support'] },
  { name: 'marriage', pattern: /결혼(하|했|해|예정|준비|식)|신혼|예비부부|newlywed|gettingmarried|justmarried|wedding/, services: ['beotimmok-jeonse-loan', 'didimdol-home-loan'], fields: ['housing'] },
  { name: 'move', pattern: /이사|전입|이주|새집|주소(이전|변경|바뀌)|moved|moving|relocat|newaddress|newhome|newhouse/, services: ['moving-in-report'], fields: ['housing'] },
  { name: 'death', pattern: /돌아가|사망|별세|장례|상속|유족|죽었|죽은|숨졌|숨진|세상을?(떠|떴|뜨)|작고|여의|사별|passedaway|died|death|funeral|inherit|bereave/, services: ['death-registration', 'safe-inheritance-one-stop'] },
  { name: 'old-age', pattern: /65세|65살|(6[5-9]|[7-9]\d)(살|세|yearsold)|예순다섯|노인|어르신|노후|은퇴|퇴직했|연세|senior|elderly|retire|65|oldage|pension/, services: ['basic-pension', 'senior-jobs', 'old-age-pension', 'senior-flu-vaccination', 'dementia-screening', 'long-term-care-insurance', 'senior-customised-care'], fields: ['seniors'] },
  { name: 'dementia', pattern: /치매|기억력|dementia|alzheimer|memoryloss/, services: ['dementia-screening', 'long-term-care-insurance', 'senior-customised-care'] },
  { name: 'care', pattern: /요양|간병|장기요양|돌봐|부모님(을|를)?돌|carefor|caring|nursing|caregiver|takecareof|lookafter/, services: ['long-term-care-insurance', 'senior-customised-care'] },
  { name: 'job-loss', pattern: /실직|실업|해고|잘렸|짤렸|잘림|짤림|잘려|짤려|권고사직|정리해고|구조조정|회사(가)?문(을)?닫|퇴사|일자리|구직|취업|취준|취직|백수|일(을)?(그만|잃)|jobless|unemploy|lostmyjob|laidoff|layoff|companyclosed|nosalary|fired|jobseek|jobhunt|lookingforwork|findajob|outofwork/, services: ['job-seeker-benefit', 'national-employment-support', 'tomorrow-learning-card', 'emergency-welfare'], fields: ['employment'] },
  { name: 'low-income', pattern: /생활비|생계|형편|가난|저소득|돈이없|어려워|힘들어|빚|기초수급|수급자|lowincome|poor|poverty|can'?tafford|broke|strugg|nomoney|hardship|moneyistight|makeendsmeet/, services: ['livelihood-benefit', 'emergency-welfare', 'housing-benefit', 'medical-aid', 'energy-voucher', 'earned-income-tax-credit'], fields: ['livelihood'] },
  { name: 'emergency', pattern: /긴급|갑자기|위기|당장|쫓겨|emergency|crisis|suddenly|evict/, services: ['emergency-welfare'] },
  { name: 'rent', pattern: /월세|전세|집세|임대|주거|자취|원룸|rent|housing|deposit|jeonse|lease|apartment/, services: ['youth-rent-support', 'housing-benefit', 'beotimmok-jeonse-loan', 'didimdol-home-loan'], fields: ['housing'] },
  { name: 'youth', pattern: /청년|대학생|사회초년|20대|twenties|young(adult|person)|youth/, services: ['youth-rent-support', 'youth-leap-account', 'national-employment-support', 'youth-tomorrow-savings'], fields: ['youth'] },
  { name: 'student', pattern: /대학|등록금|장학금|학자금|학비|tuition|scholarship|student|college|university/, services: ['national-scholarship', 'income-contingent-student-loan', 'education-benefit'], fields: ['education'] },
  { name: 'disability', pattern: /장애|휠체어|disab|wheelchair|handicap/, services: ['disability-pension', 'disability-allowance', 'disability-personal-assistance', 'disability-assistive-devices', 'disability-parking-permit'], fields: ['disability'] },
  { name: 'business', pattern: /창업|사업|가게|자영업|소상공인|장사|폐업|차리|차릴|카페|식당|음식점|치킨집|business|startup|shop|selfemploy|smallbusiness|store|open(a|my)?(cafe|restaurant|bakery)/, services: ['small-business-policy-loans'], fields: ['employment'] },
  { name: 'energy', pattern: /전기|가스|난방|에너지|냉방|보일러|electric|energy|heating|gas|power ?bill|utility/, services: ['energy-voucher', 'large-family-electricity-discount', 'newborn-family-electricity-discount'], fields: ['energy'] },
  { name: 'large-family', pattern: /다자녀|셋째|넷째|세명|애가셋|아이셋|애가넷|아이넷|(three|four|five|3|4|5)(kids|children)|largefamily|manykids/, services: ['large-family-electricity-discount', 'child-tax-credit'] },
  { name: 'tax-credit', pattern: /장려금|근로소득|환급|세금돌려|taxcredit|refund|eitc/, services: ['earned-income-tax-credit', 'child-tax-credit'] },
  { name: 'veteran', pattern: /보훈|유공자|참전|월남전|베트남전|한국전쟁|6\.?25|군인|전역|veteran|warhero|military|vietnamwar|koreanwar/, services: ['veterans-compensation', 'war-veteran-honour-allowance'], fields: ['veterans'] },
  { name: 'health-check', pattern: /건강검진|검진|health(check|screening)|checkup|medicalexam/, services: ['national-health-screening', 'infant-health-screening', 'dementia-screening'] },
  { name: 'medical-bills', pattern: /병원비|의료비|치료비|수술비|medicalbill|hospitalbill|medicalcost/, services: ['catastrophic-medical-expenses', 'medical-aid'] },
  { name: 'vaccine', pattern: /예방접종|백신|독감|폐렴|vaccin|flu ?shot|immuni/, services: ['senior-flu-vaccination', 'senior-pneumococcal-vaccination', 'child-national-vaccination'] },
  { name: 'car', pattern: /자동차|차량|정기검사|자동차검사|\bcars?\b|vehicle|inspection/, services: ['vehicle-inspection'], fields: ['transport'] },
  { name: 'licence', pattern: /면허|운전|license|licence|driving/, services: ['driving-licence-renewal'] },
  { name: 'passport', pattern: /여권|해외여행|passport|travelabroad/, services: ['passport-issue'] },
  { name: 'id-card', pattern: /주민등록증|신분증|주민증|idcard|identitycard/, services: ['resident-id-card'] },
  { name: 'culture', pattern: /문화|여행|공연|영화|culture|concert|movie/, services: ['culture-nuri-card'] },
  { name: 'learning', pattern: /평생교육|자격증|배우고|직업훈련|교육받|learning|training|course/, services: ['tomorrow-learning-card', 'lifelong-learning-voucher'] },
  { name: 'phone-bill', pattern: /통신비|휴대폰요금|phonebill|mobilebill/, services: ['telecom-fee-discount'] },
  { name: 'farming', pattern: /농사|농업|농민|귀농|어업|farm|fishing|agricultur/, services: ['farm-public-interest-payment'], fields: ['agriculture'] },
  { name: 'savings', pattern: /적금|저축|자산형성|목돈|savings|save money/, services: ['youth-leap-account', 'youth-tomorrow-savings'] },
];

/** The 17 시도 as people name them, for "I moved to Busan" (the catalogue's regional programmes). */
export const REGIONS: Array<{ sido: string; pattern: RegExp }> = [
  { sido: '서울특별시', pattern: /서울|seoul/ },
  { sido: '부산광역시', pattern: /부산|busan/ },
  { sido: '대구광역시', pattern: /대구|daegu/ },
  { sido: '인천광역시', pattern: /인천|incheon/ },
  { sido: '광주광역시', pattern: /광주광역|광주시|gwangju/ },
  { sido: '대전광역시', pattern: /대전|daejeon/ },
  { sido: '울산광역시', pattern: /울산|ulsan/ },
  { sido: '세종특별자치시', pattern: /세종|sejong/ },
  { sido: '경기도', pattern: /경기|gyeonggi|수원|suwon|성남|seongnam|고양|goyang|용인|yongin/ },
  { sido: '강원특별자치도', pattern: /강원|gangwon|춘천|chuncheon|강릉|gangneung/ },
  { sido: '충청북도', pattern: /충북|충청북|chungbuk|chungcheongbuk|청주|cheongju/ },
  { sido: '충청남도', pattern: /충남|충청남|chungnam|chungcheongnam|천안|cheonan/ },
  { sido: '전북특별자치도', pattern: /전북|전라북|jeonbuk|jeollabuk|전주|jeonju/ },
  { sido: '전라남도', pattern: /전남|전라남|jeonnam|jeollanam|여수|yeosu|순천|suncheon/ },
  { sido: '경상북도', pattern: /경북|경상북|gyeongbuk|gyeongsangbuk|포항|pohang|경주|gyeongju/ },
  { sido: '경상남도', pattern: /경남|경상남|gyeongnam|gyeongsangnam|창원|changwon|김해|gimhae/ },
  { sido: '제주특별자치도', pattern: /제주|jeju/ },
];

/** What patterns are tested on: the normalised message, and the same without spaces. */
export const matchText = (norm: string) => `${norm} ${norm.replace(/ /g, '')}`;

/** The situations a message describes (`text` from {@link matchText}). */
export function situationsOf(text: string): Situation[] {
  return SITUATIONS.filter((s) => s.pattern.test(text));
}

/** The 시도 a message names, if any (`text` from {@link matchText}). */
export function regionOf(text: string): string | undefined {
  return REGIONS.find((r) => r.pattern.test(text))?.sido;
}

/**
 * What people call a programme besides its catalogue names: abbreviations and short forms
 * ("국취제", "내배카"). Matched like a name (at least three characters).
 */
export const ALIASES: Record<string, string[]> = {
  'national-employment-support': ['국취제', '취업지원제도'],
  'tomorrow-learning-card': ['내배카', '내일배움카드'],
  'youth-leap-account': ['도약계좌'],
  'livelihood-benefit': ['생계급여'],
  'job-seeker-benefit': ['실업급여', '실업수당'],
  'beotimmok-jeonse-loan': ['버팀목대출', '버팀목'],
  'didimdol-home-loan': ['디딤돌'],
  'first-meeting-voucher': ['첫만남'],
};
