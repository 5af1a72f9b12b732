import { sortFloat64 } from '/work/main/src/core/profile/sortPresent';
const n = 1000000;
for (let rep = 0; rep < 4; rep++) for (const kind of ['int', 'float', 'date']) {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) { const r = Math.random(); a[i] = kind === 'int' ? Math.floor(r * 100) - 20 : kind === 'float' ? (r - 0.5) * 1e6 : Date.UTC(2015, 0, 1) + Math.floor(r * 3000) * 86400000; }
  const b = a.slice();
  const c0 = process.cpuUsage(); sortFloat64(a); const c1 = process.cpuUsage(c0); b.sort(); const c2 = process.cpuUsage(c0);
  if (rep > 0) console.log(kind, 'radix cpu', ((c1.user) / 1000).toFixed(0), 'ms; sort() cpu', ((c2.user - c1.user) / 1000).toFixed(0), 'ms');
}
