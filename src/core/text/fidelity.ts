import { LeakGuard, buildLeakGuard } from './leakGuard';
import { tokenize } from './tokens';

/**
 * Text fidelity for one free-text column: how the synthetic texts compare with the real ones in presence,
 * length and vocabulary, how varied they are, and whether any carries an 8-token sequence (or entity)
 * found in exactly one real row. Numbers only: no word or text of the real column is reported.
 */
export interface TextFidelity {
  column: string;
  real: TextSideStats;
  synthetic: TextSideStats;
  /** Mean length in characters, synthetic over real (1 = same). */
  meanLengthRatio: number;
  /** Kolmogorov–Smirnov distance between the word-count distributions (0 = same, 1 = disjoint). */
  lengthKs: number;
  /**
   * Total variation distance between word frequencies (lower-cased), over the words used in at least
   * `minRows` real texts and the rest pooled (0 = same, 1 = disjoint).
   */
  vocabularyTv: number;
  /** Share of synthetic word occurrences whose word the real texts use (lower-cased). */
  vocabularyCoverage: number;
  /** Synthetic texts holding an 8-token sequence or an entity of exactly one real row. */
  uniqueNgramTexts: number;
}

export interface TextSideStats {
  rows: number;
  /** Share of rows with a (non-empty) text. */
  presentShare: number;
  /** Share of distinct texts among the present ones. */
  distinctShare: number;
  meanChars: number;
  meanWords: number;
  medianWords: number;
  /** Distinct words (lower-cased). */
  vocabulary: number;
}

function side(texts: readonly (string | null)[]): { stats: TextSideStats; words: number[]; freq: Map<string, number>; df: Map<string, number>; tokens: number } {
  const present = texts.filter((t): t is string => t !== null && t.trim() !== '');
  const words: number[] = [];
  const freq = new Map<string, number>();
  const df = new Map<string, number>();
  let chars = 0, tokens = 0;
  for (const t of present) {
    chars += t.length;
    const toks = tokenize(t).map((w) => w.toLowerCase());
    words.push(toks.length);
    tokens += toks.length;
    for (const w of toks) freq.set(w, (freq.get(w) ?? 0) + 1);
    for (const w of new Set(toks)) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const sorted = [...words].sort((a, b) => a - b);
  const n = present.length;
  return {
    stats: {
      rows: texts.length,
      presentShare: texts.length ? n / texts.length : 0,
      distinctShare: n ? new Set(present).size / n : 0,
      meanChars: n ? chars / n : 0,
      meanWords: n ? tokens / n : 0,
      medianWords: n ? (n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2) : 0,
      vocabulary: freq.size,
    },
    words: sorted,
    freq,
    df,
    tokens,
  };
}

/** Two-sample KS distance of sorted samples. */
export function ksDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  let i = 0, j = 0, d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i], b[j]);
    while (i < a.length && a[i] <= x) i++;
    while (j < b.length && b[j] <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

export function textFidelity(column: string, real: readonly (string | null)[], synthetic: readonly (string | null)[], minRows = 5): TextFidelity {
  const r = side(real), s = side(synthetic);
  // Vocabulary: words in >= minRows real texts, others pooled.
  const common = new Set([...r.df].filter(([, n]) => n >= minRows).map(([w]) => w));
  const dist = (freq: Map<string, number>, total: number) => {
    const m = new Map<string, number>();
    let other = 0;
    for (const [w, n] of freq) {
      if (common.has(w)) m.set(w, n / Math.max(1, total));
      else other += n / Math.max(1, total);
    }
    return { m, other };
  };
  const dr = dist(r.freq, r.tokens), ds = dist(s.freq, s.tokens);
  let tv = Math.abs(dr.other - ds.other);
  for (const w of common) tv += Math.abs((dr.m.get(w) ?? 0) - (ds.m.get(w) ?? 0));
  let covered = 0;
  for (const [w, n] of s.freq) if (r.freq.has(w)) covered += n;
  const guard = LeakGuard.from(buildLeakGuard(real));
  let leaks = 0;
  for (const t of synthetic) if (t && guard.check(t)) leaks++;
  return {
    column,
    real: r.stats,
    synthetic: s.stats,
    meanLengthRatio: r.stats.meanChars ? s.stats.meanChars / r.stats.meanChars : 0,
    lengthKs: ksDistance(r.words, s.words),
    vocabularyTv: tv / 2,
    vocabularyCoverage: s.tokens ? covered / s.tokens : 0,
    uniqueNgramTexts: leaks,
  };
}
