import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../ui/api.js';
import { formatMoney } from '../../ui/format.js';
import { QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { Composer } from '../activities/composer.js';
import { Timeline } from '../activities/timeline.js';
import { useCan } from '../auth/auth.api.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { FieldList } from '../records/field-list.js';
import { useMemberNames } from '../records/lookups.js';
import { DeleteButton, RecordLayout } from '../records/record-layout.js';
import { putRecord, useUpdateRecord } from '../records/records.api.js';
import { dealFields, moveDeal, useCloseDeal, useDeal, usePipelines, type Deal } from './deals.api.js';
import { LostReasonProvider, useLostReason } from './lost-reason.js';

export function DealPage() {
  const { id } = useParams();
  const deal = useDeal(id);
  return <QueryView query={deal}>{(d) => <LostReasonProvider><DealView deal={d} /></LostReasonProvider>}</QueryView>;
}

function DealView({ deal }: { deal: Deal }) {
  const update = useUpdateRecord<Deal>('deals');
  const names = useMemberNames();
  const custom = useCustomFieldDefs('deals');
  const canEdit = useCan('records:write');
  const fields = [...dealFields.slice(1), { id: 'source', label: 'Source', kind: 'text' as const, editable: true }, ...custom];
  return (
    <RecordLayout back={{ to: '/deals', label: 'Deals' }} title={deal.name}
      subtitle={`${formatMoney(deal.value, deal.currency)} · ${deal.status}${deal.lost_reason ? ` (${deal.lost_reason})` : ''}`}
      actions={<>{canEdit && <StageControls deal={deal} />}<DeleteButton entity="deals" record={deal} label={deal.name} afterTo="/deals" /></>}
      main={
        <>
          <section aria-labelledby="fields-title" className="card">
            <h2 id="fields-title">Details</h2>
            <FieldList record={deal} fields={fields} names={names} canEdit={canEdit} save={(record, patch) => update.mutateAsync({ record, patch })} />
          </section>
          <section aria-labelledby="links-title" className="card">
            <h2 id="links-title">Related</h2>
            <ul className="plain-list">
              {deal.company_id && <li><Link to={`/companies/${deal.company_id}`}>Company</Link></li>}
              {deal.contact_id && <li><Link to={`/contacts/${deal.contact_id}`}>Contact</Link></li>}
              {!deal.company_id && !deal.contact_id && <li className="muted">No company or contact linked.</li>}
            </ul>
          </section>
        </>
      }
      side={<>{canEdit && <Composer link={{ deal_id: deal.id, company_id: deal.company_id ?? undefined, contact_id: deal.contact_id ?? undefined }} />}<Timeline entity="deals" id={deal.id} /></>}
    />
  );
}

function StageControls({ deal }: { deal: Deal }) {
  const pipelines = usePipelines();
  const close = useCloseDeal();
  const askReason = useLostReason();
  const toast = useToast();
  const qc = useQueryClient();
  const stages = pipelines.data?.find((p) => p.id === deal.pipeline_id)?.stages.filter((s) => !s.archived_at) ?? [];
  async function onStage(stageId: string) {
    try {
      putRecord(qc, 'deals', await moveDeal({ deal, move: { stage_id: stageId } }));
      void qc.invalidateQueries({ queryKey: ['board'] });
      void qc.invalidateQueries({ queryKey: ['timeline'] });
    } catch (e) {
      toast.error(errorMessage(e));
      void qc.invalidateQueries({ queryKey: ['deals', 'detail', deal.id] });
    }
  }
  async function onLost() {
    const reason = await askReason(deal.name);
    if (reason !== null) close.mutate({ deal, outcome: 'lost', reason: reason || undefined }, { onError: (e) => toast.error(errorMessage(e)) });
  }
  return (
    <div className="stage-controls">
      <label className="inline-label">Stage
        <select value={deal.stage_id} onChange={(e) => void onStage(e.target.value)}>
          {stages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </label>
      {deal.status === 'open' && <>
        <button type="button" className="primary" onClick={() => close.mutate({ deal, outcome: 'won' }, { onSuccess: () => toast.success('Marked won'), onError: (e) => toast.error(errorMessage(e)) })}>Mark won</button>
        <button type="button" className="secondary" onClick={() => void onLost()}>Mark lost</button>
      </>}
    </div>
  );
}
