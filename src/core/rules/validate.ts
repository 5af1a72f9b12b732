import { UserError } from '../context';
import { isNumericKind, type ColumnSchema, type Schema } from '../schema/schema';
import { formatRule, ruleColumns } from './parse';
import type { Rule } from './types';

/** "Did you mean ...?" for a near miss among the column names (kept here so core needs no CLI code). */
function closeNames(n: string, names: string[]): string {
  const lower = n.toLowerCase();
  const close = names.filter((x) => {
    const l = x.toLowerCase();
    return l === lower || (lower.length >= 3 && (l.includes(lower) || lower.includes(l)));
  });
  if (close.length > 0) return `Did you mean ${close.slice(0, 5).map((x) => JSON.stringify(x)).join(' or ')}?`;
  return `Its columns: ${names.slice(0, 12).map((x) => JSON.stringify(x)).join(', ')}${names.length > 12 ? `, and ${names.length - 12} more` : ''}.`;
}

const CATEGORICAL_KINDS = new Set(['categorical', 'boolean', 'text', 'id']);

/**
 * Checks rules against a schema before anything is fitted: every column must exist and suit the rule (order
 * and sums compare numbers or datetimes, fixed combinations are of categories), and the rules must not
 * contradict each other (an order cycle that asks for more than equality, two different missingness
 * conditions for one column, a sum whose total is one of its parts). Throws a UserError naming the rule.
 */
export function validateRules(rules: Rule[], schema: Schema): void {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const names = schema.columns.map((c) => c.name);
  for (const r of rules) {
    const text = formatRule(r);
    for (const c of ruleColumns(r)) {
      if (!byName.has(c)) throw new UserError(`The rule "${text}" names "${c}", which is not a column of the table.`, closeNames(c, names));
    }
    const cols = ruleColumns(r);
    if (new Set(cols).size !== cols.length) throw new UserError(`The rule "${text}" names a column twice.`, 'A rule relates different columns.');
    const col = (n: string) => byName.get(n) as ColumnSchema;
    if (r.type === 'fixed') {
      for (const c of r.columns) {
        if (!CATEGORICAL_KINDS.has(col(c).kind)) {
          throw new UserError(`The rule "${text}": "${c}" is ${col(c).kind}; fixed combinations are of categories.`, `Set the kind of "${c}" to categorical to fix its combinations, or use an order or sum rule for numbers.`);
        }
      }
    } else if (r.type === 'order' || r.type === 'sum') {
      const cs = r.type === 'order' ? [r.greater, r.lesser] : [r.total, ...r.parts];
      for (const c of cs) {
        if (!isNumericKind(col(c).kind)) throw new UserError(`The rule "${text}": "${c}" is ${col(c).kind}; ${r.type === 'order' ? 'an order' : 'a sum'} compares numbers or dates.`, `Set the kind of "${c}" to numeric, integer or datetime, or use a fixed-combinations rule for categories.`);
      }
      if (r.type === 'order' && (col(r.greater).kind === 'datetime') !== (col(r.lesser).kind === 'datetime')) {
        throw new UserError(`The rule "${text}" compares a date with a number.`, 'Order rules compare two dates or two numbers.');
      }
      if (r.type === 'sum' && cs.some((c) => col(c).kind === 'datetime')) {
        throw new UserError(`The rule "${text}" adds dates.`, 'Sums are of numbers; to keep a date after another, write an order rule: end >= start + 7.');
      }
    } else if (r.type === 'missing' && r.values) {
      const w = col(r.when);
      if (isNumericKind(w.kind) && w.kind !== 'datetime') {
        for (const v of r.values) if (!Number.isFinite(Number(v))) throw new UserError(`The rule "${text}": "${r.when}" holds numbers, and "${v}" is not one.`);
      }
    }
  }
  contradictions(rules);
}

function contradictions(rules: Rule[]): void {
  // Missingness: one condition per column.
  const gates = new Map<string, Rule & { type: 'missing' }>();
  for (const r of rules) {
    if (r.type !== 'missing') continue;
    const prev = gates.get(r.column);
    if (prev && formatRule(prev) !== formatRule(r)) {
      throw new UserError(`The rules "${formatRule(prev)}" and "${formatRule(r)}" contradict each other: "${r.column}" cannot be missing exactly under two different conditions.`, 'Keep one of them.');
    }
    gates.set(r.column, r);
  }
  // Order: greater - lesser >= offset. A cycle whose offsets add up to more than 0 cannot hold
  // (longest paths by Floyd–Warshall over the columns the order rules name).
  const orders = rules.filter((r): r is Rule & { type: 'order' } => r.type === 'order');
  if (orders.length > 0) {
    const cols = [...new Set(orders.flatMap((r) => [r.greater, r.lesser]))];
    const idx = new Map(cols.map((c, i) => [c, i]));
    const n = cols.length;
    const d = Array.from({ length: n }, () => new Float64Array(n).fill(-Infinity));
    for (const r of orders) {
      const i = idx.get(r.lesser)!, j = idx.get(r.greater)!;
      d[i][j] = Math.max(d[i][j], r.offset);
    }
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (d[i][k] + d[k][j] > d[i][j]) d[i][j] = d[i][k] + d[k][j];
    for (let i = 0; i < n; i++) {
      if (d[i][i] > 1e-9) {
        const involved = orders.filter((r) => d[idx.get(r.greater)!][i] > -Infinity && d[i][idx.get(r.lesser)!] > -Infinity).map((r) => `"${formatRule(r)}"`);
        throw new UserError(`The rules ${involved.join(', ')} contradict each other: together they ask "${cols[i]}" to be greater than itself.`, 'Remove or loosen one of them.');
      }
    }
  }
  // Sums: one definition per total.
  const totals = new Map<string, Rule & { type: 'sum' }>();
  for (const r of rules) {
    if (r.type !== 'sum') continue;
    const prev = totals.get(r.total);
    if (prev && formatRule(prev) !== formatRule(r)) {
      throw new UserError(`The rules "${formatRule(prev)}" and "${formatRule(r)}" give "${r.total}" two different sums.`, 'Keep one of them.');
    }
    totals.set(r.total, r);
  }
}
