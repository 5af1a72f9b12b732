import { throwIfAborted, UserError, yieldToEventLoop } from '../../context';
import { Rng } from '../../random/rng';
import { categoricalColumn, numericColumn, type Column, type Table } from '../../table/table';
import type { EngineColumns, EngineModel } from '../engine';
import type { SampleOptions } from '../types';
import { compileConditions, rowMeetsConditions, type CompiledConditions } from './conditions';
import { generateKeys } from './keys';
import type { ResolvedCommonOptions } from './options';
import { constantColumn, type CategoricalPlan, type ColumnPlan, type NumericPlan } from './plan';
import { hashRow, type HashSet } from '../../table/rowHash';
import { generateFakes, type FakePlan } from './fakes';
import { loadFaker } from './fakerLoader';
import type { QuasiIdentifierGuard } from './quasiIdentifiers';
import { generateTexts, textGuards, type TextPlan, type TextSampleResult } from './texts';

/** What sampling needs from a fitted (or deserialized) model. */
export interface SamplingState {
  plans: ColumnPlan[];
  /** Engine column plans, in engine order. */
  enginePlans: (NumericPlan | CategoricalPlan)[];
  engine: EngineModel | null;
  options: ResolvedCommonOptions;
  uniqueRows: HashSet;
  /** Share of rows that may copy a training row unique in training (what a fresh sample shows); 0: none. */
  leakChanceRate: number;
  /** Per fake column: hashes of its training values. */
  fakeHashes: ReadonlyMap<string, HashSet>;
  /** The quasi-identifier guard and the fingerprints of training rows unique on them (null: none). */
  quasiIdentifiers: { guard: QuasiIdentifierGuard; unique: HashSet } | null;
}

/**
 * Rows drawn per engine call: bounds memory and the time between progress reports and cancel points
 * (the pipeline yields to the event loop between chunks). At most CHUNK_CELLS cells (rows x engine
 * columns), between MIN_CHUNK and MAX_CHUNK rows. The chunk sizes depend only on the model and the
 * rows asked for, so the rows a seed gives are the same in Node, a browser and a worker.
 */
const CHUNK_CELLS = 1 << 20;
const MIN_CHUNK = 16;
const MAX_CHUNK = 65_536;
/** Rejection gives up past this many drawn rows per requested row (and a floor for small n). */
const MAX_DRAWS_PER_ROW = 100;
const MIN_DRAW_BUDGET = 20_000;

export interface SampleResult {
  table: Table;
  redrawnLeakedRows: number;
  /** Fake values drawn again because they matched a real value of their column. */
  redrawnFakes: number;
  /** Rows redrawn as excess quasi-identifier matches. */
  redrawnQuasiIdentifierRows: number;
  /** Text columns (role synthesize-text): texts redrawn and cut by the leak guard, and what wrote them. */
  text?: { redrawnTexts: number; entityLeaks: number; cutTexts: number; textWriter: string };
}

