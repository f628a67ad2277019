import type { SearchHit } from '@pillar/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api.js';

export type { SearchHit };

export function useGlobalSearch(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['search', term],
    enabled: term.length >= 3,
    staleTime: 10_000,
    queryFn: ({ signal }) => api<{ data: SearchHit[] }>('/search', { query: { q: term, limit: 20 }, signal }).then((r) => r.data),
  });
}
