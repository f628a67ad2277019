import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../ui/dialog.js';
import { FormError, SelectField, TextField, formValues } from '../../ui/form.js';
import { useToast } from '../../ui/toast.js';
import { RecordPicker } from '../records/record-picker.js';
import { useTenant } from '../settings/settings.api.js';
import { useCreateDeal, type Pipeline } from './deals.api.js';

export function NewDealButton({ pipeline }: { pipeline: Pipeline }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="primary" onClick={() => setOpen(true)}>New deal</button>
      <Dialog open={open} title="New deal" onClose={() => setOpen(false)}>
        <NewDealForm pipeline={pipeline} onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function NewDealForm({ pipeline, onDone }: { pipeline: Pipeline; onDone: () => void }) {
  const create = useCreateDeal();
  const tenant = useTenant();
  const toast = useToast();
  const navigate = useNavigate();
  const stages = pipeline.stages.filter((s) => !s.archived_at && s.kind === 'open');
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    create.mutate({
      name: v.name ?? '', value: v.value, currency: v.currency, pipeline_id: pipeline.id, stage_id: v.stage_id,
      company_id: v.company_id, contact_id: v.contact_id, expected_close_date: v.expected_close_date,
    }, {
      onSuccess: (d) => {
        toast.success(`Deal ${d.name} created`, { label: 'Open', run: () => void navigate(`/deals/${d.id}`) });
        onDone();
      },
    });
  }
  return (
    <form onSubmit={submit}>
      <div className="form-grid">
        <TextField label="Deal name" name="name" required autoComplete="off" error={create.error} />
        <TextField label="Value" name="value" inputMode="decimal" pattern="\d+(\.\d{1,2})?" placeholder="10000" error={create.error} />
        <TextField label="Currency" name="currency" defaultValue={tenant.data?.base_currency ?? ''} pattern="[A-Z]{3}" error={create.error} />
        <SelectField label="Stage" name="stage_id" options={stages.map((s) => ({ value: s.id, label: s.name }))} error={create.error} />
        <RecordPicker entity="companies" label="Company" name="company_id" />
        <RecordPicker entity="contacts" label="Contact" name="contact_id" />
        <TextField label="Expected close" name="expected_close_date" type="date" error={create.error} />
      </div>
      <FormError error={create.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
        <button type="submit" className="primary" disabled={create.isPending}>Create deal</button>
      </div>
    </form>
  );
}
