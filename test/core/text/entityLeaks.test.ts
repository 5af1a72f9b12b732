import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random/rng';
import type { Schema } from '../../../src/core/schema/schema';
import { registry } from '../../../src/core/synth/registry';
import { categoricalFromStrings, makeTable } from '../../../src/core/table/table';
import { columnTexts } from '../../../src/core/metrics/text';
import { buildLeakGuard, entitiesInOneRow, LeakGuard, normalizeEntity } from '../../../src/core/text/leakGuard';
import { scanTextPii } from '../../../src/core/text/scan';
import type { TextGenerator, TextRequest } from '../../../src/core/text/generator';
import { EntityFinder } from '../../../src/core/text/transformersText';

/**
 * The leak guard on named entities a NER model found (issue 17: "no synthetic text may contain ... a
 * detected entity that occurs in exactly one training row"), with the tiny NER model (it knows alice,
 * bruno, chidi, dana, paris, lagos, oslo, lima, acme, globex, initech).
 */
const MODELS = resolve(__dirname, '../../fixtures/models');

describe('entities of exactly one training row', () => {
  it('normalises entity strings: pieces joined, case and accents folded', () => {
    expect(normalizeEntity('  Jean ##ne  DUPONT ')).toBe('jeanne dupont');
    expect(normalizeEntity('José')).toBe('jose');
    expect(normalizeEntity(' - ')).toBe('');
  });

  it('counts the rows an entity occurs in (whole word, case aside), found by the model there or not', () => {
    const texts = ['Alice called Acme', 'bruno met ALICE', "Chidi's refund from Paris", 'malice in lagos', null, 'dana', 'dana'];
    // alice: 2 rows; acme, chidi, paris, lagos: 1 each; dana: 2 rows; "malice" is not alice.
    expect(entitiesInOneRow(texts, ['alice', 'Acme', 'chidi', 'paris', 'lagos', 'dana', 'oslo', 'a'])).toEqual(['acme', 'chidi', 'lagos', 'paris']);
    // Distinct texts weighted by their rows: a text held by two rows is not unique.
    expect(entitiesInOneRow(['Chidi called', 'Bruno called'], ['chidi', 'bruno'], [2, 1])).toEqual(['bruno']);
  });

  it('flags a text holding one, whole word and case aside, and cuts at it', () => {
    const guard = LeakGuard.from(buildLeakGuard(['x'])).withEntities(['chidi', 'new york']);
    expect(guard.check('so CHIDI called again')).toEqual({ kind: 'named-entity', end: 2 });
    expect(guard.check("Chidi's order")?.kind).toBe('named-entity');
    expect(guard.check('flew to New  York today')).toEqual({ kind: 'named-entity', end: 4 });
    expect(guard.check('chidia and york called')).toBeNull();
    expect(LeakGuard.from(buildLeakGuard(['x'])).check('so chidi called')).toBeNull();
  });
});

/** 40 rows: "dana" in several rows, "paris" in many, "chidi" planted in one row only. */
function namesTable(): { table: ReturnType<typeof makeTable>; schema: Schema } {
  const texts = Array.from({ length: 40 }, (_, i) =>
    i === 39 ? 'chidi called about the refund again' : i % 5 === 0 ? `dana called from paris about the order ${i % 2 ? 'today' : 'again'}` : `the customer called from paris about the ${i % 3 ? 'order' : 'delay'}`,
  );
  const table = makeTable([categoricalFromStrings('group', Array.from({ length: 40 }, (_, i) => (i % 2 ? 'a' : 'b'))), categoricalFromStrings('notes', texts)]);
  const schema: Schema = {
    columns: [
      { name: 'group', kind: 'categorical', role: 'synthesize', pii: [] },
      { name: 'notes', kind: 'text', role: 'synthesize-text', pii: [] },
    ],
  };
  return { table, schema };
}

describe('the leak guard with the tiny NER model (pipeline)', () => {
  it('rewrites a text echoing a name of one training row, counts it, and leaves shared names alone', async () => {
    const ner = await EntityFinder.load({ root: MODELS, name: 'tiny-ner' });
    const { table, schema } = namesTable();
    // The cleaning pass (what `synth --text-model` runs before the fit) gives the unique entities too.
    const { cleaned, uniqueEntities } = await scanTextPii(table, ['notes'], {}, ner);
    expect(uniqueEntities).toEqual({ notes: ['chidi'] });
    expect(columnTexts(cleaned, 'notes')![39]).toBe('[PERSON] called about the refund again');

    let calls = 0;
    const echo: TextGenerator = {
      label: 'echo',
      async generate(requests: readonly TextRequest[]) {
        calls++;
        // First call: the planted sentence (a name of one row) next to shared names; then a harmless text.
        return requests.map((_, k) => (calls === 1 ? (k % 2 ? 'chidi called about the refund again' : 'dana called from paris') : 'the order was late'));
      },
    };
    const model = await (await registry.loadSynthesizer('copula')).fit(cleaned, schema, {}, { rng: new Rng(4) });
    const out = await model.sample(16, { seed: 4, textGenerator: echo, uniqueTextEntities: uniqueEntities });
    const syn = columnTexts(out, 'notes')!.filter((t): t is string => t !== null);
    expect(syn.length).toBeGreaterThan(4);
    expect(syn.some((t) => /chidi/i.test(t))).toBe(false);
    // "dana" (5 rows) and "paris" (39 rows) are not flagged: those texts are kept as written.
    expect(syn.filter((t) => t === 'dana called from paris').length).toBeGreaterThan(0);
    expect(model.stats.entityLeaks).toBeGreaterThan(0);
    expect(model.stats.entityLeaks).toBe(syn.filter((t) => t === 'the order was late').length);
    expect(model.stats.redrawnTexts).toBe(model.stats.entityLeaks);
    expect(model.stats.cutTexts).toBe(0);

    // Without the option the guard does not know the name (the fit saw only placeholders): the echo passes.
    calls = 0;
    const plain = await model.sample(16, { seed: 4, textGenerator: echo });
    expect(columnTexts(plain, 'notes')!.some((t) => t?.includes('chidi'))).toBe(true);
    expect(model.stats.entityLeaks).toBe(0);
  });

  it('cuts the name when every rewrite echoes it, and keeps it out of the fallback too', async () => {
    const { table, schema } = namesTable();
    const model = await (await registry.loadSynthesizer('copula')).fit(table, schema, {}, { rng: new Rng(2) });
    const always: TextGenerator = { label: 'always', generate: async (r) => r.map(() => 'the staff said chidi was late') };
    const out = await model.sample(8, { seed: 2, textGenerator: always, uniqueTextEntities: { notes: ['chidi'] } });
    const syn = columnTexts(out, 'notes')!.filter((t): t is string => t !== null);
    expect(syn.length).toBeGreaterThan(0);
    expect(syn.every((t) => t === 'the staff said')).toBe(true);
    expect(model.stats.cutTexts).toBe(syn.length);
    // The fallback, trained on raw texts here with min 5 rows per word, never writes chidi; the option does not break it.
    const fb = await model.sample(50, { seed: 3, uniqueTextEntities: { notes: ['chidi', 'dana'] } });
    expect(columnTexts(fb, 'notes')!.some((t) => t && /chidi|dana/.test(t))).toBe(false);
  });
});
