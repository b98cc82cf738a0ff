import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { Seeder } from '../../platform/seed.ts';
import { createAgreement, createRecipient, findRecipient, listAgreements, type NewAgreement, type NewRecipient } from './agreements.ts';

/**
 * Demo recipients and their data agreements: a bank checking income and tax payments for a loan
 * (once or monthly), a rental platform checking a tenant's address, and the employment service
 * asking once for tax data for 국민취업지원제도 (an agency reading under consent through the
 * mediator). API keys are not printed: make one with `npx hanaro mydata recipient create`.
 */
const CONSENT = '개인정보 보호법 제15조 제1항 제1호 (정보주체의 동의)';
const MYDATA = '전자정부법 제43조의2 (정보주체 본인에 관한 행정정보의 제공요구권)';

export const DEMO_RECIPIENTS: Array<NewRecipient & { agreements: Array<Omit<NewAgreement, 'recipientId'>> }> = [
  {
    id: 'hanbank-loans',
    kind: 'third-party',
    name: { ko: '하나로은행 대출 심사', en: 'Hanaro Bank loan screening' },
    clientId: 'KR/COM/HANBANK/loans',
    url: 'https://bank.example.kr',
    agreements: [
      {
        purpose: { ko: '대출 심사를 위한 소득·납세 확인', en: 'Income and tax check for a loan application' },
        description: {
          ko: '대출 한도와 금리를 정하려고 가구 소득, 직업, 최근 납세 내역을 확인합니다. 심사가 끝난 뒤에는 관련 법령에 따라 5년 동안 보관합니다.',
          en: 'The bank checks household income, occupation and recent tax payments to set the loan amount and rate, and keeps them 5 years as the law requires.',
        },
        lawfulBasis: 'consent',
        legalReference: `${CONSENT}; ${MYDATA}`,
        items: [
          { service: 'KR/GOV/MOHW/welfare-registry/income', items: ['householdSize', 'monthlyIncome', 'occupation'] },
          { service: 'KR/GOV/NTS/tax-registry/tax', items: ['taxYear', 'totalPaid', 'arrears'] },
        ],
        modes: ['once', 'periodic'],
        maxValidityDays: 365,
        retentionDays: 1825,
      },
    ],
  },
  {
    id: 'anshim-lease',
    kind: 'third-party',
    name: { ko: '안심전세 임대 플랫폼', en: 'Safe Lease rental platform' },
    url: 'https://lease.example.kr',
    agreements: [
      {
        purpose: { ko: '임대차 계약 전 임차인 주소 확인', en: 'Tenant address check before a lease' },
        description: { ko: '계약 상대방이 본인이 말한 곳에 사는지 한 번 확인합니다. 90일 뒤 지웁니다.', en: 'Checks once that the tenant lives where they say. Deleted after 90 days.' },
        lawfulBasis: 'consent',
        legalReference: CONSENT,
        items: [{ service: 'KR/GOV/MOIS/resident-registry/resident', items: ['name', 'roadAddress', 'moveInDate'] }],
        modes: ['once'],
        maxValidityDays: 30,
        retentionDays: 90,
      },
    ],
  },
  {
    id: 'moel-employment',
    kind: 'agency',
    name: { ko: '고용노동부 고용24', en: 'Ministry of Employment and Labor (Work24)' },
    clientId: 'KR/GOV/MOEL/employment-services',
    agreements: [
      {
        purpose: { ko: '국민취업지원제도 신청 심사 (납세 정보)', en: 'National Employment Support Programme application (tax data)' },
        description: { ko: '신청 자격을 확인하려고 최근 납세 내역을 한 번 조회합니다. 서류를 따로 내지 않아도 됩니다.', en: 'Reads your recent tax payments once to check eligibility, so you upload no papers.' },
        lawfulBasis: 'consent',
        legalReference: `${CONSENT}; 구직자 취업촉진 및 생활안정지원에 관한 법률 제29조`,
        items: [{ service: 'KR/GOV/NTS/tax-registry/tax', items: ['taxYear', 'totalPaid'] }],
        modes: ['once'],
        maxValidityDays: 30,
        retentionDays: 1825,
      },
    ],
  },
];

export const mydataSeeder: Seeder = {
  name: 'mydata.recipients',
  dependsOn: ['exchange.directory'],
  async run({ platform }) {
    // one step at a time: each agreement is checked against the registries and signed, so no
    // transaction spans them (each write is its own; a re-run skips what is there)
    for (const { agreements, ...r } of DEMO_RECIPIENTS) {
      if (!(await findRecipient(platform.db, r.id))) await createRecipient(platform, r, 'system:seed');
      const existing = await listAgreements(platform.db, { recipientId: r.id });
      for (const a of agreements) {
        if (existing.some((e) => e.purpose.ko === a.purpose.ko)) continue;
        await createAgreement(platform, { ...a, recipientId: r.id }, 'system:seed');
      }
    }
  },
};

/** How many consents exist (for `hanaro mydata stats`). */
export async function consentCounts(db: Db): Promise<Record<string, number>> {
  const found = await rows<{ state: string; n: number }>(db, sql`select state, count(*)::int as n from mydata.consent_record group by state`);
  return Object.fromEntries(found.map((f) => [f.state, Number(f.n)]));
}
