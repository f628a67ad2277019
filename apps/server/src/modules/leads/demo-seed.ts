/**
 * Demo leads in every status (converted ones point at demo deals), two
 * scoring rules and a round-robin assignment rule. Deterministic content,
 * batched inserts, one audit row; scores are computed by the activities seed
 * once the leads have their activities.
 */
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { DAY, insertRows, seededRandom } from '../deals/index.js';

const FIRST = ['Maya', 'Tom', 'Iris', 'Jonas', 'Leila', 'Omar', 'Greta', 'Paul', 'Nina', 'Ravi'];
const LAST = ['Keller', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Silva', 'Novak', 'Byrne', 'Haddad', 'Weber'];
const ORGS = ['Brightline', 'Copperleaf', 'Northgate', 'Quillon', 'Riverbend', 'Solstice', 'Tidewater', 'Umbra'];
const LEAD_COLUMNS = {
  id: 'uuid', title: 'text', first_name: 'text', last_name: 'text', email: 'text', phone: 'text', company_name: 'text', contact_id: 'uuid',
  company_id: 'uuid', source: 'text', territory: 'text', status: 'text', value: 'numeric', currency: 'char(3)', expected_close_date: 'date',
  owner_id: 'uuid', converted_at: 'timestamptz', converted_deal_id: 'uuid', tags: 'text[]', created_at: 'timestamptz', updated_at: 'timestamptz',
};

async function seedIn(tx: Tx, ctx: TenantContext) {
  const r = seededRandom(7_0707);
  const now = Date.now();
  const owners = (await tx.query<{ user_id: string }>('SELECT user_id FROM memberships ORDER BY created_at, user_id')).rows.map((m) => m.user_id);
  const deals = (await tx.query<{ id: string; contact_id: string | null; company_id: string | null; value: string }>(
    `SELECT id, contact_id, company_id, value::text AS value FROM deals WHERE lead_id IS NULL AND deleted_at IS NULL ORDER BY created_at, id LIMIT 5`)).rows;
  const leads: Record<string, unknown>[] = [];
  const links: { lead: string; deal: string }[] = [];
  for (const status of ['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const) {
    for (let i = 0; i < 6; i++) {
      const first = r.pick(FIRST);
      const last = r.pick(LAST);
      const org = r.pick(ORGS);
      const created = now - r.int(1, 60) * DAY;
      const deal = status === 'converted' ? deals[i] : undefined;
      const id = r.uuid();
      if (deal) links.push({ lead: id, deal: deal.id });
      leads.push({
        id, title: `${org} — ${r.pick(['website', 'analytics', 'support', 'migration'])} enquiry`, first_name: first, last_name: last,
        email: `${first}.${last}.${leads.length}@${org.toLowerCase()}.example`.toLowerCase(), phone: null, company_name: `${org} Ltd`,
        contact_id: deal?.contact_id ?? null, company_id: deal?.company_id ?? null, source: r.pick(['web form', 'referral', 'event', 'partner']),
        territory: r.pick(['EMEA', 'Americas', 'APAC']), status: deal || status !== 'converted' ? status : 'qualified', value: deal?.value ?? `${r.int(2, 80) * 500}.00`,
        currency: 'USD', expected_close_date: new Date(now + r.int(5, 120) * DAY).toISOString().slice(0, 10), owner_id: r.pick(owners),
        converted_at: deal ? new Date(now - r.int(0, 5) * DAY).toISOString() : null, converted_deal_id: deal?.id ?? null,
        tags: r.chance(0.25) ? ['hot'] : [], created_at: new Date(created).toISOString(), updated_at: new Date(created).toISOString(),
      });
    }
  }
  await insertRows(tx, 'leads', LEAD_COLUMNS, leads);
  await tx.query('UPDATE deals d SET lead_id = l.lead FROM jsonb_to_recordset($1::jsonb) AS l (lead uuid, deal uuid) WHERE d.id = l.deal', [JSON.stringify(links)]);
  await insertRows(tx, 'lead_scoring_rules', { id: 'uuid', name: 'text', points: 'int', condition: 'jsonb', activity_type: 'text' }, [
    { id: r.uuid(), name: 'Referred', points: 25, condition: { field: 'source', op: 'eq', value: 'referral' }, activity_type: null },
    { id: r.uuid(), name: 'Value over 20k', points: 15, condition: { field: 'value', op: 'gte', value: 20000 }, activity_type: null },
    { id: r.uuid(), name: 'Each meeting', points: 10, condition: null, activity_type: 'meeting' },
  ]);
  await insertRows(tx, 'lead_assignment_rules', { id: 'uuid', name: 'text', position: 'int', sources: 'text[]', territories: 'text[]', user_ids: 'uuid[]' }, [
    { id: r.uuid(), name: 'Web forms, in turn', position: 0, sources: ['web form'], territories: [], user_ids: owners },
  ]);
  await recordChange(tx, ctx, { action: 'demo.seed', entity: 'lead', entityId: null, after: { leads: leads.length } });
}

export function seedLeadsDemo(ctx: TenantContext): Promise<void> {
  return withTenant(ctx, (tx) => seedIn(tx, ctx));
}
