import { UserError } from '../../context';
import type { Rng } from '../../random/rng';
import type { KeptRule } from '../../rules/resolve';
import type { EngineColumns, EngineModel, PreparedColumn, PreparedCondition, PreparedNumeric, PreparedTable } from '../engine';
import type { CategoricalPlan, NumericPlan } from './plan';

/**
 * Rules kept by construction, for every engine (src/core/rules: what a rule is). The engine learns and
 * draws a transformed table, and the pipeline turns its rows back:
 *
 * - fixed combinations: the member columns become one joint column whose levels are the combinations
 *   seen in training (the first member's place and name), decoded after drawing;
 * - order (g >= l + k): g is learnt as the difference d = g - l - k and drawn back as l + k + max(0, d)
 *   (rows where l is missing learn g - median(l) - k, drawn back as is);
 * - structural missingness (b missing exactly when a ...): b is learnt with its gated rows filled with
 *   other rows' values, and the gate sets b missing after drawing;
 * - sums (c = a + b): c is computed from its parts after drawing.
 *
 * After the inverse the values are rounded and clamped as usual, an order is nudged back to the grid
 * when rounding broke it, and every kept rule is checked on every row: a row that still breaks one (a
 * rule that could not be built in, e.g. a second lower bound of one column) is drawn again, a bounded
 * number of times, and counted.
 */
export interface RulePlan {
  /** Every kept rule (what the report and stats show). */
  kept: KeptRule[];
  /** Engine columns before the transform. */
  nColumns: number;
  /** Fixed combinations: member engine columns, seen combinations (flat, member codes), built in or only checked. */
  joints: { members: number[]; combos: number[]; built: boolean; rule: string }[];
  /** Orders in inverse order (a lesser before the greater it bounds). */
  orders: { g: number; l: number; offset: number; anchor: number; built: boolean; rule: string }[];
  sums: { total: number; parts: number[]; tol: number; rule: string }[];
  /** b missing exactly when a has one of `codes` (categorical a), `numbers` (numeric a), or is missing (both null). */
  gates: { b: number; a: number; codes: number[] | null; numbers: number[] | null; built: boolean; rule: string }[];
}

const RULE_REDRAW_ROUNDS = 50;

type Plans = (NumericPlan | CategoricalPlan)[];

/**
 * Plan how to keep `kept` on the engine's columns. Rules naming a column the engine does not model (a
 * constant, key, fake or kept-out column) are left out. Null when nothing is to be done.
 */
export function planRules(kept: KeptRule[], prepared: PreparedTable, plans: Plans): RulePlan | null {
  const idx = new Map(plans.map((p) => [p.name, p.engineIndex]));
  const at = (n: string) => idx.get(n) ?? -1;
  const cols = prepared.columns;
  const rp: RulePlan = { kept: [], nColumns: cols.length, joints: [], orders: [], sums: [], gates: [] };
  const derived = new Set<number>(); // columns rebuilt from others (order greater, sum total)
  const jointOf = new Map<number, number>();
  const gatedBy = new Map<number, number>();
  // Sums and gates first: they have the first claim on building a column in (an order on a total is then checked).
  const rank = { fixed: 0, sum: 1, missing: 2, order: 3 } as const;
  for (const k of kept.slice().sort((x, y) => rank[x.rule.type] - rank[y.rule.type])) {
    const r = k.rule;
    if (r.type === 'fixed') {
      const members = r.columns.map(at);
      if (members.some((m) => m < 0 || cols[m].type !== 'categorical')) continue;
      // One joint per column: a rule sharing a column with an earlier joint is only checked.
      const built = members.every((m) => !jointOf.has(m));
      const combos = seenCombos(members.map((m) => (cols[m] as { codes: Int32Array }).codes), prepared.nRows);
      if (built) for (const m of members) jointOf.set(m, rp.joints.length);
      rp.joints.push({ members, combos, built, rule: k.text });
    } else if (r.type === 'order') {
      const g = at(r.greater), l = at(r.lesser);
      if (g < 0 || l < 0 || cols[g].type !== 'numeric' || cols[l].type !== 'numeric') continue;
      // Built in when g is not rebuilt from anything else yet and l does not depend on g.
      const built = !derived.has(g) && !dependsOn(rp, l, g);
      if (built) derived.add(g);
      // Dates are stored as epoch ms; their offsets are written in days.
      const offset = plans[g].kind === 'datetime' ? r.offset * 86_400_000 : r.offset;
      rp.orders.push({ g, l, offset, anchor: median((cols[l] as PreparedNumeric).values), built, rule: k.text });
    } else if (r.type === 'sum') {
      const total = at(r.total), parts = r.parts.map(at);
      if (total < 0 || parts.some((p) => p < 0) || [total, ...parts].some((c) => cols[c].type !== 'numeric')) continue;
      if (derived.has(total) || parts.some((p) => dependsOn(rp, p, total))) continue;
      derived.add(total);
      const d = [total, ...parts].map((c) => plans[c]).map((p) => (p.mode === 'numeric' ? p.decimals : null));
      const tol = d.every((x) => x !== null) ? 0.5 * Number(`1e-${Math.max(...(d as number[]))}`) : 1e-6;
      rp.sums.push({ total, parts, tol, rule: k.text });
    } else {
      const b = at(r.column), a = at(r.when);
      if (b < 0 || a < 0) continue;
      let codes: number[] | null = null, numbers: number[] | null = null;
      if (r.values !== null) {
        const pa = plans[a];
        if (pa.mode === 'categorical') {
          codes = [];
          for (const v of r.values) {
            let c = pa.levels.indexOf(v);
            if (c < 0) c = pa.levels.findIndex((l) => l.toLowerCase() === v.toLowerCase());
            if (c >= 0) codes.push(c);
          }
        } else numbers = r.values.map((v) => (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v) ? Number(v) : Date.parse(v))).filter(Number.isFinite);
      }
      const built = !jointOf.has(b) && !gatedBy.has(b) && !gateChain(gatedBy, a, b);
      if (built) gatedBy.set(b, a);
      rp.gates.push({ b, a, codes, numbers, built, rule: k.text });
    }
    rp.kept.push(k);
  }
  if (rp.kept.length === 0) return null;
  const accepted = new Set(rp.kept);
  rp.kept = kept.filter((k) => accepted.has(k)); // in the order given (declared first)
  // Inverse order: orders whose lesser is rebuilt by another order come after it.
  rp.orders = topo(rp.orders);
  return rp;
}

