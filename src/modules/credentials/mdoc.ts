// @peculiar/x509 2.x needs the reflect-metadata polyfill (tsyringe) and does not load it itself
import 'reflect-metadata';
import { DataItem, IssuerSignedDocument, parse, Verifier, type MDoc } from '@auth0/mdl';
import { cborDecode, cborEncode, DateOnly } from '@auth0/mdl/lib/cbor/index.js';
import { IssuerSignedItem } from '@auth0/mdl/lib/mdoc/IssuerSignedItem.js';
import IssuerAuthModule from '@auth0/mdl/lib/mdoc/model/IssuerAuth.js';
import * as x509 from '@peculiar/x509';
import { createHash, createPrivateKey, randomBytes, randomInt, randomUUID, type JsonWebKey as NodeJsonWebKey, type KeyObject } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import { openWithKey, sealWithKey } from '../../platform/crypto.ts';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import { CONFIGURATIONS } from './documents.ts';
import { OAuthError } from './errors.ts';
import { jwkThumbprint, type IssueOptions, type Issued } from './issuer.ts';
import { issuerOf } from './offers.ts';
import { recordIssued, statusListUri } from './status.ts';
import { statusInList, VerificationError, type TrustedIssuer, type VerificationCode } from './verify.ts';

/**
 * ISO/IEC 18013-5 mdocs (docs/credentials.md, "mdoc"): the issuing authority's root certificate
 * (IACA) and document-signer (DS) certificates, issuance of an mdoc as OpenID4VCI's `mso_mdoc`
 * (base64url CBOR `IssuerSigned`), and verification of a DeviceResponse presented over OpenID4VP.
 *
 * Certificates follow the ISO 18013-5 Annex B profile: P-256, ecdsa-with-SHA256, random 16-byte
 * serials, C=KR; the IACA a CA (pathLen 0) for keyCertSign and cRLSign, ten years; a DS for
 * digitalSignature with extKeyUsage 1.0.18013.5.1.2, at most 457 days; both with issuer
 * alternative name (the issuer's URL) and a CRL distribution point (the IACA's CRL, served by
 * routes.ts). Private keys are sealed like platform.keys seals its keys. A DS is used while its
 * certificate outlives a new mdoc (so for about 92 days of 365-day mdocs), then replaced under
 * the same IACA; the old one stays valid for the mdocs it signed, which carry it in x5chain.
 */
// a CommonJS default export: Node gives the module object, vitest's interop the class itself
const IssuerAuth = ((IssuerAuthModule as { default?: unknown }).default ?? IssuerAuthModule) as typeof IssuerAuthModule.default;
const DAY = 86_400_000;
const IACA_DAYS = 3653;
const DS_DAYS = 457;
const SKEW_MS = 5 * 60_000;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DS_EKU = '1.0.18013.5.1.2';
// distinct from the platform's locks (…601-603) and the message log's (…611)
const MDOC_LOCK = 4_621_202_621;
/** 128-bit salts, as the SD-JWT VCs use: ISO 18013-5 asks for at least 16 bytes. */
const SALT_BYTES = 16;
const MAX_PRESENTATION_BYTES = 64 * 1024;

type Kind = 'iaca' | 'ds';
interface CertRow {
  id: string;
  kind: Kind;
  issuer_id: string | null;
  status: 'active' | 'retired';
  certificate: string;
  private_enc: string;
  not_after: Date | string;
}
export interface MdocCertificate {
  id: string;
  kind: Kind;
  status: 'active' | 'retired';
  subject: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  issuerId: string | undefined;
  pem: string;
}

const aad = (id: string, kind: Kind) => `credentials.mdoc:${id}:${kind}`;
const certOf = (row: { certificate: string }) => new x509.X509Certificate(Buffer.from(row.certificate, 'base64'));
// named by the IACA's serial (its first 8 bytes: the URL is in every DS certificate, so in every mdoc)
const crlUri = (platform: Platform, iacaSerial: string) => `${issuerOf(platform)}/credentials/mdoc-crl/${iacaSerial.slice(0, 16)}`;
const present = (row: CertRow): MdocCertificate => {
  const c = certOf(row);
  return { id: row.id, kind: row.kind, status: row.status, subject: c.subject, serial: c.serialNumber, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), issuerId: row.issuer_id ?? undefined, pem: c.toString('pem') };
};

