import type { Rng } from '../../random/rng';
import { configCount, countJoint, mutualInformation } from './jointCounts';
import { exponentialMechanism, miSensitivity } from './privacy';
import type { Ticker } from './ticker';

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
  ticker: Ticker,
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

  for (let step = 1; step < d; step++) {
    const candidates: { child: number; set: number[] }[] = [];
    for (let x = 0; x < d; x++) {
      if (placed[x]) continue;
      const sets = privacy
        ? maximalSets(order, input, x)
        : allSets(prune(order, pair!, d, x, input.maxParents), input, x);
      for (const set of sets) candidates.push({ child: x, set });
    }
    let chosen: { child: number; set: number[] };
    if (privacy) {
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
        const binary = input.nStates[c.child] <= 2 || configCount(c.set.map((p) => input.nStates[p])) <= 2;
        sens[i] = miSensitivity(input.n, binary);
        if (ticker.due) await ticker.pause('structure', (step - 1) / totalSteps, 'Choosing the network (private)');
      }
      chosen = candidates[exponentialMechanism(scores, sens, privacy.stepEpsilon, rng)];
    } else {
      let best = -Infinity;
      chosen = candidates[0];
      for (const c of candidates) {
        const s = scorer.cached(c.child, c.set);
        if (s > best) {
          best = s;
          chosen = c;
        }
        if (ticker.due) await ticker.pause('structure', (step - 1) / totalSteps, 'Choosing the network');
      }
    }
    parents[chosen.child] = chosen.set;
    order.push(chosen.child);
    placed[chosen.child] = 1;
    await ticker.maybePause('structure', step / totalSteps, 'Choosing the network');
  }
  return { order, parents };
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
    const { states, nStates, n } = this.#in;
    const sizes = set.map((p) => nStates[p]);
    const nX = nStates[child];
    countJoint(states[child], nX, set.map((p) => states[p]), sizes, this.#counts);
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
  async pairwise(ticker: Ticker): Promise<Float64Array> {
    const d = this.#in.states.length;
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        const s = this.cached(i, [j]);
        out[i * d + j] = s;
        out[j * d + i] = s;
      }
      await ticker.maybePause('structure', 0, 'Measuring pairwise dependence');
    }
    return out;
  }
}

/** The placed columns most informative about x (only those with some dependence), best first. */
function prune(order: number[], pair: Float64Array, d: number, x: number, maxParents: number): number[] {
  const keep = PRUNED_CANDIDATES[Math.min(4, Math.max(1, maxParents))];
  return order
    .filter((v) => pair[x * d + v] > 0)
    .sort((a, b) => pair[x * d + b] - pair[x * d + a] || a - b)
    .slice(0, keep)
    .sort((a, b) => a - b);
}

/** Every non-empty subset of `pool` within the size and domain limits (plus the empty set). */
function allSets(pool: number[], input: StructureInput, x: number): number[][] {
  const out: number[][] = [[]];
  const cur: number[] = [];
  const walk = (start: number, domain: number) => {
    for (let i = start; i < pool.length; i++) {
      const dom = domain * input.nStates[pool[i]];
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
  const fits = (dom: number, v: number) => dom * input.nStates[v] <= input.maxDomain;
  const walk = (start: number, domain: number) => {
    let extended = false;
    if (cur.length < input.maxParents) {
      for (let i = start; i < sorted.length; i++) {
        if (!fits(domain, sorted[i])) continue;
        extended = true;
        cur.push(sorted[i]);
        walk(i + 1, domain * input.nStates[sorted[i]]);
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
