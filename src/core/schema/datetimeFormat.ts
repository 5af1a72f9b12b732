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
  c = { re: new RegExp(src), fields };
  compiled.set(pattern, c);
  return c;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Epoch ms for a string written in `pattern`, or NaN if it does not match or is not a real date. */
export function parseDatetime(s: string, pattern: string): number {
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
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 Feb over into March: reject dates that do not exist.
  const d = new Date(t);
  if (d.getUTCDate() !== day || d.getUTCMonth() !== month - 1) return NaN;
  return t;
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