async function privateKeyOf(platform: Platform, row: CertRow): Promise<{ jwk: JsonWebKey; crypto: CryptoKey }> {
  const jwk = JSON.parse(openWithKey(platform.crypto.deriveKey('key-store'), row.private_enc, aad(row.id, row.kind))) as JsonWebKey;
  return { jwk, crypto: await crypto.subtle.importKey('jwk', jwk, EC, false, ['sign']) };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40; // positive, 16 bytes in DER
  return b.toString('hex');
}

/** Makes a certificate (IACA self-signed, DS under `iaca`) and its row; the caller inserts it. */
async function makeCertificate(platform: Platform, kind: Kind, now: Date, iaca?: { row: CertRow; key: CryptoKey }) {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const sn = serial();
  const stamp = `${now.toISOString().slice(0, 10).replaceAll('-', '')} ${sn.slice(0, 6)}`;
  const ian = new x509.IssuerAlternativeNameExtension([{ type: 'url', value: issuerOf(platform) }]);
  const notBefore = new Date(now.getTime() - SKEW_MS);
  let cert: x509.X509Certificate;
  if (kind === 'iaca') {
    cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: sn,
      name: `C=KR, CN=Hanaro IACA ${stamp}`,
      notBefore,
      notAfter: new Date(now.getTime() + IACA_DAYS * DAY),
      keys,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ian,
        new x509.CRLDistributionPointsExtension([crlUri(platform, sn)]),
      ],
    });
  } else {
    const ca = certOf(iaca!.row);
    cert = await x509.X509CertificateGenerator.create({
      serialNumber: sn,
      subject: `C=KR, CN=Hanaro mdoc DS ${stamp}`,
      issuer: ca.subject,
      notBefore,
      notAfter: new Date(Math.min(now.getTime() + DS_DAYS * DAY, ca.notAfter.getTime())),
      publicKey: keys.publicKey,
      signingKey: iaca!.key,
      signingAlgorithm: EC,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([DS_EKU], true),
        await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ian,
        new x509.CRLDistributionPointsExtension([crlUri(platform, ca.serialNumber)]),
      ],
    });
  }
  const der = Buffer.from(cert.rawData);
  const id = createHash('sha256').update(der).digest('base64url');
  const jwk = await crypto.subtle.exportKey('jwk', keys.privateKey);
  const row: CertRow = { id, kind, issuer_id: iaca?.row.id ?? null, status: 'active', certificate: der.toString('base64'), private_enc: sealWithKey(platform.crypto.deriveKey('key-store'), JSON.stringify(jwk), aad(id, kind)), not_after: cert.notAfter };
  return { row, cert, key: keys.privateKey };
}

const activeRow = async (db: Db, kind: Kind) =>
  (await rows<CertRow>(db, sql`select id, kind, issuer_id, status, certificate, private_enc, not_after from credentials.mdoc_certificate where kind = ${kind} and status = 'active'`))[0];

/**
 * Replaces what must be replaced, under a lock, in one transaction, audited: the DS always; the
 * IACA when asked, when there is none, or when it would not outlive a new DS's mdocs (`until`).
 */
