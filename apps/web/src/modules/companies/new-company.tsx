import { CompanySizes } from '@pillar/shared';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../ui/dialog.js';
import { FormError, SelectField, TextField, formValues } from '../../ui/form.js';
import { useToast } from '../../ui/toast.js';
import { useCreateCompany } from './companies.api.js';

export function NewCompanyButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="primary" onClick={() => setOpen(true)}>New company</button>
      <Dialog open={open} title="New company" onClose={() => setOpen(false)}>
        <NewCompanyForm onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function NewCompanyForm({ onDone }: { onDone: () => void }) {
  const create = useCreateCompany();
  const toast = useToast();
  const navigate = useNavigate();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    create.mutate({ name: v.name ?? '', domain: v.domain, industry: v.industry, size: v.size as (typeof CompanySizes)[number] | undefined, phone: v.phone }, {
      onSuccess: (c) => {
        toast.success(`Company ${c.name} created`);
        onDone();
        void navigate(`/companies/${c.id}`);
      },
    });
  }
  return (
    <form onSubmit={submit}>
      <div className="form-grid">
        <TextField label="Company name" name="name" required autoComplete="off" error={create.error} />
        <TextField label="Domain" name="domain" placeholder="example.com" autoComplete="off" error={create.error} />
        <TextField label="Industry" name="industry" autoComplete="off" error={create.error} />
        <SelectField label="Size" name="size" options={[{ value: '', label: '—' }, ...CompanySizes.map((s) => ({ value: s, label: s }))]} error={create.error} />
        <TextField label="Phone" name="phone" type="tel" autoComplete="off" error={create.error} />
      </div>
      <FormError error={create.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
        <button type="submit" className="primary" disabled={create.isPending}>Create company</button>
      </div>
    </form>
  );
}
