#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli/main.ts and the engine code it reaches) into plain JavaScript in dist-cli/,
 * so that `npx facsimile` starts without compiling TypeScript. Run by the root `prepare` script (npm
 * runs it on `npm install` and `npm ci`) and by `npm run build:cli`.
 *
 * Dynamic imports stay dynamic (esbuild code splitting): each command and each engine is its own
 * chunk, so `facsimile --help` loads the entry and the engines' descriptors, nothing else.
 *
 *   node scripts/build-cli.mjs           build
 *   node scripts/build-cli.mjs --if-stale build only when dist-cli/ is missing or older than the sources
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(ROOT, 'dist-cli');
export const ENTRY = path.join(OUT_DIR, 'main.js');
/** Chunks no longer referenced are kept this long (a CLI started from the former build may load them). */
const STALE_CHUNK_MS = 60 * 60 * 1000;
/** Sources the bundle is made of: a change under these makes it stale. */
const SOURCES = ['src/cli', 'src/core', 'package.json', 'scripts/build-cli.mjs'];

function newestMtime(p) {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/** True when dist-cli/ is missing or older than any source file. */
export function isStale() {
  const built = statSync(ENTRY, { throwIfNoEntry: false });
  if (!built) return true;
  return SOURCES.some((s) => newestMtime(path.join(ROOT, s)) > built.mtimeMs);
}

/** Build dist-cli/. Returns false (with a warning) when esbuild is not installed (an install without dev dependencies). */
export async function buildCli({ quiet = false } = {}) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('build-cli: esbuild is not installed; `facsimile` will run from the TypeScript sources (slower start).\n');
    return false;
  }
  const t0 = performance.now();
  // Built aside, then moved in: chunks (content-hashed names) first, main.js last by an atomic rename, so
  // that a CLI running meanwhile (another test run) keeps finding the chunks it may still import.
  const tmp = `${OUT_DIR}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    // Dependencies are bundled too (no node_modules look-ups at start); CommonJS ones may call require().
    banner: { js: "import { createRequire as __fxCreateRequire } from 'node:module'; const require = __fxCreateRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'warning',
    // Transformers.js (text models, --text-model) loads native ONNX Runtime and sharp binaries: resolved from
    // node_modules when a text model is given, never bundled.
    external: ['@huggingface/transformers'],
  });
  const chunks = path.join(OUT_DIR, 'chunks');
  mkdirSync(chunks, { recursive: true });
  const fresh = new Set(readdirSync(path.join(tmp, 'chunks')));
  for (const f of fresh) if (!existsSync(path.join(chunks, f))) copyFileSync(path.join(tmp, 'chunks', f), path.join(chunks, f));
  renameSync(path.join(tmp, 'main.js'), ENTRY);
  rmSync(tmp, { recursive: true, force: true });
  // Chunks of former builds: removed once no CLI started from them can still be running.
  for (const f of readdirSync(chunks)) {
    const file = path.join(chunks, f);
    if (!fresh.has(f) && Date.now() - statSync(file).mtimeMs > STALE_CHUNK_MS) rmSync(file, { force: true });
  }
  if (!quiet) process.stderr.write(`build-cli: dist-cli/ built in ${Math.round(performance.now() - t0)} ms\n`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ifStale = process.argv.includes('--if-stale');
  if (!ifStale || !existsSync(ENTRY) || isStale()) await buildCli();
}
