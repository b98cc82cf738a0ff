import type { ServiceInfo } from '../services/index.ts';
import { ALIASES, matchText, regionOf, situationsOf } from './lexicon.ts';
import { normalise, topicFeatures as features } from './text.ts';

/**
 * Finding services for a message (docs/assistant.md, "Grounded answers"): BM25 over the catalogue
 * (names weigh most, then target and purpose, then benefit), plus the situations of lexicon.ts
 * and a match on a programme's name. Regional programmes come up only for the region the person
 * names or lives in. Every answer the assistant gives about a service cites the entry found here.
 */

const K1 = 1.2;
const B = 0.75;

interface Doc {
  service: ServiceInfo;
  tf: Map<string, number>;
  length: number;
  /** The name's features alone (for a name typed with a typo). */
  nameTf: Map<string, number>;
  /** The programme's names, normalised without spaces (ko, en, and the Korean name's short form). */
  names: string[];
}

export interface Hit {
  service: ServiceInfo;
  score: number;
  /** Why: a name match, situations, or words. */
  via: 'name' | 'situation' | 'words';
}

const add = (tf: Map<string, number>, f: string[], weight: number) => {
  for (const k of f) tf.set(k, (tf.get(k) ?? 0) + weight);
};

/** Short forms people use: the Korean name before a bracket or a middle dot ("임신·출산 진료비 지원(국민행복카드)" → also "국민행복카드"). */
function namesOf(s: ServiceInfo): string[] {
  const out = new Set<string>();
  for (const n of [s.name.ko, s.name.en]) {
    const c = normalise(n).replace(/ /g, '');
    if (c) out.add(c);
    for (const part of n.split(/[()（）·,/]/)) {
      const p = normalise(part).replace(/ /g, '');
      if (p.length >= 3) out.add(p);
    }
  }
  for (const a of ALIASES[s.id] ?? []) out.add(normalise(a).replace(/ /g, ''));
  return [...out];
}

/** A feature's documents and each one's BM25 weight for it, computed once when the index is built. */
interface Posting {
  docs: Int32Array;
  weights: Float64Array;
}

export class ServiceIndex {
  private readonly docs: Doc[];
  private readonly byId: Map<string, Doc>;
  /** feature → the documents holding it: a query adds up only the postings of its features. */
  private readonly postings: Map<string, Posting>;
  private readonly namePostings: Map<string, Posting>;
  /** The names by their first two characters: a message is matched against the names that start at each of its positions. */
  private readonly namesByStart = new Map<string, Array<{ doc: number; name: string }>>();
  private memo: { text: string; named: ServiceInfo | undefined } | undefined;

