import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { arrayLiteral, rows, type Db } from '../../platform/db.ts';
import { createGroupCall, type GroupCall } from '../../platform/group-commit.ts';
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
  /** The turns taken so far (0 for a new session). */
  turn: number;
}
export type OpenSession = Session & { isNew: boolean; channel: Channel };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A messenger user's session id: stable per user, not their id. */
export function messengerSessionId(platform: Platform, userKey: string): string {
  const h = createHash('sha256').update(platform.crypto.blindIndex(userKey, 'assistant.messenger')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Turn {
  session: OpenSession;
  user: string;
  answer: Answer;
  state: SessionState;
}

type SessionRow = { id: string; citizen_id: string | null; lang: 'ko' | 'en'; state: SessionState | string; turn: number };
type Known = Omit<Session, 'id'> & { at: number };

/**
 * Per platform:
 * - turns are written by group commit (concurrent conversations share a statement and its
 *   commit; each caller still waits until its own turn is durable), up to two batches at once;
 * - the sessions this process served are kept in memory (the most recent 10,000), so a
 *   conversation's next turn reads nothing. A turn is written only on top of the turn it was
 *   answered from (`turn`), so when another process has served the conversation in between,
 *   nothing is written, the session is read again and the turn answered again (`converse`);
 * - other sessions are read in batches the same way. See platform/group-commit.ts.
 */
const MAX_KNOWN = 10_000;
const RETENTION_MS = RETENTION_DAYS * 24 * 3600 * 1000;
const perPlatform = new WeakMap<Platform, { write: GroupCall<Turn, boolean>; read: GroupCall<string, SessionRow | undefined>; known: Map<string, Known> }>();

function io(platform: Platform) {
  let w = perPlatform.get(platform);
  if (!w) {
    w = {
      write: createGroupCall<Turn, boolean>((turns) => writeTurns(platform.db, turns), { concurrency: 2 }),
      read: createGroupCall<string, SessionRow | undefined>(
        async (ids) => {
          const found = await rows<SessionRow>(
            platform.db,
            sql`select id, citizen_id, lang, state, turn from assistant.session where id = any(${arrayLiteral(ids)}::uuid[]) and updated_at > now() - make_interval(days => ${RETENTION_DAYS})`,
          );
          const byId = new Map(found.map((r) => [r.id, r]));
          return ids.map((id) => byId.get(id.toLowerCase()));
        },
        { concurrency: 2 },
      ),
      known: new Map(),
    };
    perPlatform.set(platform, w);
  }
  return w;
}

function remember(known: Map<string, Known>, id: string, k: Known): void {
  known.delete(id);
  known.set(id, k);
  if (known.size > MAX_KNOWN) known.delete(known.keys().next().value!);
}

/** Writes each turn on top of the turn it was answered from; says which were written (the others met a newer turn). */
async function writeTurns(db: Db, turns: Turn[]): Promise<boolean[]> {
  // two turns of one session in a batch: the one answered from the latest turn is written (the first of those), the others answered again
  const first = new Map<string, Turn>();
  for (const t of turns) {
    const had = first.get(t.session.id);
    if (!had || t.session.turn > had.session.turn) first.set(t.session.id, t);
  }
  // rows are locked in the order of their ids, so that two batches never wait for each other in a circle
  const sessions = [...first.values()].sort((a, b) => (a.session.id < b.session.id ? -1 : a.session.id > b.session.id ? 1 : 0));
  const messages = sessions.flatMap((t) => [
    { id: t.session.id, role: 'user', text: maskIdentifiers(t.user).slice(0, 2000), intent: t.answer.intent, confidence: String(t.answer.confidence) },
    { id: t.session.id, role: 'assistant', text: t.answer.reply, intent: t.answer.intent, confidence: null },
  ]);
  // one statement, so one round trip and one commit: the message rows' foreign key is checked at
  // the statement's end, after the session rows are in. A new session is inserted (an expired
  // row with its id, a messenger user's from before, is started afresh and its old messages go);
  // a known one is updated only from the turn it was answered from, by the same person, within
  // the retention.
  const retention = sql`now() - make_interval(days => ${RETENTION_DAYS})`;
  const statement = sql`with u as (
        select * from unnest(${arrayLiteral(sessions.map((t) => t.session.id))}::uuid[], ${arrayLiteral(sessions.map((t) => t.session.citizenId))}::uuid[],
                             ${arrayLiteral(sessions.map((t) => t.session.channel))}::text[], ${arrayLiteral(sessions.map((t) => t.answer.lang))}::text[],
                             ${arrayLiteral(sessions.map((t) => JSON.stringify(t.state)))}::text[], ${arrayLiteral(sessions.map((t) => t.session.turn))}::int[]) as u(i, c, ch, l, s, t)),
      ins as (
        insert into assistant.session as x (id, citizen_id, channel, lang, state, turn)
        select i, c, ch, l, s::jsonb, 1 from u where t = 0
        on conflict (id) do update set state = excluded.state, lang = excluded.lang, channel = excluded.channel, turn = 1, created_at = now(), updated_at = now()
          where x.updated_at <= ${retention} and x.citizen_id is not distinct from excluded.citizen_id
        returning id),
      expired as (delete from assistant.message where session_id in (select id from ins) and at <= ${retention}),
      upd as (
        update assistant.session x set state = u.s::jsonb, lang = u.l, turn = u.t + 1, updated_at = now()
          from u
         where u.t > 0 and x.id = u.i and x.turn = u.t and x.citizen_id is not distinct from u.c
           and x.updated_at > ${retention}
        returning x.id),
      done as (select id from ins union all select id from upd),
      m as (
        insert into assistant.message (session_id, role, text_masked, intent, confidence)
        select i, r, x, n, c from unnest(${arrayLiteral(messages.map((m) => m.id))}::uuid[], ${arrayLiteral(messages.map((m) => m.role))}::text[], ${arrayLiteral(messages.map((m) => m.text))}::text[],
                             ${arrayLiteral(messages.map((m) => m.intent))}::text[], ${arrayLiteral(messages.map((m) => m.confidence))}::real[]) with ordinality as m(i, r, x, n, c, o)
         where m.i in (select id from done)
         -- in the order given (the question, then its answer): the ids are the conversation's order
         order by o)
    select id from done`;
  let written: Array<{ id: string }>;
  try {
    written = await rows<{ id: string }>(db, statement);
  } catch (e) {
    // a deadlock or serialization failure with another process's batch: nothing was written, and every turn is answered again
    if (['40P01', '40001'].includes(String((e as { code?: unknown }).code ?? (e as { cause?: { code?: unknown } }).cause?.code))) return turns.map(() => false);
    throw e;
  }
  const ok = new Set(written.map((r) => r.id));
  return turns.map((t) => ok.has(t.session.id) && first.get(t.session.id) === t);
}

/**
 * The session `id` if it belongs to this caller (and is within the retention), else a new one
 * (written with its first turn). `create`: the id a new session should have (a messenger user's).
 */
export async function openSession(platform: Platform, id: string | undefined, citizenId: string | null, channel: Channel, opts: { create?: string } = {}): Promise<OpenSession> {
  if (id && UUID.test(id)) {
    const key = id.toLowerCase();
    const w = io(platform);
    const k = w.known.get(key);
    if (k && k.at > Date.now() - RETENTION_MS) {
      if (k.citizenId === citizenId) return { id: key, citizenId, lang: k.lang, state: k.state, turn: k.turn, isNew: false, channel };
    } else {
      const r = await w.read.call(key);
      if (r && (r.citizen_id ?? null) === citizenId) return { id: r.id, citizenId, lang: r.lang, state: typeof r.state === 'string' ? (JSON.parse(r.state) as SessionState) : r.state, turn: r.turn, isNew: false, channel };
      if (opts.create === id && !r) return { id: key, citizenId, lang: 'ko', state: {}, turn: 0, isNew: true, channel };
    }
  }
  return { id: randomUUID(), citizenId, lang: 'ko', state: {}, turn: 0, isNew: true, channel };
}

/**
 * Records the exchange (masked) and the session's new state; resolves once it is durable, with
 * true, or with false when the session had moved on (another process answered a turn in
 * between, or it expired): then nothing was written and the turn should be answered again.
 */
export async function recordTurn(platform: Platform, s: OpenSession, text: string, a: Answer, state: SessionState): Promise<boolean> {
  const w = io(platform);
  const ok = await w.write.call({ session: s, user: text, answer: a, state });
  if (ok) remember(w.known, s.id, { citizenId: s.citizenId, lang: a.lang, state, turn: s.turn + 1, at: Date.now() });
  else w.known.delete(s.id);
  return ok;
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
