import { parseDatetime, CANDIDATE_PATTERNS } from '/work/main/src/core/schema/datetimeFormat';
import { parseDatetime as parseDatetimeRegex } from '/tmp/orig/src/core/schema/datetimeFormat';
// reference with Date.UTC
let bad = 0, n = 0, ok = 0;
const rnd = (k: number) => Math.floor(Math.random() * k);
const pats = [...CANDIDATE_PATTERNS, 'D/M/YYYY H:mm', 'M/D/YY', 'YYYY-M-D', 'DD.MM.YYYY HH:mm:ss.SSS', 'YYYYMMDD', 'YYMMDD', 'HHmm', 'MMM D, YYYY', 'D-MMM-YY'];
function gen(p: string): string {
  return p.replace(/YYYY|YY|MMM|MM|M|DD|D|HH|H|mm|ss|SSS/g, (t) => {
    const r = Math.random();
    switch (t) {
      case 'YYYY': return r < 0.05 ? String(rnd(100)).padStart(4, '0') : String(1800 + rnd(400)).padStart(4, '0');
      case 'YY': return String(rnd(100)).padStart(2, '0');
      case 'MMM': return ['Jan','feb','MAR','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec','Foo'][rnd(13)];
      case 'SSS': return String(rnd(10 ** (1 + rnd(10)))).padStart(1 + rnd(4), '0');
      default: { const v = rnd(r < 0.1 ? 100 : 32); return r < 0.5 ? String(v) : String(v).padStart(2, '0'); }
    }
  }) + (Math.random() < 0.03 ? 'x' : '');
}
for (const p of pats) for (let i = 0; i < 20000; i++) {
  const s = gen(Math.random() < 0.8 ? p : pats[rnd(pats.length)]);
  const a = parseDatetime(s, p), b = parseDatetimeRegex(s, p);
  n++; if (!Number.isNaN(a)) ok++;
  if (!Object.is(a, b)) { if (bad++ < 10) console.log('MISMATCH', p, JSON.stringify(s), a, b); }
}
console.log('checked', n, 'parsed', ok, 'mismatches', bad);
import { parseDatetimeRange, lastDatetime, formatDatetime } from '/work/main/src/core/schema/datetimeFormat';
{
  let exactN = 0, wrong = 0, inexact = 0;
  for (const p of pats) for (let i = 0; i < 20000; i++) {
    const s = gen(p);
    const v = parseDatetimeRange(s, 0, s.length, p);
    if (Number.isNaN(v)) continue;
    const back = formatDatetime(v, p);
    if (lastDatetime.exact) { exactN++; if (back !== s) { if (wrong++ < 5) console.log('EXACT BUT', p, s, back); } }
    else { inexact++; if (back === s && inexact < 0) console.log('inexact but same', p, s); }
  }
  console.log('exact', exactN, 'inexact', inexact, 'wrong', wrong);
}
