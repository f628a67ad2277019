import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { formatMoney } from '../../ui/format.js';
import { DealCard } from './deal-card.js';
import type { BoardStage, Deal } from './deals.api.js';

export function BoardColumn({ stage, deals, names, currency, canMove, onMore }: {
  stage: BoardStage;
  deals: Deal[];
  names: Map<string, string>;
  currency: string;
  canMove: boolean;
  onMore: () => void;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: `stage:${stage.id}`, data: { stageId: stage.id } });
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
        </ul>
      </SortableContext>
      {stage.next_cursor && <button type="button" className="link" onClick={onMore}>Show more ({stage.count - deals.length} more)</button>}
    </section>
  );
}
