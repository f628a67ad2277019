import type { Activity, CreateActivity, TimelineItemSchema } from '@pillar/shared';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, newIdempotencyKey } from '../../ui/api.js';
import type { Page } from '../records/records.api.js';

export type TimelineItem = z.infer<typeof TimelineItemSchema>;
export type { Activity };

/** The timeline of a record, newest first, loaded by cursor. */
export function useTimeline(entity: string, id: string) {
  return useInfiniteQuery({
    queryKey: ['timeline', entity, id],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api<Page<TimelineItem>>(`/${entity}/${id}/timeline`, { query: { limit: 50, cursor: pageParam }, signal }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useCreateActivity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateActivity) => api<Activity>('/activities', { method: 'POST', body, idempotencyKey: newIdempotencyKey() }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void qc.invalidateQueries({ queryKey: ['activities'] });
    },
  });
}

export function useCompleteActivity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: Activity) => api<Activity>(`/activities/${a.id}/complete`, { method: 'POST', version: a.version }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['timeline'] });
      void qc.invalidateQueries({ queryKey: ['activities'] });
    },
  });
}
