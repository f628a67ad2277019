import type { RecordEntity, RestoredRecord, TrashItem } from '@pillar/shared';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api.js';
import type { Page } from '../records/records.api.js';

export type { TrashItem };

/** Deleted records, newest first, one entity or all four; pages by cursor. */
export function useTrash(entity: RecordEntity | undefined) {
  return useInfiniteQuery({
    queryKey: ['trash', entity ?? 'all'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api<Page<TrashItem>>('/trash', { query: { limit: 50, cursor: pageParam, entity }, signal }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useRestoreFromTrash() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (item: TrashItem) => api<RestoredRecord>(`/trash/${item.entity}/${item.id}/restore`, { method: 'POST', version: item.version }),
    onSettled: (_r, _e, item) => {
      void qc.invalidateQueries({ queryKey: ['trash'] });
      void qc.invalidateQueries({ queryKey: [item.entity] });
      void qc.invalidateQueries({ queryKey: ['board'] });
      void qc.invalidateQueries({ queryKey: ['search'] });
    },
  });
}
