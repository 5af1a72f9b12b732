import { UserError } from '../context';
import type { Rule } from './types';

const SYNTAX = "Write a rule as 'end >= start', 'end >= start + 7' (for dates, + 7 means 7 days), 'fixed: city, country', 'missing(chapter) == (death = 0)', 'missing(b) == missing(a)' or 'total = a + b'. Quote column names with spaces or symbols in backticks: `my column`.";

/** A column name: bare (trimmed) or in backticks. */
function name(s: string, rule: string): string {
  const t = s.trim();
  if (t.startsWith('`') && t.endsWith('`') && t.length >= 2) return t.slice(1, -1);
  if (t === '') throw new UserError(`Cannot read the rule "${rule}": a column name is missing.`, SYNTAX);
  return t;
}

const quote = (n: string) => (/^[\p{L}_][\p{L}\p{N}_.]*$/u.test(n) && n !== 'missing' && n !== 'fixed' ? n : '`' + n.replace(/`/g, '') + '`');

/** Reads one rule in the --rule syntax; a UserError says how to write it. */
export function parseRule(text: string): Rule {
  const s = text.trim();
  if (s === '') throw new UserError('A rule is empty.', SYNTAX);
  const fixed = /^fixed\s*:\s*(.+)$/i.exec(s);
  if (fixed) {
    const columns = splitTop(fixed[1], ',').map((c) => name(c, s));
    if (columns.length < 2) throw new UserError(`The rule "${s}" names one column; fixed combinations need two or more.`, SYNTAX);
    return { type: 'fixed', columns };
  }
  const miss = /^missing\s*\((.+?)\)\s*==?\s*(.+)$/i.exec(s);
  if (miss) {
    const column = name(miss[1], s);
    const rhs = miss[2].trim();
    const m2 = /^missing\s*\((.+)\)$/i.exec(rhs);
    if (m2) return { type: 'missing', column, when: name(m2[1], s), values: null };
    const eq = /^\((.+?)\s*==?\s*(.*)\)$/.exec(rhs);
    if (!eq) throw new UserError(`Cannot read the condition "${rhs}" of the rule "${s}".`, "Write missing(b) == (a = value) or missing(b) == (a = x|y) or missing(b) == missing(a).");
    const values = eq[2].split('|').map((v) => v.trim().replace(/^"(.*)"$/, '$1'));
    if (values.some((v) => v === '')) throw new UserError(`The rule "${s}" lists an empty value.`, 'Write missing(b) == (a = x|y).');
    return { type: 'missing', column, when: name(eq[1], s), values };
  }
  const ord = /^(.+?)\s*(>=|<=|=>|=<|≥|≤)\s*(.+?)(?:\s+([+-])\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?))?$/i.exec(s);
  if (ord) {
    const [, l, opRaw, r, sign, k] = ord;
    const op = opRaw === '=>' || opRaw === '≥' ? '>=' : opRaw === '=<' || opRaw === '≤' ? '<=' : opRaw;
    const off = k === undefined ? 0 : (sign === '-' ? -1 : 1) * Number(k);
    if (!Number.isFinite(off)) throw new UserError(`The offset of the rule "${s}" is not a number.`, SYNTAX);
    // l >= r + off; l <= r + off  <=>  r >= l - off
    return op === '>=' ? { type: 'order', greater: name(l, s), lesser: name(r, s), offset: off } : { type: 'order', greater: name(r, s), lesser: name(l, s), offset: off === 0 ? 0 : -off };
  }
  const sum = /^(.+?)\s*==?\s*(.+)$/.exec(s);
  if (sum && /\s\+\s/.test(sum[2])) {
    const parts = splitTop(sum[2], '+').map((p) => name(p, s));
    return { type: 'sum', total: name(sum[1], s), parts };
  }
  if (/[<>]/.test(s)) throw new UserError(`Cannot read the rule "${s}": only >= and <= compare columns (strict > and < are not rules Facsimile keeps).`, SYNTAX);
  throw new UserError(`Cannot read the rule "${s}".`, SYNTAX);
}

/** Split on a separator outside backticks. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inTick = false;
  for (const ch of s) {
    if (ch === '`') inTick = !inTick;
    if (ch === sep && !inTick) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The rule in the --rule syntax (parseRule(formatRule(r)) gives r back). */
export function formatRule(r: Rule): string {
  switch (r.type) {
    case 'fixed':
      return `fixed: ${r.columns.map(quote).join(', ')}`;
    case 'order':
      return `${quote(r.greater)} >= ${quote(r.lesser)}${r.offset === 0 ? '' : r.offset > 0 ? ` + ${r.offset}` : ` - ${-r.offset}`}`;
    case 'missing':
      return `missing(${quote(r.column)}) == ${r.values === null ? `missing(${quote(r.when)})` : `(${quote(r.when)} = ${r.values.join('|')})`}`;
    case 'sum':
      return `${quote(r.total)} = ${r.parts.map(quote).join(' + ')}`;
  }
}

/** The columns a rule names. */
export function ruleColumns(r: Rule): string[] {
  switch (r.type) {
    case 'fixed':
      return r.columns;
    case 'order':
      return [r.greater, r.lesser];
    case 'missing':
      return [r.column, r.when];
    case 'sum':
      return [r.total, ...r.parts];
  }
}

/** A canonical key: two rules with the same key say the same thing. */
export function ruleKey(r: Rule): string {
  if (r.type === 'fixed') return `fixed:${[...r.columns].sort().join('\u0000')}`;
  if (r.type === 'sum') return `sum:${r.total}\u0000${[...r.parts].sort().join('\u0000')}`;
  if (r.type === 'missing') return `missing:${r.column}\u0000${r.when}\u0000${r.values === null ? '' : [...r.values].sort().join('|')}`;
  return `order:${r.greater}\u0000${r.lesser}\u0000${r.offset}`;
}
