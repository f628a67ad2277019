import type { Announcements } from '@dnd-kit/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError, errorMessage } from '../../ui/api.js';
import { useToast } from '../../ui/toast.js';
import { putRecord } from '../records/records.api.js';
import { applyMove, columnsOf, findStage, neighbours, type Columns } from './board-state.js';
import { moveDeal, type Board, type boardKey } from './deals.api.js';
import { useLostReason } from './lost-reason.js';

/** Sends a finished drag to the server with an optimistic cache update, and rolls it back with a message on failure. */
export function useCommitMove(queryKey: ReturnType<typeof boardKey>, board: Board, setCols: (c: Columns) => void) {
  const qc = useQueryClient();
  const toast = useToast();
  const askReason = useLostReason();
  return useCallback(async (dealId: string, from: string, to: string, cols: Columns) => {
    const original = qc.getQueryData<Board>(queryKey) ?? board;
    const deal = original.stages.flatMap((s) => s.deals).find((d) => d.id === dealId);
    const target = original.stages.find((s) => s.id === to);
    const source = original.stages.find((s) => s.id === from);
    if (!deal || !target || !source) return;
    let lost_reason: string | undefined;
    if (target.kind === 'lost' && from !== to) {
      const reason = await askReason(deal.name);
      if (reason === null) return setCols(columnsOf(original));
      lost_reason = reason || undefined;
    }
    await qc.cancelQueries({ queryKey });
    qc.setQueryData<Board>(queryKey, applyMove(original, cols, deal, to));
    try {
      const saved = await moveDeal({ deal, move: { stage_id: to, ...neighbours(cols, dealId, to), lost_reason } });
      qc.setQueryData<Board>(queryKey, (b) => b && { ...b, stages: b.stages.map((s) => ({ ...s, deals: s.deals.map((d) => (d.id === saved.id ? saved : d)) })) });
      putRecord(qc, 'deals', saved);
      if (from !== to) toast.success(`Moved “${deal.name}” to ${target.name}`);
    } catch (e) {
      qc.setQueryData<Board>(queryKey, original);
      setCols(columnsOf(original));
      const stale = e instanceof ApiError && e.status === 412;
      toast.error(stale
        ? `“${deal.name}” was changed by someone else, so it went back to ${source.name}. The board now shows the latest version.`
        : `Could not move “${deal.name}”; it went back to ${source.name}. ${errorMessage(e)}`);
    } finally {
      void qc.invalidateQueries({ queryKey: ['board'] });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
    }
  }, [qc, queryKey, board, setCols, toast, askReason]);
}

/** Screen-reader messages that name deals and stages rather than ids. */
export function announcements(cols: Columns, stageName: Map<string, string>): Announcements {
  const dealName = (id: string | number) => Object.values(cols).flat().find((d) => d.id === id)?.name ?? 'deal';
  const where = (id: string | number) => {
    const s = String(id).startsWith('stage:') ? String(id).slice(6) : findStage(cols, String(id));
    const list = s ? cols[s] ?? [] : [];
    const pos = list.findIndex((d) => d.id === id);
    return `${s ? stageName.get(s) : 'nowhere'}${pos >= 0 ? `, position ${pos + 1} of ${list.length}` : ''}`;
  };
  return {
    onDragStart: ({ active }) => `Picked up ${dealName(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${dealName(active.id)} is over ${where(over.id === active.id ? active.id : over.id)}.` : `${dealName(active.id)} is not over a stage.`),
    onDragEnd: ({ active, over }) => (over ? `${dealName(active.id)} dropped in ${where(active.id)}.` : `${dealName(active.id)} was dropped back.`),
    onDragCancel: ({ active }) => `Moving ${dealName(active.id)} was cancelled.`,
  };
}