function dependsOn(rp: RulePlan, col: number, on: number, seen = new Set<number>()): boolean {
  if (col === on) return true;
  if (seen.has(col)) return false;
  seen.add(col);
  for (const o of rp.orders) if (o.built && o.g === col && dependsOn(rp, o.l, on, seen)) return true;
  for (const s of rp.sums) if (s.total === col && s.parts.some((p) => dependsOn(rp, p, on, seen))) return true;
  return false;
}

function gateChain(gatedBy: Map<number, number>, a: number, b: number): boolean {
  for (let x: number | undefined = a, i = 0; x !== undefined && i < 1000; x = gatedBy.get(x), i++) if (x === b) return true;
  return false;
}

function topo(orders: RulePlan['orders']): RulePlan['orders'] {
  const out: RulePlan['orders'] = [];
  const left = orders.slice();
  while (left.length > 0) {
    const i = left.findIndex((o) => !left.some((p) => p !== o && p.built && p.g === o.l));
    out.push(...left.splice(i < 0 ? 0 : i, 1));
  }
  return out;
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v.filter((x) => !Number.isNaN(x))).sort();
  return s.length === 0 ? 0 : s[s.length >> 1];
}

function seenCombos(codes: Int32Array[], n: number): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = codes.map((c) => c[i]).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    for (const c of codes) out.push(c[i]);
  }
  return out;
}

/** Where each original engine column lives in the transformed table (-1: inside a joint, not its first member). */
function layout(rp: RulePlan): { slot: Int32Array; nSlots: number } {
  const slot = new Int32Array(rp.nColumns).fill(-1);
  const skip = new Set<number>();
  for (const j of rp.joints) if (j.built) for (const m of j.members.slice(1)) skip.add(m);
  let n = 0;
  for (let c = 0; c < rp.nColumns; c++) if (!skip.has(c)) slot[c] = n++;
  return { slot, nSlots: n };
}

function gateCondition(g: RulePlan['gates'][number], cols: EngineColumns): (i: number) => boolean {
  const a = cols[g.a];
  if (g.codes !== null) {
    const ok = new Set(g.codes);
    return (i) => a[i] >= 0 && ok.has(a[i]);
  }
  if (g.numbers !== null) {
    const ok = new Set(g.numbers);
    return (i) => ok.has(a[i]);
  }
  return a instanceof Int32Array ? (i) => a[i] < 0 : (i) => Number.isNaN(a[i]);
}

const isMissing = (c: Float64Array | Int32Array, i: number) => (c instanceof Int32Array ? c[i] < 0 : Number.isNaN(c[i]));

