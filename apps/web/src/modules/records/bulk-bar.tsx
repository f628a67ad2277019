import type { BulkChanges, RecordEntity } from '@pillar/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../ui/api.js';
import { useConfirm } from '../../ui/confirm.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import { useMembers } from '../settings/settings.api.js';
import { useBulkDelete, useBulkUpdate } from './records.api.js';

/** Actions on the selected rows: assign owner, add or remove a tag, delete (to the trash). */
export function BulkBar({ entity, selected, clear }: { entity: RecordEntity; selected: Set<string>; clear: () => void }) {
  const update = useBulkUpdate(entity);
  const del = useBulkDelete(entity);
  const toast = useToast();
  const canBulk = useCan('records:bulk');
  const { confirm, element } = useConfirm();
  const ids = [...selected];
  function apply(changes: BulkChanges, what: string) {
    update.mutate({ selection: { ids }, changes }, {
      onSuccess: (r) => { toast.success(`${what}: ${r.changed} of ${r.matched} changed`); clear(); },
      onError: (e) => toast.error(errorMessage(e)),
    });
  }
  async function onDelete() {
    if (!(await confirm('Delete records', <p>Move {ids.length} records to the trash? They can be restored for 30 days.</p>, 'Delete'))) return;
    del.mutate({ ids }, { onSuccess: (r) => { toast.success(`${r.changed} moved to the trash`); clear(); }, onError: (e) => toast.error(errorMessage(e)) });
  }
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      {element}
      <strong>{ids.length} selected</strong>
      {canBulk ? (
        <>
          <OwnerPicker onPick={(owner_id) => apply({ owner_id }, 'Owner assigned')} />
          <TagForm label="Add tag" onSubmit={(t) => apply({ add_tags: [t] }, 'Tag added')} />
          <TagForm label="Remove tag" onSubmit={(t) => apply({ remove_tags: [t] }, 'Tag removed')} />
          <button type="button" className="danger" onClick={() => void onDelete()} disabled={del.isPending}>Delete</button>
        </>
      ) : <span className="muted">Your role cannot change records in bulk.</span>}
      <button type="button" className="link" onClick={clear}>Clear selection</button>
    </div>
  );
}

function OwnerPicker({ onPick }: { onPick: (id: string | null) => void }) {
  const members = useMembers();
  return (
    <select aria-label="Assign owner" value="" onChange={(e) => e.target.value && onPick(e.target.value === 'none' ? null : e.target.value)}>
      <option value="">Assign owner…</option>
      <option value="none">No owner</option>
      {members.data?.map((m) => <option key={m.user_id} value={m.user_id}>{m.name}</option>)}
    </select>
  );
}

function TagForm({ label, onSubmit }: { label: string; onSubmit: (tag: string) => void }) {
  const [tag, setTag] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    if (tag.trim()) onSubmit(tag.trim());
    setTag('');
  }
  return (
    <form onSubmit={submit} className="tag-form">
      <input aria-label={label} placeholder={label} value={tag} onChange={(e) => setTag(e.target.value)} />
      <button type="submit" className="secondary">{label.split(' ')[0]}</button>
    </form>
  );
}
