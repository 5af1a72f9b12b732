import { describe, expect, it } from 'vitest';
import type { Schema } from '../../../../src/core/schema/schema';
import { PII_KINDS, ROLES, kindFitsStorage, withKind, withPii, withRole } from '../../../../src/ui/components/profile/schemaEdits';

const schema: Schema = {
  columns: [
    { name: 'code', kind: 'categorical', role: 'synthesize', pii: [] },
    { name: 'mail', kind: 'text', role: 'keep-out', pii: [{ kind: 'email', source: 'values', share: 0.97 }] },
  ],
};

describe('schema edits', () => {
  it('relabels a kind; a default role follows the new kind, a chosen role stays', () => {
    const asId = withKind(schema, 'code', 'id');
    expect(asId.columns[0]).toMatchObject({ kind: 'id', role: 'generate-key' });
    expect(withKind(asId, 'code', 'categorical').columns[0].role).toBe('synthesize');
    expect(withKind(schema, 'mail', 'id').columns[1].role).toBe('keep-out');
    expect(schema.columns[0].kind).toBe('categorical'); // the input is not mutated
  });

  it('marks and unmarks PII, keeping a detected hint of the same kind', () => {
    expect(withPii(schema, 'code', 'person-name').columns[0].pii).toEqual([{ kind: 'person-name', source: 'name', share: 1 }]);
    expect(withPii(schema, 'mail', 'email').columns[1].pii).toEqual([{ kind: 'email', source: 'values', share: 0.97 }]);
    expect(withPii(schema, 'mail', null).columns[1].pii).toEqual([]);
    expect(withRole(schema, 'code', 'keep-out').columns[0].role).toBe('keep-out');
  });

  it('a role at its default follows PII marks: a marked name is faked, an unmarked one synthesized; the picker offers fake', () => {
    const named = withPii(schema, 'code', 'person-name');
    expect(named.columns[0].role).toBe('fake');
    expect(withPii(named, 'code', null).columns[0].role).toBe('synthesize');
    expect(withPii(withRole(schema, 'code', 'keep-out'), 'code', 'person-name').columns[0].role).toBe('keep-out'); // a chosen role stays
    expect(withKind(named, 'code', 'integer').columns[0].role).toBe('synthesize'); // numbers are not faked
    expect(ROLES.find((r) => r.value === 'fake')?.label).toBe('Fake (realistic, never real)');
    expect(PII_KINDS).toContain('address');
  });

  it('knows which kinds need a conversion of the stored values', () => {
    expect(kindFitsStorage('integer', 'numeric')).toBe(true);
    expect(kindFitsStorage('datetime', 'numeric')).toBe(true);
    expect(kindFitsStorage('numeric', 'categorical')).toBe(false);
    expect(kindFitsStorage('categorical', 'numeric')).toBe(false);
    expect(kindFitsStorage('id', 'categorical')).toBe(true);
  });
});
