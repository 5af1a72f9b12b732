/**
 * Seconds left, extrapolated linearly from the fraction done so far; undefined while there is too
 * little to tell (under 2% done or under a second in), and once done.
 */
export function etaSeconds(fraction: number, elapsedSeconds: number): number | undefined {
  if (!(fraction >= 0.02) || fraction >= 1 || elapsedSeconds < 1) return undefined;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}
