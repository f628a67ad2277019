import type { ReportName, ReportResponse } from '@pillar/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api.js';

export function useReport<N extends ReportName>(name: N, query: Record<string, string | undefined> = {}) {
  return useQuery({
    queryKey: ['reports', name, query],
    staleTime: 30_000,
    queryFn: ({ signal }) => api<ReportResponse<N>>(`/reports/${name}`, { query, signal }),
  });
}

/** Link to the deals list filtered the way a chart segment was. */
export function dealsListLink(field: string, value: string): string {
  return `/deals?view=list&filter=${encodeURIComponent(JSON.stringify({ field, op: 'eq', value }))}`;
}