/** The table the engine learns: joints, differences and filled gates in place of the original columns. */
export function applyRules(rp: RulePlan, prepared: PreparedTable): PreparedTable {
  const n = prepared.nRows;
  const src: EngineColumns = prepared.columns.map((c) => (c.type === 'numeric' ? c.values : c.codes));
  // Gates: fill the gated rows of b with other rows' values (the gate empties them again).
  const filled: EngineColumns = src.slice();
  for (const g of rp.gates) {
    if (!g.built) continue;
    const cond = gateCondition(g, src);
    const b = src[g.b];
    const present: number[] = [];
    for (let i = 0; i < n; i++) if (!isMissing(b, i) && !cond(i)) present.push(i);
    if (present.length === 0) continue;
    const out = b.slice();
    let k = 0;
    for (let i = 0; i < n; i++) if (cond(i) && isMissing(b, i)) out[i] = b[present[(k++ * 7919) % present.length]];
    filled[g.b] = out;
  }
  const cols: PreparedColumn[] = prepared.columns.map((c, j) => (c.type === 'numeric' ? { ...c, values: filled[j] as Float64Array } : { ...c, codes: filled[j] as Int32Array }));
  for (const o of rp.orders) {
    if (!o.built) continue;
    const g = filled[o.g] as Float64Array, l = filled[o.l] as Float64Array;
    const d = new Float64Array(n);
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = Number.isNaN(l[i]) ? g[i] - o.anchor - o.offset : g[i] - l[i] - o.offset;
      d[i] = x;
      if (!Number.isNaN(x)) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
    const gc = prepared.columns[o.g] as PreparedNumeric;
    const lc = prepared.columns[o.l] as PreparedNumeric;
    const kind = gc.kind === 'integer' && lc.kind === 'integer' && Number.isInteger(o.offset) ? 'integer' : 'numeric';
    cols[o.g] = { type: 'numeric', name: gc.name, kind, values: d, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0 };
  }
  const { slot } = layout(rp);
  const out: PreparedColumn[] = [];
  for (let c = 0; c < rp.nColumns; c++) {
    if (slot[c] < 0) continue;
    const j = rp.joints.find((x) => x.built && x.members[0] === c);
    if (!j) {
      out.push(cols[c]);
      continue;
    }
    const w = j.members.length;
    const index = new Map<string, number>();
    for (let k = 0; k * w < j.combos.length; k++) index.set(j.combos.slice(k * w, k * w + w).join(','), k);
    const codes = new Int32Array(n);
    const mc = j.members.map((m) => src[m]);
    for (let i = 0; i < n; i++) codes[i] = index.get(mc.map((x) => x[i]).join(','))!;
    out.push({ type: 'categorical', name: prepared.columns[c].name, kind: 'categorical', codes, nLevels: index.size });
  }
  return { nRows: n, columns: out };
}

export interface RuleStats {
  redrawnRows: number;
}

/**
 * The engine model the pipeline samples from: draws the transformed columns, turns them back, rounds,
 * keeps the rules, and redraws the rows that still break one. `finish` is the pipeline's rounding and
 * clamping (idempotent: the pipeline applies it again).
 */
export function withRules(inner: EngineModel, rp: RulePlan, plans: Plans, finish: (cols: EngineColumns, m: number) => void, stats: RuleStats): EngineModel {
  const { slot, nSlots } = layout(rp);
  const draw = async (m: number, rng: Rng, conditions: (PreparedCondition | undefined)[]): Promise<EngineColumns> => {
    const t = await inner.sample(m, rng, translate(rp, slot, nSlots, conditions, plans));
    const cols = inverse(rp, slot, t, m);
    finish(cols, m);
    repair(rp, cols, m, plans);
    finish(cols, m); // a repaired value past a bound is clamped back here, and the check below catches the row
    return cols;
  };
  return {
    serialize: () => inner.serialize(),
    async sample(n, rng, conditions) {
      const cols = await draw(n, rng, conditions);
      let bad = breaking(rp, cols, n);
      for (let round = 0; bad.length > 0; round++) {
        if (round >= RULE_REDRAW_ROUNDS) throw cannotKeep(rp, cols, bad);
        stats.redrawnRows += bad.length;
        const more = await draw(Math.max(16, bad.length * 2), rng, conditions);
        const good = breaking(rp, more, more[0]?.length ?? 0, true);
        let k = 0;
        const still: number[] = [];
        for (const i of bad) {
          if (k < good.length) {
            const j = good[k++];
            for (let c = 0; c < cols.length; c++) cols[c][i] = more[c][j];
          } else still.push(i);
        }
        bad = still;
      }
      return cols;
    },
  };
}

