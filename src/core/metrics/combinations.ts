import type { Rng } from '../random/rng';

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * The k-subsets of 0..n-1 in lexicographic order, or a seeded sample of `max` distinct ones when
 * there are more (drawn without listing them all, so 100 columns stay cheap).
 */
export function columnCombinations(n: number, k: number, max: number, rng: Rng): number[][] {
  const total = binomial(n, k);
  if (total <= max) {
    const out: number[][] = [];
    const cur: number[] = [];
    const walk = (start: number) => {
      if (cur.length === k) {
        out.push([...cur]);
        return;
      }
      for (let i = start; i < n; i++) {
        cur.push(i);
        walk(i + 1);
        cur.pop();
      }
    };
    walk(0);
    return out;
  }
  const seen = new Set<string>();
  const out: number[][] = [];
  while (out.length < max) {
    const pick = new Set<number>();
    while (pick.size < k) pick.add(rng.int(n));
    const combo = [...pick].sort((a, b) => a - b);
    const key = combo.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(combo);
  }
  return out.sort((a, b) => a.join(',').localeCompare(b.join(','), 'en', { numeric: true }));
}
