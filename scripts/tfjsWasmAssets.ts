/**
 * Serves TensorFlow.js's WASM binaries from the app itself, at /tfjs/<name> (never from a CDN): the dev
 * server and the bench harness answer them from node_modules, and the build emits them with their own
 * names (the backend asks for them by name), so the service worker precaches them for offline use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

/** The URL folder, under the app's base, where the worker tells tfjs to find its binaries. */
export const TFJS_WASM_FOLDER = 'tfjs/';
const FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
/** The threaded build's Emscripten script, served unbundled: each WASM thread imports it (see below). */
export const TFJS_THREADED_SCRIPT = 'tfjs-backend-wasm-threaded-simd.js';

function packageFolder(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return pkg.slice(0, pkg.length - 'package.json'.length);
}

function distFolder(): string {
  return packageFolder() + 'dist/';
}

function threadedScript(): Buffer {
  return readFileSync(packageFolder() + 'wasm-out/' + TFJS_THREADED_SCRIPT);
}

export function tfjsWasmAssets(): Plugin {
  const dir = distFolder();
  return {
    name: 'facsimile-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use(`/${TFJS_WASM_FOLDER}`, (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
        if (name === TFJS_THREADED_SCRIPT) {
          res.setHeader('Content-Type', 'text/javascript');
          return res.end(threadedScript());
        }
        if (!FILES.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(dir + name));
      });
    },
    generateBundle() {
      for (const name of FILES) this.emitFile({ type: 'asset', fileName: TFJS_WASM_FOLDER + name, source: readFileSync(dir + name) });
      this.emitFile({ type: 'asset', fileName: TFJS_WASM_FOLDER + TFJS_THREADED_SCRIPT, source: threadedScript() });
    },
  };
}

/** What tfjs-backend-wasm hands each WASM thread as the script to import, and what we hand it instead. */
const THREAD_SCRIPT_BLOB = 'factoryConfig.mainScriptUrlOrBlob = new Blob(';
const THREAD_SCRIPT_URL = 'factoryConfig.mainScriptUrlOrBlob = globalThis.__facsimileTfjsThreadScript ?? new Blob(';

/**
 * WASM threads in a bundled app. tfjs-backend-wasm gives each thread a blob holding the source text of its
 * module factory (`factory.toString()`); bundled and minified, that text names variables of the bundle
 * that the thread does not have ("e is not defined"), and importing a blob would need `blob:` in the
 * CSP's script-src. This patch makes tfjs hand the threads the same-origin URL of its own unbundled
 * script instead (served by tfjsWasmAssets, set by backend.ts), and marks the bundle as patched: the
 * backend turns threads on only then (in the dev server, whose pre-bundled copy is not patched, threads
 * stay off). Fails the build if tfjs changes the line, rather than shipping a backend that never starts.
 */
export function tfjsThreadsPatch(): Plugin {
  return {
    name: 'facsimile-tfjs-threads',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/.test(id.split('?')[0])) return null;
      if (!code.includes(THREAD_SCRIPT_BLOB)) this.error(`tfjs-backend-wasm changed: "${THREAD_SCRIPT_BLOB}" not found in ${id}`);
      return { code: `globalThis.__facsimileTfjsThreadsPatched = true;\n${code.replace(THREAD_SCRIPT_BLOB, THREAD_SCRIPT_URL)}`, map: null };
    },
  };
}

/**
 * tfjs-core's gradients vendored for Node (src/core/synth/transformer/vendor) are imported only when the
 * code runs in Node; browser builds get an empty module in their place, so the app neither ships nor
 * precaches them (browsers register tfjs-core's own gradients).
 */
export function nodeOnlyVendor(): Plugin {
  const empty = '\0facsimile-node-only';
  return {
    name: 'facsimile-node-only-vendor',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id) => (id.endsWith('/vendor/tfjsGradients.js') ? empty : undefined),
    load: (id) => (id === empty ? 'export {};' : undefined),
  };
}
