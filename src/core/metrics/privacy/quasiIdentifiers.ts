/**
 * Quasi-identifiers: columns that are not identifying alone but single a person out together (age,
 * sex, postcode, diagnosis… Sweeney's 87% of Americans unique on ZIP, birth date and sex). The report
 * shows the share of synthetic rows that match a training row unique on that set, beside the share of
 * holdout rows that do: a fresh sample of the population matches some by chance, a model that
 * memorised does more.
 */
import type { AlignedTables } from '../align';
import type { QuasiIdentifierMatches } from '../../report/types';
import type { Schema } from '../../schema/schema';
import { TrainingRowIndex } from './exactCopies';

/** Words in a column name that mark a quasi-identifier (matched on whole words of the name). */
const QI_WORDS = new Set([
  'age', 'sex', 'gender', 'zip', 'zipcode', 'postcode', 'postal', 'birth', 'birthdate', 'dob', 'born', 'yob',
  'race', 'ethnicity', 'ethnic', 'marital', 'diagnosis', 'diagnoses', 'icd', 'occupation', 'job', 'profession',
  'education', 'nationality', 'religion', 'county', 'district',
]);

/** Column names read as quasi-identifiers: by the words of their name, or a postcode PII mark. */
export function quasiIdentifierColumns(names: string[], schema?: Schema): string[] {
  return names.filter((name) => {
    const words = name
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter(Boolean);
    if (words.some((w) => QI_WORDS.has(w))) return true;
    return schema?.columns.find((c) => c.name === name)?.pii.some((p) => p.kind === 'postcode') ?? false;
  });
}

export function quasiIdentifierMatches(a: AlignedTables, schema?: Schema): QuasiIdentifierMatches | null {
  const names = quasiIdentifierColumns(a.columns.map((c) => c.name), schema);
  if (names.length < 2) return null; // one column alone is a marginal, not a combination
  const cols = a.columns.filter((c) => names.includes(c.name));
  const index = new TrainingRowIndex(cols.map((c) => c.train), a.nTrain);
  const share = (part: 'synthetic' | 'holdout', n: number) => {
    const values = cols.map((c) => c[part]);
    let unique = 0;
    for (let i = 0; i < n; i++) if (index.count(values, i) === 1) unique++;
    return { share: n ? unique / n : 0, count: unique };
  };
  const s = share('synthetic', a.nSynthetic), h = share('holdout', a.nHoldout);
  return { columns: names, synthetic: s.share, holdout: h.share, syntheticCount: s.count };
}
