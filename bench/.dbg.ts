import { readFileSync } from 'node:fs';
import { detectDatetimeFormat, parseDatetime } from '/work/main/src/core/schema/datetimeFormat';
import { detectDatetimeFormat as d0 } from '/tmp/orig/src/core/schema/datetimeFormat';
const text = readFileSync(process.argv[2], 'utf8');
const vals = text.split('\n').slice(1, 2049).map((l) => l.split(',')[8]);
console.log(vals.slice(0, 3), detectDatetimeFormat(vals.slice(0, 500), 1), d0(vals.slice(0, 500), 1));
const sig = text.split('\n').slice(1, 2049).map((l) => l.split(',')[7]);
console.log(detectDatetimeFormat(sig.slice(0, 500), 1));
