/**
 * Words of free text, for the word-level fallback, the leak guard and the text metrics: runs of letters
 * and digits (with inner apostrophes, dots and hyphens: "don't", "8.0", "e-mail"), placeholders such as
 * "[PERSON]" as one token, and each other non-space character on its own.
 */
const TOKEN = /\[[A-Z_]+\]|[\p{L}\p{N}]+(?:['’.\-@][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * How many tokens start before a character offset: the offset just after a word gives that word's
 * 1-based token index (the leak guard's `end`).
 */
export function tokensBefore(text: string, offset: number): number {
  let n = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index >= offset) break;
    n++;
  }
  return n;
}

/** Tokens lower-cased: how the leak guard compares texts (case aside). */
export function normalizedTokens(text: string): string[] {
  return tokenize(text).map((t) => t.toLowerCase());
}

const NO_SPACE_BEFORE = /^[.,;:!?)\]}%’'"]$/;
const NO_SPACE_AFTER = /^[([{$"]$/;

/** Words back into text: spaces between words, none before closing punctuation or after opening. */
export function detokenize(tokens: readonly string[]): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (i > 0 && !NO_SPACE_BEFORE.test(t) && !NO_SPACE_AFTER.test(tokens[i - 1])) out += ' ';
    out += t;
  }
  return out;
}

/** 53-bit hash of a token sequence (exact in a double), stable across platforms. */
export function hashTokens(tokens: readonly string[], from: number, to: number): number {
  let a = 0x9747b28c, b = 0x85ebca6b;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    for (let j = 0; j < t.length; j++) {
      const c = t.charCodeAt(j);
      a = Math.imul(a ^ c, 0x5bd1e995);
      a = (a ^ (a >>> 15)) >>> 0;
      b = Math.imul(b ^ c, 0x01000193) >>> 0;
    }
    a = Math.imul(a ^ 0x20, 0x5bd1e995) >>> 0; // token separator
    b = Math.imul(b ^ 0x1f, 0x01000193) >>> 0;
  }
  a = Math.imul(a ^ (a >>> 13), 0x1b873593) >>> 0;
  b = Math.imul(b ^ (b >>> 16), 0xcc9e2d51) >>> 0;
  return (a >>> 11) * 4294967296 + b;
}
