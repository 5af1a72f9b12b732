import { isNumericKind, type Schema } from '../schema/schema';
import type { CategoricalColumn, Column, NumericColumn, Table } from '../table/table';
import { countRule, sumTolerance } from './check';
import { formatRule } from './parse';
import type { FoundRule, Rule } from './types';

/** A rule holding in at least this share of the rows it applies to is proposed as "almost" (off by default). */
export const ALMOST_SHARE = 0.995;
/** Candidates are searched on at most this many rows (a stride sample), then checked on all rows. */
const SEARCH_ROWS = 20_000;
/** At most this many columns of each storage are searched (the first ones). */
const MAX_COLUMNS = 40;
/** Categorical columns with more levels than this are not searched for fixed combinations. */
const MAX_LEVELS = 1000;
/** An order must be unlikely by chance: under independence at least this many rows would break it. */
const MIN_EXPECTED_BREAKS = 5;
/** A missingness rule needs this many missing rows. */
const MIN_MISSING = 5;

const fmt = (n: number) => n.toLocaleString('en');
const pct = (s: number) => `${(100 * s).toFixed(s === 1 ? 0 : 1)}%`;

export interface DiscoverOptions {
  /** Only columns with these roles (default: synthesize). */
  roles?: string[];
}

/**
 * Rules that hold in the data: fixed combinations (a functional dependency a -> b), structural missingness
 * (b missing exactly when a takes certain values, or is missing), order (b >= a between numbers or dates,
 * where it is unlikely by chance) and sums (c = a + b within the input's decimals). Each holds in every row
 * it applies to (exact), or in at least 99.5% of them (almost). Implied orders (a <= b <= c makes a <= c)
 * are left out. Pure; bounded by a stride sample of rows for the search and a cap on columns.
 */
