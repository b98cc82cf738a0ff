import type { ServiceInfo } from '../services/index.ts';
import { matchText, regionOf, situationsOf } from './lexicon.ts';
import { features, normalise } from './text.ts';

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
  return [...out];
}

export class ServiceIndex {
  private readonly docs: Doc[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;
  private readonly byId: Map<string, Doc>;
  /** feature → the documents holding it (index into docs): a query scores only the documents it shares a feature with. */
  private readonly postings = new Map<string, number[]>();
  private readonly namePostings = new Map<string, number[]>();

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
    this.docs.forEach((d, i) => {
      for (const k of d.tf.keys()) {
        this.df.set(k, (this.df.get(k) ?? 0) + 1);
        let list = this.postings.get(k);
        if (!list) this.postings.set(k, (list = []));
        list.push(i);
      }
      for (const k of d.nameTf.keys()) {
        let list = this.namePostings.get(k);
        if (!list) this.namePostings.set(k, (list = []));
        list.push(i);
      }
    });
    this.avgLength = this.docs.reduce((a, d) => a + d.length, 0) / Math.max(1, this.docs.length);
    this.byId = new Map(this.docs.map((d) => [d.service.id, d]));
  }

  get size(): number {
    return this.docs.length;
  }

  service(id: string): ServiceInfo | undefined {
    return this.byId.get(id)?.service;
  }

  /** BM25 of every document that shares a feature with the query (the others score 0). */
  private scoreAll(query: string[], names = false): Map<number, number> {
    const out = new Map<number, number>();
    const n = this.docs.length;
    const postings = names ? this.namePostings : this.postings;
    for (const k of new Set(query)) {
      const list = postings.get(k);
      if (!list) continue;
      const idf = Math.log(1 + (n - (this.df.get(k) ?? 0) + 0.5) / ((this.df.get(k) ?? 0) + 0.5));
      for (const i of list) {
        const d = this.docs[i]!;
        const f = (names ? d.nameTf : d.tf).get(k)!;
        out.set(i, (out.get(i) ?? 0) + (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * d.length) / this.avgLength)));
      }
    }
    return out;
  }

  /** The programme the message names, if one is named clearly (its name, or most of it, in the message). */
  named(text: string): ServiceInfo | undefined {
    const compact = normalise(text).replace(/ /g, '');
    let best: { d: Doc; len: number } | undefined;
    for (const d of this.docs) {
      for (const n of d.names) {
        if (n.length >= 3 && compact.includes(n) && (!best || n.length > best.len || (n.length === best.len && !d.service.region && best.d.service.region))) best = { d, len: n.length };
      }
    }
    if (best) return best.d.service;
    // a near match on the name (a typo, a missing word): the best on names alone, if clearly best
    const q = features(text);
    const scored = [...this.scoreAll(q, true)]
      .map(([i, score]) => ({ d: this.docs[i]!, score }))
      .filter((x) => !x.d.service.region)
      .sort((a, b) => b.score - a.score);
    const [first, second] = scored;
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
    for (const [i, d] of this.docs.entries()) {
      const s = d.service;
      if (s.region && s.region.sido !== region) continue;
      const compact = norm.replace(/ /g, '');
      const nameHit = d.names.some((n) => n.length >= 3 && compact.includes(n));
      let score = words.get(i) ?? 0;
      let via: Hit['via'] = 'words';
      if (nameHit) {
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
