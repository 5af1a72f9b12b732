import { profileColumn } from '/work/main/src/core/profile/columnStats';
let bad = 0;
for (let t = 0; t < 3000; t++) {
  const L = 1 + Math.floor(Math.random() * 60); const n = Math.floor(Math.random() * 300);
  const codes = new Int32Array(n).map(() => Math.random() < 0.1 ? -1 : Math.floor(Math.random() ** 2 * L));
  const levels = Array.from({ length: L }, (_, k) => 'l' + k);
  const p = profileColumn({ type: 'categorical', name: 'x', codes, levels } as any, { name: 'x', kind: 'categorical', role: 'synthesize', pii: [] }, {});
  const counts = new Int32Array(L); for (const c of codes) if (c >= 0) counts[c]++;
  const order = [...counts.keys()].filter((k) => counts[k] > 0).sort((a, b) => counts[b] - counts[a] || a - b).slice(0, 20);
  if (JSON.stringify(order.map((k) => ({ value: levels[k], count: counts[k] }))) !== JSON.stringify(p.topValues)) bad++;
}
console.log('bad', bad);
