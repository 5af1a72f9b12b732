import { CANDIDATE_PATTERNS, detectDatetimeFormat, parseDatetime } from '../schema/datetimeFormat';
import { sampleEvenly, SAMPLE_LEVELS } from '../schema/infer';
import type { CategoricalColumn } from '../table/table';

/** One of the date formats a column mixes: how many values are written so, and a few of them. */
export interface DateFormatCount {
  format: string;
  count: number;
  examples: string[];
}

export interface MixedDateFormats {
  /** Most common first; each value is counted under the first of these formats that reads it. */
  formats: DateFormatCount[];
  /** Present values that no known format reads. */
  unparsed: number;
  /** Present values that the most common format does not read: converting with it makes them missing. */
  lostByMajority: number;
  present: number;
}

/** At least this share of the present values must read as dates under some of the formats. */
const MIN_DATE_SHARE = 0.8;
const PATTERNS = ['ISO', ...CANDIDATE_PATTERNS];

/**
 * A text column whose values are dates written in several formats ("2020-01-05", "05/01/2020",
 * "Jan 05 2020"): no single format reads them, so inference left the column as text. Formats are chosen
 * greedily (the one that reads the most values still unread, then the next) on up to SAMPLE_LEVELS distinct
 * values, weighted by their counts; then every level is counted under the first chosen format that reads
 * it. Returns undefined unless at least 80% of the present values read as dates and two or more formats are
 * needed for them.
 */
export function mixedDateFormats(c: CategoricalColumn, counts: Int32Array): MixedDateFormats | undefined {
  const levels: number[] = [];
  for (let k = 0; k < c.levels.length; k++) if (counts[k] > 0) levels.push(k);
  if (levels.length < 2) return undefined;
  const sample = levels.length <= SAMPLE_LEVELS ? levels : sampleEvenly(levels, SAMPLE_LEVELS);
  const text = sample.map((k) => c.levels[k].trim());
  // The cheap gate of detectDatetimeFormat: dates have digits and a separator.
  if (!text.slice(0, 50).some((s) => /\d{1,4}[-/. ]\w/.test(s))) return undefined;
  // Quick reject before the full table of formats × values: most of the first values must read as dates.
  const head = text.slice(0, 50);
  const dated = head.filter((s) => PATTERNS.some((p) => !Number.isNaN(parseDatetime(s, p)))).length;
  if (dated < MIN_DATE_SHARE * head.length * 0.75) return undefined;
  let total = 0;
  for (const k of sample) total += counts[k];
  const reads: Uint8Array[] = PATTERNS.map((p) => Uint8Array.from(text, (s) => (Number.isNaN(parseDatetime(s, p)) ? 0 : 1)));
  const unread = new Uint8Array(sample.length).fill(1);
  const chosen: string[] = [];
  let covered = 0;
  for (;;) {
    let best = -1;
    let bestWeight = 0;
    for (let p = 0; p < PATTERNS.length; p++) {
      let w = 0;
      const r = reads[p];
      for (let i = 0; i < sample.length; i++) if (r[i] & unread[i]) w += counts[sample[i]];
      if (w > bestWeight) [best, bestWeight] = [p, w];
    }
    if (best < 0) break;
    chosen.push(PATTERNS[best]);
    covered += bestWeight;
    for (let i = 0; i < sample.length; i++) if (reads[best][i]) unread[i] = 0;
  }
  if (chosen.length < 2 || covered < MIN_DATE_SHARE * total) return undefined;

  // Every level, under the first chosen format that reads it.
  const byFormat = chosen.map((format) => ({ format, count: 0, examples: [] as string[], values: [] as string[] }));
  let unparsed = 0;
  let present = 0;
  for (const k of levels) {
    const s = c.levels[k].trim();
    present += counts[k];
    const j = chosen.findIndex((p) => !Number.isNaN(parseDatetime(s, p)));
    if (j < 0) {
      unparsed += counts[k];
      continue;
    }
    const g = byFormat[j];
    g.count += counts[k];
    if (g.examples.length < 3) g.examples.push(c.levels[k]);
    if (g.values.length < 2000) g.values.push(s);
  }
  const used = byFormat.filter((g) => g.count > 0).sort((a, b) => b.count - a.count);
  if (used.length < 2) return undefined;
  // Written back as the values are (M rather than MM where months lack their leading zero).
  for (const g of used) if (g.format !== 'ISO') g.format = detectDatetimeFormat(g.values, 1)?.pattern ?? g.format;
  const majority = used[0].format;
  let lostByMajority = 0;
  for (const k of levels) if (Number.isNaN(parseDatetime(c.levels[k].trim(), majority))) lostByMajority += counts[k];
  return { formats: used.map(({ format, count, examples }) => ({ format, count, examples })), unparsed, lostByMajority, present };
}
