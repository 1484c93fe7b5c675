// A table's column headings. A number column's heading aligns right like its numbers; a hidden one
// (the row's buttons) is there for screen readers only.
export type Column = string | { num: string } | { hidden: string };

export function ColumnHeads({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) =>
          typeof column === 'string' ? (
            <th key={index} scope="col">
              {column}
            </th>
          ) : 'num' in column ? (
            <th key={index} scope="col" className="num">
              {column.num}
            </th>
          ) : (
            <th key={index} scope="col">
              <span className="sr-only">{column.hidden}</span>
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