export async function sampleTable(state: SamplingState, n: number, options: SampleOptions): Promise<SampleResult> {
  if (!Number.isInteger(n) || n < 0) throw new UserError(`The number of rows must be a whole number of at least 0 (got ${n}).`);
  if (!Number.isFinite(options.seed)) throw new UserError(`The seed must be a number (got ${options.seed}).`);
  const rng = new Rng(options.seed);
  const compiled = compileConditions(options.conditions, state.plans, state.enginePlans.length, state.options.allowOutOfBounds);
  throwIfAborted(options.signal);
  const { columns, leaked, qiRedrawn } = state.engine
    ? await drawEngineRows(state, state.engine, n, rng.fork('engine'), compiled, options)
    : { columns: [] as EngineColumns, leaked: 0, qiRedrawn: 0 };
  const keyRng = rng.fork('keys');
  const fakePlans = state.plans.filter((p): p is FakePlan => p.mode === 'fake');
  let fakes: Column[] = [];
  let redrawnFakes = 0;
  if (fakePlans.length > 0) {
    const faker = await loadFaker(fakePlans[0].locale);
    throwIfAborted(options.signal);
    ({ columns: fakes, redrawn: redrawnFakes } = generateFakes(fakePlans, n, rng.fork('fakes'), state.fakeHashes, faker));
  }
  const textPlans = state.plans.filter((p): p is TextPlan => p.mode === 'text');
  const keys = new Map<string, Column>();
  const key = (p: ColumnPlan & { mode: 'key' }) => {
    let c = keys.get(p.name);
    if (!c) keys.set(p.name, (c = generateKeys(p.style, p.name, n, keyRng)));
    return c;
  };
  let texts: TextSampleResult | null = null;
  if (textPlans.length > 0) {
    // The engine's, the keys' and the fakes' columns first: each text is written from its row's values.
    const others: Column[] = state.plans.flatMap((p): Column[] => {
      if (p.mode === 'text') return [];
      if (p.mode === 'key') return [key(p)];
      if (p.mode === 'fake') return [fakes[fakePlans.indexOf(p)]];
      if (p.engineIndex < 0) return [constantColumn(p, n)];
      const values = columns[p.engineIndex];
      return [p.mode === 'numeric' ? numericColumn(p.name, values as Float64Array) : categoricalColumn(p.name, values as Int32Array, p.levels.slice())];
    });
    const kinds = new Map(state.plans.map((p) => [p.name, p.kind]));
    texts = await generateTexts(textPlans, { nRows: n, columns: others }, kinds, textGuards(textPlans, state.fakeHashes), rng.fork('texts'), options);
  }
  const out: Column[] = state.plans.map((p) => {
    if (p.mode === 'text') return texts!.columns[textPlans.indexOf(p)];
    if (p.mode === 'key') return key(p);
    if (p.mode === 'fake') return fakes[fakePlans.indexOf(p)];
    if (p.engineIndex < 0) return constantColumn(p, n);
    const values = columns[p.engineIndex];
    return p.mode === 'numeric'
      ? numericColumn(p.name, values as Float64Array)
      : categoricalColumn(p.name, values as Int32Array, p.levels.slice());
  });
  return {
    table: { nRows: n, columns: out },
    redrawnLeakedRows: leaked,
    redrawnFakes,
    redrawnQuasiIdentifierRows: qiRedrawn,
    ...(texts ? { text: { redrawnTexts: texts.redrawn, entityLeaks: texts.entityLeaks, cutTexts: texts.cut, textWriter: texts.writer } } : {}),
  };
}

/** The largest engine call for a model with this many engine columns. */
export function chunkRows(nColumns: number): number {
  return Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(CHUNK_CELLS / Math.max(1, nColumns))));
}

async function drawEngineRows(
  state: SamplingState,
  engine: EngineModel,
  n: number,
  rng: Rng,
  compiled: CompiledConditions,
  options: SampleOptions,
): Promise<{ columns: EngineColumns; leaked: number; qiRedrawn: number }> {
  const plans = state.enginePlans;
  const checkLeaks = state.options.redrawLeakedRows && state.uniqueRows.size > 0;
  const qi = state.options.redrawQuasiIdentifierMatches && state.quasiIdentifiers && state.quasiIdentifiers.unique.size > 0 ? state.quasiIdentifiers : null;
  // Matches kept so far: a row matching a training row unique on the quasi-identifiers is kept while the
  // kept ones stay within the chance rate of the rows kept (a running quota, so they spread over the sample).
  let qiKept = 0, qiRedrawn = 0;
  // Likewise for rows copying a training row unique in training: kept up to the chance rate, the excess redrawn.
  let leakKept = 0;
  const leakRate = state.leakChanceRate;
  let out: EngineColumns | null = null;
  let filled = 0, drawn = 0, accepted = 0, leaked = 0, missedCondition = 0;
  const budget = Math.max(MAX_DRAWS_PER_ROW * n, MIN_DRAW_BUDGET);
  const chunk = chunkRows(plans.length);

  while (filled < n) {
    throwIfAborted(options.signal);
    const remaining = n - filled;
    // Draw a little more than needed at the acceptance rate seen so far.
    const rate = drawn === 0 ? 1 : Math.max(accepted / drawn, 0.01);
    const m = Math.min(chunk, Math.max(1, Math.ceil((remaining / rate) * (drawn === 0 ? 1 : 1.1))));
    const cols = await engine.sample(m, rng, compiled.engine);
    finishEngineColumns(cols, m, plans, state.options.allowOutOfBounds);
    drawn += m;
    const qiCols = qi ? qi.guard.columns.map((c) => cols[c]) : null;

    // Keep rows that meet the conditions and copy no row unique in training. Until the first
    // rejection (out still null), kept rows sit where they are: a clean one-draw sample is not copied.
    const allocate = () => plans.map((p) => (p.mode === 'numeric' ? new Float64Array(n) : new Int32Array(n)));
    for (let j = 0; j < m && filled < n; j++) {
      let reject = false;
      if (compiled.checks.length > 0 && !rowMeetsConditions(compiled.checks, cols, j)) {
        missedCondition++;
        reject = true;
      } else if (checkLeaks && state.uniqueRows.has(hashRow(cols, j))) {
        if (leakKept + 1 > leakRate * (filled + 1)) {
          leaked++;
          reject = true;
        } else leakKept++;
      }
      if (!reject && qi && qiCols && qi.unique.has(hashRow(qiCols, j))) {
        if (qiKept + 1 > qi.guard.chanceRate * (filled + 1)) {
          qiRedrawn++;
          reject = true;
        } else qiKept++;
      }
      if (reject) {
        if (out === null) out = copyRows(cols, allocate(), 0, j, 0); // rows 0..j-1 were all kept
        continue;
      }
      accepted++;
      if (out !== null) for (let c = 0; c < cols.length; c++) out[c][filled] = cols[c][j];
      filled++;
    }
    if (out === null) out = m === n ? cols : copyRows(cols, allocate(), 0, filled, 0);
    options.onProgress?.({ phase: 'sampling', fraction: filled / Math.max(n, 1), message: `${filled} of ${n} rows` });
    if (filled < n && drawn >= budget) throw tooRare(missedCondition, leaked, qiRedrawn, drawn);
    if (filled < n) {
      // Between chunks: let a worker receive its cancel message.
      await yieldToEventLoop();
      throwIfAborted(options.signal);
    }
  }
  return { columns: out ?? plans.map((p) => (p.mode === 'numeric' ? new Float64Array(0) : new Int32Array(0))), leaked, qiRedrawn };
}

