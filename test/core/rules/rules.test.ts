import { describe, expect, it } from 'vitest';
import { countRule, discoverRules, formatRule, parseRule, rulesForFit, validateRules, type Rule } from '../../../src/core/rules';
import type { Schema } from '../../../src/core/schema/schema';
import type { Table } from '../../../src/core/table/table';
import { planted } from './planted';

describe('rule syntax', () => {
  it('reads each kind and writes it back', () => {
    const cases: [string, Rule][] = [
      ['end >= start', { type: 'order', greater: 'end', lesser: 'start', offset: 0 }],
      ['end >= start + 7', { type: 'order', greater: 'end', lesser: 'start', offset: 7 }],
      ['start <= end', { type: 'order', greater: 'end', lesser: 'start', offset: 0 }],
      ['start <= end - 2', { type: 'order', greater: 'end', lesser: 'start', offset: 2 }],
      ['fixed: city, country', { type: 'fixed', columns: ['city', 'country'] }],
      ['missing(chapter) == (death = 0)', { type: 'missing', column: 'chapter', when: 'death', values: ['0'] }],
      ['missing(chapter) == (status = dead|lost)', { type: 'missing', column: 'chapter', when: 'status', values: ['dead', 'lost'] }],
      ['missing(b) == missing(a)', { type: 'missing', column: 'b', when: 'a', values: null }],
      ['total = a + b', { type: 'sum', total: 'total', parts: ['a', 'b'] }],
      ['`my total` = `part one` + b', { type: 'sum', total: 'my total', parts: ['part one', 'b'] }],
    ];
    for (const [text, rule] of cases) {
      expect(parseRule(text)).toEqual(rule);
      expect(parseRule(formatRule(rule))).toEqual(rule);
    }
  });

  it('says how to write a rule it cannot read', () => {
    expect(() => parseRule('end > start')).toThrow(/only >= and <=/);
    expect(() => parseRule('fixed: city')).toThrow(/two or more/);
    expect(() => parseRule('whatever')).toThrow(/Cannot read the rule/);
  });
});

describe('rule checks before fitting', () => {
  const schema: Schema = {
    columns: [
      { name: 'start', kind: 'datetime', role: 'synthesize', pii: [] },
      { name: 'end', kind: 'datetime', role: 'synthesize', pii: [] },
      { name: 'x', kind: 'numeric', role: 'synthesize', pii: [] },
      { name: 'city', kind: 'categorical', role: 'synthesize', pii: [] },
      { name: 'country', kind: 'categorical', role: 'synthesize', pii: [] },
      { name: 'death', kind: 'integer', role: 'synthesize', pii: [] },
    ],
  };
  const check = (...texts: string[]) => () => validateRules(texts.map(parseRule), schema);
  it('names an unknown column, with the near names', () => {
    expect(check('ends >= start')).toThrow(/"ends", which is not a column/);
    try {
      check('ends >= start')();
    } catch (e) {
      expect((e as { hint?: string }).hint).toMatch(/"end"/);
    }
  });
  it('refuses rules that do not suit the columns', () => {
    expect(check('fixed: city, x')).toThrow(/fixed combinations are of categories/);
    expect(check('end >= city')).toThrow(/compares numbers or dates/);
    expect(check('end >= x')).toThrow(/date with a number/);
    expect(check('missing(x) == (death = alive)')).toThrow(/not one/);
  });
  it('finds rules that contradict each other', () => {
    expect(check('end >= start + 1', 'start >= end')).toThrow(/contradict/);
    expect(check('end >= start', 'start >= end')).not.toThrow(); // equal columns are possible
    expect(check('missing(x) == missing(end)', 'missing(x) == (death = 1)')).toThrow(/contradict/);
  });
});

function breakRow(t: Table, name: string, row: number, value: number | string): Table {
  return {
    nRows: t.nRows,
    columns: t.columns.map((c) => {
      if (c.name !== name) return c;
      if (c.type === 'numeric') {
        const v = c.values.slice();
        v[row] = value as number;
        return { ...c, values: v };
      }
      const codes = c.codes.slice();
      codes[row] = typeof value === 'number' ? value : c.levels.indexOf(value);
      return { ...c, codes };
    }),
  };
}

describe('rules found in the data', () => {
  it('finds each planted rule, exact, and checks it', async () => {
    const { table, schema } = await planted();
    const found = discoverRules(table, schema);
    const texts = found.map((f) => f.text);
    expect(texts).toContain('fixed: city, country');
    expect(texts).toContain('end >= start');
    expect(texts).toContain('missing(chapter) == (death = 0)');
    expect(texts).toContain('total = a + b');
    // Orders that follow from the sum are not proposed.
    expect(texts).not.toContain('total >= a');
    for (const f of found) {
      expect(f.exact).toBe(true);
      expect(countRule(f.rule, table, table, schema)).toEqual({ applies: f.rows, obeyed: f.rows });
    }
  });

  it('shows a rule broken in a few rows as almost (off by default), and one broken often not at all', async () => {
    const { table, schema } = await planted(800);
    const country = table.columns.find((c) => c.name === 'country')!;
    const city = table.columns.find((c) => c.name === 'city')! as Table['columns'][number] & { type: 'categorical' };
    const paris = city.codes.indexOf(city.levels.indexOf('Paris'));
    let t = breakRow(table, 'country', paris, 'Spain');
    const end = t.columns.find((c) => c.name === 'end')! as { values: Float64Array };
    t = breakRow(t, 'end', 3, end.values[3] - 400 * 86_400_000);
    const found = discoverRules(t, schema);
    const fixed = found.find((f) => f.text === 'fixed: city, country');
    expect(fixed?.exact).toBe(false);
    expect(fixed?.share).toBeGreaterThanOrEqual(0.995);
    expect(found.some((f) => f.text === 'end >= start')).toBe(false);
    const kept = rulesForFit(t, schema).map((k) => k.text);
    expect(kept).not.toContain('fixed: city, country');
    expect(rulesForFit(t, { ...schema, rules: { on: ['fixed: city, country'] } }).map((k) => k.text)).toContain('fixed: city, country');
    expect(rulesForFit(t, { ...schema, rules: { off: ['total = a + b'] } }).map((k) => k.text)).not.toContain('total = a + b');
    expect(rulesForFit(t, schema, 'none')).toEqual([]);
    void country;
  });

  it('finds nothing in independent columns', async () => {
    const { table, schema } = await planted(400);
    const only = { ...schema, columns: schema.columns.map((c) => ({ ...c, role: ['price', 'size', 'a', 'b'].includes(c.name) ? c.role : ('keep-out' as const) })) };
    expect(discoverRules(table, only).filter((f) => f.rule.type !== 'order')).toEqual([]);
  });

  it('declared rules come first and are checked against the schema', async () => {
    const { table, schema } = await planted(300);
    const s = { ...schema, rules: { declared: ['end >= start + 0', 'size <= price'] } };
    const kept = rulesForFit(table, s);
    expect(kept.slice(0, 2).map((k) => k.source)).toEqual(['declared', 'declared']);
    expect(kept.filter((k) => k.text === 'end >= start')).toHaveLength(1);
    expect(() => rulesForFit(table, { ...schema, rules: { declared: ['ends >= start'] } })).toThrow(/not a column/);
  });
});
