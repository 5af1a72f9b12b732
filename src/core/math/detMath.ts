/**
 * Deterministic exp and log: the same bits in every JavaScript engine.
 *
 * Math.exp, Math.log, Math.pow, Math.cbrt … are only "implementation-approximated" by the spec, and
 * they do differ: Node 20's V8 and Chromium 156 disagree in the last bit on ~2–10% of inputs (measured),
 * which made the same seed give different rows in the CLI and in the app. These ports of the
 * FreeBSD/fdlibm algorithms (e_exp.c, e_log.c; error < 1 ulp) use only + - * / and bit access,
 * which IEEE 754 and the spec define exactly. The synthesizers and the random generator use these;
 * a test keeps Math.exp/log/pow/… out of their code.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the high word: typed arrays use the platform's byte order (little-endian everywhere we run,
// but checked rather than assumed).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

function highWord(x: number): number {
  f64[0] = x;
  return u32[HI] | 0;
}

function fromWords(hi: number, lo: number): number {
  u32[HI] = hi >>> 0;
  u32[LO] = lo >>> 0;
  return f64[0];
}

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e0;
const TWO54 = 1.80143985094819840000e16;

const Lg1 = 6.666666666666735130e-1;
const Lg2 = 3.999999999940941908e-1;
const Lg3 = 2.857142874366239149e-1;
const Lg4 = 2.222219843214978396e-1;
const Lg5 = 1.818357216161805012e-1;
const Lg6 = 1.531383769920937332e-1;
const Lg7 = 1.479819860511658591e-1;

/** Natural logarithm, the same bits everywhere (fdlibm e_log.c). */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let k = 0;
  let hx = highWord(x);
  if (hx < 0x00100000) {
    // Subnormal: scale up into the normal range.
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // Normalise x or x/2 into [sqrt(2)/2, sqrt(2)).
  f64[0] = x;
  u32[HI] = (hx | (i ^ 0x3ff00000)) >>> 0;
  const xr = f64[0];
  k += i >> 20;
  const f = xr - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : k * LN2_HI - (R - k * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  let ii = hx - 0x6147a;
  const w = z * z;
  const jj = 0x6b851 - hx;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  ii |= jj;
  const R = t2 + t1;
  if (ii > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - R) : k * LN2_HI - (s * (f - R) - k * LN2_LO - f);
}

const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const TWOM1000 = 9.33263618503218878990e-302; // 2^-1000

/** e^x, the same bits everywhere (fdlibm e_exp.c). */
export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > O_THRESHOLD) return Infinity;
  if (x < U_THRESHOLD) return 0;
  if (x === 0) return 1;
  let hi = 0;
  let lo = 0;
  let k = 0;
  const ax = Math.abs(x);
  if (ax > 0.5 * 0.6931471805599453) {
    // Argument reduction: x = k*ln2 + r, |r| <= ln2/2.
    k = ax < 1.5 * 0.6931471805599453 ? (x < 0 ? -1 : 1) : Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
    x = hi - lo;
  } else if (ax < 3.725290298461914e-9) {
    return 1 + x; // |x| < 2^-28
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - (lo - (x * c) / (2.0 - c) - hi);
  if (k >= -1021) {
    // Multiply by 2^k through the exponent bits (exact).
    f64[0] = y;
    const yhi = u32[HI];
    if (k === 1024) return y * 2 * fromWords(0x7fe00000, 0);
    return fromWords(yhi + (k << 20), u32[LO]);
  }
  f64[0] = y;
  return fromWords(u32[HI] + ((k + 1000) << 20), u32[LO]) * TWOM1000;
}

const INV_LN2_DIV = 1 / 0.6931471805599453;

/** log base 2 (as log(x)/ln 2: deterministic, within a couple of ulps). */
export function log2(x: number): number {
  return log(x) * INV_LN2_DIV;
}

/** x^y for x > 0 (as exp(y log x): deterministic; relative error grows with |y log x|, ~1e-15 here). */
export function pow(x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 0) return y > 0 ? 0 : Infinity;
  if (x < 0 || Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return exp(y * log(x));
}

/** Cube root of any real number (deterministic). */
export function cbrt(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const r = pow(Math.abs(x), 1 / 3);
  return x < 0 ? -r : r;
}

/** e^-i for whole i to 745 (past which e^x is 0 in doubles), and e^(-j/256) for j < 256, from exp. */
const EXP_WHOLE = Float64Array.from({ length: 746 }, (_, i) => exp(-i));
const EXP_FRAC = Float64Array.from({ length: 256 }, (_, j) => exp(-j / 256));

/**
 * e^x for x <= 0 (and NaN): e^-i · e^(-j/256) · e^-r with r in [0, 1/256), the last by its Taylor series
 * to r^5 (error < 1e-17 beside the tables' last bits). Only + - * and truncation, so the same bits in
 * every engine, like exp, at a fraction of its cost (the transformer's softmax runs it for every sampled token).
 */
export function expNonPositive(x: number): number {
  if (!(x <= 0)) return Number.isNaN(x) ? NaN : exp(x);
  const y = -x;
  if (y >= 745) return 0;
  const k = (y * 256) | 0; // exact scaling; y >= 0, so truncation is floor
  const r = y - k / 256; // exact (Sterbenz)
  return EXP_WHOLE[k >> 8] * EXP_FRAC[k & 255] * (1 - r * (1 - r * (1 / 2 - r * (1 / 6 - r * (1 / 24 - r * (1 / 120))))));
}
