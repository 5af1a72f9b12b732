/**
 * Rules a table obeys: found in the data (profile, fit) or declared by the user (the app's rules panel,
 * the CLI's --rule). Every synthesizer keeps the kept rules in every output row (src/core/synth/pipeline/rules.ts).
 *
 * - fixed: only the combinations of these columns' values seen in training occur (city -> country).
 * - order: greater >= lesser + offset, where both are present (numbers; for datetimes the offset is in days).
 * - missing: `column` is missing exactly when `when` takes one of `values` (null: when `when` is missing).
 * - sum: total = parts[0] + parts[1] + ..., where all are present (within the input's decimals).
 */
export type Rule =
  | { type: 'fixed'; columns: string[] }
  | { type: 'order'; greater: string; lesser: string; offset: number }
  | { type: 'missing'; column: string; when: string; values: string[] | null }
  | { type: 'sum'; total: string; parts: string[] };

export type RuleType = Rule['type'];

/** A rule found in the data, with the share of training rows it applies to that obey it. */
export interface FoundRule {
  rule: Rule;
  /** The rule as text (the --rule syntax); also its id. */
  text: string;
  /** Share of the rows the rule applies to that obey it (1 = exact; >= 0.995 = almost). */
  share: number;
  /** Rows the rule applies to. */
  rows: number;
  exact: boolean;
  /** Plain words for the finding. */
  message: string;
}

/**
 * The user's rule choices, stored in the schema (so that the app's rules panel and the CLI share them).
 * Rules are stored as text (the --rule syntax).
 */
export interface SchemaRules {
  /** Rules the user declared. */
  declared?: string[];
  /** Found rules the user chose not to keep (exact ones are kept by default). */
  off?: string[];
  /** Found "almost" rules the user chose to keep (off by default). */
  on?: string[];
}

/** Which found rules a fit keeps: the exact ones (and those the schema turns on), or none. */
export type RulesMode = 'found' | 'none';

/** Share of rows obeying one rule, in the training, holdout and synthetic rows. */
export interface RuleAdherence {
  rule: string;
  type: RuleType;
  source: 'found' | 'declared';
  /** null: the rule applies to no row of that table. */
  train: number | null;
  holdout: number | null;
  synthetic: number | null;
  /** Rows of the synthetic table the rule applies to. */
  syntheticRows: number;
}
