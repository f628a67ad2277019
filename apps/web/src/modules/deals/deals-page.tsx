import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { Empty, ErrorState, Loading, QueryView } from '../../ui/states.js';
import { useCan, useSession } from '../auth/auth.api.js';
import { useMembers, useTenant } from '../settings/settings.api.js';
import { Board } from './board.js';
import { boardKey, useBoard, usePipelines, type Pipeline } from './deals.api.js';
import { DealsList } from './deals-list.js';
import { LostReasonProvider } from './lost-reason.js';
import { NewDealButton } from './new-deal.js';

export function DealsPage() {
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'list' ? 'list' : 'board';
  const pipelines = usePipelines();
  const set = (k: string, v: string | undefined) => setParams((p) => { const n = new URLSearchParams(p); if (v) n.set(k, v); else n.delete(k); return n; }, { replace: true });
  const viewSwitch = (
    <div className="segmented" role="group" aria-label="Show deals as">
      <button type="button" aria-pressed={view === 'board'} className={view === 'board' ? 'on' : undefined} onClick={() => set('view', undefined)}>Board</button>
      <button type="button" aria-pressed={view === 'list'} className={view === 'list' ? 'on' : undefined} onClick={() => set('view', 'list')}>List</button>
    </div>
  );
  if (view === 'list') return <DealsList headerExtra={viewSwitch} />;
  return (
    <section className="page" aria-labelledby="deals-title">
      <QueryView query={pipelines} empty={(d) => (d.length === 0 ? <Empty title="No pipelines yet">Create one in Settings → Pipelines.</Empty> : null)}>
        {(list) => <BoardScreen pipelines={list} pipelineId={params.get('pipeline') ?? undefined} ownerId={params.get('owner') ?? undefined} set={set} viewSwitch={viewSwitch} />}
      </QueryView>
    </section>
  );
}

function BoardScreen({ pipelines, pipelineId, ownerId, set, viewSwitch }: {
  pipelines: Pipeline[]; pipelineId?: string; ownerId?: string; set: (k: string, v: string | undefined) => void; viewSwitch: React.ReactNode;
}) {
  const active = pipelines.filter((p) => !p.archived_at);
  const pipeline = active.find((p) => p.id === pipelineId) ?? active.find((p) => p.is_default) ?? active[0];
  const board = useBoard(pipeline?.id, ownerId);
  const members = useMembers();
  const tenant = useTenant();
  const session = useSession();
  const canMove = useCan('records:write');
  const key = useMemo(() => boardKey(pipeline?.id ?? '', ownerId), [pipeline?.id, ownerId]);
  return (
    <>
      <div className="page-head">
        <h1 id="deals-title">Deals</h1>
        {viewSwitch}
        {canMove && pipeline && <NewDealButton pipeline={pipeline} />}
      </div>
      <div className="toolbar">
        <label className="inline-label">Pipeline
          <select value={pipeline?.id ?? ''} onChange={(e) => set('pipeline', e.target.value)}>
            {active.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <label className="inline-label">Owner
          <select value={ownerId ?? ''} onChange={(e) => set('owner', e.target.value || undefined)}>
            <option value="">Everyone</option>
            <option value={session.user.id}>Me</option>
            {members.data?.filter((m) => m.user_id !== session.user.id).map((m) => <option key={m.user_id} value={m.user_id}>{m.name}</option>)}
          </select>
        </label>
      </div>
      {board.isPending ? <Loading label="Loading the board…" /> : board.error || !board.data ? <ErrorState error={board.error} retry={() => void board.refetch()} /> : (
        <LostReasonProvider>
          <Board board={board.data} queryKey={key} currency={tenant.data?.base_currency ?? 'USD'} canMove={canMove} />
        </LostReasonProvider>
      )}
    </>
  );
}
