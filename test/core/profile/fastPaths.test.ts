import { describe, expect, it } from 'vitest';
import { profileColumn } from '../../../src/core/profile/columnStats';
import { sortFloat64, sortedPresent } from '../../../src/core/stats/sortPresent';
import { Rng } from '../../../src/core/random/rng';
import { categoricalColumn } from '../../../src/core/table/table';

describe('sortedPresent (radix sort) = filter NaN + Float64Array.prototype.sort', () => {
  it('element for element, -0 before 0, on small and large columns of every shape', () => {
    const rng = new Rng(1);
    const shapes: ((i: number) => number)[] = [
      () => rng.int(100) - 20,
      () => (rng.next() - 0.5) * 1e6,
      () => Date.UTC(2015, 0, 1) + rng.int(3000) * 86_400_000,
      (i) => [0, -0, Infinity, -Infinity, 5e-324, -5e-324, rng.next() * 1e300, -rng.next(), NaN][i % 9],
      () => 42,
    ];
    for (const n of [0, 1, 17, 4095, 4096, 50_000]) {
      for (const shape of shapes) {
        const values = Float64Array.from({ length: n }, (_, i) => (rng.next() < 0.05 ? NaN : shape(i)));
        const want = values.filter((v) => !Number.isNaN(v)).sort();
        const got = sortedPresent(values);
        expect(got.length).toBe(want.length);
        let same = true;
        for (let i = 0; i < want.length && same; i++) same = Object.is(got[i], want[i]);
        expect(same).toBe(true);
      }
    }
    expect(Array.from(sortFloat64(Float64Array.from({ length: 5000 }, (_, i) => (i % 2 ? 0 : -0))).slice(0, 2)).map((v) => Object.is(v, -0))).toEqual([true, true]);
  });
});

describe('profileColumn top values = the first 20 of all levels sorted by count, then by level', () => {
  it('on random categorical columns', () => {
    const rng = new Rng(2);
    for (let t = 0; t < 500; t++) {
      const nLevels = 1 + rng.int(80);
      const levels = Array.from({ length: nLevels }, (_, k) => `l${k}`);
      const codes = Int32Array.from({ length: rng.int(400) }, () => (rng.next() < 0.1 ? -1 : Math.floor(rng.next() ** 2 * nLevels)));
      const p = profileColumn(categoricalColumn('x', codes, levels), { name: 'x', kind: 'categorical', role: 'synthesize', pii: [] }, {});
      const counts = new Int32Array(nLevels);
      for (const c of codes) if (c >= 0) counts[c]++;
      const order = [...counts.keys()].filter((k) => counts[k] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
      expect(p.topValues).toEqual(order.slice(0, 20).map((k) => ({ value: levels[k], count: counts[k] })));
    }
  });
});
