/** Mean and standard error of the mean (sample standard deviation / √n; 0 for one value) of repeated bench figures. */
export function meanSe(xs: number[]): [number, number] {
  const mu = xs.reduce((s, x) => s + x, 0) / xs.length;
  return [mu, Math.sqrt(xs.reduce((t, x) => t + (x - mu) ** 2, 0) / Math.max(1, xs.length - 1) / xs.length)];
}
