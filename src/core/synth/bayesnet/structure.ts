import type { Rng } from '../../random/rng';
import { configCount, countJoint, mutualInformation, mutualInformationByTable, xLogXTable } from './jointCounts';
import { miSensitivity } from './privacy';
import { exponentialMechanism } from '../privacy/exponentialMechanism';
import type { ProgressTicker } from '../../progressTicker';

/**
 * Greedy structure learning of PrivBayes: the first column at random, then repeatedly the (column,
 * parent set among the columns already placed) pair with the most mutual information.
 *
 * Parent sets hold at most `maxParents` columns and their joint table (child states x parent
 * configurations) at most `maxDomain` cells, so every conditional table keeps enough rows per cell
 * (without privacy) or enough signal over the noise (with privacy, PrivBayes' theta-usefulness).
 *
 * Without privacy the score is the Miller–Madow corrected mutual information, so that a larger
 * table is not preferred for its estimation bias alone, and parent candidates are pruned to the
 * columns most informative about the child one by one (keeps 15+ columns fast).
 * With privacy the score is the plain mutual information in bits with the sensitivity of
 * PrivBayes Lemma 4.1, the choice is the exponential mechanism, and pruning is data-independent
 * (maximal parent sets only, then a seeded random subset when there are too many).
 */
export interface StructureInput {
  states: Int32Array[];
  nStates: number[];
  /** What each column shows its children (discretize.ts parentView; the states themselves mostly). */
  parentStates: Int32Array[];
  parentNStates: number[];
  n: number;
  maxParents: number;
  maxDomain: number;
}

export interface PrivateChoice {
  /** Epsilon for each exponential-mechanism draw. */
  stepEpsilon: number;
}

export interface Network {
  /** Columns in sampling order. */
  order: number[];
  /** Parents of each column (by column index), every one earlier in `order`. */
  parents: number[][];
}

/** Columns most informative about a child that its parent sets are built from (no privacy). */
const PRUNED_CANDIDATES: Record<number, number> = { 1: 12, 2: 8, 3: 6, 4: 5 };
/** At most this many (child, parent set) candidates scored per private step. */
const PRIVATE_CANDIDATE_CAP = 300;

export async function learnStructure(
  input: StructureInput,
  rng: Rng,
  ticker: ProgressTicker,
  privacy: PrivateChoice | undefined,
): Promise<Network> {
  const d = input.states.length;
  const parents: number[][] = Array.from({ length: d }, () => []);
  if (d === 0) return { order: [], parents };
  const scorer = new Scorer(input);
  const pair = privacy ? undefined : await scorer.pairwise(ticker);

  const first = rng.int(d);
  const order = [first];
  const placed = new Uint8Array(d);
  placed[first] = 1;
  const totalSteps = Math.max(1, d - 1);

  if (!privacy) {
    await greedy(input, scorer, pair!, order, placed, parents, ticker);
    return { order, parents };
  }

  // The smallest state count placed so far: when even that cannot join x's table, x has no parent
  // set but the empty one (wide private tables, where the useful domain is tiny).
  let minPlaced = input.parentNStates[first];
  for (let step = 1; step < d; step++) {
    const candidates: { child: number; set: number[] }[] = [];
    for (let x = 0; x < d; x++) {
      if (placed[x]) continue;
      const none = input.maxParents < 1 || input.nStates[x] * minPlaced > input.maxDomain;
      const sets = none ? [[]] : maximalSets(order, input, x);
      for (const set of sets) candidates.push({ child: x, set });
    }
    // Data-independent thinning: which candidates are scored never depends on the rows.
    if (candidates.length > PRIVATE_CANDIDATE_CAP) {
      rng.shuffle(candidates);
      candidates.length = PRIVATE_CANDIDATE_CAP;
    }
    const scores = new Float64Array(candidates.length);
    const sens = new Float64Array(candidates.length);
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i];
      scores[i] = scorer.mi(c.child, c.set).mi / Math.LN2;
      const binary = input.nStates[c.child] <= 2 || configCount(c.set.map((p) => input.parentNStates[p])) <= 2;
      sens[i] = miSensitivity(input.n, binary);
      if (ticker.due) await ticker.pause('structure', (step - 1) / totalSteps, 'Choosing the network (private)');
    }
    const chosen = candidates[exponentialMechanism(scores, sens, privacy.stepEpsilon, rng)];
    parents[chosen.child] = chosen.set;
    order.push(chosen.child);
    placed[chosen.child] = 1;
    minPlaced = Math.min(minPlaced, input.parentNStates[chosen.child]);
    await ticker.maybePause('structure', step / totalSteps, 'Choosing the network');
  }
  return { order, parents };
}

