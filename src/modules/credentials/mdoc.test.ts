import { createHash, randomBytes } from 'node:crypto';
import { DataItem, DeviceResponse, Verifier } from '@auth0/mdl';
import { cborDecode, cborEncode } from '@auth0/mdl/lib/cbor/index.js';
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import * as x509 from '@peculiar/x509';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlatform } from '../../platform/testing.ts';
import { seedRecords, seedResidents } from '../registries/test-support.ts';
import { DRIVING_LICENCE_MDOC, MDL_DOCTYPE, MDL_NAMESPACE, RESIDENT_ID_DOCTYPE, RESIDENT_ID_MDOC, splitKoreanName } from './documents.ts';
import { mdocFromIssuerSigned, openId4VpSessionTranscript, rotateMdocKeys, verifyMdocPresentation, type OpenId4VpTranscript } from './mdoc.ts';
import { createOffer } from './offers.ts';
import { credentialsOf, setStatus } from './status.ts';
import { VerificationError } from './verify.ts';
import { listeningIssuer } from './test-support.ts';

// ISO/IEC 18013-5 mdocs end to end: an independent OpenID4VCI wallet (@openid4vc/openid4vci)
// receives the mDL and the mobile resident ID over real HTTP; @auth0/mdl (not our code) parses
// them, makes a DeviceResponse that discloses only age_over_19 under the OpenID4VP 1.0 session
// transcript, and verifies it against our published IACA; our verifier agrees, and refuses each
// kind of bad presentation with its own code.

let app: FastifyInstance;
let t: TestPlatform;
let citizenId: string;

beforeAll(async () => {
  ({ app, t } = await listeningIssuer());
  [{ id: citizenId }] = (await seedResidents(app, t, [{ serial: 1, name: '최지우', birthDate: '2005-03-14' }])) as [{ id: string; rrn: string }];
  await seedRecords(app, t, 'licence', 'KR/GOV/KNPA/licence-registry', [
    { subjectId: citizenId, licenceNumber: '11-24-123456-01', licenceClass: 'class1-ordinary', issueDate: '2024-06-01', renewalDue: '2034-06-01', status: 'valid' },
  ]);
}, 90_000);
afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

/** The independent wallet receives one credential of `configurationId` (pre-authorized code, transaction code, JWT proof). */
async function receive(configurationId: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const client = new Openid4vciClient({
    callbacks: {
      fetch,
      hash: (data: Uint8Array, alg: string) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
      generateRandom: (n: number) => new Uint8Array(randomBytes(n)),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (signer: { publicJwk?: unknown }, { header, payload }: { header: Record<string, unknown>; payload: Record<string, unknown> }) => ({
        jwt: await new SignJWT(payload).setProtectedHeader(header as never).sign(privateKey),
        signerJwk: signer.publicJwk,
      }),
    } as never,
  });
  const offer = await createOffer(t, { citizenId, configurationIds: [configurationId] }, 'official:test');
  const credentialOffer = await client.resolveCredentialOffer(offer.uri);
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.txCode });
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: configurationId, nonce: c_nonce, signer: { method: 'jwk', alg: 'ES256', publicJwk } as never });
  const { credentialResponse } = await client.retrieveCredentials({ issuerMetadata, credentialConfigurationId: configurationId, proofs: { jwt: [jwt] }, accessToken: accessTokenResponse.access_token });
  const credential = (credentialResponse.credentials![0] as { credential: string }).credential;
  const [row] = (await credentialsOf(t, citizenId)).filter((c) => c.configurationId === configurationId);
  return { credential, credentialId: row!.id, privateJwk: await exportJWK(privateKey), publicJwk };
}

const request = (nonce = randomBytes(16).toString('base64url')): OpenId4VpTranscript => ({ clientId: 'x509_hash:uEc0Eo0XSSHoE0kI9UtTXIOAUVGd8I5b4kuM9WM0yB4', nonce, responseUri: 'https://bank.example/openid4vp/response' });

/** The wallet's DeviceResponse with @auth0/mdl: only `elements` disclosed, signed with the holder's key over the transcript. */
async function present(held: { credential: string; privateJwk: JWK }, docType: string, ns: string, elements: string[], transcript: OpenId4VpTranscript): Promise<Uint8Array> {
  const pd = {
    id: 'request',
    input_descriptors: [{ id: docType, format: { mso_mdoc: { alg: ['ES256'] } }, constraints: { limit_disclosure: 'required', fields: elements.map((e) => ({ path: [`$['${ns}']['${e}']`], intent_to_retain: false })) } }],
  };
  const dr = await DeviceResponse.from(mdocFromIssuerSigned(held.credential))
    .usingPresentationDefinition(pd as never)
    .usingSessionTranscriptBytes(openId4VpSessionTranscript(transcript))
    .authenticateWithSignature(held.privateJwk, 'ES256')
    .sign();
  return dr.encode();
}