export function discoverRules(table: Table, schema: Schema, options: DiscoverOptions = {}): FoundRule[] {
  const roles = new Set(options.roles ?? ['synthesize']);
  const schemaOf = new Map(schema.columns.map((c) => [c.name, c]));
  const usable = table.columns.filter((c) => {
    const s = schemaOf.get(c.name);
    return s && roles.has(s.role) && s.kind !== 'text' && s.kind !== 'id';
  });
  if (table.nRows < 10) return [];
  const search = strideSample(table, SEARCH_ROWS);
  const found: FoundRule[] = [];
  const push = (rule: Rule, message: (share: number, rows: number) => string, minShare = ALMOST_SHARE, own?: { applies: number; obeyed: number }) => {
    // Fixed combinations always hold against their own rows: their share is that of the dependency.
    const c = own ?? countRule(rule, table, table, schema);
    if (c.applies === 0) return;
    const share = c.obeyed / c.applies;
    if (share < minShare) return;
    found.push({ rule, text: formatRule(rule), share, rows: c.applies, exact: c.obeyed === c.applies, message: message(share, c.applies) });
  };
  const sCols = (names: string[]) => names.map((n) => search.columns.find((c) => c.name === n)!);

  // Fixed combinations: a -> b.
  const cats = usable.filter((c): c is CategoricalColumn => c.type === 'categorical').slice(0, MAX_COLUMNS);
  const catsS = sCols(cats.map((c) => c.name)) as CategoricalColumn[];
  const pairsDone = new Set<string>();
  for (let x = 0; x < cats.length; x++) {
    for (let y = 0; y < cats.length; y++) {
      if (x === y) continue;
      const a = catsS[x], b = catsS[y];
      const fd = dependency(a, b);
      if (!fd || fd.share < ALMOST_SHARE) continue;
      const key = [a.name, b.name].sort().join('\u0000');
      if (pairsDone.has(key)) continue;
      pairsDone.add(key);
      const rule: Rule = { type: 'fixed', columns: [a.name, b.name] };
      const full = search === table ? fd : dependency(cats[x], cats[y]);
      if (!full) continue;
      push(rule, (share, rows) => `Each "${a.name}" goes with one "${b.name}"${share < 1 ? ` in ${pct(share)} of rows` : ''} (${fmt(fd.levelsA)} values of "${a.name}", ${fmt(fd.levelsB)} of "${b.name}", ${fmt(rows)} rows): only the ${fmt(fd.combos)} combinations seen occur.`, ALMOST_SHARE, { applies: full.rows, obeyed: Math.round(full.share * full.rows) });
    }
  }

  // Structural missingness.
  const missCount = (c: Column) => {
    let m = 0;
    if (c.type === 'numeric') for (const v of c.values) m += Number.isNaN(v) ? 1 : 0;
    else for (const k of c.codes) m += k < 0 ? 1 : 0;
    return m;
  };
  const withMissing = usable.slice(0, MAX_COLUMNS).filter((c) => {
    const m = missCount(c);
    return m >= MIN_MISSING && m < table.nRows;
  });
  const gated = new Set<string>();
  for (const b of withMissing) {
    const bs = sCols([b.name])[0];
    // b missing exactly when a is missing.
    for (const a of withMissing) {
      if (a === b || gated.has(b.name)) continue;
      if (a.name > b.name && missingSame(a, b, table.nRows) && missCount(a) === missCount(b)) continue; // each pair once: the later column is gated
      if (found.some((f) => f.rule.type === 'missing' && f.rule.column === a.name && f.rule.when === b.name)) continue; // the mirror rule is there
      const as = sCols([a.name])[0];
      if (agreement(bs, (i) => isMissingAt(as, i), ALMOST_SHARE) < ALMOST_SHARE) continue;
      const before = found.length;
      push({ type: 'missing', column: b.name, when: a.name, values: null }, (share) => `"${b.name}" is missing exactly when "${a.name}" is missing${share < 1 ? ` (in ${pct(share)} of rows)` : ''}.`);
      if (found.length > before) gated.add(b.name);
    }
    if (gated.has(b.name)) continue;
    // b missing exactly when a takes some values.
    for (const a of usable.slice(0, MAX_COLUMNS)) {
      if (a === b || gated.has(b.name)) continue;
      const as = sCols([a.name])[0];
      const values = gateValues(as, bs);
      if (!values) continue;
      const before = found.length;
      push({ type: 'missing', column: b.name, when: a.name, values }, (share) => `"${b.name}" is missing exactly when "${a.name}" is ${values.map((v) => JSON.stringify(v)).join(' or ')}${share < 1 ? ` (in ${pct(share)} of rows)` : ''}.`);
      if (found.length > before) gated.add(b.name);
    }
  }

  const nums = usable.filter((c): c is NumericColumn => c.type === 'numeric').slice(0, MAX_COLUMNS);
  const numsS = sCols(nums.map((c) => c.name)) as NumericColumn[];
  const isDate = (c: Column) => schemaOf.get(c.name)!.kind === 'datetime';
  // Sums: c = a + b (before the orders are proposed: c >= a follows from a sum with b >= 0).
  const sums: (Rule & { type: 'sum' })[] = [];
  const plain = nums.filter((c) => !isDate(c) && !isConstant(c));
  const plainS = sCols(plain.map((c) => c.name)) as NumericColumn[];
  for (let z = 0; z < plain.length; z++) {
    for (let x = 0; x < plain.length; x++) {
      for (let y = x + 1; y < plain.length; y++) {
        if (z === x || z === y) continue;
        const tol = sumTolerance(schema, [plain[z].name, plain[x].name, plain[y].name]);
        if (!sumCandidate(plainS[z], plainS[x], plainS[y], tol)) continue;
        const r: Rule & { type: 'sum' } = { type: 'sum', total: plain[z].name, parts: [plain[x].name, plain[y].name] };
        sums.push(r);
        push(r, (share, rows) => `"${plain[z].name}" is the sum of "${plain[x].name}" and "${plain[y].name}"${share < 1 ? ` in ${pct(share)} of rows` : ''} (${fmt(rows)} rows).`, 1);
      }
    }
  }
  // Order: b >= a.
  const orders: (Rule & { type: 'order' })[] = [];
  for (let x = 0; x < nums.length; x++) {
    for (let y = 0; y < nums.length; y++) {
      if (x === y || isDate(nums[x]) !== isDate(nums[y])) continue;
      const g = numsS[x], l = numsS[y];
      if (!orderCandidate(g, l)) continue;
      orders.push({ type: 'order', greater: g.name, lesser: l.name, offset: 0 });
    }
  }
  // Leave out orders implied by two others (a <= b <= c).
  const has = (g: string, l: string) => orders.some((o) => o.greater === g && o.lesser === l);
  for (const o of orders) {
    const implied = nums.some((m) => m.name !== o.greater && m.name !== o.lesser && has(o.greater, m.name) && has(m.name, o.lesser));
    if (implied) continue;
    if (sums.some((sm) => sm.total === o.greater && sm.parts.includes(o.lesser))) continue; // follows from the sum
    if (has(o.lesser, o.greater) && o.greater > o.lesser) continue; // equal columns: one rule
    push(o, (share, rows) => `"${o.greater}" is never below "${o.lesser}"${share < 1 ? ` in ${pct(share)} of rows` : ''} (${fmt(rows)} rows with both).`, 1);
  }

  return found;
}

