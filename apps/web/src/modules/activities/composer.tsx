import { ActivityTypes, type ActivityType, type CreateActivity } from '@pillar/shared';
import { useState, type FormEvent } from 'react';
import { FormError, TextArea, TextField, formValues } from '../../ui/form.js';
import { useToast } from '../../ui/toast.js';
import { useCreateActivity } from './activities.api.js';

const labels: Record<ActivityType, string> = { call: 'Call', email: 'Email', meeting: 'Meeting', task: 'Task', note: 'Note' };

export type Link = Pick<CreateActivity, 'contact_id' | 'company_id' | 'deal_id' | 'lead_id'>;

/** Log a call, note, meeting or email that happened, or schedule a task. */
export function Composer({ link }: { link: Link }) {
  const [type, setType] = useState<ActivityType>('note');
  const create = useCreateActivity();
  const toast = useToast();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    const due = v.due_at ? new Date(v.due_at).toISOString() : undefined;
    create.mutate({ type, subject: v.subject ?? '', body: v.body, body_format: 'text', due_at: due, completed: type !== 'task', ...link }, {
      onSuccess: () => { toast.success(`${labels[type]} logged`); form.reset(); },
    });
  }
  return (
    <form onSubmit={submit} className="composer card" aria-label="Log an activity">
      <div className="segmented" role="radiogroup" aria-label="Activity type">
        {ActivityTypes.map((t) => (
          <button key={t} type="button" role="radio" aria-checked={t === type} className={t === type ? 'on' : undefined} onClick={() => setType(t)}>{labels[t]}</button>
        ))}
      </div>
      <TextField label="Subject" name="subject" required error={create.error} />
      <TextArea label="Details" name="body" rows={3} error={create.error} />
      {type === 'task' || type === 'meeting' ? <TextField label={type === 'task' ? 'Due' : 'When'} name="due_at" type="datetime-local" error={create.error} /> : null}
      <FormError error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>{type === 'task' ? 'Add task' : `Log ${labels[type].toLowerCase()}`}</button>
    </form>
  );
}
