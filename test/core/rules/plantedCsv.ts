/** The planted table's CSV (no engine code: the e2e tests write it too). */
const CITIES: [string, string][] = [
  ['Paris', 'France'], ['Lyon', 'France'], ['Nice', 'France'],
  ['Berlin', 'Germany'], ['Munich', 'Germany'], ['Hamburg', 'Germany'],
  ['Rome', 'Italy'], ['Milan', 'Italy'], ['Turin', 'Italy'],
  ['Madrid', 'Spain'], ['Seville', 'Spain'], ['Valencia', 'Spain'],
];
const CHAPTERS = ['I', 'II', 'IX', 'X'];

/** A small deterministic generator (no Rng: the table must not depend on engine code). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A table with one planted rule of each kind: city -> country (fixed), end >= start (order, dates),
 * missing(chapter) == (death = 0) (structural missingness), total = a + b (sum, one decimal); and a
 * price that drives size (for conditioning).
 */
export function plantedCsv(n = 800, seed = 1): string {
  const r = lcg(seed);
  const rows = ['city,country,start,end,death,chapter,a,b,total,price,size'];
  const day = 86_400_000;
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const [city, country] = CITIES[Math.floor(r() * CITIES.length)];
    const start = t0 + Math.floor(r() * 700) * day;
    const end = start + Math.floor(r() * r() * 60) * day;
    const death = r() < 0.3 ? 1 : 0;
    const chapter = death ? CHAPTERS[Math.floor(r() * CHAPTERS.length)] : '';
    const a = Math.round(r() * 500) / 10;
    const b = Math.round(r() * 300) / 10;
    const total = Math.round((a + b) * 10) / 10;
    const size = Math.round(20 + r() * 180);
    const price = Math.round(size * (900 + r() * 400) + r() * 20000);
    const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
    rows.push([city, country, iso(start), iso(end), death, chapter, a.toFixed(1), b.toFixed(1), total.toFixed(1), price, size].join(','));
  }
  return rows.join('\n');
}
