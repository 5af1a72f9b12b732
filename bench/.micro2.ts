import { readFileSync } from 'node:fs';
import { ColumnBuilder } from '/work/main/src/core/ingest/columnBuilder';
import { parseNumberRange } from '/work/main/src/core/schema/numbers';
import { parseDatetimeRange } from '/work/main/src/core/schema/datetimeFormat';
const text = readFileSync(process.argv[2], 'utf8');
const missing = new Set(['', 'NA', 'N/A', 'n/a', 'na', 'null', 'NULL', 'Null', 'NaN', 'nan', '?', '#N/A']);
const header = text.slice(0, text.indexOf('\n')).split(',');
const rows = text.split('\n').slice(1, 200001).map((l) => l.split(','));
const cols = header.map((_, k) => { const vals = rows.map((r) => r[k] ?? ''); const joined = vals.join('\u0001'); const starts = new Int32Array(vals.length + 1); let s = 0; vals.forEach((v, i) => { starts[i] = s; s += v.length + 1; }); starts[vals.length] = s; return { joined, starts }; });
for (let rep = 0; rep < 3; rep++) {
  const out: string[] = [];
  let tot = 0;
  for (let k = 0; k < header.length; k++) {
    const { joined, starts } = cols[k];
    const b = new ColumnBuilder(header[k], missing, 1 << 14);
    const t0 = performance.now();
    for (let i = 0; i < starts.length - 1; i++) b.pushRange(joined, starts[i], starts[i + 1] - 1);
    const t = performance.now() - t0; tot += t;
    out.push(`${header[k]}=${t.toFixed(0)}`);
  }
  console.log(rep, tot.toFixed(0), out.join(' '));
}
{ const { joined, starts } = cols[2]; let x = 0; const t0 = performance.now(); for (let r = 0; r < 5; r++) for (let i = 0; i < starts.length - 1; i++) x += parseNumberRange(joined, starts[i], starts[i + 1] - 1); console.log('parseNumberRange income x5', (performance.now() - t0).toFixed(0), x > 0); }
{ const { joined, starts } = cols[8]; let x = 0; const t0 = performance.now(); for (let r = 0; r < 5; r++) for (let i = 0; i < starts.length - 1; i++) x += parseDatetimeRange(joined, starts[i], starts[i + 1] - 1, 'YYYY-MM-DD HH:mm:ss'); console.log('parseDatetimeRange x5', (performance.now() - t0).toFixed(0), x > 0); }
