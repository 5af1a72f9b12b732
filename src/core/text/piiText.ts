import { luhn, validIban } from '../schema/pii';

/**
 * PII inside free text. The pattern detectors of ingest (e-mail, phone, IBAN, card with Luhn, IP, national
 * ids) plus URLs, searched anywhere in a text rather than matched against a whole value, always run; a
 * token-classification model adds named entities (person, location, organisation) as found words
 * (`entitySpans`). Spans are replaced by placeholders ("[EMAIL]", "[PERSON]") to clean a text.
 */
export type TextEntityKind = 'EMAIL' | 'URL' | 'IBAN' | 'CARD' | 'ID' | 'IP' | 'PHONE' | 'PERSON' | 'LOCATION' | 'ORGANISATION';

export const PATTERN_KINDS: readonly TextEntityKind[] = ['EMAIL', 'URL', 'IBAN', 'CARD', 'ID', 'IP', 'PHONE'];
export const MODEL_KINDS: readonly TextEntityKind[] = ['PERSON', 'LOCATION', 'ORGANISATION'];

export interface TextSpan {
  kind: TextEntityKind;
  start: number;
  end: number;
}

interface Rule {
  kind: TextEntityKind;
  re: RegExp;
  /** Extra check on the match (checksums, ranges). */
  ok?: (s: string) => boolean;
}

const RULES: Rule[] = [
  { kind: 'EMAIL', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'URL', re: /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]|\bwww\.[^\s<>"']+[^\s<>"'.,;:!?)]/gi },
  { kind: 'IBAN', re: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, ok: validIban },
  {
    kind: 'CARD',
    re: /\b\d(?:[ -]?\d){12,18}\b/g,
    ok: (s) => {
      const d = s.replace(/\D/g, '');
      return d.length >= 13 && d.length <= 19 && luhn(d);
    },
  },
  { kind: 'ID', re: /\b\d{3}-\d{2}-\d{4}\b|\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g },
  { kind: 'IP', re: /\b(?:\d{1,3}\.){3}\d{1,3}\b/g, ok: (s) => s.split('.').every((o) => +o <= 255) },
  {
    kind: 'PHONE',
    re: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}\b/g,
    ok: (s) => {
      const digits = s.replace(/\D/g, '').length;
      if (digits < 9 || digits > 15) return false;
      if (/^\d{4}-\d{2}-\d{2}/.test(s) || /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(s)) return false;
      // A leading + or brackets, or groups split by spaces/dashes of phone-like sizes: not a plain amount.
      return /^\+|\(/.test(s) || /^\d{2,5}([\s.-])\d{2,5}(\1\d{2,5})+$/.test(s);
    },
  },
];

/** Spans found by the pattern detectors, earlier kinds first on overlaps, sorted by position. */
export function patternSpans(text: string): TextSpan[] {
  const out: TextSpan[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      const s = m[0];
      if (rule.ok && !rule.ok(s)) continue;
      const start = m.index, end = start + s.length;
      if (!out.some((o) => start < o.end && o.start < end)) out.push({ kind: rule.kind, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** One named entity a model found: its kind and its words as the model's tokenizer wrote them. */
export interface FoundEntity {
  kind: TextEntityKind;
  word: string;
}

/** NER labels (PER, B-LOC, ORG, MISC...) to the kinds Facsimile replaces; null for others. */
export function entityKindOfLabel(label: string): TextEntityKind | null {
  const l = label.replace(/^[BI]-/, '').toUpperCase();
  if (l === 'PER' || l === 'PERSON') return 'PERSON';
  if (l === 'LOC' || l === 'LOCATION' || l === 'GPE') return 'LOCATION';
  if (l === 'ORG' || l === 'ORGANIZATION' || l === 'ORGANISATION') return 'ORGANISATION';
  return null;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where found entities sit in the text: every whole-word, case-insensitive occurrence of each entity's
 * words (a tokenizer may lower-case, strip accents' spacing or split "##" pieces, so the match allows any
 * spacing between the words).
 */
export function entitySpans(text: string, entities: readonly FoundEntity[]): TextSpan[] {
  const out: TextSpan[] = [];
  for (const e of entities) {
    const words = e.word.replace(/\s*##/g, '').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRe).join('\\s*')}(?![\\p{L}\\p{N}])`, 'giu');
    for (let m = re.exec(text); m; m = re.exec(text)) out.push({ kind: e.kind, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Merge spans (earlier start first; on overlap the union keeps the first span's kind). */
export function mergeSpans(spans: readonly TextSpan[]): TextSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: TextSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** The text with each span replaced by its placeholder ("[EMAIL]"). */
export function maskText(text: string, spans: readonly TextSpan[]): string {
  const merged = mergeSpans(spans);
  let out = '', at = 0;
  for (const s of merged) {
    out += text.slice(at, s.start) + `[${s.kind}]`;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Pattern detectors only: the cleaned text. */
export function cleanText(text: string, entities: readonly FoundEntity[] = []): string {
  return maskText(text, [...patternSpans(text), ...entitySpans(text, entities)]);
}

/** Per-column result of a PII scan over free text. */
export interface TextPiiColumnScan {
  column: string;
  /** Non-missing texts scanned. */
  texts: number;
  /** Texts with at least one finding. */
  textsWithPii: number;
  /** Findings per kind (occurrences). */
  counts: Partial<Record<TextEntityKind, number>>;
  /** A few cleaned texts that had findings, cut around the first placeholder: never a real value. */
  maskedExamples: string[];
  /** Whether a named-entity model ran (otherwise only patterns). */
  withModel: boolean;
}

const EXAMPLE_CHARS = 120;

/** A short window of a cleaned text around its first placeholder. */
export function maskedExample(cleaned: string): string {
  const at = cleaned.search(/\[(?:EMAIL|URL|IBAN|CARD|ID|IP|PHONE|PERSON|LOCATION|ORGANISATION)\]/);
  const from = Math.max(0, at - EXAMPLE_CHARS / 2);
  const cut = cleaned.slice(from, from + EXAMPLE_CHARS);
  return (from > 0 ? '…' : '') + cut + (from + EXAMPLE_CHARS < cleaned.length ? '…' : '');
}
