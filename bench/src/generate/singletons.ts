/** The few rows inserted one by one: tenants, users (with a real password hash), memberships, pipeline, stages, custom fields. */
import { hashPassword } from '../../../apps/server/src/platform/auth/passwords.js';
import type { GenContext } from './rows.js';
import { START_MS } from './spec.js';

export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const ROLES = ['admin', 'manager', 'member', 'member'] as const;

/** Inserts the identities; the password hash comes from the server's own hashing. */
export async function insertSingletons(db: SqlRunner, g: GenContext): Promise<void> {
  const { ids } = g;
  const hash = await hashPassword(ids.password);
  const at = new Date(START_MS).toISOString();
  await db.query('INSERT INTO tenants (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)', [ids.tenantId, ids.tenantName, at]);
  for (let k = 0; k < ids.memberIds.length; k++) {
    await db.query('INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)', [
      ids.memberIds[k], ids.memberEmails[k], k === 0 ? 'Bench Owner' : `Bench User ${k}`, hash, at,
    ]);
    await db.query('INSERT INTO memberships (tenant_id, user_id, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)', [
      ids.tenantId, ids.memberIds[k], k === 0 ? 'owner' : ROLES[k % ROLES.length], at,
    ]);
  }
  for (let t = 0; t < ids.smallTenantIds.length; t++) {
    const tenant = ids.smallTenantIds[t]!;
    const user = ids.smallOwnerIds[t]!;
    await db.query('INSERT INTO tenants (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)', [tenant, `Small Firm ${t + 1}`, at]);
    await db.query('INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)', [user, `owner-${t + 1}@bench-small.pillar.test`, `Owner ${t + 1}`, hash]);
    await db.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`, [tenant, user]);
  }
  await db.query('INSERT INTO pipelines (tenant_id, id, name, is_default, created_at, updated_at) VALUES ($1, $2, $3, true, $4, $4)', [
    ids.tenantId, ids.pipelineId, 'Sales', at,
  ]);
  for (const s of ids.stages) {
    await db.query(
      `INSERT INTO stages (tenant_id, id, pipeline_id, name, position, probability, kind, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [ids.tenantId, s.id, ids.pipelineId, s.name, s.position, s.probability, s.kind, at],
    );
  }
  const tiers = JSON.stringify(['gold', 'silver', 'bronze'].map((v) => ({ value: v, label: v[0]!.toUpperCase() + v.slice(1) })));
  await db.query(
    `INSERT INTO custom_field_definitions (tenant_id, id, entity, key, label, type, options, position)
     VALUES ($1, $2, 'contact', 'tier', 'Tier', 'select', $3, 0), ($1, $4, 'contact', 'score', 'Score', 'number', '[]', 1)`,
    [ids.tenantId, ids.customFieldIds.tier, tiers, ids.customFieldIds.score],
  );
}
