/** Evaluation metrics: fidelity, diagnostics, privacy and utility of a synthetic table. */
export { evaluate, type EvaluateInput } from './evaluate';
export type { Report } from '../report/types';
export { alignTables, type AlignedTables, type AlignedColumn } from './align';
export { ksStatistic, tvComplement, columnShape } from './shapes';
export { pearson, cramersV, pairTrend, jointCounts, tableTvComplement } from './pairs';
export { binForAccuracy, kWayAccuracy, comboAccuracy } from './kway';
export { diagnostics } from './diagnostics';
export { exactCopies } from './privacy/exactCopies';
export { distanceToClosestRecord, DEFAULT_DCR_SAMPLE } from './privacy/dcr';
export { utility } from './utility/tstr';
export { discriminator } from './utility/discriminator';
export { scorecard } from './scorecard';
