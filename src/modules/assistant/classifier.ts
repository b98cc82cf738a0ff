/**
 * The intent model: multinomial logistic regression over sparse text features, trained from our
 * own example utterances when the assistant starts (a few hundred milliseconds; nothing is
 * downloaded). Adagrad with L2; features seen once in training are dropped as noise. The model is
 * a small map of weights per feature: its memory is measured in docs/benchmarks.md.
 */

export interface Prediction<L extends string> {
  label: L;
  confidence: number;
  scores: Array<{ label: L; p: number }>;
}

export interface TrainOptions {
  epochs?: number;
  rate?: number;
  l2?: number;
  seed?: number;
}

export class IntentClassifier<L extends string> {
  private readonly index = new Map<string, number>();
  private weights: Float64Array[] = [];
  private bias: Float64Array;

  private constructor(
    readonly labels: L[],
    private readonly featurise: (text: string) => string[],
  ) {
    this.bias = new Float64Array(labels.length);
  }

  /** Trains on `examples` (label → texts). */
  static train<L extends string>(examples: Record<L, string[]>, featurise: (text: string) => string[], o: TrainOptions = {}): IntentClassifier<L> {
    const labels = Object.keys(examples) as L[];
    const m = new IntentClassifier(labels, featurise);
    const data: Array<{ y: number; x: Map<number, number> }> = [];
    const counts = new Map<string, number>();
    const featurised = labels.flatMap((l, y) => examples[l].map((t) => ({ y, f: featurise(t) })));
    for (const { f } of featurised) for (const k of new Set(f)) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const [k, n] of counts) if (n >= 2) m.index.set(k, m.index.size);
    m.weights = labels.map(() => new Float64Array(m.index.size));
    for (const { y, f } of featurised) data.push({ y, x: m.vector(f) });

    const epochs = o.epochs ?? 40;
    const rate = o.rate ?? 0.5;
    const l2 = o.l2 ?? 1e-4;
    const g2 = labels.map(() => new Float64Array(m.index.size).fill(1e-8));
    const b2 = new Float64Array(labels.length).fill(1e-8);
    let seed = o.seed ?? 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const order = data.map((_, i) => i);
    for (let e = 0; e < epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) {
        const { y, x } = data[i]!;
        const p = m.probabilities(x);
        for (let c = 0; c < labels.length; c++) {
          const err = p[c]! - (c === y ? 1 : 0);
          const w = m.weights[c]!;
          const g = g2[c]!;
          for (const [k, v] of x) {
            const grad = err * v + l2 * w[k]!;
            g[k]! += grad * grad;
            w[k]! -= (rate / Math.sqrt(g[k]!)) * grad;
          }
          b2[c]! += err * err;
          m.bias[c]! -= (rate / Math.sqrt(b2[c]!)) * err;
        }
      }
    }
    return m;
  }

  /** Feature counts, scaled to unit length (long messages do not shout). */
  private vector(f: string[]): Map<number, number> {
    const x = new Map<number, number>();
    for (const k of f) {
      const i = this.index.get(k);
      if (i !== undefined) x.set(i, (x.get(i) ?? 0) + 1);
    }
    let norm = 0;
    for (const v of x.values()) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    for (const [k, v] of x) x.set(k, v / norm);
    return x;
  }

  private probabilities(x: Map<number, number>): Float64Array {
    const z = new Float64Array(this.labels.length);
    for (let c = 0; c < z.length; c++) {
      let s = this.bias[c]!;
      const w = this.weights[c]!;
      for (const [k, v] of x) s += w[k]! * v;
      z[c] = s;
    }
    const max = Math.max(...z);
    let sum = 0;
    for (let c = 0; c < z.length; c++) sum += z[c] = Math.exp(z[c]! - max);
    for (let c = 0; c < z.length; c++) z[c]! /= sum;
    return z;
  }

  predict(text: string): Prediction<L> {
    const x = this.vector(this.featurise(text));
    const p = this.probabilities(x);
    const scores = this.labels.map((label, i) => ({ label, p: x.size ? p[i]! : 0 })).sort((a, b) => b.p - a.p);
    return { label: scores[0]!.label, confidence: scores[0]!.p, scores };
  }

  /** Number of features kept (the model's size). */
  get size(): number {
    return this.index.size;
  }
}
