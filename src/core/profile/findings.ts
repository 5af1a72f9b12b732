import { canFake, defaultRoleFor } from '../schema/roles';
import { parseNumber } from '../schema/numbers';
import { detectDatetimeFormat, formatDatetime } from '../schema/datetimeFormat';
import type { ColumnSchema } from '../schema/schema';
import type { CategoricalColumn, Column, NumericColumn, Table } from '../table/table';
import { quantileSorted } from '../stats/quantiles';
import { duplicateRows } from './duplicates';
import { mixedDateFormats } from './mixedDates';
import type { Finding } from './types';

const MAX_ROWS = 100;

/** What detectors share for one column, computed once by profileTable. */
export interface ColumnFacts {
  column: Column;
  schema: ColumnSchema;
  sorted?: Float64Array;
  counts?: Int32Array;
  present: number;
  distinct: number;
}

const fmt = (n: number) => n.toLocaleString('en');
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(a / b < 0.01 ? 2 : 1)}%`;

function rowsWhere(n: number, pred: (i: number) => boolean): { rows: number[]; count: number } {
  const rows: number[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (pred(i)) {
      count++;
      if (rows.length < MAX_ROWS) rows.push(i);
    }
  }
  return { rows, count };
}

export function duplicateFinding(t: Table): Finding[] {
  const dupes = duplicateRows(t);
  if (dupes.length === 0) return [];
  return [
    {
      id: 'duplicate-rows',
      code: 'duplicate-rows',
      severity: 'warning',
      message: `${fmt(dupes.length)} row(s) (${pct(dupes.length, t.nRows)}) repeat an earlier row exactly. Duplicates weigh those records twice and make copies in synthetic data more likely.`,
      count: dupes.length,
      rows: dupes.slice(0, MAX_ROWS),
      fix: { type: 'drop-duplicate-rows' },
      fixLabel: 'Drop duplicate rows',
    },
  ];
}

export function columnFindings(f: ColumnFacts, nRows: number): Finding[] {
  const out: Finding[] = [];
  const name = f.schema.name;
  const id = (code: string) => `${code}:${name}`;
  if (f.present === 0) {
    out.push({
      id: id('all-missing'),
      code: 'all-missing',
      severity: 'warning',
      column: name,
      message: `"${name}" has no values at all; it carries no information.`,
      count: nRows,
      fix: { type: 'drop-column', column: name },
      fixLabel: `Drop "${name}"`,
    });
    return out;
  }
  if (f.distinct === 1 && nRows > 1) {
    const only = f.column.type === 'numeric' ? String(f.sorted?.[0]) : (f.column.levels[(f.counts as Int32Array).findIndex((c) => c > 0)] ?? '');
    out.push({
      id: id('constant'),
      code: 'constant',
      severity: 'info',
      column: name,
      message: `"${name}" has the same value (${JSON.stringify(only)}) in every non-missing row.`,
      count: f.present,
      values: [only],
      fix: { type: 'drop-column', column: name },
      fixLabel: `Drop "${name}"`,
    });
  }
  const missing = nRows - f.present;
  if (missing > nRows / 2) {
    out.push({
      id: id('mostly-missing'),
      code: 'mostly-missing',
      severity: 'info',
      column: name,
      message: `"${name}" is missing in ${fmt(missing)} of ${fmt(nRows)} rows (${pct(missing, nRows)}).`,
      count: missing,
    });
  }
  // Personal data is a finding only while real values would be learnt (role synthesize): a fake,
  // kept-out or generated column is already handled, and its role says how.
  if (f.schema.pii.length > 0 && f.schema.role === 'synthesize') {
    const kinds = f.schema.pii.map((p) => `${p.kind} (${p.source === 'name' ? 'by its name' : `${pct(p.share, 1)} of sampled values`})`).join(', ');
    const fake = canFake(f.schema.kind) && defaultRoleFor(f.schema.kind, f.schema.pii) === 'fake';
    out.push({
      id: id('pii'),
      code: 'pii',
      severity: 'warning',
      column: name,
      message: `"${name}" looks like personal data: ${kinds}. ${fake ? 'Replace it with realistic fakes (never a real value)' : 'Keep it out of training'} rather than learning real values.`,
      count: f.present,
      fix: { type: 'set-role', column: name, role: fake ? 'fake' : 'keep-out' },
      fixLabel: fake ? `Replace "${name}" with fakes` : `Keep "${name}" out`,
    });
  }
  if (f.column.type === 'categorical') out.push(...categoricalFindings(f as ColumnFacts & { column: CategoricalColumn; counts: Int32Array }, nRows));
  else out.push(...numericFindings(f as ColumnFacts & { column: NumericColumn; sorted: Float64Array }, nRows));
  return out;
}

const PLACEHOLDER_TEXT = new Set(['unknown', 'unk', '-', '--', '---', 'n.a.', 'n.a', 'missing', 'not available', 'undefined', '(blank)', 'blank', 'tbd', 'xxx', 'empty', '.']);

/** First characters (lower case) of the placeholder words; only levels starting so are looked up. */
const PLACEHOLDER_FIRST = new Set([...PLACEHOLDER_TEXT].map((t) => t.charCodeAt(0)));

/**
 * A quick pre-check (no strings made) for PLACEHOLDER_TEXT.has(level.trim().toLowerCase()), which matters for
 * columns with a million levels. Only ASCII capitals lower-case to the words' ASCII first characters.
 */
function mayBePlaceholder(level: string): boolean {
  let c = level.charCodeAt(0);
  if (c <= 32 || c >= 128) c = level.trimStart().charCodeAt(0);
  if (c >= 65 && c <= 90) c |= 32;
  return PLACEHOLDER_FIRST.has(c);
}

function categoricalFindings(f: ColumnFacts & { column: CategoricalColumn; counts: Int32Array }, nRows: number): Finding[] {
  const out: Finding[] = [];
  const { column: c, counts } = f;
  const name = c.name;
  const id = (code: string) => `${code}:${name}`;
  const kind = f.schema.kind;
  const dates = kind === 'categorical' || kind === 'text' ? mixedDateFormats(c, counts) : undefined;

  // Near-unique categoricals: nearly one category per row is an ID or free text, not a category (nor dates).
  if (kind === 'categorical' && !dates && f.present >= 20 && f.distinct / f.present > 0.9) {
    const unique = f.distinct === f.present;
    out.push({
      id: id('near-unique'),
      code: 'near-unique',
      severity: 'warning',
      column: name,
      message: `"${name}" has ${fmt(f.distinct)} different values in ${fmt(f.present)} rows: it looks like ${unique ? 'an identifier' : 'free text'}, not a category. A model cannot learn it; synthetic data would echo real values.`,
      count: f.distinct,
      fix: { type: 'set-kind', column: name, kind: unique ? 'id' : 'text' },
      fixLabel: unique ? 'Treat as ID' : 'Treat as text',
    });
  }

  // Mixed types: mostly numbers (or dates) with some text in between.
  if (kind === 'categorical' || kind === 'text') {
    let num = 0;
    const notNumbers: string[] = [];
    for (let k = 0; k < c.levels.length; k++) {
      if (counts[k] === 0) continue;
      if (!Number.isNaN(parseNumber(c.levels[k].trim()))) num += counts[k];
      else if (notNumbers.length < 5) notNumbers.push(c.levels[k]);
    }
    if (num >= 0.5 * f.present && num < f.present) {
      const bad = f.present - num;
      out.push({
        id: id('mixed-types'),
        code: 'mixed-types',
        severity: 'warning',
        column: name,
        message: `"${name}" holds numbers in ${pct(num, f.present)} of its values, but also ${fmt(bad)} that are not numbers (e.g. ${notNumbers.map((s) => JSON.stringify(s)).join(', ')}). Converting makes those missing.`,
        count: bad,
        values: notNumbers,
        rows: rowsWhere(nRows, (i) => c.codes[i] >= 0 && Number.isNaN(parseNumber(c.levels[c.codes[i]].trim()))).rows,
        fix: { type: 'coerce-numeric', column: name },
        fixLabel: 'Convert to numbers',
      });
    } else if (dates) {
      const formats = dates.formats.map((d) => `${d.format} (${fmt(d.count)}, e.g. ${d.examples.map((e) => JSON.stringify(e)).join(', ')})`).join('; ');
      const major = dates.formats[0].format;
      out.push({
        id: id('mixed-date-formats'),
        code: 'mixed-date-formats',
        severity: 'warning',
        column: name,
        message:
          `"${name}" holds dates written in ${dates.formats.length} formats: ${formats}` +
          `${dates.unparsed > 0 ? `; ${fmt(dates.unparsed)} value(s) are not dates` : ''}. No one format reads them all, so the column was left as text. ` +
          `Converting with the most common format, ${major}, makes the other ${fmt(dates.lostByMajority)} value(s) (${pct(dates.lostByMajority, dates.present)}) missing; to keep them, rewrite them in one format and import again.`,
        count: dates.lostByMajority,
        values: dates.formats.flatMap((d) => d.examples.slice(0, 2)),
        formats: dates.formats,
        fix: { type: 'coerce-datetime', column: name, format: major },
        fixLabel: `Convert with ${major}`,
      });
    } else if (num < 0.5 * f.present) {
      const present = c.levels.filter((_, k) => counts[k] > 0);
      const dt = detectDatetimeFormat(present.slice(0, 2000), 0.5);
      if (dt && dt.share < 1) {
        out.push({
          id: id('mixed-types'),
          code: 'mixed-types',
          severity: 'warning',
          column: name,
          message: `"${name}" holds dates (${dt.pattern}) in most values, but not all. Converting makes the others missing.`,
          count: Math.round((1 - dt.share) * present.length),
          fix: { type: 'coerce-datetime', column: name, format: dt.pattern },
          fixLabel: 'Convert to dates',
        });
      }
    }
  }

  // Leading/trailing spaces, and the same category written differently.
  let spaced = 0;
  const spacedExamples: string[] = [];
  const groups = new Map<string, number[]>();
  for (let k = 0; k < c.levels.length; k++) {
    if (counts[k] === 0) continue;
    const l = c.levels[k];
    if (l !== l.trim()) {
      spaced += counts[k];
      if (spacedExamples.length < 5) spacedExamples.push(l);
    }
    if (kind === 'categorical' || kind === 'boolean') {
      const key = l.trim().replace(/\s+/g, ' ').toLowerCase();
      const g = groups.get(key);
      if (g) g.push(k);
      else groups.set(key, [k]);
    }
  }
  if (spaced > 0) {
    out.push({
      id: id('whitespace'),
      code: 'whitespace',
      severity: 'warning',
      column: name,
      message: `${fmt(spaced)} value(s) in "${name}" start or end with spaces (e.g. ${spacedExamples.map((s) => JSON.stringify(s)).join(', ')}).`,
      count: spaced,
      values: spacedExamples,
      rows: rowsWhere(nRows, (i) => c.codes[i] >= 0 && c.levels[c.codes[i]] !== c.levels[c.codes[i]].trim()).rows,
      fix: { type: 'trim-whitespace', column: name },
      fixLabel: 'Trim spaces',
    });
  }
  const mapping: Record<string, string> = {};
  const variantExamples: string[] = [];
  let variantCount = 0;
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const main = g.reduce((a, b) => (counts[b] > counts[a] ? b : a));
    for (const k of g) {
      if (k === main) continue;
      mapping[c.levels[k]] = c.levels[main];
      variantCount += counts[k];
    }
    if (variantExamples.length < 6) variantExamples.push(...g.slice(0, 3).map((k) => c.levels[k]));
  }
  if (variantCount > 0) {
    out.push({
      id: id('case-variants'),
      code: 'case-variants',
      severity: 'warning',
      column: name,
      message: `"${name}" writes the same category in different ways (${variantExamples.map((s) => JSON.stringify(s)).join(', ')}); ${fmt(variantCount)} value(s) would merge into the most common spelling.`,
      count: variantCount,
      values: variantExamples,
      fix: { type: 'merge-variants', column: name, mapping },
      fixLabel: 'Merge spellings',
    });
  }

  // Placeholder words that mean "missing".
  const placeholders: string[] = [];
  let phCount = 0;
  for (let k = 0; k < c.levels.length; k++) {
    if (counts[k] > 0 && mayBePlaceholder(c.levels[k]) && PLACEHOLDER_TEXT.has(c.levels[k].trim().toLowerCase())) {
      placeholders.push(c.levels[k]);
      phCount += counts[k];
    }
  }
  if (phCount > 0 && placeholders.length < f.distinct) {
    out.push({
      id: id('placeholder'),
      code: 'placeholder',
      severity: 'warning',
      column: name,
      message: `"${name}" uses ${placeholders.map((s) => JSON.stringify(s)).join(', ')} (${fmt(phCount)} value(s)), which usually means "missing"; a model would learn it as a real category.`,
      count: phCount,
      values: placeholders,
      fix: { type: 'replace-with-missing', column: name, values: placeholders },
      fixLabel: 'Make missing',
    });
  }
  return out;
}

const PLACEHOLDER_NUMBERS = [-1, -9, -99, -999, -9999, 99, 999, 9999, 99999, 999999];
const PLACEHOLDER_DATES = [Date.UTC(1900, 0, 1), Date.UTC(1970, 0, 1), Date.UTC(1899, 11, 30), Date.UTC(9999, 11, 31), Date.UTC(2099, 11, 31)];
const YEAR = 365.25 * 86_400_000;

/** Sentinel values standing apart from the rest of the column: -1 in a column of counts, 999 among ages. */
function findPlaceholders(sorted: Float64Array, kind: ColumnSchema['kind']): number[] {
  const n = sorted.length;
  const count = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (sorted[m] < v) lo = m + 1;
      else hi = m;
    }
    let k = 0;
    while (lo + k < n && sorted[lo + k] === v) k++;
    return k;
  };
  const found: number[] = [];
  const candidates = kind === 'datetime' ? PLACEHOLDER_DATES : PLACEHOLDER_NUMBERS;
  for (const v of candidates) {
    const k = count(v);
    if (k < 2 || k === n) continue;
    // The rest of the column, without this value: where does it lie?
    const restMin = sorted[0] === v ? sorted[k] : sorted[0];
    const restMax = sorted[n - 1] === v ? sorted[n - 1 - k] : sorted[n - 1];
    if (kind === 'datetime') {
      if ((v < restMin && restMin - v > 10 * YEAR) || (v > restMax && v - restMax > 10 * YEAR)) found.push(v);
    } else if (v < 0 && restMin >= 0) found.push(v);
    else if (v > 0 && v > restMax && restMax < v / 2 && restMax >= 0) found.push(v);
  }
  return found;
}

function numericFindings(f: ColumnFacts & { column: NumericColumn; sorted: Float64Array }, nRows: number): Finding[] {
  const out: Finding[] = [];
  const { column: c, sorted } = f;
  const name = c.name;
  const kind = f.schema.kind;
  const show = (v: number) => (kind === 'datetime' ? formatDatetime(v, f.schema.format?.datetime ?? 'YYYY-MM-DD') : String(v));
  const placeholders = findPlaceholders(sorted, kind);
  if (placeholders.length > 0) {
    const set = new Set(placeholders);
    const { rows, count } = rowsWhere(nRows, (i) => set.has(c.values[i]));
    out.push({
      id: `placeholder:${name}`,
      code: 'placeholder',
      severity: 'warning',
      column: name,
      message: `"${name}" has ${placeholders.map(show).join(', ')} in ${fmt(count)} row(s), far from its other values: probably a code for "missing". Left as is, it distorts means and models.`,
      count,
      rows,
      values: placeholders.map(show),
      fix: { type: 'replace-with-missing', column: name, values: placeholders },
      fixLabel: 'Make missing',
    });
  }
  if (kind === 'datetime' || sorted.length < 10) return out;
  // Outliers, leaving placeholder values aside.
  const rest = placeholders.length > 0 ? sorted.filter((v) => !placeholders.includes(v)) : sorted;
  const fence = outlierFences(rest);
  if (!fence) return out;
  const { lower, upper } = fence;
  const isOut = (v: number) => (v < lower || v > upper) && !placeholders.includes(v);
  const { rows, count } = rowsWhere(nRows, (i) => isOut(c.values[i]));
  if (count > 0) {
    const examples = [...new Set(rows.slice(0, 20).map((i) => c.values[i]))].slice(0, 5).map(String);
    const rule = fence.log ? '1.5 × IQR beyond the quartiles of the log values, as the column is skewed' : '1.5 × IQR beyond the quartiles';
    out.push({
      id: `outliers:${name}`,
      code: 'outliers',
      severity: 'info',
      column: name,
      message: `${fmt(count)} value(s) in "${name}" (${pct(count, f.present)}) lie outside ${round(lower)} … ${round(upper)} (${rule}), e.g. ${examples.join(', ')}. Extreme values are often real: check them, and clip only values that are errors.`,
      count,
      rows,
      values: examples,
      fix: { type: 'clip', column: name, lower, upper },
      fixLabel: `Clip to ${round(lower)} … ${round(upper)} if they are errors`,
      fixIsChoice: true,
    });
  }
  return out;
}

/** Bowley's quartile skewness, (q3 + q1 − 2·median) / IQR, in −1..1; 0 for a symmetric middle half. */
function quartileSkew(q1: number, median: number, q3: number): number {
  return q3 > q1 ? (q3 + q1 - 2 * median) / (q3 - q1) : 0;
}

/**
 * The fences beyond which a value is called an outlier (`sorted`: present values, ascending), or undefined
 * when the column's middle half has no spread.
 *
 * Tukey's 1.5 × IQR rule assumes a roughly symmetric column. On right-skewed, non-negative data (amounts,
 * precipitation, counts of retweets or visits) it calls the whole long tail "outliers": 14% of Seattle's
 * daily precipitation. For such columns the same rule is applied to log(x + c), c being the smallest
 * positive value (so zeros stay finite and the rule does not depend on the unit; c = 1 for counts), and
 * the fences are mapped back. The log scale is used when the column is non-negative, right-skewed, and its
 * middle half is no less symmetric on the log scale than on the raw scale (Bowley's quartile skewness), so
 * symmetric columns keep the usual rule.
 * Why not the adjusted boxplot (Hubert & Vandervieren, with the medcouple): the medcouple costs O(n log n)
 * with an intricate algorithm (O(n²) naively) on a million rows, and it degenerates on zero-inflated columns
 * (half of the values tied at a median of 0), which are exactly the precipitation and count columns at issue;
 * the log rule is O(n) on the values already sorted, and easy to explain in a message.
 */
export function outlierFences(sorted: Float64Array): { lower: number; upper: number; log: boolean } | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const q1 = quantileSorted(sorted, 0.25);
  const med = quantileSorted(sorted, 0.5);
  const q3 = quantileSorted(sorted, 0.75);
  const skew = quartileSkew(q1, med, q3);
  if (sorted[0] >= 0 && skew > 0) {
    let k = 0;
    while (k < n && sorted[k] === 0) k++;
    const c = sorted[k];
    if (k < n && c > 0) {
      const t = (v: number) => Math.log(v + c);
      // Quantiles of the log values themselves (type-7 interpolation does not commute with log).
      const logs = sorted.map(t);
      const l1 = quantileSorted(logs, 0.25);
      const l3 = quantileSorted(logs, 0.75);
      const logSkew = quartileSkew(l1, quantileSorted(logs, 0.5), l3);
      if (l3 > l1 && Math.abs(logSkew) <= skew) {
        const iqr = l3 - l1;
        // The values are non-negative: a lower fence below 0 is 0.
        return { lower: Math.max(0, Math.exp(l1 - 1.5 * iqr) - c), upper: Math.exp(l3 + 1.5 * iqr) - c, log: true };
      }
    }
  }
  const iqr = q3 - q1;
  if (iqr <= 0) return undefined;
  return { lower: q1 - 1.5 * iqr, upper: q3 + 1.5 * iqr, log: false };
}

function round(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

