/**
 * `--keep-out COL`, `--kind COL=KIND` and `--role COL=ROLE`: what `facsimile profile` suggests, applied to
 * the inferred schema before anything is fitted. Kinds change through the profile's own set-kind fix
 * (applyFix: relabelling only, the role following the kind when it was the old kind's default), roles
 * through its set-role fix. Parsing is light (no engine code), so usage errors come before any reading.
 */
import { UserError } from '../core/context';
import type { ColumnKind, ColumnRole, Schema } from '../core/schema/schema';
import type { Table } from '../core/table/table';

/** Every kind, with what it is; a Record, so a kind added to ColumnKind must be added here too. */
const KIND_HELP: Record<ColumnKind, string> = {
  numeric: 'numbers',
  integer: 'whole numbers',
  datetime: 'dates and times',
  categorical: 'categories',
  boolean: 'yes/no',
  text: 'free text (not learnt)',
  id: 'identifiers (fresh keys generated)',
};
/** Every role; a Record, so a role added to ColumnRole must be added here too. */
const ROLE_HELP: Record<ColumnRole, string> = {
  synthesize: 'learnt and generated',
  'keep-out': 'left out of the model and the synthetic file',
  'generate-key': 'fresh unique keys in the style of the real ones',
  fake: 'realistic made-up values, never a real one (names, e-mails, phones)',
  'synthesize-text': 'free text written per row (a --text-model, or the word-level fallback)',
};
export const KINDS = Object.keys(KIND_HELP) as ColumnKind[];
export const ROLES = Object.keys(ROLE_HELP) as ColumnRole[];
const NUMERIC_KINDS: ColumnKind[] = ['numeric', 'integer', 'datetime'];

/** The usage lines of the three flags. */
export function schemaFlagsUsage(width = 31): string {
  const row = (l: string, r: string) => `  ${l.padEnd(width)}${r}`;
  return [
    row('--keep-out COL', 'leave a column out of the model and the output'),
    row(`--kind COL=KIND`, `read a column as ${KINDS.join('|')}`),
    row(`--role COL=ROLE`, `what to do with a column: ${ROLES.join('|')}`),
    row('', 'each repeatable; applied to the inferred schema first, as facsimile profile suggests'),
  ].join('\n');
}

export type SchemaEdit = { flag: string; column: string } & ({ kind: ColumnKind } | { role: ColumnRole });

export const SCHEMA_FLAGS = ['keep-out', 'kind', 'role'] as const;

/** Parses one of the flags (its value as given); throws a UserError on a malformed value. */
export function parseSchemaFlag(flag: string, value: string): SchemaEdit {
  if (flag === '--keep-out') {
    if (value.trim() === '') throw new UserError('--keep-out needs a column name, e.g. --keep-out name.');
    return { flag: `--keep-out ${value}`, column: value, role: 'keep-out' };
  }
  const eq = value.lastIndexOf('=');
  const what = flag === '--kind' ? 'KIND' : 'ROLE';
  const allowed: readonly string[] = flag === '--kind' ? KINDS : ROLES;
  if (eq <= 0) throw new UserError(`${flag} needs COL=${what}, got "${value}".`, `e.g. ${flag} ${flag === '--kind' ? 'zip=categorical' : 'name=keep-out'}; ${what} is one of ${allowed.join(', ')}.`);
  const column = value.slice(0, eq);
  const v = value.slice(eq + 1).trim();
  if (!allowed.includes(v)) {
    throw new UserError(`${flag} ${value}: unknown ${what.toLowerCase()} "${v}".`, `Choose one of ${allowed.join(', ')}.`);
  }
  return flag === '--kind' ? { flag: `--kind ${value}`, column, kind: v as ColumnKind } : { flag: `--role ${value}`, column, role: v as ColumnRole };
}

/**
 * The table and schema with the edits applied: kinds first (a role left at the old kind's default
 * follows the new kind), then roles. An unknown column, a kind the stored values cannot take by
 * relabelling, or two different roles for one column is a UserError.
 */
export async function applySchemaEdits(table: Table, schema: Schema, edits: SchemaEdit[]): Promise<{ table: Table; schema: Schema }> {
  if (edits.length === 0) return { table, schema };
  const { applyFix } = await import('../core/profile/fixes');
  const names = schema.columns.map((c) => c.name);
  for (const e of edits) {
    if (!names.includes(e.column)) throw new UserError(`${e.flag}: the file has no column "${e.column}".`, closeNames(e.column, names));
  }
  const roles = new Map<string, SchemaEdit & { role: ColumnRole }>();
  for (const e of edits) {
    if (!('role' in e)) continue;
    const prev = roles.get(e.column);
    if (prev && prev.role !== e.role) throw new UserError(`${prev.flag} and ${e.flag} give "${e.column}" two different roles.`, 'Give each column one role.');
    roles.set(e.column, e);
  }
  let out = { table, schema };
  for (const e of edits) {
    if (!('kind' in e)) continue;
    const col = out.table.columns.find((c) => c.name === e.column)!;
    const numeric = col.type === 'numeric';
    if (NUMERIC_KINDS.includes(e.kind) !== numeric) {
      const fits = KINDS.filter((k) => NUMERIC_KINDS.includes(k) === numeric);
      throw new UserError(
        `${e.flag}: "${e.column}" is read as ${numeric ? 'numbers' : 'text'}, and cannot become ${e.kind} by relabelling.`,
        `It can take ${fits.join(', ')}. ${numeric ? 'To treat the numbers as labels, write them as text in the file.' : 'Values that are not all numbers or dates need fixing in the file first (facsimile profile shows which).'}`,
      );
    }
    out = applyFix(out.table, out.schema, { type: 'set-kind', column: e.column, kind: e.kind });
  }
  for (const e of roles.values()) out = applyFix(out.table, out.schema, { type: 'set-role', column: e.column, role: e.role });
  return out;
}

/** "Did you mean ...?" with the close names, or the columns there are. */
export function closeNames(name: string, names: string[]): string {
  const lower = name.toLowerCase();
  const close = names.filter((n) => {
    const l = n.toLowerCase();
    return l === lower || (lower.length >= 3 && (l.includes(lower) || lower.includes(l))) || editDistance(l, lower) <= Math.max(2, Math.floor(lower.length / 3));
  });
  if (close.length > 0) return `Did you mean ${close.slice(0, 5).map((n) => JSON.stringify(n)).join(' or ')}?`;
  const shown = names.slice(0, 12).map((n) => JSON.stringify(n)).join(', ');
  return `Its columns: ${shown}${names.length > 12 ? `, and ${names.length - 12} more` : ''}.`;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
