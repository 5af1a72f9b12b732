import { readFileSync } from 'node:fs';
import { ColumnBuilder } from '/work/main/src/core/ingest/columnBuilder';
const text = readFileSync(process.argv[2], 'utf8');
const missing = new Set(['', 'NA']);
const rows = text.split('\n').slice(1, 200001).map((l) => l.split(','));
const vals = rows.map((r) => r[8]); const joined = vals.join('\u0001'); const starts = new Int32Array(vals.length + 1); let s = 0; vals.forEach((v, i) => { starts[i] = s; s += v.length + 1; }); starts[vals.length] = s;
for (let rep = 0; rep < 4; rep++) {
  const b = new ColumnBuilder('last_login', missing, 1 << 14);
  let c0 = process.cpuUsage();
  for (let i = 0; i < 2047; i++) b.pushRange(joined, starts[i], starts[i + 1] - 1);
  const a = process.cpuUsage(c0).user / 1000; c0 = process.cpuUsage();
  b.pushRange(joined, starts[2047], starts[2048] - 1);
  const p = process.cpuUsage(c0).user / 1000; c0 = process.cpuUsage();
  for (let i = 2048; i < starts.length - 1; i++) b.pushRange(joined, starts[i], starts[i + 1] - 1);
  const r = process.cpuUsage(c0).user / 1000;
  console.log('strings', a.toFixed(1), 'probe', p.toFixed(1), 'rest', r.toFixed(1), b.finish().mode);
}