function strideSample(t: Table, max: number): Table {
  if (t.nRows <= max) return t;
  const step = t.nRows / max;
  const idx = new Int32Array(max);
  for (let i = 0; i < max; i++) idx[i] = Math.floor(i * step);
  return {
    nRows: max,
    columns: t.columns.map((c) =>
      c.type === 'numeric'
        ? { type: 'numeric', name: c.name, values: Float64Array.from(idx, (i) => c.values[i]) }
        : { type: 'categorical', name: c.name, codes: Int32Array.from(idx, (i) => c.codes[i]), levels: c.levels },
    ),
  };
}

const isMissingAt = (c: Column, i: number) => (c.type === 'numeric' ? Number.isNaN(c.values[i]) : c.codes[i] < 0);

function missingSame(a: Column, b: Column, n: number): boolean {
  for (let i = 0; i < n; i++) if (isMissingAt(a, i) !== isMissingAt(b, i)) return false;
  return true;
}

/** Share of rows where b's missingness equals cond (0 as soon as it cannot reach `atLeast`). */
function agreement(b: Column, cond: (i: number) => boolean, atLeast = 0): number {
  const n = b.type === 'numeric' ? b.values.length : b.codes.length;
  const maxOff = (1 - atLeast) * n;
  let off = 0;
  for (let i = 0; i < n; i++) {
    if (isMissingAt(b, i) !== cond(i) && ++off > maxOff) return 0;
  }
  return (n - off) / Math.max(1, n);
}

/** a -> b: for each level of a, rows off its most common b. Null when trivial (a nearly unique, or b constant). */
function dependency(a: CategoricalColumn, b: CategoricalColumn): { share: number; rows: number; levelsA: number; levelsB: number; combos: number } | null {
  const la = a.levels.length, lb = b.levels.length;
  if (la < 2 || lb < 2 || la > MAX_LEVELS || lb > MAX_LEVELS) return null;
  // Cell counts of the (a, b) table (la x lb <= 10^6 cells).
  const counts = new Int32Array(la * lb);
  const seenA = new Uint8Array(la), seenB = new Uint8Array(lb);
  let rows = 0, usedA = 0, usedB = 0, combos = 0;
  for (let i = 0; i < a.codes.length; i++) {
    const x = a.codes[i], y = b.codes[i];
    if (x < 0 || y < 0) continue;
    rows++;
    if (!seenA[x]) { seenA[x] = 1; usedA++; }
    if (!seenB[y]) { seenB[y] = 1; usedB++; }
    if (counts[x * lb + y]++ === 0) combos++;
  }
  if (usedA < 2 || usedB < 2 || rows < 10) return null;
  // a must not be near-unique: at least 3 rows per value on average.
  if (usedA * 3 > rows) return null;
  let kept = 0;
  for (let x = 0; x < la; x++) {
    let best = 0;
    for (let y = 0; y < lb; y++) if (counts[x * lb + y] > best) best = counts[x * lb + y];
    kept += best;
  }
  return { share: kept / rows, rows, levelsA: usedA, levelsB: usedB, combos };
}

