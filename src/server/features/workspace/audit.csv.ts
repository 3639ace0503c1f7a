/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field with a
 * comma, quote or line break enclosed in quotes with its quotes doubled. A spreadsheet runs a
 * cell that starts with = + - @ (or a tab or carriage return before one of them) as a formula,
 * so such a cell is written with a leading apostrophe, which shows it as the text it is.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record with its CRLF. */
export function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
