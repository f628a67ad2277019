/** Lead scoring and assignment rules. Changing a scoring rule re-scores every lead, so lead lists are refreshed too. */
import type { AssignmentRuleSchema, ScoringRuleSchema } from '@pillar/shared';
import type { ActivityType, FilterCondition } from '@pillar/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, newIdempotencyKey } from '../../ui/api.js';
import type { Page } from '../records/records.api.js';

export type ScoringRule = z.infer<typeof ScoringRuleSchema>;
export type AssignmentRule = z.infer<typeof AssignmentRuleSchema>;

export interface ScoringRuleInput {
  name: string;
  points: number;
  condition: FilterCondition | null;
  activity_type: ActivityType | null;
  active: boolean;
}

export interface AssignmentRuleInput {
  name: string;
  sources: string[];
  territories: string[];
  user_ids: string[];
  active: boolean;
}

export function useScoringRules() {
  return useQuery({ queryKey: ['lead-rules', 'scoring'], queryFn: ({ signal }) => api<Page<ScoringRule>>('/lead-scoring-rules', { signal }).then((r) => r.data) });
}

export function useAssignmentRules() {
  return useQuery({ queryKey: ['lead-rules', 'assignment'], queryFn: ({ signal }) => api<Page<AssignmentRule>>('/lead-assignment-rules', { signal }).then((r) => r.data) });
}

function useRulesMutation<V, R>(fn: (v: V) => Promise<R>, rescored: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['lead-rules'] });
      if (rescored) void qc.invalidateQueries({ queryKey: ['leads'] });
    },
  });
}

/** Create (no rule given) or change a scoring rule. Omitting the unused trigger on create; clearing it with null on change. */
export function useSaveScoringRule() {
  return useRulesMutation(({ rule, input }: { rule?: ScoringRule; input: ScoringRuleInput }) => {
    if (rule) return api<ScoringRule>(`/lead-scoring-rules/${rule.id}`, { method: 'PATCH', body: input, version: rule.version });
    const { condition, activity_type, ...rest } = input;
    const body = { ...rest, ...(condition ? { condition } : {}), ...(activity_type ? { activity_type } : {}) };
    return api<ScoringRule>('/lead-scoring-rules', { method: 'POST', body, idempotencyKey: newIdempotencyKey() });
  }, true);
}

export function useDeleteScoringRule() {
  return useRulesMutation((rule: ScoringRule) => api(`/lead-scoring-rules/${rule.id}`, { method: 'DELETE', version: rule.version }), true);
}

export function useSaveAssignmentRule() {
  return useRulesMutation(({ rule, input }: { rule?: AssignmentRule; input: AssignmentRuleInput }) => rule
    ? api<AssignmentRule>(`/lead-assignment-rules/${rule.id}`, { method: 'PATCH', body: input, version: rule.version })
    : api<AssignmentRule>('/lead-assignment-rules', { method: 'POST', body: input, idempotencyKey: newIdempotencyKey() }), false);
}

export function useDeleteAssignmentRule() {
  return useRulesMutation((rule: AssignmentRule) => api(`/lead-assignment-rules/${rule.id}`, { method: 'DELETE', version: rule.version }), false);
}

/** Sets the order in which assignment rules are tried; the cache shows the new order at once. */
export function useReorderAssignmentRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => api<Page<AssignmentRule>>('/lead-assignment-rules/order', { method: 'PUT', body: { rule_ids: ids } }).then((r) => r.data),
    onMutate: (ids) => {
      const before = qc.getQueryData<AssignmentRule[]>(['lead-rules', 'assignment']);
      if (before) qc.setQueryData(['lead-rules', 'assignment'], ids.map((id) => before.find((r) => r.id === id)).filter(Boolean));
      return { before };
    },
    onSuccess: (rules) => qc.setQueryData(['lead-rules', 'assignment'], rules),
    onError: (_e, _ids, ctx) => { if (ctx?.before) qc.setQueryData(['lead-rules', 'assignment'], ctx.before); },
    onSettled: () => void qc.invalidateQueries({ queryKey: ['lead-rules', 'assignment'] }),
  });
}
