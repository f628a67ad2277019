import { CustomFieldEntities, CustomFieldTypes, type CustomField, type CustomFieldEntity, type CustomFieldTypeName } from '@pillar/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorMessage, newIdempotencyKey } from '../../ui/api.js';
import { FormError, SelectField, TextField, formValues } from '../../ui/form.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useCustomFields } from '../records/custom-fields.api.js';

const plural: Record<CustomFieldEntity, string> = { contact: 'contacts', company: 'companies', lead: 'leads', deal: 'deals' };

export function FieldsPage() {
  const [entity, setEntity] = useState<CustomFieldEntity>('contact');
  const fields = useCustomFields(plural[entity]);
  return (
    <section aria-labelledby="cf-title">
      <h2 id="cf-title">Custom fields</h2>
      <label className="inline-label">Record type
        <select value={entity} onChange={(e) => setEntity(e.target.value as CustomFieldEntity)}>{CustomFieldEntities.map((e) => <option key={e} value={e}>{plural[e]}</option>)}</select>
      </label>
      <NewFieldForm entity={entity} />
      <QueryView query={fields} empty={(d) => (d.length ? null : <Empty title="No custom fields yet" />)}>
        {(list) => (
          <div className="table-wrap"><table className="simple-table">
            <thead><tr><th scope="col">Label</th><th scope="col">Key</th><th scope="col">Type</th><th scope="col">Options</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>{list.map((f) => <FieldRow key={f.id} field={f} />)}</tbody>
          </table></div>
        )}
      </QueryView>
    </section>
  );
}

function FieldRow({ field }: { field: CustomField }) {
  const qc = useQueryClient();
  const toast = useToast();
  const archive = useMutation({
    mutationFn: () => api(`/custom-fields/${field.id}`, { method: 'DELETE', version: field.version }),
    onError: (e) => toast.error(errorMessage(e)),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['custom-fields'] }),
  });
  return (
    <tr>
      <td>{field.label}</td><td><code>{field.key}</code></td><td>{field.type}</td><td>{field.options.map((o) => o.label ?? o.value).join(', ')}</td>
      <td>{field.archived_at ? 'archived' : <button type="button" className="link danger-text" onClick={() => archive.mutate()}>Archive<span className="sr-only"> {field.label}</span></button>}</td>
    </tr>
  );
}

function NewFieldForm({ entity }: { entity: CustomFieldEntity }) {
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { label: string; key: string; type: CustomFieldTypeName; options?: { value: string }[] }) =>
      api<CustomField>('/custom-fields', { method: 'POST', body: { entity, ...body }, idempotencyKey: newIdempotencyKey() }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['custom-fields'] }),
  });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    const label = v.label ?? '';
    const key = v.key ?? label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'f_$1');
    const options = v.options?.split(',').map((o) => o.trim()).filter(Boolean).map((value) => ({ value }));
    create.mutate({ label, key, type: (v.type ?? 'text') as CustomFieldTypeName, options }, { onSuccess: () => form.reset() });
  }
  return (
    <form onSubmit={submit} className="inline-form">
      <TextField label="Label" name="label" required error={create.error} />
      <TextField label="Key (optional)" name="key" pattern="[a-z][a-z0-9_]*" error={create.error} />
      <SelectField label="Type" name="type" options={CustomFieldTypes.map((t) => ({ value: t, label: t.replace('_', ' ') }))} error={create.error} />
      <TextField label="Options (for selects)" name="options" placeholder="gold, silver, bronze" error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>Add field</button>
      <FormError error={create.error} />
    </form>
  );
}
