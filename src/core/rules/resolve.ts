import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { discoverRules } from './discover';
import { formatRule, parseRule, ruleColumns, ruleKey } from './parse';
import type { FoundRule, Rule, RulesMode, SchemaRules } from './types';
import { validateRules } from './validate';

export interface KeptRule {
  rule: Rule;
  text: string;
  source: 'found' | 'declared';
}

/** The rules the schema declares, parsed (a UserError names a rule that cannot be read). */
export function declaredRules(schema: Schema): Rule[] {
  return (schema.rules?.declared ?? []).map(parseRule);
}

/** Whether a found rule is kept: exact ones unless turned off, almost ones only when turned on. */
export function isKept(f: FoundRule, choices: SchemaRules | undefined): boolean {
  if (choices?.off?.includes(f.text)) return false;
  return f.exact || (choices?.on?.includes(f.text) ?? false);
}

/**
 * The rules a fit keeps: the found rules the schema keeps (mode 'found', the default), then the declared
 * ones, checked against the schema (unknown columns, kinds, contradictions) before anything is fitted.
 * Found rules whose columns are not all synthesized, or that contradict a declared one, are dropped.
 */
export function rulesForFit(train: Table, schema: Schema, mode: RulesMode = 'found', found?: FoundRule[]): KeptRule[] {
  const declared = declaredRules(schema);
  validateRules(declared, schema);
  const out: KeptRule[] = declared.map((rule) => ({ rule, text: formatRule(rule), source: 'declared' as const }));
  if (mode === 'none') return out;
  const keys = new Set(declared.map(ruleKey));
  const synthesized = new Set(schema.columns.filter((c) => c.role === 'synthesize').map((c) => c.name));
  for (const f of found ?? discoverRules(train, schema)) {
    if (!isKept(f, schema.rules) || keys.has(ruleKey(f.rule))) continue;
    if (!ruleColumns(f.rule).every((c) => synthesized.has(c))) continue;
    try {
      validateRules([...out.map((k) => k.rule), f.rule], schema);
    } catch {
      continue;
    }
    keys.add(ruleKey(f.rule));
    out.push({ rule: f.rule, text: f.text, source: 'found' });
  }
  return out;
}
