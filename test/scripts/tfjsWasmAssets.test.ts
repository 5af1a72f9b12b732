/**
 * The build's patch that lets tfjs-backend-wasm start its threads in the bundled app: each thread imports
 * tfjs's own unbundled script from this origin instead of a blob of the bundle's minified source.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { TFJS_THREADED_SCRIPT, tfjsThreadsPatch } from '../../scripts/tfjsWasmAssets';

const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json').replace(/package\.json$/, '');
const backendFile = `${pkg}dist/backend_wasm.js`;

type Transform = (this: { error: (m: string) => never }, code: string, id: string) => { code: string } | null;
const transform = tfjsThreadsPatch().transform as unknown as Transform;
const ctx = { error: (m: string): never => { throw new Error(m); } };

describe('tfjsThreadsPatch', () => {
  it('hands the threads a same-origin script URL when one is set, and marks the bundle as patched', () => {
    const out = transform.call(ctx, readFileSync(backendFile, 'utf8'), backendFile)!;
    expect(out.code.startsWith('globalThis.__facsimileTfjsThreadsPatched = true;')).toBe(true);
    expect(out.code).toContain('factoryConfig.mainScriptUrlOrBlob = globalThis.__facsimileTfjsThreadScript ?? new Blob(');
    expect(out.code).not.toContain('factoryConfig.mainScriptUrlOrBlob = new Blob(');
  });

  it('leaves other modules alone and fails the build when tfjs changes the line it patches', () => {
    expect(transform.call(ctx, 'export const x = 1;', '/x/node_modules/@tensorflow/tfjs-core/dist/index.js')).toBeNull();
    expect(() => transform.call(ctx, 'export const x = 1;', backendFile)).toThrow(/tfjs-backend-wasm changed/);
  });

  it('serves the script the threads import: tfjs’s own, which defines the factory the thread calls by name', () => {
    const script = readFileSync(`${pkg}wasm-out/${TFJS_THREADED_SCRIPT}`, 'utf8');
    expect(script).toMatch(/^var WasmBackendModuleThreadedSimd = /m);
  });
});
