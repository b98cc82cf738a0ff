import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireForm, pageContext, sendPrivatePage } from '../../web/context.ts';
import { portalPages } from '../../web/module-pages.ts';
import { addPageScript } from '../../web/page-scripts.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { residentSummary } from '../registries/index.ts';
import { assistantOf } from './instance.ts';
import { phraseWithLlm } from './llm.ts';
import { renderAssistant, renderFaq } from './pages.tsx';
import { historyOf, messengerSessionId, openSession, recordTurn, type Channel } from './sessions.ts';
import type { Answer } from './respond.ts';

/**
 * The assistant's routes (docs/assistant.md): `POST /api/assistant/messages` (JSON), the page
 * `/assistant` with a form that works without JavaScript, the FAQ page, and a messenger webhook
 * for KakaoTalk-style skill payloads (`POST /api/assistant/kakao`). Anyone may talk to it; a
 * signed-in citizen's own data (applications, due dates, eligibility on their records) is used in
 * their session only.
 */

export const MAX_TEXT = 1000;
const WIDGET_JS = readFileSync(new URL('./widget.client.js', import.meta.url));
/** Where every page loads the box's script from (web/components.tsx names it). */
export const WIDGET_PATH = '/assistant/widget.js';
const TAGS = ['assistant'];
const Message = z.object({
  sessionId: z.string().max(100).optional(),
  text: z.string().max(MAX_TEXT, { error: `at most ${MAX_TEXT} characters` }),
  lang: z.enum(['ko', 'en']).optional(),
});
const KakaoSkill = z.looseObject({
  userRequest: z.looseObject({ utterance: z.string().max(MAX_TEXT), user: z.looseObject({ id: z.string().min(1).max(200) }) }),
});

export async function citizenOf(req: FastifyRequest): Promise<string | null> {
  const a = await req.actor();
  return a.kind === 'citizen' ? a.id : null;
}

/**
 * One turn of a conversation: the session (or a new one), the answer, the record. Should another
 * process answer a turn of the same conversation in between, the turn is answered again on the
 * session as it now is (sessions.ts); a conversation sent to from many places at once gets 409.
 */
export async function converse(platform: Platform, o: { sessionId?: string; text: string; lang?: 'ko' | 'en'; citizenId: string | null; channel: Channel; createAs?: string }): Promise<Answer & { sessionId: string }> {
  const assistant = await assistantOf(platform);
  const text = o.text.trim();
  for (let attempt = 0; attempt < 3; attempt++) {
    const session = await openSession(platform, o.sessionId, o.citizenId, o.channel, { create: o.createAs });
    const { answer, state } = text
      ? await assistant.respond(session.state, text, { citizenId: o.citizenId ?? undefined, lang: o.lang })
      : { answer: await assistant.respond({}, '도움말', { lang: o.lang ?? session.lang }).then((r) => r.answer), state: session.state };
    // optional: phrased by the configured model from the retrieved entries only (llm.ts)
    if (platform.config.assistant.llmUrl && text) {
      const entries = answer.services.map((s) => assistant.index.service(s.id)).filter((s): s is NonNullable<typeof s> => !!s);
      const phrased = await phraseWithLlm(platform.config.assistant, text, answer, entries);
      if (phrased) answer.reply = phrased;
    }
    if (await recordTurn(platform, session, text || '(empty)', answer, state)) return { sessionId: session.id, ...answer };
  }
  throw new ConflictError('The conversation is being continued elsewhere at the same moment; send the message again.');
}

