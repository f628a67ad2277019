/**
 * CSV cells (RFC 4180) that are safe to open in a spreadsheet: a text cell
 * starting with = + - @ tab or CR would be read as a formula (CSV injection),
 * so it gets a leading single quote. Plain numbers are left alone.
 */
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const QUOTE = /[",\r\n]|^\s|\s$/;

function textOf(value: unknown): string {
  if (Array.isArray(value)) return value.join('; ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = textOf(value);
  if (FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return QUOTE.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
