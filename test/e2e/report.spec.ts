import type { Download, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect } from './guard';

async function importSample(page: Page, file = 'penguins.csv') {
  await page.goto('/');
  await page.locator(`[data-sample="${file}"]`).click();
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
}

/**
 * DEV HARNESS: a "synthetic" dataset written straight into IndexedDB (each column shuffled on its own),
 * with a model record that used differential privacy.
 */
async function seedSynthetic(page: Page, name: string, epsilon?: number) {
  await page.evaluate(
    async ({ name, epsilon }) => {
      const open = () =>
        new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open('facsimile');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
      const req = <T,>(r: IDBRequest<T>) => new Promise<T>((res, rej) => ((r.onsuccess = () => res(r.result)), (r.onerror = () => rej(r.error))));
      const db = await open();
      const tx0 = db.transaction(['projects', 'datasets', 'columnData'], 'readonly');
      const project = (await req(tx0.objectStore('projects').getAll()))[0];
      const source = await req(tx0.objectStore('datasets').get(project.currentDatasetId));
      const cols = await req(tx0.objectStore('columnData').index('datasetId').getAll(source.id));
      let s = 12345;
      const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
      const id = crypto.randomUUID();
      const now = Date.now();
      const shuffled = cols.map((c: { values?: Float64Array; codes?: Int32Array }) => {
        const arr = (c.values ?? c.codes)!.slice();
        for (let i = arr.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          const t = arr[i];
          arr[i] = arr[j];
          arr[j] = t;
        }
        return { ...c, datasetId: id, ...(c.values ? { values: arr } : { codes: arr }) };
      });
      const tx = db.transaction(['datasets', 'columnData', 'models'], 'readwrite');
      tx.objectStore('models').add({
        id: crypto.randomUUID(), projectId: project.id, datasetId: source.id, synthesizer: 'bayesnet',
        options: epsilon === undefined ? {} : { epsilon }, seed: 7, createdAt: now - 1, fitSeconds: 0.1,
        serialized: { synthesizer: 'bayesnet', version: 1, meta: {}, arrays: {} },
      });
      tx.objectStore('datasets').add({ ...source, id, name, origin: 'synthetic', parentId: source.id, createdAt: now });
      for (const c of shuffled) tx.objectStore('columnData').add(c);
      await new Promise((res, rej) => ((tx.oncomplete = res), (tx.onerror = () => rej(tx.error))));
      db.close();
    },
    { name, epsilon },
  );
}

function downloadText(d: Download): string {
  return d.path().then((p) => readFileSync(p, 'utf8')) as unknown as string;
}

test('evaluate a synthetic table: scorecard, charts, saved report, HTML and JSON exports', async ({ page }) => {
  await importSample(page);
  await seedSynthetic(page, 'penguins shuffled', 1);
  await page.getByRole('tab', { name: 'Report' }).click();
  await expect(page.getByTestId('synthetic-list')).toContainText('penguins shuffled');
  await page.getByTestId('evaluate').click();
  const view = page.getByTestId('report-view');
  await expect(view).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('scorecard')).toContainText(/2-way accuracy \d\.\d{3}/);
  await expect(page.getByTestId('score-privacy')).toContainText(/DCR share \d+\.\d%/);
  await expect(page.getByTestId('score-utility')).toContainText(/TSTR macro-F1 \d\.\d{3}/);
  expect(await view.locator('svg').count()).toBeGreaterThan(5);
  await expect(page.getByTestId('epsilon')).toContainText('ε = 1');
  await page.screenshot({ path: '/tmp/report-dev/shot.png', fullPage: true });
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-html').click()]);
  const html = await downloadText(dl);
  expect(html).toContain('2-way accuracy');
});