export async function assistantRoutes(app: FastifyInstance, { platform }: { platform: Platform }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { assets, demo } = portalPages(platform);
  // every page's box answers in place where scripts run
  addPageScript(WIDGET_PATH);

  // replies are a kilobyte or two: compressing them cost more time than it saved (bench/assistant.ts, docs/benchmarks.md)
  r.post('/api/assistant/messages', { compress: false, schema: { tags: TAGS, summary: 'Ask the assistant: { sessionId?, text, lang? } → { sessionId, reply, lang, intent, confidence, services, actions, sources }', body: Message } }, async (req) =>
    converse(platform, { sessionId: req.body.sessionId, text: req.body.text, lang: req.body.lang, citizenId: await citizenOf(req), channel: 'api' }),
  );

  // KakaoTalk-style skill: the reply as simpleText, the services as quick replies (messenger users are anonymous)
  r.post('/api/assistant/kakao', { compress: false, schema: { tags: TAGS, summary: 'Messenger webhook (Kakao i open builder skill payload)', body: KakaoSkill } }, async (req) => {
    const u = req.body.userRequest;
    const id = messengerSessionId(platform, u.user.id);
    const a = await converse(platform, { sessionId: id, createAs: id, text: u.utterance, citizenId: null, channel: 'messenger' });
    return {
      version: '2.0',
      template: {
        outputs: [{ simpleText: { text: a.reply.slice(0, 1000) } }],
        quickReplies: a.services.slice(0, 3).map((s) => ({ label: s.name.slice(0, 14), action: 'message', messageText: s.name })),
      },
    };
  });

  const page = async (req: FastifyRequest) => {
    const a = await req.actor();
    const name = a.kind === 'citizen' ? ((await residentSummary(platform, a.id))?.name ?? '') : a.kind === 'official' ? a.name : undefined;
    return pageContext(req, { assets, demo, signedIn: name === undefined ? undefined : { name, official: a.kind === 'official' } });
  };
  // `?q=`: the question asked from the box at the foot of every page (a plain form: no JavaScript, no form token needed)
  r.get('/assistant', { schema: { hide: true, querystring: z.looseObject({ q: z.string().max(20_000).optional() }) } }, async (req, reply) => {
    const ctx = await page(req);
    const withForm = pageContext(req, { assets, demo, form: reply, signedIn: ctx.signedIn });
    const q = (req.query.q ?? '').trim();
    if (q && q.length <= MAX_TEXT) {
      const a = await converse(platform, { text: q, citizenId: await citizenOf(req), channel: 'web' });
      return sendPrivatePage(reply, ctx.lang, renderAssistant(withForm, { sessionId: a.sessionId, history: await historyOf(platform.db, a.sessionId), last: a }));
    }
    const session = await openSession(platform, undefined, await citizenOf(req), 'web');
    return sendPrivatePage(reply, ctx.lang, renderAssistant(withForm, { sessionId: session.id, history: [], text: q.slice(0, MAX_TEXT) }), q ? 400 : 200);
  });
  r.post('/assistant', { schema: { hide: true, body: z.looseObject({ sessionId: z.string().max(100).optional(), text: z.string().max(20_000).optional() }) } }, async (req, reply) => {
    requireForm(req);
    const ctx = await page(req);
    const withForm = pageContext(req, { assets, demo, form: reply, signedIn: ctx.signedIn });
    const text = req.body.text ?? '';
    if (text.length > MAX_TEXT) {
      const session = await openSession(platform, req.body.sessionId, await citizenOf(req), 'web');
      return sendPrivatePage(reply, ctx.lang, renderAssistant(withForm, { sessionId: session.id, history: await historyOf(platform.db, session.id), text: text.slice(0, MAX_TEXT) }), 400);
    }
    const a = await converse(platform, { sessionId: req.body.sessionId, text, citizenId: await citizenOf(req), channel: 'web' });
    return sendPrivatePage(reply, ctx.lang, renderAssistant(withForm, { sessionId: a.sessionId, history: await historyOf(platform.db, a.sessionId), last: a }));
  });
  r.get(WIDGET_PATH, { schema: { hide: true } }, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(WIDGET_JS));
  r.get('/assistant/faq', { schema: { hide: true } }, async (req, reply) => {
    const ctx = await page(req);
    const assistant = await assistantOf(platform);
    return reply.type('text/html; charset=utf-8').send(renderFaq(ctx, assistant.faq.all));
  });
}
