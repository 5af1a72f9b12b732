import { formatValue } from '../../core/export';
import type { Schema } from '../../core/schema/schema';
import type { Table } from '../../core/table/table';

/**
 * The first rows as the export writes them (dates and decimals as in the input); null = missing.
 * Numbers stay numbers (right-aligned in the preview); their text is the export's.
 */
export function previewRows(table: Table, schema: Schema, n = 50): { header: string[]; rows: (string | number | null)[][] } {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const cols = table.columns.map((c) => {
    const s = byName.get(c.name);
    return { c, s, asNumber: s !== undefined && (s.kind === 'numeric' || s.kind === 'integer') };
  });
  const rows: (string | number | null)[][] = [];
  for (let r = 0; r < Math.min(n, table.nRows); r++) {
    rows.push(
      cols.map(({ c, s, asNumber }) => {
        const v = s ? formatValue(c, s, r) : '';
        if (v === '') return null;
        return asNumber && String(Number(v)) === v ? Number(v) : v;
      }),
    );
  }
  return { header: table.columns.map((c) => c.name), rows };
}
