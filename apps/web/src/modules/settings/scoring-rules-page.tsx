/** Lead scoring rules: points for a lead field condition, or per activity of a type. Every change re-scores all leads. */
import { ActivityTypes, type ActivityType, type FilterCondition } from '@pillar/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { errorMessage } from '../../ui/api.js';
import { useConfirm } from '../../ui/confirm.js';
import { Dialog } from '../../ui/dialog.js';
import { ConditionRow } from '../../ui/filter-builder.js';
import { asText, isValueless, operatorLabels, operatorsFor, type FieldDef } from '../../ui/fields.js';
import { FormError, SelectField, TextField, formValues } from '../../ui/form.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { useMemberNames } from '../records/lookups.js';
import { useDeleteScoringRule, useSaveScoringRule, useScoringRules, type ScoringRule } from './lead-rules.api.js';

const activityLabels: Record<ActivityType, string> = { call: 'call', email: 'email', meeting: 'meeting', task: 'task', note: 'note' };
const statusOptions = ['new', 'contacted', 'qualified', 'unqualified'].map((s) => ({ value: s, label: s }));

/** Lead fields a scoring condition may test (the score itself is not one of them). */
function useScoringFields(): FieldDef[] {
  const names = useMemberNames();
  const custom = useCustomFieldDefs('leads');
  return useMemo(() => [
    { id: 'source', label: 'Source', kind: 'text' },
    { id: 'status', label: 'Status', kind: 'select', options: statusOptions },
    { id: 'value', label: 'Value', kind: 'money' },
    { id: 'email', label: 'Email', kind: 'email' },
    { id: 'company_name', label: 'Company', kind: 'text' },
    { id: 'territory', label: 'Territory', kind: 'text' },
    { id: 'title', label: 'Title', kind: 'text' },
    { id: 'phone', label: 'Phone', kind: 'text' },
    { id: 'tags', label: 'Tags', kind: 'tags' },
    { id: 'owner_id', label: 'Owner', kind: 'user', options: [...names].map(([value, label]) => ({ value, label })) },
    { id: 'expected_close_date', label: 'Expected close', kind: 'date' },
    ...custom.filter((f) => f.filterable !== false),
  ] satisfies FieldDef[], [names, custom]);
}

export function describeRule(rule: ScoringRule, fields: FieldDef[]): string {
  if (rule.activity_type) return `Each ${activityLabels[rule.activity_type]} logged on the lead`;
  const c = rule.condition;
  if (!c) return '—';
  const field = fields.find((f) => f.id === c.field);
  const value = field?.options && typeof c.value === 'string' ? field.options.find((o) => o.value === c.value)?.label ?? c.value : asText(c.value);
  return `${field?.label ?? c.field} ${operatorLabels[c.op]}${isValueless(c.op) ? '' : ` ${value}`}`;
}

export function ScoringRulesPage() {
  const rules = useScoringRules();
  const fields = useScoringFields();
  const canManage = useCan('rules:manage');
  const [editing, setEditing] = useState<ScoringRule | 'new' | null>(null);
  return (
    <section aria-labelledby="scoring-title">
      <div className="row-between">
        <h2 id="scoring-title">Lead scoring</h2>
        {canManage && <button type="button" className="primary" onClick={() => setEditing('new')}>Add scoring rule</button>}
      </div>
      <p className="muted">A lead’s score is the sum of the points of every active rule it matches. Changing a rule re-scores all leads.</p>
      <QueryView query={rules} empty={(d) => (d.length ? null : <Empty title="No scoring rules yet">{canManage ? <p>Add one to rank leads by how promising they are.</p> : null}</Empty>)}>
        {(list) => (
          <div className="table-wrap">
            <table className="simple-table">
              <thead><tr><th scope="col">Rule</th><th scope="col">When</th><th scope="col">Points</th><th scope="col">Active</th>{canManage && <th scope="col"><span className="sr-only">Actions</span></th>}</tr></thead>
              <tbody>{list.map((r) => <ScoringRow key={r.id} rule={r} fields={fields} canManage={canManage} onEdit={() => setEditing(r)} />)}</tbody>
            </table>
          </div>
        )}
      </QueryView>
      <Dialog open={editing !== null} title={editing === 'new' ? 'New scoring rule' : 'Edit scoring rule'} onClose={() => setEditing(null)}>
        {editing !== null && <ScoringRuleForm rule={editing === 'new' ? undefined : editing} fields={fields} onDone={() => setEditing(null)} />}
      </Dialog>
    </section>
  );
}