function translate(rp: RulePlan, slot: Int32Array, nSlots: number, conditions: (PreparedCondition | undefined)[], plans: Plans): (PreparedCondition | undefined)[] {
  const out: (PreparedCondition | undefined)[] = new Array(nSlots).fill(undefined);
  const rebuilt = new Set(rp.orders.filter((o) => o.built).map((o) => o.g));
  for (let c = 0; c < rp.nColumns; c++) if (slot[c] >= 0 && !rebuilt.has(c)) out[slot[c]] = conditions[c];
  // A condition on a gated column asks for a value, so its gate must stay open: tell the engine (e.g. a
  // cause of death asked for: only people who died), rather than redraw the rows the gate empties.
  const inJoint = new Set(rp.joints.filter((j) => j.built).flatMap((j) => j.members));
  for (const g of rp.gates) {
    if (!g.built || conditions[g.b] === undefined || conditions[g.a] !== undefined || slot[g.a] < 0 || inJoint.has(g.a) || rebuilt.has(g.a)) continue;
    const pa = plans[g.a];
    if (pa.mode === 'categorical') {
      if (g.numbers !== null) continue;
      const closed = new Set(g.codes ?? []);
      const codes: number[] = [];
      for (let k = 0; k < pa.levels.length; k++) if (!closed.has(k)) codes.push(k);
      if (codes.length > 0) out[slot[g.a]] = { type: 'categorical', codes };
    } else if (g.codes === null && g.numbers === null) out[slot[g.a]] = { type: 'range', min: -Infinity, max: Infinity };
    else if (g.numbers !== null && g.numbers.length === 1 && pa.kind === 'integer') {
      // A flag closed at its lowest (or highest) value: the open values are a range (death = 0 closes; death >= 1 opens).
      if (g.numbers[0] === pa.min) out[slot[g.a]] = { type: 'range', min: pa.min + 0.5, max: Infinity };
      else if (g.numbers[0] === pa.max) out[slot[g.a]] = { type: 'range', min: -Infinity, max: pa.max - 0.5 };
    }
  }
  for (const j of rp.joints) {
    if (!j.built || !j.members.some((m) => conditions[m] !== undefined)) continue;
    const w = j.members.length;
    const codes: number[] = [];
    for (let k = 0; k * w < j.combos.length; k++) {
      let ok = true;
      for (let q = 0; q < w && ok; q++) {
        const cond = conditions[j.members[q]];
        const v = j.combos[k * w + q];
        if (cond?.type === 'categorical' && !(v >= 0 && cond.codes.includes(v))) ok = false;
      }
      if (ok) codes.push(k);
    }
    if (codes.length === 0) throw new UserError(`No row can meet these conditions and keep the rule "${j.rule}": no such combination occurs in the training data.`, 'Loosen the conditions, or stop keeping that rule.');
    out[slot[j.members[0]]] = { type: 'categorical', codes };
  }
  return out;
}

function inverse(rp: RulePlan, slot: Int32Array, t: EngineColumns, m: number): EngineColumns {
  const cols: EngineColumns = new Array(rp.nColumns);
  for (let c = 0; c < rp.nColumns; c++) if (slot[c] >= 0) cols[c] = t[slot[c]];
  for (const j of rp.joints) {
    if (!j.built) continue;
    const w = j.members.length;
    const joint = t[slot[j.members[0]]] as Int32Array;
    j.members.forEach((mem, q) => {
      const out = new Int32Array(m);
      for (let i = 0; i < m; i++) out[i] = joint[i] < 0 ? -1 : j.combos[joint[i] * w + q];
      cols[mem] = out;
    });
  }
  for (const o of rp.orders) {
    if (!o.built) continue;
    const d = cols[o.g] as Float64Array, l = cols[o.l] as Float64Array;
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = Number.isNaN(l[i]) ? d[i] + o.anchor + o.offset : l[i] + o.offset + (d[i] > 0 ? d[i] : 0);
    // NaN d stays NaN in both branches (the greater is missing).
    cols[o.g] = out;
  }
  return cols;
}

