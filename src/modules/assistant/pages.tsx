import { Breadcrumb, Layout } from '../../web/components.tsx';
import type { PageContext } from '../../web/context.ts';
import { renderDocument } from '../../web/pages.tsx';
import type { FaqEntry } from './data/faq.ts';
import type { Answer } from './respond.ts';

// The assistant's page (/assistant): the conversation so far, the latest answer in a polite live
// region with its linked services and actions, and a plain form that works without JavaScript.
// /assistant/faq lists the FAQ the assistant answers from (its sources).

const TEXT = {
  ko: { title: '하나로 도우미', lead: '궁금한 것을 평소 말투로 물어보세요. 예: "아이가 태어났어요", "기초연금 받을 수 있나요?", "자동차 검사 언제예요?"', you: '나', bot: '도우미', label: '질문', hint: '주민등록번호 같은 개인정보는 적지 마세요. 대화는 30일 뒤 지워집니다.', send: '보내기', services: '관련 서비스', sources: '출처', faq: '자주 묻는 질문', empty: '무엇이든 물어보세요.' },
  en: { title: 'Hanaro assistant', lead: 'Ask in your own words, e.g. "I just had a baby", "am I eligible for the basic pension?", "when is my car inspection due?"', you: 'You', bot: 'Assistant', label: 'Your question', hint: 'Do not type personal numbers such as your resident registration number. Conversations are deleted after 30 days.', send: 'Send', services: 'Related services', sources: 'Sources', faq: 'Frequently asked questions', empty: 'Ask me anything about government services.' },
};

export function renderAssistant(ctx: PageContext, v: { sessionId: string; history: Array<{ role: 'user' | 'assistant'; text: string }>; last?: Answer; text?: string }) {
  const t = TEXT[ctx.lang];
  return renderDocument(
    <Layout ctx={ctx} title={t.title}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/assistant', label: t.title }]} />
      <h1 class="hn-title">{t.title}</h1>
      <p class="hn-lead">{t.lead}</p>
      <section class="hn-section" aria-labelledby="conversation">
        <h2 id="conversation" class="hn-subtitle">
          {ctx.lang === 'ko' ? '대화' : 'Conversation'}
        </h2>
        {v.history.length ? (
          <ol class="hn-chat">
            {v.history.map((m) => (
              <li class={`hn-chat-${m.role}`}>
                <strong>{m.role === 'user' ? t.you : t.bot}:</strong> <span class="hn-chat-text">{m.text}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p>{t.empty}</p>
        )}
        <div aria-live="polite" id="assistant-latest">
          {v.last ? (
            <>
              {v.last.services.length ? (
                <>
                  <h3 class="hn-subtitle">{t.services}</h3>
                  <ul>
                    {v.last.services.map((s) => (
                      <li>
                        <a href={s.url} class="hn-link">
                          {s.name}
                        </a>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {v.last.actions.length ? (
                <ul class="hn-actions-list">
                  {v.last.actions.map((a) => (
                    <li>
                      <a href={a.url} class="hn-link">
                        {a.label}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : null}
        </div>
      </section>
      <form method="post" action="/assistant" class="hn-form">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <input type="hidden" name="sessionId" value={v.sessionId} />
        <div class="form-group">
          <div class="form-tit">
            <label for="assistant-text">{t.label}</label>
          </div>
          <p class="form-hint" id="assistant-text-hint">
            {t.hint}
          </p>
          <div class="form-conts">
            <input type="text" id="assistant-text" name="text" class="krds-input" maxLength={1000} autocomplete="off" aria-describedby="assistant-text-hint" value={v.text ?? ''} />
          </div>
        </div>
        <button type="submit" class="krds-btn primary medium">
          {t.send}
        </button>
      </form>
      <p>
        <a href="/assistant/faq" class="hn-link">
          {t.faq}
        </a>
      </p>
    </Layout>,
  );
}

export function renderFaq(ctx: PageContext, entries: FaqEntry[]) {
  const t = TEXT[ctx.lang];
  return renderDocument(
    <Layout ctx={ctx} title={t.faq}>
      <Breadcrumb ctx={ctx} trail={[{ href: '/assistant', label: t.title }, { href: '/assistant/faq', label: t.faq }]} />
      <h1 class="hn-title">{t.faq}</h1>
      <dl class="hn-facts">
        {entries.map((e) => (
          <>
            <dt id={e.id}>{e.q[ctx.lang]}</dt>
            <dd>{e.a[ctx.lang]}</dd>
          </>
        ))}
      </dl>
    </Layout>,
  );
}
