import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows } from '../../../platform/db.ts';
import { BadRequestError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { isUuid } from './store.ts';

/**
 * Documents attached to applications (GovStack `POST /documents`): PDF, PNG or JPEG up to
 * {@link MAX_DOCUMENT} bytes, checked by their first bytes (not by what the client says), stored
 * encrypted. The owner is the uploading citizen (their id) or official (`official:<id>`).
 */

export const MAX_DOCUMENT = 5 * 1024 * 1024;
const docContext = (id: string) => `services.document:${id}`;

/** The media type the bytes are, or undefined for anything else. */
export function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}

export async function saveDocument(platform: Platform, owner: string, file: { fileName: string; bytes: Buffer }): Promise<{ id: string; mediaType: string }> {
  if (!file.bytes.length) throw new BadRequestError('the file is empty', { errors: [{ field: 'file', code: 'empty' }] }, 'document_invalid');
  if (file.bytes.length > MAX_DOCUMENT) throw new BadRequestError(`the file is larger than ${MAX_DOCUMENT} bytes`, { errors: [{ field: 'file', code: 'too_large' }] }, 'document_too_large');
  const mediaType = sniff(file.bytes);
  if (!mediaType) throw new BadRequestError('documents must be PDF, PNG or JPEG files', { errors: [{ field: 'file', code: 'unsupported_type' }] }, 'document_invalid');
  const id = randomUUID();
  const name = (file.fileName.replace(/[\u0000-\u001f\\/]/g, '').trim() || 'document').slice(0, 200);
  await platform.db.execute(sql`insert into services.document (id, owner, file_name, media_type, size, content_enc)
                                values (${id}::uuid, ${owner}, ${name}, ${mediaType}, ${file.bytes.length}, ${platform.crypto.encrypt(file.bytes.toString('base64'), docContext(id))})`);
  return { id, mediaType };
}

export async function readDocument(platform: Platform, id: string): Promise<{ id: string; owner: string; fileName: string; mediaType: string; bytes: Buffer } | undefined> {
  if (!isUuid(id)) return undefined;
  const [r] = await rows<{ id: string; owner: string; file_name: string; media_type: string; content_enc: string }>(platform.db, sql`select id, owner, file_name, media_type, content_enc from services.document where id = ${id}::uuid`);
  if (!r) return undefined;
  return { id: r.id, owner: r.owner, fileName: r.file_name, mediaType: r.media_type, bytes: Buffer.from(platform.crypto.decrypt(r.content_enc, docContext(r.id)), 'base64') };
}

/** Applications that name the document (for who else may read it: the officials handling them). */
export async function applicationsWithDocument(platform: Platform, id: string): Promise<string[]> {
  const found = await rows<{ id: string }>(platform.db, sql`select id from services.application where ${id}::uuid = any(documents)`);
  return found.map((r) => r.id);
}