/** What a verifier caches from Hanaro: the trust list's IACA roots and keys, and the status lists. */
async function trust() {
  const entry = (await app.inject({ url: '/credentials/trust-list' })).json().issuers[0] as { iss: string; jwks: { keys: JWK[] }; iaca: string[] };
  return { iacas: entry.iaca, statusIssuers: [{ iss: entry.iss, keys: entry.jwks.keys }], statusList: async (uri: string) => (await app.inject({ url: new URL(uri).pathname })).body };
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'verified', (e: unknown) => (e instanceof VerificationError ? e.code : `not a VerificationError: ${String(e)}`));

let mdl: Awaited<ReturnType<typeof receive>>;
let pid: Awaited<ReturnType<typeof receive>>;

describe('issuance (mso_mdoc over OpenID4VCI 1.0)', () => {
  it('publishes both mdoc configurations, the IACA in the trust list and as PEM, and its CRL', async () => {
    const meta = (await app.inject({ url: '/.well-known/openid-credential-issuer' })).json();
    expect(meta.credential_configurations_supported[DRIVING_LICENCE_MDOC.id]).toMatchObject({
      format: 'mso_mdoc',
      doctype: MDL_DOCTYPE,
      cryptographic_binding_methods_supported: ['cose_key'],
      credential_signing_alg_values_supported: [-7, -9],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
    });
    expect(meta.credential_configurations_supported[RESIDENT_ID_MDOC.id].credential_metadata.claims).toContainEqual(expect.objectContaining({ path: [RESIDENT_ID_DOCTYPE, 'age_over_19'] }));
    expect(meta.credential_configurations_supported[RESIDENT_ID_MDOC.id]).not.toHaveProperty('vct');

    const { iacas } = await trust();
    expect(iacas).toHaveLength(1);
    const iaca = new x509.X509Certificate(iacas[0]!);
    expect(iaca.subject).toMatch(/^C=KR, CN=Hanaro IACA /);
    expect(await iaca.isSelfSigned()).toBe(true);
    expect(iaca.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0, critical: true });
    expect(iaca.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(iaca.notAfter.getTime() - iaca.notBefore.getTime()).toBeGreaterThan(9 * 365 * 86400_000);

    const pem = await app.inject({ url: '/credentials/iaca.pem' });
    expect(pem.headers['content-type']).toMatch(/application\/x-pem-file/);
    expect(pem.headers['cache-control']).toBe('public, max-age=300');
    expect(pem.body).toBe(iacas.join(''));
    expect((await app.inject({ url: '/credentials/iaca.pem', headers: { 'if-none-match': String(pem.headers.etag) } })).statusCode).toBe(304);

    const crlUrl = iaca.getExtension(x509.CRLDistributionPointsExtension)!.distributionPoints[0]!.distributionPoint!.fullName![0]!.uniformResourceIdentifier!;
    const crl = await app.inject({ url: new URL(crlUrl).pathname });
    expect(crl.headers['content-type']).toBe('application/pkix-crl');
    const parsed = new x509.X509Crl(new Uint8Array(crl.rawPayload));
    expect(await parsed.verify({ publicKey: iaca.publicKey })).toBe(true);
    expect(parsed.entries).toHaveLength(0);
    expect((await app.inject({ url: '/credentials/mdoc-crl/0badc0de' })).statusCode).toBe(404);
  });

  it('the mDL reaches an independent wallet as base64url IssuerSigned; @auth0/mdl parses it; its DS chains to the IACA', async () => {
    mdl = await receive(DRIVING_LICENCE_MDOC.id);
    const issuerSigned = cborDecode(Buffer.from(mdl.credential, 'base64url')) as Map<string, unknown>;
    expect([...issuerSigned.keys()]).toEqual(['nameSpaces', 'issuerAuth']);
    const doc = mdocFromIssuerSigned(mdl.credential).documents[0]!;
    expect(doc.docType).toBe(MDL_DOCTYPE);
    const el = doc.getIssuerNameSpace(MDL_NAMESPACE);
    expect(el).toMatchObject({ family_name: '최', given_name: '지우', issuing_country: 'KR', un_distinguishing_sign: 'ROK', document_number: '11-24-123456-01', age_over_14: true, age_over_19: true, age_over_65: false });
    expect(String(el.birth_date)).toBe('2005-03-14');
    // CBOR maps, decoded as Maps
    expect(el.driving_privileges.map((p: Map<string, unknown>) => p.get('vehicle_category_code'))).toEqual(['B', 'C1']);
    expect(String(el.driving_privileges[0].get('expiry_date'))).toBe('2034-06-01');
    expect(el).not.toHaveProperty('portrait');
    const { issuerAuth } = doc.issuerSigned;
    const mso = issuerAuth.decodedPayload as unknown as { status: Map<string, Map<string, unknown>>; deviceKeyInfo: { deviceKey: Map<number, Uint8Array> } };
    expect(mso.status.get('status_list')!.get('uri')).toMatch(/\/credentials\/status\/1$/);
    expect(Buffer.from(mso.deviceKeyInfo.deviceKey.get(-2)!).toString('base64url')).toBe(mdl.publicJwk.x);
    const ds = new x509.X509Certificate(Buffer.from(issuerAuth.x5chain![0]!));
    const iaca = new x509.X509Certificate((await trust()).iacas[0]!);
    expect(await ds.verify({ publicKey: iaca.publicKey })).toBe(true);
    expect(ds.issuer).toBe(iaca.subject);
    expect(ds.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual(['1.0.18013.5.1.2']);
    expect(ds.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(ds.notAfter.getTime() - ds.notBefore.getTime()).toBeLessThanOrEqual(457 * 86400_000 + 10 * 60_000);
    expect((await credentialsOf(t, citizenId)).find((c) => c.id === mdl.credentialId)).toMatchObject({ status: 'valid' });
  });

  it('the mobile resident ID mdoc is under 3 KB', async () => {
    pid = await receive(RESIDENT_ID_MDOC.id);
    const bytes = Buffer.from(pid.credential, 'base64url');
    // the CBOR IssuerSigned with all 14 elements and the DS certificate (base64url in the response is 4/3 of it)
    expect(bytes.length).toBeLessThan(3000);
    const el = mdocFromIssuerSigned(pid.credential).documents[0]!.getIssuerNameSpace(RESIDENT_ID_DOCTYPE);
    expect(Object.keys(el).sort()).toEqual(RESIDENT_ID_MDOC.claims.map((c) => c.path[1]).sort());
    expect(el).toMatchObject({ family_name: '최', given_name: '지우', nationality: 'KR', resident_state: '서울특별시', resident_country: 'KR', age_over_19: true });
  });

  it('a bad proof for an mdoc is the OAuth-shaped 400', async () => {
    const offer = await createOffer(t, { citizenId, configurationIds: [RESIDENT_ID_MDOC.id], txCode: false }, 'official:test');
    const code = (offer.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
    const tok = await app.inject({ method: 'POST', url: '/credentials/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }).toString() });
    const auth = { authorization: `Bearer ${tok.json().access_token}` };
    for (const proof of ['not-a-jwt', await new SignJWT({ nonce: 'x' }).setProtectedHeader({ alg: 'HS256', typ: 'openid4vci-proof+jwt' }).sign(randomBytes(32))]) {
      const res = await app.inject({ method: 'POST', url: '/credentials/credential', headers: auth, payload: { credential_configuration_id: RESIDENT_ID_MDOC.id, proofs: { jwt: [proof] } } });
      expect(res.statusCode).toBe(400);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toMatchObject({ error: 'invalid_proof' });
    }
  });
});

describe('내 전자증명서 (/documents)', () => {
  it('offers each mdoc next to its SD-JWT VC, and the mdoc offer works', async () => {
    const signIn = await app.inject({ url: '/sign-in' });
    const csrf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)![1]!;
    const cookies = (r: { headers: Record<string, unknown> }) => [r.headers['set-cookie']].flat().filter(Boolean).map((c) => String(c).split(';')[0]);
    const res = await app.inject({ method: 'POST', url: '/dev/sign-in/resident', headers: { cookie: cookies(signIn).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ citizen: citizenId, _csrf: csrf(signIn.body) }).toString() });
    const session = cookies(res).find((c) => c!.startsWith('__Host-hanaro-session='))!;
    const page = await app.inject({ url: '/documents', headers: { cookie: session } });
    expect(page.statusCode).toBe(200);
    // one entry per document, the mdoc as a second button in it
    expect(page.body.match(/<strong>모바일 주민등록증/g)).toHaveLength(1);
    expect(page.body).toContain(`value="${RESIDENT_ID_MDOC.id}"`);
    expect(page.body).toMatch(/aria-label="ISO mdoc 형식으로 받기: 모바일 주민등록증 \(ISO mdoc\)"[^>]*>\s*ISO mdoc 형식으로 받기/);
    const jar = [session, ...cookies(page)].join('; ');
    const offer = await app.inject({ method: 'POST', url: '/documents/offer', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ configuration: DRIVING_LICENCE_MDOC.id, _csrf: csrf(page.body) }).toString() });
    expect(offer.statusCode).toBe(200);
    const uri = /href="(openid-credential-offer:\/\/[^"]+)"/.exec(offer.body)![1]!.replace(/&amp;/g, '&');
    expect(JSON.parse(new URL(uri).searchParams.get('credential_offer')!).credential_configuration_ids).toEqual([DRIVING_LICENCE_MDOC.id]);
  });
});

