/** The distinct values of a sorted array and how often each occurs. */
export function runs(sorted: ArrayLike<number>): { values: Float64Array; counts: Int32Array } {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]++;
    else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Int32Array.from(counts) };
}