function ScoringRow({ rule, fields, canManage, onEdit }: { rule: ScoringRule; fields: FieldDef[]; canManage: boolean; onEdit: () => void }) {
  const save = useSaveScoringRule();
  const remove = useDeleteScoringRule();
  const toast = useToast();
  const { confirm, element } = useConfirm();
  async function onDelete() {
    if (!(await confirm('Delete scoring rule', <p>Delete “{rule.name}”? Every lead is re-scored without it.</p>, 'Delete'))) return;
    remove.mutate(rule, { onError: (e) => toast.error(errorMessage(e)) });
  }
  function toggle() {
    save.mutate({ rule, input: { ...inputOf(rule), active: !rule.active } }, { onError: (e) => toast.error(errorMessage(e)) });
  }
  return (
    <tr>
      <td className="cell-text">{rule.name}</td>
      <td className="cell-text">{describeRule(rule, fields)}</td>
      <td className="num">{rule.points > 0 ? `+${rule.points}` : rule.points}</td>
      <td>{canManage ? <input type="checkbox" checked={rule.active} disabled={save.isPending} onChange={toggle} aria-label={`${rule.name} is active`} /> : rule.active ? 'Yes' : 'No'}</td>
      {canManage && (
        <td className="row-actions">
          <button type="button" className="link" onClick={onEdit}>Edit<span className="sr-only"> {rule.name}</span></button>
          <button type="button" className="link danger-text" onClick={() => void onDelete()}>Delete<span className="sr-only"> {rule.name}</span></button>
          {element}
        </td>
      )}
    </tr>
  );
}

function inputOf(rule: ScoringRule) {
  return { name: rule.name, points: rule.points, condition: rule.condition, activity_type: rule.activity_type, active: rule.active };
}

function ScoringRuleForm({ rule, fields, onDone }: { rule?: ScoringRule; fields: FieldDef[]; onDone: () => void }) {
  const save = useSaveScoringRule();
  const toast = useToast();
  const [trigger, setTrigger] = useState<'condition' | 'activity'>(rule?.activity_type ? 'activity' : 'condition');
  const first = fields[0]!;
  const [condition, setCondition] = useState<FilterCondition>(rule?.condition ?? { field: first.id, op: operatorsFor[first.kind][0]!, value: '' });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    const active = (form.elements.namedItem('active') as HTMLInputElement).checked;
    const input = {
      name: v.name ?? '', points: Number(v.points ?? 0), active,
      condition: trigger === 'condition' ? condition : null,
      activity_type: trigger === 'activity' ? (v.activity_type as ActivityType) : null,
    };
    save.mutate({ rule, input }, { onSuccess: (r) => { toast.success(`Scoring rule “${r.name}” saved; leads are re-scored`); onDone(); } });
  }
  return (
    <form onSubmit={submit}>
      <div className="form-grid">
        <TextField label="Rule name" name="name" required maxLength={200} defaultValue={rule?.name} autoComplete="off" error={save.error} />
        <TextField label="Points" name="points" type="number" required min={-1000} max={1000} step={1} defaultValue={rule?.points ?? 10} error={save.error} />
      </div>
      <fieldset className="stack">
        <legend>Gives points</legend>
        <label className="check-label"><input type="radio" name="trigger" checked={trigger === 'condition'} onChange={() => setTrigger('condition')} /> When a lead field matches</label>
        <label className="check-label"><input type="radio" name="trigger" checked={trigger === 'activity'} onChange={() => setTrigger('activity')} /> For each activity of a type</label>
      </fieldset>
      {trigger === 'condition'
        ? <div className="filter-builder"><ConditionRow name="the condition" fields={fields} condition={condition} onChange={setCondition} /></div>
        : <SelectField label="Activity type" name="activity_type" defaultValue={rule?.activity_type ?? 'meeting'} options={ActivityTypes.map((t) => ({ value: t, label: activityLabels[t] }))} error={save.error} />}
      <label className="check-label"><input type="checkbox" name="active" defaultChecked={rule?.active ?? true} /> Active</label>
      <FormError error={save.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
        <button type="submit" className="primary" disabled={save.isPending}>{save.isPending ? 'Saving…' : 'Save rule'}</button>
      </div>
    </form>
  );
}
