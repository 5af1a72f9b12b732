import { openAsBlob, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { it } from 'vitest';
import { Rng } from '../../../src/core/random/rng';
import { ingestBlob } from '../../../src/core/ingest';
import { synthesizers } from '../../../src/core/synth/registry';
import { profileTable } from '../../../src/core/profile';
import { evaluate } from '../../../src/core/metrics';
import { takeRows, type Table } from '../../../src/core/table/table';
import { DATA_DIR } from '../../fixtures/dataDir';

const h = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
function cells(t: Table): string {
  return h(t.columns.map((c) => c.type === 'numeric' ? `${c.name}:${Buffer.from(new Float64Array(c.values).buffer).toString('hex')}` : `${c.name}:${JSON.stringify(Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k])))}`).join('|'));
}
function ser(x: unknown): string {
  return h(JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Buffer.from((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, (v as Uint8Array).byteLength).toString('hex') : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}

it('fingerprint', async () => {
  const out: Record<string, string> = {};
  for (const f of ['penguins.csv', 'slid.csv', 'txhousing.csv']) {
    const { table, schema } = await ingestBlob(await openAsBlob(`${DATA_DIR}/${f}`), { fileName: f });
    out[`${f}/profile`] = ser(profileTable(table, schema));
    for (const [id, options] of [['copula', {}], ['bayesnet', {}], ['bayesnet', { epsilon: 1 }], ['cart', {}]] as const) {
      const m = await synthesizers[id].fit(table, schema, options as Record<string, unknown>, { rng: new Rng(7) });
      const s = m.sample(400, { seed: 11 });
      out[`${f}/${id}${JSON.stringify(options)}/sample`] = cells(s);
      out[`${f}/${id}${JSON.stringify(options)}/model`] = ser(m.serialize());
      if (f === 'penguins.csv' && id === 'cart') {
        const n = table.nRows, a = Math.round(n * 0.6);
        const idx = Int32Array.from({ length: n }, (_, i) => i);
        const r = await evaluate({ train: takeRows(table, idx.slice(0, a)), holdout: takeRows(table, idx.slice(a)), synthetic: s, schema, target: 'species', label: 'x', sampleSize: 300 }, { rng: new Rng(1) });
        out[`${f}/evaluate`] = ser(r);
      }
    }
  }
  writeFileSync(`/tmp/fp-${process.env.FP_LABEL ?? 'x'}.json`, JSON.stringify(out, null, 1));
}, 600_000);
