/** First start: a demo firm with an owner, filled by each module's demo seeder. */
import { uuidv7 } from 'uuidv7';
import { modules } from '../modules/index.js';
import * as q from './auth/auth.queries.js';
import { hashPassword } from './auth/passwords.js';
import { recordChange } from './audit.js';
import type { Database } from './db/database.js';
import { withSystem } from './db/system.js';
import { systemContext } from './db/tenant.js';

export const DEMO_EMAIL = 'demo@pillar.local';
export const DEMO_PASSWORD = 'pillar-demo-2026';

/** Returns true when it seeded (the database had no tenant yet). */
export async function seedDemoIfEmpty(db: Database): Promise<boolean> {
  // Cheap check first: a second start must not spend an argon2 hash on a seed it will skip.
  const existing = await db.query('SELECT 1 FROM tenants LIMIT 1');
  if (existing.rows.length) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const tenantId = await withSystem(db, async (tx) => {
    const any = await tx.query('SELECT 1 FROM tenants LIMIT 1');
    if (any.rows.length) return null;
    const id = uuidv7();
    const userId = uuidv7();
    await q.insertTenant(tx, { id, name: 'Northwind Consulting (demo)' });
    await q.insertUser(tx, { id: userId, email: DEMO_EMAIL, name: 'Dana Demo', passwordHash });
    await q.insertMembership(tx, id, userId, 'owner');
    await recordChange(tx, systemContext(db, id), { action: 'tenant.create', entity: 'tenant', entityId: id, after: { name: 'demo' } });
    return id;
  });
  if (!tenantId) return false;
  const ctx = systemContext(db, tenantId);
  for (const mod of modules) if (mod.seedDemo) await mod.seedDemo(ctx);
  return true;
}
