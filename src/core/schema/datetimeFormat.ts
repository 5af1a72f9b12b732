/**
 * Datetime patterns: detect how a column writes its dates, parse them to epoch milliseconds (UTC, so no
 * time-zone shifts) and write them back the same way. Tokens: YYYY, YY, MMM (Jan), MM/M (month, padded or
 * not), DD/D, HH/H, mm, ss, SSS (fraction); any other character is literal. 'ISO' means any ISO-8601 string
 * with an offset, written back with Date.toISOString().
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const DATE_PARTS = [
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'YYYY.MM.DD',
  'MM/DD/YYYY',
  'DD/MM/YYYY',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
  'DD MMM YYYY',
  'DD-MMM-YYYY',
  'MMM DD YYYY',
  'MMM DD, YYYY',
  'MM/DD/YY',
  'DD/MM/YY',
  'DD.MM.YY',
  'YYYY-MM',
];
const TIME_PARTS = ['', ' HH:mm', ' HH:mm:ss', ' HH:mm:ss.SSS', 'THH:mm', 'THH:mm:ss', 'THH:mm:ss.SSS', 'THH:mm:ssZ', 'THH:mm:ss.SSSZ'];

export const CANDIDATE_PATTERNS: string[] = DATE_PARTS.flatMap((d) => (d === 'YYYY-MM' ? [d] : TIME_PARTS.map((t) => d + t)));

const TOKEN_RE = /YYYY|YY|MMM|MM|M|DD|D|HH|H|mm|ss|SSS/g;

interface Compiled {
  re: RegExp;
  fields: string[];
  /** A char-by-char matcher equivalent to `re`, or null when the pattern needs the regex (see fastOps). */
  ops: Int32Array | null;
}

const compiled = new Map<string, Compiled>();

