import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './guard';
import { plantedCsv } from '../core/rules/plantedCsv';
import { synthesizeAndSave } from './synthesize';

const dir = mkdtempSync(join(tmpdir(), 'fx-e2e-rules-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function importPlanted(page: Page) {
  const file = join(dir, 'planted.csv');
  writeFileSync(file, plantedCsv(400));
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('project-title')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('tab', { name: 'Profile & quality' }).click();
  await expect(page.getByTestId('rules-panel')).toBeVisible({ timeout: 30_000 });
}

const found = (page: Page, rule: string) => page.locator(`[data-testid="found-rule"][data-rule="${rule}"]`);

test('the rules panel shows the rules found, keeps the choices, declares and removes rules, and the report shows adherence', async ({ page }) => {
  test.setTimeout(240_000);
  await importPlanted(page);
  for (const rule of ['fixed: city, country', 'end >= start', 'missing(chapter) == (death = 0)', 'total = a + b']) {
    await expect(found(page, rule)).toBeVisible();
    await expect(found(page, rule).getByRole('checkbox', { name: 'Keep this rule' })).toBeChecked();
  }

  // Turn one off: saved with the project, still off after a reload.
  await found(page, 'total = a + b').getByRole('checkbox').uncheck();
  await expect(page.getByRole('status').filter({ hasText: 'no longer kept' })).toBeVisible();
  await page.reload();
  await page.getByRole('tab', { name: 'Profile & quality' }).click();
  await expect(found(page, 'total = a + b').getByRole('checkbox')).not.toBeChecked({ timeout: 30_000 });
  await expect(found(page, 'end >= start').getByRole('checkbox')).toBeChecked();

  // A rule naming an unknown column is explained, not saved.
  await page.getByTestId('new-rule').fill('ends >= start');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('rule-error')).toContainText('"ends", which is not a column');
  await expect(page.getByTestId('rule-error')).toContainText('Did you mean "end"');
  // Contradictions too.
  await page.getByTestId('new-rule').fill('start >= end + 1');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('rule-error')).toContainText('contradict');
  // A good one is declared, listed, and can be removed.
  await page.getByTestId('new-rule').fill('end >= start + 1');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('declared-rule')).toHaveText(/end >= start \+ 1/);
  await page.getByTestId('new-rule').fill('size <= price');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('declared-rule')).toHaveCount(2);
  // Written the one way rules are stored: the greater column first.
  await expect(page.getByTestId('declared-rule').nth(1)).toHaveText(/price >= size/);
  await page.getByRole('button', { name: 'Remove the rule price >= size' }).click();
  await expect(page.getByTestId('declared-rule')).toHaveCount(1);

  // Train, generate, save and evaluate: the report lists each rule with its shares.
  await synthesizeAndSave(page, 'cart');
  await page.getByRole('tab', { name: 'Report' }).click();
  await page.getByTestId('evaluate').click();
  const rules = page.getByTestId('report-rules');
  await expect(rules).toBeVisible({ timeout: 90_000 });
  const row = (rule: string) => rules.locator('tbody tr').filter({ has: page.locator('code', { hasText: rule }) });
  await expect(row('end >= start + 1')).toContainText('declared');
  // Declared, not true of every training row, yet kept in every synthetic row.
  await expect(row('end >= start + 1').locator('td').nth(3)).toHaveText('100.0%');
  await expect(row('fixed: city, country').locator('td').nth(3)).toHaveText('100.0%');
  await expect(row('missing(chapter) == (death = 0)').locator('td').nth(3)).toHaveText('100.0%');
});
