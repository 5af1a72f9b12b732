import { directIdentifier } from './pii';
import { isNumericKind, type ColumnKind, type ColumnRole, type ColumnSchema, type PiiHint } from './schema';

/**
 * The role a column gets by default, from its kind and its PII hints:
 * - a direct identifier (a person's name, e-mail, phone, national id, IBAN, card number, street address)
 *   stored as text: `fake`, realistic values made up per row and never a real one, so no real value is
 *   learnt or reproduced (numbers such as a phone stored as digits stay with their kind's default);
 * - free text: `keep-out` by default, as free text often names people; `synthesize-text` writes new texts
 *   (a local text model, or the word-level fallback) behind the text leak guard;
 * - keys (kind id): `generate-key`;
 * - everything else: `synthesize`.
 */
export function defaultRoleFor(kind: ColumnKind, pii: readonly PiiHint[] = []): ColumnRole {
  if (!isNumericKind(kind) && kind !== 'boolean' && directIdentifier(pii)) return 'fake';
  if (kind === 'text') return 'keep-out';
  return kind === 'id' ? 'generate-key' : 'synthesize';
}

/** Whether a column can take the role `fake` (its values are text). */
export function canFake(kind: ColumnKind): boolean {
  return !isNumericKind(kind) && kind !== 'boolean';
}

/** One line on what a role does with this column, and why it is the default when it is (for the UI). */
export function roleReason(col: Pick<ColumnSchema, 'kind' | 'role' | 'pii'>): string {
  const pii = directIdentifier(col.pii);
  const isDefault = col.role === defaultRoleFor(col.kind, col.pii);
  switch (col.role) {
    case 'fake':
      return pii && isDefault
        ? `Looks like a ${pii.replace('-', ' ')}: realistic made-up values replace it, never a real one.`
        : 'Realistic made-up values, never a real one of this column.';
    case 'keep-out':
      return col.kind === 'text' && isDefault
        ? 'Free text is kept out by default: it often names people. "Synthesize text" writes new texts instead (a local model from the Models page, or a word-level fallback), behind the text leak guard.'
        : 'Not learnt and not in the synthetic table.';
    case 'generate-key':
      return 'Fresh keys in the style of the real ones, unique per row.';
    case 'synthesize-text':
      return 'Free text written for each synthetic row: by a local text model when one is imported, otherwise by a word-level fallback trained on the cleaned texts. The text leak guard rewrites any text that repeats a sequence unique to one real row.';
    case 'synthesize':
      return pii
        ? `Looks like a ${pii.replace('-', ' ')}: synthesizing learns from real values and may reproduce common ones. "Fake" is safer.`
        : 'Learnt by the model and drawn from it.';
  }
}
