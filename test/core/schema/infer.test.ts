import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import { detectDatetimeFormat, formatDatetime, parseDatetime } from '../../../src/core/schema/datetimeFormat';
import { detectPii, luhn, piiOfValue, validIban } from '../../../src/core/schema/pii';
import type { NumericColumn } from '../../../src/core/table/table';

const load = (s: string) => ingestBlob(new Blob([s]), { fileName: 't.csv' });

describe('datetime formats', () => {
  it('detects, parses and writes back common patterns', () => {
    const cases: [string[], string][] = [
      [['2021-03-04', '2021-12-31'], 'YYYY-MM-DD'],
      [['03/04/2021', '12/31/2021'], 'MM/DD/YYYY'],
      [['04/03/2021', '31/12/2021'], 'DD/MM/YYYY'],
      [['4/3/2021', '31/12/2021'], 'D/M/YYYY'],
      [['31.12.2021 23:59', '01.01.2022 00:00'], 'DD.MM.YYYY HH:mm'],
      [['2021-03-04T10:11:12Z', '2021-03-05T00:00:00Z'], 'YYYY-MM-DDTHH:mm:ssZ'],
      [['Jan 05 2020', 'Dec 31 1999'], 'MMM DD YYYY'],
    ];
    for (const [values, pattern] of cases) {
      expect(detectDatetimeFormat(values, 1)?.pattern).toBe(pattern);
      for (const v of values) expect(formatDatetime(parseDatetime(v, pattern), pattern)).toBe(v);
    }
  });

  it('rejects impossible dates and non-dates', () => {
    expect(parseDatetime('2021-02-30', 'YYYY-MM-DD')).toBeNaN();
    expect(detectDatetimeFormat(['apple', 'pear'], 1)).toBeNull();
    expect(detectDatetimeFormat(['12', '13'], 1)).toBeNull();
  });

  it('ingest stores datetimes as epoch ms and keeps the pattern with offsets as ISO', async () => {
    const r = await load('when,n\n2020-01-02T03:04:05+02:00,1\n2020-01-03T00:00:00-05:00,2\n');
    expect(r.schema.columns[0]).toMatchObject({ kind: 'datetime', format: { datetime: 'ISO' } });
    expect((r.table.columns[0] as NumericColumn).values[0]).toBe(Date.UTC(2020, 0, 2, 1, 4, 5));
  });
});

describe('kinds', () => {
  it('infers integer, numeric, boolean, categorical, text and id', async () => {
    const rows = ['key,count,price,flag,colour,comment'];
    for (let i = 0; i < 40; i++) {
      rows.push(`K-${1000 + i},${i % 7},${(i * 1.25).toFixed(2)},${i % 3 ? 'Yes' : 'No'},${['red', 'green', 'blue'][i % 3]},"This is a longer free-text remark number ${i} about the order"`);
    }
    const r = await load(rows.join('\n'));
    expect(Object.fromEntries(r.schema.columns.map((c) => [c.name, c.kind]))).toEqual({
      key: 'id',
      count: 'integer',
      price: 'numeric',
      flag: 'boolean',
      colour: 'categorical',
      comment: 'text',
    });
    expect(r.schema.columns[0].role).toBe('generate-key');
    expect(r.schema.columns[2].format).toEqual({ decimals: 2, padded: true }); // every price had two decimals
  });

  it('keeps leading zeros and long digit strings as text', async () => {
    const r = await load('code,card\n007,4111111111111111\n012,5500005555555559\n');
    expect(r.schema.columns.map((c) => c.kind)).toEqual(['categorical', 'categorical']);
  });
});

describe('PII hints', () => {
  it('checks values strictly', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(validIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(validIban('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(piiOfValue('ann@example.org')).toBe('email');
    expect(piiOfValue('123-45-6789')).toBe('national-id');
    expect(piiOfValue('192.168.0.1')).toBe('ip-address');
    expect(piiOfValue('999.1.1.1')).toBeNull();
    expect(piiOfValue('+47 912 34 567')).toBe('phone');
    expect(piiOfValue('SW1A 1AA')).toBe('postcode');
    expect(piiOfValue('2021-03-04')).toBeNull();
    expect(piiOfValue('12.5')).toBeNull();
  });

  it('flags columns by header and by values, with the share', () => {
    expect(detectPii('Customer Email', []).map((h) => h.kind)).toEqual(['email']);
    expect(detectPii('last_name', [])[0]).toMatchObject({ kind: 'person-name', source: 'name' });
    expect(detectPii('contact', ['a@b.io', 'c@d.com', 'none'])[0]).toMatchObject({ kind: 'email', source: 'values' });
    expect(detectPii('species', ['Adelie', 'Gentoo'])).toEqual([]);
  });

  it('ingest attaches hints to the schema without dropping the column', async () => {
    const r = await load('name,card,ip\nAnn,4111 1111 1111 1111,10.0.0.1\nBob,5500 0055 5555 5559,10.0.0.2\n');
    expect(r.schema.columns.map((c) => c.pii.map((p) => p.kind))).toEqual([['person-name'], ['credit-card'], ['ip-address']]);
    expect(r.table.columns).toHaveLength(3);
  });
});
