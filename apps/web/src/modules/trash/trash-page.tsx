/** Deleted contacts, companies, leads and deals: kept for 30 days, restorable by people who may delete. */
import { TRASH_RETENTION_DAYS, type RecordEntity } from '@pillar/shared';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../ui/api.js';
import { formatDate, formatDateTime } from '../../ui/format.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import { useRestoreFromTrash, useTrash, type TrashItem } from './trash.api.js';

const kinds: { value: RecordEntity | undefined; label: string }[] = [
  { value: undefined, label: 'All' },
  { value: 'contacts', label: 'Contacts' },
  { value: 'companies', label: 'Companies' },
  { value: 'leads', label: 'Leads' },
  { value: 'deals', label: 'Deals' },
];
const singular: Record<RecordEntity, string> = { contacts: 'Contact', companies: 'Company', leads: 'Lead', deals: 'Deal' };

export function TrashPage() {
  const [entity, setEntity] = useState<RecordEntity | undefined>(undefined);
  const trash = useTrash(entity);
  const canRestore = useCan('records:delete');
  return (
    <section className="page" aria-labelledby="trash-title">
      <div className="page-head"><h1 id="trash-title">Trash</h1></div>
      <p className="muted">Deleted records stay here for {TRASH_RETENTION_DAYS} days and are then removed for good. Restoring brings a record back with its activities and links.</p>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Show">
          {kinds.map((k) => (
            <button key={k.label} type="button" aria-pressed={entity === k.value} className={entity === k.value ? 'on' : undefined} onClick={() => setEntity(k.value)}>{k.label}</button>
          ))}
        </div>
      </div>
      <QueryView query={trash} empty={(d) => (d.pages[0]?.data.length ? null : <Empty title="The trash is empty">Records you delete show up here.</Empty>)}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table className="simple-table" aria-label="Deleted records">
                <thead><tr><th scope="col">Name</th>{canRestore && <th scope="col"><span className="sr-only">Actions</span></th>}<th scope="col">Type</th><th scope="col">Deleted</th><th scope="col">Removed for good</th></tr></thead>
                <tbody>{d.pages.flatMap((p) => p.data).map((item) => <TrashRow key={`${item.entity}:${item.id}`} item={item} canRestore={canRestore} />)}</tbody>
              </table>
            </div>
            {trash.hasNextPage && <button type="button" className="secondary wide" disabled={trash.isFetchingNextPage} onClick={() => void trash.fetchNextPage()}>{trash.isFetchingNextPage ? 'Loading…' : 'Show more'}</button>}
          </>
        )}
      </QueryView>
    </section>
  );
}

function TrashRow({ item, canRestore }: { item: TrashItem; canRestore: boolean }) {
  const restore = useRestoreFromTrash();
  const toast = useToast();
  const navigate = useNavigate();
  function run() {
    restore.mutate(item, {
      onSuccess: (r) => toast.success(`Restored “${r.name}”`, { label: 'Open', run: () => void navigate(`/${r.entity}/${r.id}`) }),
      onError: (e) => toast.error(errorMessage(e)),
    });
  }
  return (
    <tr>
      <td className="cell-text trash-name">{item.name || <span className="muted">(no name)</span>}</td>
      {/* The action comes second so it stays on screen when a phone scrolls the table sideways. */}
      {canRestore && (
        <td><button type="button" className="secondary" disabled={restore.isPending} onClick={run}>Restore<span className="sr-only"> {item.name}</span></button></td>
      )}
      <td>{singular[item.entity]}</td>
      <td><time dateTime={item.deleted_at}>{formatDateTime(item.deleted_at)}</time></td>
      <td><time dateTime={item.purge_after}>{formatDate(item.purge_after)}</time></td>
    </tr>
  );
}
