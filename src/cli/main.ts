/**
 * `facsimile <command>`: profile, synth and evaluate through the same engine code as the app.
 * Each command module exports `run(args): Promise<number>` (the exit code); errors go to stderr.
 */
import { SYNTHESIZER_IDS } from '../core/synth/registry';

const USAGE = `Usage:
  facsimile profile data.csv [--json] [--keep-out COL] [--kind COL=KIND] [--role COL=ROLE] [--text-model DIR]
  facsimile synth data.csv --model ${SYNTHESIZER_IDS.join('|')} --rows N --seed S --out synthetic.csv|.tsv|.json|.parquet
                 [model options] [--holdout 0.2 --holdout-out holdout.csv] [--where col=v] [--report r.json]
                 [--keep-out COL] [--kind COL=KIND] [--role COL=ROLE] [--no-formula-guard]
                 [--text-model DIR]... [--few-shot N]
  facsimile evaluate train.csv synthetic.csv [more.csv...] --holdout holdout.csv [--target COL|none] [--json]
                 [--html report.html]
  facsimile synth --help        the models, their options and every flag`;

type CommandModule = { run(args: string[]): Promise<number> };

const commands: Record<string, () => Promise<CommandModule>> = {
  profile: () => import('./profile'),
  synth: () => import('./synth'),
  evaluate: () => import('./evaluate'),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? process.stdout : process.stderr).write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`facsimile: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (e) {
    const err = e as Error & { hint?: string };
    process.stderr.write(`facsimile ${name}: ${err.message}${err.hint ? `\n  ${err.hint}` : ''}\n`);
    return 1;
  }
}