function compile(pattern: string): Compiled {
  let c = compiled.get(pattern);
  if (c) return c;
  const fields: string[] = [];
  let src = '^';
  let last = 0;
  for (const m of pattern.matchAll(TOKEN_RE)) {
    src += escape(pattern.slice(last, m.index));
    const t = m[0];
    fields.push(t);
    src +=
      t === 'YYYY' ? '(\\d{4})' : t === 'YY' ? '(\\d{2})' : t === 'MMM' ? '([A-Za-z]{3})' : t === 'SSS' ? '(\\d{1,9})' : t === 'mm' || t === 'ss' ? '(\\d{2})' : '(\\d{1,2})';
    last = m.index + t.length;
  }
  src += escape(pattern.slice(last)) + '$';
  c = { re: new RegExp(src), fields, ops: fastOps(pattern) };
  compiled.set(pattern, c);
  return c;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Matcher ops, three ints each: [op, a, b]. LIT: the char a. NUM: a..b digits into field f (a << 8 | f).
const OP_LIT = 0;
const OP_NUM = 1;
const OP_MON = 2;
const F_YEAR4 = 0;
const F_YEAR2 = 1;
const F_MONTH = 2;
const F_DAY = 3;
const F_HOUR = 4;
const F_MINUTE = 5;
const F_SECOND = 6;
const F_FRACTION = 7;
const EXACT_FIXED = 0;
const EXACT_UNPADDED = 1;
const EXACT_FRACTION = 2;
const EXACT_PADDED = 3;

/**
 * Set by parseDatetimeRange (fast patterns only): whether formatDatetime(result, pattern) writes exactly the
 * text that was parsed ("2020-01-05" in YYYY-MM-DD is exact, "2020-1-5" is not; nor is "jan" for MMM).
 * A column reader keeps dates as numbers only while this holds, so that it can give back the original text.
 */
export const lastDatetime = { exact: false };

/**
 * The pattern as matcher ops that read characters directly instead of running the regex and slicing groups.
 * Digit runs are taken greedily, which is what the regex does as long as every run of variable width is
 * followed by a non-digit literal or the end; other patterns (none of the detected ones) return null and use
 * the regex.
 */
function fastOps(pattern: string): Int32Array | null {
  const ops: number[] = [];
  let last = 0;
  const lit = (text: string) => {
    for (let k = 0; k < text.length; k++) ops.push(OP_LIT, text.charCodeAt(k), 0);
  };
  for (const m of pattern.matchAll(TOKEN_RE)) {
    lit(pattern.slice(last, m.index));
    const t = m[0];
    if (t === 'MMM') ops.push(OP_MON, 0, 0);
    else {
      const [min, max, field] =
        t === 'YYYY'
          ? [4, 4, F_YEAR4]
          : t === 'YY'
            ? [2, 2, F_YEAR2]
            : t === 'SSS'
              ? [1, 9, F_FRACTION]
              : t === 'mm'
                ? [2, 2, F_MINUTE]
                : t === 'ss'
                  ? [2, 2, F_SECOND]
                  : t === 'MM' || t === 'M'
                    ? [1, 2, F_MONTH]
                    : t === 'DD' || t === 'D'
                      ? [1, 2, F_DAY]
                      : [1, 2, F_HOUR];
      // How the value must be written for formatDatetime to give back the same text (see lastDatetime).
      const exact = t === 'M' || t === 'D' || t === 'H' ? EXACT_UNPADDED : t === 'SSS' ? EXACT_FRACTION : min === max ? EXACT_FIXED : EXACT_PADDED;
      ops.push(OP_NUM, (exact << 16) | (min << 8) | field, max);
    }
    last = m.index + t.length;
  }
  lit(pattern.slice(last));
  for (let k = 0; k < ops.length; k += 3) {
    if (ops[k] !== OP_NUM || ((ops[k + 1] >> 8) & 0xff) === ops[k + 2]) continue;
    const next = k + 3 < ops.length ? ops[k + 3] : -1;
    if (next === OP_NUM || (next === OP_LIT && ops[k + 4] >= 48 && ops[k + 4] <= 57)) return null;
  }
  return Int32Array.from(ops);
}

const MONTH_KEYS = MONTHS.map((m) => m.toLowerCase());
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Epoch ms for a string written in `pattern`, or NaN if it does not match or is not a real date. */
export function parseDatetime(s: string, pattern: string): number {
  return parseDatetimeRange(s, 0, s.length, pattern);
}

/** parseDatetime(text.slice(start, end), pattern) without making the slice. */
export function parseDatetimeRange(text: string, start: number, end: number, pattern: string): number {
  lastDatetime.exact = false;
  if (pattern === 'ISO') return parseDatetimeRegex(text.slice(start, end), pattern);
  const { ops } = compile(pattern);
  if (ops === null) return parseDatetimeRegex(text.slice(start, end), pattern);
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let p = start;
  let exact = true;
  for (let k = 0; k < ops.length; k += 3) {
    const op = ops[k];
    if (op === OP_LIT) {
      if (p >= end || text.charCodeAt(p) !== ops[k + 1]) return NaN;
      p++;
    } else if (op === OP_NUM) {
      const min = (ops[k + 1] >> 8) & 0xff;
      const max = ops[k + 2];
      let v = 0;
      let n = 0;
      while (n < max && p < end) {
        const c = text.charCodeAt(p);
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
        n++;
        p++;
      }
      if (n < min) return NaN;
      switch (ops[k + 1] >> 16) {
        case EXACT_FIXED:
          if ((ops[k + 1] & 0xff) === F_YEAR4 && v < 100) exact = false; // years 0-99 are read as 1900-1999
          break;
        case EXACT_UNPADDED:
          if (n === 2 && v < 10) exact = false;
          break;
        case EXACT_FRACTION:
          if (n !== 3) exact = false;
          break;
        default:
          if (n !== 2) exact = false;
      }
      switch (ops[k + 1] & 0xff) {
        case F_YEAR4:
          year = v;
          break;
        case F_YEAR2:
          year = v < 50 ? 2000 + v : 1900 + v; // the usual spreadsheet pivot
          break;
        case F_MONTH:
          month = v;
          break;
        case F_DAY:
          day = v;
          break;
        case F_HOUR:
          hour = v;
          break;
        case F_MINUTE:
          minute = v;
          break;
        case F_SECOND:
          second = v;
          break;
        default:
          // As Math.round(+('0.' + digits) * 1000): v / 10^n is the correctly rounded 0.digits.
          ms = Math.round((v / POW10[n]) * 1000);
      }
    } else {
      if (p + 3 > end) return NaN;
      const a = text.charCodeAt(p) | 32;
      const b = text.charCodeAt(p + 1) | 32;
      const c = text.charCodeAt(p + 2) | 32;
      if (!isLetter(text.charCodeAt(p)) || !isLetter(text.charCodeAt(p + 1)) || !isLetter(text.charCodeAt(p + 2))) return NaN;
      const k2 = MONTH_KEYS.findIndex((x) => x.charCodeAt(0) === a && x.charCodeAt(1) === b && x.charCodeAt(2) === c);
      if (k2 < 0) return NaN;
      month = k2 + 1;
      if (!text.startsWith(MONTHS[k2], p)) exact = false;
      p += 3;
    }
  }
  if (p !== end) return NaN;
  lastDatetime.exact = exact;
  return toEpoch(year, month, day, hour, minute, second, ms);
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function toEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
  // As Date.UTC (years 0-99 mean 1900-1999), without its cost; dates that do not exist (31 Feb) are rejected
  // where Date.UTC would roll them over into the next month.
  const y = year <= 99 ? 1900 + year : year;
  if (day > 28 && day > daysInMonth(y, month)) return NaN;
  return daysFromCivil(y, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, month: number): number {
  return month === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : MONTH_DAYS[month - 1];
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, month: number, day: number): number {
  const yy = month <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The reference implementation, by regular expression; parseDatetime gives the same results faster. */
export function parseDatetimeRegex(s: string, pattern: string): number {
  if (pattern === 'ISO') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s)) return NaN;
    return Date.parse(s);
  }
  const { re, fields } = compile(pattern);
  const m = re.exec(s);
  if (!m) return NaN;
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  for (let i = 0; i < fields.length; i++) {
    const v = m[i + 1];
    switch (fields[i]) {
      case 'YYYY':
        year = +v;
        break;
      case 'YY':
        year = +v < 50 ? 2000 + +v : 1900 + +v; // the usual spreadsheet pivot
        break;
      case 'MMM': {
        const k = MONTHS.findIndex((x) => x.toLowerCase() === v.toLowerCase());
        if (k < 0) return NaN;
        month = k + 1;
        break;
      }
      case 'MM':
      case 'M':
        month = +v;
        break;
      case 'DD':
      case 'D':
        day = +v;
        break;
      case 'HH':
      case 'H':
        hour = +v;
        break;
      case 'mm':
        minute = +v;
        break;
      case 'ss':
        second = +v;
        break;
      case 'SSS':
        ms = Math.round(+('0.' + v) * 1000);
        break;
    }
  }
  return toEpoch(year, month, day, hour, minute, second, ms);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Write epoch ms the way `pattern` says. */
export function formatDatetime(ms: number, pattern: string): string {
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms);
  if (pattern === 'ISO') return d.toISOString();
  return pattern.replace(TOKEN_RE, (t) => {
    switch (t) {
      case 'YYYY':
        return pad(d.getUTCFullYear(), 4);
      case 'YY':
        return pad(d.getUTCFullYear() % 100);
      case 'MMM':
        return MONTHS[d.getUTCMonth()];
      case 'MM':
        return pad(d.getUTCMonth() + 1);
      case 'M':
        return String(d.getUTCMonth() + 1);
      case 'DD':
        return pad(d.getUTCDate());
      case 'D':
        return String(d.getUTCDate());
      case 'HH':
        return pad(d.getUTCHours());
      case 'H':
        return String(d.getUTCHours());
      case 'mm':
        return pad(d.getUTCMinutes());
      case 'ss':
        return pad(d.getUTCSeconds());
      default:
        return pad(d.getUTCMilliseconds(), 3);
    }
  });
}

