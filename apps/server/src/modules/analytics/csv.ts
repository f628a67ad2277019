/**
 * CSV rendering of a report (RFC 4180, CRLF, UTF-8 with BOM so spreadsheets
 * detect the encoding). One table: a `section` column names the part of the
 * report a row comes from (rows, totals, by_owner, rates_used, …).
 *
 * Security: text cells that a spreadsheet would run as a formula (leading
 * = + - @ tab or carriage return) are prefixed with an apostrophe; numbers
 * such as "-12.50" stay numbers.
 */
const META = new Set(['report', 'generated_at', 'timezone', 'base_currency', 'filters', 'rule']);
const NUMBER = /^-?\d+(\.\d+)?$/;

export function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export function reportToCsv(report: Record<string, unknown>): string {
  const rows: Record<string, unknown>[] = [];
  for (const [section, value] of Object.entries(report)) {
    if (META.has(section) || value === null || typeof value !== 'object') continue;
    const items = Array.isArray(value) ? (value as Record<string, unknown>[]) : [value as Record<string, unknown>];
    for (const item of items) rows.push({ section, ...item });
  }
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const lines = [columns.map(safeCell).join(','), ...rows.map((row) => columns.map((c) => safeCell(row[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function csvFileName(report: string, generatedAt: string): string {
  return `${report}-${generatedAt.slice(0, 10)}.csv`;
}