describe('presentation (DeviceResponse, OpenID4VP 1.0 handover)', () => {
  it('discloses only age_over_19: @auth0/mdl verifies it against our IACA, and so does verifyMdocPresentation', async () => {
    for (const [held, docType, ns] of [
      [mdl, MDL_DOCTYPE, MDL_NAMESPACE],
      [pid, RESIDENT_ID_DOCTYPE, RESIDENT_ID_DOCTYPE],
    ] as const) {
      const req = request();
      const response = await present(held, docType, ns, ['age_over_19'], req);
      const independent = await new Verifier((await trust()).iacas).verify(response, { encodedSessionTranscript: openId4VpSessionTranscript(req) });
      expect(independent.documents[0]!.getIssuerNameSpace(ns)).toEqual({ age_over_19: true });
      const ours = await verifyMdocPresentation(Buffer.from(response).toString('base64url'), { ...(await trust()), transcript: req, docTypes: [docType] });
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatchObject({ docType, namespaces: { [ns]: { age_over_19: true } }, status: 'valid', signer: expect.stringMatching(/CN=Hanaro mdoc DS/) });
      expect(Object.keys(ours[0]!.namespaces[ns]!)).toEqual(['age_over_19']);
    }
  });

  it('full-dates come back as YYYY-MM-DD and the holder’s choice of elements is what is disclosed', async () => {
    const req = request();
    const [v] = await verifyMdocPresentation(await present(mdl, MDL_DOCTYPE, MDL_NAMESPACE, ['birth_date', 'driving_privileges'], req), { ...(await trust()), transcript: req });
    expect(v!.namespaces[MDL_NAMESPACE]).toEqual({ birth_date: '2005-03-14', driving_privileges: [expect.objectContaining({ vehicle_category_code: 'B', issue_date: '2024-06-01', expiry_date: '2034-06-01' }), expect.objectContaining({ vehicle_category_code: 'C1' })] });
  });

  it('an IACA we do not trust: untrusted_issuer (and @auth0/mdl refuses too)', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const other = await x509.X509CertificateGenerator.createSelfSigned({ name: 'C=KR, CN=Someone else', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, extensions: [new x509.BasicConstraintsExtension(true, 0, true)] });
    const req = request();
    const response = await present(pid, RESIDENT_ID_DOCTYPE, RESIDENT_ID_DOCTYPE, ['age_over_19'], req);
    await expect(new Verifier([other.toString('pem')]).verify(response, { encodedSessionTranscript: openId4VpSessionTranscript(req) })).rejects.toThrow();
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), iacas: [other.toString('pem')], transcript: req }))).toBe('untrusted_issuer');
  });

  it('an element whose value was changed: tampered (its digest no longer matches the MSO)', async () => {
    const req = request();
    const response = await present(pid, RESIDENT_ID_DOCTYPE, RESIDENT_ID_DOCTYPE, ['family_name'], req);
    const dr = cborDecode(response) as Map<string, Array<Map<string, Map<string, Map<string, DataItem[]>>>>>;
    const items = dr.get('documents')![0]!.get('issuerSigned')!.get('nameSpaces')!.get(RESIDENT_ID_DOCTYPE)!;
    const changed = new Map(items[0]!.data as Map<string, unknown>);
    changed.set('elementValue', '김');
    items[0] = DataItem.fromData(changed);
    const forged = cborEncode(dr);
    await expect(new Verifier((await trust()).iacas).verify(forged, { encodedSessionTranscript: openId4VpSessionTranscript(req) })).rejects.toThrow();
    expect(await codeOf(verifyMdocPresentation(forged, { ...(await trust()), transcript: req }))).toBe('tampered');
  });

  it('a presentation made for another nonce (session transcript): key_binding_invalid', async () => {
    const req = request();
    const response = await present(pid, RESIDENT_ID_DOCTYPE, RESIDENT_ID_DOCTYPE, ['age_over_19'], req);
    const other = { ...req, nonce: 'another-nonce' };
    await expect(new Verifier((await trust()).iacas).verify(response, { encodedSessionTranscript: openId4VpSessionTranscript(other) })).rejects.toThrow();
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: other }))).toBe('key_binding_invalid');
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: { ...req, responseUri: 'https://evil.example/response' } }))).toBe('key_binding_invalid');
    // replayed, expired, no status list, garbage
    const seen = new Set<string>();
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: req, seen }))).toBe('verified');
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: req, seen }))).toBe('replayed');
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: req, now: new Date(Date.now() + 400 * 86400_000) }))).toBe('expired');
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: req, statusList: () => undefined }))).toBe('status_unavailable');
    expect(await codeOf(verifyMdocPresentation('bm90IGNib3I', { ...(await trust()), transcript: req }))).toBe('malformed');
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: req, docTypes: [MDL_DOCTYPE] }))).toBe('malformed');
  });

  it('revoked or suspended through the status list (setStatus): the presentation fails', async () => {
    const held = await receive(RESIDENT_ID_MDOC.id);
    const req = request();
    const response = await present(held, RESIDENT_ID_DOCTYPE, RESIDENT_ID_DOCTYPE, ['age_over_19'], req);
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: req }))).toBe('verified');
    await setStatus(t, [held.credentialId], 'suspended', 'test', 'official:test');
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: req }))).toBe('suspended');
    await setStatus(t, [held.credentialId], 'invalid', 'test', 'official:test');
    expect(await codeOf(verifyMdocPresentation(response, { ...(await trust()), transcript: req }))).toBe('revoked');
  });
});

