import { Link } from 'react-router';
import type { Column } from '../../ui/data-table.js';
import { asText, displayValue, parseInput, patchFor, readField, type FieldDef } from '../../ui/fields.js';
import { formatDate, formatDateTime, formatMoney } from '../../ui/format.js';
import type { Versioned } from './records.api.js';

type Row = Versioned & Record<string, unknown>;
type Save<T> = (record: T, patch: Record<string, unknown>) => Promise<unknown>;

export function renderValue(field: FieldDef, value: unknown, names?: Map<string, string>): string {
  if (value === null || value === undefined || value === '') return '';
  if (field.kind === 'date') return formatDate(asText(value));
  if (field.kind === 'datetime') return formatDateTime(asText(value));
  if (field.kind === 'money') return formatMoney(value as string);
  if (field.kind === 'user' || field.kind === 'ref') return names?.get(asText(value)) ?? '—';
  return displayValue(field.kind, value, field.options);
}

function editorKind(field: FieldDef) {
  if (field.options) return 'select' as const;
  if (field.kind === 'number' || field.kind === 'money') return 'number' as const;
  if (field.kind === 'date') return 'date' as const;
  if (field.kind === 'email') return 'email' as const;
  return 'text' as const;
}

/** Table columns from field definitions; the first links to the record, editable fields edit in place. */
export function columnsFrom<T extends Versioned>(fields: FieldDef[], opts: {
  hrefOf: (row: T) => string;
  titleOf: (row: T) => string;
  save: Save<T>;
  names?: Map<string, string>;
  canEdit: boolean;
}): Column<T>[] {
  const [first, ...rest] = fields;
  const head: Column<T> = {
    id: first?.id ?? 'name', header: first?.label ?? 'Name', width: 'minmax(12rem, 2fr)', sortable: first?.sortable,
    render: (row) => {
      const href = opts.hrefOf(row);
      return href ? <Link to={href} className="record-link">{opts.titleOf(row) || '(no name)'}</Link> : <strong>{opts.titleOf(row)}</strong>;
    },
  };
  return [head, ...rest.map((f) => fieldColumn<T>(f, opts))];
}

function fieldColumn<T extends Versioned>(f: FieldDef, opts: { save: Save<T>; names?: Map<string, string>; canEdit: boolean }): Column<T> {
  const get = (row: T) => readField(row as unknown as Row, f.id);
  const options = f.kind === 'user' && opts.names ? [{ value: '', label: '—' }, ...[...opts.names].map(([value, label]) => ({ value, label }))] : f.options ? [{ value: '', label: '—' }, ...f.options] : undefined;
  return {
    id: f.id,
    header: f.label,
    sortable: f.sortable,
    width: f.kind === 'tags' || f.kind === 'long_text' ? 'minmax(12rem, 2fr)' : undefined,
    render: (row) => <span className={f.kind === 'money' || f.kind === 'number' ? 'num' : undefined}>{renderValue(f, get(row), opts.names)}</span>,
    editor: opts.canEdit && f.editable ? {
      kind: options ? 'select' : editorKind(f),
      options,
      value: (row) => {
        const v = get(row);
        return asText(v);
      },
      save: (row, raw) => opts.save(row, patchFor(f.id, parseInput(f.kind, raw))),
    } : undefined,
  };
}
