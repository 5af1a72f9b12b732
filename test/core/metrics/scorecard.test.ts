import { describe, expect, it } from 'vitest';
import {
  DCR_GOOD_MAX,
  DISCRIMINATOR_POOR_AUC,
  FIDELITY_RULES,
  fidelityEntry,
  PRIVACY_RULES,
  privacyEntry,
  SHAPE_FAILED,
  UTILITY_RULES,
  utilityEntry,
} from '../../../src/core/metrics/scorecard';
import type { Discriminator, Fidelity, Privacy, Utility } from '../../../src/core/report/types';

const fidelity = (acc: number, ceiling: number, shapes: [string, number][] = [['a', 0.95]]): Fidelity =>
  ({
    shapes: 0.9,
    pairs: 0.9,
    pairsThatMatter: null,
    pairsThatMatterCount: 0,
    quality: 0.9,
    accuracy: { synthetic: [acc, acc, acc], ceiling: [ceiling, ceiling, ceiling], combinations: [3, 3, 1], syntheticRows: 100 },
    columns: shapes.map(([name, score]) => ({ name, score })),
    pairList: [],
    associations: { columns: [], real: [], synthetic: [] },
  }) as unknown as Fidelity;
const disc = (auc: number) => ({ auc }) as Discriminator;
const privacy = (share: number, unique = 0, uniqueHoldout = 0, sampleSize = 100): Privacy =>
  ({ dcr: { share, sampleSize }, exactCopies: { uniqueSynthetic: unique, uniqueHoldout } }) as unknown as Privacy;

describe('verdicts follow their figures (one rule table each)', () => {
  it('fidelity: never good when a discriminator tells the rows apart, or a column was not reproduced', () => {
    expect(fidelityEntry(fidelity(0.95, 0.955)).level).toBe('good');
    const told = fidelityEntry(fidelity(0.95, 0.955), disc(1));
    expect(told.level).toBe('poor');
    expect(told.decidedBy).toBe(`discriminator AUC 1.00 (≥ ${DISCRIMINATOR_POOR_AUC})`);
    const lost = fidelityEntry(fidelity(0.95, 0.955, [['a', 0.95], ['diagnosis', 0.02]]));
    expect(lost.level).toBe('poor');
    expect(lost.decidedBy).toContain('"diagnosis" 0.020');
    expect(SHAPE_FAILED).toBeGreaterThan(0.02);
    expect(fidelityEntry(fidelity(0.9, 0.95)).level).toBe('fair');
    expect(fidelityEntry(fidelity(0.8, 0.95)).level).toBe('poor');
    expect(fidelityEntry(fidelity(0.8, 0.95)).decidedBy).toContain('below the ceiling');
  });

  it('privacy: never good above a DCR share of 0.55 (even on a small sample), or with more unique copies than the holdout', () => {
    expect(privacyEntry(privacy(0.5)).level).toBe('good');
    // 30 rows: the noise margin alone would allow up to 0.77.
    const wide = privacyEntry(privacy(0.6, 0, 0, 30));
    expect(wide.level).toBe('fair');
    expect(wide.decidedBy).toContain('DCR share 60.0%');
    expect(DCR_GOOD_MAX).toBe(0.55);
    const copies = privacyEntry(privacy(0.5, 0.003, 0.002));
    expect(copies.level).toBe('fair');
    expect(copies.decidedBy).toContain('copies of unique training rows');
    expect(privacyEntry(privacy(0.5, 0.05, 0.01)).level).toBe('poor');
  });

  it('utility: unknown only without a figure; a target nobody can predict is a verdict too', () => {
    expect(utilityEntry(null).level).toBe('unknown');
    const u = (ratio: number | null) => ({ target: 't', metric: 'macroF1', tstr: { macroF1: 0.5 }, trtr: { macroF1: 0.6 }, ratio }) as unknown as Utility;
    expect(utilityEntry(u(0.95)).level).toBe('good');
    expect(utilityEntry(u(0.8)).level).toBe('fair');
    expect(utilityEntry(u(0.5)).level).toBe('poor');
    expect(utilityEntry(u(null)).level).toBe('fair');
  });

  it('every table ends with a rule that always holds', () => {
    for (const table of [FIDELITY_RULES, PRIVACY_RULES, UTILITY_RULES] as { holds(f: unknown): boolean }[][]) {
      expect(table.at(-1)!.holds({})).toBe(true);
    }
  });
});
