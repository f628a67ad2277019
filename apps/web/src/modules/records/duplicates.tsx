/**
 * Likely duplicates of a contact or company, and the merge: the two records
 * side by side, the person picks which record is kept and, where both have a
 * different value, which value wins. Everything else is combined by the server.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Dialog } from '../../ui/dialog.js';
import { readField, type FieldDef } from '../../ui/fields.js';
import { FormError } from '../../ui/form.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import { renderValue } from './columns.js';
import { useDuplicates, useMerge, type DuplicateSuggestion, type MergeEntity } from './duplicates.api.js';
import { useMemberNames } from './lookups.js';
import { useRecord, type Versioned } from './records.api.js';

export interface MergeRecord extends Versioned {
  name: string;
  custom: Record<string, unknown>;
}

const reasonLabels: Record<DuplicateSuggestion['reasons'][number], string> = {
  same_email: 'same email', same_phone: 'same phone', same_domain: 'same domain', similar_name: 'similar name',
};

export function DuplicatesCard<T extends MergeRecord>({ entity, record, fields }: { entity: MergeEntity; record: T; fields: FieldDef[] }) {
  const duplicates = useDuplicates(entity, record.id);
  const canMerge = useCan('records:delete');
  const [comparing, setComparing] = useState<DuplicateSuggestion | null>(null);
  return (
    <section aria-labelledby="dups-title" className="card">
      <h2 id="dups-title">Possible duplicates</h2>
      <QueryView query={duplicates} empty={(d) => (d.length ? null : <Empty title="No likely duplicates" />)}>
        {(list) => (
          <ul className="plain-list">
            {list.map((d) => (
              <li key={d.id} className="row-between">
                <span className="wrap-anywhere">
                  <Link to={`/${entity}/${d.id}`}>{d.title || '(no name)'}</Link>
                  {d.subtitle && <span className="muted"> · {d.subtitle}</span>}
                  <span className="muted"> · {d.reasons.map((r) => reasonLabels[r]).join(', ')}</span>
                </span>
                {canMerge && <button type="button" className="secondary" onClick={() => setComparing(d)}>Compare and merge<span className="sr-only"> with {d.title}</span></button>}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <Dialog open={comparing !== null} wide title={`Merge “${record.name}” and “${comparing?.title ?? ''}”`} onClose={() => setComparing(null)}>
        {comparing && <MergeLoader entity={entity} record={record} otherId={comparing.id} fields={fields} onDone={() => setComparing(null)} />}
      </Dialog>
    </section>
  );
}

function MergeLoader<T extends MergeRecord>({ entity, record, otherId, fields, onDone }: { entity: MergeEntity; record: T; otherId: string; fields: FieldDef[]; onDone: () => void }) {
  const other = useRecord<T>(entity, otherId);
  return <QueryView query={other}>{(o) => <MergeForm entity={entity} a={record} b={o} fields={fields} onDone={onDone} />}</QueryView>;
}

const blank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
type Side = 'a' | 'b';

function MergeForm<T extends MergeRecord>({ entity, a, b, fields, onDone }: { entity: MergeEntity; a: T; b: T; fields: FieldDef[]; onDone: () => void }) {
  const merge = useMerge<T>(entity);
  const toast = useToast();
  const navigate = useNavigate();
  const [keep, setKeep] = useState<Side>('a');
  const [picks, setPicks] = useState<Record<string, Side>>({});
  const rows = fields.map((f) => ({ field: f, a: readField(a as unknown as Record<string, unknown>, f.id), b: readField(b as unknown as Record<string, unknown>, f.id) }))
    .filter((r) => !blank(r.a) || !blank(r.b));
  const conflict = (r: (typeof rows)[number]) => !blank(r.a) && !blank(r.b) && !same(r.a, r.b);
  /** The side whose value ends up on the kept record: the pick, else the kept record's own value, else the one that has a value. */
  const winner = (r: (typeof rows)[number]): Side => (conflict(r) ? picks[r.field.id] ?? keep : blank(r.a) ? 'b' : 'a');
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const [survivor, other] = keep === 'a' ? [a, b] : [b, a];
    const preferOther = rows.filter((r) => conflict(r) && winner(r) !== keep).map((r) => r.field.id);
    merge.mutate({ survivor, other, preferOther }, {
      onSuccess: (kept) => {
        toast.success(`Merged into “${kept.name}”; the other record is in the trash`);
        onDone();
        void navigate(`/${entity}/${kept.id}`);
      },
    });
  }
  return (
    <form onSubmit={submit} className="merge-form">
      <p className="muted">Pick the record to keep and, where the two differ, which value wins. Emails, phone numbers and tags are combined; activities, deals and leads move to the kept record; the other goes to the trash.</p>
      <div className="table-wrap">
        <table className="simple-table merge-table">
          <caption className="sr-only">The two records side by side</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              {(['a', 'b'] as const).map((side) => (
                <th key={side} scope="col">
                  <label className="merge-choice"><input type="radio" name="keep" checked={keep === side} onChange={() => { setKeep(side); setPicks({}); }} />
                    <span>Keep {side === 'a' ? 'this record' : 'the other record'}<span className="merge-name">{(side === 'a' ? a : b).name || '(no name)'}</span></span></label>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{rows.map((r) => <MergeRow key={r.field.id} row={r} conflict={conflict(r)} winner={winner(r)} onPick={(side) => setPicks((p) => ({ ...p, [r.field.id]: side }))} />)}</tbody>
        </table>
      </div>
      <FormError error={merge.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
        <button type="submit" className="danger" disabled={merge.isPending}>{merge.isPending ? 'Merging…' : 'Merge records'}</button>
      </div>
    </form>
  );
}

function MergeRow({ row, conflict, winner, onPick }: { row: { field: FieldDef; a: unknown; b: unknown }; conflict: boolean; winner: Side; onPick: (s: Side) => void }) {
  const names = useMemberNames();
  const show = (v: unknown) => (row.field.id === 'company_id' && typeof v === 'string' ? <CompanyName id={v} /> : renderValue(row.field, v, names) || <span className="muted">—</span>);
  return (
    <tr>
      <th scope="row">{row.field.label}</th>
      {(['a', 'b'] as const).map((side) => (
        <td key={side} className={winner === side ? 'merge-win wrap-anywhere' : 'wrap-anywhere'}>
          {conflict ? (
            <label className="merge-choice"><input type="radio" name={`pick-${row.field.id}`} checked={winner === side} onChange={() => onPick(side)} />
              <span className="sr-only">Use {row.field.label}: </span>{show(side === 'a' ? row.a : row.b)}</label>
          ) : show(side === 'a' ? row.a : row.b)}
        </td>
      ))}
    </tr>
  );
}

function CompanyName({ id }: { id: string }) {
  const company = useRecord<{ id: string; name: string }>('companies', id);
  return <>{company.data?.name ?? (company.isError ? 'unknown company' : '…')}</>;
}
