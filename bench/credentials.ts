/**
 * Credential issuance (issue 5): POST /credentials/credential through the whole endpoint (access
 * token, JWT key proof with a single-use nonce, claims read from the resident registry through
 * the mediator, a status-list index, an SD-JWT VC signed and recorded), on real PostgreSQL, the
 * server in this process. Targets: at least 1,000 credentials/s, and at least 0.25x the raw
 * @sd-jwt issue loop (same claims, same frame, same key) measured in the same run. Also the
 * mobile resident ID's size (target < 3 KB).
 *
 * The wallet's own work (minting nonces, signing proofs) is done before the clock starts.
 */
import { createHash, createPublicKey, createSign, KeyObject, randomBytes, verify, type JsonWebKey as NodeJsonWebKey } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { verifyPresentation } from '../src/modules/credentials/verify.ts';
import { createClientKey } from '../src/modules/exchange/client-keys.ts';
import { seedForTests } from '../src/modules/exchange/management-testing.ts';
import { ISSUING_SYSTEM, RESIDENT_ID } from '../src/modules/credentials/documents.ts';
import { newNonce } from '../src/modules/credentials/issuer.ts';
import { createOffer } from '../src/modules/credentials/offers.ts';
import { seedResidents } from '../src/modules/registries/test-support.ts';
import { benchServer, fmt } from './lib.ts';

