import type { Rng } from '../random/rng';
import { detokenize, tokenize } from './tokens';

/**
 * The text fallback that needs no model file: a word-level Markov chain (two words of context, backing off
 * to one, then to word frequencies) trained on the placeholder-cleaned texts of a column. It writes
 * plausible text in the column's vocabulary and style, with a length drawn from the real length
 * distribution; it does not read the rest of the row (it is not conditioned on the row's values).
 *
 * Privacy: a word used in fewer than `minRows` training texts (a surname the patterns missed, an id, a
 * rare typo) is never learnt or written: transitions into it are dropped and contexts holding it are
 * not kept. The pipeline's leak guard (leakGuard.ts) checks each text it writes on top of that.
 */
export interface WordModelData {
  version: 1;
  /** Words; 0 = end of text, 1 = start of text. */
  vocab: string[];
  /** Two-word contexts: [prev2, prev1, count of nexts, next1, n1, next2, n2, ...] concatenated. */
  context2: number[];
  /** One-word contexts, same layout without prev2. */
  context1: number[];
  /** Word counts (for the back-off of last resort), by vocab index. */
  unigram: number[];
  /** 101 quantiles (0%..100%) of the word count of the training texts. */
  lengthQuantiles: number[];
  /** Words in fewer training texts than this were left out. */
  minRows: number;
}

const END = 0;
const START = 1;

type Dist = { next: number[]; counts: number[]; total: number };

/**
 * Trains the fallback on (cleaned) texts; missing texts are left out by the caller. Long columns are
 * sampled evenly: at most `maxTexts` texts and about `maxTokens` words in all (a column of 100 000 cells of
 * 10 kB is learnt from a spread of its texts rather than held whole in memory).
 */
export function trainWordModel(texts: readonly string[], minRows = 5, maxTexts = 50_000, maxTokens = 5_000_000): WordModelData {
  const used = texts.length > maxTexts ? texts.filter((_, i) => i % Math.ceil(texts.length / maxTexts) === 0) : texts;
  const tokenized: string[][] = [];
  let tokens = 0;
  const stride = Math.max(1, Math.ceil(used.reduce((n, t) => n + t.length, 0) / 5 / maxTokens)); // ~5 characters a word
  for (let i = 0; i < used.length && tokens < maxTokens; i += stride) {
    const toks = tokenize(used[i]);
    tokenized.push(toks);
    tokens += toks.length;
  }
  const df = new Map<string, number>();
  for (const toks of tokenized) for (const w of new Set(toks)) df.set(w, (df.get(w) ?? 0) + 1);
  const vocab = ['</s>', '<s>'];
  const index = new Map<string, number>();
  for (const [w, n] of df) {
    if (n < minRows) continue;
    index.set(w, vocab.length);
    vocab.push(w);
  }
  const c2 = new Map<number, Map<number, number>>();
  const c1 = new Map<number, Map<number, number>>();
  const unigram = new Array<number>(vocab.length).fill(0);
  const bump = (m: Map<number, Map<number, number>>, key: number, next: number) => {
    let d = m.get(key);
    if (!d) m.set(key, (d = new Map()));
    d.set(next, (d.get(next) ?? 0) + 1);
  };
  const V = vocab.length;
  const lengths: number[] = [];
  for (const toks of tokenized) {
    lengths.push(toks.length);
    let p2 = START, p1 = START;
    const ids = [...toks.map((w) => index.get(w) ?? -1), END];
    for (const id of ids) {
      if (id >= 0) {
        if (p2 >= 0 && p1 >= 0) bump(c2, p2 * V + p1, id);
        if (p1 >= 0) bump(c1, p1, id);
        if (id !== END) unigram[id]++;
      }
      p2 = p1;
      p1 = id; // a rare word (-1) breaks the contexts it is part of
    }
  }
  const flat = (m: Map<number, Map<number, number>>, two: boolean) => {
    const out: number[] = [];
    for (const [key, d] of m) {
      if (two) out.push(Math.floor(key / V), key % V);
      else out.push(key);
      out.push(d.size);
      for (const [next, n] of d) out.push(next, n);
    }
    return out;
  };
  return { version: 1, vocab, context2: flat(c2, true), context1: flat(c1, false), unigram, lengthQuantiles: quantiles(lengths), minRows };
}

