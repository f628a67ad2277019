import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../ui/api.js';
import { useConfirm } from '../../ui/confirm.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import { useDeleteRecord, type Versioned } from './records.api.js';

/** Record page frame: back link, title, delete; fields and related records on one side, composer and timeline on the other. */
export function RecordLayout({ back, title, subtitle, actions, main, side }: {
  back: { to: string; label: string };
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  main: ReactNode;
  side: ReactNode;
}) {
  return (
    <article className="page record-page" aria-labelledby="record-title">
      <p className="crumb"><Link to={back.to}>← {back.label}</Link></p>
      <div className="page-head">
        <div className="record-title">
          <h1 id="record-title">{title}</h1>
          {subtitle && <p className="muted">{subtitle}</p>}
        </div>
        {actions}
      </div>
      <div className="record-grid">
        <div className="record-main">{main}</div>
        <div className="record-side">{side}</div>
      </div>
    </article>
  );
}

export function DeleteButton({ entity, record, label, afterTo }: { entity: string; record: Versioned; label: string; afterTo: string }) {
  const del = useDeleteRecord(entity);
  const canDelete = useCan('records:delete');
  const toast = useToast();
  const navigate = useNavigate();
  const { confirm, element } = useConfirm();
  if (!canDelete) return null;
  async function onDelete() {
    if (!(await confirm(`Delete ${label}`, <p>Move “{label}” to the trash? It can be restored for 30 days.</p>, 'Delete'))) return;
    del.mutate(record, {
      onSuccess: () => { toast.success(`${label} moved to the trash`); void navigate(afterTo); },
      onError: (e) => toast.error(errorMessage(e)),
    });
  }
  return (
    <>
      {element}
      <button type="button" className="secondary danger-text" onClick={() => void onDelete()}>Delete</button>
    </>
  );
}
