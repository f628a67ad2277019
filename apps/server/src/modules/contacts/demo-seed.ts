/**
 * The demo workspace's CRM records: ~80 companies (some with subsidiaries)
 * and ~320 contacts, with tags, owners and custom field values. Deterministic:
 * every first start produces the same data. Rows go in as one batched
 * INSERT per table (jsonb_to_recordset), which keeps seeding well under a
 * second on the embedded database; one audit row records the seed (no
 * per-record events, so nothing fans out to webhooks).
 */
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { createCustomFieldInTx } from '../custom-fields/index.js';
import * as d from './demo-data.js';

type Rand = ReturnType<typeof d.prng>;
const DAY = 86_400_000;
const PHONE_LENGTH: Record<string, number> = { US: 12, CA: 12, GB: 13, DE: 13, FR: 12, AU: 12, NL: 12 };

function phoneFor(r: Rand, city: (typeof d.CITIES)[number]): string {
  let s: string = city[3];
  while (s.length < (PHONE_LENGTH[city[2]] ?? 12)) s += String(r.int(0, 9));
  return s;
}

function slug(s: string) {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');
}

function buildCompanies(r: Rand, owners: string[], now: number) {
  const companies: Record<string, unknown>[] = [];
  const names = new Set<string>();
  while (companies.length < 80) {
    const name = `${r.pick(d.COMPANY_WORDS)} ${r.pick(d.COMPANY_SUFFIXES)}`;
    if (names.has(name)) continue;
    names.add(name);
    const city = r.pick(d.CITIES);
    const domain = `${slug(name)}.example`;
    // The first 15 are groups; a third of the rest belong to one of them.
    const parent = companies.length >= 15 && r.chance(0.33) ? (companies[r.int(0, 14)]!.id as string) : null;
    companies.push({
      id: r.uuid(), name, domain, website: `https://www.${domain}/`, industry: r.pick(d.INDUSTRIES), size: r.pick(d.SIZES),
      phone: phoneFor(r, city), address: { street: `${r.int(1, 400)} ${r.pick(['Market', 'High', 'Main', 'Harbour', 'King'])} Street`, city: city[0], region: city[1], country: city[2] },
      description: `${name} works in ${r.pick(d.INDUSTRIES).toLowerCase()}.`, parent_id: parent, owner_id: r.pick(owners),
      tags: [...new Set([r.pick(d.TAGS), ...(r.chance(0.4) ? [r.pick(d.TAGS)] : [])])],
      custom: { account_tier: r.pick(['bronze', 'silver', 'gold']), annual_revenue: `${r.int(1, 900) * 100000}.00`, ...(r.chance(0.6) ? { renewal_date: new Date(now + r.int(10, 400) * DAY).toISOString().slice(0, 10) } : {}) },
      created_at: new Date(now - r.int(30, 400) * DAY).toISOString(),
    });
  }
  return companies;
}

function buildContacts(r: Rand, companies: Record<string, unknown>[], owners: string[], now: number) {
  const contacts: Record<string, unknown>[] = [];
  const emails = new Set<string>();
  while (contacts.length < 320) {
    const first = r.pick(d.FIRST_NAMES);
    const last = r.pick(d.LAST_NAMES);
    const company = r.chance(0.9) ? r.pick(companies) : null;
    const domain = (company?.domain as string | undefined) ?? r.pick(['gmail.example', 'outlook.example', 'proton.example']);
    const email = `${slug(first)}.${slug(last)}@${domain}`;
    if (emails.has(email)) continue;
    emails.add(email);
    const city = r.pick(d.CITIES);
    const phone = phoneFor(r, city);
    contacts.push({
      id: r.uuid(), first_name: first, last_name: last, email, emails: [{ email, label: 'work', primary: true }],
      phone, phones: [{ phone, e164: phone, label: r.pick(['work', 'mobile']), primary: true }],
      title: r.pick(d.TITLES), department: r.pick(d.DEPARTMENTS), address: { city: city[0], region: city[1], country: city[2] },
      social: r.chance(0.5) ? { linkedin: `https://www.linkedin.com/in/${slug(first)}-${slug(last)}` } : {},
      notes: r.chance(0.3) ? `Met at ${r.pick(['a conference', 'a webinar', 'the office', 'lunch'])}; follow up in ${r.pick(['spring', 'Q3', 'two weeks'])}.` : null,
      lead_source: r.pick(d.LEAD_SOURCES), company_id: company?.id ?? null, owner_id: r.pick(owners),
      tags: r.chance(0.7) ? [...new Set([r.pick(d.TAGS), ...(r.chance(0.3) ? [r.pick(d.TAGS)] : [])])] : [],
      custom: { tier: r.pick(['bronze', 'silver', 'gold']), newsletter: r.chance(0.5) },
      created_at: new Date(now - r.int(0, 365) * DAY - r.int(0, DAY)).toISOString(),
    });
  }
  return contacts;
}

