import type { CreateSavedView, RecordEntity, SavedView } from '@pillar/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, newIdempotencyKey } from '../../ui/api.js';

export function useSavedViews(entity: RecordEntity) {
  return useQuery({
    queryKey: ['views', entity],
    queryFn: async () => {
      try {
        return (await api<{ data: SavedView[] }>('/views', { query: { entity, limit: 200 } })).data;
      } catch (e) {
        // Saved views ship with the data module; until then the picker is simply empty.
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      }
    },
  });
}

export function useCreateView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSavedView) => api<SavedView>('/views', { method: 'POST', body, idempotencyKey: newIdempotencyKey() }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['views'] }),
  });
}

export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: SavedView) => api(`/views/${v.id}`, { method: 'DELETE', version: v.version }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['views'] }),
  });
}
