/**
 * A text generator writes the free-text cells of synthetic rows from prompts built from each row's
 * synthetic values. The pipeline uses one when given (`SampleOptions.textGenerator`: a local
 * text-generation model through Transformers.js, see transformersText.ts) and its word-level fallback
 * otherwise. Real texts never go into a prompt unless few-shot examples are turned on, and then only
 * placeholder-cleaned ones.
 */
export interface TextRequest {
  column: string;
  prompt: string;
  /** Words the text should have, drawn from the real length distribution. */
  targetWords: number;
}

export interface TextGenerator {
  /** What wrote the texts, for the report and the UI ("tiny-gpt2 (WASM)"). */
  readonly label: string;
  /**
   * One text per request, in order. The same requests and seed give the same texts; the pipeline calls it
   * in batches of a fixed size, so results do not depend on timing.
   */
  generate(requests: readonly TextRequest[], seed: number, signal?: AbortSignal): Promise<string[]>;
}

/** Few-shot examples: how many cleaned real texts a prompt may show. */
export const MAX_FEW_SHOT = 3;

/**
 * The prompt for one cell: the row's other values by column name, optional cleaned examples, then the
 * column's name as the cue. Example: "genre: Drama; rating: R; year: 1998\nnotes:".
 */
export function buildPrompt(column: string, values: readonly (readonly [string, string])[], fewShot: readonly string[] = []): string {
  const record = values.map(([k, v]) => `${k}: ${v}`).join('; ');
  const shots = fewShot.slice(0, MAX_FEW_SHOT).map((t) => `${column}: ${t}\n`).join('');
  return `${shots}${record}\n${column}:`;
}
