import { readFileSync } from 'node:fs';
import { ColumnBuilder } from '/work/main/src/core/ingest/columnBuilder';
const text = readFileSync(process.argv[2], 'utf8');
const missing = new Set(['', 'NA', 'N/A', 'n/a', 'na', 'null', 'NULL', 'Null', 'NaN', 'nan', '?', '#N/A']);
const header = text.slice(0, text.indexOf('\n')).split(',');
const rows = text.split('\n').slice(1, 200001).map((l) => l.split(','));
const cols = header.map((_, k) => { const vals = rows.map((r) => r[k] ?? ''); const joined = vals.join('\u0001'); const starts = new Int32Array(vals.length + 1); let s = 0; vals.forEach((v, i) => { starts[i] = s; s += v.length + 1; }); starts[vals.length] = s; return { joined, starts }; });
const best = new Array(header.length).fill(Infinity);
for (let rep = 0; rep < 5; rep++) {
  for (let k = 0; k < header.length; k++) {
    const { joined, starts } = cols[k];
    const b = new ColumnBuilder(header[k], missing, 1 << 14);
    const c0 = process.cpuUsage();
    for (let i = 0; i < starts.length - 1; i++) b.pushRange(joined, starts[i], starts[i + 1] - 1);
    const t = process.cpuUsage(c0).user / 1000;
    best[k] = Math.min(best[k], t);
  }
}
console.log('total best', best.reduce((a, b) => a + b, 0).toFixed(0), 'ms;', header.map((h, k) => `${h}=${best[k].toFixed(0)}`).join(' '));
import { parseDatetimeRange, parseDatetime } from '/work/main/src/core/schema/datetimeFormat';
{
  const { joined, starts } = cols[8];
  let bestT = Infinity; let x = 0;
  for (let rep = 0; rep < 5; rep++) { const c0 = process.cpuUsage(); for (let i = 0; i < starts.length - 1; i++) x += parseDatetimeRange(joined, starts[i], starts[i + 1] - 1, 'YYYY-MM-DD HH:mm:ss'); bestT = Math.min(bestT, process.cpuUsage(c0).user / 1000); }
  console.log('parseDatetimeRange 200k', bestT.toFixed(0), 'ms', x > 0);
  let y = 0; const c0 = process.cpuUsage(); for (let i = 0; i < 200000; i++) y += Date.UTC(2020, 1, 1 + (i % 28), 3, 4, 5); console.log('Date.UTC 200k', (process.cpuUsage(c0).user / 1000).toFixed(0), y > 0);
}
