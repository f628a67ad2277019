import { EditableCell } from '../../ui/editable-cell.js';
import { asText, parseInput, patchFor, readField, type FieldDef } from '../../ui/fields.js';
import { renderValue } from './columns.js';
import type { Versioned } from './records.api.js';

/** The record page's fields as a description list; each editable value edits in place (custom fields too). */
export function FieldList<T extends Versioned>({ record, fields, names, canEdit, save }: {
  record: T;
  fields: FieldDef[];
  names?: Map<string, string>;
  canEdit: boolean;
  save: (record: T, patch: Record<string, unknown>) => Promise<unknown>;
}) {
  return (
    <dl className="field-list">
      {fields.map((f) => {
        const value = readField(record as unknown as Record<string, unknown>, f.id);
        const shown = renderValue(f, value, names) || <span className="muted">—</span>;
        const options = f.kind === 'user' && names ? [{ value: '', label: '—' }, ...[...names].map(([v, label]) => ({ value: v, label }))] : f.options ? [{ value: '', label: '—' }, ...f.options] : undefined;
        return (
          <div key={f.id} className="field-row">
            <dt>{f.label}</dt>
            <dd>
              {canEdit && f.editable ? (
                <EditableCell row={record} label={f.label} editor={{
                  kind: options ? 'select' : f.kind === 'number' || f.kind === 'money' ? 'number' : f.kind === 'date' ? 'date' : f.kind === 'email' ? 'email' : 'text',
                  options,
                  value: () => asText(value),
                  save: (row, raw) => save(row, patchFor(f.id, parseInput(f.kind, raw))),
                }}>{shown}</EditableCell>
              ) : shown}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