  constructor(services: ServiceInfo[]) {
    this.docs = services.map((s) => {
      const tf = new Map<string, number>();
      add(tf, features(`${s.name.ko} ${s.name.en}`), 3);
      add(tf, features(`${s.target.ko} ${s.target.en} ${s.purpose.ko} ${s.purpose.en}`), 1);
      add(tf, features(`${s.benefit.ko} ${s.benefit.en}`), 0.5);
      let length = 0;
      for (const v of tf.values()) length += v;
      const nameTf = new Map<string, number>();
      add(nameTf, features(`${s.name.ko} ${s.name.en}`), 1);
      return { service: s, tf, length, nameTf, names: namesOf(s) };
    });
    const avgLength = this.docs.reduce((a, d) => a + d.length, 0) / Math.max(1, this.docs.length);
    // the name postings weigh by the whole documents' frequencies, as the text postings do
    const df = new Map<string, number>();
    for (const d of this.docs) for (const k of d.tf.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    this.postings = this.weighted(df, avgLength, (d) => d.tf);
    this.namePostings = this.weighted(df, avgLength, (d) => d.nameTf);
    this.docs.forEach((d, doc) => {
      for (const name of d.names) {
        if (name.length < 3) continue;
        const k = name.slice(0, 2);
        let list = this.namesByStart.get(k);
        if (!list) this.namesByStart.set(k, (list = []));
        list.push({ doc, name });
      }
    });
    this.byId = new Map(this.docs.map((d) => [d.service.id, d]));
  }

  private weighted(df: Map<string, number>, avgLength: number, tfOf: (d: Doc) => Map<string, number>): Map<string, Posting> {
    const n = this.docs.length;
    const lists = new Map<string, Array<[number, number]>>();
    this.docs.forEach((d, i) => {
      for (const [k, f] of tfOf(d)) {
        const idf = Math.log(1 + (n - (df.get(k) ?? 0) + 0.5) / ((df.get(k) ?? 0) + 0.5));
        let list = lists.get(k);
        if (!list) lists.set(k, (list = []));
        list.push([i, (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.length) / avgLength))]);
      }
    });
    return new Map([...lists].map(([k, list]) => [k, { docs: Int32Array.from(list, (x) => x[0]), weights: Float64Array.from(list, (x) => x[1]) }]));
  }

  get size(): number {
    return this.docs.length;
  }

  service(id: string): ServiceInfo | undefined {
    return this.byId.get(id)?.service;
  }

  /** BM25 of every document (0 for those that share no feature with the query); `shared` counts the features each shares. */
  private scoreAll(query: string[], names = false, shared?: Int32Array): Float64Array {
    const out = new Float64Array(this.docs.length);
    const postings = names ? this.namePostings : this.postings;
    for (const k of new Set(query)) {
      const p = postings.get(k);
      if (!p) continue;
      for (let j = 0; j < p.docs.length; j++) {
        out[p.docs[j]!]! += p.weights[j]!;
        if (shared) shared[p.docs[j]!]!++;
      }
    }
    return out;
  }

  /** The documents whose name (of at least three characters) is in the compact message, with the longest such name's length. */
  private namesIn(compact: string): Map<number, number> {
    const out = new Map<number, number>();
    for (let i = 0; i + 3 <= compact.length; i++) {
      for (const { doc, name } of this.namesByStart.get(compact.slice(i, i + 2)) ?? []) {
        if (compact.startsWith(name, i) && name.length > (out.get(doc) ?? 0)) out.set(doc, name.length);
      }
    }
    return out;
  }

  /** The programme the message names, if one is named clearly (its name, or most of it, in the message). */
  named(text: string): ServiceInfo | undefined {
    // asked twice for one message (by the intent model's features and by the reply)
    if (this.memo?.text !== text) this.memo = { text, named: this.findNamed(text) };
    return this.memo.named;
  }

  private findNamed(text: string): ServiceInfo | undefined {
    let best: { d: Doc; len: number } | undefined;
    // in catalogue order, so that of two names as long, the earlier entry's is taken (a national one before a regional one)
    for (const [i, len] of [...this.namesIn(normalise(text).replace(/ /g, ''))].sort((a, b) => a[0] - b[0])) {
      const d = this.docs[i]!;
      if (!best || len > best.len || (len === best.len && !d.service.region && best.d.service.region)) best = { d, len };
    }
    if (best) return best.d.service;
    // a near match on the name (a typo, a missing word): the best on names alone, if clearly best
    // and sharing at least three features with it ("kids" and "aids" share two trigrams)
    const shared = new Int32Array(this.docs.length);
    const scores = this.scoreAll(features(text), true, shared);
    let first: { d: Doc; score: number } | undefined;
    let second: { d: Doc; score: number } | undefined;
    scores.forEach((score, i) => {
      const d = this.docs[i]!;
      if (score <= 0 || d.service.region || shared[i]! < 3) return;
      if (!first || score > first.score) [first, second] = [{ d, score }, first];
      else if (!second || score > second.score) second = { d, score };
    });
    if (first && first.score >= 6 && (!second || first.score >= second.score * 1.3)) return first.d.service;
    return undefined;
  }

  /** The services for a message, best first. `region`: the person's 시도, when known. */
  search(text: string, o: { limit?: number; region?: string } = {}): Hit[] {
    const norm = normalise(text);
    const q = features(text);
    const m = matchText(norm);
    const region = regionOf(m) ?? o.region;
    const situations = situationsOf(m);
    const boosted = new Map<string, number>();
    for (const s of situations) s.services.forEach((id, i) => boosted.set(id, Math.max(boosted.get(id) ?? 0, 12 - i * 0.5)));
    const fields = new Set(situations.flatMap((s) => s.fields ?? []));
    const hits: Hit[] = [];
    const words = this.scoreAll(q);
    const nameHits = this.namesIn(norm.replace(/ /g, ''));
    for (const [i, d] of this.docs.entries()) {
      const s = d.service;
      if (s.region && s.region.sido !== region) continue;
      let score = words[i]!;
      let via: Hit['via'] = 'words';
      if (nameHits.has(i)) {
        score += 20;
        via = 'name';
      }
      const boost = boosted.get(s.id);
      if (boost) {
        score += boost;
        if (via === 'words') via = 'situation';
      }
      if (fields.has(s.field)) score += 1;
      // a regional programme only where the person is, and after the national ones of equal weight
      // (when a life situation is described, what it calls for comes before the region's own programmes)
      if (s.region) score *= situations.length ? 0.5 : 0.8;
      if (score > 0) hits.push({ service: s, score, via });
    }
    return hits.sort((a, b) => b.score - a.score || a.service.id.localeCompare(b.service.id)).slice(0, o.limit ?? 5);
  }
}
