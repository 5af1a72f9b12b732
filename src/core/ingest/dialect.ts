import Papa from 'papaparse';
import { parseNumber } from '../schema/numbers';

/** How a delimited text file is written. */
export interface Dialect {
  delimiter: string;
  newline: '\n' | '\r\n' | '\r';
}

export const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'];

/**
 * Rows are split on '\n' whenever the file has one, and a trailing '\r' is dropped from each row's last field:
 * that reads CRLF, LF and files mixing both alike. Only old-Mac files with bare '\r' split on '\r'.
 */
export function detectNewline(sample: string): Dialect['newline'] {
  if (sample.indexOf('\n') >= 0) return '\n';
  return sample.indexOf('\r') >= 0 ? '\r' : '\n';
}

/**
 * A lone CR (one not followed by LF) outside quoted fields ends a record, as LF and CRLF do (Python's csv
 * module and pandas read it so). papaparse splits on one newline string only, so text for it with newline
 * '\n' has each such CR turned into an LF first; the length stays the same, so offsets into the result are
 * offsets into `text`. A field is quoted when it starts with a double quote (after the start, a line end or
 * one of `delimiters`) and runs to the next quote that is not doubled. A CR that ends a text that may go on
 * (`final` false) is left alone: an LF may follow.
 */
export function loneCrToLf(text: string, delimiters: readonly string[], final: boolean): string {
  if (text.indexOf('\r') < 0) return text;
  const n = text.length;
  const cuts: number[] = [];
  const firsts = delimiters.map((d) => d.charCodeAt(0));
  let atFieldStart = true;
  let inQuotes = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === 34 && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
    } else if (c === 10) atFieldStart = true;
    else if (c === 13) {
      atFieldStart = true;
      if (text.charCodeAt(i + 1) === 10) i++;
      else if (i + 1 < n || final) cuts.push(i);
    } else if (firsts.includes(c)) {
      const d = delimiters.find((x) => x.charCodeAt(0) === c && (x.length === 1 || text.startsWith(x, i)));
      if (d !== undefined) {
        atFieldStart = true;
        i += d.length - 1;
      } else atFieldStart = false;
    } else atFieldStart = false;
  }
  if (cuts.length === 0) return text;
  let out = '';
  let from = 0;
  for (const k of cuts) {
    out += text.slice(from, k) + '\n';
    from = k + 1;
  }
  return out + text.slice(from);
}

/** Drop the '\r' of a CRLF line end from a row's last field (see detectNewline). */
export function stripCr(row: string[]): string[] {
  const last = row.length - 1;
  const v = row[last];
  if (v !== undefined && v.charCodeAt(v.length - 1) === 13) row[last] = v.slice(0, -1);
  return row;
}

/** Parse the first rows of a sample with a given dialect (for detection and preview only). */
export function parseSample(sample: string, dialect: Dialect, maxRows = 60): string[][] {
  const parser = new Papa.Parser({ delimiter: dialect.delimiter, newline: dialect.newline, preview: maxRows });
  const rows = parser.parse(sample, 0, false).data as string[][];
  return rows.map(stripCr).filter((r) => !(r.length === 1 && r[0] === ''));
}

/**
 * Pick the delimiter whose rows agree best on a field count above 1: the share of sample rows with the
 * most common count, then the larger count. A file with one column falls back to ','.
 */
export function detectDelimiter(sample: string, newline: Dialect['newline']): string {
  let best = ',';
  let bestScore = 0;
  let bestFields = 1;
  // The last line of a sample may be cut; leave it out.
  const cut = sample.lastIndexOf(newline);
  const text = cut > 0 ? sample.slice(0, cut) : sample;
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const rows = parseSample(text, { delimiter, newline });
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let mode = 1;
    let modeCount = 0;
    for (const [k, c] of counts) if (c > modeCount || (c === modeCount && k > mode)) [mode, modeCount] = [k, c];
    if (mode < 2) continue;
    const score = modeCount / rows.length;
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) < 1e-9 && mode > bestFields)) {
      [best, bestScore, bestFields] = [delimiter, score, mode];
    }
  }
  return best;
}

type FieldType = 'empty' | 'number' | 'text';

function fieldType(s: string): FieldType {
  const t = s.trim();
  if (t === '') return 'empty';
  return Number.isNaN(parseNumber(t)) ? 'text' : 'number';
}

/**
 * Does the first row name the columns? Strong evidence: a column whose first value is text while the values
 * under it are numbers. Against: numbers in the first row. With text everywhere: a header's names are
 * distinct and do not repeat below.
 */
export function detectHeader(rows: string[][]): boolean {
  if (rows.length === 0) return false;
  const first = rows[0];
  if (rows.length === 1) return first.every((f) => fieldType(f) !== 'number');
  const rest = rows.slice(1);
  let strong = 0;
  let firstNumbers = 0;
  let notRepeated = 0;
  for (let j = 0; j < first.length; j++) {
    const t0 = fieldType(first[j]);
    if (t0 === 'number') firstNumbers++;
    let numbers = 0;
    let present = 0;
    let repeats = false;
    for (const r of rest) {
      const v = r[j];
      if (v === undefined) continue;
      const t = fieldType(v);
      if (t === 'empty') continue;
      present++;
      if (t === 'number') numbers++;
      if (v === first[j]) repeats = true;
    }
    if (t0 === 'text' && present > 0 && numbers / present >= 0.8) strong++;
    if (!repeats) notRepeated++;
  }
  if (strong > 0) return true;
  if (firstNumbers > 0) return false;
  const distinct = new Set(first).size === first.length;
  return distinct && notRepeated >= first.length / 2;
}
