import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useEffect, useRef } from 'react';
import { formatMoney } from '../../ui/format.js';
import { DealCard } from './deal-card.js';
import type { BoardStage, Deal } from './deals.api.js';

/** Loads the stage's next page when the end of its card list scrolls into view. */
function useLoadAtEnd(stage: BoardStage, onMore: (stage: BoardStage) => void) {
  const sentinel = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !stage.next_cursor || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onMore(stage);
    }, { root: el.parentElement, rootMargin: '0px 0px 600px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [stage, onMore]);
  return sentinel;
}

export function BoardColumn({ stage, deals, names, currency, canMove, onMore, loadingMore }: {
  stage: BoardStage;
  deals: Deal[];
  names: Map<string, string>;
  currency: string;
  canMove: boolean;
  onMore: (stage: BoardStage) => void;
  loadingMore: boolean;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: `stage:${stage.id}`, data: { stageId: stage.id } });
  const sentinel = useLoadAtEnd(stage, onMore);
  const headingId = `stage-${stage.id}`;
  return (
    <section className={isOver ? 'board-col over' : 'board-col'} aria-labelledby={headingId} data-testid="board-column" data-stage-name={stage.name}>
      <header className="board-col-head">
        <h2 id={headingId}>{stage.name} <span className="count" aria-label={`${stage.count} deals`}>{stage.count}</span></h2>
        <p className="muted">
          <span title="Total value">{formatMoney(stage.total_value, currency)}</span>
          {stage.kind === 'open' && <> · <span title="Weighted by probability">{formatMoney(stage.weighted_value, currency)} weighted</span></>}
        </p>
      </header>
      <SortableContext id={stage.id} items={deals.map((d) => d.id)} strategy={verticalListSortingStrategy}>
        <ul ref={setNodeRef} className="board-cards" aria-label={`Deals in ${stage.name}`}>
          {deals.map((d) => <DealCard key={d.id} deal={d} owner={d.owner_id ? names.get(d.owner_id) : undefined} disabled={!canMove} />)}
          {deals.length === 0 && <li className="board-empty muted">No deals</li>}
          {stage.next_cursor && <li ref={sentinel} className="board-sentinel" aria-hidden="true" />}
        </ul>
      </SortableContext>
      {stage.next_cursor && (
        <button type="button" className="link board-more" disabled={loadingMore} onClick={() => onMore(stage)}>
          {loadingMore ? 'Loading more…' : `Show ${Math.max(0, stage.count - deals.length)} more`}<span className="sr-only"> in {stage.name}</span>
        </button>
      )}
    </section>
  );
}
