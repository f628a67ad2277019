import type { DryRunResult, Import, ImportFieldSchema, RecordEntity } from '@pillar/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../ui/api.js';
import type { Page } from '../records/records.api.js';

export type ImportField = z.infer<typeof ImportFieldSchema>;
export type { DryRunResult, Import };

const running = new Set(['queued', 'running', 'undoing']);

export function useImports() {
  return useQuery({ queryKey: ['imports', 'list'], queryFn: () => api<Page<Import>>('/imports', { query: { limit: 50 } }).then((r) => r.data) });
}

/** An import, polled every second while it runs, so the progress bar moves even without the live stream. */
export function useImport(id: string | undefined) {
  return useQuery({
    queryKey: ['imports', 'detail', id],
    enabled: Boolean(id),
    queryFn: () => api<Import>(`/imports/${id}`),
    refetchInterval: (q) => (q.state.data && running.has(q.state.data.status) ? 1000 : false),
  });
}

export function useImportFields(entity: RecordEntity) {
  return useQuery({ queryKey: ['imports', 'fields', entity], queryFn: () => api<{ data: ImportField[] }>('/imports/fields', { query: { entity } }).then((r) => r.data) });
}

export function useUpload() {
  return useMutation({
    mutationFn: ({ entity, file }: { entity: RecordEntity; file: File }) =>
      api<Import>('/imports', { method: 'POST', query: { entity, file_name: file.name }, rawBody: file, contentType: 'text/csv' }),
  });
}

function useImportAction<V>(fn: (v: V) => Promise<Import | DryRunResult>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => void qc.invalidateQueries({ queryKey: ['imports'] }) });
}

export const useSetMapping = () => useImportAction((v: { imp: Import; mapping: (string | null)[]; duplicate_policy: string }) =>
  api<Import>(`/imports/${v.imp.id}/mapping`, { method: 'PUT', body: { mapping: v.mapping, duplicate_policy: v.duplicate_policy }, version: v.imp.version }));
export const useDryRun = () => useImportAction((imp: Import) => api<DryRunResult>(`/imports/${imp.id}/dry-run`, { method: 'POST' }));
export const useStart = () => useImportAction((imp: Import) => api<Import>(`/imports/${imp.id}/${imp.status === 'interrupted' ? 'resume' : 'start'}`, { method: 'POST' }));
export const useUndo = () => useImportAction((imp: Import) => api<Import>(`/imports/${imp.id}/undo`, { method: 'POST' }));
