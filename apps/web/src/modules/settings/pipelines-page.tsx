import type { Pipeline, Stage } from '@pillar/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { api, errorMessage, newIdempotencyKey } from '../../ui/api.js';
import { EditableCell } from '../../ui/editable-cell.js';
import { FormError, SelectField, TextField, formValues } from '../../ui/form.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { usePipelines } from '../deals/deals.api.js';

function useSettingsMutation<V>(fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({ mutationFn: fn, onError: (e) => toast.error(errorMessage(e)), onSettled: () => { void qc.invalidateQueries({ queryKey: ['pipelines'] }); void qc.invalidateQueries({ queryKey: ['board'] }); } });
}

export function PipelinesPage() {
  const pipelines = usePipelines();
  const create = useSettingsMutation((name: string) => api('/pipelines', { method: 'POST', body: { name }, idempotencyKey: newIdempotencyKey() }));
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    create.mutate(formValues(form).name ?? '', { onSuccess: () => form.reset() });
  }
  return (
    <section aria-labelledby="pl-title">
      <h2 id="pl-title">Pipelines and stages</h2>
      <form onSubmit={submit} className="inline-form">
        <TextField label="New pipeline" name="name" required error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>Add pipeline</button>
        <FormError error={create.error} />
      </form>
      <QueryView query={pipelines} empty={(d) => (d.length ? null : <Empty title="No pipelines" />)}>
        {(list) => <>{list.filter((p) => !p.archived_at).map((p) => <PipelineCard key={p.id} pipeline={p} />)}</>}
      </QueryView>
    </section>
  );
}

function PipelineCard({ pipeline }: { pipeline: Pipeline }) {
  const addStage = useSettingsMutation((b: { name: string; probability?: number; kind: string }) => api(`/pipelines/${pipeline.id}/stages`, { method: 'POST', body: b }));
  const rename = useSettingsMutation((name: string) => api(`/pipelines/${pipeline.id}`, { method: 'PATCH', body: { name }, version: pipeline.version }));
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    addStage.mutate({ name: v.name ?? '', probability: v.probability ? Number(v.probability) : undefined, kind: v.kind ?? 'open' }, { onSuccess: () => form.reset() });
  }
  return (
    <section className="card subsection" aria-label={`Pipeline ${pipeline.name}`}>
      <h3><EditableCell row={pipeline} label="Pipeline name" editor={{ kind: 'text', value: (p) => p.name, save: (_p, v) => rename.mutateAsync(v) }}>{pipeline.name}</EditableCell>{pipeline.is_default && <span className="badge">default</span>}</h3>
      <div className="table-wrap"><table className="simple-table">
        <thead><tr><th scope="col">Stage</th><th scope="col">Probability %</th><th scope="col">Kind</th></tr></thead>
        <tbody>{pipeline.stages.filter((s) => !s.archived_at).map((s) => <StageRow key={s.id} stage={s} />)}</tbody>
      </table></div>
      <form onSubmit={submit} className="inline-form">
        <TextField label="Stage name" name="name" required error={addStage.error} />
        <TextField label="Probability %" name="probability" type="number" min={0} max={100} error={addStage.error} />
        <SelectField label="Kind" name="kind" options={[{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }, { value: 'lost', label: 'Lost' }]} error={addStage.error} />
        <button type="submit" className="secondary">Add stage</button>
        <FormError error={addStage.error} />
      </form>
    </section>
  );
}

function StageRow({ stage }: { stage: Stage }) {
  const update = useSettingsMutation((body: Record<string, unknown>) => api(`/stages/${stage.id}`, { method: 'PATCH', body, version: stage.version }));
  return (
    <tr>
      <td><EditableCell row={stage} label={`Name of ${stage.name}`} editor={{ kind: 'text', value: (s) => s.name, save: (_s, v) => update.mutateAsync({ name: v }) }}>{stage.name}</EditableCell></td>
      <td><EditableCell row={stage} label={`Probability of ${stage.name}`} editor={{ kind: 'number', value: (s) => String(s.probability), save: (_s, v) => update.mutateAsync({ probability: Number(v) }) }}>{stage.probability}</EditableCell></td>
      <td>{stage.kind}</td>
    </tr>
  );
}
