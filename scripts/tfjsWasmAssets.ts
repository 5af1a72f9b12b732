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

function distFolder(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return pkg.slice(0, pkg.length - 'package.json'.length) + 'dist/';
}

export function tfjsWasmAssets(): Plugin {
  const dir = distFolder();
  return {
    name: 'facsimile-tfjs-wasm',
    configureServer(server) {
      server.middlewares.use(`/${TFJS_WASM_FOLDER}`, (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
        if (!FILES.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(dir + name));
      });
    },
    generateBundle() {
      for (const name of FILES) this.emitFile({ type: 'asset', fileName: TFJS_WASM_FOLDER + name, source: readFileSync(dir + name) });
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
