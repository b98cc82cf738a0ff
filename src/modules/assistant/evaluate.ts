import { readFileSync } from 'node:fs';
import type { IntentName } from './data/training.ts';
import type { Assistant } from './respond.ts';
import { features, wordFeatures } from './text.ts';
import { meaningFeatures, trainIntents } from './understand.ts';

/**
 * The evaluation (`npm run eval:assistant`): top-1 intent accuracy, and for utterances about
 * services whether one of the expected services is among the first three the assistant names
 * (the services it would cite). The set (eval/assistant/utterances.json) was written apart from
 * the training utterances; a held-out set outside the repository is used as well.
 */
export interface EvalItem {
  text: string;
  lang: 'ko' | 'en';
  intent: IntentName;
  services: string[];
}

export interface EvalResult {
  total: number;
  intentAccuracy: number;
  serviceRecallAt3: number;
  withServices: number;
  byIntent: Record<string, { n: number; correct: number }>;
  misses: Array<{ text: string; expected: string; got: string }>;
}

export function loadEvalSet(path: string): EvalItem[] {
  return JSON.parse(readFileSync(path, 'utf8')) as EvalItem[];
}

export function evaluate(a: Assistant, items: EvalItem[]): EvalResult {
  let correct = 0;
  let found = 0;
  let withServices = 0;
  const byIntent: EvalResult['byIntent'] = {};
  const misses: EvalResult['misses'] = [];
  for (const it of items) {
    const p = a.model.predict(it.text);
    const b = (byIntent[it.intent] ??= { n: 0, correct: 0 });
    b.n++;
    if (p.label === it.intent) {
      correct++;
      b.correct++;
    } else misses.push({ text: it.text, expected: it.intent, got: p.label });
    if (it.services.length) {
      withServices++;
      if (a.services(it.text).some((s) => it.services.includes(s.id))) found++;
    }
  }
  return { total: items.length, intentAccuracy: correct / items.length, serviceRecallAt3: withServices ? found / withServices : 1, withServices, byIntent, misses };
}

/**
 * Intent accuracy of the same classifier and training data on three feature sets: whitespace
 * words, the Korean-aware n-grams and stems of text.ts, and those with the meaning features (what
 * ships). The measured reason for n-grams (docs/assistant.md).
 */
export function compareFeatures(a: Assistant, items: EvalItem[]): Array<{ features: string; intentAccuracy: number }> {
  const sets: Array<[string, (text: string) => string[]]> = [
    ['whitespace words', wordFeatures],
    ['n-grams and stems', features],
    ['n-grams, stems and meaning (shipped)', meaningFeatures(a.index)],
  ];
  return sets.map(([name, f]) => {
    const model = trainIntents(a.index, f);
    return { features: name, intentAccuracy: items.filter((it) => model.predict(it.text).label === it.intent).length / items.length };
  });
}
