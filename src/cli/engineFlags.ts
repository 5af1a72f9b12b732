/**
 * The engines' options on the command line, rendered from their descriptors: usage text, which flags
 * exist, and the options object a set of flags makes (checked by the registry's validateOptions).
 * Adding an option to a descriptor adds its flag here; nothing is listed by hand.
 */
import { UserError } from '../core/context';
import { COMMON_OPTIONS, flagOf, type EngineDescriptor, type OptionField } from '../core/synth/descriptor';
import type { EngineRegistry } from '../core/synth/registry';

/** Flags of engine options as given on the command line: flag (no dashes) -> raw value (true for switches). */
export type EngineFlagValues = Map<string, string | true>;

/** Every engine-option flag any engine (or the pipeline) takes, and whether it takes a value. */
export function engineFlags(registry: EngineRegistry): Map<string, { takesValue: boolean }> {
  const out = new Map<string, { takesValue: boolean }>();
  const add = (f: OptionField) => out.set(flagOf(f), { takesValue: f.kind !== 'boolean' });
  COMMON_OPTIONS.forEach(add);
  for (const d of registry.descriptors) d.options.forEach(add);
  return out;
}

/** `--model a|b|c` and the options of every engine, grouped by engine. */
export function engineUsage(registry: EngineRegistry, width = 31): string {
  const lines: string[] = [];
  const row = (left: string, right: string) => lines.push(`  ${left.padEnd(width)}${left.length >= width ? '\n  ' + ' '.repeat(width) : ''}${right}`);
  row(`--model ${registry.ids.join('|')}`, `synthesizer (default ${registry.ids[0]})`);
  lines.push('Options of every model:');
  for (const f of COMMON_OPTIONS) row(flagUsage(f), fieldHelp(f));
  for (const d of registry.descriptors) {
    lines.push(`${d.label} (--model ${d.id}): ${d.description}`);
    if (d.options.length === 0) lines.push('  (no options of its own)');
    for (const f of d.options) row(flagUsage(f), fieldHelp(f));
  }
  return lines.join('\n');
}

function flagUsage(f: OptionField): string {
  const flag = `--${flagOf(f)}`;
  switch (f.kind) {
    case 'boolean':
      return flag;
    case 'integer':
      return `${flag} N`;
    case 'number':
      return `${flag} X`;
    case 'column-order':
      return `${flag} a,b,c`;
    case 'choice':
      return `${flag} ${f.choices.join('|')}`;
  }
}

function fieldHelp(f: OptionField): string {
  const help = f.help.replace(/\.$/, '');
  switch (f.kind) {
    case 'boolean':
      return `${help} (${f.default ? 'on' : 'off'} by default; this flag turns it ${f.default ? 'off' : 'on'})`;
    case 'column-order':
      return `${help} (default: table order)`;
    case 'choice':
      return `${help} (default ${f.default})`;
    default: {
      const bounds = [f.min !== undefined ? `>= ${f.min}` : '', f.max !== undefined ? `<= ${f.max}` : ''].filter(Boolean).join(', ');
      const dflt = f.optional ? `off unless given, e.g. ${f.default}` : `default ${f.default}`;
      return `${help} (${dflt}${bounds ? `; ${bounds}` : ''})`;
    }
  }
}

/**
 * The options object of `model` from the engine flags given, over the engine's defaults and checked
 * by the registry (types, whole numbers, bounds). A flag of another engine is a UserError naming it.
 */
export function engineOptions(registry: EngineRegistry, model: string, given: EngineFlagValues): Record<string, unknown> {
  const d = registry.descriptorOf(model);
  const fields = registry.optionFields(model);
  const options: Record<string, unknown> = {};
  for (const [flag, raw] of given) {
    const f = fields.find((x) => flagOf(x) === flag);
    if (!f) throw new UserError(`--${flag} is not an option of the ${d.label} synthesizer (--model ${d.id}).`, owners(registry, flag, d));
    options[f.key] = parseValue(f, flag, raw);
  }
  return registry.validateOptions(model, options);
}

function owners(registry: EngineRegistry, flag: string, d: EngineDescriptor): string {
  const by = registry.descriptors.filter((x) => x.options.some((f) => flagOf(f) === flag));
  return by.length ? `It belongs to ${by.map((x) => `--model ${x.id}`).join(' and ')}.` : `Options of --model ${d.id}: see facsimile synth --help.`;
}

function parseValue(f: OptionField, flag: string, raw: string | true): unknown {
  switch (f.kind) {
    case 'boolean':
      return !f.default;
    case 'choice': {
      const v = String(raw).trim();
      if (raw === true || !f.choices.includes(v)) throw new UserError(`--${flag} needs one of ${f.choices.join(', ')}, got "${String(raw)}".`, f.help);
      return v;
    }
    case 'column-order': {
      const names = String(raw).split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length === 0) throw new UserError(`--${flag} needs column names separated by commas, e.g. --${flag} age,income.`);
      return names;
    }
    default: {
      const v = Number(raw);
      if (raw === true || String(raw).trim() === '' || !Number.isFinite(v)) {
        throw new UserError(`--${flag} needs a ${f.kind === 'integer' ? 'whole number' : 'number'}, got "${String(raw)}".`, f.help);
      }
      return v;
    }
  }
}
