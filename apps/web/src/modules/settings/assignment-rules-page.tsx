/** Lead assignment rules: tried in order when a lead arrives without an owner; the first match hands it to its members in turn. */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../ui/api.js';
import { useConfirm } from '../../ui/confirm.js';
import { Dialog } from '../../ui/dialog.js';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import { useMemberNames } from '../records/lookups.js';
import { useMembers } from './settings.api.js';
import {
  useAssignmentRules, useDeleteAssignmentRule, useReorderAssignmentRules, useSaveAssignmentRule, type AssignmentRule,
} from './lead-rules.api.js';

const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

export function AssignmentRulesPage() {
  const rules = useAssignmentRules();
  const canManage = useCan('rules:manage');
  const reorder = useReorderAssignmentRules();
  const toast = useToast();
  const [editing, setEditing] = useState<AssignmentRule | 'new' | null>(null);
  function move(all: AssignmentRule[], index: number, by: -1 | 1) {
    const ids = all.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    reorder.mutate(ids, { onError: (e) => toast.error(errorMessage(e)) });
  }
  return (
    <section aria-labelledby="assign-title">
      <div className="row-between">
        <h2 id="assign-title">Lead assignment</h2>
        {canManage && <button type="button" className="primary" onClick={() => setEditing('new')}>Add assignment rule</button>}
      </div>
      <p className="muted">When a lead is created without an owner, these rules are tried from the top. The first active rule whose sources and territories match gives the lead to its members in turn.</p>
      <QueryView query={rules} empty={(d) => (d.length ? null : <Empty title="No assignment rules yet">{canManage ? <p>Without rules, new leads stay unassigned unless an owner is given.</p> : null}</Empty>)}>
        {(all) => (
          <ol className="rule-list" aria-label="Assignment rules in the order they are tried">
            {all.map((r, i) => (
              <AssignmentRuleItem key={r.id} rule={r} canManage={canManage} onEdit={() => setEditing(r)}
                moveUp={i > 0 ? () => move(all, i, -1) : undefined} moveDown={i < all.length - 1 ? () => move(all, i, 1) : undefined} busy={reorder.isPending} />
            ))}
          </ol>
        )}
      </QueryView>
      <Dialog open={editing !== null} title={editing === 'new' ? 'New assignment rule' : 'Edit assignment rule'} onClose={() => setEditing(null)}>
        {editing !== null && <AssignmentRuleForm rule={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />}
      </Dialog>
    </section>
  );
}

function AssignmentRuleItem({ rule, canManage, onEdit, moveUp, moveDown, busy }: {
  rule: AssignmentRule; canManage: boolean; onEdit: () => void; moveUp?: () => void; moveDown?: () => void; busy: boolean;
}) {
  const names = useMemberNames();
  const remove = useDeleteAssignmentRule();
  const toast = useToast();
  const { confirm, element } = useConfirm();
  async function onDelete() {
    if (!(await confirm('Delete assignment rule', <p>Delete “{rule.name}”? Leads already assigned keep their owner.</p>, 'Delete'))) return;
    remove.mutate(rule, { onError: (e) => toast.error(errorMessage(e)) });
  }
  const members = rule.user_ids.map((id) => names.get(id) ?? 'former member');
  return (
    <li className="card rule-item">
      <div className="row-between">
        <h3 className="wrap-anywhere">{rule.name}{!rule.active && <> <span className="badge">paused</span></>}</h3>
        {canManage && (
          <div className="row-actions">
            <button type="button" className="icon" disabled={!moveUp || busy} onClick={moveUp} aria-label={`Move ${rule.name} up`}>↑</button>
            <button type="button" className="icon" disabled={!moveDown || busy} onClick={moveDown} aria-label={`Move ${rule.name} down`}>↓</button>
            <button type="button" className="link" onClick={onEdit}>Edit<span className="sr-only"> {rule.name}</span></button>
            <button type="button" className="link danger-text" onClick={() => void onDelete()}>Delete<span className="sr-only"> {rule.name}</span></button>
          </div>
        )}
      </div>
      <dl className="rule-facts">
        <dt>Sources</dt><dd className="wrap-anywhere">{rule.sources.length ? rule.sources.join(', ') : 'any'}</dd>
        <dt>Territories</dt><dd className="wrap-anywhere">{rule.territories.length ? rule.territories.join(', ') : 'any'}</dd>
        <dt>Members in turn</dt><dd className="wrap-anywhere">{members.join(', ')}</dd>
      </dl>
      {element}
    </li>
  );
}

function AssignmentRuleForm({ rule, onDone }: { rule?: AssignmentRule; onDone: () => void }) {
  const save = useSaveAssignmentRule();
  const members = useMembers();
  const toast = useToast();
  const [memberError, setMemberError] = useState<string | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    const userIds = new FormData(form).getAll('user_ids').map(String);
    if (userIds.length === 0) return setMemberError('Pick at least one member.');
    setMemberError(null);
    const active = (form.elements.namedItem('active') as HTMLInputElement).checked;
    save.mutate({ rule, input: { name: v.name ?? '', sources: list(v.sources), territories: list(v.territories), user_ids: userIds, active } }, {
      onSuccess: (r) => { toast.success(`Assignment rule “${r.name}” saved`); onDone(); },
    });
  }
  return (
    <form onSubmit={submit}>
      <TextField label="Rule name" name="name" required maxLength={200} defaultValue={rule?.name} autoComplete="off" error={save.error} />
      <div className="form-grid">
        <TextField label="Sources" name="sources" defaultValue={rule?.sources.join(', ')} hint="Comma-separated, e.g. website, referral; empty matches any" error={save.error} />
        <TextField label="Territories" name="territories" defaultValue={rule?.territories.join(', ')} hint="Comma-separated; empty matches any" error={save.error} />
      </div>
      <fieldset className="stack" aria-describedby={memberError ? 'members-error' : undefined}>
        <legend>Members who take turns</legend>
        <QueryView query={members}>
          {(ms) => <>{ms.map((m) => (
            <label key={m.user_id} className="check-label"><input type="checkbox" name="user_ids" value={m.user_id} defaultChecked={rule?.user_ids.includes(m.user_id)} /> {m.name} <span className="muted">({m.email})</span></label>
          ))}</>}
        </QueryView>
        {memberError && <p className="field-error" id="members-error" role="alert">{memberError}</p>}
      </fieldset>
      <label className="check-label"><input type="checkbox" name="active" defaultChecked={rule?.active ?? true} /> Active</label>
      <FormError error={save.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
        <button type="submit" className="primary" disabled={save.isPending}>{save.isPending ? 'Saving…' : 'Save rule'}</button>
      </div>
    </form>
  );
}
