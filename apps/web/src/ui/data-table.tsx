/**
 * The virtualised record table: only the rows in view are in the DOM, so 10,000+
 * rows loaded page by page (cursor) scroll smoothly. Header buttons sort, a
 * checkbox column selects, editable cells edit in place (Enter saves, Escape cancels).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import { EditableCell, type CellEditor } from './editable-cell.js';

export interface Column<T> {
  id: string;
  header: string;
  /** CSS grid track, e.g. 'minmax(12rem, 2fr)'. */
  width?: string;
  sortable?: boolean;
  render: (row: T) => ReactNode;
  editor?: CellEditor<T>;
}

export interface DataTableProps<T> {
  label: string;
  rows: T[];
  rowId: (row: T) => string;
  columns: Column<T>[];
  /** Known total (for aria-rowcount); undefined while more pages exist. */
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  sort?: string;
  onSort?: (sort: string | undefined) => void;
  selected?: ReadonlySet<string>;
  onSelectedChange?: (next: Set<string>) => void;
}

const ROW_HEIGHT = 44;

/** Smallest width of the grid: the checkbox column plus each column's minimum (the first argument of minmax, in rem). */
function minWidthOf(columns: { width?: string }[], selectable: boolean): string {
  const rem = columns.reduce((sum, c) => sum + Number(/minmax\(([\d.]+)rem/.exec(c.width ?? 'minmax(10rem, 1fr)')?.[1] ?? 10), selectable ? 2.75 : 0);
  return `${rem}rem`;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { rows, columns, hasMore, loadingMore, loadMore } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const selectable = Boolean(props.onSelectedChange);
  const template = `${selectable ? '2.75rem ' : ''}${columns.map((c) => c.width ?? 'minmax(10rem, 1fr)').join(' ')}`;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const minWidth = minWidthOf(columns, selectable);
  const lastIndex = items.length ? items[items.length - 1]!.index : 0;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 25) loadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, loadMore]);
  return (
    <div className="dt">
      <div ref={scrollRef} className="dt-scroll" data-testid="table-scroll" role="table" aria-label={props.label} aria-rowcount={hasMore ? -1 : rows.length + 1}>
        <HeaderRow {...props} template={template} selectable={selectable} minWidth={minWidth} />
        <div role="rowgroup" className="dt-body" style={{ height: virtualizer.getTotalSize(), minWidth }}>
          {items.map((vi) => {
            const row = rows[vi.index]!;
            return (
              <BodyRow key={props.rowId(row)} row={row} index={vi.index} top={vi.start} template={template} table={props} selectable={selectable} />
            );
          })}
        </div>
      </div>
      <p className="dt-foot muted" aria-live="polite">
        {rows.length.toLocaleString()} {hasMore ? 'loaded, scroll for more' : rows.length === 1 ? 'record' : 'records'}
        {loadingMore && ' · loading…'}
      </p>
    </div>
  );
}

function HeaderRow<T>(props: DataTableProps<T> & { template: string; selectable: boolean; minWidth: string }) {
  const { columns, sort, onSort, rows, selected, onSelectedChange, rowId, template, selectable, minWidth } = props;
  const allSelected = rows.length > 0 && selected?.size === rows.length;
  return (
    <div role="rowgroup" className="dt-head" style={{ minWidth }}>
      <div role="row" aria-rowindex={1} className="dt-row" style={{ gridTemplateColumns: template }}>
        {selectable && (
          <div role="columnheader" className="dt-cell dt-check">
            <input type="checkbox" aria-label="Select all loaded rows" checked={allSelected}
              onChange={() => onSelectedChange?.(allSelected ? new Set() : new Set(rows.map(rowId)))} />
          </div>
        )}
        {columns.map((c) => {
          const dir = sort === c.id ? 'ascending' : sort === `-${c.id}` ? 'descending' : undefined;
          return (
            <div key={c.id} role="columnheader" aria-sort={dir ?? 'none'} className="dt-cell dt-th">
              {c.sortable && onSort ? (
                <button type="button" className="dt-sort" onClick={() => onSort(dir === 'ascending' ? `-${c.id}` : dir === 'descending' ? undefined : c.id)}>
                  {c.header}<span aria-hidden="true">{dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
                </button>
              ) : c.header}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function BodyRow<T>({ row, index, top, template, table, selectable }: {
  row: T; index: number; top: number; template: string; table: DataTableProps<T>; selectable: boolean;
}) {
  const id = table.rowId(row);
  const isSelected = table.selected?.has(id) ?? false;
  function toggle() {
    const next = new Set(table.selected);
    if (isSelected) next.delete(id);
    else next.add(id);
    table.onSelectedChange?.(next);
  }
  return (
    <div role="row" aria-rowindex={index + 2} aria-selected={selectable ? isSelected : undefined} className={isSelected ? 'dt-row selected' : 'dt-row'}
      style={{ gridTemplateColumns: template, transform: `translateY(${top}px)`, height: ROW_HEIGHT }}>
      {selectable && (
        <div role="cell" className="dt-cell dt-check">
          <input type="checkbox" aria-label="Select row" checked={isSelected} onChange={toggle} />
        </div>
      )}
      {table.columns.map((c) => (
        <div key={c.id} role="cell" className="dt-cell">
          {c.editor ? <EditableCell row={row} editor={c.editor} label={c.header}>{c.render(row)}</EditableCell> : c.render(row)}
        </div>
      ))}
    </div>
  );
}
