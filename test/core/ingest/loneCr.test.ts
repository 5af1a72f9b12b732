import { afterEach, describe, expect, it } from 'vitest';
import { loneCrToLf } from '../../../src/core/ingest/dialect';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { delimitedTuning } from '../../../src/core/ingest/parseDelimited';
import type { IngestResult } from '../../../src/core/ingest/types';
import { Rng } from '../../../src/core/random/rng';
import { rowValues } from '../../../src/core/table/table';

/** A lone CR is a line break, as LF and CRLF are (Python's csv module, pandas); inside quotes it is text. */
const defaults = { ...delimitedTuning };
afterEach(() => Object.assign(delimitedTuning, defaults));

const LONE_CR_ROWS = new Set([17, 60, 61, 150, 299]);

/** 300 rows, LF line ends except a few lone CRs. */
function file(): string {
  let s = 'n,name,score\n';
  for (let i = 0; i < 300; i++) s += `${i},name ${i % 7},${(i * 1.5).toFixed(1)}${LONE_CR_ROWS.has(i) ? '\r' : '\n'}`;
  return s;
}

async function read(text: string, scanner: boolean, chunk: number): Promise<IngestResult> {
  Object.assign(delimitedTuning, { scanner, firstChunk: chunk, chunk });
  return ingestBlob(new Blob([text]), { fileName: 'cr.csv' });
}

describe('lone CR line ends', () => {
  for (const scanner of [true, false]) {
    for (const chunk of [1 << 20, 97]) {
      it(`a 300-row LF file with a few lone CRs reads as 300 rows (${scanner ? 'scanner' : 'papaparse'}, chunks of ${chunk})`, async () => {
        const r = await read(file(), scanner, chunk);
        expect(r.table.nRows).toBe(300);
        expect(r.table.columns.map((c) => c.name)).toEqual(['n', 'name', 'score']);
        expect(r.warnings.map((w) => w.code)).toEqual([]);
        for (const i of [0, 17, 18, 60, 61, 62, 150, 151, 299]) expect(rowValues(r.table, i)).toEqual([i, `name ${i % 7}`, i * 1.5]);
      });
    }
  }

  it('keeps CRs inside quoted fields, and reads CR, LF and CRLF alike outside them', async () => {
    const text = 'a,b\r1,"x\ry"\n2,"p\r\nq"\r\n3,z\r4,"w"\r5,v';
    for (const scanner of [true, false]) {
      const r = await read(text, scanner, 1 << 20);
      expect(r.table.nRows).toBe(5);
      expect([0, 1, 2, 3, 4].map((i) => rowValues(r.table, i))).toEqual([
        [1, 'x\ry'],
        [2, 'p\r\nq'],
        [3, 'z'],
        [4, 'w'],
        [5, 'v'],
      ]);
    }
  });

  it('loneCrToLf keeps the length and leaves quoted CRs and CRLF alone', () => {
    const t = 'a,"b\r"\rc\r\nd,e\r';
    const out = loneCrToLf(t, [','], true);
    expect(out).toBe('a,"b\r"\nc\r\nd,e\n');
    expect(loneCrToLf(t, [','], false)).toBe('a,"b\r"\nc\r\nd,e\r');
  });

  it('the scanner and papaparse agree on random texts with lone CRs, cut anywhere', async () => {
    const rng = new Rng(77);
    const words = ['a', 'b c', '"q\rq"', '"x\r\ny"', '1.5', '', 'NA', '"in ""q"""', '"open'];
    for (let t = 0; t < 120; t++) {
      const ends = ['\n', '\r\n', '\r'];
      let text = 'h0,h1,h2';
      const rows = 1 + rng.int(30);
      for (let i = 0; i < rows; i++) {
        text += ends[rng.next() < 0.8 ? 0 : 1 + rng.int(2)];
        const width = rng.next() < 0.1 ? 2 : 3;
        text += Array.from({ length: width }, () => words[rng.int(words.length - (rng.next() < 0.95 ? 1 : 0))]).join(',');
      }
      if (rng.next() < 0.5) text += ends[rng.int(3)];
      const chunk = [5, 64, 1 << 20][rng.int(3)];
      const settle = (p: Promise<IngestResult>) =>
        p.then(
          (r) => ({ nRows: r.table.nRows, warnings: r.warnings, rows: Array.from({ length: r.table.nRows }, (_, i) => rowValues(r.table, i)) }),
          (e: Error) => ({ error: e.message }),
        );
      const fast = await settle(read(text, true, chunk));
      const papa = await settle(read(text, false, chunk));
      expect({ text, chunk, fast }).toEqual({ text, chunk, fast: papa });
    }
  });
});