/** Copy rows [from, to) of src into dst starting at row at. */
function copyRows(src: EngineColumns, dst: EngineColumns, from: number, to: number, at: number): EngineColumns {
  for (let c = 0; c < src.length; c++) dst[c].set(src[c].subarray(from, to), at);
  return dst;
}

/** Round, clamp and check what the engine drew, in place. */
export function finishEngineColumns(cols: EngineColumns, m: number, plans: (NumericPlan | CategoricalPlan)[], allowOutOfBounds: boolean): void {
  if (cols.length !== plans.length) throw new Error(`Engine returned ${cols.length} columns, expected ${plans.length}`);
  for (let c = 0; c < plans.length; c++) {
    const p = plans[c];
    const v = cols[c];
    if (v.length !== m) throw new Error(`Engine returned ${v.length} rows for "${p.name}", expected ${m}`);
    if (p.mode === 'categorical') {
      if (!(v instanceof Int32Array)) throw new Error(`Engine must return Int32Array codes for "${p.name}"`);
      const nLevels = p.levels.length;
      for (let i = 0; i < m; i++) if (v[i] >= nLevels || v[i] < -1) throw new Error(`Engine drew code ${v[i]} for "${p.name}" (${nLevels} levels)`);
      continue;
    }
    if (!(v instanceof Float64Array)) throw new Error(`Engine must return Float64Array values for "${p.name}"`);
    const f = p.decimals === null ? 0 : Number(`1e${p.decimals}`); // exact; `**` may vary by engine
    const step = p.step ?? 0;
    const clamp = !allowOutOfBounds;
    const lo = p.min, hi = p.max;
    const domain = p.domain && p.domain.length > 0 ? p.domain : null;
    for (let i = 0; i < m; i++) {
      let x = v[i];
      if (Number.isNaN(x)) continue;
      if (domain) {
        v[i] = nearestValue(domain, x);
        continue;
      }
      if (f !== 0) x = Math.round(x * f) / f;
      else if (step > 1) x = Math.round(x / step) * step;
      else if (step === 1) x = Math.round(x);
      if (clamp) x = x < lo ? lo : x > hi ? hi : x;
      v[i] = x;
    }
  }
}

/** The value of a sorted domain nearest to x (ties go down). */
function nearestValue(domain: number[], x: number): number {
  let lo = 0, hi = domain.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (domain[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && x - domain[lo - 1] <= domain[lo] - x ? domain[lo - 1] : domain[lo];
}

function tooRare(missedCondition: number, leaked: number, qiRedrawn: number, drawn: number): UserError {
  if (qiRedrawn > missedCondition && qiRedrawn > leaked) {
    return new UserError(
      `The model keeps reproducing the quasi-identifiers (age, sex, postcode...) of rows unique in the training data (${qiRedrawn} of ${drawn} drawn rows), so it cannot make enough new ones.`,
      'Turn off the redraw of quasi-identifier matches, or keep some of those columns out.',
    );
  }
  if (missedCondition >= leaked) {
    return new UserError(
      `The conditions are too rare for this model: only ${drawn - missedCondition} of ${drawn} drawn rows met them.`,
      'Loosen the conditions (wider ranges, more values), or ask for fewer rows.',
    );
  }
  return new UserError(
    `The model keeps reproducing rows unique to the training data (${leaked} of ${drawn} drawn rows), so it cannot make enough new ones.`,
    'Train on more rows or a smoother model, or turn off the redraw of leaked rows (at a privacy cost).',
  );
}
