/**
 * `facsimile profile data.csv [--json]`: the inferred schema, the profile and the findings, through the same
 * engine code as the app's ingest worker (the file is read as a Blob straight from disk).
 * --keep-out / --kind / --role apply the same schema changes as `facsimile synth` before profiling, and a
 * finding whose fix one of them makes shows that flag, ready to pass to synth.
 */
import { stat } from 'node:fs/promises';
import { UserError } from '../core/context';
import type { IngestResult } from '../core/ingest/types';
import type { ColumnProfile, Finding, Profile } from '../core/profile/types';
import type { ColumnSchema } from '../core/schema/schema';
import { applySchemaEdits, parseSchemaFlag, schemaFlagsUsage, type SchemaEdit } from './schemaFlags';
import { generationWarningLine, readInput } from './exportOut';
import { loadTextModels, TEXT_MODEL_USAGE } from './textModels';
import type { TextPiiColumnScan } from '../core/text/piiText';

const USAGE = `Usage: facsimile profile data.csv [--json] [--missing TOKEN]... [--delimiter D] [--no-header]
                 [--keep-out COL]... [--kind COL=KIND]... [--role COL=ROLE]...
${schemaFlagsUsage()}
${TEXT_MODEL_USAGE}`;

export async function run(args: string[]): Promise<number> {
  const files: string[] = [];
  let json = false;
  const textModelDirs: string[] = [];
  const missingTokens: string[] = [];
  let delimiter: string | undefined;
  let hasHeader: boolean | undefined;
  const edits: SchemaEdit[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--keep-out' || a === '--kind' || a === '--role') {
      const v = args[++i];
      if (v === undefined) throw new UserError(`${a} needs a value.`, USAGE);
      edits.push(parseSchemaFlag(a, v));
    }
    else if (a === '--missing') missingTokens.push(args[++i] ?? '');
    else if (a === '--delimiter') delimiter = args[++i] === 'tab' ? '\t' : args[i];
    else if (a === '--no-header') hasHeader = false;
    else if (a === '--text-model') textModelDirs.push(args[++i] ?? '');
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (a.startsWith('--')) {
      process.stderr.write(`facsimile profile: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1) {
    process.stderr.write(`facsimile profile: give exactly one file\n${USAGE}\n`);
    return 2;
  }
  const file = files[0];
  const info = await stat(file).catch(() => null);
  if (!info || !info.isFile()) throw new UserError(`Cannot read "${file}": no such file.`);
  const [{ ingestBlob }, { profileTable }] = await Promise.all([import('../core/ingest/ingest'), import('../core/profile/index')]);
  // A Facsimile export (provenance beside it, a Facsimile zip, Parquet metadata) says so on stderr.
  const input = await readInput(file);
  if (input.detected) process.stderr.write(generationWarningLine(input.detected));
  const ingested = await ingestBlob(input.data, { fileName: input.fileName, missingTokens, delimiter, hasHeader });
  const result = { ...ingested, ...(await applySchemaEdits(ingested.table, ingested.schema, edits)) };
  const profile = profileTable(result.table, result.schema);
  // Free text: the PII patterns always, a NER model's entities with --text-model.
  const { scanTextPii, textColumns } = await import('../core/text/scan');
  const textModels = await loadTextModels(textModelDirs);
  const textPii = (await scanTextPii(result.table, textColumns(result.schema), {}, textModels.ner)).scans;
  if (json) {
    const { table: _table, ...rest } = result;
    const provenance = input.detected ? { provenance: input.detected.provenance } : {};
    process.stdout.write(JSON.stringify({ ...rest, nRows: result.table.nRows, ...provenance, profile, textPii }, null, 2) + '\n');
  } else {
    const { formatNumber } = await import('../core/export/formatValue');
    process.stdout.write(renderText(result, profile, formatNumber) + renderTextPii(textPii));
  }
  return 0;
}

type FormatNumber = (v: number, s: ColumnSchema) => string;

/** The synth flag that makes a finding's fix, if one does ("--keep-out name"). */
export function fixFlag(f: Finding): string | undefined {
  const q = (s: string) => (/^[\w.-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const fix = f.fix;
  if (!fix) return undefined;
  if (fix.type === 'set-kind') return `--kind ${q(`${fix.column}=${fix.kind}`)}`;
  if (fix.type === 'set-role') return fix.role === 'keep-out' ? `--keep-out ${q(fix.column)}` : `--role ${q(`${fix.column}=${fix.role}`)}`;
  // Dropping a column and keeping it out of the model leave the same synthetic file.
  if (fix.type === 'drop-column') return `--keep-out ${q(fix.column)}`;
  return undefined;
}

function renderText(r: IngestResult, p: Profile, formatNumber: FormatNumber): string {
  const lines: string[] = [];
  lines.push(`${r.fileName}: ${p.nRows.toLocaleString('en')} rows × ${p.nColumns} columns (${r.encoding}${r.delimiter ? `, delimiter ${r.delimiter === '\t' ? 'tab' : JSON.stringify(r.delimiter)}` : ''})`);
  if (r.warnings.length > 0) {
    lines.push('', 'Warnings while reading:');
    for (const w of r.warnings) lines.push(`  - ${w.message}`);
  }
  lines.push('', 'Columns:');
  const width = Math.min(28, Math.max(...r.schema.columns.map((c) => c.name.length)));
  p.columns.forEach((c, j) => {
    const s = r.schema.columns[j];
    const fmt = s.format?.datetime ? ` ${s.format.datetime}` : s.format?.decimals !== undefined ? ` .${s.format.decimals}` : '';
    const pii = s.pii.length > 0 ? `  PII: ${s.pii.map((h) => h.kind).join(', ')}` : '';
    lines.push(`  ${c.name.slice(0, width).padEnd(width)}  ${(s.kind + fmt).padEnd(22)} ${s.role.padEnd(12)} missing ${String(c.missing).padStart(6)}  distinct ${String(c.distinct).padStart(7)}  ${summary(c, s, formatNumber)}${pii}`);
  });
  lines.push('', p.findings.length === 0 ? 'Findings: none' : `Findings (${p.findings.length}):`);
  for (const f of p.findings) {
    const flag = fixFlag(f);
    lines.push(`  [${f.severity}] ${f.message}${f.fixLabel ? `  (fix: ${f.fixLabel}${flag ? `; synth ${flag}` : ''})` : ''}`);
  }
  const rules = p.rules ?? [];
  lines.push('', rules.length === 0 ? 'Rules found: none' : `Rules found (${rules.length}; synth keeps the exact ones, --rules none keeps none, --rule adds one):`);
  for (const r of rules) lines.push(`  [${r.exact ? 'kept' : 'almost'}] ${r.text}  -- ${r.message}${r.exact ? '' : `  (to keep it: synth --rule '${r.text}')`}`);
  return lines.join('\n') + '\n';
}

function summary(c: ColumnProfile, s: ColumnSchema, formatNumber: FormatNumber): string {
  if (c.numeric) {
    const f = (v: number) => (s.kind === 'datetime' ? formatNumber(v, s) : Number(v.toPrecision(6)).toString());
    const median = c.numeric.quantiles.find((q) => q.p === 0.5)?.value ?? NaN;
    return `min ${f(c.numeric.min)}  median ${f(median)}  max ${f(c.numeric.max)}${s.kind === 'datetime' ? '' : `  mean ${f(c.numeric.mean)}  sd ${f(c.numeric.std)}`}`;
  }
  if (c.topValues) {
    return 'top: ' + c.topValues.slice(0, 3).map((t) => `${JSON.stringify(t.value.length > 24 ? t.value.slice(0, 23) + '…' : t.value)} ${t.count}`).join(', ');
  }
  return '';
}

/** The PII found in free-text columns: counts per kind and masked examples (never a real value). */
function renderTextPii(scans: TextPiiColumnScan[]): string {
  if (scans.length === 0) return '';
  const lines = ['', `PII in free text (${scans[0].withModel ? 'patterns and a named-entity model' : 'patterns only; --text-model with a NER model adds names, places and organisations'}):`];
  for (const s of scans) {
    const counts = Object.entries(s.counts).map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push(`  ${s.column}: ${s.textsWithPii} of ${s.texts} texts${counts ? ` (${counts})` : ''}`);
    for (const e of s.maskedExamples) lines.push(`    e.g. ${JSON.stringify(e)}`);
  }
  return lines.join('\n') + '\n';
}
