import type { Schema } from '../schema/schema';
import type { Table } from '../table/table';
import { ruleAdherence } from './check';
import { rulesForFit } from './resolve';
import type { RuleAdherence } from './types';

/**
 * The report's rules section: the rules a fit keeps by default on these training rows (the exact ones
 * found, those the schema turns on or off, the declared ones), each with the share of rows obeying it in
 * the training, holdout and synthetic tables. Declared rules that do not fit the schema are left out.
 */
export function reportRules(train: Table, holdout: Table, synthetic: Table, schema: Schema): RuleAdherence[] {
  let kept;
  try {
    kept = rulesForFit(train, schema, 'found');
  } catch {
    kept = rulesForFit(train, { ...schema, rules: { ...schema.rules, declared: [] } }, 'found');
  }
  return ruleAdherence(kept.map((k) => ({ rule: k.rule, source: k.source })), train, holdout, synthetic, schema);
}
