import { parseNumber } from '../schema/numbers';
import { parseDatetime } from '../schema/datetimeFormat';
import { defaultRole } from '../schema/infer';
import { isNumericKind, type ColumnSchema, type Schema } from '../schema/schema';
import { categoricalColumn, LevelIndex, numericColumn, takeRows, type CategoricalColumn, type Column, type Table } from '../table/table';
import { duplicateRows } from './duplicates';
import type { Fix } from './types';

/**
 * Apply one fix. Pure: returns a NEW table and schema; columns the fix does not touch are shared (tables
 * are never mutated), so the original dataset stays exactly as it was.
 */
export function applyFix(table: Table, schema: Schema, fix: Fix): { table: Table; schema: Schema } {
  if (fix.type === 'drop-duplicate-rows') {
    const dupes = new Set(duplicateRows(table));
    const keep: number[] = [];
    for (let i = 0; i < table.nRows; i++) if (!dupes.has(i)) keep.push(i);
    return { table: takeRows(table, keep), schema: cloneSchema(schema) };
  }
  const j = table.columns.findIndex((c) => c.name === fix.column);
  const sj = schema.columns.findIndex((c) => c.name === fix.column);
  if (j < 0 || sj < 0) throw new Error(`No column named "${fix.column}"`);
  const col = table.columns[j];
  const sc = schema.columns[sj];
  const withColumn = (next: Column | null, nextSchema: ColumnSchema | null) => {
    const columns = table.columns.slice();
    const schemaCols = cloneSchema(schema).columns;
    if (next === null) {
      columns.splice(j, 1);
      schemaCols.splice(sj, 1);
    } else {
      columns[j] = next;
      schemaCols[sj] = nextSchema as ColumnSchema;
    }
    return { table: { nRows: table.nRows, columns }, schema: { ...cloneSchema(schema), columns: schemaCols } };
  };
  switch (fix.type) {
    case 'drop-column':
      return withColumn(null, null);
    case 'set-role':
      return withColumn(col, { ...cloneCol(sc), role: fix.role });
    case 'set-kind': {
      if (isNumericKind(fix.kind) !== (col.type === 'numeric')) {
        throw new Error(`Cannot turn "${fix.column}" into ${fix.kind} by relabelling; use a conversion fix`);
      }
      return withColumn(col, { ...cloneCol(sc), kind: fix.kind, role: sc.role === defaultRole(sc.kind, sc.pii) ? defaultRole(fix.kind, sc.pii) : sc.role });
    }
    case 'trim-whitespace':
      return withColumn(relabel(asCategorical(col), (l) => l.trim()), cloneCol(sc));
    case 'merge-variants':
      return withColumn(relabel(asCategorical(col), (l) => fix.mapping[l] ?? l), cloneCol(sc));
    case 'replace-with-missing': {
      if (col.type === 'numeric') {
        const bad = new Set(fix.values.map(Number));
        return withColumn(numericColumn(col.name, col.values.map((v) => (bad.has(v) ? NaN : v))), cloneCol(sc));
      }
      const bad = new Set(fix.values.map(String));
      return withColumn(relabel(col, (l) => (bad.has(l) ? null : l)), cloneCol(sc));
    }
    case 'coerce-numeric': {
      const c = asCategorical(col);
      const nums = c.levels.map((l) => parseNumber(l.trim()));
      const values = new Float64Array(table.nRows);
      let integers = true;
      let decimals = 0;
      for (let i = 0; i < values.length; i++) {
        const v = c.codes[i] < 0 ? NaN : nums[c.codes[i]];
        values[i] = v;
        if (!Number.isNaN(v) && !Number.isInteger(v)) integers = false;
      }
      for (const l of c.levels) {
        const dot = l.trim().indexOf('.');
        if (dot >= 0 && !Number.isNaN(parseNumber(l.trim()))) decimals = Math.max(decimals, l.trim().length - dot - 1);
      }
      const kind = integers ? 'integer' : 'numeric';
      return withColumn(numericColumn(c.name, values), { ...cloneCol(sc), kind, role: 'synthesize', format: integers ? undefined : { decimals } });
    }
    case 'coerce-datetime': {
      const c = asCategorical(col);
      const ms = c.levels.map((l) => parseDatetime(l.trim(), fix.format));
      const values = Float64Array.from(c.codes, (k) => (k < 0 ? NaN : ms[k]));
      return withColumn(numericColumn(c.name, values), { ...cloneCol(sc), kind: 'datetime', role: 'synthesize', format: { datetime: fix.format } });
    }
    case 'clip': {
      if (col.type !== 'numeric') throw new Error(`"${fix.column}" is not numeric`);
      return withColumn(numericColumn(col.name, col.values.map((v) => (Number.isNaN(v) ? v : Math.min(fix.upper, Math.max(fix.lower, v))))), cloneCol(sc));
    }
  }
}

function asCategorical(c: Column): CategoricalColumn {
  if (c.type !== 'categorical') throw new Error(`"${c.name}" is not a text column`);
  return c;
}

/** Map each level through `f` (null = missing), merging levels that become equal. */
function relabel(c: CategoricalColumn, f: (level: string) => string | null): CategoricalColumn {
  const index = new LevelIndex();
  const remap = c.levels.map((l) => {
    const next = f(l);
    return next === null ? -1 : index.code(next);
  });
  const codes = c.codes.map((k) => (k < 0 ? -1 : remap[k]));
  return categoricalColumn(c.name, codes, index.levels);
}

function cloneCol(c: ColumnSchema): ColumnSchema {
  return { ...c, pii: c.pii.map((p) => ({ ...p })), ...(c.format ? { format: { ...c.format } } : {}) };
}

function cloneSchema(s: Schema): Schema {
  return { columns: s.columns.map(cloneCol), ...(s.rules ? { rules: structuredClone(s.rules) } : {}) };
}
