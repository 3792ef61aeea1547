// CSV export (RFC 4180) that spreadsheet programs open safely: cells that would start a formula are defused.

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // =, +, -, @, tab and CR at the start make Excel/LibreOffice evaluate a formula (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  const lines = [cols.map(cell).join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))];
  return lines.join('\r\n') + '\r\n';
}