type Options = Parameters<typeof autocannon>[0];
const N = Number(process.env.BENCH_N ?? 4000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

const { platform, app, url, close } = await benchServer('credentials');
try {
  await seedForTests(platform);
  await createClientKey(platform, ISSUING_SYSTEM, { keepPrivate: true });
  const citizenId = (await seedResidents(app, platform, [{ serial: 1, name: '최지우', birthDate: '1990-05-05' }]))[0]!.id;

  // the wallet side, before the clock: one access token, N nonces and N proofs
  const offer = await createOffer(platform, { citizenId, configurationIds: [RESIDENT_ID.id], txCode: false }, 'bench');
  const code = (offer.offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as { 'pre-authorized_code': string })['pre-authorized_code'];
  const tokenRes = await fetch(`${url}/credentials/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code }) });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const bodies: string[] = [];
  for (let i = 0; i < N + 1; i++) {
    const proof = await new SignJWT({ nonce: await newNonce(platform) }).setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk }).setAudience(url).setIssuedAt().sign(privateKey);
    bodies.push(JSON.stringify({ credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: [proof] } }));
  }
  // and batches: BATCH key proofs per request (one credential each, as wallets ask for several
  // single-use credentials at once for unlinkability), sharing one registry read
  const BATCH = Number(process.env.BENCH_BATCH ?? 10);
  const batches: string[] = [];
  for (let i = 0; i < Math.ceil(N / BATCH); i++) {
    const jwts: string[] = [];
    for (let j = 0; j < BATCH; j++) jwts.push(await new SignJWT({ nonce: await newNonce(platform) }).setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk }).setAudience(url).setIssuedAt().sign(privateKey));
    batches.push(JSON.stringify({ credential_configuration_id: RESIDENT_ID.id, proofs: { jwt: jwts } }));
  }
  const headers = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
  const first = await fetch(`${url}/credentials/credential`, { method: 'POST', headers, body: bodies.pop()! });
  if (first.status !== 200) throw new Error(`credential endpoint: ${first.status} ${await first.text()}`);
  const sample = ((await first.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential;

  // baseline: the raw @sd-jwt issue loop, same claims and frame and key kind
  const key = KeyObject.from(privateKey);
  const raw = new SDJwtVcInstance({
    signer: (data: string) => createSign('sha256').update(data).sign({ key, dsaEncoding: 'ieee-p1363' }).toString('base64url'),
    signAlg: 'ES256',
    hasher: (d: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof d === 'string' ? d : Buffer.from(d)).digest()),
    hashAlg: 'sha-256',
    saltGenerator: (n = 16) => randomBytes(n).toString('base64url'),
  });
  const claims = JSON.parse(Buffer.from(sample.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const plain = {
    iss: claims.iss, vct: claims.vct, iat: claims.iat, exp: claims.exp, cnf: claims.cnf, status: claims.status,
    name: '최지우', birthdate: '1990-05-05', nationality: 'KR',
    address: { region: '서울특별시', locality: '종로구', street_address: '서울특별시 종로구 세종대로 209', postal_code: '03154', country: 'KR' },
    age_equal_or_over: { '14': true, '19': true, '65': false },
    issuing_authority: '행정안전부 (Ministry of the Interior and Safety)', issuing_country: 'KR',
  };
  const frame = {
    _sd: ['name', 'birthdate', 'nationality', 'address', 'age_equal_or_over', 'issuing_authority', 'issuing_country'],
    address: { _sd: ['region', 'locality', 'street_address', 'postal_code', 'country'] },
    age_equal_or_over: { _sd: ['14', '19', '65'] },
  };
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await raw.issue(plain as never, frame as never, { header: { typ: 'dc+sd-jwt', kid: 'k' } });
  const rawRate = N / ((performance.now() - t0) / 1000);

  // the part the registry read takes: the mediated read alone, as concurrent as the endpoint's
  let reads = 0;
  t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (reads < N) {
      reads++;
      await RESIDENT_ID.read(platform, citizenId, new Date());
    }
  }));
  const readRate = N / ((performance.now() - t0) / 1000);

  let next = 0;
  const template = { method: 'POST', path: '/credentials/credential', headers, setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[next++ % bodies.length] }) };
  t0 = performance.now();
  let last = t0;
  const run = autocannon({ url, connections, amount: bodies.length, requests: [template] } as unknown as Options) as unknown as Promise<Awaited<ReturnType<typeof autocannon>>> & {
    on(event: 'response', listener: () => void): void;
  };
  run.on('response', () => void (last = performance.now()));
  const r = await run;
  const rate = r.requests.total / ((last - t0) / 1000);
  const ok = (r as unknown as Record<string, number>)['2xx'] ?? 0;
  const size = Buffer.byteLength(sample);

  let nextBatch = 0;
  const batchTemplate = { method: 'POST', path: '/credentials/credential', headers, setupRequest: (req: Record<string, unknown>) => ({ ...req, body: batches[nextBatch++ % batches.length] }) };
  t0 = performance.now();
  let lastBatch = t0;
  const batchRun = autocannon({ url, connections: Math.max(2, Math.round(connections / 2)), amount: batches.length, requests: [batchTemplate] } as unknown as Options) as unknown as Promise<Awaited<ReturnType<typeof autocannon>>> & {
    on(event: 'response', listener: () => void): void;
  };
  batchRun.on('response', () => void (lastBatch = performance.now()));
  const rb = await batchRun;
  const batchRate = (rb.requests.total * BATCH) / ((lastBatch - t0) / 1000);
  const batchOk = (rb as unknown as Record<string, number>)['2xx'] ?? 0;

  // presentation verification: the same presentations (age over 19 with key binding), through the
  // raw @sd-jwt verify and through our offline verifier (issuer trust, audience, freshness, replay,
  // and the status from a cached list)
  const M = Math.min(N, 2000);
  const holder = new SDJwtVcInstance({
    hasher: (d: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof d === 'string' ? d : Buffer.from(d)).digest()),
    saltGenerator: (n = 16) => randomBytes(n).toString('base64url'),
    kbSigner: (data: string) => createSign('sha256').update(data).sign({ key, dsaEncoding: 'ieee-p1363' }).toString('base64url'),
    kbSignAlg: 'ES256',
  });
  const presentations: string[] = [];
  for (let i = 0; i < M; i++) presentations.push(await holder.present(sample, { age_equal_or_over: { '19': true } } as never, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: 'https://bank.example', nonce: `n-${i}` } } }));
  const { jwks } = (await (await fetch(`${url}/.well-known/jwt-vc-issuer`)).json()) as { jwks: { keys: JWK[] } };
  const statusUri = (claims.status as { status_list: { uri: string } }).status_list.uri;
  const statusToken = await (await fetch(statusUri)).text();
  const issuerJwk = jwks.keys[0]!;
  const issuerPub = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: issuerJwk.x, y: issuerJwk.y } as NodeJsonWebKey, format: 'jwk' });
  const holderPub = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as NodeJsonWebKey, format: 'jwk' });
  const rawVerifier = new SDJwtVcInstance({
    hasher: (d: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof d === 'string' ? d : Buffer.from(d)).digest()),
    verifier: (data: string, sig: string) => verify('sha256', Buffer.from(data), { key: issuerPub, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url')),
    kbVerifier: (data: string, sig: string) => verify('sha256', Buffer.from(data), { key: holderPub, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url')),
  });
  t0 = performance.now();
  for (let i = 0; i < M; i++) await rawVerifier.verify(presentations[i]!, { keyBindingNonce: `n-${i}`, disableStatusVerification: true });
  const rawVerify = M / ((performance.now() - t0) / 1000);
  const seen = new Set<string>();
  t0 = performance.now();
  for (let i = 0; i < M; i++) {
    await verifyPresentation(presentations[i]!, { trusted: [{ iss: url, keys: jwks.keys }], nonce: `n-${i}`, audience: 'https://bank.example', statusList: () => statusToken, seen });
  }
  const ourVerify = M / ((performance.now() - t0) / 1000);
  console.log(`credential issuance benchmark: real PostgreSQL, ${connections} connections, ${fmt(bodies.length)} credentials`);
  console.log(`  raw @sd-jwt issue loop (one core)         ${fmt(rawRate)}/s`);
  console.log(`  POST /credentials/credential              ${fmt(rate)}/s   p50 ${fmt(r.latency.p50)} ms   p99 ${fmt(r.latency.p99)} ms   (${fmt(ok)} ok, ${fmt(r.non2xx)} not)   ratio ${fmt(rate / rawRate, 2)}`);
  console.log(`  its registry read alone (mediated, ${connections} at once)  ${fmt(readRate)}/s`);
  console.log(`  POST /credentials/credential, ${BATCH} proofs a request   ${fmt(batchRate)} credentials/s   p50 ${fmt(rb.latency.p50)} ms   (${fmt(batchOk)} ok, ${fmt(rb.non2xx)} not)   ratio ${fmt(batchRate / rawRate, 2)}`);
  console.log(`    target >= 1,000/s and >= 0.25x raw: one proof a request ${rate >= 1000 && rate / rawRate >= 0.25 && !r.non2xx ? 'PASS' : 'FAIL'}, batches ${batchRate >= 1000 && batchRate / rawRate >= 0.25 && !rb.non2xx ? 'PASS' : 'FAIL'}`);
  console.log(`  mobile resident ID size                   ${fmt(size)} bytes   target < 3 KB ${size < 3072 ? 'PASS' : 'FAIL'}`);
  console.log(`  presentation verification, raw @sd-jwt    ${fmt(rawVerify)}/s (signature, disclosures, key binding; one core)`);
  console.log(`  verifyPresentation (+ trust, aud, age, replay, cached status)  ${fmt(ourVerify)}/s   ratio ${fmt(ourVerify / rawVerify, 2)}`);
  console.log(`    target >= 0.7x raw                      ${ourVerify / rawVerify >= 0.7 ? 'PASS' : 'FAIL'}`);
} finally {
  await close();
}
