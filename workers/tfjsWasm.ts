/**
 * Where the transformer's tfjs WASM backend finds its binaries in a worker: served by the app itself at
 * <base>/tfjs/ (scripts/tfjsWasmAssets.ts), never a CDN. Imported lazily, with the engine, so other
 * engines never load tfjs.
 */
export async function configureTfjsWasm(): Promise<void> {
  const { configureWasmPaths } = await import('../src/core/synth/transformer/backend');
  configureWasmPaths(new URL(`${import.meta.env.BASE_URL}tfjs/`, self.location.origin).href);
}
