/**
 * Demo activities on deals and leads: done calls and meetings in the past,
 * open tasks due soon and some overdue, notes. Then every lead is scored.
 */
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { DAY, insertRows, seededRandom } from '../deals/index.js';
import { rescoreAllLeads } from '../leads/index.js';

const SUBJECTS: Record<string, string[]> = {
  call: ['Discovery call', 'Pricing call', 'Check-in call'],
  email: ['Sent proposal', 'Follow-up email', 'Shared case study'],
  meeting: ['Kick-off meeting', 'Demo', 'Workshop'],
  task: ['Prepare quote', 'Send contract', 'Book follow-up', 'Update forecast'],
  note: ['Budget confirmed', 'Decision maker identified', 'Competitor in play'],
};
const COLUMNS = {
  id: 'uuid', type: 'text', subject: 'text', body: 'text', due_at: 'timestamptz', ends_at: 'timestamptz', completed_at: 'timestamptz', assignee_id: 'uuid',
  contact_id: 'uuid', company_id: 'uuid', lead_id: 'uuid', deal_id: 'uuid', created_by: 'uuid', created_at: 'timestamptz', updated_at: 'timestamptz',
};

type Parent = { deal_id: string | null; lead_id: string | null; contact_id: string | null; company_id: string | null; owner_id: string | null };

async function seedIn(tx: Tx, ctx: TenantContext) {
  const r = seededRandom(31_337);
  const now = Date.now();
  const parents = (await tx.query<Parent>(
    `(SELECT id AS deal_id, lead_id, contact_id, company_id, owner_id FROM deals WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT 40)
     UNION ALL
     (SELECT NULL, id, contact_id, company_id, owner_id FROM leads WHERE deleted_at IS NULL AND status <> 'converted' ORDER BY created_at, id LIMIT 20)`)).rows;
  const rows: Record<string, unknown>[] = [];
  parents.forEach((p, i) => {
    for (let k = 0; k < 3; k++) {
      const type = r.pick(['call', 'email', 'meeting', 'task', 'note'] as const);
      const offset = r.int(-20, 14) * DAY + r.int(8, 17) * 3_600_000;
      const due = type === 'note' || type === 'email' ? null : now + offset;
      // Past calls and meetings are done; a share of past tasks stay open (overdue).
      const done = due === null || (due < now && (type !== 'task' || i % 3 === 0));
      const created = Math.min(now, (due ?? now) - r.int(1, 10) * DAY);
      rows.push({
        id: r.uuid(), type, subject: r.pick(SUBJECTS[type]!), body: type === 'note' ? 'Noted during the last conversation.' : null,
        due_at: due ? new Date(due).toISOString() : null, ends_at: type === 'meeting' && due ? new Date(due + 3_600_000).toISOString() : null,
        completed_at: done ? new Date(Math.min(now, due ?? created)).toISOString() : null, assignee_id: p.owner_id,
        contact_id: p.contact_id, company_id: p.company_id, lead_id: p.lead_id, deal_id: p.deal_id, created_by: p.owner_id,
        created_at: new Date(created).toISOString(), updated_at: new Date(created).toISOString(),
      });
    }
  });
  await insertRows(tx, 'activities', COLUMNS, rows);
  await recordChange(tx, ctx, { action: 'demo.seed', entity: 'activity', entityId: null, after: { activities: rows.length } });
}

export async function seedActivitiesDemo(ctx: TenantContext): Promise<void> {
  await withTenant(ctx, (tx) => seedIn(tx, ctx));
  await rescoreAllLeads(ctx);
}
