import type { Config } from '../../platform/config.ts';
import type { ServiceInfo } from '../services/index.ts';
import type { Answer } from './respond.ts';

/**
 * Optional phrasing by a large language model (docs/assistant.md, "Optional LLM"): when
 * ASSISTANT_LLM_URL points at an OpenAI-compatible chat API, the answers that explain or list
 * services are rewritten by it from the retrieved catalogue entries only, in the person's
 * language; the services, actions and sources stay as retrieval found them, so every claim keeps
 * its citation. Eligibility verdicts, application status and due dates are never sent: they are
 * the engine's and the registries' words. Any failure (timeout, error, empty answer) keeps the
 * assistant's own reply. Off by default; nothing is sent anywhere unless it is configured.
 */

const PHRASED: Answer['intent'][] = ['find_services', 'explain_service'];
const TIMEOUT_MS = 8000;

function entryText(s: ServiceInfo, lang: 'ko' | 'en', n: number): string {
  return [`[${n}] ${s.name[lang]} (${s.agencyName[lang]})`, `target: ${s.target[lang]}`, `benefit: ${s.benefit[lang]}`, `how to apply: ${s.howToApply[lang]}`, `deadline: ${s.deadline[lang]}`, `documents: ${s.documents.map((d) => d[lang]).join(', ')}`].join('\n');
}

/** The reply phrased by the configured model, or undefined (not configured, not a phrased intent, or it failed). */
export async function phraseWithLlm(config: Config['assistant'], question: string, a: Answer, entries: ServiceInfo[], fetchImpl: typeof fetch = fetch): Promise<string | undefined> {
  if (!config.llmUrl || !PHRASED.includes(a.intent) || !entries.length) return undefined;
  const language = a.lang === 'ko' ? 'Korean' : 'English';
  const system = [
    `You are the Hanaro government assistant. Answer in ${language}, in at most five short sentences.`,
    'Use ONLY the numbered catalogue entries given; do not add facts, amounts, dates, phone numbers or links that are not in them.',
    'Cite entries by their number in square brackets, e.g. [1]. Never say whether the person is eligible: say where to check instead.',
    'If the entries do not answer the question, say so briefly.',
  ].join(' ');
  const user = `Question: ${question}\n\nCatalogue entries:\n${entries.map((s, i) => entryText(s, a.lang, i + 1)).join('\n\n')}\n\nDraft answer (keep its facts): ${a.reply}`;
  try {
    const res = await fetchImpl(`${config.llmUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(config.llmKey ? { authorization: `Bearer ${config.llmKey}` } : {}) },
      body: JSON.stringify({ model: config.llmModel, temperature: 0.2, max_tokens: 400, messages: [{ role: 'system', content: system }, { role: 'user', content: user }] }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
    const text = body.choices?.[0]?.message?.content;
    return typeof text === 'string' && text.trim() ? text.trim().slice(0, 2000) : undefined;
  } catch {
    return undefined;
  }
}
