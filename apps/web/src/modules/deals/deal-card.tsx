import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { memo } from 'react';
import { Link } from 'react-router';
import { formatDate, formatMoney } from '../../ui/format.js';
import type { Deal } from './deals.api.js';

export const DealCardBody = memo(function DealCardBody({ deal, owner }: { deal: Deal; owner?: string }) {
  return (
    <>
      <Link to={`/deals/${deal.id}`} className="card-title" onPointerDown={(e) => e.stopPropagation()}>{deal.name}</Link>
      <p className="card-meta">
        <span className="num">{formatMoney(deal.value, deal.currency)}</span>
        <span className="muted"> · {deal.probability}%</span>
        {deal.status !== 'open' && <span className={`badge badge-${deal.status}`}> {deal.status}</span>}
      </p>
      {(owner || deal.expected_close_date) && (
        <p className="card-meta muted">{[owner, deal.expected_close_date ? `closes ${formatDate(deal.expected_close_date)}` : null].filter(Boolean).join(' · ')}</p>
      )}
    </>
  );
});

/** A deal on the board: drag with a pointer, or focus it and press Space, move with arrows, Space again to drop. */
export function DealCard({ deal, owner, disabled }: { deal: Deal; owner?: string; disabled: boolean }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: deal.id, data: { stageId: deal.stage_id }, disabled });
  // The whole card drags with a pointer; the keyboard picks it up from its handle, so the link inside stays a plain link.
  return (
    <li ref={setNodeRef} className={isDragging ? 'deal-card dragging' : 'deal-card'} data-testid="deal-card" data-deal-id={deal.id}
      style={{ transform: CSS.Translate.toString(transform), transition }} {...listeners}>
      <DealCardBody deal={deal} owner={owner} />
      {!disabled && (
        <button type="button" ref={setActivatorNodeRef} className="drag-handle" {...attributes} aria-label={`Move ${deal.name}`}>
          <span aria-hidden="true">⠿</span>
        </button>
      )}
    </li>
  );
}
