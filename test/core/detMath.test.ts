import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cbrt, exp, expNonPositive, log, log2, pow } from '../../src/core/math/detMath';
import { Rng } from '../../src/core/random/rng';

/** Distance in units in the last place. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const buf = new Float64Array([a, b]);
  const big = new BigInt64Array(buf.buffer);
  const d = big[0] - big[1];
  return Number(d < 0n ? -d : d);
}

describe('deterministic exp/log', () => {
  it('agree with Math.exp and Math.log within 1 ulp over a wide range', () => {
    const r = new Rng(1);
    let worstExp = 0, worstLog = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = (r.next() - 0.5) * 1400; // exp's whole finite range
      worstExp = Math.max(worstExp, ulps(exp(x), Math.exp(x)));
      const y = Math.pow(10, (r.next() - 0.5) * 600);
      worstLog = Math.max(worstLog, ulps(log(y), Math.log(y)));
      const z = r.next() * 4;
      worstLog = Math.max(worstLog, ulps(log(z), Math.log(z)));
    }
    expect(worstExp).toBeLessThanOrEqual(1);
    expect(worstLog).toBeLessThanOrEqual(1);
  });

  it('handle the special values as Math does', () => {
    for (const x of [0, -0, 1, -1, Infinity, -Infinity, NaN, 5e-324, 1e-310, 709.78, 709.79, -745.1, -745.2, 1e-20, -1e-20]) {
      expect(Object.is(exp(x), Math.exp(x)) || ulps(exp(x), Math.exp(x)) <= 1).toBe(true);
      expect(Object.is(log(x), Math.log(x)) || ulps(log(x), Math.log(x)) <= 1).toBe(true);
    }
  });

  it('pow, log2 and cbrt stay within a few ulps', () => {
    const r = new Rng(2);
    for (let i = 0; i < 20_000; i++) {
      const x = r.next() * 1e4 + 1e-9;
      expect(Math.abs(pow(x, -0.2) / Math.pow(x, -0.2) - 1)).toBeLessThan(1e-14);
      expect(Math.abs(log2(x) - Math.log2(x))).toBeLessThan(1e-13 * Math.max(1, Math.abs(Math.log2(x))));
      expect(Math.abs(cbrt(-x) / Math.cbrt(-x) - 1)).toBeLessThan(1e-14);
    }
  });

  it('are pinned: the same bits as recorded, whatever the engine', () => {
    const bits = (v: number) => new BigUint64Array(new Float64Array([v]).buffer)[0].toString(16);
    expect([exp(0.1), exp(-3.7), exp(123.456), log(0.1), log(7), log(1e300)].map(bits)).toEqual(PINNED);
  });
});

// Engine-varying Math functions stay out of the code that draws synthetic rows.
describe('no engine-dependent Math in generation code', () => {
  it('src/core/synth and src/core/random use detMath', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
            if (/(?<![\w.])Math\.(exp|expm1|log|log2|log10|log1p|pow|cbrt|hypot|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh)\b|[\w)\]]\s*\*\*\s*[\w(.-]/.test(code))
              offenders.push(`${p}:${i + 1}`);
          });
        }
      }
    };
    const root = resolve(__dirname, '../../src/core');
    walk(join(root, 'synth'));
    walk(join(root, 'random'));
    expect(offenders).toEqual([]);
  });
});

const PINNED = ["3ff1aec7b35a00d4", "3f99511fc6871044", "4b11428e1cbc0143", "c0026bb1bbb55515", "3fff2272ae325a57", "4085963447f87fb5"];

describe('expNonPositive', () => {
  it('matches exp to the last bits and is 0 past the double range', () => {
    const rng = new Rng(7);
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const x = -rng.next() * (i % 2 ? 40 : 700); // (further down, subnormal results keep fewer bits)
      worst = Math.max(worst, Math.abs(expNonPositive(x) - exp(x)) / exp(x));
    }
    expect(worst).toBeLessThan(2e-15);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-745)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(Number.isNaN(expNonPositive(NaN))).toBe(true);
  });
});
