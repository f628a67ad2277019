/**
 * Filter builder over standard and custom fields. Produces the shared filter
 * expression (`{and|or: [{field, op, value}]}`) that lists take as `filter=`.
 */
import type { FilterCondition, FilterNode, FilterOperator } from '@pillar/shared';
import { useId } from 'react';
import { isListOp, isValueless, operatorLabels, operatorsFor, type FieldDef } from './fields.js';

export interface FilterState {
  join: 'and' | 'or';
  conditions: FilterCondition[];
}

export const emptyFilter: FilterState = { join: 'and', conditions: [] };

function coerce(field: FieldDef | undefined, op: FilterOperator, raw: string): FilterCondition['value'] {
  if (isValueless(op)) return undefined;
  const kind = field?.kind ?? 'text';
  const one = (s: string) => (kind === 'number' ? Number(s) : kind === 'boolean' ? s === 'true' : s);
  if (isListOp(op)) return raw.split(',').map((s) => s.trim()).filter(Boolean).map(one);
  return one(raw);
}

/** The expression to send, or undefined when no condition is complete. */
export function toFilterNode(state: FilterState): FilterNode | undefined {
  const complete = state.conditions.filter((c) => isValueless(c.op) || (c.value !== undefined && c.value !== '' && !(Array.isArray(c.value) && c.value.length === 0)));
  if (complete.length === 0) return undefined;
  if (complete.length === 1) return complete[0];
  return state.join === 'and' ? { and: complete } : { or: complete };
}

/** Reads a saved filter back into the builder when it is a flat and/or of conditions. */
export function fromFilterNode(node: FilterNode | null | undefined): FilterState {
  if (!node) return emptyFilter;
  if ('field' in node) return { join: 'and', conditions: [node] };
  const join = 'and' in node ? 'and' : 'or';
  const children = 'and' in node ? node.and : node.or;
  return { join, conditions: children.filter((c): c is FilterCondition => 'field' in c) };
}

export function FilterBuilder({ fields, value, onChange }: { fields: FieldDef[]; value: FilterState; onChange: (v: FilterState) => void }) {
  const filterable = fields.filter((f) => f.filterable !== false);
  const joinId = useId();
  function update(i: number, c: FilterCondition) {
    onChange({ ...value, conditions: value.conditions.map((x, j) => (j === i ? c : x)) });
  }
  function add() {
    const f = filterable[0];
    if (f) onChange({ ...value, conditions: [...value.conditions, { field: f.id, op: operatorsFor[f.kind][0]!, value: '' }] });
  }
  return (
    <fieldset className="filter-builder">
      <legend className="sr-only">Filters</legend>
      {value.conditions.length > 1 && (
        <div className="filter-join">
          <label htmlFor={joinId}>Match</label>
          <select id={joinId} value={value.join} onChange={(e) => onChange({ ...value, join: e.target.value as 'and' | 'or' })}>
            <option value="and">all conditions</option>
            <option value="or">any condition</option>
          </select>
        </div>
      )}
      {value.conditions.map((c, i) => (
        <ConditionRow key={i} name={`filter ${i + 1}`} fields={filterable} condition={c} onChange={(next) => update(i, next)}
          onRemove={() => onChange({ ...value, conditions: value.conditions.filter((_, j) => j !== i) })} />
      ))}
      <div className="filter-actions">
        <button type="button" className="secondary" onClick={add}>Add filter</button>
        {value.conditions.length > 0 && <button type="button" className="link" onClick={() => onChange(emptyFilter)}>Clear all</button>}
      </div>
    </fieldset>
  );
}

/** One condition: field, operator and value. `name` ends each control's label ("Field of <name>"). */
export function ConditionRow({ name, fields, condition, onChange, onRemove }: {
  name: string; fields: FieldDef[]; condition: FilterCondition; onChange: (c: FilterCondition) => void; onRemove?: () => void;
}) {
  const field = fields.find((f) => f.id === condition.field);
  const ops = operatorsFor[field?.kind ?? 'text'];
  const raw = Array.isArray(condition.value) ? condition.value.join(', ') : condition.value === undefined || condition.value === null ? '' : String(condition.value);
  return (
    <div className="filter-row">
      <select aria-label={`Field of ${name}`} value={condition.field} onChange={(e) => {
        const f = fields.find((x) => x.id === e.target.value);
        onChange({ field: e.target.value, op: operatorsFor[f?.kind ?? 'text'][0]!, value: '' });
      }}>
        {fields.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
      </select>
      <select aria-label={`Operator of ${name}`} value={condition.op} onChange={(e) => {
        const op = e.target.value as FilterOperator;
        onChange({ ...condition, op, value: isValueless(op) ? undefined : coerce(field, op, raw) });
      }}>
        {ops.map((op) => <option key={op} value={op}>{operatorLabels[op]}</option>)}
      </select>
      {!isValueless(condition.op) && <ValueInput name={name} field={field} condition={condition} raw={raw} onChange={(r) => onChange({ ...condition, value: coerce(field, condition.op, r) })} />}
      {onRemove && <button type="button" className="icon" aria-label={`Remove ${name}`} onClick={onRemove}>×</button>}
    </div>
  );
}

function ValueInput({ name, field, condition, raw, onChange }: { name: string; field?: FieldDef; condition: FilterCondition; raw: string; onChange: (raw: string) => void }) {
  const label = `Value of ${name}`;
  if (field?.kind === 'boolean') {
    return <select aria-label={label} value={raw} onChange={(e) => onChange(e.target.value)}><option value="">—</option><option value="true">Yes</option><option value="false">No</option></select>;
  }
  if (field?.options && !isListOp(condition.op)) {
    return (
      <select aria-label={label} value={raw} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {field.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    );
  }
  const type = field?.kind === 'number' || field?.kind === 'money' ? 'number' : field?.kind === 'date' ? 'date' : 'text';
  return <input aria-label={label} type={isListOp(condition.op) ? 'text' : type} value={raw} placeholder={isListOp(condition.op) ? 'comma, separated' : ''} onChange={(e) => onChange(e.target.value)} />;
}
