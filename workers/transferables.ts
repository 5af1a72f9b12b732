import type { Table } from '../src/core/table/table';

/** The column buffers of a table, to transfer (not copy) across the worker boundary. */
export function tableBuffers(t: Table): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const c of t.columns) {
    const buf = (c.type === 'numeric' ? c.values.buffer : c.codes.buffer) as ArrayBuffer;
    seen.add(buf);
  }
  return [...seen];
}
