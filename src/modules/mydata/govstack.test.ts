import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { TestPlatform } from '../../platform/testing.ts';
import { signedInOfficial } from '../identity/test-support.ts';
import { expectConforms } from '../registries/test-govstack.ts';
import { seedResidents } from '../registries/test-support.ts';
import { createRecipient, rotateRecipientKey } from './agreements.ts';
import { hashText, revisionsOf, verifyChain } from './revisions.ts';
import { citizenSession, mydataApp } from './test-support.ts';

// Conformance of /govstack/consent/ with the GovStack Consent building block's OpenAPI file
// (specs/govstack/consent/consent-openapi.yaml): every operation answers a body its response
// schema accepts; the whole life of a consent (policy → agreement → individual → consent record →
// signature → verification → withdrawal → audit trail → forgetting); the signed hash chains; and
// who may call what (wrong actors get RFC 9457 problems, unknown and malformed ids 404/400).

const SPEC = 'consent/consent-openapi.yaml';
const P = '/govstack/consent';
const INCOME = 'KR/GOV/MOHW/welfare-registry/income';
const RESIDENT = 'KR/GOV/MOIS/resident-registry/resident';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let me: string;
let other: string;
let meCookie: string;
let otherCookie: string;
let adminCookie: string;
let auditorCookie: string;
let workerCookie: string;
let bankKey: string;
let landlordKey: string;

type Who = { cookie: string } | { key: string } | undefined;
const headersOf = (who: Who, extra: Record<string, string> = {}) => ({
  accept: 'application/json',
  ...(who && 'cookie' in who ? { cookie: who.cookie } : {}),
  ...(who && 'key' in who ? { authorization: `Bearer ${who.key}` } : {}),
  ...extra,
});
const fill = (specPath: string, ids: Record<string, string>) => specPath.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(ids[k] ?? ''));

/** Operations whose answer was checked against the spec; every one in the file must be by the end. */
const checked = new Set<string>();

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', specPath: string, who: Who, opts: { ids?: Record<string, string>; query?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const url = `${P}${fill(specPath, opts.ids ?? {})}${opts.query ? `?${opts.query}` : ''}`;
  return app.inject({ method, url, headers: headersOf(who, opts.headers), ...(opts.body !== undefined ? { payload: opts.body as object } : {}) });
}

/** Calls, expects `status`, and checks the body against the operation's response schema in the spec. */
async function ok(method: 'GET' | 'POST' | 'PUT' | 'DELETE', specPath: string, who: Who, opts: Parameters<typeof call>[3] = {}, status = 200) {
  const res = await call(method, specPath, who, opts);
  expect(res.statusCode, `${method} ${specPath}: ${res.body}`).toBe(status);
  const body = res.body ? res.json() : {};
  expectConforms(SPEC, specPath, method, status, body);
  checked.add(`${method} ${specPath}`);
  return body;
}

function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json();
  expect(p).toMatchObject({ status, type: expect.stringMatching(/^urn:hanaro:problem:/) });
  if (code) expect(p.code).toBe(code);
  return p;
}

beforeAll(async () => {
  ({ app, t, close } = await mydataApp());
  [{ id: me }, { id: other }] = (await seedResidents(app, t, [
    { serial: 11, name: '김하나', birthDate: '1988-04-04' },
    { serial: 12, name: '박둘', birthDate: '1991-05-05' },
  ])) as Array<{ id: string }> as [{ id: string }, { id: string }];
  meCookie = await citizenSession(app, me);
  otherCookie = await citizenSession(app, other);
  adminCookie = (await signedInOfficial(app, t, { name: '관리자', agency: 'MOIS', roles: ['platform-admin'] }, '10.9.0.1')).cookie;
  auditorCookie = (await signedInOfficial(app, t, { name: '감사관', agency: 'MOIS', roles: ['auditor'] }, '10.9.0.2')).cookie;
  workerCookie = (await signedInOfficial(app, t, { name: '담당자', agency: 'MOHW', roles: ['case-worker'] }, '10.9.0.3')).cookie;
  bankKey = await rotateRecipientKey(t, 'hanbank-loans', 'operator:test');
  landlordKey = (await createRecipient(t, { id: 'gs-landlord', kind: 'third-party', name: { ko: '임대인', en: 'Landlord' }, url: 'https://landlord.example.kr' }, 'operator:test')).apiKey;
}, 180_000);
afterAll(async () => close?.());

const admin = () => ({ cookie: adminCookie });
const auditor = () => ({ cookie: auditorCookie });
const citizen = () => ({ cookie: meCookie });
const bank = () => ({ key: bankKey });
const landlord = () => ({ key: landlordKey });

/** What an outside auditor can check from the answers alone: each hash and each link of the chain. */
function chainHolds(revisions: Array<{ serializedSnapshot: string; serializedHash: string; predecessorHash?: string }>): boolean {
  return revisions.every((r, i) => hashText(r.serializedSnapshot) === r.serializedHash && (r.predecessorHash ?? null) === (i === 0 ? null : revisions[i - 1]!.serializedHash));
}

