import { UserError } from '../context';
import { HashSet } from '../table/rowHash';
import { entitySpans, patternSpans, type FoundEntity } from './piiText';
import { hashTokens, normalizedTokens, tokensBefore } from './tokens';

/**
 * The text leak guard: no synthetic text may contain a sequence of `NGRAM` tokens, or a detected entity
 * (an e-mail, phone, id... found by the patterns, or a name a model found), that occurs in exactly one
 * training row. Built from the raw training texts (case aside); keeps only salted-free 53-bit hashes of
 * those sequences, never the text. A text that fails is written again by the pipeline, and counted.
 */
export const NGRAM = 8;
/** 8-grams the guard holds at most while it is built (8 bytes each, twice): about 320 MB. */
export const MAX_GUARD_NGRAMS = 20_000_000;
/** Entities longer than this (in tokens) are checked on their first MAX_ENTITY_TOKENS tokens. */
const MAX_ENTITY_TOKENS = 8;

export interface LeakGuardData {
  /** Hashes of the n-grams found in exactly one training text (sorted). */
  ngrams: Float64Array;
  /** Hashes of the entities (token sequences) found in exactly one training text (sorted). */
  entities: Float64Array;
  /** Longest entity kept, in tokens. */
  maxEntityTokens: number;
}

/** Sorted hashes occurring in exactly one of the per-row sets. */
function uniqueAcrossRows(perRow: Float64Array[], total: number): Float64Array {
  const all = new Float64Array(total);
  let k = 0;
  for (const row of perRow) {
    all.set(row, k);
    k += row.length;
  }
  all.sort();
  const out = new Float64Array(total);
  let m = 0;
  for (let i = 0; i < total; ) {
    let j = i + 1;
    while (j < total && all[j] === all[i]) j++;
    if (j === i + 1) out[m++] = all[i];
    i = j;
  }
  return out.slice(0, m);
}

/**
 * Builds the guard from the training texts (null = missing). `entities`, when given, holds per text the
 * entities a model found in it; the pattern detectors always run.
 */
export function buildLeakGuard(texts: readonly (string | null)[], entities?: readonly (readonly FoundEntity[] | undefined)[], maxNgrams = MAX_GUARD_NGRAMS): LeakGuardData {
  const ngramRows: Float64Array[] = [];
  const entityRows: Float64Array[] = [];
  let nTotal = 0, eTotal = 0, maxEntityTokens = 0;
  texts.forEach((text, i) => {
    if (!text) return;
    const toks = normalizedTokens(text);
    const grams = new Set<number>();
    for (let j = 0; j + NGRAM <= toks.length; j++) grams.add(hashTokens(toks, j, j + NGRAM));
    const g = Float64Array.from(grams);
    ngramRows.push(g);
    nTotal += g.length;
    if (nTotal > maxNgrams) {
      throw new UserError(
        `The text column is too long for the text leak guard: more than ${maxNgrams.toLocaleString('en')} distinct 8-word sequences (reached at row ${i + 1}).`,
        'Keep the column out, or synthesize a sample of the rows (the guard must see every training text to promise no copied sequence).',
      );
    }
    const spans = [...patternSpans(text), ...entitySpans(text, entities?.[i] ?? [])];
    const ents = new Set<number>();
    for (const s of spans) {
      const et = normalizedTokens(text.slice(s.start, s.end)).slice(0, MAX_ENTITY_TOKENS);
      if (et.length === 0) continue;
      maxEntityTokens = Math.max(maxEntityTokens, et.length);
      ents.add(hashTokens(et, 0, et.length));
    }
    const e = Float64Array.from(ents);
    entityRows.push(e);
    eTotal += e.length;
  });
  return { ngrams: uniqueAcrossRows(ngramRows, nTotal), entities: uniqueAcrossRows(entityRows, eTotal), maxEntityTokens };
}

/**
 * Named entities a NER model found (person, location, organisation) are matched as strings: whole words
 * (runs of letters, marks and digits), case and accents aside, so "Chidi's" holds "chidi" and "José"
 * holds "jose" (uncased tokenizers strip accents), but "malice" does not hold "alice".
 */
const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;
/** Longest entity matched, in words (a longer one is matched on its first words). */
const MAX_NAME_WORDS = 8;
/** Shorter entity strings (a lone initial) are not checked: they name no one and would flag most texts. */
const MIN_NAME_CHARS = 2;

