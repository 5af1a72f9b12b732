/**
 * Reports hold no rare real values: a category, a value or an example shown in a report (charts, worst
 * items, JSON) is one seen at least REPORT_MIN_COUNT times in the training rows, or it is masked. The
 * report is meant to be shared; a diagnosis held by one patient, or one person's income as a chart's
 * maximum, must not travel with it.
 */
import { sortedPresent } from '../stats/quantiles';

/** The same k as the synthesizers' rare-category pooling default. */
export const REPORT_MIN_COUNT = 5;

/** How masked rare categories are labelled in a chart. */
export const maskedLabel = (n: number) => `(rare: ${n} ${n === 1 ? 'category' : 'categories'})`;

/**
 * A range to show instead of [min, max]: the k-th smallest and k-th largest present values, so that no
 * extreme held by fewer than k rows is printed. Undefined with fewer than k present values.
 */
export function shownRange(values: Float64Array, k = REPORT_MIN_COUNT): { lo: number; hi: number } | undefined {
  const sorted = sortedPresent(values);
  if (sorted.length < k) return undefined;
  return { lo: sorted[k - 1], hi: sorted[sorted.length - k] };
}
