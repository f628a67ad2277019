import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { errorMessage } from './api.js';
import { useToast } from './toast.js';

export interface CellEditor<T> {
  kind: 'text' | 'number' | 'date' | 'email' | 'select';
  options?: readonly { value: string; label: string }[];
  value: (row: T) => string;
  save: (row: T, value: string) => Promise<unknown>;
}

/** Shows the value as a button; activating it swaps in an input. Errors come back as a toast and the old value stays. */
export function EditableCell<T>({ row, editor, label, children }: { row: T; editor: CellEditor<T>; label: string; children: ReactNode }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  // Enter saves and disables the input, which blurs it, and blur saves too: one save at a time, or the second goes out with a stale If-Match.
  const inFlight = useRef(false);
  const toast = useToast();
  function start() {
    setDraft(editor.value(row));
    setEditing(true);
  }
  async function commit() {
    if (inFlight.current) return;
    if (draft === editor.value(row)) return setEditing(false);
    inFlight.current = true;
    setSaving(true);
    try {
      await editor.save(row, draft);
      setEditing(false);
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  }
  function onKey(e: KeyboardEvent) {
    if (e.key === 'Enter') { e.preventDefault(); void commit(); }
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setEditing(false); }
  }
  if (!editing) {
    return <button type="button" className="cell-value" onClick={start}><span className="sr-only">Edit {label}: </span>{children}<span className="cell-pencil" aria-hidden="true">✎</span></button>;
  }
  const common = { 'aria-label': label, value: draft, disabled: saving, autoFocus: true, onKeyDown: onKey, onBlur: () => void commit(), className: 'cell-input' };
  if (editor.kind === 'select') {
    return (
      <select {...common} onChange={(e) => setDraft(e.target.value)}>
        {(editor.options ?? []).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    );
  }
  return <input {...common} type={editor.kind} onChange={(e) => setDraft(e.target.value)} />;
}