/**
 * The non-private greedy search: at each step, over every unplaced column x and every parent set
 * built from x's candidates (the PRUNED_CANDIDATES placed columns most informative about x, with some
 * dependence: pairwise corrected mutual information > 0), the pair with
 * the highest corrected mutual information; ties go to the lower column, then the earlier set.
 *
 * Done incrementally, so that wide tables (thousands of columns) stay tractable: x's candidates
 * change only when a newly placed column enters its top list, and only then is x's best set scored
 * again. The choice is exactly that of scoring every candidate at every step (O(d^3 log d) before).
 */
async function greedy(
  input: StructureInput,
  scorer: Scorer,
  pair: Float64Array,
  order: number[],
  placed: Uint8Array,
  parents: number[][],
  ticker: ProgressTicker,
): Promise<void> {
  const d = input.states.length;
  const keep = PRUNED_CANDIDATES[Math.min(4, Math.max(1, input.maxParents))];
  const totalSteps = Math.max(1, d - 1);
  // top[x]: up to `keep` placed columns with pair > 0, best first (pair desc, index asc).
  const top: number[][] = Array.from({ length: d }, () => []);
  const bestScore = new Float64Array(d);
  const bestSet: number[][] = Array.from({ length: d }, () => []);
  const dirty = new Uint8Array(d).fill(1);
  const better = (x: number, a: number, b: number) => pair[x * d + a] > pair[x * d + b] || (pair[x * d + a] === pair[x * d + b] && a < b);
  const admit = (v: number) => {
    for (let x = 0; x < d; x++) {
      if (placed[x] || !(pair[x * d + v] > 0)) continue;
      const t = top[x];
      if (t.length >= keep && !better(x, v, t[t.length - 1])) continue;
      let i = t.length;
      t.push(v);
      while (i > 0 && better(x, v, t[i - 1])) {
        t[i] = t[i - 1];
        i--;
      }
      t[i] = v;
      if (t.length > keep) t.pop();
      dirty[x] = 1;
    }
  };
  admit(order[0]);
  for (let step = 1; step < d; step++) {
    let chosen = -1;
    let best = -Infinity;
    for (let x = 0; x < d; x++) {
      if (placed[x]) continue;
      if (dirty[x]) {
        const pool = top[x].slice().sort((a, b) => a - b);
        let b = -Infinity;
        let set: number[] = [];
        for (const s of allSets(pool, input, x)) {
          const score = scorer.cached(x, s);
          if (score > b) {
            b = score;
            set = s;
          }
          if (ticker.due) await ticker.pause('structure', (step - 1) / totalSteps, 'Choosing the network');
        }
        bestScore[x] = b;
        bestSet[x] = set;
        dirty[x] = 0;
      }
      if (bestScore[x] > best || chosen < 0) {
        best = bestScore[x];
        chosen = x;
      }
    }
    parents[chosen] = bestSet[chosen];
    order.push(chosen);
    placed[chosen] = 1;
    admit(chosen);
    await ticker.maybePause('structure', step / totalSteps, 'Choosing the network');
  }
}

class Scorer {
  readonly #in: StructureInput;
  readonly #counts: Int32Array;
  readonly #sx: Float64Array;
  readonly #sp: Float64Array;
  readonly #cache = new Map<string, number>();

