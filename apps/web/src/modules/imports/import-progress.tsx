import { Link } from 'react-router';
import { errorMessage } from '../../ui/api.js';
import { formatDateTime } from '../../ui/format.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useImports, useStart, useUndo, type Import } from './imports.api.js';

export function ImportProgress({ imp }: { imp: Import }) {
  const undo = useUndo();
  const resume = useStart();
  const toast = useToast();
  const pct = Math.round(imp.status === 'completed' || imp.status === 'undone' ? 100 : imp.percentage);
  return (
    <section aria-labelledby="prog-title">
      <h2 id="prog-title">Import of {imp.file_name ?? imp.entity}</h2>
      <ol className="steps" aria-label="Steps"><li>Upload</li><li>Map columns</li><li>Check</li><li aria-current="step">Import</li></ol>
      <label htmlFor="imp-progress">Progress: {imp.status}</label>
      <progress id="imp-progress" max={100} value={pct} className="progress">{pct}%</progress>
      <p role="status" aria-live="polite" data-testid="import-status">
        {imp.status} · {pct}% · {imp.rows_processed.toLocaleString()} rows · {imp.created} created · {imp.updated} updated · {imp.skipped} skipped · {imp.failed} failed
      </p>
      {imp.error && <p className="form-error" role="alert">{imp.error}</p>}
      {imp.errors.length > 0 && (
        <details><summary>Row errors ({imp.errors.length})</summary>
          <ul>{imp.errors.map((e, i) => <li key={i}>Line {e.line}{e.field ? `, ${e.field}` : ''}: {e.message}</li>)}</ul>
        </details>
      )}
      <div className="actions">
        {imp.status === 'interrupted' && <button type="button" className="primary" onClick={() => resume.mutate(imp, { onError: (e) => toast.error(errorMessage(e)) })}>Resume</button>}
        {(imp.status === 'completed' || imp.status === 'failed' || imp.status === 'interrupted') && (
          <button type="button" className="secondary" onClick={() => undo.mutate(imp, { onSuccess: () => toast.success('Undoing the import'), onError: (e) => toast.error(errorMessage(e)) })}>Undo import</button>
        )}
        <Link className="button-link" to={`/${imp.entity}`}>Open {imp.entity}</Link>
      </div>
    </section>
  );
}

export function ImportsPage() {
  const imports = useImports();
  return (
    <section aria-labelledby="imps-title">
      <div className="row-between"><h2 id="imps-title">Imports</h2><Link className="button-link secondary" to="/settings/imports/new">New import</Link></div>
      <QueryView query={imports} empty={(d) => (d.length ? null : <Empty title="No imports yet" />)}>
        {(list) => (
          <div className="table-wrap"><table className="simple-table">
            <thead><tr><th scope="col">File</th><th scope="col">Records</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">When</th></tr></thead>
            <tbody>{list.map((i) => (
              <tr key={i.id}><td><Link to={`/settings/imports/${i.id}`}>{i.file_name ?? i.id.slice(0, 8)}</Link></td><td>{i.entity}</td><td>{i.status}</td><td>{i.created}</td><td>{formatDateTime(i.created_at)}</td></tr>
            ))}</tbody>
          </table></div>
        )}
      </QueryView>
    </section>
  );
}
