import type { Lead } from '@pillar/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { Column } from '../../ui/data-table.js';
import { Dialog } from '../../ui/dialog.js';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import { columnsFrom } from '../records/columns.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { useMemberNames } from '../records/lookups.js';
import { RecordListPage, type RecordListConfig } from '../records/record-list-page.js';
import { useUpdateRecord } from '../records/records.api.js';
import { ConvertLeadButton } from './convert-lead.js';
import { leadFields, useCreateLead } from './leads.api.js';

export function LeadsPage() {
  const update = useUpdateRecord<Lead>('leads');
  const names = useMemberNames();
  const canEdit = useCan('records:write');
  const custom = useCustomFieldDefs('leads');
  const config = useMemo<RecordListConfig<Lead>>(() => {
    const fields = [...leadFields, ...custom];
    const convert: Column<Lead> = { id: 'convert', header: 'Convert', width: 'minmax(7rem, 7rem)', render: (l) => (l.status === 'converted' ? <span className="muted">converted</span> : canEdit ? <ConvertLeadButton lead={l} className="link" afterConvert="stay" /> : null) };
    return {
      entity: 'leads', title: 'Leads', singular: 'lead', fields,
      columns: [...columnsFrom<Lead>(fields, {
        hrefOf: (l) => `/leads/${l.id}`, titleOf: (l) => l.title, names, canEdit,
        save: (record, patch) => update.mutateAsync({ record, patch }),
      }), convert],
      actions: canEdit ? <NewLeadButton /> : undefined,
    };
  }, [custom, names, canEdit, update]);
  return <RecordListPage config={config} />;
}

function NewLeadButton() {
  const [open, setOpen] = useState(false);
  const create = useCreateLead();
  const toast = useToast();
  const navigate = useNavigate();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    create.mutate({ title: v.title ?? '', first_name: v.first_name, last_name: v.last_name, email: v.email, company_name: v.company_name, source: v.source, value: v.value }, {
      onSuccess: (l) => { toast.success(`Lead ${l.title} created`, { label: 'Open', run: () => void navigate(`/leads/${l.id}`) }); setOpen(false); },
    });
  }
  return (
    <>
      <button type="button" className="primary" onClick={() => setOpen(true)}>New lead</button>
      <Dialog open={open} title="New lead" onClose={() => setOpen(false)}>
        <form onSubmit={submit}>
          <div className="form-grid">
            <TextField label="Title" name="title" required error={create.error} />
            <TextField label="Email" name="email" type="email" error={create.error} />
            <TextField label="First name" name="first_name" error={create.error} />
            <TextField label="Last name" name="last_name" error={create.error} />
            <TextField label="Company" name="company_name" error={create.error} />
            <TextField label="Source" name="source" error={create.error} />
            <TextField label="Value" name="value" inputMode="decimal" error={create.error} />
          </div>
          <FormError error={create.error} />
          <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Create lead</button></div>
        </form>
      </Dialog>
    </>
  );
}
