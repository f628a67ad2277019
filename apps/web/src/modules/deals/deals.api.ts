import type { BoardSchema, CreateDeal, Deal, MoveDeal, Pipeline } from '@pillar/shared';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, newIdempotencyKey } from '../../ui/api.js';
import type { FieldDef } from '../../ui/fields.js';
import { putRecord, useRecord, type Page } from '../records/records.api.js';

export type Board = z.infer<typeof BoardSchema>;
export type BoardStage = Board['stages'][number];
export type { Deal, Pipeline };

export const CARDS_PER_STAGE = 100;
/** Cards per "load more" of one stage. */
const STAGE_PAGE = 200;

export function usePipelines() {
  return useQuery({ queryKey: ['pipelines'], staleTime: 60_000, queryFn: () => api<Page<Pipeline>>('/pipelines').then((r) => r.data) });
}

export function boardKey(pipelineId: string, ownerId?: string) {
  return ['board', pipelineId, ownerId ?? ''] as const;
}

/** One stage's cards after `cursor`, in board order. */
function fetchStagePage(stageId: string, cursor: string, ownerId: string | undefined, signal?: AbortSignal) {
  return api<Page<Deal>>(`/stages/${stageId}/deals`, { query: { limit: STAGE_PAGE, cursor, owner_id: ownerId || undefined }, signal });
}

function appendPage(stage: BoardStage, page: Page<Deal>): BoardStage {
  const seen = new Set(stage.deals.map((d) => d.id));
  return { ...stage, deals: [...stage.deals, ...page.data.filter((d) => !seen.has(d.id))], next_cursor: page.next_cursor };
}

/**
 * The board with the first cards of every stage. A refetch (live update,
 * focus) loads as many cards per stage as were on screen before, so a column
 * someone scrolled through does not collapse back to its first page.
 */
export function useBoard(pipelineId: string | undefined, ownerId?: string) {
  const qc = useQueryClient();
  const key = boardKey(pipelineId ?? '', ownerId);
  return useQuery({
    queryKey: key,
    enabled: Boolean(pipelineId),
    queryFn: async ({ signal }) => {
      const shown = new Map(qc.getQueryData<Board>(key)?.stages.map((s) => [s.id, s.deals.length]) ?? []);
      const board = await api<Board>(`/pipelines/${pipelineId}/board`, { query: { limit: CARDS_PER_STAGE, owner_id: ownerId }, signal });
      const stages = await Promise.all(board.stages.map(async (stage) => {
        let s = stage;
        while (s.next_cursor && s.deals.length < (shown.get(s.id) ?? 0)) s = appendPage(s, await fetchStagePage(s.id, s.next_cursor, ownerId, signal));
        return s;
      }));
      return { ...board, stages };
    },
  });
}

/** Appends the next page of one stage's cards to the cached board. */
export async function loadMoreCards(qc: QueryClient, key: ReturnType<typeof boardKey>, stage: BoardStage) {
  if (!stage.next_cursor) return;
  const page = await fetchStagePage(stage.id, stage.next_cursor, key[2]);
  qc.setQueryData<Board>(key, (b) => b && { ...b, stages: b.stages.map((s) => (s.id === stage.id && s.next_cursor === stage.next_cursor ? appendPage(s, page) : s)) });
}

export const useDeal = (id: string | undefined) => useRecord<Deal>('deals', id);

export function useCreateDeal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDeal) => api<Deal>('/deals', { method: 'POST', body, idempotencyKey: newIdempotencyKey() }),
    onSuccess: (d) => {
      qc.setQueryData(['deals', 'detail', d.id], d);
      void qc.invalidateQueries({ queryKey: ['board'] });
      void qc.invalidateQueries({ queryKey: ['deals', 'list'] });
    },
  });
}

export interface MoveInput {
  deal: Deal;
  move: MoveDeal;
}

export function moveDeal({ deal, move }: MoveInput) {
  return api<Deal>(`/deals/${deal.id}/stage`, { method: 'POST', body: move, version: deal.version });
}

export function useCloseDeal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ deal, outcome, reason }: { deal: Deal; outcome: 'won' | 'lost'; reason?: string }) =>
      api<Deal>(`/deals/${deal.id}/${outcome}`, { method: 'POST', body: outcome === 'lost' ? { reason } : {}, version: deal.version }),
    onSuccess: (d) => putRecord(qc, 'deals', d),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['board'] });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
    },
  });
}

export const dealFields: FieldDef[] = [
  { id: 'name', label: 'Name', kind: 'text', sortable: true },
  { id: 'value', label: 'Value', kind: 'money', sortable: true, editable: true },
  { id: 'status', label: 'Status', kind: 'select', options: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }, { value: 'lost', label: 'Lost' }] },
  { id: 'probability', label: 'Probability %', kind: 'number', sortable: true },
  { id: 'expected_close_date', label: 'Expected close', kind: 'date', sortable: true, editable: true },
  { id: 'owner_id', label: 'Owner', kind: 'user', editable: true },
  { id: 'tags', label: 'Tags', kind: 'tags', editable: true },
  { id: 'created_at', label: 'Created', kind: 'datetime', sortable: true },
];
