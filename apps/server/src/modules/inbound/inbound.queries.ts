/** SQL for inbound form endpoints and their submissions. Runs under the caller's tenant (RLS). */
import type { Tx } from '../../platform/db/tenant.js';

export interface EndpointRow {
  id: string;
  name: string;
  lead_source: string | null;
  active: boolean;
  created_at: string;
}

export interface SubmissionRow {
  id: string;
  endpoint_id: string;
  email: string | null;
  fields: Record<string, unknown>;
  status: 'stored' | 'lead_created' | 'lead_updated' | 'failed';
  lead_id: string | null;
  error: string | null;
  created_at: string;
}

const ENDPOINT_COLS = 'id, name, lead_source, active, created_at';
const SUBMISSION_COLS = 'id, endpoint_id, email, fields, status, lead_id, error, created_at';

export async function insertEndpoint(tx: Tx, v: { tenantId: string; id: string; name: string; leadSource: string | null; tokenHash: string; createdBy: string | null }) {
  return (await tx.query<EndpointRow>(
    `INSERT INTO inbound_endpoints (tenant_id, id, name, lead_source, token_hash, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ENDPOINT_COLS}`,
    [v.tenantId, v.id, v.name, v.leadSource, v.tokenHash, v.createdBy])).rows[0]!;
}

export async function listEndpoints(tx: Tx) {
  return (await tx.query<EndpointRow>(`SELECT ${ENDPOINT_COLS} FROM inbound_endpoints ORDER BY id LIMIT 1000`)).rows;
}

export async function findEndpointWithHash(tx: Tx, id: string) {
  return (await tx.query<EndpointRow & { token_hash: string }>(`SELECT ${ENDPOINT_COLS}, token_hash FROM inbound_endpoints WHERE id = $1`, [id])).rows[0];
}

export async function deleteEndpoint(tx: Tx, id: string): Promise<number> {
  return (await tx.query('DELETE FROM inbound_endpoints WHERE id = $1', [id])).rowCount;
}

export async function insertSubmission(tx: Tx, v: { tenantId: string; id: string; endpointId: string; email: string | null; fields: Record<string, unknown>; ip: string | null }) {
  await tx.query(
    `INSERT INTO inbound_submissions (tenant_id, id, endpoint_id, email, fields, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
    [v.tenantId, v.id, v.endpointId, v.email, JSON.stringify(v.fields), v.ip]);
}

export async function finishSubmission(tx: Tx, id: string, v: { status: SubmissionRow['status']; leadId: string | null; error: string | null }) {
  return (await tx.query<SubmissionRow>(
    `UPDATE inbound_submissions SET status = $2, lead_id = $3, error = $4 WHERE id = $1 RETURNING ${SUBMISSION_COLS}`,
    [id, v.status, v.leadId, v.error])).rows[0]!;
}

export async function listSubmissions(tx: Tx, q: { limit: number; before?: string | undefined; endpointId?: string | undefined }) {
  const params: unknown[] = [q.limit + 1];
  const where: string[] = [];
  if (q.before) where.push(`id < $${params.push(q.before)}`);
  if (q.endpointId) where.push(`endpoint_id = $${params.push(q.endpointId)}`);
  return (await tx.query<SubmissionRow>(
    `SELECT ${SUBMISSION_COLS} FROM inbound_submissions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $1`, params)).rows;
}
