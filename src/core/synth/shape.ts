import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import type { TableShape } from './descriptor';

/**
 * The shape the engines would learn from: the columns to synthesize (not keep-out, not generated
 * keys), numeric or categorical by how they are stored, and the most levels of a categorical.
 */
export function tableShape(table: Table, schema: Schema): TableShape {
  const role = new Map(schema.columns.map((c) => [c.name, c.role]));
  let numericColumns = 0, categoricalColumns = 0, maxLevels = 0;
  for (const c of table.columns) {
    if ((role.get(c.name) ?? 'synthesize') !== 'synthesize') continue;
    if (c.type === 'numeric') numericColumns++;
    else {
      categoricalColumns++;
      maxLevels = Math.max(maxLevels, c.levels.length);
    }
  }
  return { rows: table.nRows, numericColumns, categoricalColumns, maxLevels };
}