function quantiles(xs: number[]): number[] {
  if (xs.length === 0) return [];
  const s = [...xs].sort((a, b) => a - b);
  return Array.from({ length: 101 }, (_, q) => {
    const h = (s.length - 1) * (q / 100);
    const lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
  });
}

/** A length (in words) drawn from the stored quantiles: inverse CDF with linear interpolation. */
export function drawLength(q: readonly number[], rng: Rng): number {
  if (q.length === 0) return 0;
  const u = rng.next() * (q.length - 1);
  const lo = Math.floor(u);
  const x = q[lo] + (u - lo) * ((q[Math.min(lo + 1, q.length - 1)] ?? q[lo]) - q[lo]);
  return Math.max(1, Math.round(x));
}

/** A trained fallback, ready to write texts. */
export class WordModel {
  readonly data: WordModelData;
  readonly #c2 = new Map<number, Dist>();
  readonly #c1 = new Map<number, Dist>();
  readonly #uni: Dist;

  constructor(data: WordModelData) {
    this.data = data;
    const V = data.vocab.length;
    const read = (arr: number[], two: boolean, into: Map<number, Dist>) => {
      for (let i = 0; i < arr.length; ) {
        const key = two ? arr[i] * V + arr[i + 1] : arr[i];
        i += two ? 2 : 1;
        const k = arr[i++];
        const d: Dist = { next: [], counts: [], total: 0 };
        for (let j = 0; j < k; j++, i += 2) {
          d.next.push(arr[i]);
          d.counts.push(arr[i + 1]);
          d.total += arr[i + 1];
        }
        into.set(key, d);
      }
    };
    read(data.context2, true, this.#c2);
    read(data.context1, false, this.#c1);
    const uni: Dist = { next: [], counts: [], total: 0 };
    data.unigram.forEach((n, id) => {
      if (n > 0) {
        uni.next.push(id);
        uni.counts.push(n);
        uni.total += n;
      }
    });
    this.#uni = uni;
  }

  /** Whether the model learnt any word (a column of only rare words learns none). */
  get empty(): boolean {
    return this.#uni.total === 0;
  }

  /**
   * One text of about `target` words: the chain runs from the start of a text; before 85% of the target an
   * end of text starts a new one instead (texts are joined), and past 160% the text is cut at the next
   * sentence end or at 200%.
   */
  write(target: number, rng: Rng): string {
    if (this.empty || target <= 0) return '';
    const V = this.data.vocab.length;
    const out: number[] = [];
    let p2 = START, p1 = START;
    const soft = Math.max(1, Math.floor(target * 0.85)), long = Math.ceil(target * 1.25), hard = Math.ceil(target * 1.8);
    while (out.length < hard) {
      const d = this.#c2.get(p2 * V + p1) ?? this.#c1.get(p1) ?? this.#uni;
      const next = pick(d, rng, out.length < soft);
      if (next === END) {
        if (out.length >= soft) break;
        p2 = START;
        p1 = START;
        continue;
      }
      out.push(next);
      p2 = p1;
      p1 = next;
      if (out.length >= long && /^[.!?]$/.test(this.data.vocab[next])) break;
    }
    return detokenize(out.map((id) => this.data.vocab[id]));
  }
}

/** Draws from a distribution; with `noEnd`, the end of text is left out unless it is all there is. */
function pick(d: Dist, rng: Rng, noEnd: boolean): number {
  let total = d.total;
  const endAt = noEnd ? d.next.indexOf(END) : -1;
  if (endAt >= 0) {
    total -= d.counts[endAt];
    if (total <= 0) return END;
  }
  let u = rng.next() * total;
  for (let i = 0; i < d.next.length; i++) {
    if (i === endAt) continue;
    u -= d.counts[i];
    if (u < 0) return d.next[i];
  }
  for (let i = d.next.length - 1; i >= 0; i--) if (i !== endAt) return d.next[i];
  return END;
}
