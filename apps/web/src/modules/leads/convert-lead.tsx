/** Convert a lead: link or create the contact and company, and optionally open a deal in a chosen pipeline and stage. */
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../ui/dialog.js';
import { FormError, SelectField, TextField, formValues } from '../../ui/form.js';
import { Loading } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { usePipelines, type Pipeline } from '../deals/deals.api.js';
import { useConvertLead, type Lead } from './leads.api.js';

export function ConvertLeadButton({ lead, className = 'primary', afterConvert = 'deal' }: {
  lead: Lead;
  className?: string;
  /** Where to go when a deal was created: its page, or stay where we are. */
  afterConvert?: 'deal' | 'stay';
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)}>Convert<span className={className === 'link' ? 'sr-only' : undefined}>{className === 'link' ? ` ${lead.title}` : ' to deal'}</span></button>
      <Dialog open={open} title={`Convert “${lead.title}”`} onClose={() => setOpen(false)}>
        <ConvertForm lead={lead} afterConvert={afterConvert} onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}

function ConvertForm({ lead, afterConvert, onDone }: { lead: Lead; afterConvert: 'deal' | 'stay'; onDone: () => void }) {
  const pipelines = usePipelines();
  const convert = useConvertLead();
  const toast = useToast();
  const navigate = useNavigate();
  const [withDeal, setWithDeal] = useState(true);
  const [pipelineId, setPipelineId] = useState<string>('');
  const hasPerson = Boolean(lead.email || lead.first_name || lead.last_name);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    const checked = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;
    const body = {
      create_contact: checked('create_contact') || undefined,
      create_company: checked('create_company') || undefined,
      deal: withDeal ? { name: v.deal_name, value: v.deal_value, pipeline_id: v.pipeline_id, stage_id: v.stage_id } : undefined,
    };
    convert.mutate({ lead, body }, {
      onSuccess: (r) => {
        onDone();
        const open = r.deal_id ? { label: 'Open deal', run: () => void navigate(`/deals/${r.deal_id}`) } : undefined;
        toast.success(r.already_converted ? `“${lead.title}” was already converted` : `Converted “${lead.title}”`, afterConvert === 'stay' ? open : undefined);
        if (afterConvert === 'deal' && r.deal_id) void navigate(`/deals/${r.deal_id}`);
      },
    });
  }
  if (pipelines.isPending) return <Loading />;
  const active = (pipelines.data ?? []).filter((p) => !p.archived_at);
  const pipeline = active.find((p) => p.id === pipelineId) ?? active.find((p) => p.is_default) ?? active[0];
  return (
    <form onSubmit={submit}>
      <fieldset className="stack">
        <legend>Records to create or link</legend>
        <label className="check-label"><input type="checkbox" name="create_contact" defaultChecked={hasPerson} disabled={Boolean(lead.contact_id)} />
          {lead.contact_id ? 'Already linked to a contact' : 'Contact from this lead (an existing contact with the same email is linked instead)'}</label>
        <label className="check-label"><input type="checkbox" name="create_company" defaultChecked={Boolean(lead.company_name)} disabled={!lead.company_name || Boolean(lead.company_id)} />
          {lead.company_id ? 'Already linked to a company' : lead.company_name ? `Company “${lead.company_name}”` : 'Company (the lead has no company name)'}</label>
        <label className="check-label"><input type="checkbox" checked={withDeal} onChange={(e) => setWithDeal(e.target.checked)} /> A deal</label>
      </fieldset>
      {withDeal && <DealFields lead={lead} pipelines={active} pipeline={pipeline} onPipeline={setPipelineId} error={convert.error} />}
      <FormError error={convert.error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>Cancel</button>
        <button type="submit" className="primary" disabled={convert.isPending}>Convert lead</button>
      </div>
    </form>
  );
}

function DealFields({ lead, pipelines, pipeline, onPipeline, error }: {
  lead: Lead; pipelines: Pipeline[]; pipeline: Pipeline | undefined; onPipeline: (id: string) => void; error: unknown;
}) {
  const stages = (pipeline?.stages ?? []).filter((s) => !s.archived_at && s.kind === 'open');
  return (
    <div className="form-grid">
      <TextField label="Deal name" name="deal_name" defaultValue={lead.title} required autoComplete="off" error={error} />
      <TextField label="Deal value" name="deal_value" defaultValue={lead.value ?? ''} inputMode="decimal" pattern="\d+(\.\d{1,2})?" error={error} />
      <SelectField label="Pipeline" name="pipeline_id" value={pipeline?.id ?? ''} onChange={(e) => onPipeline(e.target.value)}
        options={pipelines.map((p) => ({ value: p.id, label: p.name }))} error={error} />
      <SelectField key={pipeline?.id} label="Stage" name="stage_id" options={stages.map((s) => ({ value: s.id, label: s.name }))} error={error} />
    </div>
  );
}
