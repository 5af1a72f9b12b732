import type { Schema } from '../schema/schema';
import type { Column, Table } from '../table/table';
import { formatRule } from './parse';
import type { Rule, RuleAdherence } from './types';

const DAY_MS = 86_400_000;

/** An order's offset in the stored units: days for datetimes (stored as epoch ms), as written for numbers. */
export function orderOffset(rule: Rule & { type: 'order' }, schema: Schema | undefined): number {
  const kind = schema?.columns.find((c) => c.name === rule.greater)?.kind;
  return kind === 'datetime' ? rule.offset * DAY_MS : rule.offset;
}

/** Rows a rule applies to, and how many of them obey it. */
export interface RuleCount {
  applies: number;
  obeyed: number;
}

/** Per row: undefined = the rule does not apply, else whether the row obeys it. */
export type RowRule = (row: number) => boolean | undefined;

const col = (t: Table, name: string): Column | undefined => t.columns.find((c) => c.name === name);

/** Half a unit of the last decimal the input wrote for these columns (sums are exact within it). */
export function sumTolerance(schema: Schema | undefined, names: string[]): number {
  let d = 0;
  let known = true;
  for (const n of names) {
    const c = schema?.columns.find((x) => x.name === n);
    if (c?.kind === 'integer') continue;
    if (c?.format?.decimals === undefined) known = false;
    else d = Math.max(d, c.format.decimals);
  }
  return known ? 0.5 * Number(`1e-${d}`) : 1e-6;
}

/** Does a value (as a string from a rule) match a column's value at a row? */
export function valueMatcher(c: Column, values: string[]): (row: number) => boolean {
  if (c.type === 'categorical') {
    const ok = new Uint8Array(c.levels.length);
    for (const v of values) {
      let k = c.levels.indexOf(v);
      if (k < 0) k = c.levels.findIndex((l) => l.toLowerCase() === v.toLowerCase());
      if (k >= 0) ok[k] = 1;
    }
    return (i) => c.codes[i] >= 0 && ok[c.codes[i]] === 1;
  }
  const nums = new Set(values.map((v) => (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v) ? Number(v) : Date.parse(v))).filter((x) => Number.isFinite(x)));
  return (i) => nums.has(c.values[i]);
}

/**
 * A row check for `rule` on `table`. Fixed combinations are those of `reference` (the training rows);
 * a rule naming a column the table lacks applies to no row.
 */
export function rowRule(rule: Rule, table: Table, reference: Table, schema?: Schema): RowRule {
  const never: RowRule = () => undefined;
  switch (rule.type) {
    case 'order': {
      const g = col(table, rule.greater), l = col(table, rule.lesser);
      if (g?.type !== 'numeric' || l?.type !== 'numeric') return never;
      const off = orderOffset(rule, schema);
      return (i) => {
        const a = g.values[i], b = l.values[i];
        if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
        return a >= b + off - 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
      };
    }
    case 'sum': {
      const t = col(table, rule.total);
      const ps = rule.parts.map((p) => col(table, p));
      if (t?.type !== 'numeric' || ps.some((p) => p?.type !== 'numeric')) return never;
      const pv = ps.map((p) => (p as Column & { type: 'numeric' }).values);
      const tol = sumTolerance(schema, [rule.total, ...rule.parts]);
      return (i) => {
        const c = t.values[i];
        if (Number.isNaN(c)) return undefined;
        let s = 0;
        for (const v of pv) s += v[i];
        if (Number.isNaN(s)) return undefined;
        return Math.abs(c - s) <= tol + 1e-9 * Math.max(1, Math.abs(c));
      };
    }
    case 'missing': {
      const b = col(table, rule.column), a = col(table, rule.when);
      if (!b || !a) return never;
      const isMissing = (c: Column, i: number) => (c.type === 'numeric' ? Number.isNaN(c.values[i]) : c.codes[i] < 0);
      const cond = rule.values === null ? (i: number) => isMissing(a, i) : valueMatcher(a, rule.values);
      return (i) => isMissing(b, i) === cond(i);
    }
    case 'fixed': {
      const cs = rule.columns.map((n) => col(table, n));
      const rs = rule.columns.map((n) => col(reference, n));
      if (cs.some((c) => c?.type !== 'categorical') || rs.some((c) => c?.type !== 'categorical')) return never;
      const key = (cols: (Column | undefined)[], i: number): string | null => {
        let s = '';
        for (const c of cols as (Column & { type: 'categorical' })[]) {
          const k = c.codes[i];
          if (k < 0) return null;
          s += c.levels[k] + '\u0000';
        }
        return s;
      };
      const seen = new Set<string>();
      for (let i = 0; i < reference.nRows; i++) {
        const k = key(rs, i);
        if (k !== null) seen.add(k);
      }
      // A value the training rows never had (the label of pooled rare categories) says nothing of the rule.
      const known = (rs as (Column & { type: 'categorical' })[]).map((c) => new Set(c.levels));
      const unknown = (cs as (Column & { type: 'categorical' })[]).map((c, q) => Int8Array.from(c.levels, (l) => (known[q].has(l) ? 0 : 1)));
      return (i) => {
        for (let q = 0; q < cs.length; q++) {
          const k = (cs[q] as Column & { type: 'categorical' }).codes[i];
          if (k >= 0 && unknown[q][k]) return undefined;
        }
        const k = key(cs, i);
        return k === null ? undefined : seen.has(k);
      };
    }
  }
}

export function countRule(rule: Rule, table: Table, reference: Table, schema?: Schema): RuleCount {
  const f = rowRule(rule, table, reference, schema);
  let applies = 0, obeyed = 0;
  for (let i = 0; i < table.nRows; i++) {
    const r = f(i);
    if (r === undefined) continue;
    applies++;
    if (r) obeyed++;
  }
  return { applies, obeyed };
}

/** Share of rows obeying each rule in the training, holdout and synthetic tables (combinations: those of training). */
export function ruleAdherence(rules: { rule: Rule; source: 'found' | 'declared' }[], train: Table, holdout: Table, synthetic: Table, schema?: Schema): RuleAdherence[] {
  const share = (c: RuleCount) => (c.applies === 0 ? null : c.obeyed / c.applies);
  return rules.map(({ rule, source }) => {
    const s = countRule(rule, synthetic, train, schema);
    return {
      rule: formatRule(rule),
      type: rule.type,
      source,
      train: share(countRule(rule, train, train, schema)),
      holdout: share(countRule(rule, holdout, train, schema)),
      synthetic: share(s),
      syntheticRows: s.applies,
    };
  });
}
