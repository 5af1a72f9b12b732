export { tableToCsv, csvChunks, quoteField, type CsvOptions } from './csv';
export { formatValue, formatNumber } from './formatValue';
