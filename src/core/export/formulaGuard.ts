/**
 * Spreadsheet formula injection: a CSV cell that starts with = + - @ (or a tab or carriage return)
 * is run as a formula by Excel, LibreOffice and Sheets when the file is opened. A synthetic export may
 * carry such text from its source, so text cells get a leading apostrophe, which spreadsheets show as
 * text (OWASP's advice). Numbers are left as they are: "-3.5" is a value, not a formula.
 */
const TRIGGER = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function isFormulaLike(text: string): boolean {
  return TRIGGER.test(text) && !NUMBER.test(text);
}

export function guardFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}
