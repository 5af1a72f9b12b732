import type { SchemaRules } from '../rules/types';

/**
 * Schema: what each column is (kind), what to do with it (role), and how its values were written
 * (format), so that exports write values the way the input did.
 */
export type ColumnKind = 'numeric' | 'integer' | 'categorical' | 'boolean' | 'datetime' | 'text' | 'id';
/**
 * synthesize: learnt by the engine; keep-out: not in the model nor its output; generate-key: fresh keys;
 * fake: realistic values made up per row (never a real value of the column), for direct identifiers;
 * synthesize-text: free text written per synthetic row (a local text model, or the word-level fallback).
 */
export type ColumnRole = 'synthesize' | 'keep-out' | 'generate-key' | 'fake' | 'synthesize-text';
export type PiiKind =
  | 'email'
  | 'phone'
  | 'national-id'
  | 'iban'
  | 'credit-card'
  | 'ip-address'
  | 'postcode'
  | 'person-name'
  | 'address';

export interface PiiHint {
  kind: PiiKind;
  /** 'name' when the header suggested it, 'values' when a share of sampled values matched. */
  source: 'name' | 'values';
  /** Share of sampled non-missing values matching the pattern (1 for name hints). */
  share: number;
}

/** How values were written in the input. */
export interface ValueFormat {
  /** Datetime pattern, e.g. 'YYYY-MM-DD', 'DD/MM/YYYY HH:mm', 'ISO' (see core/schema/datetimeFormat). */
  datetime?: string;
  /** Digits after the decimal point seen in the input (numeric columns). */
  decimals?: number;
  /** Every value was written with exactly `decimals` digits ("0.0", "2.50"): write them padded too. */
  padded?: boolean;
  /** The token the input used for missing values ("NA", "?"); absent = empty cells. */
  missing?: string;
  /** Print without a thousands separator: years ("2007", not "2,007"). */
  noGrouping?: boolean;
}

export interface ColumnSchema {
  name: string;
  /**
   * Storage follows the kind: numeric, integer and datetime columns are NumericColumn
   * (datetime = epoch ms); categorical, boolean, text and id are CategoricalColumn
   * (boolean levels keep the input's tokens, e.g. "Yes"/"No").
   */
  kind: ColumnKind;
  role: ColumnRole;
  pii: PiiHint[];
  format?: ValueFormat;
}

export interface Schema {
  columns: ColumnSchema[];
  /** The user's rule choices: declared rules, found rules turned off or on (core/rules). */
  rules?: SchemaRules;
}

export function isNumericKind(kind: ColumnKind): boolean {
  return kind === 'numeric' || kind === 'integer' || kind === 'datetime';
}

export function columnSchema(schema: Schema, name: string): ColumnSchema {
  const c = schema.columns.find((x) => x.name === name);
  if (!c) throw new Error(`No column named "${name}" in the schema`);
  return c;
}
