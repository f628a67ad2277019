/**
 * Row-level security at the SQL level, on whichever engine the suite runs
 * (PGlite by default, PostgreSQL with TEST_DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { openTestDatabase } from '../../../test/app.js';
import type { Database } from './database.js';
import { withSystem } from './system.js';
import { tenantPrelude, withTenant, systemContext } from './tenant.js';

let db: Database;
const A = uuidv7();
const B = uuidv7();
const invA = uuidv7();
const invB = uuidv7();
const userA = uuidv7();
const userB = uuidv7();

beforeAll(async () => {
  db = await openTestDatabase();
  await withSystem(db, async (tx) => {
    await tx.query('INSERT INTO tenants (id, name) VALUES ($1, $2), ($3, $4)', [A, 'A', B, 'B']);
    await tx.query(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'a', 'secret-a'), ($3, $4, 'b', 'secret-b')`, [
      userA, `${A}@a.test`, userB, `${B}@b.test`,
    ]);
    await tx.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner'), ($3, $4, 'owner')`, [A, userA, B, userB]);
    for (const [t, id] of [[A, invA], [B, invB]] as const) {
      await tx.query(
        `INSERT INTO invitations (tenant_id, id, email, role, token_hash, expires_at) VALUES ($1, $2, 'x@y.z', 'member', $3, now() + interval '1 day')`,
        [t, id, `hash-${id}`],
      );
      await tx.query(`INSERT INTO audit_log (tenant_id, id, actor_type, action, entity) VALUES ($1, $2, 'system', 'seed', 'test')`, [t, uuidv7()]);
    }
  });
});
afterAll(() => db.close());

const asA = <T>(fn: Parameters<typeof withTenant<T>>[1]) => withTenant(systemContext(db, A), fn);
const asNobody = <T>(sql: string, params: unknown[] = []) =>
  db.transaction(async (tx) => {
    await tx.query(`SELECT set_config('role', 'pillar_app', true)`);
    return tx.query<T>(sql, params);
  });

describe('row-level security', () => {
  it('runs request transactions as the restricted role with the tenant set', async () => {
    const r = await asA((tx) => tx.query<{ u: string; t: string; bypass: boolean }>(
      `SELECT current_user AS u, current_setting('app.tenant_id') AS t,
              (SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user) AS bypass`));
    expect(r.rows[0]).toEqual({ u: 'pillar_app', t: A, bypass: false });
  });

  it('tenant A cannot read tenant B rows', async () => {
    const r = await asA((tx) => tx.query<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM invitations'));
    expect(r.rows.map((x) => x.id)).toEqual([invA]);
    const t = await asA((tx) => tx.query<{ id: string }>('SELECT id FROM tenants'));
    expect(t.rows.map((x) => x.id)).toEqual([A]);
    const byId = await asA((tx) => tx.query('SELECT 1 FROM invitations WHERE id = $1', [invB]));
    expect(byId.rows).toHaveLength(0);
  });

  it('tenant A cannot update or delete tenant B rows', async () => {
    const u = await asA((tx) => tx.query(`UPDATE invitations SET email = 'hijack@evil.test' WHERE id = $1`, [invB]));
    const d = await asA((tx) => tx.query('DELETE FROM invitations WHERE id = $1', [invB]));
    expect(u.rowCount).toBe(0);
    expect(d.rowCount).toBe(0);
    const still = await withSystem(db, (tx) => tx.query<{ email: string }>('SELECT email FROM invitations WHERE id = $1', [invB]));
    expect(still.rows[0]?.email).toBe('x@y.z');
  });

  it('tenant A cannot insert rows into tenant B', async () => {
    await expect(
      asA((tx) => tx.query(`INSERT INTO invitations (tenant_id, id, email, role, token_hash, expires_at) VALUES ($1, $2, 'e@f.g', 'member', 'h', now())`, [B, uuidv7()])),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(asA((tx) => tx.query(`UPDATE invitations SET tenant_id = $1 WHERE id = $2`, [B, invA]))).rejects.toMatchObject({ code: '42501' });
  });

  it('a transaction with no tenant set sees nothing and writes nothing', async () => {
    expect((await asNobody('SELECT * FROM invitations')).rows).toHaveLength(0);
    expect((await asNobody('SELECT * FROM tenants')).rows).toHaveLength(0);
    expect((await asNobody('SELECT * FROM audit_log')).rows).toHaveLength(0);
    await expect(asNobody(`INSERT INTO invitations (tenant_id, id, email, role, token_hash, expires_at) VALUES ($1, $2, 'e@f.g', 'member', 'h2', now())`, [A, uuidv7()]))
      .rejects.toMatchObject({ code: '42501' });
  });

  it('the audit log is append-only for the request role', async () => {
    await expect(asA((tx) => tx.query(`UPDATE audit_log SET action = 'forged'`))).rejects.toMatchObject({ code: '42501' });
    await expect(asA((tx) => tx.query('DELETE FROM audit_log'))).rejects.toMatchObject({ code: '42501' });
  });

  it('hides other tenants\' users and every password hash', async () => {
    const r = await asA((tx) => tx.query<{ id: string }>('SELECT id FROM users'));
    expect(r.rows.map((x) => x.id)).toEqual([userA]);
    await expect(asA((tx) => tx.query('SELECT password_hash FROM users'))).rejects.toMatchObject({ code: '42501' });
    await expect(asA((tx) => tx.query('SELECT * FROM refresh_tokens'))).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses to splice anything but UUIDs into the prelude', () => {
    expect(() => tenantPrelude("x'; DROP TABLE tenants; --", null)).toThrow();
  });
});