/** The values of a under which b is (almost) always missing, when they explain b's missingness. */
function gateValues(a: Column, b: Column): string[] | null {
  let levels: string[];
  let code: (i: number) => number;
  let sortNumeric = false;
  if (a.type === 'categorical') {
    if (a.levels.length > 50) return null;
    levels = a.levels;
    code = (i) => a.codes[i];
  } else {
    const distinct = new Map<number, number>();
    for (const v of a.values) if (!Number.isNaN(v) && !distinct.has(v)) {
      distinct.set(v, distinct.size);
      if (distinct.size > 10) return null;
    }
    levels = [...distinct.keys()].map(String);
    sortNumeric = true;
    code = (i) => (Number.isNaN(a.values[i]) ? -1 : (distinct.get(a.values[i]) as number));
  }
  const n = a.type === 'numeric' ? a.values.length : a.codes.length;
  const miss = new Int32Array(levels.length), tot = new Int32Array(levels.length);
  for (let i = 0; i < n; i++) {
    const k = code(i);
    if (k < 0) continue;
    tot[k]++;
    if (isMissingAt(b, i)) miss[k]++;
  }
  const values: string[] = [];
  let usedLevels = 0;
  for (let k = 0; k < levels.length; k++) {
    if (tot[k] === 0) continue;
    usedLevels++;
    if (miss[k] >= ALMOST_SHARE * tot[k]) values.push(levels[k]);
  }
  if (values.length === 0 || values.length === usedLevels) return null;
  if (sortNumeric) values.sort((x, y) => Number(x) - Number(y));
  const inSet = new Set(values);
  const share = agreement(b, (i) => {
    const k = code(i);
    return k >= 0 && inSet.has(levels[k]);
  });
  return share >= ALMOST_SHARE ? values : null;
}

/** g >= l in every row with both, with the ranges overlapping enough that chance would break it. */
function orderCandidate(g: NumericColumn, l: NumericColumn): boolean {
  const n = g.values.length;
  let both = 0;
  for (let i = 0; i < n; i++) {
    const a = g.values[i], b = l.values[i];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    both++;
    if (a < b) return false;
  }
  if (both < 10) return false;
  // Expected breaks under independence: pair each row's g with other rows' l (a few shifts).
  let breaks = 0, tried = 0;
  for (const shift of [1, 7, 31, 101, 499]) {
    if (shift >= n) break;
    for (let i = 0; i < n; i++) {
      const a = g.values[i], b = l.values[(i + shift) % n];
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      tried++;
      if (a < b) breaks++;
    }
  }
  return tried > 0 && (breaks / tried) * both >= MIN_EXPECTED_BREAKS;
}

function isConstant(c: NumericColumn): boolean {
  let first = NaN;
  for (const v of c.values) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return false;
  }
  return true;
}

/** c = a + b on the first complete rows, then every row (within tol), with a and b not constant zero. */
function sumCandidate(c: NumericColumn, a: NumericColumn, b: NumericColumn, tol: number): boolean {
  const n = c.values.length;
  let checked = 0, nonzeroA = 0, nonzeroB = 0;
  for (let i = 0; i < n; i++) {
    const z = c.values[i], x = a.values[i], y = b.values[i];
    if (Number.isNaN(z) || Number.isNaN(x) || Number.isNaN(y)) continue;
    if (Math.abs(z - x - y) > tol + 1e-9 * Math.max(1, Math.abs(z))) return false;
    checked++;
    if (x !== 0) nonzeroA++;
    if (y !== 0) nonzeroB++;
  }
  return checked >= 10 && nonzeroA >= 5 && nonzeroB >= 5;
}