describe('certificate rotation', () => {
  it('a new DS under the same IACA, then a new IACA: mdocs from before each rotation still verify', async () => {
    const before = await receive(DRIVING_LICENCE_MDOC.id);
    const { iacas: [firstIaca] } = await trust();
    const dsRotation = await rotateMdocKeys(t, { actor: 'operator:test' });
    expect(dsRotation.iaca).toBeUndefined();
    const afterDs = await receive(DRIVING_LICENCE_MDOC.id);
    const iacaRotation = await rotateMdocKeys(t, { iaca: true, actor: 'operator:test' });
    expect(iacaRotation.iaca).toBeDefined();
    const afterIaca = await receive(DRIVING_LICENCE_MDOC.id);
    const { iacas } = await trust();
    // the new root first, the old one kept while a DS it certified is unexpired
    expect(iacas).toHaveLength(2);
    expect(iacas[1]).toBe(firstIaca);
    const signers = new Set<string>();
    for (const held of [before, afterDs, afterIaca]) {
      const req = request();
      const response = await present(held, MDL_DOCTYPE, MDL_NAMESPACE, ['age_over_19'], req);
      await new Verifier(iacas).verify(response, { encodedSessionTranscript: openId4VpSessionTranscript(req) });
      const [v] = await verifyMdocPresentation(response, { ...(await trust()), transcript: req });
      signers.add(v!.signer);
    }
    expect(signers.size).toBe(3);
    const audit = await t.audit.tail(10);
    expect(audit.filter((e) => e.action === 'keys.rotated' && String(e.subject).startsWith('mdoc-certificate:')).map((e) => (e.data as { kind: string }).kind)).toEqual(expect.arrayContaining(['mdoc-ds', 'mdoc-iaca']));
  });
});

