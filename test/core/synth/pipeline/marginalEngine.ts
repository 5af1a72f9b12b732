import type { Engine, EngineColumns, EngineModel, PreparedTable } from '../../../../src/core/synth/engine';
import type { Rng } from '../../../../src/core/random/rng';
import { throwIfAborted } from '../../../../src/core/context';

/**
 * A deliberately trivial engine for pipeline tests: each column drawn independently from its
 * training values (missing included), conditions ignored (the pipeline rejects rows that miss).
 * `jitter` adds noise to numerics so that bounds and rounding have something to do.
 */
export function marginalEngine(jitter = 0): Engine<{ copyRows?: boolean }> {
  function model(columns: (Float64Array | Int32Array)[], copyRows: boolean): EngineModel {
    return {
      async sample(n: number, rng: Rng): Promise<EngineColumns> {
        const out = columns.map((c) => (c instanceof Float64Array ? new Float64Array(n) : new Int32Array(n)));
        for (let i = 0; i < n; i++) {
          const shared = rng.int(columns[0].length);
          for (let c = 0; c < columns.length; c++) {
            const src = columns[c];
            const x = src[copyRows ? shared : rng.int(src.length)];
            out[c][i] = src instanceof Float64Array && jitter > 0 && !Number.isNaN(x) ? x + jitter * rng.normal() : x;
          }
        }
        return out;
      },
      serialize() {
        const arrays: Record<string, Float64Array | Int32Array> = {};
        columns.forEach((c, i) => (arrays[`c${i}`] = c));
        return { meta: { n: columns.length, copyRows }, arrays };
      },
    };
  }
  return {
    id: 'copula',
    async fit(data: PreparedTable, options, ctx) {
      throwIfAborted(ctx.signal);
      ctx.onProgress?.({ phase: 'fitting', fraction: 0.5 });
      const cols = data.columns.map((c) => (c.type === 'numeric' ? c.values.slice() : c.codes.slice()));
      return model(cols, options.copyRows ?? false);
    },
    deserialize(meta, arrays) {
      const m = meta as { n: number; copyRows: boolean };
      return model(Array.from({ length: m.n }, (_, i) => arrays[`c${i}`] as Float64Array | Int32Array), m.copyRows);
    },
  };
}
