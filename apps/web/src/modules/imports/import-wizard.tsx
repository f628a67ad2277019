/** Import wizard: upload → map columns (suggestions pre-filled) → dry run with row errors → run with a progress bar → undo. */
import { DuplicatePolicies, RecordEntities, type RecordEntity } from '@pillar/shared';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { errorMessage } from '../../ui/api.js';
import { FormError } from '../../ui/form.js';
import { QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { ImportProgress } from './import-progress.js';
import { useDryRun, useImport, useImportFields, useSetMapping, useStart, useUpload, type DryRunResult, type Import } from './imports.api.js';

export function NewImportPage() {
  const [params] = useSearchParams();
  const [entity, setEntity] = useState<RecordEntity>((RecordEntities as readonly string[]).includes(params.get('entity') ?? '') ? params.get('entity') as RecordEntity : 'contacts');
  const upload = useUpload();
  const navigate = useNavigate();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const file = (e.currentTarget.elements.namedItem('file') as HTMLInputElement).files?.[0];
    if (file) upload.mutate({ entity, file }, { onSuccess: (imp) => void navigate(`/settings/imports/${imp.id}`) });
  }
  return (
    <section aria-labelledby="imp-title">
      <h2 id="imp-title">Import a CSV file</h2>
      <ol className="steps" aria-label="Steps"><li aria-current="step">Upload</li><li>Map columns</li><li>Check</li><li>Import</li></ol>
      <form onSubmit={submit} className="form-narrow">
        <div className="field">
          <label htmlFor="imp-entity">Records to import</label>
          <select id="imp-entity" value={entity} onChange={(e) => setEntity(e.target.value as RecordEntity)}>{RecordEntities.map((x) => <option key={x} value={x}>{x}</option>)}</select>
        </div>
        <div className="field">
          <label htmlFor="imp-file">CSV file</label>
          <input id="imp-file" name="file" type="file" accept=".csv,text/csv" required />
          <p className="hint">Comma or semicolon separated, with a header row. Exports from spreadsheets and other CRMs work.</p>
        </div>
        <FormError error={upload.error} />
        <button type="submit" className="primary" disabled={upload.isPending}>{upload.isPending ? 'Uploading…' : 'Upload'}</button>
      </form>
    </section>
  );
}

export function ImportPage() {
  const { id } = useParams();
  const imp = useImport(id);
  return <QueryView query={imp}>{(i) => (i.status === 'uploaded' ? <MappingStep imp={i} /> : <ImportProgress imp={i} />)}</QueryView>;
}

function MappingStep({ imp }: { imp: Import }) {
  const fields = useImportFields(imp.entity);
  const [mapping, setMappingState] = useState<(string | null)[]>(imp.mapping);
  const [policy, setPolicy] = useState<string>(imp.duplicate_policy);
  const [dry, setDry] = useState<DryRunResult | null>(null);
  const save = useSetMapping();
  const dryRun = useDryRun();
  const start = useStart();
  const toast = useToast();
  async function check() {
    const saved = await save.mutateAsync({ imp, mapping, duplicate_policy: policy });
    setDry((await dryRun.mutateAsync(saved as Import)) as DryRunResult);
  }
  async function run() {
    const saved = await save.mutateAsync({ imp, mapping, duplicate_policy: policy });
    await start.mutateAsync(saved as Import);
  }
  const error = save.error ?? dryRun.error ?? start.error;
  return (
    <section aria-labelledby="map-title">
      <h2 id="map-title">Map the columns of {imp.file_name ?? 'your file'}</h2>
      <ol className="steps" aria-label="Steps"><li>Upload</li><li aria-current="step">Map columns</li><li>Check</li><li>Import</li></ol>
      <p className="muted">Suggested fields are filled in; choose “Ignore” to skip a column.</p>
      <QueryView query={fields}>
        {(list) => (
          <div className="table-wrap"><table className="simple-table mapping">
            <thead><tr><th scope="col">Column in the file</th><th scope="col">Pillar field</th></tr></thead>
            <tbody>{imp.headers.map((h, i) => (
              <tr key={`${h}-${i}`}>
                <td>{h}</td>
                <td><select aria-label={`Field for column ${h}`} value={mapping[i] ?? ''} onChange={(e) => setMappingState((m) => m.map((x, j) => (j === i ? e.target.value || null : x)))}>
                  <option value="">Ignore</option>
                  {list.map((f) => <option key={f.field} value={f.field}>{f.label}{f.required ? ' (required)' : ''}</option>)}
                </select></td>
              </tr>
            ))}</tbody>
          </table></div>
        )}
      </QueryView>
      <label className="inline-label">When a record already exists
        <select value={policy} onChange={(e) => setPolicy(e.target.value)}>{DuplicatePolicies.map((p) => <option key={p} value={p}>{p}</option>)}</select>
      </label>
      {dry && <DryRunSummary result={dry} />}
      <FormError error={error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void check().catch((e) => toast.error(errorMessage(e)))} disabled={dryRun.isPending}>{dryRun.isPending ? 'Checking…' : 'Check for errors'}</button>
        <button type="button" className="primary" onClick={() => void run().catch((e) => toast.error(errorMessage(e)))} disabled={start.isPending}>Import</button>
      </div>
      <p><Link to="/settings/imports">All imports</Link></p>
    </section>
  );
}

function DryRunSummary({ result }: { result: DryRunResult }) {
  return (
    <div className="notice" role="status">
      <p>{result.rows} rows: {result.would_create} to create, {result.would_update} to update, {result.would_skip} to skip, {result.failed} with errors.</p>
      {result.errors.length > 0 && (
        <div className="table-wrap"><table className="simple-table"><thead><tr><th scope="col">Line</th><th scope="col">Field</th><th scope="col">Problem</th></tr></thead>
          <tbody>{result.errors.slice(0, 50).map((e, i) => <tr key={i}><td>{e.line}</td><td>{e.field ?? ''}</td><td>{e.message}</td></tr>)}</tbody>
        </table></div>
      )}
    </div>
  );
}
