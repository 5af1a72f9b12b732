export { tableToCsv, csvChunks, quoteField, type CsvOptions } from './csv';
export { formatValue, formatNumber, exportValue } from './formatValue';
export { guardFormula, isFormulaLike } from './formulaGuard';
