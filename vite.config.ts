import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { CONTENT_SECURITY_POLICY, CROSS_ORIGIN_ISOLATION } from './src/csp.ts';
import { nodeOnlyVendor, tfjsThreadsPatch, tfjsWasmAssets } from './scripts/tfjsWasmAssets.ts';

// The privacy wall: the same policy is sent as an HTTP header (a <meta> CSP does not bind workers
// loaded from a URL), written into index.html and shipped in public/_headers for static hosts.
const securityHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  ...CROSS_ORIGIN_ISOLATION,
};

export default defineConfig({
  plugins: [
    svelte(),
    tfjsWasmAssets(),
    nodeOnlyVendor(),
    tfjsThreadsPatch(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: false, // public/manifest.webmanifest is the manifest
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,wasm,csv,json,woff2}'],
        // ONNX Runtime's WASM (text models, ~27 MB) is precached too, so the Models page works offline.
        maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
        clientsClaim: true,
        skipWaiting: true,
        navigateFallback: 'index.html',
      },
    }),
  ],
  // Workers are bundled with their own plugin list.
  worker: { format: 'es', plugins: () => [nodeOnlyVendor(), tfjsThreadsPatch()] },
  server: { headers: securityHeaders },
  preview: { headers: securityHeaders },
  build: { target: 'es2022', sourcemap: false },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
