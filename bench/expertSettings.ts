/**
 * `--set k=v,...` of the benches: expert settings of the transformer (fit.ts TransformerOptions), as
 * numbers. Takes the raw argument, or its parts when the bench has already split it on commas.
 */
export function expertSettings(raw: string | string[] | null | undefined): Record<string, number> {
  const parts = Array.isArray(raw) ? raw : (raw ?? '').split(',');
  return Object.fromEntries(parts.filter(Boolean).map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])]));
}
