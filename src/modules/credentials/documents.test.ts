import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import type { FastifyInstance } from 'fastify';
import { compactVerify, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { createClientKey } from '../exchange/client-keys.ts';
import { exchangeModule } from '../exchange/index.ts';
import { seedForTests } from '../exchange/management-testing.ts';
import { identityModule } from '../identity/index.ts';
import { registriesModule } from '../registries/index.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { CONFIGURATIONS, DISABILITY, DRIVING_LICENCE, FAMILY_RELATION, HEALTH_INSURANCE, INCOME, ISSUING_SYSTEM, TAX_PAYMENT, VETERAN } from './documents.ts';
import { credentialsModule } from './index.ts';
import { hasher } from './issuer.ts';
import { issueCredential } from './test-support.ts';

// Every document the issuer offers, issued over the endpoints for residents whose registries hold
// the facts, each checked with the @sd-jwt verifier; and the refusal when a registry holds nothing.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let people: Array<{ id: string }>;

beforeAll(async () => {
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, credentialsModule] }));
  await seedForTests(t);
  await createClientKey(t, ISSUING_SYSTEM, { keepPrivate: true });
  people = await seedResidents(app, t, [
    { serial: 1, name: '김아버지', sex: 'M', birthDate: '1960-01-01' },
    { serial: 2, name: '이어머니', birthDate: '1962-02-02' },
    { serial: 3, name: '김민지', birthDate: '1990-03-03' },
    { serial: 4, name: '박배우자', sex: 'M', birthDate: '1989-04-04' },
    { serial: 5, name: '김아이', birthDate: '2020-05-05' },
    { serial: 6, name: '홍아무것도없음', birthDate: '1995-06-06' },
  ]);
  const [father, mother, me, spouse, child] = people.map((p) => p.id);
  await seedRecords(app, t, 'licence', 'KR/GOV/KNPA/licence-registry', [
    { subjectId: me, licenceNumber: '11-22-333333-44', licenceClass: 'class2-ordinary', issueDate: '2012-05-01', renewalDue: '2032-05-01', status: 'valid' },
    { subjectId: me, licenceNumber: '11-22-333333-45', licenceClass: 'moped', issueDate: '2010-05-01', renewalDue: '2020-05-01', status: 'expired' },
  ]);
  await seedRecords(app, t, 'tax', 'KR/GOV/NTS/tax-registry', [{ subjectId: me, taxYear: 2025, totalPaid: 3_200_000, arrears: 0, lastPaymentDate: '2026-05-31' }]);
  await seedRecords(app, t, 'income', 'KR/GOV/MOHW/welfare-registry', [{ subjectId: me, householdSize: 4, monthlyIncome: 5_100_000, assets: 230_000_000, medianIncomePercent: 78, occupation: '회사원', assessedDate: '2026-10-01' }]);
  await seedRecords(app, t, 'health-insurance', 'KR/GOV/NHIS/insurance-registry', [{ subjectId: me, insuredType: 'employee', status: 'insured', acquiredDate: '2015-03-02' }]);
  await seedRecords(app, t, 'disability', 'KR/GOV/MOHW/welfare-registry', [{ subjectId: me, disabilityType: 'hearing', severity: 'mild', registeredDate: '2018-09-09', nextReviewDue: '2028-09-09' }]);
  await seedRecords(app, t, 'veteran', 'KR/GOV/MPVA/veterans-registry', [{ subjectId: me, category: 'war-veteran', registeredDate: '2019-06-25', monthlyBenefit: 420000 }]);
  await seedRecords(app, t, 'family', 'KR/GOV/SCOURT/family-registry', [{ subjectId: me, father, mother, spouse, children: [child], maritalStatus: 'married' }]);
}, 90_000);
afterAll(() => close());

const issue = (citizenId: string, configurationId: string) => issueCredential(app, t, citizenId, configurationId);

