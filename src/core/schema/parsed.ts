/**
 * What a reader hands to schema inference: one column as parsed, before its kind is decided. Defined here
 * (not in ingest/) so that schema inference depends on no reader; ingest/ builds these and re-exports them.
 */

/** Something the file did that the user should know about; the data still loaded. */
export interface IngestWarning {
  code: string;
  message: string;
  /** 1-based record number in the file (the header is record 1); equals the line unless fields hold line breaks. */
  line?: number;
  column?: string;
}

/** One parsed column, as schema inference receives it. */
export interface ParsedColumn {
  name: string;
  length: number;
  /**
   * 'number': every present value parsed as a number; 'string': dictionary codes (-1 = missing);
   * 'datetime': every present value parsed with `datetimePattern`, values are epoch ms.
   */
  mode: 'number' | 'string' | 'datetime';
  values?: Float64Array;
  datetimePattern?: string;
  /**
   * 'datetime' mode: the values inference would have sampled had they stayed strings (as infer.ts samples
   * levels), written in `datetimePattern`; value-based hints (PII) look at these.
   */
  datetimeSample?: string[];
  codes?: Int32Array;
  levels?: string[];
  /** Most digits seen after the decimal point (number mode). */
  decimals: number;
  /** Every number seen was an integer. */
  allIntegers: boolean;
  /** Every number was written with the same count of decimals (e.g. "0.0", "10.9"): keep the padding. */
  sameDecimals: boolean;
  /** Row where the column stopped being numeric, -1 if it never was or never stopped. */
  switchedAt: number;
  /** How many values were a missing-value token (not counting empty fields). */
  missingTokens: number;
  /** The first missing-value token seen ("NA", "?", …), so that exports write missing the same way. */
  missingToken?: string;
}