describe('parts', () => {
  it('the OpenID4VP 1.0 handover gives the specification’s SessionTranscript (Appendix B.2.6.1 example)', () => {
    const bytes = openId4VpSessionTranscript({
      clientId: 'x509_san_dns:example.com',
      nonce: 'exc7gBkxjx1rdc9udRrveKvSsJIq80avlXeLHhGwqtA',
      jwkThumbprint: Buffer.from('4283ec927ae0f208daaa2d026a814f2b22dca52cf85ffa8f3f8626c6bd669047', 'hex'),
      responseUri: 'https://example.com/response',
    });
    const inner = (cborDecode(bytes) as DataItem).buffer;
    expect(Buffer.from(inner).toString('hex')).toBe('83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac');
  });

  it('splits Korean names: one-syllable family names, compound ones in four-syllable names, others whole', () => {
    expect(splitKoreanName('최지우')).toEqual({ family_name: '최', given_name: '지우' });
    expect(splitKoreanName('남궁민수')).toEqual({ family_name: '남궁', given_name: '민수' });
    expect(splitKoreanName('선우진')).toEqual({ family_name: '선', given_name: '우진' });
    expect(splitKoreanName('SMITH JOHN')).toEqual({ family_name: 'SMITH JOHN', given_name: '' });
  });
});
