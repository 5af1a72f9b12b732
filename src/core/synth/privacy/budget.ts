/**
 * Differential-privacy accounting: a ledger of named spends under sequential composition.
 *
 * Every step of a fit that reads the training rows under a budget spends from one ledger (the
 * pipeline's domain selection and bounds, then the engine's structure and counts); a step that
 * cannot spend is dropped under a budget (e.g. the redraw of leaked rows, which compares the output
 * with the training rows). Basic sequential composition: the total is (Σ εᵢ, Σ δᵢ), and the ledger
 * refuses a spend past the declared ε, so the model's guarantee is at most what the user asked for.
 * The ledger's account travels with the model (its stats and the report) so that the split is stated.
 */

/** One mechanism run on the training rows. */
export interface PrivacySpend {
  /** Short id of the step, e.g. 'domain', 'bounds', 'structure', 'counts'. */
  step: string;
  epsilon: number;
  /** 0 for pure ε mechanisms. */
  delta: number;
  /** What was released, in words (e.g. "noisy counts of 12 columns' values, kept above 41"). */
  detail: string;
}

/** The ledger as stored with a model and shown in the report. */
export interface PrivacyAccount {
  /** The budget the user set. */
  budget: number;
  /** Σ ε of the spends (sequential composition), at most `budget`. */
  epsilon: number;
  /** Σ δ of the spends. */
  delta: number;
  spends: PrivacySpend[];
  /** Whether the category values and numeric ranges were declared public (no budget spent on them). */
  publicDomain: boolean;
  /** Steps that read exact training rows and were switched off under the budget. */
  dropped: string[];
}

/** Rounding slack when shares of a budget are added back up. */
const SLACK = 1e-9;

export class PrivacyLedger {
  readonly budget: number;
  readonly publicDomain: boolean;
  readonly #spends: PrivacySpend[] = [];
  readonly #dropped: string[] = [];

  constructor(budget: number, publicDomain = false) {
    if (!(budget > 0 && Number.isFinite(budget))) throw new Error(`A privacy budget must be a positive number, got ${budget}`);
    this.budget = budget;
    this.publicDomain = publicDomain;
  }

  /** ε spent so far. */
  get spent(): number {
    let s = 0;
    for (const x of this.#spends) s += x.epsilon;
    return s;
  }

  get delta(): number {
    let s = 0;
    for (const x of this.#spends) s += x.delta;
    return s;
  }

  /** ε left to spend (never negative). */
  get remaining(): number {
    return Math.max(0, this.budget - this.spent);
  }

  get spends(): readonly PrivacySpend[] {
    return this.#spends;
  }

  /** Record a mechanism's cost; throws when it would exceed the budget (a bug in the caller's split). */
  spend(step: string, epsilon: number, detail: string, delta = 0): number {
    if (!(epsilon > 0 && Number.isFinite(epsilon)) || !(delta >= 0 && delta < 1)) {
      throw new Error(`Invalid privacy spend for ${step}: ε ${epsilon}, δ ${delta}`);
    }
    if (this.spent + epsilon > this.budget * (1 + SLACK) + SLACK) {
      throw new Error(`Privacy budget exceeded by ${step}: ${this.spent} + ${epsilon} > ${this.budget}`);
    }
    this.#spends.push({ step, epsilon, delta, detail });
    return epsilon;
  }

  /** Note a step switched off because it would read exact rows. */
  drop(step: string): void {
    if (!this.#dropped.includes(step)) this.#dropped.push(step);
  }

  account(): PrivacyAccount {
    return {
      budget: this.budget,
      epsilon: this.spent,
      delta: this.delta,
      spends: this.#spends.map((s) => ({ ...s })),
      publicDomain: this.publicDomain,
      dropped: this.#dropped.slice(),
    };
  }
}

/** "ε = 1 (δ = 1e-6): domain 0.1, structure 0.27, counts 0.63" — one line for the report and the CLI. */
export function describeAccount(a: PrivacyAccount): string {
  const r = (x: number) => Number(x.toPrecision(3)).toString();
  const delta = a.delta > 0 ? `, δ = ${a.delta.toExponential(0)}` : '';
  const split = a.spends.map((s) => `${s.step} ${r(s.epsilon)}${s.delta > 0 ? ` (δ ${s.delta.toExponential(0)})` : ''}`).join(', ');
  return `ε = ${r(a.epsilon)}${delta} in total (${split})`;
}
