import { defaultRole } from '../../../core/schema/infer';
import { isNumericKind, type ColumnKind, type ColumnRole, type ColumnSchema, type PiiHint, type PiiKind, type Schema } from '../../../core/schema/schema';

/**
 * Schema edits made in the editor, on a plain copy of the schema (never the reactive one). Kind changes
 * that keep storage are relabels; the others need a conversion of the values (see ProfileRun.convertKind).
 */
export const KINDS: ColumnKind[] = ['numeric', 'integer', 'datetime', 'categorical', 'boolean', 'text', 'id'];
export const ROLES: { value: ColumnRole; label: string }[] = [
  { value: 'synthesize', label: 'Synthesize' },
  { value: 'fake', label: 'Fake (realistic, never real)' },
  { value: 'synthesize-text', label: 'Synthesize text' },
  { value: 'keep-out', label: 'Keep out' },
  { value: 'generate-key', label: 'Generate key' },
];
export const PII_KINDS: PiiKind[] = ['email', 'phone', 'national-id', 'iban', 'credit-card', 'ip-address', 'postcode', 'person-name', 'address'];

/** Whether a column stored as `stored` can take `kind` by relabelling alone. */
export function kindFitsStorage(kind: ColumnKind, stored: 'numeric' | 'categorical'): boolean {
  return isNumericKind(kind) === (stored === 'numeric');
}

function editColumn(schema: Schema, name: string, edit: (c: ColumnSchema) => ColumnSchema): Schema {
  return { columns: schema.columns.map((c) => (c.name === name ? edit(c) : c)) };
}

/** Relabel a kind; a role still at the old kind's default follows the new kind's default (as the engine's set-kind does). */
export function withKind(schema: Schema, name: string, kind: ColumnKind): Schema {
  return editColumn(schema, name, (c) => ({ ...c, kind, role: c.role === defaultRole(c.kind, c.pii) ? defaultRole(kind, c.pii) : c.role }));
}

export function withRole(schema: Schema, name: string, role: ColumnRole): Schema {
  return editColumn(schema, name, (c) => ({ ...c, role }));
}

/**
 * Mark (a PII kind) or unmark (null) a column as personal data. A user's mark is stored as a hint with
 * share 1; detected hints of the same kind are kept as they were.
 */
export function withPii(schema: Schema, name: string, kind: PiiKind | null): Schema {
  return editColumn(schema, name, (c) => {
    const same = c.pii.filter((p) => p.kind === kind);
    const pii: PiiHint[] = kind === null ? [] : same.length > 0 ? same : [{ kind, source: 'name', share: 1 }];
    // A role still at its default follows the new hints (marking a name makes it fake; unmarking, synthesized).
    return { ...c, pii, role: c.role === defaultRole(c.kind, c.pii) ? defaultRole(c.kind, pii) : c.role };
  });
}
