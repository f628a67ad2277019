import { formatDateTime } from '../../ui/format.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useAudit, type AuditEntry } from './settings.api.js';

function describeChanges(e: AuditEntry): string {
  if (!e.changes) return '';
  return Object.keys(e.changes).slice(0, 6).join(', ');
}

export function AuditPage() {
  const audit = useAudit();
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <QueryView query={audit} empty={(d) => (d.pages[0]?.data.length ? null : <Empty title="Nothing recorded yet" />)}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table className="simple-table">
                <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Entity</th><th scope="col">Changed fields</th><th scope="col">Actor</th></tr></thead>
                <tbody>
                  {d.pages.flatMap((p) => p.data).map((e) => (
                    <tr key={e.id}><td>{formatDateTime(e.created_at)}</td><td>{e.action}</td><td>{e.entity}</td><td>{describeChanges(e)}</td><td>{e.actor_type}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
            {audit.hasNextPage && <button type="button" className="secondary" disabled={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>Load more</button>}
          </>
        )}
      </QueryView>
    </section>
  );
}