/** After rounding: orders nudged back onto the greater's grid, sums computed, gates applied. */
function repair(rp: RulePlan, cols: EngineColumns, m: number, plans: Plans): void {
  for (const o of rp.orders) {
    if (!o.built) continue;
    const g = cols[o.g] as Float64Array, l = cols[o.l] as Float64Array;
    const p = plans[o.g] as NumericPlan;
    for (let i = 0; i < m; i++) {
      if (Number.isNaN(g[i]) || Number.isNaN(l[i]) || g[i] >= l[i] + o.offset) continue;
      g[i] = ceilToGrid(l[i] + o.offset, p);
    }
  }
  for (const s of rp.sums) {
    const t = cols[s.total] as Float64Array;
    const parts = s.parts.map((c) => cols[c] as Float64Array);
    const p = plans[s.total] as NumericPlan;
    const f = p.decimals === null ? 0 : Number(`1e${p.decimals}`);
    for (let i = 0; i < m; i++) {
      if (Number.isNaN(t[i])) continue;
      let x = 0;
      for (const v of parts) x += v[i];
      if (Number.isNaN(x)) continue;
      t[i] = f !== 0 ? Math.round(x * f) / f : x;
    }
  }
  for (const g of rp.gates) {
    if (!g.built) continue;
    const cond = gateCondition(g, cols);
    const b = cols[g.b];
    const empty = b instanceof Int32Array ? -1 : NaN;
    for (let i = 0; i < m; i++) if (cond(i)) b[i] = empty;
  }
}

function ceilToGrid(x: number, p: NumericPlan): number {
  if (p.decimals !== null) {
    const f = Number(`1e${p.decimals}`);
    const y = Math.round(x * f) / f;
    return y >= x ? y : Math.round(x * f + 1) / f;
  }
  if (p.step !== null && p.step > 1) return Math.ceil(x / p.step) * p.step;
  if (p.step === 1) return Math.ceil(x);
  return x;
}

/** Rows breaking a kept rule (or, with `good`, the rows keeping every rule). */
function breaking(rp: RulePlan, cols: EngineColumns, m: number, good = false): number[] {
  const checks = compileChecks(rp, cols);
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    let ok = true;
    for (const ch of checks) if (!ch(i)) { ok = false; break; }
    if (ok === good) out.push(i);
  }
  return out;
}

function compileChecks(rp: RulePlan, cols: EngineColumns): ((i: number) => boolean)[] {
  const out: ((i: number) => boolean)[] = [];
  for (const o of rp.orders) {
    const g = cols[o.g] as Float64Array, l = cols[o.l] as Float64Array;
    out.push((i) => Number.isNaN(g[i]) || Number.isNaN(l[i]) || g[i] >= l[i] + o.offset - 1e-9 * Math.max(1, Math.abs(g[i])));
  }
  for (const s of rp.sums) {
    const t = cols[s.total] as Float64Array;
    const parts = s.parts.map((c) => cols[c] as Float64Array);
    out.push((i) => {
      if (Number.isNaN(t[i])) return true;
      let x = 0;
      for (const v of parts) x += v[i];
      return Number.isNaN(x) || Math.abs(t[i] - x) <= s.tol + 1e-9 * Math.max(1, Math.abs(x));
    });
  }
  for (const g of rp.gates) {
    const cond = gateCondition(g, cols);
    const b = cols[g.b];
    out.push((i) => isMissing(b, i) === cond(i));
  }
  for (const j of rp.joints) {
    if (j.built) continue;
    const w = j.members.length;
    const seen = new Set<string>();
    for (let k = 0; k * w < j.combos.length; k++) seen.add(j.combos.slice(k * w, k * w + w).join(','));
    const mc = j.members.map((c) => cols[c] as Int32Array);
    out.push((i) => {
      let key = '';
      for (const c of mc) {
        if (c[i] < 0) return true;
        key += (key ? ',' : '') + c[i];
      }
      return seen.has(key);
    });
  }
  return out;
}

function cannotKeep(rp: RulePlan, cols: EngineColumns, bad: number[]): UserError {
  const checks = compileChecks(rp, cols);
  const names = [...rp.orders.map((o) => o.rule), ...rp.sums.map((s) => s.rule), ...rp.gates.map((g) => g.rule), ...rp.joints.filter((j) => !j.built).map((j) => j.rule)];
  const broken = names.filter((_, k) => bad.some((i) => !checks[k](i)));
  return new UserError(
    `The model cannot keep the rule${broken.length === 1 ? '' : 's'} ${broken.map((r) => `"${r}"`).join(', ')}: ${bad.length} rows still broke ${broken.length === 1 ? 'it' : 'them'} after ${RULE_REDRAW_ROUNDS} redraws.`,
    'Check that the rules hold in the training data (facsimile profile lists those that do), or stop keeping one of them.',
  );
}
