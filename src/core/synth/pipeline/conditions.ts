import { UserError } from '../../context';
import type { EngineColumns, PreparedCondition } from '../engine';
import type { Condition, Conditions } from '../types';
import type { CategoricalPlan, ColumnPlan, NumericPlan } from './plan';

/** A compiled condition: what the engine is told, and how the pipeline checks each drawn row. */
export interface CompiledConditions {
  /** One entry per engine column (undefined = free). */
  engine: (PreparedCondition | undefined)[];
  checks: RowCheck[];
}

type RowCheck =
  | { index: number; type: 'codes'; allowed: Uint8Array }
  | { index: number; type: 'range'; min: number; max: number };

const TRUE_TOKENS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_TOKENS = new Set(['false', 'f', 'no', 'n', '0']);

export function compileConditions(
  conditions: Conditions | undefined,
  plans: ColumnPlan[],
  nEngineColumns: number,
  allowOutOfBounds: boolean,
): CompiledConditions {
  const engine: (PreparedCondition | undefined)[] = new Array(nEngineColumns).fill(undefined);
  const checks: RowCheck[] = [];
  for (const [name, cond] of Object.entries(conditions ?? {})) {
    const plan = plans.find((p) => p.name === name);
    if (!plan) throw new UserError(`Cannot condition on "${name}": the model has no such column.`, 'Columns set to keep-out are not part of the model.');
    if (plan.mode === 'key') throw new UserError(`Cannot condition on "${name}": its keys are generated fresh for every row.`);
    if (plan.mode === 'fake') throw new UserError(`Cannot condition on "${name}": its values are made up (fake) for every row.`);
    if (plan.mode === 'text') throw new UserError(`Cannot condition on "${name}": its texts are written for every row.`);
    if (plan.mode === 'categorical') {
      const allowed = allowedCodes(plan, cond);
      if (plan.engineIndex < 0) {
        if (plan.constant < 0 || !allowed[plan.constant]) throw unsatisfiable(name, 'the column has a single value in the training data');
        continue;
      }
      const codes: number[] = [];
      for (let c = 0; c < allowed.length; c++) if (allowed[c]) codes.push(c);
      engine[plan.engineIndex] = { type: 'categorical', codes };
      checks.push({ index: plan.engineIndex, type: 'codes', allowed });
    } else {
      const { min, max } = numericRange(plan, cond, allowOutOfBounds);
      if (plan.engineIndex < 0) {
        if (plan.constant === null || plan.constant < min || plan.constant > max) throw unsatisfiable(name, 'the column has a single value in the training data');
        continue;
      }
      engine[plan.engineIndex] = { type: 'range', min, max };
      checks.push({ index: plan.engineIndex, type: 'range', min, max });
    }
  }
  return { engine, checks };
}

/** True when the drawn row (final values) satisfies every condition. */
export function rowMeetsConditions(checks: RowCheck[], columns: EngineColumns, row: number): boolean {
  for (const ch of checks) {
    const x = columns[ch.index][row];
    if (ch.type === 'codes') {
      if (x < 0 || ch.allowed[x] !== 1) return false;
    } else if (!(x >= ch.min && x <= ch.max)) return false; // NaN (missing) never satisfies
  }
  return true;
}

function allowedCodes(plan: CategoricalPlan, cond: Condition): Uint8Array {
  let values: (string | number)[];
  if ('equals' in cond) values = [cond.equals];
  else if ('oneOf' in cond) values = cond.oneOf;
  else throw new UserError(`"${plan.name}" is categorical: condition it on a value (equals or one of), not a range.`);
  if (values.length === 0) throw new UserError(`The condition on "${plan.name}" lists no value.`);
  const allowed = new Uint8Array(plan.levels.length);
  for (const v of values) allowed[levelCode(plan, v)] = 1;
  return allowed;
}

function levelCode(plan: CategoricalPlan, value: string | number): number {
  const s = String(value);
  let code = plan.levels.indexOf(s);
  if (code < 0) code = plan.levels.findIndex((l) => l.toLowerCase() === s.toLowerCase());
  if (code < 0 && plan.kind === 'boolean') {
    const want = TRUE_TOKENS.has(s.toLowerCase()) ? true : FALSE_TOKENS.has(s.toLowerCase()) ? false : undefined;
    if (want !== undefined) code = plan.levels.findIndex((l) => (want ? TRUE_TOKENS : FALSE_TOKENS).has(l.toLowerCase()));
  }
  if (code < 0) {
    const shown = plan.levels.slice(0, 8).map((l) => `"${l}"`).join(', ');
    throw new UserError(
      `"${s}" is not a value of "${plan.name}" the model can produce.`,
      plan.pooledCode >= 0
        ? `Values seen fewer times than the rare-category threshold are pooled as "${plan.levels[plan.pooledCode]}". Known values: ${shown}${plan.levels.length > 8 ? ', ...' : ''}.`
        : `Known values: ${shown}${plan.levels.length > 8 ? ', ...' : ''}.`,
    );
  }
  return code;
}

function numericRange(plan: NumericPlan, cond: Condition, allowOutOfBounds: boolean): { min: number; max: number } {
  let min: number, max: number;
  if ('equals' in cond) {
    if (typeof cond.equals !== 'number') throw new UserError(`"${plan.name}" is numeric: condition it on a number or a range.`);
    min = max = cond.equals;
  } else if ('oneOf' in cond) {
    throw new UserError(`"${plan.name}" is numeric: condition it on a range (min, max), not a list of values.`);
  } else {
    min = cond.min ?? -Infinity;
    max = cond.max ?? Infinity;
  }
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) throw new UserError(`The range on "${plan.name}" is empty (min ${min} > max ${max}).`);
  if (!allowOutOfBounds && (max < plan.min || min > plan.max)) {
    throw unsatisfiable(plan.name, `real values lie between ${plan.min} and ${plan.max}`);
  }
  return { min, max };
}

function unsatisfiable(name: string, why: string): UserError {
  return new UserError(`No synthetic row can meet the condition on "${name}": ${why}.`, 'Loosen or remove the condition.');
}
