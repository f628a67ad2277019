/**
 * The pipeline board. Cards move optimistically: the cache changes at once,
 * the server confirms, and on an error or a 412 (someone else changed the
 * deal) the card goes back with a message saying why.
 */
import {
  DndContext, DragOverlay, KeyboardSensor, PointerSensor, TouchSensor, closestCorners, useSensor, useSensors,
  type DragEndEvent, type DragOverEvent, type DragStartEvent,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../ui/api.js';
import { useToast } from '../../ui/toast.js';
import { useMemberNames } from '../records/lookups.js';
import { BoardColumn } from './board-column.js';
import { columnsOf, findStage, moveCard, type Columns } from './board-state.js';
import { DealCardBody } from './deal-card.js';
import { loadMoreCards, type Board as BoardData, type BoardStage, type boardKey } from './deals.api.js';
import { announcements, useCommitMove } from './use-commit-move.js';

/** One page at a time per stage, whether asked for by the button or by scrolling to the column's end. */
function useLoadMore(queryKey: ReturnType<typeof boardKey>) {
  const qc = useQueryClient();
  const toast = useToast();
  const inFlight = useRef(new Set<string>());
  const [loadingStages, setLoadingStages] = useState<ReadonlySet<string>>(new Set());
  const onMore = useCallback((stage: BoardStage) => {
    if (inFlight.current.has(stage.id) || !stage.next_cursor) return;
    inFlight.current.add(stage.id);
    setLoadingStages(new Set(inFlight.current));
    void loadMoreCards(qc, queryKey, stage).catch((e) => toast.error(errorMessage(e))).finally(() => {
      inFlight.current.delete(stage.id);
      setLoadingStages(new Set(inFlight.current));
    });
  }, [qc, queryKey, toast]);
  return { onMore, loadingStages };
}

export function Board({ board, queryKey, currency, canMove }: { board: BoardData; queryKey: ReturnType<typeof boardKey>; currency: string; canMove: boolean }) {
  const [cols, setCols] = useState<Columns>(() => columnsOf(board));
  const [activeId, setActiveId] = useState<string | null>(null);
  const origin = useRef<string | undefined>(undefined);
  const names = useMemberNames();
  const commit = useCommitMove(queryKey, board, setCols);
  const { onMore, loadingStages } = useLoadMore(queryKey);
  useEffect(() => {
    if (!activeId) setCols(columnsOf(board));
  }, [board, activeId]);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 180, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const stageName = useMemo(() => new Map(board.stages.map((s) => [s.id, s.name])), [board.stages]);
  const overStage = (id: string | number) => (String(id).startsWith('stage:') ? String(id).slice(6) : findStage(cols, String(id)));
  function onDragStart(e: DragStartEvent) {
    setActiveId(String(e.active.id));
    origin.current = findStage(cols, String(e.active.id));
  }
  function onDragOver({ active, over }: DragOverEvent) {
    if (!over) return;
    const to = overStage(over.id);
    const from = findStage(cols, String(active.id));
    if (!to || !from || to === from) return;
    const idx = String(over.id).startsWith('stage:') ? cols[to]!.length : cols[to]!.findIndex((d) => d.id === over.id);
    setCols((c) => moveCard(c, String(active.id), to, idx < 0 ? c[to]!.length : idx));
  }
  function onDragEnd({ active, over }: DragEndEvent) {
    const id = String(active.id);
    const to = over ? overStage(over.id) : undefined;
    let next = cols;
    if (to && over && !String(over.id).startsWith('stage:') && over.id !== active.id) next = moveCard(cols, id, to, cols[to]!.findIndex((d) => d.id === over.id));
    setCols(next);
    setActiveId(null);
    const from = origin.current;
    if (!to || !from) return setCols(columnsOf(board));
    const before = board.stages.find((s) => s.id === from)?.deals.map((d) => d.id).join();
    if (from === to && before === next[to]!.map((d) => d.id).join()) return;
    void commit(id, from, to, next);
  }
  const active = activeId ? Object.values(cols).flat().find((d) => d.id === activeId) : undefined;
  return (
    <DndContext sensors={sensors} collisionDetection={closestCorners} onDragStart={onDragStart} onDragOver={onDragOver} onDragEnd={onDragEnd}
      onDragCancel={() => { setActiveId(null); setCols(columnsOf(board)); }}
      accessibility={{ announcements: announcements(cols, stageName), screenReaderInstructions: { draggable: 'To move a deal, press Space. Use the arrow keys to move it within and across stages, Space to drop it, Escape to cancel.' } }}>
      <div className="board" data-testid="board">
        {board.stages.map((s) => (
          <BoardColumn key={s.id} stage={s} deals={cols[s.id] ?? []} names={names} currency={currency} canMove={canMove}
            onMore={onMore} loadingMore={loadingStages.has(s.id)} />
        ))}
      </div>
      <DragOverlay>{active ? <div className="deal-card overlay"><DealCardBody deal={active} /></div> : null}</DragOverlay>
    </DndContext>
  );
}
