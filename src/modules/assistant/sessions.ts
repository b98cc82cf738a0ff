import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { arrayLiteral, rows, type Db } from '../../platform/db.ts';
import { createGroupCall, createGroupCommit, type GroupCall, type GroupCommit } from '../../platform/group-commit.ts';
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

interface Turn {
  session: Session & { isNew: boolean; channel: Channel };
  user: string;
  answer: Answer;
  state: SessionState;
}

/**
 * Per platform: turns are written by group commit (concurrent conversations share a transaction
 * and its fsync; each caller still waits until its own turn is durable), and sessions are read in
 * batches the same way. See platform/group-commit.ts.
 */
const writers = new WeakMap<Platform, { write: GroupCommit<Turn>; read: GroupCall<string, SessionRow | undefined> }>();
type SessionRow = { id: string; citizen_id: string | null; lang: 'ko' | 'en'; state: SessionState | string };

function io(platform: Platform) {
  let w = writers.get(platform);
  if (!w) {
    w = {
      write: createGroupCommit<Turn>((turns) => writeTurns(platform.db, turns)),
      read: createGroupCall<string, SessionRow | undefined>(async (ids) => {
        const found = await rows<SessionRow>(
          platform.db,
          sql`select id, citizen_id, lang, state from assistant.session where id = any(${arrayLiteral(ids)}::uuid[]) and updated_at > now() - make_interval(days => ${RETENTION_DAYS})`,
        );
        const byId = new Map(found.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id.toLowerCase()));
      }),
    };
    writers.set(platform, w);
  }
  return w;
}

async function writeTurns(db: Db, turns: Turn[]): Promise<void> {
  // one row per session (the last turn's state wins when a session has two turns in the batch)
  const sessions = [...new Map(turns.map((t) => [t.session.id, t])).values()];
  const messages = turns.flatMap((t) => [
    { id: t.session.id, role: 'user', text: maskIdentifiers(t.user).slice(0, 2000), intent: t.answer.intent, confidence: String(t.answer.confidence) },
    { id: t.session.id, role: 'assistant', text: t.answer.reply, intent: t.answer.intent, confidence: null },
  ]);
  await db.transaction(async (x) => {
    const tx = x as unknown as Db;
    await tx.execute(sql`insert into assistant.session (id, citizen_id, channel, lang, state)
      select i, c, ch, l, s::jsonb from unnest(${arrayLiteral(sessions.map((t) => t.session.id))}::uuid[], ${arrayLiteral(sessions.map((t) => t.session.citizenId))}::uuid[],
                                               ${arrayLiteral(sessions.map((t) => t.session.channel))}::text[], ${arrayLiteral(sessions.map((t) => t.answer.lang))}::text[],
                                               ${arrayLiteral(sessions.map((t) => JSON.stringify(t.state)))}::text[]) as u(i, c, ch, l, s)
      on conflict (id) do update set state = excluded.state, lang = excluded.lang, updated_at = now()`);
    await tx.execute(sql`insert into assistant.message (session_id, role, text_masked, intent, confidence)
      select * from unnest(${arrayLiteral(messages.map((m) => m.id))}::uuid[], ${arrayLiteral(messages.map((m) => m.role))}::text[], ${arrayLiteral(messages.map((m) => m.text))}::text[],
                           ${arrayLiteral(messages.map((m) => m.intent))}::text[], ${arrayLiteral(messages.map((m) => m.confidence))}::real[])`);
  });
}

/**
 * The session `id` if it belongs to this caller (and is within the retention), else a new one
 * (written with its first turn). `create`: the id a new session should have (a messenger user's).
 */
export async function openSession(platform: Platform, id: string | undefined, citizenId: string | null, channel: Channel, opts: { create?: string } = {}): Promise<Session & { isNew: boolean; channel: Channel }> {
  if (id && UUID.test(id)) {
    const r = await io(platform).read.call(id);
    if (r && (r.citizen_id ?? null) === citizenId) return { id: r.id, citizenId, lang: r.lang, state: typeof r.state === 'string' ? (JSON.parse(r.state) as SessionState) : r.state, isNew: false, channel };
    if (opts.create === id && !r) return { id, citizenId, lang: 'ko', state: {}, isNew: true, channel };
  }
  return { id: randomUUID(), citizenId, lang: 'ko', state: {}, isNew: true, channel };
}

/** Records the exchange (masked) and the session's new state; resolves once it is durable. */
export function recordTurn(platform: Platform, s: Session & { isNew: boolean; channel: Channel }, text: string, a: Answer, state: SessionState): Promise<void> {
  return io(platform).write.add({ session: s, user: text, answer: a, state });
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