  constructor(input: StructureInput) {
    this.#in = input;
    let maxX = 1;
    for (const s of input.nStates) maxX = Math.max(maxX, s);
    const cells = Math.max(input.maxDomain, maxX * maxX) + 1;
    this.#counts = new Int32Array(cells);
    this.#sx = new Float64Array(maxX);
    this.#sp = new Float64Array(cells);
  }

  mi(child: number, set: number[]): { mi: number; bias: number } {
    const { states, nStates, parentStates, parentNStates, n } = this.#in;
    const sizes = set.map((p) => parentNStates[p]);
    const nX = nStates[child];
    countJoint(states[child], nX, set.map((p) => parentStates[p]), sizes, this.#counts);
    return mutualInformation(this.#counts, nX, configCount(sizes), n, this.#sx, this.#sp);
  }

  /** Bias-corrected mutual information, remembered across steps. */
  cached(child: number, set: number[]): number {
    if (set.length === 0) return 0;
    const key = `${child}:${set.join(',')}`;
    let s = this.#cache.get(key);
    if (s === undefined) {
      const r = this.mi(child, set);
      s = r.mi - r.bias;
      this.#cache.set(key, s);
    }
    return s;
  }

  /** Corrected pairwise mutual information of every pair of columns (symmetric, d x d). */
  async pairwise(ticker: ProgressTicker): Promise<Float64Array> {
    const d = this.#in.states.length;
    const { states, nStates, n } = this.#in;
    const out = new Float64Array(d * d);
    const xlogx = xLogXTable(n);
    const counts = this.#counts, sx = this.#sx;
    const parent: Int32Array[] = [states[0]];
    const size = [0];
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        // Not cached (d² / 2 entries would not fit a wide table's memory), nor a logarithm per cell.
        parent[0] = states[j];
        size[0] = nStates[j];
        countJoint(states[i], nStates[i], parent, size, counts);
        const r = mutualInformationByTable(counts, nStates[i], nStates[j], n, sx, xlogx);
        const s = r.mi - r.bias;
        out[i * d + j] = s;
        out[j * d + i] = s;
      }
      await ticker.maybePause('structure', 0, 'Measuring pairwise dependence');
    }
    return out;
  }
}

/** Every non-empty subset of `pool` within the size and domain limits (plus the empty set). */
function allSets(pool: number[], input: StructureInput, x: number): number[][] {
  const out: number[][] = [[]];
  const cur: number[] = [];
  const walk = (start: number, domain: number) => {
    for (let i = start; i < pool.length; i++) {
      const dom = domain * input.parentNStates[pool[i]];
      if (dom > input.maxDomain) continue;
      cur.push(pool[i]);
      out.push(cur.slice());
      if (cur.length < input.maxParents) walk(i + 1, dom);
      cur.pop();
    }
  };
  walk(0, input.nStates[x]);
  return out;
}

/** Subsets of `pool` within the limits that no further column can join (the empty set if none fits). */
function maximalSets(pool: number[], input: StructureInput, x: number): number[][] {
  const sorted = pool.slice().sort((a, b) => a - b);
  const out: number[][] = [];
  const cur: number[] = [];
  const fits = (dom: number, v: number) => dom * input.parentNStates[v] <= input.maxDomain;
  const walk = (start: number, domain: number) => {
    let extended = false;
    if (cur.length < input.maxParents) {
      for (let i = start; i < sorted.length; i++) {
        if (!fits(domain, sorted[i])) continue;
        extended = true;
        cur.push(sorted[i]);
        walk(i + 1, domain * input.parentNStates[sorted[i]]);
        cur.pop();
      }
    }
    if (extended) return;
    // Maximal only if no column outside the set (before or after) could still be added.
    if (cur.length < input.maxParents && sorted.some((v) => !cur.includes(v) && fits(domain, v))) return;
    out.push(cur.slice());
  };
  walk(0, input.nStates[x]);
  return out.length ? out : [[]];
}