/**
 * The pattern that parses the largest share of `samples` (distinct non-missing strings), if at least
 * `minShare` of them. Month/day ambiguity is settled by the values (a 13th day rules out DD as month);
 * padding follows the data: if some months are written without a leading zero the pattern uses M.
 */
export function detectDatetimeFormat(samples: string[], minShare = 0.95): { pattern: string; share: number } | null {
  if (samples.length === 0) return null;
  // Cheap gate: dates contain digits and a separator; skip columns that clearly are not dates.
  const probe = samples.slice(0, 50);
  if (!probe.some((s) => /\d{1,4}[-/. ]\w/.test(s))) return null;
  let best: { pattern: string; share: number } | null = null;
  const isoMatches = samples.filter((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))).length;
  if (isoMatches / samples.length >= minShare) best = { pattern: 'ISO', share: isoMatches / samples.length };
  for (const pattern of CANDIDATE_PATTERNS) {
    // Quick reject on the first sample that does not match before scanning all.
    let ok = 0;
    let failed = 0;
    for (const s of samples) {
      if (Number.isNaN(parseDatetime(s, pattern))) {
        if (++failed > samples.length * (1 - minShare)) break;
      } else ok++;
    }
    const share = ok / samples.length;
    if (share >= minShare && (!best || share > best.share)) best = { pattern, share };
  }
  if (!best || best.pattern === 'ISO') return best;
  return { pattern: refinePadding(best.pattern, samples), share: best.share };
}

function refinePadding(pattern: string, samples: string[]): string {
  const { re, fields } = compile(pattern);
  const unpadded = new Set<string>();
  for (const s of samples) {
    const m = re.exec(s);
    if (!m) continue;
    fields.forEach((f, i) => {
      if ((f === 'MM' || f === 'DD' || f === 'HH') && m[i + 1].length === 1) unpadded.add(f);
    });
  }
  return pattern.replace(TOKEN_RE, (t) => (unpadded.has(t) ? t[0] : t));
}
