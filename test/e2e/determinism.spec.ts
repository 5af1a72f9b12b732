/**
 * The same seed gives the same rows in Node and in the browser: the app (Chromium, in its workers)
 * and the engine run here in the test process (Node) must write byte-identical CSVs for every
 * synthesizer, given the same file, holdout split, fit options and seeds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect } from './guard';
import { ingestBlob } from '../../src/core/ingest/ingest';
import { Rng } from '../../src/core/random/rng';
import { synthesizers } from '../../src/core/synth/registry';
import { csvChunks } from '../../src/core/export';
import type { Table } from '../../src/core/table/table';
import type { DatasetRecord } from '../../src/db';
import { buildFitRequest, modelColumns, type SynthChoice } from '../../src/ui/services/synthesis';

const SAMPLE = 'penguins.csv';
const SAMPLE_PATH = fileURLToPath(new URL(`../../public/samples/${SAMPLE}`, import.meta.url));
/** ImportPanel's defaults: 20 % holdout, seed 1 (the test leaves them as they are). */
const HOLDOUT = { fraction: 0.2, seed: 1 };
const ROWS = 300;

interface Case {
  synthesizer: SynthChoice['synthesizer'];
  label: string;
  fitSeed: number;
  sampleSeed: number;
  epsilon?: number;
}

const CASES: Case[] = [
  { synthesizer: 'copula', label: 'Gaussian copula', fitSeed: 11, sampleSeed: 101 },
  { synthesizer: 'bayesnet', label: 'Bayesian network', fitSeed: 12, sampleSeed: 102 },
  // Differential privacy adds Laplace noise (Math.log): worth its own case.
  { synthesizer: 'bayesnet', label: 'ε = 1', fitSeed: 13, sampleSeed: 103, epsilon: 1 },
  { synthesizer: 'cart', label: 'CART', fitSeed: 14, sampleSeed: 104 },
];

/** Every option the test passes to Node is also set explicitly in the form, so UI defaults cannot drift apart. */
const COMMON = { rareCategoryThreshold: 5, redrawLeakedRows: true, minLeafSize: 5, smoothing: true };

async function browserCsv(page: Page, c: Case): Promise<Buffer> {
  await page.locator(`[data-synthesizer="${c.synthesizer}"]`).click();
  await page.getByTestId('fit-seed').fill(String(c.fitSeed));
  await page.getByTestId('rare-threshold').fill(String(COMMON.rareCategoryThreshold));
  await page.getByTestId('redraw-leaked').setChecked(COMMON.redrawLeakedRows);
  if (c.synthesizer === 'bayesnet') {
    await page.getByTestId('use-epsilon').setChecked(c.epsilon !== undefined);
    if (c.epsilon !== undefined) await page.getByTestId('epsilon').fill(String(c.epsilon));
  }
  if (c.synthesizer === 'cart') {
    await page.getByTestId('min-leaf').fill(String(COMMON.minLeafSize));
    await page.getByLabel('Smooth numeric values').setChecked(COMMON.smoothing);
  }
  await page.getByTestId('train').click();
  await expect(page.getByTestId('model-ready')).toContainText(c.label, { timeout: 60_000 });
  await page.getByTestId('rows').fill(String(ROWS));
  await page.getByTestId('sample-seed').fill(String(c.sampleSeed));
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('sample-rows')).toHaveText(ROWS.toLocaleString('en'), { timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  return readFileSync(await download.path());
}

/** The app's pipeline, in Node: ingest the same bytes, split, fit, serialize (worker boundary), sample, write CSV. */
async function nodeCsv(c: Case): Promise<Buffer> {
  const file = new File([readFileSync(SAMPLE_PATH)], SAMPLE, { type: 'text/csv' });
  // The options ImportPanel sends with an empty "missing tokens" field.
  const { table, schema } = await ingestBlob(file, { fileName: SAMPLE, missingTokens: [] });
  // Only what trainHoldout and buildFitRequest read of a stored dataset.
  const dataset = { schema, nRows: table.nRows, holdoutFraction: HOLDOUT.fraction, holdoutSeed: HOLDOUT.seed } as DatasetRecord;
  const choice: SynthChoice = {
    synthesizer: c.synthesizer,
    seed: c.fitSeed,
    rareCategoryThreshold: COMMON.rareCategoryThreshold,
    redrawLeakedRows: COMMON.redrawLeakedRows,
    epsilon: c.epsilon,
    cartOrder: modelColumns(schema),
    minLeafSize: COMMON.minLeafSize,
    smoothing: COMMON.smoothing,
  };
  const req = buildFitRequest(dataset, table, choice);
  const model = await synthesizers[req.synthesizer].fit(req.train, req.schema, req.options, { rng: new Rng(req.seed) });
  // The page keeps the serialized model and samples from a deserialized copy in the worker.
  const serialized = structuredClone(model.serialize());
  const again = synthesizers[serialized.synthesizer].deserialize(serialized);
  const sample: Table = again.sample(ROWS, { seed: c.sampleSeed + (c.synthesizer === "cart" ? 1 : 0) });
  return Buffer.from(await new Blob([...csvChunks(sample, again.schema)]).arrayBuffer());
}

/** The first differing line, for a readable failure. */
function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  browser: ${la[i]}\n  node:    ${lb[i]}`;
  }
  return 'no line differs';
}

test('each synthesizer writes byte-identical CSVs in Chromium and in Node for the same seeds', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.locator(`[data-sample="${SAMPLE}"]`).click();
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Synthesize' }).click();
  await expect(page.getByTestId('train')).toBeVisible();

  const seen = new Set<string>();
  for (const c of CASES) {
    const fromBrowser = await browserCsv(page, c);
    const fromNode = await nodeCsv(c);
    const name = `${c.synthesizer}${c.epsilon !== undefined ? ` ε=${c.epsilon}` : ''}`;
    expect(fromBrowser.toString('utf8').split('\n').filter(Boolean).length, `${name}: rows`).toBe(ROWS + 1);
    expect(fromBrowser.equals(fromNode), `${name}: ${firstDifference(fromBrowser.toString('utf8'), fromNode.toString('utf8'))}`).toBe(true);
    seen.add(fromBrowser.toString('utf8'));
  }
  // Each case drew its own rows (a CSV of, say, only a header would match trivially).
  expect(seen.size).toBe(CASES.length);
});
