#!/usr/bin/env node
// Entry point of `npx facsimile`: runs the prebuilt CLI in dist-cli/ (scripts/build-cli.mjs, run by the
// `prepare` script on `npm install` / `npm ci`, or `npm run build:cli`). Without it, falls back to the
// TypeScript sources through tsx, which starts several times slower.
let main;
try {
  ({ main } = await import('../../dist-cli/main.js'));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist-cli')) throw e;
  process.stderr.write('facsimile: dist-cli/ is not built; running from the sources (slow start). Run `npm run build:cli`.\n');
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
