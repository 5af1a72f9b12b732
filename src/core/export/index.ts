export { tableToCsv, csvChunks, quoteField, type CsvOptions } from './csv';
export { tableToTsv, tsvChunks } from './tsv';
export { tableToJson, jsonChunks } from './json';
export { formatValue, formatNumber, exportValue } from './formatValue';
export { guardFormula, isFormulaLike } from './formulaGuard';
