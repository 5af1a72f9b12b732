import { describe, expect, it } from 'vitest';
import { CANDIDATE_PATTERNS, formatDatetime, lastDatetime, parseDatetime, parseDatetimeRange, parseDatetimeRegex } from '../../../src/core/schema/datetimeFormat';
import { decimalsOf, lastNumber, parseNumber, parseNumberRange } from '../../../src/core/schema/numbers';
import { Rng } from '../../../src/core/random/rng';

/** The range parsers read fields in place (no slices); they must agree with the string versions exactly. */
describe('parseNumberRange = parseNumber on the slice', () => {
  it('on hand-picked and random fields', () => {
    const rng = new Rng(3);
    const picked = ['0', '-0', '+0', '00', '007', '0.5', '.5', '-.5', '5.', '.', '-', '+', '1e5', '1E-3', '0x10', '12 ', ' 12', '1,5', '123456789012345', '1234567890123456', '12345678901234.5', '0.000000000000001', '9007199254740993', '1.5.2', 'NaN', 'Infinity', '-12.340', '99999999999999.99', '3.141592653589793', '1.7976931348623157e308'];
    const chars = '0123456789.-+eE x';
    const random = Array.from({ length: 20000 }, () => Array.from({ length: 1 + rng.int(18) }, () => chars[rng.int(rng.next() < 0.8 ? 11 : chars.length)]).join(''));
    const mismatches: unknown[] = [];
    for (const s of [...picked, ...random]) {
      const text = `;${s};`;
      const got = parseNumberRange(text, 1, 1 + s.length);
      const want = parseNumber(s);
      if (!Object.is(got, want)) mismatches.push({ s, got, want });
      else if (!Number.isNaN(want) && lastNumber.decimals !== (s.indexOf('.') >= 0 ? decimalsOf(s) : 0)) mismatches.push({ s, decimals: lastNumber.decimals });
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

describe('parseDatetime (char by char) = the regex reference, and Date.UTC', () => {
  it('on random strings in and out of each pattern', () => {
    const rng = new Rng(9);
    const patterns = [...CANDIDATE_PATTERNS, 'D/M/YYYY H:mm', 'M/D/YY', 'YYYY-M-D', 'DD.MM.YYYY HH:mm:ss.SSS', 'YYYYMMDD', 'HHmm', 'MMM D, YYYY', 'D-MMM-YY'];
    const field = (t: string): string => {
      switch (t) {
        case 'YYYY':
          return String(rng.next() < 0.05 ? rng.int(100) : 1800 + rng.int(400)).padStart(4, '0');
        case 'YY':
          return String(rng.int(100)).padStart(2, '0');
        case 'MMM':
          return ['Jan', 'feb', 'MAR', 'Sep', 'Dec', 'Foo'][rng.int(6)];
        case 'SSS':
          return String(rng.int(10 ** (1 + rng.int(9)))).padStart(1 + rng.int(4), '0');
        default: {
          const v = rng.int(rng.next() < 0.1 ? 100 : 32);
          return rng.next() < 0.5 ? String(v) : String(v).padStart(2, '0');
        }
      }
    };
    let parsed = 0;
    const mismatches: unknown[] = [];
    for (const pattern of patterns) {
      for (let i = 0; i < 1000; i++) {
        const source = rng.next() < 0.8 ? pattern : patterns[rng.int(patterns.length)];
        const s = source.replace(/YYYY|YY|MMM|MM|M|DD|D|HH|H|mm|ss|SSS/g, field) + (rng.next() < 0.03 ? 'x' : '');
        const got = parseDatetime(s, pattern);
        if (!Object.is(got, parseDatetimeRegex(s, pattern))) mismatches.push({ s, pattern, got });
        const inText = parseDatetimeRange(`"${s}"`, 1, 1 + s.length, pattern);
        if (!Object.is(inText, got)) mismatches.push({ s, pattern, inText });
        if (!Number.isNaN(got)) {
          parsed++;
          // Exact means formatDatetime writes the very same text back.
          if (lastDatetime.exact && formatDatetime(got, pattern) !== s) mismatches.push({ s, pattern, exact: formatDatetime(got, pattern) });
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(parsed).toBeGreaterThan(20_000);
  });

  it('gives Date.UTC for real dates, and NaN for days a month does not have', () => {
    const rng = new Rng(4);
    for (let i = 0; i < 20000; i++) {
      const [y, mo, d, h, mi, s, ms] = [rng.int(10000), 1 + rng.int(12), 1 + rng.int(31), rng.int(24), rng.int(60), rng.int(60), rng.int(1000)];
      const text = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
      const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
      const real = new Date(t).getUTCDate() === d;
      expect({ text, got: parseDatetime(text, 'YYYY-MM-DDTHH:mm:ss.SSS') }).toEqual({ text, got: real ? t : NaN });
    }
  });
});
