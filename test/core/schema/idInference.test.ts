import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../src/core/ingest/ingest';
import type { IngestResult } from '../../../src/core/ingest/types';
import { idName } from '../../../src/core/schema/infer';
import { Rng } from '../../../src/core/random/rng';
import { DATA_DIR } from '../../fixtures/dataDir';

/** Integer identifiers (named as keys, or long near-unique digit strings) are ids; measurements are not. */
async function generated(): Promise<IngestResult> {
  const rng = new Rng(11);
  const header = ['user_id', 'tweet_id_str', 'customerID', 'account', 'code', 'income', 'visits', 'population', 'year'];
  const lines = [header.join(',')];
  for (let i = 0; i < 400; i++) {
    const userId = i === 7 || i === 300 ? '' : String(i === 9 ? 8 : 1000 + i); // 2 missing, 1 repeat
    const tweet = i === 5 ? '' : `1${String(123456789012345678n + BigInt(i * 7919)).padStart(18, '0')}`;
    const customer = String(50 + i + (i % 100 === 0 ? 1 : 0)); // a few repeats, still >= 95% distinct
    const account = String(40_000_000 + i * 37 + rng.int(30)); // 8 digits, unique, no name hint
    const code = i === 3 ? 'NA' : String(i * 13).padStart(9, '0'); // leading zeros: text
    const income = (20_000 + rng.next() * 80_000).toFixed(2);
    const visits = String(rng.int(12));
    const population = String(Math.round(10 ** (3 + 6 * rng.next()))); // spans magnitudes
    const year = String(1990 + rng.int(30));
    lines.push([userId, tweet, customer, account, code, income, visits, population, year].join(','));
  }
  return ingestBlob(new Blob([lines.join('\n') + '\n']), { fileName: 'ids.csv' });
}

describe('integer identifiers are ids', () => {
  it('by name (user_id, *_id_str, camelCase ID) or by long near-unique digits; measurements keep their kind', async () => {
    const r = await generated();
    const kinds = Object.fromEntries(r.schema.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      user_id: 'id',
      tweet_id_str: 'id',
      customerID: 'id',
      account: 'id',
      code: 'id',
      income: 'numeric',
      visits: 'integer',
      population: 'integer',
      year: 'integer',
    });
    for (const c of r.schema.columns) if (c.kind === 'id') expect(c.role).toBe('generate-key');
    // Numeric-looking ids are stored as their written labels (categorical codes), missing as -1.
    const user = r.table.columns[0];
    expect(user.type).toBe('categorical');
    if (user.type !== 'categorical') return;
    expect(user.levels[user.codes[0]]).toBe('1000');
    expect(user.codes[7]).toBe(-1);
    expect(user.levels[user.codes[9]]).toBe('8');
    const account = r.table.columns[3];
    expect(account.type === 'categorical' && account.levels[account.codes[0]]).toMatch(/^400000\d\d$/);
  });

  it('a key-named column with many repeats (a foreign key) stays integer', async () => {
    const lines = ['order_id,customer_id'];
    for (let i = 0; i < 200; i++) lines.push(`${5000 + i},${i % 40}`);
    const r = await ingestBlob(new Blob([lines.join('\n')]), { fileName: 'orders.csv' });
    expect(r.schema.columns.map((c) => c.kind)).toEqual(['id', 'integer']);
  });

  it('a 6-digit near-unique integer with decimals elsewhere, or small, is not an id', async () => {
    const lines = ['amount,small'];
    for (let i = 0; i < 100; i++) lines.push(`${100000 + i * 3}${i === 50 ? '.5' : ''},${10000 + i}`);
    const r = await ingestBlob(new Blob([lines.join('\n')]), { fileName: 'm.csv' });
    expect(r.schema.columns.map((c) => c.kind)).toEqual(['numeric', 'integer']);
  });

  it('recognises key names', () => {
    for (const n of ['id', 'ID', 'user_id', 'tweet_id_str', 'userID', 'orderId', 'uuid', 'row_key']) expect(idName(n), n).toBe(true);
    for (const n of ['valid', 'PAID', 'android', 'idle', 'width', 'grid', 'income']) expect(idName(n), n).toBe(false);
  });

  it('penguins keeps its kinds', async () => {
    const r = await ingestBlob(new Blob([readFileSync(path.join(DATA_DIR, 'penguins.csv'))]), { fileName: 'penguins.csv' });
    expect(r.schema.columns.map((c) => c.kind)).toEqual(['categorical', 'categorical', 'numeric', 'numeric', 'integer', 'integer', 'categorical', 'integer']);
  });
});

describe('long near-unique integers named like measurements or times stay numbers', () => {
  it('epoch seconds, amounts in cents and byte sizes are not ids; an account number is', async () => {
    const lines = ['created_utc,amount_cents,fileBytes,createdAt,account_no'];
    for (let i = 0; i < 100; i++) lines.push(`${1_577_836_800 + i * 3607},${123_456 + i * 917},${2_000_000 + i * 4099},${1_600_000_000 + i * 61},${70_000_000 + i * 13}`);
    const r = await ingestBlob(new Blob([lines.join('\n')]), { fileName: 'm.csv' });
    expect(r.schema.columns.map((c) => c.kind)).toEqual(['integer', 'integer', 'integer', 'integer', 'id']);
  });
});
