import { UserError } from '../../context';
import type { Schema } from '../../schema/schema';
import type { OptionField } from '../descriptor';
import type { PreparedTable } from '../engine';

/**
 * Column-order options (CART's `order`) name columns as the user sees them, but the engine only sees the
 * columns it models: the pipeline draws constant, all-missing and fully pooled columns itself, generates
 * keys and fakes, and leaves keep-out columns out. So the order handed to the engine derives from the
 * engine's columns: names of table columns the engine does not model are dropped, the user's relative
 * order is kept, and engine columns the order leaves out follow in table order. A name that is not a
 * column of the schema at all is an error.
 */
export function alignColumnOrders<O extends object>(options: O, keys: readonly string[], schema: Schema, prepared: PreparedTable): O {
  let out: O = options;
  const known = new Set(schema.columns.map((c) => c.name));
  const engineNames = prepared.columns.map((c) => c.name);
  const modelled = new Set(engineNames);
  for (const key of keys) {
    const names = (options as Record<string, unknown>)[key];
    if (names === undefined || names === null) continue;
    if (!Array.isArray(names)) continue; // the registry's validation reports the type
    const order: string[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      if (typeof name !== 'string') continue;
      if (!known.has(name)) {
        throw new UserError(`The column order names "${name}", which is not a column of the table.`, `Check the column order setting (columns: ${[...known].slice(0, 12).join(', ')}${known.size > 12 ? ', ...' : ''}).`);
      }
      if (!modelled.has(name) || seen.has(name)) continue;
      seen.add(name);
      order.push(name);
    }
    for (const name of engineNames) if (!seen.has(name)) order.push(name);
    out = { ...out, [key]: order };
  }
  return out;
}

/** The option keys holding a column order: the descriptor's column-order fields, else CART's `order`. */
export function columnOrderKeys(fields: readonly OptionField[] | undefined): string[] {
  if (!fields) return ['order'];
  return fields.filter((f) => f.kind === 'column-order').map((f) => f.key);
}
