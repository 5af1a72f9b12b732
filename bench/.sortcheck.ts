import { sortFloat64 } from '/work/main/src/core/profile/sortPresent';
let bad = 0;
for (const n of [10, 5000, 100000, 1000000]) for (const kind of ['int', 'float', 'mixed', 'date']) {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) { const r = Math.random(); a[i] = kind === 'int' ? Math.floor(r * 100) - 20 : kind === 'float' ? (r - 0.5) * 1e6 : kind === 'date' ? Date.UTC(2015, 0, 1) + Math.floor(r * 3000) * 86400000 : [0, -0, Infinity, -Infinity, 1e-310, -1e-310, r * 1e300, -r][i % 8]; }
  const ref = a.slice().sort();
  const t0 = performance.now(); const got = sortFloat64(a.slice()); const t1 = performance.now(); a.slice().sort(); const t2 = performance.now();
  for (let i = 0; i < n; i++) if (!Object.is(ref[i], got[i])) { bad++; break; }
  if (n === 1000000) console.log(kind, 'radix', (t1 - t0).toFixed(0), 'ms; sort()', (t2 - t1).toFixed(0), 'ms');
}
console.log('mismatching arrays', bad);