async function verified(credential: string): Promise<Record<string, any>> {
  const { jwks } = (await app.inject({ url: '/.well-known/jwt-vc-issuer' })).json() as { jwks: { keys: JWK[] } };
  const byKid = async (data: string, sig: string) => {
    const { kid } = JSON.parse(Buffer.from(data.split('.')[0]!, 'base64url').toString()) as { kid: string };
    const jwk = jwks.keys.find((k) => k.kid === kid);
    return jwk ? compactVerify(`${data}.${sig}`, await importJWK(jwk, 'ES256')).then(() => true, () => false) : false;
  };
  const v = new SDJwtVcInstance({ hasher, verifier: byKid, statusVerifier: byKid, statusListFetcher: async (uri: string) => (await app.inject({ url: new URL(uri).pathname })).body });
  return (await v.verify(credential)).payload as Record<string, any>;
}

describe('every document', () => {
  it('is offered in the issuer metadata', async () => {
    const meta = (await app.inject({ url: '/.well-known/openid-credential-issuer' })).json();
    expect(Object.keys(meta.credential_configurations_supported).sort()).toEqual(Object.keys(CONFIGURATIONS).sort());
  });

  it('the driving licence carries only the valid licences', async () => {
    const r = await issue(people[2]!.id, DRIVING_LICENCE.id);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const p = await verified(r.body.credentials[0].credential);
    expect(p).toMatchObject({ name: '김민지', document_number: '11-22-333333-44', driving_privileges: [{ vehicle_category_code: 'class2-ordinary', issue_date: '2012-05-01', expiry_date: '2032-05-01' }] });
    expect(p.age_equal_or_over['19']).toBe(true);
  });

  it('the tax payment and health insurance certificates carry their registries\u2019 facts', async () => {
    const me = people[2]!.id;
    expect(await verified((await issue(me, TAX_PAYMENT.id)).body.credentials[0].credential)).toMatchObject({ tax_year: 2025, total_paid: 3_200_000, no_arrears: true });
    expect(await verified((await issue(me, HEALTH_INSURANCE.id)).body.credentials[0].credential)).toMatchObject({ insured_type: 'employee', insurance_status: 'insured', acquired_date: '2015-03-02' });
    const income = await verified((await issue(me, INCOME.id)).body.credentials[0].credential);
    expect(income).toMatchObject({ household_size: 4, monthly_income: 5_100_000, assets: 230_000_000, median_income_percent: 78, assessed_date: '2026-10-01' });
    // the occupation is in the register but not in the certificate
    expect(income).not.toHaveProperty('occupation');
  });

  it('the disability and veteran certificates wait for the agency\u2019s approval (deferred.test.ts issues them)', async () => {
    for (const id of [DISABILITY.id, VETERAN.id]) {
      const r = await issue(people[2]!.id, id);
      expect(r.status, id).toBe(202);
      expect(r.body).toEqual({ transaction_id: expect.any(String), interval: 600 });
    }
  });

  it('the family relation certificate names the relatives, each read for this purpose', async () => {
    const r = await issue(people[2]!.id, FAMILY_RELATION.id);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const p = await verified(r.body.credentials[0].credential);
    expect(p).toMatchObject({
      marital_status: 'married',
      father: { name: '김아버지', birthdate: '1960-01-01' },
      mother: { name: '이어머니', birthdate: '1962-02-02' },
      spouse: { name: '박배우자', birthdate: '1989-04-04' },
      children: [{ name: '김아이', birthdate: '2020-05-05' }],
    });
    // the father's record was read for the certificate: it is on his access log
    const reads = await t.accessLog.forCitizen(people[0]!.id);
    expect(reads.some((x) => x.purpose === 'document issuance')).toBe(true);
  });

  it('a registry that holds nothing for the person: credential_request_denied', async () => {
    for (const id of [DRIVING_LICENCE.id, TAX_PAYMENT.id, FAMILY_RELATION.id]) {
      const r = await issue(people[5]!.id, id);
      expect(r.status, id).toBe(400);
      expect(r.body.error).toBe('credential_request_denied');
    }
  });
});
