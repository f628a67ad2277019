/** One list screen for every record type: virtualised table, search, filters, saved views, sort, inline edit, bulk actions, export. */
import type { RecordEntity } from '@pillar/shared';
import { useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { DataTable, type Column } from '../../ui/data-table.js';
import { toFilterNode } from '../../ui/filter-builder.js';
import type { FieldDef } from '../../ui/fields.js';
import { Empty, ErrorState, Loading } from '../../ui/states.js';
import { BulkBar } from './bulk-bar.js';
import { useListState } from './list-state.js';
import { ListToolbar } from './list-toolbar.js';
import { useRecordList, type ListParams, type Versioned } from './records.api.js';

export interface RecordListConfig<T> {
  entity: RecordEntity;
  title: string;
  singular: string;
  fields: FieldDef[];
  columns: Column<T>[];
  /** Rendered in the page header, e.g. a "New contact" button with its dialog. */
  actions?: ReactNode;
  extraParams?: Record<string, string | undefined>;
  /** Extra header content between the title and the toolbar (e.g. board/list switch). */
  headerExtra?: ReactNode;
}

export function RecordListPage<T extends Versioned>({ config }: { config: RecordListConfig<T> }) {
  const state = useListState();
  const deferredQ = useDeferredValue(state.q);
  const params = useMemo<ListParams>(() => ({ filter: toFilterNode(state.filter), sort: state.sort, q: deferredQ.trim() || undefined, extra: config.extraParams }),
    [state.filter, state.sort, deferredQ, config.extraParams]);
  const list = useRecordList<T>(config.entity, params);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  return (
    <section className="page list-page" aria-labelledby="list-title">
      <div className="page-head">
        <h1 id="list-title">{config.title}</h1>
        {config.headerExtra}
        {config.actions}
      </div>
      <ListToolbar entity={config.entity} fields={config.fields} state={state} params={params} />
      {selected.size > 0 && <BulkBar entity={config.entity} selected={selected} clear={() => setSelected(new Set())} />}
      <ListBody config={config} list={list} rows={rows} state={state} selected={selected} setSelected={setSelected} />
    </section>
  );
}

function ListBody<T extends Versioned>({ config, list, rows, state, selected, setSelected }: {
  config: RecordListConfig<T>;
  list: ReturnType<typeof useRecordList<T>>;
  rows: T[];
  state: ReturnType<typeof useListState>;
  selected: Set<string>;
  setSelected: (s: Set<string>) => void;
}) {
  if (list.isPending) return <Loading label={`Loading ${config.title.toLowerCase()}…`} />;
  if (list.error && rows.length === 0) return <ErrorState error={list.error} retry={() => void list.refetch()} />;
  if (rows.length === 0) {
    const filtered = state.filter.conditions.length > 0 || state.q;
    return <Empty title={filtered ? `No ${config.title.toLowerCase()} match` : `No ${config.title.toLowerCase()} yet`}>{filtered ? <p>Change the search or filters.</p> : <p>Create one, or import a CSV file.</p>}</Empty>;
  }
  return (
    <DataTable label={config.title} rows={rows} rowId={(r) => r.id} columns={config.columns}
      hasMore={Boolean(list.hasNextPage)} loadingMore={list.isFetchingNextPage} loadMore={() => void list.fetchNextPage()}
      sort={state.sort} onSort={state.setSort} selected={selected} onSelectedChange={setSelected} />
  );
}
