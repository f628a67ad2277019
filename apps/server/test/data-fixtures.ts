/**
 * Fixtures for the data-handling tests (views, bulk, trash, imports, exports):
 * records inserted straight into the database, and unrestricted reads to
 * check what a request really changed.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../src/platform/db/database.js';
import { withSystem } from '../src/platform/db/system.js';

export async function sql<T = Record<string, unknown>>(db: Database, text: string, params: unknown[] = []): Promise<T[]> {
  return (await withSystem(db, (tx) => tx.query<T>(text, params))).rows;
}

export async function count(db: Database, from: string, params: unknown[] = []): Promise<number> {
  return (await sql<{ n: number }>(db, `SELECT count(*)::int AS n FROM ${from}`, params))[0]!.n;
}

export async function insertContacts(db: Database, tenantId: string, n: number, make: (i: number) => Record<string, unknown> = () => ({})): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({ id: uuidv7(), first_name: `First${i}`, last_name: `Last${i}`, email: `p${i}-${uuidv7().slice(-8)}@example.test`, tags: [], custom: {}, ...make(i) }));
  await sql(db, `INSERT INTO contacts (tenant_id, id, first_name, last_name, email, tags, custom, phone, title, notes, company_id)
    SELECT $1, r.id, r.first_name, r.last_name, r.email, r.tags, r.custom, r.phone, r.title, r.notes, r.company_id
      FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, first_name text, last_name text, email text, tags text[], custom jsonb, phone text, title text, notes text, company_id uuid)`,
  [tenantId, JSON.stringify(rows)]);
  return rows.map((r) => r.id);
}

export async function insertCompany(db: Database, tenantId: string, name: string, domain: string | null = null): Promise<string> {
  const id = uuidv7();
  await sql(db, 'INSERT INTO companies (tenant_id, id, name, domain) VALUES ($1, $2, $3, $4)', [tenantId, id, name, domain]);
  return id;
}

export async function insertLead(db: Database, tenantId: string, title: string): Promise<string> {
  const id = uuidv7();
  await sql(db, 'INSERT INTO leads (tenant_id, id, title) VALUES ($1, $2, $3)', [tenantId, id, title]);
  return id;
}

/** A pipeline with stages open/won/lost and `n` deals in the first stage. */
export async function insertPipeline(db: Database, tenantId: string, deals = 0) {
  const pipelineId = uuidv7();
  const stages = { open: uuidv7(), next: uuidv7(), won: uuidv7(), lost: uuidv7() };
  await sql(db, `INSERT INTO pipelines (tenant_id, id, name, is_default) VALUES ($1, $2, $3, false)`, [tenantId, pipelineId, `Sales ${pipelineId.slice(-6)}`]);
  await sql(db, `INSERT INTO stages (tenant_id, id, pipeline_id, name, position, kind, probability) VALUES
    ($1, $3, $2, 'Qualify', 0, 'open', 10), ($1, $4, $2, 'Proposal', 1, 'open', 50), ($1, $5, $2, 'Won', 2, 'won', 100), ($1, $6, $2, 'Lost', 3, 'lost', 0)`,
  [tenantId, pipelineId, stages.open, stages.next, stages.won, stages.lost]);
  const dealIds = Array.from({ length: deals }, () => uuidv7());
  if (deals) {
    await sql(db, `INSERT INTO deals (tenant_id, id, name, value, pipeline_id, stage_id, position, stage_entered_at)
      SELECT $1, d.id, 'Deal ' || d.n, 1000.50, $2, $3, ($5::text[])[d.n], now() - interval '1 hour'
        FROM unnest($4::uuid[]) WITH ORDINALITY AS d(id, n)`, [tenantId, pipelineId, stages.open, dealIds, generateNKeysBetween(null, null, deals)]);
  }
  return { pipelineId, stages, dealIds };
}

export async function defineCustomField(db: Database, tenantId: string, entity: string, key: string, type: string, options: string[] = []) {
  await sql(db, `INSERT INTO custom_field_definitions (tenant_id, id, entity, key, label, type, options) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [tenantId, uuidv7(), entity, key, key, type, JSON.stringify(options)]);
}
