import { describe, expect, it } from 'vitest';
import { ingestBlob } from '../../../../src/core/ingest/ingest';
import { Rng } from '../../../../src/core/random/rng';
import { roleReason } from '../../../../src/core/schema/roles';
import type { Schema } from '../../../../src/core/schema/schema';
import { deserializeModel, loadSynthesizer } from '../../../../src/core/synth/registry';
import { createSynthesizer } from '../../../../src/core/synth/pipeline';
import { getColumn, type CategoricalColumn, type Table } from '../../../../src/core/table/table';
import { chooseFakeLocale } from '../../../../src/core/synth/pipeline/fakes';
import { marginalEngine } from './marginalEngine';

// Common first and last names (faker's en_US lists have them too, so some fakes must be redrawn).
const FIRST = ['John', 'Mary', 'James', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Wilson', 'Anderson'];
const CITIES = ['Springfield', 'Riverside', 'Fairview', 'Madison'];

function peopleCsv(n = 240, phonePrefix = '+1 555'): string {
  const rows = ['customer_id,first_name,last_name,email,phone,age,city,notes'];
  for (let i = 0; i < n; i++) {
    const f = FIRST[(i * 7) % FIRST.length];
    const l = LAST[(i * 5 + 3) % LAST.length];
    const email = i % 17 === 0 ? '' : `${f}.${l}${i}@example.com`.toLowerCase();
    const phone = `${phonePrefix} ${String(100 + ((i * 37) % 900))} ${String(1000 + ((i * 7919) % 9000))}`;
    const note = `Called on day ${i} about the order of ${f}; follow up with ${l} next week please`;
    rows.push(`C${String(i + 1).padStart(5, '0')},${f},${l},${email},${phone},${20 + ((i * 13) % 50)},${CITIES[i % 4]},"${note}"`);
  }
  return rows.join('\n');
}

async function ingest(csv: string): Promise<{ table: Table; schema: Schema }> {
  const { table, schema } = await ingestBlob(new Blob([csv]), { fileName: 'people.csv' });
  return { table, schema };
}

const strings = (t: Table, name: string): (string | null)[] => {
  const c = getColumn(t, name) as CategoricalColumn;
  return Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]));
};
const slug = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/['\s]/g, '').toLowerCase();

describe('fake columns (role fake)', () => {
  it('defaults names, e-mails and phones to fake and free text to keep-out, with a reason to show', async () => {
    const { schema } = await ingest(peopleCsv());
    const role = (name: string) => schema.columns.find((c) => c.name === name)!.role;
    expect(role('first_name')).toBe('fake');
    expect(role('last_name')).toBe('fake');
    expect(role('email')).toBe('fake');
    expect(role('phone')).toBe('fake');
    expect(role('notes')).toBe('keep-out');
    expect(role('age')).toBe('synthesize');
    expect(role('city')).toBe('synthesize');
    expect(role('customer_id')).toBe('generate-key');
    const email = schema.columns.find((c) => c.name === 'email')!;
    expect(roleReason(email)).toMatch(/never a real one/);
    expect(roleReason(schema.columns.find((c) => c.name === 'notes')!)).toMatch(/kept out by default: it often names people/);
    expect(roleReason({ ...email, role: 'synthesize' })).toMatch(/Fake/);
  });

  it('draws realistic values that follow the row, never a training value, the same for the same seed, and round-trips', async () => {
    const { table, schema } = await ingest(peopleCsv());
    const synth = await loadSynthesizer('copula');
    const model = await synth.fit(table, schema, {}, { rng: new Rng(3) });
    const t = await model.sample(600, { seed: 11 });
    expect(t.columns.map((c) => c.name)).toEqual(['customer_id', 'first_name', 'last_name', 'email', 'phone', 'age', 'city']);
    expect(t.columns.every((c) => c.type === 'categorical' || c.name === 'age')).toBe(true);

    const real = (name: string) => new Set(strings(table, name).filter((v): v is string => v !== null).map((v) => v.toLowerCase()));
    const first = strings(t, 'first_name'), last = strings(t, 'last_name'), email = strings(t, 'email'), phone = strings(t, 'phone');
    for (const [name, values] of [['first_name', first], ['last_name', last], ['email', email], ['phone', phone]] as const) {
      const r = real(name);
      const present = values.filter((v): v is string => v !== null);
      expect(present.length).toBeGreaterThan(500);
      expect(present.filter((v) => r.has(v.toLowerCase()))).toEqual([]);
      expect(new Set(present).size).toBeGreaterThan(50); // not one value repeated
    }
    // the real names are common ones faker also knows: some fakes had to be drawn again
    expect(model.stats.redrawnFakeValues).toBeGreaterThan(0);

    // e-mails: lower case like the real ones, an @ and a domain, made from the row's name
    let followed = 0, withEmail = 0;
    for (let i = 0; i < t.nRows; i++) {
      const e = email[i];
      if (e === null) continue;
      withEmail++;
      expect(e).toMatch(/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/);
      expect(e).toBe(e.toLowerCase());
      if (first[i] !== null && last[i] !== null && e.split('@')[0].includes(slug(first[i]!)) && e.split('@')[0].includes(slug(last[i]!))) followed++;
    }
    expect(followed / withEmail).toBeGreaterThan(0.95);
    // about 1 in 17 real e-mails is missing: so are about as many fakes
    expect(t.nRows - withEmail).toBeGreaterThan(10);
    expect(t.nRows - withEmail).toBeLessThan(80);
    // phones: a leading + like the real ones, digits and separators
    expect(phone.filter((p) => p !== null).every((p) => /^\+[\d\s().-]{7,}$/.test(p!))).toBe(true);

    // same seed, same fakes; another seed, others
    const again = await model.sample(600, { seed: 11 });
    expect(strings(again, 'email')).toEqual(email);
    expect(strings(await model.sample(600, { seed: 12 }), 'email')).not.toEqual(email);

    // stored models keep hashes, never the values, and sample the same
    const stored = model.serialize();
    const json = JSON.stringify(stored.meta);
    for (const v of real('email')) expect(json).not.toContain(v);
    expect(Object.keys(stored.arrays).filter((k) => k.startsWith('pipeline:fake:')).sort()).toEqual(
      ['email', 'first_name', 'last_name', 'phone'].map((n) => `pipeline:fake:${n}`),
    );
    const copy = await deserializeModel(structuredClone(stored));
    expect(strings(await copy.sample(600, { seed: 11 }), 'email')).toEqual(email);
    expect(strings(await copy.sample(600, { seed: 11 }), 'first_name')).toEqual(first);
  });

  it('a fresh fit with the same seed gives the same fakes (deterministic), and conditions on a fake column are refused', async () => {
    const { table, schema } = await ingest(peopleCsv(120));
    const synth = createSynthesizer(marginalEngine());
    const a = await (await synth.fit(table, schema, {}, { rng: new Rng(5) })).sample(200, { seed: 1 });
    const m = await synth.fit(table, schema, {}, { rng: new Rng(5) });
    const b = await m.sample(200, { seed: 1 });
    for (const name of ['first_name', 'last_name', 'email', 'phone']) expect(strings(b, name)).toEqual(strings(a, name));
    await expect(m.sample(10, { seed: 1, conditions: { email: { equals: 'x@y.com' } } })).rejects.toThrow(/made up/);
  });

  it('fits a table of only fake columns, and refuses to fake a numeric column', async () => {
    const { table, schema } = await ingest(peopleCsv(60));
    const only: Schema = { columns: schema.columns.map((c) => ({ ...c, role: ['first_name', 'email'].includes(c.name) ? 'fake' : 'keep-out' })) };
    const model = await createSynthesizer(marginalEngine()).fit(table, only, {}, { rng: new Rng(1) });
    const t = await model.sample(30, { seed: 2 });
    expect(t.columns.map((c) => c.name)).toEqual(['first_name', 'email']);
    const numeric: Schema = { columns: schema.columns.map((c) => (c.name === 'age' ? { ...c, role: 'fake' } : c)) };
    await expect(createSynthesizer(marginalEngine()).fit(table, numeric, {}, { rng: new Rng(1) })).rejects.toThrow(/fake values are text/);
  });

  it('chooses the locale from phone prefixes, and en_US by default', async () => {
    const de = await ingest(peopleCsv(60, '+49 30'));
    expect(chooseFakeLocale(de.table, de.schema)).toBe('de');
    const us = await ingest(peopleCsv(60));
    expect(chooseFakeLocale(us.table, us.schema)).toBe('en_US');
    const model = await createSynthesizer(marginalEngine()).fit(de.table, de.schema, {}, { rng: new Rng(1) });
    const phones = strings(await model.sample(50, { seed: 3 }), 'phone').filter((p) => p !== null);
    expect(phones.every((p) => p!.startsWith('+49'))).toBe(true);
  });
});

describe('street addresses', () => {
  it('are flagged by their header (not IP or e-mail addresses) and default to fake', async () => {
    const { piiFromName } = await import('../../../../src/core/schema/pii');
    const { defaultRoleFor } = await import('../../../../src/core/schema/roles');
    expect(piiFromName('street_address')).toContain('address');
    expect(piiFromName('HomeAddress')).toContain('address');
    expect(piiFromName('ip_address')).not.toContain('address');
    expect(piiFromName('email address')).not.toContain('address');
    expect(defaultRoleFor('categorical', [{ kind: 'address', source: 'name', share: 1 }])).toBe('fake');
    expect(defaultRoleFor('categorical', [{ kind: 'postcode', source: 'name', share: 1 }])).toBe('synthesize');
    expect(defaultRoleFor('integer', [{ kind: 'phone', source: 'name', share: 1 }])).toBe('synthesize');
    expect(defaultRoleFor('text', [])).toBe('keep-out');
  });
});
