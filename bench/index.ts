/**
 * `npm run bench`: every benchmark under bench/, one after the other, each printing its figures.
 * `npm run bench -- ingest synth` runs only those whose file name starts with a given word.
 */
export {};

const suites: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  ingest: () => import('./ingest'),
  synth: () => import('./synth'),
  evaluate: () => import('./evaluate'),
};

const only = process.argv.slice(2);
for (const [name, load] of Object.entries(suites)) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  console.log(`\n=== bench: ${name} ===`);
  const t0 = performance.now();
  await (await load()).run();
  console.log(`=== ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s ===`);
}
