/** Text helpers for the HTML export: escaping and number formats. */

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** A privacy budget: "0.25", "1", "∞" (null or Infinity: no differential privacy). */
export function formatEpsilon(epsilon: number | null): string {
  return epsilon === null || !Number.isFinite(epsilon) ? '∞' : String(epsilon);
}

export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(digits)}%`;
}

/** Short axis label for a number of any magnitude; `noGrouping` (years): no thousands separator. */
export function tick(x: number, noGrouping = false): string {
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(1);
  if (a >= 1000) return noGrouping ? String(Math.round(x)) : Math.round(x).toLocaleString('en-US');
  return String(Number(x.toPrecision(3)));
}

export function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const DAY = 86_400_000;

/**
 * Epoch milliseconds as a UTC date for axis labels and figures: "2012-01-01", with the time of day
 * ("2012-01-01 06:30") only when `span` (the range shown, in ms) is under a few days or the value has one.
 */
export function dateTick(ms: number, span = Infinity): string {
  if (!Number.isFinite(ms)) return '–';
  const iso = new Date(ms).toISOString();
  const withTime = span < 3 * DAY || ms % DAY !== 0;
  return withTime && span < 60 * DAY ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}