async function insertBatch(tx: Tx, table: 'companies' | 'contacts', columns: Record<string, string>, rows: Record<string, unknown>[]) {
  const names = Object.keys(columns);
  await tx.query(
    `INSERT INTO ${table} (tenant_id, ${names.join(', ')}, updated_at)
     SELECT nullif(current_setting('app.tenant_id', true), '')::uuid, ${names.join(', ')}, created_at
       FROM jsonb_to_recordset($1::jsonb) AS x (${names.map((n) => `${n} ${columns[n]}`).join(', ')})`,
    [JSON.stringify(rows)]);
}

const COMPANY_TYPES = {
  id: 'uuid', name: 'text', domain: 'text', website: 'text', industry: 'text', size: 'text', phone: 'text', address: 'jsonb',
  description: 'text', parent_id: 'uuid', owner_id: 'uuid', tags: 'text[]', custom: 'jsonb', created_at: 'timestamptz',
};
const CONTACT_TYPES = {
  id: 'uuid', first_name: 'text', last_name: 'text', email: 'text', emails: 'jsonb', phone: 'text', phones: 'jsonb', title: 'text',
  department: 'text', address: 'jsonb', social: 'jsonb', notes: 'text', lead_source: 'text', company_id: 'uuid', owner_id: 'uuid',
  tags: 'text[]', custom: 'jsonb', created_at: 'timestamptz',
};

async function seedCustomFields(tx: Tx, ctx: TenantContext) {
  const tiers = [{ value: 'bronze', label: 'Bronze' }, { value: 'silver', label: 'Silver' }, { value: 'gold', label: 'Gold' }];
  await createCustomFieldInTx(tx, ctx, { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: tiers, position: 1 });
  await createCustomFieldInTx(tx, ctx, { entity: 'contact', key: 'newsletter', label: 'Newsletter', type: 'boolean', position: 2 });
  await createCustomFieldInTx(tx, ctx, { entity: 'company', key: 'account_tier', label: 'Account tier', type: 'select', options: tiers, position: 1 });
  await createCustomFieldInTx(tx, ctx, { entity: 'company', key: 'annual_revenue', label: 'Annual revenue', type: 'currency', position: 2 });
  await createCustomFieldInTx(tx, ctx, { entity: 'company', key: 'renewal_date', label: 'Renewal date', type: 'date', position: 3 });
}

export async function seedCrmDemo(ctx: TenantContext): Promise<void> {
  await withTenant(ctx, async (tx) => {
    await seedCustomFields(tx, ctx);
    const members = await tx.query<{ user_id: string }>('SELECT user_id FROM memberships ORDER BY created_at, user_id LIMIT 10');
    const owners = members.rows.map((m) => m.user_id);
    if (!owners.length) return;
    const r = d.prng(20_261_205);
    // Whole days before today, so reseeding the same day gives the same rows.
    const now = Math.floor(Date.now() / DAY) * DAY;
    const companies = buildCompanies(r, owners, now);
    const contacts = buildContacts(r, companies, owners, now);
    // Parents first: the hierarchy's foreign key checks row by row.
    await insertBatch(tx, 'companies', COMPANY_TYPES, companies.filter((c) => !c.parent_id));
    await insertBatch(tx, 'companies', COMPANY_TYPES, companies.filter((c) => c.parent_id));
    await insertBatch(tx, 'contacts', CONTACT_TYPES, contacts);
    await recordChange(tx, ctx, {
      action: 'demo.seed', entity: 'tenant', entityId: ctx.tenantId, after: { companies: companies.length, contacts: contacts.length },
    });
  });
}
