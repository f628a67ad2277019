import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../ui/dialog.js';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { useToast } from '../../ui/toast.js';
import { RecordPicker } from '../records/record-picker.js';
import { useCreateContact } from './contacts.api.js';

export function NewContactButton({ companyId }: { companyId?: { id: string; name: string } }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="primary" onClick={() => setOpen(true)}>New contact</button>
      <Dialog open={open} title="New contact" onClose={() => setOpen(false)}>
        <NewContactForm onDone={() => setOpen(false)} company={companyId} />
      </Dialog>
    </>
  );
}

function NewContactForm({ onDone, company }: { onDone: () => void; company?: { id: string; name: string } }) {
  const create = useCreateContact();
  const toast = useToast();
  const navigate = useNavigate();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    create.mutate({ first_name: v.first_name, last_name: v.last_name, email: v.email, phone: v.phone, title: v.title, company_id: v.company_id || undefined }, {
      onSuccess: (c) => {
        toast.success(`Contact ${c.name} created`);
        onDone();
        if (!company) void navigate(`/contacts/${c.id}`);
      },
    });
  }
  return (
    <form onSubmit={submit}>
      <div className="form-grid">
        <TextField label="First name" name="first_name" autoComplete="off" error={create.error} />
        <TextField label="Last name" name="last_name" autoComplete="off" error={create.error} />
        <TextField label="Email" name="email" type="email" autoComplete="off" error={create.error} />
        <TextField label="Phone" name="phone" type="tel" autoComplete="off" error={create.error} />
        <TextField label="Title" name="title" autoComplete="off" error={create.error} />
        <RecordPicker entity="companies" label="Company" name="company_id" initial={company ?? null} />
      </div>
      <FormError error={create.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
        <button type="submit" className="primary" disabled={create.isPending}>Create contact</button>
      </div>
    </form>
  );
}
