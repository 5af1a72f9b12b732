/**
 * Checks on the files a command is about to write, made BEFORE any reading or fitting: an output must
 * not be one of the inputs (the same file however it is written: ./x.csv, a symlink, a hard link), two
 * outputs must not be the same file, and each must be writable (its folder exists and is a folder we
 * can write in; an existing file is a file we can write). Each failure is a UserError that says what to do.
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/context';

/** An output file and the flag that named it (e.g. "--out"). */
export interface Output {
  flag: string;
  file: string;
}

interface Identity {
  /** Real path (symlinks resolved; for a file not there yet, its folder's real path + its name). */
  real: string;
  /** Device and inode of an existing file (catches hard links). */
  inode?: string;
}

async function identity(file: string): Promise<Identity> {
  const abs = path.resolve(file);
  const st = await stat(abs).catch(() => null);
  if (st) return { real: await realpath(abs).catch(() => abs), inode: `${st.dev}:${st.ino}` };
  const dir = await realpath(path.dirname(abs)).catch(() => path.dirname(abs));
  return { real: path.join(dir, path.basename(abs)) };
}

function same(a: Identity, b: Identity): boolean {
  return a.real === b.real || (a.inode !== undefined && a.inode === b.inode);
}

/** Throws a UserError when an output cannot or must not be written. Outputs without a file are skipped. */
export async function checkOutputs(inputs: string[], outputs: (Output | { flag: string; file: string | undefined })[]): Promise<void> {
  const outs = outputs.filter((o): o is Output => typeof o.file === 'string');
  const ins = await Promise.all(inputs.map(async (file) => ({ file, id: await identity(file) })));
  const seen: { o: Output; id: Identity }[] = [];
  for (const o of outs) {
    await checkWritable(o);
    const id = await identity(o.file);
    const input = ins.find((i) => same(i.id, id));
    if (input) {
      throw new UserError(
        `${o.flag} "${o.file}" is the input file "${input.file}": writing there would overwrite the real data.`,
        `Give ${o.flag} another file name, e.g. ${o.flag} ${suggestName(input.file, o.flag)}.`,
      );
    }
    const twin = seen.find((s) => same(s.id, id));
    if (twin) throw new UserError(`${twin.o.flag} and ${o.flag} name the same file "${o.file}".`, 'Give each output its own file.');
    seen.push({ o, id });
  }
}

async function checkWritable(o: Output): Promise<void> {
  const abs = path.resolve(o.file);
  const st = await stat(abs).catch(() => null);
  if (st?.isDirectory()) {
    throw new UserError(`Cannot write ${o.flag} "${o.file}": it is a folder.`, `Give a file name inside it, e.g. ${o.flag} ${path.join(o.file, defaultName(o.flag))}.`);
  }
  if (st) {
    if (!st.isFile()) throw new UserError(`Cannot write ${o.flag} "${o.file}": it is not a regular file.`, 'Choose a file path.');
    if (!(await access(abs, constants.W_OK).then(() => true, () => false))) {
      throw new UserError(`Cannot write ${o.flag} "${o.file}": the file is read-only.`, 'Choose another path, or make the file writable (chmod u+w).');
    }
    return;
  }
  const dir = path.dirname(abs);
  const dirStat = await stat(dir).catch(() => null);
  const shown = path.dirname(o.file);
  if (!dirStat) {
    throw new UserError(`Cannot write ${o.flag} "${o.file}": the folder "${shown}" does not exist.`, `Create it first (mkdir -p ${JSON.stringify(shown)}) or choose another path.`);
  }
  if (!dirStat.isDirectory()) throw new UserError(`Cannot write ${o.flag} "${o.file}": "${shown}" is not a folder.`, 'Choose a path inside an existing folder.');
  if (!(await access(dir, constants.W_OK).then(() => true, () => false))) {
    throw new UserError(`Cannot write ${o.flag} "${o.file}": the folder "${shown}" is not writable.`, 'Choose a folder you can write in, or change its permissions.');
  }
}

function defaultName(flag: string): string {
  return flag === '--report' ? 'report.json' : flag === '--html' ? 'report.html' : flag === '--holdout-out' ? 'holdout.csv' : flag === '--train-out' ? 'train.csv' : 'synthetic.csv';
}

function suggestName(input: string, flag: string): string {
  const ext = path.extname(input);
  const stem = input.slice(0, input.length - ext.length);
  const tag = flag === '--holdout-out' ? 'holdout' : flag === '--train-out' ? 'train' : flag === '--report' ? 'report' : flag === '--html' ? 'report' : 'synthetic';
  const newExt = flag === '--report' ? '.json' : flag === '--html' ? '.html' : ext || '.csv';
  return `${stem}.${tag}${newExt}`;
}
