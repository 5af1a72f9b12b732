import type { Rng } from '../../../../src/core/random/rng';
import type { Engine, EngineColumns, EngineModel, ModelArrays, PreparedTable } from '../../../../src/core/synth/engine';

export interface FakeOptions {
  wobble?: number;
  shuffleFirst?: boolean;
}

/** Fitted model: each column's training values; numerics kept as Float32Array (as weights would be). */
class FakeModel implements EngineModel {
  constructor(
    readonly columns: (Float32Array | Int32Array)[],
    readonly wobble: number,
  ) {}

  async sample(n: number, rng: Rng): Promise<EngineColumns> {
    return this.columns.map((src) => {
      if (src instanceof Int32Array) return Int32Array.from({ length: n }, () => src[rng.int(src.length)]);
      return Float64Array.from({ length: n }, () => {
        const x = src[rng.int(src.length)];
        return Number.isNaN(x) ? x : x + this.wobble * rng.normal();
      });
    });
  }

  serialize(): { meta: unknown; arrays: ModelArrays } {
    const arrays: ModelArrays = {};
    this.columns.forEach((c, i) => (arrays[`c${i}`] = c));
    return { meta: { n: this.columns.length, wobble: this.wobble }, arrays };
  }
}

export const fakeEngine: Engine<FakeOptions> = {
  id: 'fake',
  async fit(data: PreparedTable, options: FakeOptions) {
    const cols = data.columns.map((c) => (c.type === 'numeric' ? Float32Array.from(c.values) : c.codes.slice()));
    return new FakeModel(cols, options.wobble ?? 0.5);
  },
  deserialize(meta, arrays) {
    const m = meta as { n: number; wobble: number };
    const cols = Array.from({ length: m.n }, (_, i) => {
      const a = arrays[`c${i}`];
      if (!(a instanceof Float32Array || a instanceof Int32Array)) throw new Error(`fake model lacks c${i}`);
      return a;
    });
    return new FakeModel(cols, m.wobble);
  },
};
