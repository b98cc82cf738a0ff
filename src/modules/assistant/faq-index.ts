import { FAQ, type FaqEntry } from './data/faq.ts';
import { features } from './text.ts';

/**
 * The FAQ as a small retrieval index: each entry's question (both languages) and keywords as
 * features, scored by the weight of the features a message shares with it (rarer features count
 * more). An entry is an answer only when it clearly matches (docs/assistant.md).
 */
export class FaqIndex {
  private readonly entries: Array<{ e: FaqEntry; f: Set<string> }>;
  private readonly idf = new Map<string, number>();

  constructor(list: FaqEntry[] = FAQ) {
    this.entries = list.map((e) => ({ e, f: new Set(features(`${e.q.ko} ${e.q.en} ${e.keywords.join(' ')}`)) }));
    const df = new Map<string, number>();
    for (const { f } of this.entries) for (const k of f) df.set(k, (df.get(k) ?? 0) + 1);
    for (const [k, n] of df) this.idf.set(k, Math.log(1 + this.entries.length / n));
  }

  /** The best entry and its score (the share of the message's weight it covers), or undefined. */
  best(text: string): { entry: FaqEntry; score: number } | undefined {
    const q = new Set(features(text));
    let total = 0;
    for (const k of q) total += this.idf.get(k) ?? 0;
    if (!total) return undefined;
    let best: { entry: FaqEntry; score: number } | undefined;
    for (const { e, f } of this.entries) {
      let s = 0;
      for (const k of q) if (f.has(k)) s += this.idf.get(k) ?? 0;
      const score = s / total;
      if (!best || score > best.score) best = { entry: e, score };
    }
    return best;
  }

  get(id: string): FaqEntry | undefined {
    return this.entries.find((x) => x.e.id === id)?.e;
  }

  get all(): FaqEntry[] {
    return this.entries.map((x) => x.e);
  }
}
