/**
 * Demo deals: the default "Sales" pipeline and a "Renewals" pipeline, with
 * deals in every stage linked to the crm seed's contacts and companies, and
 * a stage history that walks each deal through the stages before its own.
 * Deterministic content, batched inserts, one audit row.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { createPipelineInTx, ensureDefaultPipelineInTx, getPipelineInTx } from '../pipelines/index.js';
import { DAY, insertRows, seededRandom, type SeededRandom } from './seed-util.js';

const PRODUCTS = ['Website redesign', 'Data platform', 'Brand refresh', 'Cloud migration', 'Support retainer', 'Security audit', 'CRM rollout', 'Training programme'];
const LOST_REASONS = ['Budget cut', 'Chose a competitor', 'No decision', 'Timing'];

const DEAL_COLUMNS = {
  id: 'uuid', name: 'text', value: 'numeric', currency: 'char(3)', pipeline_id: 'uuid', stage_id: 'uuid', position: 'text', status: 'text',
  lost_reason: 'text', expected_close_date: 'date', closed_at: 'timestamptz', stage_entered_at: 'timestamptz', contact_id: 'uuid', company_id: 'uuid',
  source: 'text', owner_id: 'uuid', tags: 'text[]', created_at: 'timestamptz', updated_at: 'timestamptz',
};
const HISTORY_COLUMNS = {
  id: 'uuid', deal_id: 'uuid', pipeline_id: 'uuid', from_stage_id: 'uuid', to_stage_id: 'uuid', moved_by: 'uuid', moved_at: 'timestamptz', seconds_in_from_stage: 'bigint', note: 'text',
};

interface Context { r: SeededRandom; now: number; owners: string[]; contacts: { id: string; company_id: string | null }[] }
type Stage = { id: string; kind: string; pipeline_id: string };

function dealsFor(c: Context, stages: Stage[], perStage: number, deals: Record<string, unknown>[], history: Record<string, unknown>[]) {
  const open = stages.filter((s) => s.kind === 'open');
  for (const stage of stages) {
    const keys = generateNKeysBetween(null, null, perStage);
    for (let i = 0; i < perStage; i++) {
      const { r, now } = c;
      const id = r.uuid();
      const contact = c.contacts.length ? r.pick(c.contacts) : null;
      const owner = r.pick(c.owners);
      const path = stage.kind === 'open' ? open.slice(0, open.indexOf(stage) + 1) : [...open.slice(0, r.int(1, open.length)), stage];
      let at = now - r.int(20, 120) * DAY;
      const created = at;
      path.forEach((s, n) => {
        const prev = n ? path[n - 1]! : null;
        const seconds = prev ? r.int(1, 15) * 86_400 : null;
        if (prev) at += seconds! * 1000;
        history.push({ id: r.uuid(), deal_id: id, pipeline_id: stage.pipeline_id, from_stage_id: prev?.id ?? null, to_stage_id: s.id, moved_by: owner,
          moved_at: new Date(at).toISOString(), seconds_in_from_stage: seconds, note: null });
      });
      const closed = stage.kind !== 'open';
      deals.push({
        id, name: `${r.pick(PRODUCTS)} — ${contact ? 'client' : 'prospect'} ${deals.length + 1}`, value: `${r.int(5, 250) * 500}.00`, currency: 'USD',
        pipeline_id: stage.pipeline_id, stage_id: stage.id, position: keys[i], status: stage.kind, lost_reason: stage.kind === 'lost' ? r.pick(LOST_REASONS) : null,
        expected_close_date: new Date(now + r.int(-10, 90) * DAY).toISOString().slice(0, 10), closed_at: closed ? new Date(at).toISOString() : null,
        stage_entered_at: new Date(at).toISOString(), contact_id: contact?.id ?? null, company_id: contact?.company_id ?? null,
        source: r.pick(['referral', 'web', 'event', 'outbound']), owner_id: owner, tags: r.chance(0.3) ? ['priority'] : [],
        created_at: new Date(created).toISOString(), updated_at: new Date(at).toISOString(),
      });
    }
  }
}

async function seedIn(tx: Tx, ctx: TenantContext) {
  const r = seededRandom(20_261_205);
  const owners = (await tx.query<{ user_id: string }>('SELECT user_id FROM memberships ORDER BY created_at, user_id')).rows.map((m) => m.user_id);
  const contacts = (await tx.query<{ id: string; company_id: string | null }>(
    'SELECT id, company_id FROM contacts WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT 200')).rows;
  const sales = await getPipelineInTx(tx, await ensureDefaultPipelineInTx(tx, ctx));
  const renewals = await createPipelineInTx(tx, ctx, { name: 'Renewals', stages: [
    { name: 'Upcoming', probability: 30, kind: 'open' }, { name: 'In discussion', probability: 60, kind: 'open' },
    { name: 'Renewed', probability: 100, kind: 'won' }, { name: 'Churned', probability: 0, kind: 'lost' },
  ] });
  const deals: Record<string, unknown>[] = [];
  const history: Record<string, unknown>[] = [];
  const c = { r, now: Date.now(), owners, contacts };
  dealsFor(c, sales.stages, 5, deals, history);
  dealsFor(c, renewals.stages, 3, deals, history);
  await insertRows(tx, 'deals', DEAL_COLUMNS, deals);
  await insertRows(tx, 'deal_stage_history', HISTORY_COLUMNS, history);
  await recordChange(tx, ctx, { action: 'demo.seed', entity: 'deal', entityId: null, after: { deals: deals.length, stage_moves: history.length } });
}

export function seedSalesDemo(ctx: TenantContext): Promise<void> {
  return withTenant(ctx, (tx) => seedIn(tx, ctx));
}
