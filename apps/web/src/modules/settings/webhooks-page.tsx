import type { CreatedWebhookSubscriptionSchema, WebhookSubscriptionSchema } from '@pillar/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { api, errorMessage, newIdempotencyKey } from '../../ui/api.js';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';

type Subscription = z.infer<typeof WebhookSubscriptionSchema>;
type Created = z.infer<typeof CreatedWebhookSubscriptionSchema>;

export function WebhooksPage() {
  const subs = useQuery({ queryKey: ['webhooks'], queryFn: () => api<{ data: Subscription[] }>('/webhooks/subscriptions').then((r) => r.data) });
  const qc = useQueryClient();
  const toast = useToast();
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation({
    mutationFn: (b: { url: string; event_types: string[] }) => api<Created>('/webhooks/subscriptions', { method: 'POST', body: b, idempotencyKey: newIdempotencyKey() }),
    onSuccess: setCreated,
    onSettled: () => void qc.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  const remove = useMutation({
    mutationFn: (s: Subscription) => api(`/webhooks/subscriptions/${s.id}`, { method: 'DELETE', version: s.version }),
    onError: (e) => toast.error(errorMessage(e)),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    create.mutate({ url: v.url ?? '', event_types: (v.events ?? '*').split(',').map((s) => s.trim()).filter(Boolean) }, { onSuccess: () => form.reset() });
  }
  return (
    <section aria-labelledby="wh-title">
      <h2 id="wh-title">Webhooks</h2>
      <form onSubmit={submit} className="inline-form">
        <TextField label="Endpoint URL" name="url" type="url" required error={create.error} />
        <TextField label="Events" name="events" placeholder="deal.*, contact.created" hint="Comma-separated; * for all" error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>Add webhook</button>
        <FormError error={create.error} />
        {created && <div className="notice" role="status"><p>Signing secret (shown once):</p><input readOnly aria-label="Signing secret" value={created.secret} /></div>}
      </form>
      <QueryView query={subs} empty={(d) => (d.length ? null : <Empty title="No webhooks yet" />)}>
        {(list) => (
          <ul className="plain-list">{list.map((s) => (
            <li key={s.id} className="row-between">
              <span><code>{s.url}</code> · {s.event_types.join(', ')} · {s.active ? 'active' : `paused${s.disabled_reason ? ` (${s.disabled_reason})` : ''}`}</span>
              <button type="button" className="link danger-text" onClick={() => remove.mutate(s)}>Delete<span className="sr-only"> webhook {s.url}</span></button>
            </li>
          ))}</ul>
        )}
      </QueryView>
    </section>
  );
}
