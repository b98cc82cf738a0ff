import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../platform/db.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Answer, SessionState } from './respond.ts';

/**
 * Conversations (docs/assistant.md, "Privacy"): a session holds its language and the check in
 * progress; the messages are kept with identifiers masked, for 30 days. A session belongs to
 * whoever started it: a signed-in citizen's session is never continued by anyone else (nor by
 * them signed out), and an anonymous one is never continued signed in — a new one starts.
 */

export const RETENTION_DAYS = 30;
export type Channel = 'web' | 'api' | 'messenger' | 'cli';

/** Resident registration numbers, phone numbers, e-mail addresses, card and passport numbers, masked. */
export function maskIdentifiers(text: string): string {
  return text
    .replace(/\b(\d{6})\s?-?\s?([1-8])\d{6}\b/g, '$1-$2******')
    .replace(/\b\d{4}[-\s]?\d{4}[-\s]?\d{4}[-\s]?\d{4}\b/g, '****-****-****-****')
    .replace(/\b(01[016789])[-\s.]?\d{3,4}[-\s.]?\d{4}\b/g, '$1-****-****')
    .replace(/\b0\d{1,2}[-\s.]\d{3,4}[-\s.]\d{4}\b/g, '0**-****-****')
    .replace(/[\w.+-]+@([\w-]+\.[\w.-]+)/g, '***@$1')
    .replace(/\b[a-zA-Z]\d{8}\b/g, '*********')
    .replace(/\b\d{2}-\d{2}-\d{6}-\d{2}\b/g, '**-**-******-**');
}

export interface Session {
  id: string;
  citizenId: string | null;
  lang: 'ko' | 'en';
  state: SessionState;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A messenger user's session id: stable per user, not their id. */
export function messengerSessionId(platform: Platform, userKey: string): string {
  const h = createHash('sha256').update(platform.crypto.blindIndex(userKey, 'assistant.messenger')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The session `id` if it belongs to this caller (and is within the retention), else a new one. */
export async function openSession(db: Db, id: string | undefined, citizenId: string | null, channel: Channel, opts: { create?: string } = {}): Promise<Session> {
  if (id && UUID.test(id)) {
    const [r] = await rows<{ id: string; citizen_id: string | null; lang: 'ko' | 'en'; state: SessionState | string }>(
      db,
      sql`select id, citizen_id, lang, state from assistant.session where id = ${id}::uuid and updated_at > now() - make_interval(days => ${RETENTION_DAYS})`,
    );
    if (r && (r.citizen_id ?? null) === citizenId) return { id: r.id, citizenId, lang: r.lang, state: typeof r.state === 'string' ? (JSON.parse(r.state) as SessionState) : r.state };
    if (opts.create === id && !r) {
      await db.execute(sql`insert into assistant.session (id, citizen_id, channel) values (${id}::uuid, ${citizenId}::uuid, ${channel}) on conflict (id) do nothing`);
      return { id, citizenId, lang: 'ko', state: {} };
    }
  }
  const fresh = randomUUID();
  await db.execute(sql`insert into assistant.session (id, citizen_id, channel) values (${fresh}::uuid, ${citizenId}::uuid, ${channel})`);
  return { id: fresh, citizenId, lang: 'ko', state: {} };
}

/** Records the exchange (masked) and the session's new state, in one transaction. */
export async function recordTurn(platform: Platform, s: Session, text: string, a: Answer, state: SessionState): Promise<void> {
  await platform.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`update assistant.session set state = ${JSON.stringify(state)}::jsonb, lang = ${a.lang}, updated_at = now() where id = ${s.id}::uuid`);
    await tx.execute(sql`insert into assistant.message (session_id, role, text_masked, intent, confidence)
                         values (${s.id}::uuid, 'user', ${maskIdentifiers(text).slice(0, 2000)}, ${a.intent}, ${a.confidence}),
                                (${s.id}::uuid, 'assistant', ${a.reply}, ${a.intent}, null)`);
  });
}

export async function historyOf(db: Db, sessionId: string, limit = 40): Promise<Array<{ role: 'user' | 'assistant'; text: string }>> {
  const found = await rows<{ role: 'user' | 'assistant'; text_masked: string }>(db, sql`select role, text_masked from (select * from assistant.message where session_id = ${sessionId}::uuid order by id desc limit ${limit}) m order by id`);
  return found.map((r) => ({ role: r.role, text: r.text_masked }));
}

/** Deletes conversations older than the retention (a periodic task); returns how many sessions went. */
export async function purgeOld(db: Db): Promise<number> {
  await db.execute(sql`delete from assistant.message where at < now() - make_interval(days => ${RETENTION_DAYS})`);
  const gone = await rows<{ id: string }>(db, sql`delete from assistant.session where updated_at < now() - make_interval(days => ${RETENTION_DAYS}) returning id`);
  return gone.length;
}
