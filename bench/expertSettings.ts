/** `--set k=v,...` of the benches: expert settings of the transformer (fit.ts TransformerOptions), as numbers. */
export function expertSettings(raw: string | undefined): Record<string, number> {
  return Object.fromEntries((raw ?? '').split(',').filter(Boolean).map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])]));
}
