/**
 * The ceiling every ratio refers to: a bare Fastify route running the same
 * keyset queries through node-postgres, with no authentication, no row-level
 * security, no validation and no logging. Started as its own process.
 */
import Fastify from 'fastify';
import pg from 'pg';

const url = process.env.DATABASE_URL!;
const tenant = process.env.BASELINE_TENANT_ID!;
const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const app = Fastify({ logger: false });

const CONTACT_COLS = `id, first_name, last_name, email, emails, phone, phones, title, department, address, social, notes,
  lead_source, company_id, owner_id, tags, custom, created_by, created_at, updated_at, version`;

function cursorOf(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

app.get<{ Querystring: { cursor?: string; limit?: string } }>('/contacts', async (req) => {
  const limit = Number(req.query.limit ?? 50);
  const params: unknown[] = [tenant, limit + 1];
  let where = '';
  if (req.query.cursor) {
    const [at, id] = JSON.parse(Buffer.from(req.query.cursor, 'base64url').toString()) as [string, string];
    params.push(at, id);
    where = 'AND (created_at, id) < ($3, $4)';
  }
  const r = await pool.query(
    `SELECT ${CONTACT_COLS} FROM contacts WHERE tenant_id = $1 AND deleted_at IS NULL ${where}
      ORDER BY created_at DESC, id DESC LIMIT $2`,
    params,
  );
  const rows = r.rows as { id: string; created_at: Date }[];
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, next_cursor: rows.length > limit && last ? cursorOf([last.created_at.toISOString(), last.id]) : null };
});

/**
 * The same first page inside the transaction every API request runs in: BEGIN with the tenant settings and
 * the restricted role in one round trip, the query under row-level security, COMMIT. The gap between this
 * route and /contacts is the cost of the tenancy design itself, before any of the API's own work.
 */
app.get<{ Querystring: { limit?: string } }>('/contacts-rls', async (req) => {
  const limit = Number(req.query.limit ?? 50);
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; SELECT set_config('app.tenant_id', '${tenant}', true), set_config('app.user_id', '', true), set_config('role', 'pillar_app', true)`);
    const r = await client.query(
      `SELECT ${CONTACT_COLS} FROM contacts WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $2`,
      [tenant, limit + 1],
    );
    await client.query('COMMIT');
    const rows = r.rows as { id: string; created_at: Date }[];
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, next_cursor: rows.length > limit && last ? cursorOf([last.created_at.toISOString(), last.id]) : null };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
});

app.get<{ Params: { id: string } }>('/contacts/:id', async (req, reply) => {
  const r = await pool.query(`SELECT ${CONTACT_COLS} FROM contacts WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`, [tenant, req.params.id]);
  if (!r.rows[0]) return reply.status(404).send({ status: 404 });
  return r.rows[0] as object;
});

app.get<{ Querystring: { limit?: string } }>('/audit', async (req) => {
  const limit = Number(req.query.limit ?? 50);
  const r = await pool.query(
    `SELECT id, actor_type, actor_id, action, entity, entity_id, changes, request_id, ip, created_at
       FROM audit_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2`,
    [tenant, limit + 1],
  );
  const rows = r.rows as { id: string }[];
  const data = rows.slice(0, limit);
  return { data, next_cursor: rows.length > limit ? cursorOf([data[data.length - 1]!.id]) : null };
});

app.get('/readyz', async () => ({ status: 'ready' }));

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
