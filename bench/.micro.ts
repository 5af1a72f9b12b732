import { readFileSync } from 'node:fs';
import { ColumnBuilder } from '/work/main/src/core/ingest/columnBuilder';
const text = readFileSync(process.argv[2], 'utf8');
const missing = new Set(['', 'NA', 'N/A', 'n/a', 'na', 'null', 'NULL', 'Null', 'NaN', 'nan', '?', '#N/A']);
function run(push: boolean) {
  const header = text.slice(0, text.indexOf('\n')).split(',');
  const bs = header.map((h) => new ColumnBuilder(h, missing, 1 << 14));
  let pos = text.indexOf('\n') + 1;
  const len = text.length;
  let j = 0; let nf = 0;
  while (pos < len) {
    let p = pos, c = -1;
    if (text.charCodeAt(p) === 34) { const q = text.indexOf('"', p + 1); if (push) bs[j].pushRange(text, p + 1, q); pos = q + 2; c = text.charCodeAt(q + 1); }
    else {
      while (p < len) { c = text.charCodeAt(p); if (c === 44 || c === 10) break; p++; }
      if (push) bs[j].pushRange(text, pos, p);
      pos = p + 1;
    }
    nf++;
    if (c === 10) j = 0; else j++;
  }
  return { bs, nf };
}
for (const push of [false, true, false, true]) {
  const t0 = performance.now();
  const { nf } = run(push);
  console.log(push ? 'scan+push' : 'scan only', nf, (performance.now() - t0).toFixed(0), 'ms');
}
// per column
const header = text.slice(0, text.indexOf('\n')).split(',');
const rows = text.split('\n').slice(1, 200001).map((l) => l.split(','));
for (let k = 0; k < header.length; k++) {
  const b = new ColumnBuilder(header[k], missing, 1 << 14);
  const vals = rows.map((r) => r[k] ?? '');
  const joined = vals.join('\u0001'); const starts: number[] = []; let s = 0; for (const v of vals) { starts.push(s); s += v.length + 1; }
  const t0 = performance.now();
  for (let i = 0; i < vals.length; i++) b.pushRange(joined, starts[i], starts[i] + vals[i].length);
  console.log(header[k].padEnd(15), (performance.now() - t0).toFixed(1), 'ms');
}
