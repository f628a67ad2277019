/** Pure board transformations used for optimistic moves and their rollback. */
import type { Board, Deal } from './deals.api.js';

export type Columns = Record<string, Deal[]>;

export function columnsOf(board: Board): Columns {
  return Object.fromEntries(board.stages.map((s) => [s.id, s.deals]));
}

export function findStage(cols: Columns, dealId: string): string | undefined {
  return Object.keys(cols).find((k) => cols[k]!.some((d) => d.id === dealId));
}

/** Moves a card to `toStage` at `index` (clamped). */
export function moveCard(cols: Columns, dealId: string, toStage: string, index: number): Columns {
  const from = findStage(cols, dealId);
  if (!from || !cols[toStage]) return cols;
  const deal = cols[from]!.find((d) => d.id === dealId)!;
  const next: Columns = { ...cols, [from]: cols[from]!.filter((d) => d.id !== dealId) };
  const target = [...next[toStage]!];
  target.splice(Math.max(0, Math.min(index, target.length)), 0, from === toStage ? deal : { ...deal, stage_id: toStage });
  next[toStage] = target;
  return next;
}

/** The neighbours the server needs to place the card (before = the card below it, after = the card above it). */
export function neighbours(cols: Columns, dealId: string, stageId: string): { before_id?: string; after_id?: string } {
  const list = cols[stageId] ?? [];
  const i = list.findIndex((d) => d.id === dealId);
  return { after_id: i > 0 ? list[i - 1]!.id : undefined, before_id: i >= 0 && i < list.length - 1 ? list[i + 1]!.id : undefined };
}

const num = (s: string) => Number(s) || 0;
const money = (n: number) => n.toFixed(2);

/** Applies a move to the cached board, keeping each column's count, total and weighted value right. */
export function applyMove(board: Board, cols: Columns, deal: Deal, toStage: string): Board {
  const fromStage = deal.stage_id;
  const target = board.stages.find((s) => s.id === toStage);
  const moved = { ...deal, stage_id: toStage, probability: deal.probability_override ?? target?.probability ?? deal.probability };
  return {
    ...board,
    stages: board.stages.map((s) => {
      const deals = (cols[s.id] ?? s.deals).map((d) => (d.id === deal.id ? moved : d));
      if (fromStage === toStage || (s.id !== fromStage && s.id !== toStage)) return { ...s, deals };
      const sign = s.id === toStage ? 1 : -1;
      const p = s.id === toStage ? moved.probability : deal.probability;
      return {
        ...s,
        deals,
        count: s.count + sign,
        total_value: money(num(s.total_value) + sign * num(deal.value)),
        weighted_value: money(num(s.weighted_value) + (sign * num(deal.value) * p) / 100),
      };
    }),
  };
}