async function renew(platform: Platform, opts: { iaca?: boolean; until?: Date; actor: string; onlyIfNeeded?: boolean }, now = new Date()): Promise<{ iaca?: MdocCertificate; ds: MdocCertificate }> {
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(${MDOC_LOCK})`);
    const until = opts.until ?? now;
    const ds = await activeRow(tx, 'ds');
    // another process renewed it while this one waited for the lock
    if (opts.onlyIfNeeded && ds && new Date(ds.not_after) >= until) return { ds: present(ds) };
    let iacaRow = await activeRow(tx, 'iaca');
    let madeIaca: CertRow | undefined;
    if (!iacaRow || opts.iaca || new Date(iacaRow.not_after) < new Date(until.getTime() + DAY)) {
      const made = await makeCertificate(platform, 'iaca', now);
      await tx.execute(sql`update credentials.mdoc_certificate set status = 'retired', retired_at = now() where kind = 'iaca' and status = 'active'`);
      await insert(tx, made.row);
      iacaRow = madeIaca = made.row;
    }
    const signer = await makeCertificate(platform, 'ds', now, { row: iacaRow, key: (await privateKeyOf(platform, iacaRow)).crypto });
    await tx.execute(sql`update credentials.mdoc_certificate set status = 'retired', retired_at = now() where kind = 'ds' and status = 'active'`);
    await insert(tx, signer.row);
    for (const r of [madeIaca, signer.row]) if (r) await platform.audit.append({ actor: opts.actor, action: 'keys.rotated', subject: `mdoc-certificate:${r.id}`, data: { kind: `mdoc-${r.kind}` } }, tx);
    signers.delete(platform);
    return { ...(madeIaca ? { iaca: present(madeIaca) } : {}), ds: present(signer.row) };
  });
}
const insert = (tx: Db, r: CertRow) =>
  tx.execute(sql`insert into credentials.mdoc_certificate (id, kind, issuer_id, status, certificate, private_enc, not_before, not_after)
    values (${r.id}, ${r.kind}, ${r.issuer_id}, 'active', ${r.certificate}, ${r.private_enc}, ${certOf(r).notBefore.toISOString()}, ${new Date(r.not_after).toISOString()})`);

/**
 * `hanaro keys rotate --mdoc ds|iaca`: a new document signer under the same IACA (`iaca: true`:
 * a new IACA root too, and the DS under it). Earlier mdocs stay verifiable: their DS travels in
 * their x5chain, and a retired IACA stays published while a DS it certified is unexpired.
 */
export function rotateMdocKeys(platform: Platform, opts: { iaca?: boolean; actor: string }): Promise<{ iaca?: MdocCertificate; ds: MdocCertificate }> {
  return renew(platform, opts);
}

/** Every mdoc certificate, newest first (for `hanaro keys list`). */
export async function mdocCertificates(platform: Platform): Promise<MdocCertificate[]> {
  return (await rows<CertRow>(platform.db, sql`select id, kind, issuer_id, status, certificate, private_enc, not_after from credentials.mdoc_certificate order by created_at desc, id`)).map(present);
}

/** The IACA certificates verifiers should trust, as PEM: the active one first, then retired ones a DS still needs. */
export async function publishedIacas(platform: Platform): Promise<string[]> {
  const query = () =>
    rows<{ certificate: string }>(
      platform.db,
      sql`select i.certificate from credentials.mdoc_certificate i where i.kind = 'iaca' and (i.status = 'active'
            or exists (select 1 from credentials.mdoc_certificate d where d.issuer_id = i.id and d.not_after > now()))
          order by i.status, i.created_at desc`,
    );
  let found = await query();
  // made on first use: asking for the roots is a use
  if (!found.length) {
    await documentSigner(platform, new Date());
    found = await query();
  }
  return found.map((r) => `${certOf(r).toString('pem')}\n`);
}

const crls = new WeakMap<Platform, Map<string, { at: number; der: Buffer }>>();
/** The CRL of the IACA whose serial starts with these 16 hex digits (DER; undefined: none). No DS has been revoked so far: it lists none. */
export async function iacaCrl(platform: Platform, iacaSerial: string): Promise<Buffer | undefined> {
  let cache = crls.get(platform);
  if (!cache) crls.set(platform, (cache = new Map()));
  const hit = cache.get(iacaSerial);
  if (hit && Date.now() - hit.at < 3600_000) return hit.der;
  const iacas = await rows<CertRow>(platform.db, sql`select id, kind, issuer_id, status, certificate, private_enc, not_after from credentials.mdoc_certificate where kind = 'iaca'`);
  const row = iacaSerial.length === 16 ? iacas.find((r) => certOf(r).serialNumber.startsWith(iacaSerial.toLowerCase())) : undefined;
  if (!row) return undefined;
  const ca = certOf(row);
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.subject,
    thisUpdate: new Date(),
    nextUpdate: new Date(Date.now() + 7 * DAY),
    signingKey: (await privateKeyOf(platform, row)).crypto,
    signingAlgorithm: EC,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey)],
  });
  const der = Buffer.from(crl.rawData);
  cache.set(iacaSerial, { at: Date.now(), der });
  return der;
}

// ---- issuance ---------------------------------------------------------------------------------

interface Signer {
  at: number;
  notAfter: Date;
  der: Buffer;
  key: KeyObject;
}
const signers = new WeakMap<Platform, Signer>();

/** The active DS, able to sign an mdoc valid until `until` (renewed first when it would expire sooner). */
async function documentSigner(platform: Platform, until: Date): Promise<Signer> {
  const hit = signers.get(platform);
  if (hit && Date.now() - hit.at < 5000 && hit.notAfter >= until) return hit;
  let row = await activeRow(platform.db, 'ds');
  if (!row || new Date(row.not_after) < until) {
    await renew(platform, { until, actor: 'system:credentials', onlyIfNeeded: true });
    row = (await activeRow(platform.db, 'ds'))!;
  }
  const { jwk } = await privateKeyOf(platform, row);
  const made = { at: Date.now(), notAfter: new Date(row.not_after), der: Buffer.from(row.certificate, 'base64'), key: createPrivateKey({ key: jwk as NodeJsonWebKey, format: 'jwk' }) };
  signers.set(platform, made);
  return made;
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Element values as CBOR wants them: `*_date` elements (and those inside driving_privileges) as full-date (tag 1004). */
function cborValue(key: string, v: unknown): unknown {
  if (typeof v === 'string' && key.endsWith('_date') && FULL_DATE.test(v)) return new DateOnly(v);
  if (Array.isArray(v)) return v.map((x) => cborValue(key, x));
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, cborValue(k, x)]));
  return v;
}

/** Shuffled digest IDs: their order says nothing about which element is which. */
function shuffled(n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Issues one mdoc of an `mso_mdoc` configuration for the citizen, bound to `holder` (its COSE key
 * in the MSO's deviceKeyInfo). Returns the base64url CBOR `IssuerSigned` (OpenID4VCI 1.0 A.2).
 *
 * The MSO is built here with the library's own pieces (IssuerSignedItem, DataItem, IssuerAuth)
 * rather than its Document builder, which can add neither the MSO's `status` (the Token Status
 * List reference, as the SD-JWT VCs carry) nor salts shorter than 32 bytes.
 */
export async function issueMdoc(platform: Platform, citizenId: string, configurationId: string, holder: JWK, opts: IssueOptions = {}): Promise<Issued> {
  const now = opts.now ?? new Date();
  const config = CONFIGURATIONS[configurationId];
  if (!config || config.format !== 'mso_mdoc' || !config.doctype) throw new OAuthError(400, 'unknown_credential_configuration', `no mdoc configuration ${configurationId.slice(0, 100)}`);
  const namespaces = (opts.claims ?? (await config.read(platform, citizenId, now))) as Record<string, Record<string, unknown>>;
  const validUntil = new Date(now.getTime() + config.validityDays * DAY);
  const signer = await documentSigner(platform, validUntil);
  const credentialId = randomUUID();
  const notificationId = opts.notificationId ?? randomBytes(16).toString('base64url');
  const { listId, idx } = await recordIssued(platform.db, { id: credentialId, citizenId, configurationId, format: 'mso_mdoc', holderJkt: jwkThumbprint(holder), expiresAt: validUntil, notificationId });

  const items: Record<string, IssuerSignedItem[]> = {};
  const valueDigests = new Map<string, Map<number, Uint8Array>>();
  for (const [ns, elements] of Object.entries(namespaces)) {
    const present = Object.entries(elements).filter(([, v]) => v !== undefined && v !== null);
    const ids = shuffled(present.length);
    items[ns] = present.map(([k, v], i) => new IssuerSignedItem(DataItem.fromData(new Map<string, unknown>([['digestID', ids[i]], ['random', randomBytes(SALT_BYTES)], ['elementIdentifier', k], ['elementValue', cborValue(k, v)]])) as never));
    valueDigests.set(ns, new Map(await Promise.all(items[ns]!.map(async (it) => [it.digestID as number, new Uint8Array(await it.calculateDigest('SHA-256'))] as const))));
  }
  const mso = new Map<string, unknown>([
    ['version', '1.0'],
    ['digestAlgorithm', 'SHA-256'],
    ['valueDigests', valueDigests],
    ['deviceKeyInfo', new Map([['deviceKey', new Map<number, unknown>([[1, 2], [-1, 1], [-2, Buffer.from(holder.x!, 'base64url')], [-3, Buffer.from(holder.y!, 'base64url')]])]])],
    ['docType', config.doctype],
    ['validityInfo', new Map([['signed', now], ['validFrom', now], ['validUntil', validUntil]])],
    ['status', new Map([['status_list', new Map<string, unknown>([['idx', idx], ['uri', statusListUri(platform, listId)]])]])],
  ]);
  const issuerAuth = await IssuerAuth.sign({ alg: 'ES256' }, { x5chain: signer.der }, cborEncode(DataItem.fromData(mso)), signer.key as never);
  const doc = new IssuerSignedDocument(config.doctype, { issuerAuth, nameSpaces: items });
  const credential = Buffer.from(cborEncode((doc.prepare() as Map<string, unknown>).get('issuerSigned'))).toString('base64url');
  return { credential, notificationId, credentialId };
}

/**
 * An mdoc as an OpenID4VCI credential response carries it (base64url CBOR `IssuerSigned`), as
 * @auth0/mdl's MDoc: what a wallet gives `DeviceResponse.from(…)` to present it.
 */
export function mdocFromIssuerSigned(credential: string | Uint8Array): MDoc {
  const bytes = typeof credential === 'string' ? Buffer.from(credential, 'base64url') : credential;
  const issuerSigned = cborDecode(bytes) as Map<string, unknown>;
  const mso = (cborDecode((issuerSigned.get('issuerAuth') as Uint8Array[])[2]!) as DataItem).data as Map<string, unknown>;
  return parse(cborEncode({ version: '1.0', documents: [new Map([['docType', mso.get('docType')], ['issuerSigned', issuerSigned]])], status: 0 }));
}

// ---- verification -----------------------------------------------------------------------------

/** The request an OpenID4VP presentation answers, from which both sides make the session transcript. */
export interface OpenId4VpTranscript {
  /** The request's client_id, with its prefix (e.g. `x509_hash:…`). */
  clientId: string;
  nonce: string;
  /** response_uri (direct_post) or redirect_uri. */
  responseUri: string;
  /** An encrypted response (direct_post.jwt): the RFC 7638 SHA-256 thumbprint of the verifier's encryption key. */
  jwkThumbprint?: Uint8Array | null;
}

/**
 * SessionTranscriptBytes for OpenID4VP 1.0 invoked by redirects (Appendix B.2.6.1):
 * `#6.24(bstr .cbor [null, null, ["OpenID4VPHandover", sha-256(cbor([clientId, nonce,
 * jwkThumbprint / null, responseUri]))]])`, tagged as @auth0/mdl's DeviceResponse
 * (`usingSessionTranscriptBytes`) and Verifier (`encodedSessionTranscript`) take it. The
 * library's own `usingSessionTranscriptForOID4VP` is the older ISO 18013-7 draft's handover.
 */
export function openId4VpSessionTranscript(t: OpenId4VpTranscript): Buffer {
  const info = cborEncode([t.clientId, t.nonce, t.jwkThumbprint ?? null, t.responseUri]);
  return Buffer.from(cborEncode(DataItem.fromData([null, null, ['OpenID4VPHandover', createHash('sha256').update(info).digest()]])));
}

export interface MdocVerifyOptions {
  /** Trusted IACA root certificates, PEM (Hanaro's: `/credentials/iaca.pem` or the trust list's `iaca`). */
  iacas: string[];
  /** The request answered (OpenID4VP 1.0 handover), or SessionTranscriptBytes made another way. */
  transcript: OpenId4VpTranscript | { encoded: Uint8Array };
  /** Issuers whose keys sign the status lists mdocs name (the trust list's `jwks`). */
  statusIssuers?: TrustedIssuer[];
  /** A cached Status List Token for a status list URI (undefined: not cached). */
  statusList?: (uri: string) => string | undefined | Promise<string | undefined>;
  /** The MSO validity is checked at this time (the certificate chain at the current time). */
  now?: Date;
  /** Presentations seen before (by device signature): a repeat is `replayed`. */
  seen?: { has(key: string): boolean; add(key: string): unknown };
  /** Accepted document types (default: any). */
  docTypes?: string[];
}

export interface MdocVerifiedDocument {
  docType: string;
  /** The disclosed issuer-signed elements, per namespace (full-dates as `YYYY-MM-DD`). */
  namespaces: Record<string, Record<string, unknown>>;
  validFrom: Date;
  validUntil: Date;
  /** The document signer certificate's subject. */
  signer: string;
  status: 'valid' | 'not-listed';
}

// @auth0/mdl's check ids, in our codes
const CODES: Record<string, VerificationCode> = {
  ISSUER_CERTIFICATE_VALIDITY: 'untrusted_issuer',
  ISSUER_SUBJECT_COUNTRY_NAME_PRESENCE: 'untrusted_issuer',
  ISSUER_SIGNATURE_VALIDITY: 'invalid_signature',
  MSO_SIGNED_DATE_WITHIN_CERTIFICATE_VALIDITY: 'expired',
  DOCUMENT_DEVICE_SIGNATURE_PRESENCE: 'key_binding_missing',
  DEVICE_AUTH_SIGNATURE_OR_MAC_PRESENCE: 'key_binding_missing',
  ISSUER_AUTH_DIGEST_ALGORITHM_SUPPORTED: 'tampered',
  ISSUER_AUTH_NAMESPACE_DIGEST_PRESENCE: 'tampered',
  ATTRIBUTE_DIGEST_MATCH: 'tampered',
  ISSUING_COUNTRY_MATCHES_CERTIFICATE: 'tampered',
  ISSUING_JURISDICTION_MATCHES_CERTIFICATE: 'tampered',
};
const codeOf = (id: string | undefined): VerificationCode => (id ? (CODES[id] ?? (id.startsWith('DEVICE_') || id.includes('MAC') || id.startsWith('EPHEMERAL') ? 'key_binding_invalid' : 'malformed')) : 'malformed');

const plain = (v: unknown): unknown => {
  if (v instanceof DateOnly) return v.toISOString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
};
const field = (m: unknown, k: string): unknown => (m instanceof Map ? m.get(k) : m && typeof m === 'object' ? (m as Record<string, unknown>)[k] : undefined);

/**
 * Verifies an mdoc DeviceResponse (CBOR, or base64url as OpenID4VP's vp_token carries it) with
 * @auth0/mdl's Verifier: the DS certificate chains to a trusted IACA (and is a DS: extKeyUsage
 * 1.0.18013.5.1.2), the issuer signature, every disclosed element's digest, and the device
 * signature over the session transcript (a wrong nonce, client_id or response_uri makes that
 * fail: `key_binding_invalid`); then the MSO's validity at `now` and its status list entry. No
 * network call. Errors are the SD-JWT verifier's VerificationError codes.
 */
export async function verifyMdocPresentation(presentation: string | Uint8Array, opts: MdocVerifyOptions): Promise<MdocVerifiedDocument[]> {
  const bytes = typeof presentation === 'string' ? (/^[A-Za-z0-9_-]+$/.test(presentation) ? Buffer.from(presentation, 'base64url') : Buffer.alloc(0)) : presentation;
  if (!bytes.length || bytes.length > MAX_PRESENTATION_BYTES) throw new VerificationError('malformed', 'not an mdoc DeviceResponse');
  const encodedSessionTranscript = 'encoded' in opts.transcript ? opts.transcript.encoded : openId4VpSessionTranscript(opts.transcript);
  const now = opts.now ?? new Date();
  let failed: VerificationError | undefined;
  const onCheck = (c: { status: string; id?: string; check: string; reason?: string }) => {
    // the MSO's validity is checked below, at opts.now
    if (c.status !== 'FAILED' || c.id === 'MSO_VALIDITY_AT_VERIFICATION_TIME') return;
    failed ??= new VerificationError(codeOf(c.id), `${c.check}${c.reason ? `: ${c.reason}` : ''}`.slice(0, 300));
    throw failed;
  };
  let response: MDoc;
  try {
    response = await new Verifier(opts.iacas).verify(bytes, { encodedSessionTranscript, onCheck: onCheck as never });
  } catch (e) {
    if (failed) throw failed;
    throw new VerificationError('malformed', `not a valid DeviceResponse: ${e instanceof Error ? e.message.slice(0, 120) : 'unreadable'}`);
  }
  if (!response.documents.length) throw new VerificationError('malformed', 'the DeviceResponse holds no document');
  const out: MdocVerifiedDocument[] = [];
  for (const doc of response.documents) {
    if (opts.docTypes && !opts.docTypes.includes(doc.docType)) throw new VerificationError('malformed', `document type ${doc.docType} was not asked for`);
    const { issuerAuth } = doc.issuerSigned;
    const ds = new x509.X509Certificate(Buffer.from(issuerAuth.x5chain![0]!));
    if (!ds.getExtension(x509.ExtendedKeyUsageExtension)?.usages.includes(DS_EKU)) throw new VerificationError('untrusted_issuer', 'the signer certificate is not an mdoc document signer');
    const mso = issuerAuth.decodedPayload as unknown as Record<string, unknown> & { validityInfo: { validFrom: Date; validUntil: Date } };
    const { validFrom, validUntil } = mso.validityInfo;
    if (!(validFrom <= now && now <= validUntil)) throw new VerificationError('expired', 'the mdoc is expired or not yet valid');
    const ref = field(mso.status, 'status_list');
    if (ref) {
      const idx = field(ref, 'idx');
      const uri = field(ref, 'uri');
      if (typeof uri !== 'string' || !Number.isInteger(idx)) throw new VerificationError('malformed', 'the status reference is malformed');
      const token = await opts.statusList?.(uri);
      if (!token) throw new VerificationError('status_unavailable', `no cached status list for ${uri}`);
      const st = statusInList(token, uri, idx as number, opts.statusIssuers ?? [], now);
      if (st === 2) throw new VerificationError('suspended', 'the issuer suspended this mdoc');
      if (st !== 0) throw new VerificationError('revoked', 'the issuer revoked this mdoc');
    }
    out.push({
      docType: doc.docType,
      namespaces: Object.fromEntries(Object.entries(doc.issuerSigned.nameSpaces).map(([ns, list]) => [ns, Object.fromEntries(list.map((it) => [it.elementIdentifier, plain(it.elementValue)]))])),
      validFrom,
      validUntil,
      signer: ds.subject,
      status: ref ? 'valid' : 'not-listed',
    });
  }
  if (opts.seen) {
    const sigs = response.documents.map((d) => (d as unknown as { deviceSigned?: { deviceAuth?: { deviceSignature?: { signature?: Uint8Array } } } }).deviceSigned?.deviceAuth?.deviceSignature?.signature ?? new Uint8Array());
    const key = createHash('sha256').update(Buffer.concat(sigs)).digest('base64url');
    if (opts.seen.has(key)) throw new VerificationError('replayed', 'this presentation was used before');
    opts.seen.add(key);
  }
  return out;
}
