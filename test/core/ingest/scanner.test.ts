import { afterEach, describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { delimitedTuning } from '../../../src/core/ingest/parseDelimited';
import type { IngestResult } from '../../../src/core/ingest/types';
import { Rng } from '../../../src/core/random/rng';

/**
 * The fast CSV scanner (parseDelimited's `scan`) must read every file exactly as papaparse does, including
 * malformed ones (where it hands over to papaparse) and records cut by chunk boundaries anywhere.
 */
const defaults = { ...delimitedTuning };
afterEach(() => Object.assign(delimitedTuning, defaults));

async function read(text: string, scanner: boolean, chunk: number, options: { delimiter?: string; maxRows?: number } = {}): Promise<IngestResult> {
  Object.assign(delimitedTuning, { scanner, firstChunk: chunk, chunk });
  return ingestBlob(new Blob([text]), { fileName: 'fuzz.csv', ...options });
}

function comparable(r: IngestResult) {
  return {
    warnings: r.warnings,
    schema: r.schema,
    encoding: r.encoding,
    delimiter: r.delimiter,
    nRows: r.table.nRows,
    columns: r.table.columns.map((c) => (c.type === 'numeric' ? { name: c.name, values: Array.from(c.values).map(String) } : { name: c.name, codes: Array.from(c.codes), levels: c.levels })),
  };
}

const WORDS = ['a', 'b c', 'NA', '', ' 12 ', '3.50', '-0', '007', '1e5', 'x"y', 'Zürich', 'yes', 'no', '2020-01-05', '12:30', '?', 'null', '1,5', 'line\nbreak', 'quote "q"', 'cr\r\nlf', '  ', '1.5e-3', '+4', '.5'];

/** A random, often malformed, delimited text. */
function randomCsv(rng: Rng, d: string): string {
  const cols = 1 + rng.int(5);
  const rows = 1 + rng.int(40);
  const nl = rng.next() < 0.3 ? '\r\n' : '\n';
  const lines: string[] = [Array.from({ length: cols }, (_, j) => (rng.next() < 0.1 ? '' : `h${j}`)).join(d)];
  for (let i = 0; i < rows; i++) {
    const r = rng.next();
    if (r < 0.05) {
      lines.push('');
      continue;
    }
    const width = r < 0.1 ? cols - 1 : r < 0.15 ? cols + 1 + rng.int(2) : cols;
    const fields: string[] = [];
    for (let j = 0; j < width; j++) {
      const w = WORDS[rng.int(WORDS.length)];
      const q = rng.next();
      if (q < 0.3) fields.push(`"${w.replaceAll('"', '""')}"`); // properly quoted
      else if (q < 0.33) fields.push(`"${w}"${rng.next() < 0.5 ? ' ' : 'z'}`); // text after the closing quote
      else if (q < 0.35) fields.push(`"${w}`); // never closed
      else fields.push(w.replaceAll('\n', ' ').replaceAll('\r', ''));
    }
    lines.push(fields.join(d));
  }
  let text = lines.join(nl);
  if (rng.next() < 0.7) text += nl;
  if (rng.next() < 0.1) text += nl + nl;
  return text;
}

describe('fast scanner = papaparse', () => {
  it('on 300 random messy texts, with chunk boundaries everywhere and with normal chunks', async () => {
    const rng = new Rng(2024);
    let compared = 0;
    for (let t = 0; t < 300; t++) {
      const d = [',', ';', '\t', '|'][rng.int(4)];
      const text = randomCsv(rng, d);
      const chunk = [7, 64, 1 << 20][rng.int(3)];
      const options = rng.next() < 0.5 ? { delimiter: d } : rng.next() < 0.2 ? { maxRows: 1 + rng.int(20) } : {};
      const settle = (p: Promise<IngestResult>) => p.then(comparable, (e: Error) => ({ error: `${e.name}: ${e.message}` }));
      const fast = await settle(read(text, true, chunk, options));
      const papa = await settle(read(text, false, chunk, options));
      expect({ text, chunk, options, result: fast }).toEqual({ text, chunk, options, result: papa });
      compared++;
    }
    expect(compared).toBe(300);
  });

  it('on a larger file of quoted fields, line breaks in them and CRLF, cut into 1 KiB chunks', async () => {
    const rng = new Rng(5);
    const lines = ['id,name,note,amount'];
    for (let i = 0; i < 3000; i++) lines.push(`${i},"Name ${rng.int(50)}","a ""quoted"" note,\r\nwith a break ${rng.int(9)}",${(rng.normal() * 100).toFixed(2)}`);
    const text = lines.join('\r\n') + '\r\n';
    const fast = comparable(await read(text, true, 1024));
    const papa = comparable(await read(text, false, 1024));
    expect(fast).toEqual(papa);
    expect(fast.nRows).toBe(3000);
  });
});

describe('line numbers of the first line that is not UTF-8, in any chunk', () => {
  const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const file = (badLine: number, lines = 3000) => {
    const parts: BlobPart[] = [utf8('id,city\n')];
    for (let i = 2; i <= lines; i++) parts.push(i === badLine || i === badLine + 7 ? latin1(`${i},Zürich\n`) : utf8(`${i},${i % 3 ? 'Genève' : 'Oslo'}\n`));
    return new Blob(parts);
  };
  for (const [badLine, chunk] of [
    [3, 1 << 20],
    [2500, 1 << 20],
    [2500, 700],
    [17, 700],
  ]) {
    it(`line ${badLine}, chunks of ${chunk} bytes`, async () => {
      Object.assign(delimitedTuning, { firstChunk: chunk, chunk });
      const r = await ingestBlob(file(badLine), { fileName: 'mixed.csv' });
      expect(r.warnings.find((w) => w.code === 'mixed-encoding')).toMatchObject({ line: badLine, message: expect.stringMatching(/^2 line\(s\)/) });
      expect(r.encoding).toBe('utf-8+windows-1252');
    });
  }
});
