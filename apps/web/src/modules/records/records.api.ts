/** TanStack Query hooks shared by every record type (contacts, companies, leads, deals). */
import type { BulkChanges, BulkResult, FilterNode, RecordEntity } from '@pillar/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey, request } from '../../ui/api.js';

export interface Versioned {
  id: string;
  version: number;
}
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
export interface ListParams {
  filter?: FilterNode;
  sort?: string;
  q?: string;
  extra?: Record<string, string | undefined>;
}

export const PAGE_SIZE = 200;

export function listQuery(params: ListParams) {
  return { filter: params.filter ? JSON.stringify(params.filter) : undefined, sort: params.sort, q: params.q || undefined, ...params.extra };
}

/** Cursor-paginated list; pages are fetched as the table scrolls. */
export function useRecordList<T>(entity: string, params: ListParams, enabled = true) {
  return useInfiniteQuery({
    queryKey: [entity, 'list', params],
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api<Page<T>>(`/${entity}`, { query: { limit: PAGE_SIZE, cursor: pageParam, ...listQuery(params) }, signal }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useRecord<T>(entity: string, id: string | undefined) {
  return useQuery({ queryKey: [entity, 'detail', id], enabled: Boolean(id), queryFn: ({ signal }) => api<T>(`/${entity}/${id}`, { signal }) });
}

/** Replaces a record wherever it is cached (lists and detail) with the server's answer. */
export function putRecord<T extends Versioned>(qc: QueryClient, entity: string, record: T) {
  qc.setQueryData([entity, 'detail', record.id], record);
  qc.setQueriesData<InfiniteData<Page<T>>>({ queryKey: [entity, 'list'] }, (old) => old && {
    ...old,
    pages: old.pages.map((p) => ({ ...p, data: p.data.map((r) => (r.id === record.id ? record : r)) })),
  });
}

export function useCreateRecord<T extends Versioned, B>(entity: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api<T>(`/${entity}`, { method: 'POST', body, idempotencyKey: newIdempotencyKey() }),
    onSuccess: (rec) => {
      qc.setQueryData([entity, 'detail', rec.id], rec);
      void qc.invalidateQueries({ queryKey: [entity, 'list'] });
      void qc.invalidateQueries({ queryKey: ['companies', 'related'] });
    },
  });
}

/** PATCH with If-Match: a stale version answers 412 and the caller shows the latest data. */
export function useUpdateRecord<T extends Versioned>(entity: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ record, patch }: { record: T; patch: Record<string, unknown> }) =>
      api<T>(`/${entity}/${record.id}`, { method: 'PATCH', body: patch, version: record.version }),
    onSuccess: (rec) => putRecord(qc, entity, rec),
    onError: () => void qc.invalidateQueries({ queryKey: [entity] }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['timeline'] }),
  });
}

export function useDeleteRecord(entity: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (record: Versioned) => api(`/${entity}/${record.id}`, { method: 'DELETE', version: record.version }),
    onSettled: () => void qc.invalidateQueries({ queryKey: [entity] }),
  });
}

export function useRestoreRecord(entity: RecordEntity) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/trash/${entity}/${id}/restore`, { method: 'POST' }),
    onSettled: () => void qc.invalidateQueries({ queryKey: [entity] }),
  });
}

export type Selection = { ids: string[] } | { filter: FilterNode };

export function useBulkUpdate(entity: RecordEntity) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { selection: Selection; changes: BulkChanges }) =>
      api<BulkResult>(`/bulk/${entity}/update`, { method: 'POST', body: { ...b.selection, changes: b.changes }, idempotencyKey: newIdempotencyKey() }),
    onSettled: () => void qc.invalidateQueries({ queryKey: [entity] }),
  });
}

export function useBulkDelete(entity: RecordEntity) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (selection: Selection) => api<BulkResult>(`/bulk/${entity}/delete`, { method: 'POST', body: selection, idempotencyKey: newIdempotencyKey() }),
    onSettled: () => void qc.invalidateQueries({ queryKey: [entity] }),
  });
}

/** Download a CSV of the current filter and sort (the browser streams the file). */
export async function exportCsv(entity: RecordEntity, params: ListParams) {
  const res = await request(`/exports/${entity}.csv`, { query: { filter: listQuery(params).filter, sort: params.sort } });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${entity}-${new Date().toISOString().slice(0, 10)}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
