/**
 * `npm run bench`: every benchmark under bench/, one after the other, each printing its figures.
 * `npm run bench -- ingest synth` runs only those whose name starts with a given word; a word that is a
 * whole suite name picks that suite alone (`synth` runs synth, not synth-browser).
 */
export {};

const suites: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  ingest: () => import('./ingest'),
  synth: () => import('./synth'),
  transformer: () => import('./transformer'),
  evaluate: () => import('./evaluate'),
  rules: () => import('./rules'),
  privacy: () => import('./privacy'),
  'privacy-oracle': () => import('./privacyOracle'),
  generations: () => import('./generations'),
  'evaluate-browser': () => import('./evaluate-browser'),
  'synth-browser': () => import('./synth-browser'),
  text: () => import('./text'),
  'text-browser': () => import('./text-browser'),
  'text-huge': () => import('./text-huge'),
  cli: () => import('./cli'),
  'page-memory': () => import('./page-memory'),
  'transformer-browser': () => import('./transformer-browser'),
  'transformer-profile': () => import('./transformerProfile'),
};

const only = process.argv.slice(2);
for (const [name, load] of Object.entries(suites)) {
  if (only.length && !only.some((o) => name === o || (name.startsWith(o) && !(o in suites)))) continue;
  console.log(`\n=== bench: ${name} ===`);
  const t0 = performance.now();
  await (await load()).run();
  console.log(`=== ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s ===`);
}
