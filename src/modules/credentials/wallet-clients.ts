import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import { BadRequestError, ConflictError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Names } from './configuration.ts';

/**
 * The wallet apps allowed to use the authorization code flow: OAuth public clients (no secret; a
 * wallet app cannot keep one), each with the exact redirect URIs it may be sent back to. An
 * operator registers them (`hanaro credentials wallet-client create`). They are the issuer's own
 * and not identity's single sign-on clients: a wallet signs nobody in to a service, and a
 * single sign-on client must not be able to ask for documents.
 */
export interface WalletClient {
  id: string;
  name: Names;
  redirectUris: string[];
  disabled: boolean;
  createdAt: string;
}

export const WALLET_CLIENT_ID = /^[A-Za-z0-9._:-]{3,100}$/;
// schemes a browser would run or read locally instead of handing to an app
const REFUSED_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:', 'ws:', 'wss:', 'ftp:']);

/** Why a redirect URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(platform: Platform, uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'not an absolute URI';
  }
  if (uri.length > 500) return 'longer than 500 characters';
  if (url.hash || uri.includes('#')) return 'must not have a fragment';
  if (REFUSED_SCHEMES.has(url.protocol)) return `the scheme ${url.protocol} is not allowed`;
  // an app's private-use scheme (RFC 8252 §7.1, e.g. kr.example.wallet:/callback), https, or http in demo mode
  if (url.protocol === 'http:' && platform.config.mode === 'production') return 'must be https (or an app scheme) in production';
  return undefined;
}

export async function createWalletClient(platform: Platform, input: { id: string; name: Names; redirectUris: string[] }, actor: string): Promise<WalletClient> {
  if (!WALLET_CLIENT_ID.test(input.id)) throw new BadRequestError('a client id is 3 to 100 letters, digits, . _ : -', undefined, 'invalid_client_id');
  if (!input.name.ko.trim() || !input.name.en.trim() || input.name.ko.length > 100 || input.name.en.length > 100) throw new BadRequestError('give the wallet\u2019s name in Korean and English (at most 100 characters)', undefined, 'invalid_name');
  if (!input.redirectUris.length || input.redirectUris.length > 10) throw new BadRequestError('give one to ten redirect URIs', undefined, 'invalid_redirect_uri');
  for (const u of input.redirectUris) {
    const problem = redirectUriProblem(platform, u);
    if (problem) throw new BadRequestError(`${u.slice(0, 100)}: ${problem}`, undefined, 'invalid_redirect_uri');
  }
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const made = await rows(tx, sql`insert into credentials.wallet_client (id, name_ko, name_en, redirect_uris, created_by)
      values (${input.id}, ${input.name.ko.trim()}, ${input.name.en.trim()}, ${JSON.stringify(input.redirectUris)}::jsonb, ${actor}) on conflict (id) do nothing returning 1`);
    if (!made.length) throw new ConflictError('a wallet client with this id exists', 'duplicate_client_id');
    await platform.audit.append({ actor, action: 'credentials.wallet-client.created', subject: `wallet-client:${input.id}`, data: { redirectUris: input.redirectUris } }, tx);
  });
  return (await findWalletClient(platform.db, input.id))!;
}

type Row = { id: string; name_ko: string; name_en: string; redirect_uris: unknown; disabled_at: string | Date | null; created_at: string | Date };
const view = (r: Row): WalletClient => ({
  id: r.id,
  name: { ko: r.name_ko, en: r.name_en },
  redirectUris: (typeof r.redirect_uris === 'string' ? JSON.parse(r.redirect_uris) : r.redirect_uris) as string[],
  disabled: r.disabled_at !== null,
  createdAt: new Date(r.created_at).toISOString(),
});

/** A wallet client, disabled or not. */
export async function findWalletClient(db: Db, id: string): Promise<WalletClient | undefined> {
  const [r] = await rows<Row>(db, sql`select id, name_ko, name_en, redirect_uris, disabled_at, created_at from credentials.wallet_client where id = ${id}`);
  return r ? view(r) : undefined;
}

export async function listWalletClients(db: Db): Promise<WalletClient[]> {
  return (await rows<Row>(db, sql`select id, name_ko, name_en, redirect_uris, disabled_at, created_at from credentials.wallet_client order by id`)).map(view);
}

/** Disables a wallet client: its authorizations waiting for consent and its unredeemed codes stop working. */
export async function disableWalletClient(platform: Platform, id: string, actor: string): Promise<boolean> {
  return platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const r = await rows(tx, sql`update credentials.wallet_client set disabled_at = now() where id = ${id} and disabled_at is null returning 1`);
    if (!r.length) return false;
    await tx.execute(sql`update credentials.authorization set expires_at = now(), code_expires_at = now() where client_id = ${id} and redeemed_at is null`);
    await tx.execute(sql`update credentials.refresh_token set revoked_at = now() where client_id = ${id} and revoked_at is null`);
    await platform.audit.append({ actor, action: 'credentials.wallet-client.disabled', subject: `wallet-client:${id}` }, tx);
    return true;
  });
}
