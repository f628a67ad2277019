/**
 * CSV cells (RFC 4180) that are safe to open in a spreadsheet: a text cell
 * starting with = + - @ tab or CR would be read as a formula (CSV injection),
 * so it gets a leading single quote. Plain numbers are left alone.
 */
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const QUOTE = /[",\r\n]|^\s|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = Array.isArray(value) ? value.join('; ') : typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
  if (FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return QUOTE.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
