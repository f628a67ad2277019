import type { RecordEntity, SavedView } from '@pillar/shared';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../ui/api.js';
import { useConfirm } from '../../ui/confirm.js';
import { Dialog } from '../../ui/dialog.js';
import { FilterBuilder, fromFilterNode, toFilterNode } from '../../ui/filter-builder.js';
import type { FieldDef } from '../../ui/fields.js';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import type { ListState } from './list-state.js';
import { exportCsv, type ListParams } from './records.api.js';
import { useCreateView, useDeleteView, useSavedViews } from './views.api.js';

export function ListToolbar({ entity, fields, state, params }: { entity: RecordEntity; fields: FieldDef[]; state: ListState; params: ListParams }) {
  const [showFilters, setShowFilters] = useState(state.filter.conditions.length > 0);
  const toast = useToast();
  const canExport = useCan('data:export');
  const canImport = useCan('data:import');
  const count = state.filter.conditions.length;
  return (
    <div className="list-toolbar">
      <div className="toolbar">
        <input type="search" aria-label="Search this list" placeholder="Search…" value={state.q} onChange={(e) => state.setQ(e.target.value)} className="toolbar-search" />
        <button type="button" className="secondary" aria-expanded={showFilters} onClick={() => setShowFilters((s) => !s)}>
          Filters{count > 0 ? ` (${count})` : ''}
        </button>
        <ViewPicker entity={entity} state={state} />
        {canExport && <button type="button" className="secondary" onClick={() => void exportCsv(entity, params).catch((e) => toast.error(errorMessage(e)))}>Export CSV</button>}
        {canImport && <Link className="button-link secondary" to={`/settings/imports/new?entity=${entity}`}>Import</Link>}
      </div>
      {showFilters && <FilterBuilder fields={fields} value={state.filter} onChange={state.setFilter} />}
    </div>
  );
}

function ViewPicker({ entity, state }: { entity: RecordEntity; state: ListState }) {
  const views = useSavedViews(entity);
  const remove = useDeleteView();
  const toast = useToast();
  const { confirm, element } = useConfirm();
  const current = views.data?.find((v) => v.id === state.viewId);
  function apply(v: SavedView | undefined) {
    state.setParams((p) => {
      const next = new URLSearchParams(p);
      for (const k of ['filter', 'sort', 'view_id']) next.delete(k);
      if (v) {
        next.set('view_id', v.id);
        const node = toFilterNode(fromFilterNode(v.filter));
        if (node) next.set('filter', JSON.stringify(node));
        if (v.sort) next.set('sort', v.sort);
      }
      return next;
    }, { replace: true });
  }
  async function onDelete(view: SavedView) {
    if (!(await confirm('Delete view', <p>Delete the saved view “{view.name}”? The records stay as they are.</p>, 'Delete'))) return;
    remove.mutate(view, { onSuccess: () => apply(undefined), onError: (e) => toast.error(errorMessage(e)) });
  }
  if (views.isError || (views.data && views.data.length === 0 && !state.filter.conditions.length && !state.sort)) return null;
  return (
    <div className="view-picker">
      <select aria-label="Saved view" value={state.viewId ?? ''} onChange={(e) => apply(views.data?.find((v) => v.id === e.target.value))}>
        <option value="">All records</option>
        {views.data?.map((v) => <option key={v.id} value={v.id}>{v.name}{v.is_shared ? ' (shared)' : ''}</option>)}
      </select>
      <SaveViewButton entity={entity} state={state} />
      {current && <button type="button" className="link danger-text" onClick={() => void onDelete(current)}>Delete view</button>}
      {element}
    </div>
  );
}

/** Names the current filter and sort as a saved view, optionally shared with the firm. */
function SaveViewButton({ entity, state }: { entity: RecordEntity; state: ListState }) {
  const [open, setOpen] = useState(false);
  const create = useCreateView();
  const canShare = useCan('views:share');
  const toast = useToast();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    const shared = (form.elements.namedItem('is_shared') as HTMLInputElement | null)?.checked ?? false;
    create.mutate({ name: v.name ?? '', entity, filter: toFilterNode(state.filter) ?? null, sort: state.sort ?? null, is_shared: shared || undefined }, {
      onSuccess: (view) => { toast.success(`View “${view.name}” saved`); state.setViewId(view.id); close(); },
    });
  }
  function close() {
    create.reset();
    setOpen(false);
  }
  return (
    <>
      <button type="button" className="link" onClick={() => setOpen(true)}>Save view</button>
      <Dialog open={open} title="Save view" onClose={close}>
        <form onSubmit={submit}>
          <TextField label="Name of this view" name="name" required maxLength={200} autoComplete="off" error={create.error} />
          {canShare && <label className="check-label"><input type="checkbox" name="is_shared" /> Share with everyone in the workspace</label>}
          <p className="hint">Saves the current search filters and sort order.</p>
          <FormError error={create.error} />
          <div className="actions">
            <button type="button" className="secondary" onClick={close}>Cancel</button>
            <button type="submit" className="primary" disabled={create.isPending}>Save view</button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
