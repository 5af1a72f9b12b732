/**
 * A Table as one binary blob, so a benchmark can generate its data in Node (with the same generator as
 * the Node bench) and hand it to a page over HTTP. Layout: u32 header length, JSON header, padding to
 * 8 bytes, then each column's array (8-byte aligned). Pure TypeScript: used by Node and by bench pages.
 */
import type { Column, Table } from '../src/core/table/table';

interface WireColumn {
  name: string;
  type: Column['type'];
  levels?: string[];
  /** Byte offset of the column's array from the start of the data section. */
  offset: number;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

export function encodeTable(t: Table): Uint8Array {
  const columns: WireColumn[] = [];
  let size = 0;
  for (const c of t.columns) {
    columns.push({ name: c.name, type: c.type, ...(c.type === 'categorical' ? { levels: c.levels } : {}), offset: size });
    size += align8((c.type === 'numeric' ? c.values : c.codes).byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ nRows: t.nRows, columns }));
  const dataStart = align8(4 + header.length);
  const out = new Uint8Array(dataStart + size);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  t.columns.forEach((c, j) => {
    const a = c.type === 'numeric' ? c.values : c.codes;
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), dataStart + columns[j].offset);
  });
  return out;
}

/** The table back, each column in its own buffer (so it can be transferred to a worker alone). */
export function decodeTable(buf: ArrayBuffer): Table {
  const headerLength = new DataView(buf).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, headerLength))) as { nRows: number; columns: WireColumn[] };
  const dataStart = align8(4 + headerLength);
  const n = header.nRows;
  const columns: Column[] = header.columns.map((c) =>
    c.type === 'numeric'
      ? { type: 'numeric', name: c.name, values: new Float64Array(buf.slice(dataStart + c.offset, dataStart + c.offset + 8 * n)) }
      : { type: 'categorical', name: c.name, codes: new Int32Array(buf.slice(dataStart + c.offset, dataStart + c.offset + 4 * n)), levels: c.levels ?? [] },
  );
  return { nRows: n, columns };
}

/** FNV-1a over every column's bytes and levels: equal digests mean the same rows (Node vs browser determinism). */
export function tableDigest(t: Table): string {
  let h = 0x811c9dc5;
  const mix = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  };
  for (const c of t.columns) {
    mix(new TextEncoder().encode(c.name));
    const a = c.type === 'numeric' ? c.values : c.codes;
    mix(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    if (c.type === 'categorical') mix(new TextEncoder().encode(c.levels.join('\u0000')));
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Rows of `a` then rows of `b` (same columns by position), categorical levels merged. */
export function concatRows(a: Table, b: Table): Table {
  const columns: Column[] = a.columns.map((ca, j) => {
    const cb = b.columns[j];
    if (ca.type === 'numeric' && cb.type === 'numeric') {
      const values = new Float64Array(a.nRows + b.nRows);
      values.set(ca.values, 0);
      values.set(cb.values, a.nRows);
      return { type: 'numeric', name: ca.name, values };
    }
    if (ca.type !== 'categorical' || cb.type !== 'categorical') throw new Error(`column ${ca.name} differs in type`);
    const levels = [...ca.levels];
    const index = new Map(levels.map((l, i) => [l, i]));
    const remap = cb.levels.map((l) => {
      let k = index.get(l);
      if (k === undefined) index.set(l, (k = levels.push(l) - 1));
      return k;
    });
    const codes = new Int32Array(a.nRows + b.nRows);
    codes.set(ca.codes, 0);
    for (let i = 0; i < b.nRows; i++) codes[a.nRows + i] = cb.codes[i] < 0 ? -1 : remap[cb.codes[i]];
    return { type: 'categorical', name: ca.name, codes, levels };
  });
  return { nRows: a.nRows + b.nRows, columns };
}
