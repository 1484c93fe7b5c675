// A Markdown table from rows of cells; `|` inside a cell is escaped so the table stays whole.

export type Cell = string | number | undefined;

export function markdownTable(header: string[], rows: Cell[][]): string {
  const text = (cell: Cell) => (cell === undefined ? '' : String(cell)).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [header.map(text), header.map(() => '---'), ...rows.map((row) => header.map((_, i) => text(row[i])))];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function printTable(header: string[], rows: Cell[][]): void {
  console.log(markdownTable(header, rows));
}