describe('the life of a consent through the GovStack Consent API', () => {
  type Key = 'platformPolicy' | 'policyId' | 'dataAgreementId' | 'leaseAgreement' | 'individualId' | 'webhookId' | 'me' | 'agreementRevision' | 'firstRecord' | 'consentRecordId';
  const ids = {} as { [k in Key]: string };

  it('config: a platform administrator and a recipient make policies, with versions and revisions', async () => {
    const made = await ok('POST', '/config/policy/', admin(), {
      body: { policy: { name: 'Hanaro data policy', url: 'https://hanaro.example.kr/policy/v1', dataRetentionPeriodDays: 365, industrySector: 'public' } },
    });
    expect(made.policy).toMatchObject({ version: '1', controller: 'platform', jurisdiction: 'KR' });
    expect(made.revision).toMatchObject({ schemaName: 'policy', objectId: made.policy.id, authorizedByOther: expect.stringMatching(/^official:/) });
    expect(made.revision).not.toHaveProperty('predecessorHash');
    ids.platformPolicy = made.policy.id;

    const bankPolicy = await ok('POST', '/config/policy/', bank(), { body: { policy: { name: 'Bank privacy policy', url: 'https://bank.example.kr/privacy', dataRetentionPeriodDays: 1825 } } });
    expect(bankPolicy.policy.controller).toBe('hanbank-loans');
    ids.policyId = bankPolicy.policy.id;

    const updated = await ok('PUT', '/config/policy/{policyId}/', bank(), { ids, body: { policy: { url: 'https://bank.example.kr/privacy/v2', storageLocation: 'KR' } } });
    expect(updated.policy).toMatchObject({ version: '2', url: 'https://bank.example.kr/privacy/v2', name: 'Bank privacy policy', storageLocation: 'KR' });
    expect(updated.revision.predecessorHash).toBe(bankPolicy.revision.serializedHash);

    const read = await ok('GET', '/config/policy/{policyId}/', bank(), { ids });
    expect(read.revision.id).toBe(updated.revision.id);
    const then = await ok('GET', '/config/policy/{policyId}/', bank(), { ids, query: `revisionId=${bankPolicy.revision.id}` });
    expect(then.policy).toMatchObject({ version: '1', url: 'https://bank.example.kr/privacy' });
    expect(then.revision.successor).toMatchObject({ id: updated.revision.id });

    const revs = await ok('GET', '/config/policy/{policyId}/revisions/', bank(), { ids });
    expect(revs.revisions.map((r: { id: string }) => r.id)).toEqual([bankPolicy.revision.id, updated.revision.id]);
    expect(chainHolds(revs.revisions)).toBe(true);
    expect(await verifyChain(t, 'policy', ids.policyId)).toEqual({ valid: true, revisions: 2 });

    const mine = await ok('GET', '/config/policies/', bank());
    expect(mine.policies.map((p: { id: string }) => p.id)).toEqual([ids.policyId]);
    const all = await ok('GET', '/config/policies/', admin());
    expect(all.policies.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([ids.policyId, ids.platformPolicy]));
  });

  it('config: data agreements under a policy, versioned, each change a signed revision', async () => {
    const made = await ok('POST', '/config/data-agreement/', bank(), {
      body: {
        dataAgreement: {
          purpose: { ko: '대출 심사 소득 확인', en: 'Income check for a loan' },
          lawfulBasis: 'consent',
          dpia: 'https://bank.example.kr/dpia/2025',
          policy: { id: ids.policyId },
          forgettable: true,
          items: [{ service: INCOME, items: ['monthlyIncome', 'householdSize'] }],
          modes: ['once'],
          maxValidityDays: 90,
        },
      },
    });
    expect(made.dataAgreement).toMatchObject({
      version: '1',
      controller: { id: 'hanbank-loans', url: 'https://bank.example.kr' },
      policy: { id: ids.policyId, version: '2' },
      purpose: '대출 심사 소득 확인',
      lifecycle: { id: 'complete', name: 'Complete' },
      retentionDays: 1825,
      signature: { objectType: 'revision', objectReference: made.revision.id },
    });
    ids.dataAgreementId = made.dataAgreement.id;

    const en = await app.inject({ method: 'GET', url: `${P}/config/data-agreement/${ids.dataAgreementId}/`, headers: { ...headersOf(bank()), 'accept-language': 'en' } });
    expect(en.json().dataAgreement.purpose).toBe('Income check for a loan');

    const updated = await ok('PUT', '/config/data-agreement/{dataAgreementId}/', bank(), { ids, body: { dataAgreement: { purpose: { ko: '대출 심사 소득·가구 확인', en: 'Income and household check for a loan' } } } });
    expect(updated.dataAgreement).toMatchObject({ version: '2', items: [{ service: INCOME, items: ['monthlyIncome', 'householdSize'] }] });
    expect(updated.revision.predecessorHash).toBe(made.revision.serializedHash);
    await ok('GET', '/config/data-agreement/{dataAgreementId}/', bank(), { ids });

    // the administrator declares one for another recipient
    const lease = await ok('POST', '/config/data-agreement/', admin(), {
      body: {
        dataAgreement: {
          controller: { id: 'gs-landlord' },
          purpose: 'Tenant address check',
          lawfulBasis: 'consent',
          dpia: '',
          items: [{ service: RESIDENT, items: ['name', 'roadAddress'] }],
          retentionDays: 90,
          maxValidityDays: 30,
        },
      },
    });
    ids.leaseAgreement = lease.dataAgreement.id;
    const list = await ok('GET', '/config/data-agreements/', bank());
    expect(list.dataAgreement.map((a: { id: string }) => a.id)).toContain(ids.dataAgreementId);
    expect(list.dataAgreement.map((a: { id: string }) => a.id)).not.toContain(ids.leaseAgreement);
    expect(await verifyChain(t, 'dataAgreement', ids.dataAgreementId)).toEqual({ valid: true, revisions: 2 });
  });

  it('config: individuals (administrators) and webhooks (secret shown once)', async () => {
    const made = await ok('POST', '/config/individual/', admin(), { body: { individual: { externalId: 'walk-in-0042', externalIdType: 'paper-form', identityProviderId: 'counter' } } });
    expect(made.individual).toMatchObject({ externalId: 'walk-in-0042', externalIdType: 'paper-form' });
    ids.individualId = made.individual.id;
    await ok('GET', '/config/individual/{individualId}/', admin(), { ids });
    expect((await ok('GET', '/config/individuals/', admin())).individuals.map((i: { id: string }) => i.id)).toContain(ids.individualId);
    expectProblem(await call('POST', '/config/individual/', admin(), { body: { individual: { externalId: 'walk-in-0042', externalIdType: 'paper-form' } } }), 409, 'individual_exists');

    const hook = await ok('POST', '/config/webhook/', bank(), { body: { webhook: { payloadUrl: 'https://bank.example.kr/hooks/consent', events: ['consent.withdrawn'] } } });
    expect(hook.webhook).toMatchObject({ contentType: 'application/json', disabled: false, recipientId: 'hanbank-loans', secretKey: expect.stringMatching(/^whsec_/) });
    ids.webhookId = hook.webhook.id;
    const read = await ok('GET', '/config/webhook/{webhookId}/', bank(), { ids });
    expect(read.webhook.secretKey).toBe('********');
    const put = await ok('PUT', '/config/webhook/{webhookId}/', bank(), { ids, body: { webhook: { ...read.webhook, disabled: true } } });
    expect(put.webhook).toMatchObject({ disabled: true, secretKey: '********', events: ['consent.withdrawn'] });
    expect((await ok('GET', '/config/webhooks/', bank())).webhooks.map((w: { id: string }) => w.id)).toEqual([ids.webhookId]);
    expect((await ok('GET', '/config/webhooks/', landlord())).webhooks).toEqual([]);
  });

  it('service: the citizen\'s own Individual, the agreement and its policy', async () => {
    const mine = await ok('POST', '/service/individual/', citizen(), { body: { individual: {} } });
    expect(mine.individual).toMatchObject({ externalId: me, externalIdType: 'citizen' });
    ids.me = mine.individual.id;
    expect((await ok('POST', '/service/individual/', citizen(), { body: { individual: { externalId: me } } })).individual.id).toBe(ids.me);
    await ok('GET', '/service/individual/{individualId}/', citizen(), { ids: { individualId: ids.me } });
    const put = await ok('PUT', '/service/individual/{individualId}/', citizen(), { ids: { individualId: ids.me }, body: { individual: { identityProviderId: 'hanaro-passkey' } } });
    expect(put.individual.identityProviderId).toBe('hanaro-passkey');
    expectProblem(await call('PUT', '/service/individual/{individualId}/', citizen(), { ids: { individualId: ids.me }, body: { individual: { externalId: other } } }), 400, 'individual_immutable');
    expect((await ok('GET', '/service/individuals/', citizen())).individuals).toEqual([expect.objectContaining({ id: ids.me })]);

    const a = await ok('GET', '/service/data-agreement/{dataAgreementId}/', citizen(), { ids });
    expect(a.dataAgreement.version).toBe('2');
    ids.agreementRevision = a.revision.id;
    const p = await ok('GET', '/service/policy/{policyId}/', citizen(), { ids });
    expect(p.policy.id).toBe(ids.policyId);
    await ok('GET', '/service/verification/data-agreements/', citizen());
  });

  it('service: a consent outside the agreement is refused; inside it is given to the current revision', async () => {
    const outside = await call('POST', '/service/individual/record/data-agreement/{dataAgreementId}/', citizen(), {
      ids,
      query: `individualId=${ids.me}`,
      body: { items: [{ service: INCOME, items: ['monthlyIncome', 'assets'] }] },
    });
    expect(expectProblem(outside, 400, 'outside_agreement').errors).toEqual([expect.objectContaining({ field: 'items/0/items/1' })]);
    const stale = await call('POST', '/service/individual/record/data-agreement/{dataAgreementId}/', citizen(), { ids, query: `individualId=${ids.me}&revisionId=${UNKNOWN}` });
    expectProblem(stale, 409, 'revision_not_current');

    const given = await ok('POST', '/service/individual/record/data-agreement/{dataAgreementId}/', citizen(), {
      ids,
      query: `individualId=${ids.me}&revisionId=${ids.agreementRevision}`,
      body: { items: [{ service: INCOME, items: ['monthlyIncome'] }] },
    });
    expect(given.consentRecord).toMatchObject({
      optIn: true,
      state: 'given',
      individual: { id: ids.me, externalId: me },
      dataAgreement: { id: ids.dataAgreementId },
      dataAgreementRevision: { id: ids.agreementRevision },
      items: [{ service: INCOME, items: ['monthlyIncome'] }],
      signature: { objectType: 'revision', objectReference: given.revision.id },
    });
    expect(given.consentRecord.dataAgreementRevisionHash).toBe(given.consentRecord.dataAgreementRevision.serializedHash);
    expect(given.revision).toMatchObject({ schemaName: 'consentRecord', authorizedByIndividual: { id: ids.me } });
    ids.firstRecord = given.consentRecord.id;
    const current = await ok('GET', '/service/individual/record/data-agreement/{dataAgreementId}/', citizen(), { ids });
    expect(current.consentRecord.id).toBe(ids.firstRecord);
  });

  it('service: a draft, signed by the citizen, becomes a record with the citizen\'s signature', async () => {
    const draft = await ok('POST', '/service/individual/record/consent-record/draft/', citizen(), { query: `individualId=${ids.me}&dataAgreementId=${ids.dataAgreementId}` });
    expect(draft.consentRecord).toMatchObject({ id: '', state: 'unsigned', optIn: true, individual: { id: ids.me } });
    expect(draft.signature).toMatchObject({ id: '', signature: '', signedWithoutObjectReference: true });
    expect(hashText(draft.signature.verificationPayload)).toBe(draft.signature.verificationPayloadHash);

    const made = await ok('POST', '/service/individual/record/consent-record/', citizen(), {
      body: { consentRecord: draft.consentRecord, signature: { ...draft.signature, signature: 'eyJhbGciOiJFUzI1NiJ9.wallet.signature', verificationMethod: 'JWS ES256 (wallet key)' } },
    });
    ids.consentRecordId = made.consentRecord.id;
    expect(made.signature).toMatchObject({ signature: 'eyJhbGciOiJFUzI1NiJ9.wallet.signature', verificationSignedAs: 'individual', objectType: 'signature', objectReference: made.consentRecord.signature.id });
    expect(made.signature.verificationPayloadHash).toBe(draft.signature.verificationPayloadHash);
    expect(made.consentRecord.individualSignature.id).toBe(made.signature.id);

    // a signature over other terms is refused
    const forged = await call('POST', '/service/individual/record/consent-record/', citizen(), {
      body: { consentRecord: { ...draft.consentRecord, items: [{ service: INCOME, items: ['householdSize'] }] }, signature: { ...draft.signature, signature: 'x' } },
    });
    expectProblem(forged, 400, 'signature_payload_mismatch');
    const optOut = await call('POST', '/service/individual/record/consent-record/', citizen(), { body: { consentRecord: { ...draft.consentRecord, optIn: false }, signature: {} } });
    expectProblem(optOut, 400, 'opt_out_not_recorded');

    // a countersignature of the latest revision
    const toSign = await ok('POST', '/service/individual/record/consent-record/{consentRecordId}/signature/', citizen(), { ids, body: { signature: {} } });
    expect(toSign.signature).toMatchObject({ id: '', objectType: 'signature', objectReference: made.consentRecord.signature.id });
    const signed = await ok('PUT', '/service/individual/record/consent-record/{consentRecordId}/signature/', citizen(), {
      ids,
      body: { signature: { ...toSign.signature, signature: 'confirmed-in-session' } },
    });
    expect(signed.signature).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), verificationPayloadHash: toSign.signature.verificationPayloadHash });
    expectProblem(await call('PUT', '/service/individual/record/consent-record/{consentRecordId}/signature/', citizen(), { ids, body: { signature: { signature: 'x', objectReference: UNKNOWN } } }), 409, 'revision_not_current');

    const list = await ok('GET', '/service/individual/record/consent-record/', citizen());
    expect(list.consentRecords.map((c: { id: string }) => c.id)).toEqual([ids.firstRecord, ids.consentRecordId]);
    expect((await ok('GET', '/service/individual/record/data-agreement/{dataAgreementId}/all/', citizen(), { ids })).consentRecords).toHaveLength(2);
  });

  it('service: the recipient verifies the consents given to it, and sees the Individual\'s id only', async () => {
    const list = await ok('GET', '/service/verification/consent-records/', bank(), { query: `individualId=${ids.me}` });
    expect(list.consentRecords.map((c: { id: string }) => c.id)).toEqual([ids.firstRecord, ids.consentRecordId]);
    expect(list.consentRecords[0].individual).toEqual({ id: ids.me });
    const one = await ok('GET', '/service/verification/consent-record/{consentRecordId}/', bank(), { ids });
    expect(one.consentRecord).toMatchObject({ id: ids.consentRecordId, optIn: true, state: 'given' });
    await ok('GET', '/service/verification/data-agreements/', bank());
    expect((await ok('GET', '/service/individual/{individualId}/', bank(), { ids: { individualId: ids.me } })).individual).toEqual({ id: ids.me });
    expect((await ok('GET', '/service/individuals/', bank())).individuals).toEqual([{ id: ids.me }]);
    const viaHeader = await ok('GET', '/service/individual/record/data-agreement/{dataAgreementId}/', bank(), { ids, headers: { 'x-individual-id': ids.me } });
    expect(viaHeader.consentRecord.id).toBe(ids.consentRecordId);
    expect((await ok('GET', '/service/individual/record/consent-record/', bank())).consentRecords.length).toBeGreaterThanOrEqual(2);
    // the landlord has nothing to do with it
    expectProblem(await call('GET', '/service/verification/consent-record/{consentRecordId}/', landlord(), { ids }), 403, 'not_your_consent');
    expectProblem(await call('GET', '/service/individual/{individualId}/', landlord(), { ids: { individualId: ids.me } }), 403, 'not_your_individual');
  });

  it('service: withdrawing (optIn false) changes the record and adds a revision; the chain holds', async () => {
    const before = await revisionsOf(t.db, 'consentRecord', ids.consentRecordId);
    const res = await ok('PUT', '/service/individual/record/consent-record/{consentRecordId}/', citizen(), { ids, body: { consentRecord: { optIn: false } } });
    expect(res.consentRecord).toMatchObject({ optIn: false, state: 'withdrawn' });
    const after = await revisionsOf(t.db, 'consentRecord', ids.consentRecordId);
    expect(after).toHaveLength(before.length + 1);
    expect(res.revision).toMatchObject({ id: after.at(-1)!.id, predecessorHash: before.at(-1)!.serializedHash, authorizedByIndividual: { id: ids.me } });
    expect(JSON.parse(res.revision.serializedSnapshot).objectData).toMatchObject({ event: 'withdrawn', optIn: false });
    expect(await verifyChain(t, 'consentRecord', ids.consentRecordId)).toEqual({ valid: true, revisions: after.length });
    // once withdrawn, neither again nor back
    expectProblem(await call('PUT', '/service/individual/record/consent-record/{consentRecordId}/', citizen(), { ids, body: { consentRecord: { optIn: false } } }), 409, 'consent_not_active');
    expectProblem(await call('PUT', '/service/individual/record/consent-record/{consentRecordId}/', citizen(), { ids, body: { consentRecord: { optIn: true } } }), 409, 'consent_not_active');
    // the mediator's consent gate sees it at once
    expect((await ok('GET', '/service/verification/consent-record/{consentRecordId}/', bank(), { ids })).consentRecord.state).toBe('withdrawn');
  });

  it('audit: records and agreements with their whole revision chain, checked', async () => {
    const one = await ok('GET', '/audit/consent-record/{consentRecordId}/', auditor(), { ids });
    expect(one.consentRecord.individual).toMatchObject({ id: ids.me, externalId: me });
    expect(one.chain).toEqual({ valid: true, revisions: 2 });
    expect(one.revisions.map((r: { objectId: string }) => r.objectId)).toEqual([ids.consentRecordId, ids.consentRecordId]);
    expect(one.revisions[0].successor.id).toBe(one.revisions[1].id);
    expect(chainHolds(one.revisions)).toBe(true);
    // a snapshot altered anywhere no longer matches its hash, nor the next revision's predecessorHash
    const altered = structuredClone(one.revisions) as Array<{ serializedSnapshot: string; serializedHash: string }>;
    altered[0]!.serializedSnapshot = altered[0]!.serializedSnapshot.replace('"optIn":true', '"optIn":false');
    expect(chainHolds(altered)).toBe(false);
    altered[0]!.serializedHash = hashText(altered[0]!.serializedSnapshot);
    expect(chainHolds(altered)).toBe(false);

    const records = await ok('GET', '/audit/consent-records/', auditor(), { query: 'limit=500' });
    expect(records.consentRecords.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([ids.firstRecord, ids.consentRecordId]));
    const a = await ok('GET', '/audit/data-agreement/{dataAgreementId}/', admin(), { ids });
    expect(a.chain).toEqual({ valid: true, revisions: 2 });
    expect((await ok('GET', '/audit/data-agreements/', auditor())).dataAgreements.map((x: { id: string }) => x.id)).toContain(ids.dataAgreementId);
  });

  it('the revision and signature tables are append-only, and verifyChain finds a tampered row', async () => {
    await expect(t.db.execute(sql`update mydata.revision set serialized_snapshot = 'x' where object_id = ${ids.consentRecordId}`)).rejects.toThrow();
    const [first] = await revisionsOf(t.db, 'consentRecord', ids.consentRecordId);
    await expect(t.db.execute(sql`delete from mydata.signature where object_type = 'revision' and object_reference = ${first!.id}`)).rejects.toThrow();
    // past the trigger, as someone with the database's owner rights could
    await t.db.execute(sql`alter table mydata.revision disable trigger revision_append_only`);
    try {
      await t.db.execute(sql`update mydata.revision set serialized_snapshot = ${first!.serializedSnapshot.replace('"optIn":true', '"optIn":false')} where id = ${first!.id}::uuid`);
      expect(await verifyChain(t, 'consentRecord', ids.consentRecordId)).toMatchObject({ valid: false, problem: 'revision 1: the snapshot does not match its hash' });
      await t.db.execute(sql`update mydata.revision set serialized_snapshot = ${first!.serializedSnapshot} where id = ${first!.id}::uuid`);
    } finally {
      await t.db.execute(sql`alter table mydata.revision enable trigger revision_append_only`);
    }
    expect((await verifyChain(t, 'consentRecord', ids.consentRecordId)).valid).toBe(true);
  });

  it('service: the right to be forgotten deletes ended records of forgettable agreements, and records that too', async () => {
    const res = await ok('DELETE', '/service/individual/record/', citizen());
    expect(res.deleted).toEqual([ids.consentRecordId]);
    expectProblem(await call('GET', '/service/verification/consent-record/{consentRecordId}/', citizen(), { ids }), 404, 'consent_not_found');
    const revs = await revisionsOf(t.db, 'consentRecord', ids.consentRecordId);
    expect(JSON.parse(revs.at(-1)!.serializedSnapshot).objectData).toMatchObject({ event: 'deleted' });
    expect(await verifyChain(t, 'consentRecord', ids.consentRecordId)).toEqual({ valid: true, revisions: 3 });
    // the active one stays
    expect((await ok('GET', '/service/individual/record/consent-record/', citizen())).consentRecords.map((c: { id: string }) => c.id)).toEqual([ids.firstRecord]);
  });

  it('config: deleting a policy in use is refused; agreements, policies and webhooks are deleted with a revision', async () => {
    expectProblem(await call('DELETE', '/config/policy/{policyId}/', bank(), { ids }), 409, 'policy_in_use');
    const gone = await ok('DELETE', '/config/data-agreement/{dataAgreementId}/', bank(), { ids });
    expect(JSON.parse(gone.revision.serializedSnapshot).objectData).toMatchObject({ deleted: true, active: false });
    expectProblem(await call('GET', '/config/data-agreement/{dataAgreementId}/', bank(), { ids }), 404, 'agreement_not_found');
    const policyGone = await ok('DELETE', '/config/policy/{policyId}/', bank(), { ids });
    expect(JSON.parse(policyGone.revision.serializedSnapshot).objectData).toMatchObject({ deleted: true });
    expectProblem(await call('GET', '/config/policy/{policyId}/', bank(), { ids }), 404, 'policy_not_found');
    expect(await verifyChain(t, 'policy', ids.policyId)).toEqual({ valid: true, revisions: 3 });
    await ok('DELETE', '/config/webhook/{webhookId}/', bank(), { ids });
    expectProblem(await call('GET', '/config/webhook/{webhookId}/', bank(), { ids }), 404, 'webhook_not_found');
  });

  it('answers every operation of the spec, each checked against its response schema, and documents them in /openapi.json', async () => {
    const doc = YAML.parse(readFileSync(path.resolve(import.meta.dirname, '../../../specs/govstack/consent/consent-openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const all = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(all).toHaveLength(42);
    expect(all.filter((op) => !checked.has(op))).toEqual([]);
    const ours = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(ours.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(P, '')}`));
    expect(all.filter((op) => !documented.includes(op))).toEqual([]);
  });
});

describe('who may call what', () => {
  let otherRecord: string;
  let policy: string;
  let bankAgreement: string;

  beforeAll(async () => {
    const p = await call('POST', '/config/policy/', admin(), { body: { policy: { name: 'P', url: 'https://hanaro.example.kr/p', dataRetentionPeriodDays: 30 } } });
    policy = p.json().policy.id;
    const a = await call('POST', '/config/data-agreement/', bank(), {
      body: { dataAgreement: { purpose: 'Loan', lawfulBasis: 'consent', dpia: '', items: [{ service: INCOME, items: ['monthlyIncome'] }], retentionDays: 30 } },
    });
    bankAgreement = a.json().dataAgreement.id;
    const otherIndividual = (await call('POST', '/service/individual/', { cookie: otherCookie }, { body: { individual: {} } })).json().individual.id;
    const given = await call('POST', '/service/individual/record/data-agreement/{dataAgreementId}/', { cookie: otherCookie }, { ids: { dataAgreementId: bankAgreement }, query: `individualId=${otherIndividual}` });
    expect(given.statusCode, given.body).toBe(200);
    otherRecord = given.json().consentRecord.id;
  });

  it('config/*: 401 without credentials or with a bad key, 403 for citizens, other officials and other controllers', async () => {
    expectProblem(await call('GET', '/config/policies/', undefined), 401, 'unauthorized');
    expectProblem(await call('GET', '/config/policies/', { key: 'hmd_not-a-real-key' }), 401, 'invalid_api_key');
    expectProblem(await call('GET', '/config/data-agreements/', citizen()), 403);
    expectProblem(await call('GET', '/config/webhooks/', auditor()), 403);
    expectProblem(await call('POST', '/config/policy/', { cookie: workerCookie }, { body: { policy: { name: 'x', url: 'https://x.example', dataRetentionPeriodDays: 1 } } }), 403);
    expectProblem(await call('GET', '/config/policy/{policyId}/', bank(), { ids: { policyId: policy } }), 403, 'not_controller');
    expectProblem(await call('PUT', '/config/policy/{policyId}/', landlord(), { ids: { policyId: policy }, body: { policy: { name: 'mine now' } } }), 403, 'not_controller');
    expectProblem(await call('POST', '/config/policy/', bank(), { body: { policy: { name: 'x', url: 'https://x.example', dataRetentionPeriodDays: 1, controller: 'gs-landlord' } } }), 403, 'not_controller');
    expectProblem(await call('GET', '/config/data-agreement/{dataAgreementId}/', landlord(), { ids: { dataAgreementId: bankAgreement } }), 403, 'not_controller');
    expectProblem(await call('DELETE', '/config/data-agreement/{dataAgreementId}/', landlord(), { ids: { dataAgreementId: bankAgreement } }), 403, 'not_controller');
    expectProblem(await call('POST', '/config/data-agreement/', landlord(), {
      body: { dataAgreement: { controller: { id: 'hanbank-loans' }, purpose: 'x', lawfulBasis: 'consent', dpia: '', items: [{ service: INCOME, items: ['monthlyIncome'] }], retentionDays: 1 } },
    }), 403, 'not_controller');
    expectProblem(await call('GET', '/config/individuals/', bank()), 403, 'platform_admin_only');
    expectProblem(await call('POST', '/config/individual/', bank(), { body: { individual: {} } }), 403, 'platform_admin_only');
    const hook = (await call('POST', '/config/webhook/', admin(), { body: { webhook: { payloadUrl: 'https://audit.example.kr/hook' } } })).json().webhook.id;
    expectProblem(await call('GET', '/config/webhook/{webhookId}/', bank(), { ids: { webhookId: hook } }), 403, 'not_controller');
    expectProblem(await call('DELETE', '/config/webhook/{webhookId}/', bank(), { ids: { webhookId: hook } }), 403, 'not_controller');
  });

  it('service/*: 401 without credentials, 403 for officials, for a recipient giving or changing consent, and for another\'s Individual or record', async () => {
    expectProblem(await call('GET', '/service/individuals/', undefined), 401, 'unauthorized');
    expectProblem(await call('GET', '/service/individuals/', admin()), 403, 'citizens_only');
    expectProblem(await call('GET', '/service/verification/consent-records/', { key: 'hmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), 401, 'invalid_api_key');
    const mine = (await call('GET', '/service/individuals/', citizen())).json().individuals[0].id;
    expectProblem(await call('POST', '/service/individual/record/data-agreement/{dataAgreementId}/', bank(), { ids: { dataAgreementId: bankAgreement }, query: `individualId=${mine}` }), 403, 'citizens_only');
    expectProblem(await call('POST', '/service/individual/', bank(), { body: { individual: {} } }), 403, 'citizens_only');
    expectProblem(await call('PUT', '/service/individual/record/consent-record/{consentRecordId}/', bank(), { ids: { consentRecordId: otherRecord }, body: { consentRecord: { optIn: false } } }), 403, 'citizens_only');
    expectProblem(await call('DELETE', '/service/individual/record/', bank()), 403, 'citizens_only');
    // a citizen and someone else's things
    const theirs = (await call('GET', '/service/individuals/', { cookie: otherCookie })).json().individuals[0].id;
    expectProblem(await call('GET', '/service/individual/{individualId}/', citizen(), { ids: { individualId: theirs } }), 403, 'not_your_individual');
    expectProblem(await call('POST', '/service/individual/record/data-agreement/{dataAgreementId}/', citizen(), { ids: { dataAgreementId: bankAgreement }, query: `individualId=${theirs}` }), 403, 'not_your_individual');
    expectProblem(await call('GET', '/service/individual/record/consent-record/', citizen(), { query: `individualId=${theirs}` }), 403, 'not_your_individual');
    expectProblem(await call('GET', '/service/verification/consent-record/{consentRecordId}/', citizen(), { ids: { consentRecordId: otherRecord } }), 403, 'not_your_consent');
    expectProblem(await call('PUT', '/service/individual/record/consent-record/{consentRecordId}/', citizen(), { ids: { consentRecordId: otherRecord }, body: { consentRecord: { optIn: false } } }), 403, 'not_your_consent');
    expectProblem(await call('PUT', '/service/individual/record/consent-record/{consentRecordId}/signature/', citizen(), { ids: { consentRecordId: otherRecord }, body: { signature: { signature: 'x' } } }), 403, 'not_your_consent');
    // the record is untouched
    expect((await call('GET', '/service/verification/consent-record/{consentRecordId}/', { cookie: otherCookie }, { ids: { consentRecordId: otherRecord } })).json().consentRecord.state).toBe('given');
  });

  it('audit/*: 401 without a signed-in official (a recipient key is none), 403 for citizens and officials without the role', async () => {
    expectProblem(await call('GET', '/audit/consent-records/', undefined), 401, 'unauthorized');
    expectProblem(await call('GET', '/audit/consent-records/', bank()), 401, 'unauthorized');
    expectProblem(await call('GET', '/audit/data-agreements/', citizen()), 403);
    expectProblem(await call('GET', '/audit/data-agreement/{dataAgreementId}/', { cookie: workerCookie }, { ids: { dataAgreementId: bankAgreement } }), 403);
    expectProblem(await call('GET', '/audit/consent-record/{consentRecordId}/', { cookie: workerCookie }, { ids: { consentRecordId: otherRecord } }), 403);
  });
});

describe('unknown and malformed ids', () => {
  const paths: Array<['GET' | 'PUT' | 'DELETE' | 'POST', string, Who | (() => Who), unknown?]> = [
    ['GET', '/config/policy/{policyId}/', admin],
    ['GET', '/config/policy/{policyId}/revisions/', admin],
    ['DELETE', '/config/policy/{policyId}/', admin],
    ['PUT', '/config/policy/{policyId}/', admin, { policy: { name: 'x' } }],
    ['GET', '/config/data-agreement/{dataAgreementId}/', admin],
    ['PUT', '/config/data-agreement/{dataAgreementId}/', admin, { dataAgreement: { purpose: 'x' } }],
    ['DELETE', '/config/data-agreement/{dataAgreementId}/', admin],
    ['GET', '/config/individual/{individualId}/', admin],
    ['GET', '/config/webhook/{webhookId}/', admin],
    ['DELETE', '/config/webhook/{webhookId}/', admin],
    ['GET', '/service/individual/{individualId}/', citizen],
    ['GET', '/service/data-agreement/{dataAgreementId}/', citizen],
    ['GET', '/service/policy/{policyId}/', citizen],
    ['GET', '/service/verification/consent-record/{consentRecordId}/', citizen],
    ['PUT', '/service/individual/record/consent-record/{consentRecordId}/', citizen, { consentRecord: { optIn: false } }],
    ['POST', '/service/individual/record/consent-record/{consentRecordId}/signature/', citizen, { signature: {} }],
    ['GET', '/service/individual/record/data-agreement/{dataAgreementId}/', citizen],
    ['GET', '/service/individual/record/data-agreement/{dataAgreementId}/all/', citizen],
    ['GET', '/audit/consent-record/{consentRecordId}/', auditor],
    ['GET', '/audit/data-agreement/{dataAgreementId}/', auditor],
  ];
  const idsOf = (v: string) => ({ policyId: v, dataAgreementId: v, individualId: v, webhookId: v, consentRecordId: v });

  it('an unknown id is 404 with a problem', async () => {
    for (const [method, p, who, body] of paths) {
      const res = await call(method, p, typeof who === 'function' ? who() : who, { ids: idsOf(UNKNOWN), body });
      expectProblem(res, 404);
    }
  });

  it('a malformed id is 400 or 404, never 500', async () => {
    for (const bad of ['x', '1', 'not-a-uuid', "1' or '1'='1", '..%2F..%2Fetc', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ', 'a'.repeat(150), '%00']) {
      for (const [method, p, who, body] of paths) {
        const res = await app.inject({
          method,
          url: `${P}${p.replace(/\{\w+\}/g, bad)}`,
          remoteAddress: '10.8.0.9', // its own rate-limit budget
          headers: headersOf(typeof who === 'function' ? who() : who),
          ...(body !== undefined ? { payload: body as object } : {}),
        });
        expect([400, 404], `${method} ${p} with ${bad}: ${res.statusCode} ${res.body}`).toContain(res.statusCode);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expectProblem(await call('POST', '/service/individual/record/consent-record/draft/', citizen(), { query: `individualId=x&dataAgreementId=y` }), 403);
    const mine = (await call('GET', '/service/individuals/', citizen())).json().individuals[0].id;
    expectProblem(await call('POST', '/service/individual/record/consent-record/draft/', citizen(), { query: `individualId=${mine}&dataAgreementId=y` }), 404, 'agreement_not_found');
    expectProblem(await call('GET', '/config/policies/', admin(), { query: 'limit=-1' }), 400, 'validation_failed');
    expectProblem(await call('POST', '/config/policy/', admin(), { body: { policy: { name: 'no url' } } }), 400, 'validation_failed');
    expectProblem(await call('POST', '/config/policy/', admin(), { body: { policy: { name: 'x', url: 'javascript:alert(1)', dataRetentionPeriodDays: 1 } } }), 400, 'validation_failed');
  });
});