const foldWord = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** An entity string normalised: "##" pieces joined, case and accents folded, words joined by one space. */
export function normalizeEntity(word: string): string {
  const runs = word.replace(/\s*##/g, '').match(WORD_RUN) ?? [];
  return runs.map(foldWord).filter(Boolean).slice(0, MAX_NAME_WORDS).join(' ');
}

/** Whole-word, case-insensitive occurrences of a set of entity strings in texts. */
export class EntityMatcher {
  readonly #names = new Set<string>();
  readonly #maxWords: number;

  constructor(entities: Iterable<string>) {
    let max = 0;
    for (const e of entities) {
      const k = normalizeEntity(e);
      if (k.length < MIN_NAME_CHARS) continue;
      this.#names.add(k);
      max = Math.max(max, k.split(' ').length);
    }
    this.#maxWords = max;
  }

  get size(): number {
    return this.#names.size;
  }

  /** Calls `hit` with each occurrence (the entity and the offset just after it) until it returns true. */
  #scan(text: string, hit: (name: string, end: number) => boolean | void): void {
    if (this.#names.size === 0) return;
    const words: string[] = [], ends: number[] = [];
    for (const m of text.matchAll(WORD_RUN)) {
      const w = foldWord(m[0]);
      if (!w) continue;
      words.push(w);
      ends.push(m.index + m[0].length);
    }
    for (let j = 0; j < words.length; j++) {
      let key = '';
      for (let n = 0; n < this.#maxWords && j + n < words.length; n++) {
        key = n === 0 ? words[j] : `${key} ${words[j + n]}`;
        if (this.#names.has(key) && hit(key, ends[j + n])) return;
      }
    }
  }

  /** The distinct entities the text holds. */
  found(text: string): Set<string> {
    const out = new Set<string>();
    this.#scan(text, (name) => void out.add(name));
    return out;
  }

  /** The offset just after the first entity the text holds, or -1. */
  firstEnd(text: string): number {
    let at = -1;
    this.#scan(text, (_, end) => ((at = end), true));
    return at;
  }
}

/**
 * The entities (a NER model's findings, any form) that occur, whole word and case aside, in exactly one
 * training row: what the leak guard keeps out of synthetic texts. `texts` may be distinct texts with
 * `rows[i]` the rows holding texts[i] (1 each by default). Returns normalised strings, sorted.
 */
export function entitiesInOneRow(texts: readonly (string | null)[], entities: Iterable<string>, rows?: ArrayLike<number>): string[] {
  const matcher = new EntityMatcher(entities);
  if (matcher.size === 0) return [];
  const count = new Map<string, number>();
  texts.forEach((t, i) => {
    if (!t) return;
    const w = rows ? rows[i] : 1;
    for (const e of matcher.found(t)) count.set(e, (count.get(e) ?? 0) + w);
  });
  return [...count].filter(([, c]) => c === 1).map(([e]) => e).sort();
}

/** What leaked: an 8-gram, a pattern entity (or a hashed model entity), or a NER entity string (withEntities). */
export type LeakKind = 'ngram' | 'entity' | 'named-entity';

/** Checks texts against a guard. */
export class LeakGuard {
  readonly #ngrams: HashSet;
  readonly #entities: HashSet;
  readonly #maxEntity: number;
  #named: EntityMatcher | null = null;

  constructor(ngrams: HashSet, entities: HashSet, maxEntityTokens: number) {
    this.#ngrams = ngrams;
    this.#entities = entities;
    this.#maxEntity = maxEntityTokens;
  }

  static from(data: LeakGuardData): LeakGuard {
    return new LeakGuard(new HashSet(data.ngrams), new HashSet(data.entities), data.maxEntityTokens);
  }

  /** This guard, also flagging the given entity strings (those found in exactly one training row: entitiesInOneRow). */
  withEntities(entities: Iterable<string>): LeakGuard {
    const g = new LeakGuard(this.#ngrams, this.#entities, this.#maxEntity);
    const m = new EntityMatcher(entities);
    g.#named = m.size > 0 ? m : null;
    return g;
  }

  /** What leaks in a text (an 8-gram or an entity unique to one training row), or null. */
  check(text: string): { kind: LeakKind; end: number } | null {
    const toks = normalizedTokens(text);
    if (this.#ngrams.size > 0) {
      for (let j = 0; j + NGRAM <= toks.length; j++) if (this.#ngrams.has(hashTokens(toks, j, j + NGRAM))) return { kind: 'ngram', end: j + NGRAM };
    }
    if (this.#entities.size > 0) {
      for (let j = 0; j < toks.length; j++) {
        for (let n = 1; n <= this.#maxEntity && j + n <= toks.length; n++) {
          if (this.#entities.has(hashTokens(toks, j, j + n))) return { kind: 'entity', end: j + n };
        }
      }
    }
    if (this.#named) {
      const at = this.#named.firstEnd(text);
      if (at >= 0) return { kind: 'named-entity', end: tokensBefore(text, at) };
    }
    return null;
  }
}
