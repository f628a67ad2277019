import type { FilterNode } from '@pillar/shared';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { fromFilterNode, toFilterNode, type FilterState } from '../../ui/filter-builder.js';

/** List filter, sort, search and view live in the URL, so a filtered list can be linked to (dashboard drill-down) and reloaded. */
export function useListState() {
  const [params, setParams] = useSearchParams();
  const filterParam = params.get('filter');
  const filter = useMemo<FilterState>(() => {
    if (!filterParam) return fromFilterNode(undefined);
    try {
      return fromFilterNode(JSON.parse(filterParam) as FilterNode);
    } catch {
      return fromFilterNode(undefined);
    }
  }, [filterParam]);
  const set = useCallback((key: string, value: string | undefined) => {
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    }, { replace: true });
  }, [setParams]);
  const setFilter = useCallback((f: FilterState) => {
    const node = toFilterNode(f);
    // Keep incomplete conditions in the URL too, so the builder does not drop a row being typed.
    set('filter', f.conditions.length ? JSON.stringify(node && f.conditions.length === 1 ? node : { [f.join]: f.conditions }) : undefined);
  }, [set]);
  return {
    filter,
    setFilter,
    sort: params.get('sort') ?? undefined,
    setSort: (s: string | undefined) => set('sort', s),
    q: params.get('q') ?? '',
    setQ: (q: string) => set('q', q || undefined),
    viewId: params.get('view_id') ?? undefined,
    setViewId: (id: string | undefined) => set('view_id', id),
    params,
    setParams,
  };
}

export type ListState = ReturnType<typeof useListState>;
